"""The explorer in a real browser (issue 16): `treaty serve`'s application on a loopback port, driven by
Debian's Chromium through Playwright (tests/browser.py; skipped without it, failing under CI=true)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import browser

ROOT = Path(__file__).resolve().parent.parent
ATTACK = "armed_attack(foreign_trained_gangs, kazakhstan)"


@pytest.fixture(scope="module")
def address(rules) -> Iterator[str]:
    import uvicorn

    from engine.serve.app import create_app
    from engine.serve.cases import Cases

    cases = Cases.load(rules, [str(ROOT / "scenarios" / "kazakhstan-2022.yaml")])
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(cases), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}/"
    server.should_exit = True
    thread.join(5)


def test_flip_the_attack_and_watch_the_duties_vanish(address: str, tmp_path: Path) -> None:
    with browser() as b:
        page = b.new_page(viewport={"width": 1024, "height": 900})
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(address)
        assist = "#conclusions button[data-id^='cst_4_2_assist_2010/']"
        inform = "#conclusions button[data-id^='cst_4_3_inform/']"
        page.wait_for_selector(assist)
        assert page.locator(assist).count() == 5 and page.locator(inform).count() == 5
        page.wait_for_selector("#timeline svg")
        page.screenshot(path=str(tmp_path / "1-kazakhstan.png"))  # an artifact, not committed
        page.select_option(f"select[data-fact='{ATTACK}']", "denied")
        page.wait_for_selector("#conclusions li.vanished")
        assert page.locator(assist).count() == 0 and page.locator(inform).count() == 5
        assert page.locator("#conclusions li.vanished[data-id^='cst_4_2_assist_2010/']").count() == 5
        page.screenshot(path=str(tmp_path / "2-attack-denied.png"))
        page.select_option(f"select[data-fact='{ATTACK}']", "alleged")
        page.wait_for_function("document.querySelectorAll(\"" + assist + "\").length == 5")
        # a why-tree, with Article 4's text one click away
        page.locator(assist).first.click()
        page.wait_for_selector("#why details.article")
        article = page.locator("#why details.article").first
        assert "cst article 4(2)" in article.inner_text()
        article.locator("summary").click()
        assert "all the other States Parties shall, at the request of this State Party" in article.inner_text()
        page.screenshot(path=str(tmp_path / "3-why.png"))
        # the timeline shows the deadlines (the Article 51 and 4(3) reports are due)
        assert page.locator("#timeline svg line.due").count() > 0
        # another variant of the case
        page.select_option("#variant", "attack_denied")
        page.wait_for_function("document.querySelectorAll(\"" + assist + "\").length == 0")
        assert page.locator(inform).count() == 5
        page.select_option("#variant", "")
        page.wait_for_function("document.querySelectorAll(\"" + assist + "\").length == 5")
        # keyboard alone: focus a conclusion and open its tree with Enter
        page.locator(inform).first.focus()
        page.keyboard.press("Enter")
        page.wait_for_function("document.querySelector('#why p').textContent.startsWith('cst_4_3_inform/')")
        assert page.evaluate("document.documentElement.scrollWidth") <= 1024
        assert errors == []
