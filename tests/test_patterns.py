"""Why-not patterns that cannot name a conclusion are located errors, not legal answers (issue 12, point 4)."""

from __future__ import annotations

import json

import pytest
from helpers import run

K = "scenarios/kazakhstan-2022.yaml"


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    from pathlib import Path

    monkeypatch.chdir(Path(__file__).resolve().parent.parent)


@pytest.mark.parametrize(("pattern", "expected"), [
    ("obligation(russia, kazakhstan)",
     "--why-not:1:20: error: `kazakhstan` is an entity, not an action that a rule concludes as an obligation\n"
     "  obligation(russia, kazakhstan)\n"
     "                     ^^^^^^^^^^\n"
     "  hint: the action comes second: obligation(russia, _, kazakhstan) asks about any action towards kazakhstan\n"),
    ("obligation(russia)",
     "--why-not:1:1: error: `obligation` takes a bearer, an action and a counterparty, not 1 argument\n"
     "  obligation(russia)\n"
     "  ^^^^^^^^^^^^^^^^^^\n"
     "  hint: write obligation(BEARER, ACTION, COUNTERPARTY); `_` stands for anything\n"),
    ("obligation(rusia, provide_assistance, kazakhstan)",
     "--why-not:1:12: error: unknown entity `rusia` as the bearer\n"
     "  obligation(rusia, provide_assistance, kazakhstan)\n"
     "             ^^^^^\n"
     "  hint: did you mean `russia`?\n"),
    ("obligation(russia, provide_asistance, kazakhstan)",
     "--why-not:1:20: error: no rule concludes an obligation to `provide_asistance`\n"
     "  obligation(russia, provide_asistance, kazakhstan)\n"
     "                     ^^^^^^^^^^^^^^^^^\n"
     "  hint: did you mean `provide_assistance`?\n"),
    # a derived predicate's pattern is checked against its declaration too (issue 14, point 7)
    ("art51_attack(kazakhstan)",
     "--why-not:1:1: error: `art51_attack` takes 2 arguments (by, against), not 1\n"
     "  art51_attack(kazakhstan)\n"
     "  ^^^^^^^^^^^^^^^^^^^^^^^^\n"
     "  hint: write art51_attack(BY, AGAINST); `_` stands for anything\n"),
    ("art51_attack(_, kazakstan)",
     "--why-not:1:17: error: unknown entity `kazakstan` as the `against` argument of `art51_attack`\n"
     "  art51_attack(_, kazakstan)\n"
     "                  ^^^^^^^^^\n"
     "  hint: did you mean `kazakhstan`?\n"),
    ("obligation(russia, _, kazakhstan",
     "--why-not:1:33: error: unexpected end of the text: expected `(`, `)` or `,`\n"
     "  obligation(russia, _, kazakhstan\n"
     "                                  ^\n"),
    ("assistance_kind(militray_assistance)",
     "--why-not:1:17: error: `militray_assistance` is not a declared help (the what of `assistance_kind`)\n"
     "  assistance_kind(militray_assistance)\n"
     "                  ^^^^^^^^^^^^^^^^^^^\n"
     "  hint: did you mean `military_assistance`?\n"),
])
def test_a_pattern_that_cannot_name_a_conclusion_is_a_located_error(pattern: str, expected: str):
    code, out, err = run("explain", K, "--why-not", pattern, "--timeout", "0", "--max-memory", "0")
    assert (code, out) == (2, "")
    assert err == expected + "1 error in 1 file\n"


def test_a_good_pattern_still_answers():
    code, out, _ = run("explain", K, "--why-not", "obligation(uzbekistan, provide_assistance, kazakhstan)",
                       "--timeout", "0", "--max-memory", "0")
    assert code == 0 and out.startswith("Why not: obligation(uzbekistan, provide_assistance, kazakhstan)\n")


def test_rules_of_instruments_the_bearer_never_joined_are_left_out_and_named(monkeypatch):
    monkeypatch.setenv("COLUMNS", "1000")  # each line whole
    code, out, _ = run("explain", "scenarios/nato-2001-article5.yaml", "--why-not", "obligation(united_kingdom, _, _)",
                       "--timeout", "0", "--max-memory", "0")
    assert code == 0
    rules = [line.split(":")[0].removeprefix("Rule ") for line in out.splitlines() if line.startswith("Rule ")]
    # the United Kingdom is a party to the North Atlantic Treaty, the TEU (then) and the Manila Pact
    assert sorted(rules) == ["nato_4_consult", "nato_5_assist", "nato_5_terminate", "seato_iv_1_act",
                             "seato_iv_2_consult", "seato_iv_2_consult_designated", "seato_understanding_act",
                             "seato_understanding_consult", "teu_42_7_aid_and_assistance"]
    left = out[out.index("Left out (18 rules that can never apply to it):\n"):].splitlines()[1:]
    assert "  cst_4_2_assist_2010 (cst article 4(2)): united_kingdom was never a party to cst" in left
    assert "  anzus_iv_act (anzus article IV): united_kingdom was never a party to anzus" in left
    assert "  warsaw_4_assist (warsaw_pact article 4): united_kingdom was never a party to warsaw_pact" in left
    assert len(left) == 18


# (Article 5 engages against al-Qaeda only on art51_non_state=includes_non_state, open in the scenario:
# issue 13)
@pytest.mark.parametrize(("scenario", "pattern", "holds"), [
    ("scenarios/nato-2001-article5.yaml", "obligation(germany, assist(_), united_states)",
     "It holds in some readings only."),
    ("scenarios/nato-2001-article5.yaml", "obligation(germany, assist(X), _)", "It holds in some readings only."),
    ("scenarios/kazakhstan-2022.yaml", "obligation(germany, assist(_), _)", "It holds in no reading."),
])
def test_a_pattern_with_anything_inside_an_action_finds_the_rules_of_that_action(scenario: str, pattern: str,
                                                                                holds: str):
    code, out, _ = run("explain", scenario, "--why-not", pattern, "--timeout", "0", "--max-memory", "0")
    lines = out.splitlines()
    assert code == 0 and lines[1] == holds
    assert [ln.split(":")[0] for ln in lines if ln.startswith("Rule ")] == ["Rule nato_5_assist"]


def test_a_state_by_its_iso_code_in_a_pattern_is_the_rule_bases_state():
    """`usa` and `uk` name the rule base's united_states and united_kingdom, as in scenarios (issue 14)."""
    args = ("explain", "scenarios/nato-2001-article5.yaml", "--timeout", "0", "--max-memory", "0", "--format", "json")
    by_code = run(*args, "--why-not", "obligation(uk, _, usa)")
    by_id = run(*args, "--why-not", "obligation(united_kingdom, _, united_states)")
    assert by_code[0] == by_id[0] == 0
    code_doc, id_doc = json.loads(by_code[1]), json.loads(by_id[1])
    assert code_doc["holds"] == id_doc["holds"] == "some"
    assert code_doc["candidates"] == id_doc["candidates"]
