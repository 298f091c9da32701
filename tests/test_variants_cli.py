"""FILE::VARIANT on the commands that evaluate a scenario (issue 14, point 5)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import run

ROOT = Path(__file__).resolve().parent.parent
KZ = str(ROOT / "scenarios" / "kazakhstan-2022.yaml")
RUSSIA = "cst_4_2_assist_2010/russia/provide_assistance/kazakhstan/2022-01-05"


@pytest.fixture(autouse=True)
def _whole_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each line whole: the wrapping of text to the terminal is tests/test_width.py's."""
    monkeypatch.setenv("COLUMNS", "1000")


def test_check_explain_report_and_compare_take_a_variant(tmp_path: Path) -> None:
    code, out, err = run("check", f"{KZ}::attack_denied", "--format", "json")
    assert code == 0, err
    assert not any(c["action"] == "provide_assistance" for c in json.loads(out)["conclusions"])  # no attack
    code, out, err = run("explain", f"{KZ}::attack_established", RUSSIA)
    assert code == 0, err
    # established, the duty turns on the question of law alone
    assert out.splitlines()[1] == ("It holds only in the readings where reading "
                                   "cst_aggression_non_state=any_armed_attack is taken.")
    code, out, err = run("report", f"{KZ}::attack_denied", "-o", "-", "--format", "markdown")
    assert code == 0 and "provide_assistance" not in out.split("## Why each conclusion holds")[0]
    code, out, err = run("compare", KZ, f"{KZ}::attack_denied")
    assert code == 0, err
    assert out.splitlines()[0].split() == ["kazakhstan-2022", "kazakhstan-2022::attack_denied"]


def test_an_unknown_variant_is_an_error_with_a_hint() -> None:
    code, out, err = run("check", f"{KZ}::attack_deneid")
    assert (code, out) == (2, "")
    assert err.splitlines()[:2] == [f"error: no variant `attack_deneid` in {KZ}",
                                    "  hint: did you mean `attack_denied`?"]
    code, _, err = run("explain", f"{KZ}::nope", RUSSIA)
    assert code == 2 and "its variants are: `attack_established`" in err


def test_diff_says_what_moves_when_one_fact_or_one_reading_changes() -> None:
    code, out, err = run("diff", KZ, f"{KZ}::attack_denied")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[:5] == [f"A: {KZ}", f"B: {KZ}::attack_denied", "", "What differs in the inputs:",
                         "  armed_attack(foreign_trained_gangs, kazakhstan) on 2022-01-05: alleged → denied"]
    assert "Only in A (disappears): 16" in lines
    assert ("  Russian Federation: provide assistance → Kazakhstan (cst art. 4(2) [2010], from 2022-01-05)  "
            "(discharged; holds some)") in lines
    code, out, err = run("diff", KZ, f"{KZ}::attack_denied", "--ids")
    assert code == 0 and f"  {RUSSIA}  (discharged; holds some)" in out.splitlines()
    code, out, err = run("diff", KZ, f"{KZ}::immediately_means_the_same_day", "--format", "json")
    assert code == 0, err
    d = json.loads(out)
    assert d["inputs"] == [{"what": '"immediately" allows (days)', "a": "3", "b": "0"}]
    assert not d["added"] and not d["removed"]
    consult = next(c for c in d["changed"] if c["id"].startswith("cst_2_consult_2010/russia/"))
    assert consult["fields"]["due"] == {"a": "2022-01-08", "b": "2022-01-05"}
    code, out, _ = run("diff", KZ, KZ)
    assert code == 0 and out.splitlines()[3:] == ["The inputs are the same.", "", "The conclusions are the same."]
