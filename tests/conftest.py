import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from engine import Rules, load_rules  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def rules() -> Rules:
    """The shipped rule base, loaded once per test session."""
    return load_rules(ROOT / "rules")
