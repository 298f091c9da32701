"""Golden tests: each broken rule file under tests/golden/rules_bad/ and its exact diagnostics.

Run ``pytest --update-golden`` to rewrite the ``.expected`` files, then read the diff.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from engine.cli import treaty

ROOT = Path(__file__).resolve().parent.parent
BAD = sorted((ROOT / "tests" / "golden" / "rules_bad").glob("*.rules"))


def lint(path: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(treaty, ["lint", path])
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("case", BAD, ids=[p.stem for p in BAD])
def test_broken_rule_file(case: Path, monkeypatch: pytest.MonkeyPatch, update_golden: bool) -> None:
    monkeypatch.chdir(ROOT)
    code, out, err = lint(str(case.relative_to(ROOT)))
    expected_file = case.with_suffix(".expected")
    if update_golden:
        expected_file.write_text(err, encoding="utf-8")
    assert code == 2
    assert out == ""
    assert "Traceback" not in err
    assert err == expected_file.read_text(encoding="utf-8")


def test_there_are_at_least_25_golden_cases() -> None:
    assert len(BAD) >= 25
    assert all(p.with_suffix(".expected").exists() for p in BAD)


def test_the_base_of_the_golden_cases_is_clean(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    code, out, err = lint("tests/golden/ok_base.rules")
    assert (code, err) == (0, "")
    assert out == ("tests/golden/ok_base.rules: 1 files, 1 instruments, 1 articles, 2 rules, 2 party entries: "
                   "no problems\n")
