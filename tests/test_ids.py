"""Conclusion ids need no shell quoting (issue 14, point 7); the old form with parentheses is still read."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest
from helpers import run

from engine.reasoning.ids import conclusion_id, normal_id, term_text

NATO = "scenarios/nato-2001-article5.yaml"
NEW = "nato_5_assist/canada/assist:action_it_deems_necessary/united_states/2001-09-11"
OLD = "nato_5_assist/canada/assist(action_it_deems_necessary)/united_states/2001-09-11"


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(Path(__file__).resolve().parent.parent)


def test_a_compound_action_is_written_with_a_colon_and_read_back_as_the_term():
    assert conclusion_id("r", "canada", "assist(action_it_deems_necessary)", "united_states", "2001-09-11") == \
        "r/canada/assist:action_it_deems_necessary/united_states/2001-09-11"
    assert normal_id(OLD) == NEW and normal_id(NEW) == NEW
    assert term_text("assist:action_it_deems_necessary") == "assist(action_it_deems_necessary)"
    assert term_text("f:a,g:b,c") == "f(a,g(b,c))" and term_text("russia") == "russia"


def test_every_conclusion_id_of_the_cases_with_compound_actions_is_one_shell_word():
    # (NATO Art. 5's assist(...), ANZUS Art. IV's and the US-Japan Treaty's act_to_meet_common_danger(...))
    for scenario in ("scenarios/nato-2001-article5.yaml", "scenarios/anzus-2001.yaml",
                     "scenarios/kazakhstan-2022.yaml"):
        code, out, _ = run("check", str(scenario), "--format", "json")
        assert code == 0
        for c in json.loads(out)["conclusions"]:
            assert shlex.quote(c["id"]) == c["id"], c["id"]
            assert re.fullmatch(r"[a-z0-9_]+(/[a-z0-9_:,]+){3}/\d{4}-\d\d-\d\d", c["id"]), c["id"]


@pytest.mark.parametrize("given", [NEW, OLD])
def test_explain_and_why_not_take_the_id_in_either_form(given):
    code, out, err = run("explain", NATO, given, "--format", "json")
    assert code == 0, err
    assert json.loads(out)["conclusion"] == NEW
    code, out, err = run("explain", NATO, "--why-not", given, "--format", "json")
    assert code == 0, err
    assert json.loads(out)["holds"] == "some"


@pytest.mark.parametrize("given", [NEW, OLD])
def test_an_expectation_names_a_conclusion_by_its_id_in_either_form(tmp_path: Path, given: str):
    head = Path(NATO).read_text(encoding="utf-8").split("\nexpect:")[0]  # (variants and expect: after it)
    case = tmp_path / "case.yaml"
    case.write_text(head + f"\nexpect:\n  - {{id: '{given}', holds: some}}\n", encoding="utf-8")
    code, out, err = run("test", str(case))
    assert (code, err) == (0, ""), out
    case.write_text(head + f"\nexpect:\n  - {{id: '{given}', holds: all}}\n", encoding="utf-8")
    code, out, _ = run("test", str(case))
    assert code == 1 and "holds: expected all, got some" in out
