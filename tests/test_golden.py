"""Golden tests: each broken rule file (tests/golden/rules_bad/) and scenario file
(tests/golden/scenarios_bad/) with its exact diagnostics.

Run ``pytest --update-golden`` to rewrite the ``.expected`` files, then read the diff.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import run

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
BAD = sorted((GOLDEN / "rules_bad").glob("*.rules"))
BAD_SCENARIOS = sorted((GOLDEN / "scenarios_bad").glob("*.yaml"))


def lint(path: str) -> tuple[int, str, str]:
    return run("lint", path)


@pytest.mark.parametrize("case", BAD + BAD_SCENARIOS, ids=[f"{p.parent.name}/{p.stem}" for p in BAD + BAD_SCENARIOS])
def test_broken_file(case: Path, monkeypatch: pytest.MonkeyPatch, update_golden: bool) -> None:
    monkeypatch.chdir(ROOT)
    command = "lint" if case.suffix == ".rules" else "check"
    code, out, err = run(command, str(case.relative_to(ROOT)))
    expected_file = case.with_suffix(".expected")
    if update_golden:
        expected_file.write_text(err, encoding="utf-8")
    assert code == 2
    assert out == ""
    assert "Traceback" not in err
    assert err == expected_file.read_text(encoding="utf-8")


def test_there_are_enough_golden_cases() -> None:
    assert len(BAD) >= 25 and len(BAD_SCENARIOS) >= 20
    assert all(p.with_suffix(".expected").exists() for p in BAD + BAD_SCENARIOS)


def test_the_base_scenario_of_the_golden_cases_is_valid(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    code, out, err = run("check", "tests/golden/ok_scenario.yaml", "--format", "json")
    assert (code, err) == (0, "")
    # 2 contested facts (an alleged attack, a disputed date) x 2 open interpretations (art51_non_state and
    # cst_aggression_non_state, both open by default: issue 13)
    assert '"readings": 16' in out


def test_the_base_of_the_golden_cases_is_clean(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    code, out, err = lint("tests/golden/ok_base.rules")
    assert (code, err) == (0, "")
    assert out == ("tests/golden/ok_base.rules: 1 files, 1 instruments, 1 articles, 2 rules, 2 party entries: "
                   "no problems\n")
