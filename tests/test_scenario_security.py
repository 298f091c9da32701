"""A scenario is data: nothing in it reaches clingo as program text, and what clingo cannot take
is refused with a located message (issue 11, points 4 and 10).

Bad input that has a fixed message is a golden case (tests/golden/scenarios_bad/); what needs
more than a message to show is here.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import clingo
import pytest
from helpers import run

from engine import load_scenario
from engine.cases.facts import scenario_to_facts
from engine.errors import TreatyError
from engine.reasoning.solve import Sweep, solve_scenario

ROOT = Path(__file__).resolve().parent.parent
BASE = (ROOT / "tests" / "golden" / "ok_scenario.yaml").read_text(encoding="utf-8")


def write(tmp_path: Path, text: str, name: str = "case.yaml") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def findings(path: str, *options: str) -> dict:
    """The JSON findings of a scenario (conclusions by id, the file's name left out)."""
    code, out, err = run("check", path, "--format", "json", *options)
    assert (code, err) == (0, ""), err
    doc = json.loads(out.replace(json.dumps(path), '"-"'))
    doc["conclusions"].sort(key=lambda c: c["id"])
    return doc


def renamed(doc: dict, old: str, new: str) -> dict:
    """The findings with one entity renamed, wherever a text names it."""
    out = json.loads(re.sub(rf"\b{old}\b", new, json.dumps(doc)))
    out["conclusions"].sort(key=lambda c: c["id"])
    return out


# ---- point 4: scenario atoms are symbols, never program text ------------------------------------------------

def test_no_scenario_text_reaches_clingo_as_program_text(rules, monkeypatch: pytest.MonkeyPatch,
                                                         tmp_path: Path) -> None:
    """Every name of a scenario goes to clingo as a symbol: the program text clingo parses is the
    compiled rules' and the engine's own, whatever the scenario says."""
    added: list[str] = []
    real_add = clingo.Control.add

    def spy(self, *args, **kwargs):
        added.append(str(args[-1] if args else kwargs.get("program")))
        return real_add(self, *args, **kwargs)

    monkeypatch.setattr(clingo.Control, "add", spy)
    # (`measures` of `informed` is a declared symbol now, part of the rules' text: the scenario's own
    # symbol is the `what` of a decision, an open symbol)
    own_symbol = ('  - {event: "decided(zqxcouncil, zqxmeasures, kazakhstan, self_defence)", on: 2022-01-07, '
                  'status: established, source: s1}\nsettings:')
    text = BASE.replace("gangs", "zqxgangs").replace("un_security_council", "zqxcouncil") \
        .replace("settings:", own_symbol).replace("as_of: 2022-01-20", "as_of: 2022-01-21")
    loaded = load_scenario(write(tmp_path, text))
    facts = scenario_to_facts(loaded, rules)
    solution = solve_scenario(facts)  # a scenario of its own (contested facts: counters too)
    assert solution.brave
    Sweep(facts).solve({"armed_attack(zqxgangs, kazakhstan)": "established"})  # a batch's shared grounding
    from engine.reasoning.conflict import diagnose

    diagnose(facts)  # the grounding that names conflicting facts
    assert added
    for program in added:
        for name in ("zqx", str(facts.as_of.toordinal())):
            assert name not in program, program[program.index(name) - 200:][:400]


@pytest.mark.parametrize("word", ["not"])
def test_a_name_that_is_a_clingo_word_is_just_a_name(tmp_path: Path, word: str) -> None:
    """`not` is a keyword of clingo's language: as a name in a scenario it is a name like any other,
    and the conclusions are those of any other name."""
    plain = findings(write(tmp_path, BASE, "plain.yaml"), "--explain")
    odd = findings(write(tmp_path, BASE.replace("gangs", word), "odd.yaml"), "--explain")
    assert odd["conclusions"], odd
    assert odd == renamed(plain, "gangs", word)


@pytest.mark.parametrize("word", ["te_true", "te_contested", "te_any"])
def test_the_engines_own_names_are_refused_where_they_stand(tmp_path: Path, word: str) -> None:
    """`te_...` names the engine's own atoms and terms (te_any stands for anything in a derivation):
    a scenario that uses one gets a located error, never a different reading."""
    path = write(tmp_path, BASE.replace("gangs", word), "odd.yaml")
    code, out, err = run("check", str(path), "--timeout", "0", "--max-memory", "0")
    assert (code, out) == (2, "")
    assert f"error: `{word}`: names that start with `te_` are the engine's own\n" in err


def test_a_keyword_name_works_in_what_ifs_expectations_and_why_not(tmp_path: Path) -> None:
    text = BASE.replace("gangs", "not") + (
        # the broad readings of the law taken, so that the attack alone is contested (a group's attack, issue 13)
        "interpretations: {art51_non_state: includes_non_state, cst_aggression_non_state: any_armed_attack}\n"
        "expect:\n"
        "  - {kind: permission, bearer: russia, action: use_force, beneficiary: not, holds: some,\n"
        "     depends_on: ['armed_attack(not, kazakhstan) on 2022-01-05']}\n"
        "variants:\n"
        "  attack_established:\n"
        "    assume: {'armed_attack(not, kazakhstan)': established}\n"
        "    expect:\n"
        "      - {kind: permission, bearer: russia, action: use_force, beneficiary: not, holds: all}\n")
    path = write(tmp_path, text)
    code, out, err = run("test", path)
    assert code == 0, out + err
    doc = findings(path, "--assume", "armed_attack(not, kazakhstan)=established")
    assert {c["holds"] for c in doc["conclusions"]} == {"all"}
    code, out, err = run("explain", path, "--why-not", "obligation(not, provide_assistance, kazakhstan)",
                         "--format", "json")
    assert code == 0, err
    code, out, err = run("explain", path, "un_51_collective/russia/use_force/not/2022-01-05", "--format", "json")
    assert code == 0, err
    assert "armed_attack(not,kazakhstan)" in out.replace(" ", "")


def test_an_error_from_clingo_is_never_swallowed(rules, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A clingo failure that logged nothing is not the user's: it propagates (an internal error)
    instead of a solve on a half-grounded program that finds nothing."""
    loaded = load_scenario(write(tmp_path, BASE))
    facts = scenario_to_facts(loaded, rules)

    def fail(self, *args, **kwargs):
        raise RuntimeError("grounding stopped")

    monkeypatch.setattr(clingo.Control, "ground", fail)
    with pytest.raises(RuntimeError, match="grounding stopped"):
        solve_scenario(facts)
    with pytest.raises(RuntimeError, match="grounding stopped"):
        Sweep(facts)


def test_an_error_clingo_logs_is_a_located_error(rules, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """What clingo says while it fails is reported, located in the rule files, as the user's error."""
    loaded = load_scenario(write(tmp_path, BASE))
    facts = scenario_to_facts(loaded, rules)
    real_add = clingo.Control.add

    def broken(self, *args, **kwargs):
        program = args[-1] if args else kwargs["program"]
        if program.startswith(rules.program.text[:200]):  # the compiled rules: make them fail in clingo
            rule = "te_kind(S,state) :- te_party(S,_,_,_)"
            program = program.replace(rule + ".", rule, 1)  # no full stop: a syntax error
        return real_add(self, *args[:-1], program) if args else real_add(self, kwargs["name"],
                                                                          kwargs["parameters"], program)

    monkeypatch.setattr(clingo.Control, "add", broken)
    for solve in (solve_scenario, Sweep):
        with pytest.raises(TreatyError) as err:
            solve(facts)
        assert err.value.diagnostics[0].span is not None
        assert "clingo: syntax error" in err.value.diagnostics[0].message


# ---- point 10: the ends of the calendar -----------------------------------------------------------------------

def shifted(text: str, days: dict[str, str]) -> str:
    for old, new in days.items():
        text = text.replace(old, new)
    return text


def test_the_last_day_of_the_calendar_is_a_day_like_any_other(tmp_path: Path) -> None:
    """Events on 9999-12-31 give the conclusions they give on any other day (parties without an end
    are parties on it: "no end" lies after the last day, not on it)."""
    last = findings(write(tmp_path, shifted(BASE, {"2022-01-05": "9999-12-31", "2022-01-06": "9999-12-31",
                                                   "2022-01-07": "9999-12-31", "2022-01-20": "9999-12-31",
                                                   "immediately_days: 2": "immediately_days: 0"}), "last.yaml"))
    ids = sorted(c["id"].rsplit("/", 1)[0] for c in last["conclusions"])
    assert ids == ["cst_4_2_assist_2010/russia/provide_assistance/kazakhstan",
                   "un_51_collective/russia/use_force/gangs", "un_51_individual/kazakhstan/use_force/gangs"]
    assert {c["triggered_on"] for c in last["conclusions"]} == {"9999-12-31"}


DISPUTED = BASE.replace("on: 2022-01-05\n    status: alleged", "on: [2022-01-04, 2022-01-05]\n    status: alleged")


@pytest.mark.parametrize("name", ["kazakhstan-2022.yaml", "nato-2001-article5.yaml", "armenia-2022-cst.yaml",
                                  "france-2015-teu-42-7.yaml", "disputed dates"])
def test_symbols_give_what_the_same_program_as_text_gives(rules, name: str, tmp_path: Path) -> None:
    """The scenario through clingo's backend grounds as the same program written out does (clingo
    5.8 lost rule instances over choice atoms added through the backend; facts it grounds alike)."""
    from engine.reasoning.solve import (
        STATUS_PROGRAM,
        _consequences,
        _ground_counters,
        _switch_on_constraints,
        scenario_program,
    )

    path = write(tmp_path, DISPUTED) if name == "disputed dates" else ROOT / "scenarios" / name
    facts = scenario_to_facts(load_scenario(path), rules)
    solution = solve_scenario(facts)
    text, markers = scenario_program(facts)
    ctl = clingo.Control(["--models=0", "--warn=none"])
    ctl.add("base", [], rules.program.text + STATUS_PROGRAM + text)
    ctl.ground([("base", [])])
    if markers:
        _ground_counters(ctl, solution_messages(rules), rules.texts)
    _switch_on_constraints(ctl, facts)
    assert frozenset(_consequences(ctl, "brave", facts)) == solution.brave
    assert frozenset(_consequences(ctl, "cautious", facts)) == solution.cautious


def solution_messages(rules):
    from engine.language.compile import ClingoMessages

    return ClingoMessages(rules.program)


def test_a_number_of_days_with_a_leading_zero_is_decimal(tmp_path: Path) -> None:
    """YAML 1.1 read `010` as 8 (octal); a scenario means ten days."""
    doc = findings(write(tmp_path, BASE.replace("immediately_days: 2", "immediately_days: 010")))
    assert doc["assumptions"]["immediately_days"] == 10


def test_a_conflict_among_facts_that_use_a_keyword_name_is_named(tmp_path: Path) -> None:
    text = (ROOT / "tests" / "golden" / "scenarios_bad" / "established_self_attack.yaml").read_text(encoding="utf-8")
    code, out, err = run("check", write(tmp_path, text.replace("kazakhstan", "not")))
    assert code == 2
    assert "these established facts cannot all hold: they break `un_no_self_attack`" in err
    assert "armed_attack(not, not) on 2022-01-05 (established, source s1)" in err
