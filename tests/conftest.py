import os
import sys
import tempfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from engine import Rules, load_rules  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent

# The engine's bytecode, written once: the many `treaty` processes the tests start would otherwise each
# compile every module again where PYTHONDONTWRITEBYTECODE is set (as on the CI machine), about 0.1 s a
# process (the packages pip installed are compiled already). Up-to-date files are skipped.
if os.environ.get("PYTHONDONTWRITEBYTECODE"):
    import compileall

    compileall.compile_dir(str(ROOT / "engine"), quiet=1)

# the compiled-rule cache of the test run lives in a temporary directory, never in the user's
os.environ["TREATY_CACHE_DIR"] = tempfile.mkdtemp(prefix="treaty-test-cache-")

# text output fits the terminal (COLUMNS, else the terminal, else 80): the tests see 80 columns
# whatever the shell that runs them exports; a test that wants whole lines sets COLUMNS itself
os.environ.pop("COLUMNS", None)

pytest_plugins = ["pytester"]


@pytest.fixture
def pytester(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    """pytest's own, for a pytest run inside a test: that run is not one of pytest-xdist's workers,
    even when this test runs in one (plugins such as pytest-benchmark read the variable)."""
    monkeypatch.delenv("PYTEST_XDIST_WORKER", raising=False)
    monkeypatch.delenv("PYTEST_XDIST_WORKER_COUNT", raising=False)
    return pytester


@pytest.fixture(scope="session")
def rules() -> Rules:
    """The shipped rule base, loaded once per test session."""
    return load_rules(ROOT / "rules")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite the expected output of golden tests")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))
