"""The compiled ANZUS and US-Japan rules, each file loaded alone, grounded by clingo over hand-written facts."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from helpers import atoms_named, bound, conclusions, fact, solve

from engine import Rules, load_rules

ROOT = Path(__file__).resolve().parent.parent

ANZUS_ACT = "act_to_meet_common_danger(constitutional_processes)"
JAPAN_ACT = "act_to_meet_common_danger(constitutional_provisions_and_processes)"
ATTACKER = fact("te_kind", "aggressor", "group")
# an attack by a non-state group engages these clauses (which take Article 51's meaning) only on the
# includes_non_state reading of art51_non_state (open in the rule base): these tests take it
NON_STATE = fact("te_position", "art51_non_state", "includes_non_state")


@pytest.fixture(scope="module")
def anzus() -> Rules:
    return load_rules(ROOT / "rules" / "anzus.rules")


@pytest.fixture(scope="module")
def japan() -> Rules:
    return load_rules(ROOT / "rules" / "us_japan_treaty.rules")


def attack(victim: str, area: str | None, day: date) -> list:
    facts = [ATTACKER, NON_STATE, fact("armed_attack", "aggressor", victim, day)]
    if area is not None:
        facts.append(fact("attack_location", victim, area, day))
    return facts


def by_rule(atoms, name: str) -> set[tuple[str, ...]]:
    """(rule, bearer, action, counterparty) of the te_ atoms with this name (te_due, te_discharged, te_until)."""
    return {tuple(str(x) for x in a.arguments[:4]) for a in atoms_named(atoms, name)}


def treaty_rules(atoms, prefix: str) -> set[str]:
    return {c[1] for c in conclusions(atoms) if c[1].startswith(prefix)}


# ---- ANZUS ---------------------------------------------------------------------------------------

def test_each_file_loads_alone_with_its_own_instrument(anzus, japan):
    assert set(anzus.base.instruments) == {"anzus", "un_charter"}
    assert set(japan.base.instruments) == {"us_japan_treaty", "un_charter"}
    anzus_parties = {(p.entity, p.joined, p.left) for p in anzus.base.parties if p.instrument == "anzus"}
    # the 1986 US suspension is political: New Zealand's membership does not end
    assert anzus_parties == {(s, date(1952, 4, 29), None) for s in ("australia", "new_zealand", "united_states")}
    japan_parties = {(p.entity, p.joined, p.left) for p in japan.base.parties if p.instrument == "us_japan_treaty"}
    assert japan_parties == {(s, date(1960, 6, 23), None) for s in ("japan", "united_states")}


def test_anzus_pacific_attack_on_australia_obliges_new_zealand_and_the_united_states(anzus):
    d = date(2024, 3, 1)
    atoms = solve(anzus, attack("australia", "pacific_area", d))
    acts = conclusions(atoms, "obligation", "anzus_iv_act")
    assert acts == {("obligation", "anzus_iv_act", s, ANZUS_ACT, "australia", d)
                    for s in ("new_zealand", "united_states")}
    # not Australia itself, and no non-party (no other UN Member is bound by anything)
    assert {c[2] for c in conclusions(atoms, "obligation")} == {"new_zealand", "united_states"}
    assert [str(a) for a in atoms_named(atoms, "anzus_armed_attack_in_pacific_area")] == [
        f"anzus_armed_attack_in_pacific_area(australia,{d.toordinal()})"]
    # no deadline is set for acting; the attacked Party keeps its own right under Article 51
    assert ("anzus_iv_act", "new_zealand", ANZUS_ACT, "australia") not in by_rule(atoms, "te_due")
    assert ("permission", "un_51_individual", "australia", "use_force", "aggressor", d) in conclusions(atoms)


def test_anzus_attack_on_a_non_party_in_the_pacific_engages_nothing(anzus):
    atoms = solve(anzus, attack("fiji", "pacific_area", date(2024, 3, 1)))
    assert treaty_rules(atoms, "anzus_") == set()
    assert atoms_named(atoms, "anzus_armed_attack_in_pacific_area") == []


def test_anzus_attack_outside_the_pacific_area_engages_nothing(anzus):
    d = date(2024, 3, 1)
    for area in ("middle_east", "europe", "japan_administered_territory", None):
        atoms = solve(anzus, attack("australia", area, d))
        assert treaty_rules(atoms, "anzus_") == set(), area
        assert atoms_named(atoms, "anzus_armed_attack_in_pacific_area") == [], area
        # the UN Charter still gives Australia its own right of self-defence
        assert {c[1] for c in conclusions(atoms)} == {"un_51_individual"}, area


def test_anzus_binds_only_from_its_entry_into_force(anzus):
    before = solve(anzus, attack("australia", "pacific_area", date(1952, 4, 28)))
    on_the_day = solve(anzus, attack("australia", "pacific_area", date(1952, 4, 29)))
    assert bound(before, "anzus_iv_act") == set()
    assert bound(on_the_day, "anzus_iv_act") == {("new_zealand", "australia"), ("united_states", "australia")}


def test_anzus_article_v_metropolitan_territory_and_pacific_island_territories(anzus):
    d = date(2001, 9, 11)
    metropolitan = solve(anzus, attack("united_states", "metropolitan_territory", d))
    assert bound(metropolitan, "anzus_iv_act") == {("australia", "united_states"), ("new_zealand", "united_states")}
    islands = solve(anzus, attack("new_zealand", "pacific_island_territory", d))
    assert bound(islands, "anzus_iv_act") == {("australia", "new_zealand"), ("united_states", "new_zealand")}


def test_anzus_measures_create_the_report_and_informing_the_security_council_discharges_it(anzus):
    d, measures, report = date(2024, 3, 1), date(2024, 3, 2), date(2024, 3, 3)
    facts = attack("australia", "pacific_area", d) + [
        fact("measures_taken", "united_states", "australia", "anzus_article_iv", measures)]
    atoms = solve(anzus, facts)
    notes = conclusions(atoms, "notification", "anzus_iv_report_measures")
    assert notes == {("notification", "anzus_iv_report_measures", "united_states", "report_measures",
                      "un_security_council", measures)}
    assert ("anzus_iv_report_measures", "united_states", "report_measures", "un_security_council") in \
        by_rule(atoms, "te_due")
    # the measures are acting to meet the common danger: the United States' undertaking is discharged
    assert by_rule(atoms, "te_discharged") == {("anzus_iv_act", "united_states", ANZUS_ACT, "australia")}
    informed = solve(anzus, facts + [fact("informed", "united_states", "un_security_council", "measures", report)])
    got = {(str(a.arguments[0]), a.arguments[5].number) for a in atoms_named(informed, "te_discharged")}
    assert ("anzus_iv_report_measures", report.toordinal()) in got
    # a report by another Party does not discharge the United States' duty
    other = solve(anzus, facts + [fact("informed", "new_zealand", "un_security_council", "measures", report)])
    assert "anzus_iv_report_measures" not in {c[0] for c in by_rule(other, "te_discharged")}


def test_anzus_measures_on_another_basis_create_no_anzus_report(anzus):
    atoms = solve(anzus, [fact("measures_taken", "united_states", "australia", "self_defence", date(2024, 3, 2))])
    assert {c[1] for c in conclusions(atoms, "notification")} == {"un_51_report"}


def test_anzus_the_attack_itself_is_reported_by_the_parties(anzus):
    d = date(2024, 3, 1)
    atoms = solve(anzus, attack("australia", "pacific_area", d))
    notes = conclusions(atoms, "notification", "anzus_iv_report_attack")
    assert {(c[2], c[3], c[4]) for c in notes} == {
        (s, "report_armed_attack", "un_security_council") for s in ("australia", "new_zealand", "united_states")}
    reported = solve(anzus, attack("australia", "pacific_area", d) + [
        fact("informed", "australia", "un_security_council", "armed_attack", d)])
    assert {(c[0], c[1]) for c in by_rule(reported, "te_discharged")} == {
        ("anzus_iv_report_attack", s) for s in ("australia", "new_zealand", "united_states")}


def test_anzus_obligation_ends_when_the_security_council_takes_measures(anzus):
    d, sc = date(2024, 3, 1), date(2024, 3, 10)
    atoms = solve(anzus, attack("australia", "pacific_area", d)
                  + [fact("security_council_measures_superseding", "australia", sc)])
    until = {(str(a.arguments[0]), str(a.arguments[1]), a.arguments[5].number) for a in atoms_named(atoms, "te_until")}
    assert {u for u in until if u[0] == "anzus_iv_act"} == {
        ("anzus_iv_act", "new_zealand", sc.toordinal()), ("anzus_iv_act", "united_states", sc.toordinal())}
    # Security Council measures about another state, or before the attack, end nothing
    other = solve(anzus, attack("australia", "pacific_area", d)
                  + [fact("security_council_measures_superseding", "fiji", sc)])
    assert "anzus_iv_act" not in {c[0] for c in by_rule(other, "te_until")}
    earlier = solve(anzus, attack("australia", "pacific_area", d) + [
        fact("security_council_measures_superseding", "australia", date(2024, 2, 1))])
    assert "anzus_iv_act" not in {c[0] for c in by_rule(earlier, "te_until")}


def test_anzus_us_suspension_towards_new_zealand_is_a_stated_fact_not_an_end_of_membership(anzus):
    d = date(1999, 5, 1)
    suspended = fact("anzus_obligations_suspended", "united_states", "new_zealand")
    without = solve(anzus, attack("new_zealand", "pacific_area", d))
    assert bound(without, "anzus_iv_act") == {("australia", "new_zealand"), ("united_states", "new_zealand")}
    with_it = solve(anzus, [suspended] + attack("new_zealand", "pacific_area", d))
    assert bound(with_it, "anzus_iv_act") == {("australia", "new_zealand")}
    assert "united_states" not in {c[2] for c in conclusions(with_it, rule="anzus_iv_report_attack")}
    # it suspends only the United States' obligations towards New Zealand: New Zealand is still bound
    on_us = solve(anzus, [suspended] + attack("united_states", "metropolitan_territory", d))
    assert bound(on_us, "anzus_iv_act") == {("australia", "united_states"), ("new_zealand", "united_states")}


# ---- US-Japan Treaty -----------------------------------------------------------------------------

def test_japan_attack_on_japan_in_japan_administered_territory_obliges_both(japan):
    d = date(2024, 3, 1)
    atoms = solve(japan, attack("japan", "japan_administered_territory", d))
    assert conclusions(atoms, "obligation") == {
        ("obligation", "japan_v_act", s, JAPAN_ACT, "japan", d) for s in ("japan", "united_states")}


def test_japan_attack_on_united_states_forces_in_japan_administered_territory_obliges_both(japan):
    d = date(2024, 3, 1)
    atoms = solve(japan, attack("united_states", "japan_administered_territory", d))
    assert bound(atoms, "japan_v_act") == {("japan", "united_states"), ("united_states", "united_states")}


def test_japan_attack_on_united_states_outside_that_territory_obliges_nobody(japan):
    d = date(2024, 3, 1)
    for area in ("pacific_area", "metropolitan_territory", "europe", None):
        atoms = solve(japan, attack("united_states", area, d))
        assert conclusions(atoms, "obligation") == set(), area
        assert treaty_rules(atoms, "japan_") == set(), area


def test_japan_attack_on_a_non_party_in_that_territory_obliges_nobody(japan):
    atoms = solve(japan, attack("france", "japan_administered_territory", date(2024, 3, 1)))
    assert treaty_rules(atoms, "japan_") == set()


def test_japan_binds_only_from_its_entry_into_force(japan):
    before = solve(japan, attack("japan", "japan_administered_territory", date(1960, 6, 22)))
    on_the_day = solve(japan, attack("japan", "japan_administered_territory", date(1960, 6, 23)))
    assert bound(before, "japan_v_act") == set()
    assert bound(on_the_day, "japan_v_act") == {("japan", "japan"), ("united_states", "japan")}


def test_japan_reports_to_the_security_council_in_accordance_with_article_51(japan):
    d, measures, report = date(2024, 3, 1), date(2024, 3, 2), date(2024, 3, 2)
    facts = attack("japan", "japan_administered_territory", d) + [
        fact("measures_taken", "united_states", "japan", "us_japan_treaty_article_v", measures)]
    atoms = solve(japan, facts)
    assert conclusions(atoms, "notification", "japan_v_report_measures") == {
        ("notification", "japan_v_report_measures", "united_states", "report_measures", "un_security_council",
         measures)}
    assert {c[2] for c in conclusions(atoms, "notification", "japan_v_report_attack")} == {"japan", "united_states"}
    assert {c[0] for c in by_rule(atoms, "te_discharged")} == {"japan_v_act"}
    informed = solve(japan, facts + [fact("informed", "united_states", "un_security_council", "measures", report),
                                     fact("informed", "japan", "un_security_council", "armed_attack", d)])
    assert {(c[0], c[1]) for c in by_rule(informed, "te_discharged")} == {
        ("japan_v_act", "united_states"), ("japan_v_report_measures", "united_states"),
        ("japan_v_report_attack", "japan"), ("japan_v_report_attack", "united_states")}
    refs = {(r, ref.instrument, ref.article) for r, rule in japan.base.rules.items() for ref in rule.references}
    assert {r for r in refs if r[0].startswith("japan_")} == {
        ("japan_v_report_attack", "un_charter", "51"), ("japan_v_report_measures", "un_charter", "51")}


def test_japan_obligation_ends_when_the_security_council_takes_measures(japan):
    d, sc = date(2024, 3, 1), date(2024, 3, 10)
    atoms = solve(japan, attack("japan", "japan_administered_territory", d) + [
        fact("security_council_measures_superseding", "japan", sc)])
    until = {(str(a.arguments[0]), str(a.arguments[1]), a.arguments[5].number) for a in atoms_named(atoms, "te_until")}
    assert {u for u in until if u[0] == "japan_v_act"} == {
        ("japan_v_act", "japan", sc.toordinal()), ("japan_v_act", "united_states", sc.toordinal())}
