"""Contested facts that stand or fall together (`together_with`, issue 15): the Warsaw Pact's four
armies in Czechoslovakia were disputed on one ground, and readings that accepted one army's armed
attack and rejected another's made one invader "another Party" bound to assist against the other."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import run

from engine import evaluate

SOURCES = {"s": {"cite": "test source"}}


def case(tie: bool = True, status: str = "disputed", **extra: object) -> dict:
    follower = {"event": "armed_attack(poland, czechoslovakia)", "on": "1968-08-20", "status": status, "source": "s"}
    if tie:
        follower["together_with"] = "soviet"
    return {"title": "together", "as_of": "1968-08-25", "sources": SOURCES, "events": [
        {"event": "armed_attack(russia, czechoslovakia)", "on": "1968-08-20", "status": "disputed", "source": "s",
         "id": "soviet"},
        follower,
        {"event": "attack_location(czechoslovakia, warsaw_pact_europe)", "on": "1968-08-20", "status": "established",
         "source": "s"}], "interpretations": {"warsaw_attack_by_party": "any_state"}, **extra}


def bearers(f) -> set[str]:
    return {c.bearer for c in f.select("obligation") if c.basis.instrument == "warsaw_pact"}


def test_tied_attacks_leave_no_reading_with_one_invader_bound_against_the_other(rules):
    loose, tied = evaluate(rules, case(tie=False)), evaluate(rules, case())
    # untied, a reading that rejects Russia's attack and accepts Poland's makes Russia bound to assist
    assert {"russia", "poland"} <= bearers(loose)
    assert not {"russia", "poland"} & bearers(tied)
    assert "romania" in bearers(tied)
    assert loose.readings == 2 * tied.readings  # two facts, two readings each, now one question
    # the findings name the fact the other follows, not both
    [romania] = [c for c in tied.select("obligation", bearer="romania") if c.basis.instrument == "warsaw_pact"]
    assert [(d.id, d.accepted) for d in romania.depends_on] == [("soviet", True)]


def test_a_tied_fact_takes_the_status_its_partner_is_assumed_in(rules):
    denied = evaluate(rules, case(), assume={"soviet": "denied"})
    assert bearers(denied) == set()
    established = evaluate(rules, case(), assume={"soviet": "established"})
    assert 2 * established.readings == evaluate(rules, case()).readings and "romania" in bearers(established)


def test_a_variant_run_by_the_sweep_agrees_with_a_check(tmp_path: Path) -> None:
    import yaml

    doc = case()
    doc["variants"] = {"soviet_denied": {"assume": {"soviet": "denied"},
                                         "expect": [{"kind": "obligation", "basis": "warsaw_pact 4", "holds": "none"}]},
                       "soviet_alleged": {"expect": [{"kind": "obligation", "bearer": "poland", "holds": "none"},
                                                     {"kind": "obligation", "bearer": "romania", "holds": "some"}]}}
    s = tmp_path / "t.yaml"
    s.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    code, out, err = run("test", str(s))
    assert (code, err) == (0, ""), out
    assert out.splitlines()[-1] == "2 passed, 0 failed"


@pytest.mark.parametrize(("change", "message", "hint"), [
    ({"together_with": "sovet"}, "no fact or event `sovet` to stand or fall with", "did you mean `soviet`?"),
    ({"together_with": "poland_attack", "id": "poland_attack"}, "`poland_attack` cannot stand or fall with itself",
     "name another fact's id"),
    ({"status": "alleged"}, "`armed_attack(poland, czechoslovakia)` stands or falls with `soviet`, whose status is "
                            "disputed, but its own is alleged",
     "give both the same status (a fact that stands or falls with another takes its status)"),
])
def test_a_wrong_tie_is_a_located_error(tmp_path: Path, change: dict, message: str, hint: str) -> None:
    import yaml

    doc = case()
    doc["events"][1].update(change)
    s = tmp_path / "t.yaml"
    s.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    code, out, err = run("check", str(s))
    assert (code, out) == (2, "")
    assert f"error: {message}" in err.splitlines()[0] and f"  hint: {hint}" in err.splitlines()


def test_assuming_the_follower_is_refused_with_the_fact_to_assume(tmp_path: Path) -> None:
    import yaml

    s = tmp_path / "t.yaml"
    s.write_text(yaml.safe_dump(case(), sort_keys=False), encoding="utf-8")
    code, _, err = run("check", str(s), "--assume", "armed_attack(poland, czechoslovakia)=denied")
    assert code == 2
    assert err.splitlines()[0] == ("error: --assume: `armed_attack(poland, czechoslovakia)` stands or falls with "
                                   "`soviet` (together_with)")
    assert "  hint: assume `soviet` instead: both follow it" in err.splitlines()
