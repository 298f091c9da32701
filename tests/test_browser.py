"""The HTML report in a real browser (issue 14, point 6): readable at 1024 px, and printable."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import browser
from helpers import run

ROOT = Path(__file__).resolve().parent.parent

#: Words of the findings tables' cells (all but the last, whose long atoms may break anywhere) that
#: the browser broke across lines: "Belaru|s", "discharg|ed" (a hyphen is a place to break).
BROKEN_WORDS = """() => {
  const broken = [];
  for (const td of document.querySelectorAll('table.findings td:not(:last-child)')) {
    const walker = document.createTreeWalker(td, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const m of node.data.matchAll(/[^\\s-]+/g)) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
        if (lines.size > 1) broken.push(m[0]);
      }
    }
  }
  return broken;
}"""


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    page = tmp_path_factory.mktemp("report") / "kazakhstan.html"
    code, _, err = run("report", str(ROOT / "scenarios" / "kazakhstan-2022.yaml"), "-o", str(page))
    assert code == 0, err
    return page


def test_the_report_fits_1024_px_without_breaking_words(report: Path) -> None:
    with browser() as b:
        page = b.new_page(viewport={"width": 1024, "height": 768})
        page.goto(report.as_uri())
        assert page.evaluate("document.documentElement.scrollWidth") <= 1024
        # every column on screen: the last cell of every findings row ends inside the window
        right = page.evaluate("Math.max(...[...document.querySelectorAll('table.findings td:last-child')]"
                              ".map(td => td.getBoundingClientRect().right))")
        assert 0 < right <= 1024
        assert page.evaluate(BROKEN_WORDS) == []


def test_the_report_prints_on_a4_without_overflow(report: Path) -> None:
    with browser() as b:
        page = b.new_page(viewport={"width": 794, "height": 1123})  # A4 at 96 px per inch
        page.goto(report.as_uri())
        page.emulate_media(media="print")
        assert page.evaluate("document.documentElement.scrollWidth") <= 794
        # the print stylesheet is the one in force: explanations open, links followed by their URL
        assert page.evaluate("[...document.querySelectorAll('details')].every(d => d.open || "
                             "getComputedStyle(d).display !== 'none')")
        pdf = page.pdf(format="A4")
        assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
