"""A real browser for the tests that need one: Debian's Chromium driven by Playwright.

Browser downloads are not available, so Playwright drives the system's Chromium (installed by
`.ci/run`). Where it is missing the tests skip with the reason; under ``CI=true`` they fail
instead, so that CI never passes without having run them.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

#: As the machine's notes advise: no sandbox for root, and no background connections, which a
#: closed network refuses many at a time.
FLAGS = ["--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]


def executable() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def missing() -> str | None:
    """Why no browser test can run here, or None."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed (pip install -e '.[test]')"
    if executable() is None:
        return "no Chromium on PATH (Debian: apt-get install chromium; .ci/run installs it)"
    return None


@contextmanager
def browser() -> Iterator[Any]:
    """A headless Chromium, or the test skips (fails under CI=true) saying what is missing."""
    why = missing()
    if why is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"browser tests cannot run under CI=true: {why}")
        pytest.skip(why)
    from playwright.sync_api import sync_playwright

    flags = FLAGS + (["--no-sandbox"] if os.geteuid() == 0 else [])
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=executable(), args=flags)
        try:
            yield b
        finally:
            b.close()
