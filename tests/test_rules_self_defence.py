"""No self-defence against self-defence (issue 15, rules/un_charter.rules un_51_answers_armed_attack and
un_51_answers_attack_on_another), within the right's time, and necessity (customary_law.rules)."""

from __future__ import annotations

from engine import evaluate


def case(*events: tuple[str, str], **extra: object) -> dict:
    return {"title": "self-defence", "as_of": "2016-12-31", "sources": {"s": {"cite": "test source"}},
            "events": [{"event": e, "on": d, "status": "established", "source": "s",
                        "id": f"e{i}"} for i, (e, d) in enumerate(events)], **extra}


def rights(f, bearer: str) -> set[tuple[str, str]]:
    return {(c.beneficiary, c.basis.rule) for c in f.select("permission", bearer=bearer) if c.action == "use_force"}


def test_the_attacker_has_no_right_against_the_victims_response(rules):
    f = evaluate(rules, case(("armed_attack(latvia, estonia)", "2015-01-01"),
                                    ("armed_attack(estonia, latvia)", "2015-01-02")))
    assert rights(f, "latvia") == set()
    assert rights(f, "estonia") == {("latvia", "un_51_individual")}


def test_nor_against_a_helper_the_victim_asked(rules):
    """Collective self-defence is self-defence too: the attacker gets no right against the helper."""
    f = evaluate(rules, case(("armed_attack(latvia, estonia)", "2015-01-01"),
                                    ("requested(estonia, finland, military_assistance)", "2015-01-02"),
                                    ("armed_attack(finland, latvia)", "2015-01-03")))
    assert rights(f, "latvia") == set()
    assert ("latvia", "un_51_collective") in rights(f, "finland")


def test_once_the_council_has_acted_a_later_attack_by_the_victim_is_no_response(rules):
    f = evaluate(rules, case(("armed_attack(latvia, estonia)", "2000-01-01"),
                                    ("security_council_measures_superseding(estonia)", "2000-02-01"),
                                    ("armed_attack(estonia, latvia)", "2015-01-01")))
    assert rights(f, "latvia") == {("estonia", "un_51_individual")}


def test_a_response_beyond_necessity_is_prohibited_and_is_no_longer_self_defence(rules):
    f = evaluate(rules, case(("armed_attack(latvia, estonia)", "2015-01-01"),
                                    ("armed_attack(estonia, latvia)", "2015-01-02"),
                                    ("uses_force(estonia, latvia)", "2015-01-02"),
                                    ("exceeds_self_defence(estonia, latvia)", "2015-01-02")))
    assert {c.basis.rule for c in f.select("prohibition", bearer="estonia")} == {"cil_beyond_self_defence"}
    assert rights(f, "latvia") == {("estonia", "un_51_individual")}  # the excess is an armed attack, as stated


def test_an_established_fact_tied_to_one_not_yet_due_may_not_hold_yet(rules):
    doc = case(("armed_attack(latvia, estonia)", "2015-01-01"), ("armed_attack(lithuania, estonia)", "2015-01-01"))
    doc["as_of"] = "2015-01-01"
    doc["events"][0]["on"] = ["2015-01-01", "2015-02-01"]  # one date after the as-of date: maybe not yet
    doc["events"][1]["together_with"] = "e0"
    f = evaluate(rules, doc)
    held = {c.beneficiary: c.holds for c in f.select("permission", bearer="estonia")}
    assert held == {"latvia": "some", "lithuania": "some"}  # together, not one in every reading

