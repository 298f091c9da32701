"""The compiled North Atlantic Treaty rules (with the UN Charter they include), grounded by clingo over small
hand-written fact sets."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from helpers import atoms_named, conclusions, fact, solve

from engine import Rules, load_rules

ROOT = Path(__file__).resolve().parent.parent
NAT = "north_atlantic_treaty"
ASSIST = "assist(action_it_deems_necessary)"

FOUNDERS = ["belgium", "canada", "denmark", "france", "iceland", "italy", "luxembourg", "netherlands", "norway",
            "portugal", "united_kingdom", "united_states"]
JOINED = {s: date(1949, 8, 24) for s in FOUNDERS} | {
    "greece": date(1952, 2, 18), "turkiye": date(1952, 2, 18), "germany": date(1955, 5, 6), "spain": date(1982, 5, 30),
    "czechia": date(1999, 3, 12), "hungary": date(1999, 3, 12), "poland": date(1999, 3, 12),
    **{s: date(2004, 3, 29) for s in ["bulgaria", "estonia", "latvia", "lithuania", "romania", "slovakia", "slovenia"]},
    "albania": date(2009, 4, 1), "croatia": date(2009, 4, 1), "montenegro": date(2017, 6, 5),
    "north_macedonia": date(2020, 3, 27), "finland": date(2023, 4, 4), "sweden": date(2024, 3, 7)}
AREAS_IN = ["europe", "north_america", "turkey", "north_atlantic_islands_north_of_tropic_of_cancer",
            "north_atlantic_north_of_tropic_of_cancer", "mediterranean_sea", "europe_1949_occupation_area"]
AREAS_OUT = ["pacific", "south_atlantic", "africa", "asia", "europe_outside_article_6",
             "north_atlantic_south_of_tropic"]
SEPT_11 = date(2001, 9, 11)


@pytest.fixture(scope="module")
def nato() -> Rules:
    """Only the North Atlantic Treaty file (which includes un_charter.rules), loaded once for this module."""
    return load_rules(ROOT / "rules" / "north_atlantic_treaty.rules")


def parties_on(day: date) -> set[str]:
    return {s for s, joined in JOINED.items() if joined <= day}


def attack(victim: str, area: str, day: date, attacker: str = "al_qaeda") -> list:
    facts = [fact("armed_attack", attacker, victim, day), fact("attack_location", victim, area, day)]
    if attacker == "al_qaeda":
        # an attack by a non-state group engages Article 5 (which takes Article 51's meaning) only on the
        # includes_non_state reading of art51_non_state (open in the rule base): these tests take it
        facts += [fact("te_kind", "al_qaeda", "group"), fact("te_position", "art51_non_state", "includes_non_state")]
    if attacker == "x":  # an unnamed attacking state
        facts.append(fact("te_kind", "x", "state"))
    return facts


def assisting(atoms) -> set[tuple[str, str]]:
    """(bearer, attacked Party) of every Article 5 assistance obligation."""
    return {(c[2], c[4]) for c in conclusions(atoms, "obligation", "nato_5_assist")}


def days(atoms, name: str, rule: str) -> set[tuple[str, date]]:
    """(bearer, day) of the te_discharged / te_until atoms of one rule."""
    return {(str(a.arguments[1]), date.fromordinal(a.arguments[5].number))
            for a in atoms_named(atoms, name) if str(a.arguments[0]) == rule}


def test_the_party_list_has_the_32_members_with_their_dates(nato):
    listed = {(p.entity, p.joined, p.left) for p in nato.base.parties if p.instrument == NAT}
    assert listed == {(s, d, None) for s, d in JOINED.items()}
    un_members = {p.entity for p in nato.base.parties if p.instrument == "un_charter"}
    assert set(JOINED) <= un_members  # the same entity ids as the Charter's list


def test_an_attack_on_a_party_in_north_america_obliges_every_other_party_and_nobody_else(nato):
    atoms = solve(nato, attack("united_states", "north_america", SEPT_11))
    assert [str(a) for a in atoms_named(atoms, "nato_attack_against_all")] == [
        f"nato_attack_against_all(united_states,{SEPT_11.toordinal()})"]
    obliged = assisting(atoms)
    assert obliged == {(s, "united_states") for s in parties_on(SEPT_11) - {"united_states"}}
    assert len(obliged) == 18  # the 19 Parties of 2001 less the victim: not Finland, Sweden, the 2004 seven, ...
    assert not {"russia", "ukraine", "austria", "finland", "estonia", "al_qaeda"} & {b for b, _ in obliged}
    # the means are left to each Party: one action term, no deadline, under UN Charter Article 51
    assert {c[3] for c in conclusions(atoms, "obligation", "nato_5_assist")} == {ASSIST}
    assert [a for a in atoms_named(atoms, "te_due") if str(a.arguments[0]) == "nato_5_assist"] == []


def test_a_state_is_bound_only_from_the_day_it_joined(nato):
    before = solve(nato, attack("norway", "europe", date(2023, 4, 3), attacker="russia"))
    on_the_day = solve(nato, attack("norway", "europe", date(2023, 4, 4), attacker="russia"))
    assert ("finland", "norway") not in assisting(before)
    assert ("finland", "norway") in assisting(on_the_day)
    assert ("sweden", "norway") not in assisting(on_the_day)  # Sweden joined on 2024-03-07
    assert {b for b, _ in assisting(on_the_day)} == parties_on(date(2023, 4, 4)) - {"norway"}
    # Germany was bound from 6 May 1955
    assert ("germany", "norway") not in assisting(solve(nato, attack("norway", "europe", date(1955, 5, 5), "x")))
    assert ("germany", "norway") in assisting(solve(nato, attack("norway", "europe", date(1955, 5, 6), "x")))


def test_an_attack_on_a_state_before_it_joined_or_on_a_non_party_engages_no_one(nato):
    assert assisting(solve(nato, attack("finland", "europe", date(2023, 4, 3), attacker="russia"))) == set()
    joined = assisting(solve(nato, attack("finland", "europe", date(2023, 4, 4), attacker="russia")))
    assert {b for b, v in joined if v == "finland"} == parties_on(date(2023, 4, 4)) - {"finland"}
    ukraine = solve(nato, attack("ukraine", "europe", date(2022, 2, 24), "russia"))
    assert atoms_named(ukraine, "nato_attack_against_all") == []
    assert assisting(ukraine) == set()


@pytest.mark.parametrize("area", AREAS_IN)
def test_an_attack_in_the_article_6_area_is_an_attack_against_all(nato, area):
    victim = "turkiye" if area == "turkey" else "united_kingdom"
    atoms = solve(nato, attack(victim, area, date(2015, 6, 1)))
    assert len(atoms_named(atoms, "nato_attack_against_all")) == 1
    assert {v for _, v in assisting(atoms)} == {victim}


@pytest.mark.parametrize("area", AREAS_OUT)
def test_an_attack_outside_the_article_6_area_engages_no_article_5_obligation(nato, area):
    atoms = solve(nato, attack("united_states", area, SEPT_11))
    assert atoms_named(atoms, "nato_attack_against_all") == []
    assert conclusions(atoms, rule="nato_5_assist") == set()
    assert conclusions(atoms, rule="nato_5_report_attack") == set()
    # the attacked Party keeps its own right of self-defence under the Charter
    assert {c[1] for c in conclusions(atoms, "permission")} == {"un_51_individual"}


def test_an_attack_without_a_stated_location_engages_no_article_5_obligation(nato):
    atoms = solve(nato, [fact("armed_attack", "x", "united_states", SEPT_11)])
    assert atoms_named(atoms, "nato_attack_against_all") == []
    assert assisting(atoms) == set()


def test_the_algerian_departments_count_only_until_3_july_1962(nato):
    in_1960 = solve(nato, attack("france", "algerian_departments_of_france", date(1960, 1, 1), "x"))
    in_1963 = solve(nato, attack("france", "algerian_departments_of_france", date(1963, 1, 1), "x"))
    assert {v for _, v in assisting(in_1960)} == {"france"}
    assert assisting(in_1963) == set()
    assert assisting(solve(nato, attack("france", "algerian_departments_of_france", date(1962, 7, 2), "x")))
    assert not assisting(solve(nato, attack("france", "algerian_departments_of_france", date(1962, 7, 3), "x")))


def test_measures_under_article_5_must_be_reported_and_informing_the_security_council_discharges(nato):
    d = date(2001, 10, 4)
    measures = [fact("measures_taken", "germany", "united_states", "nato_article_5", d)]
    atoms = solve(nato, measures)
    assert conclusions(atoms, "notification") == {
        ("notification", "nato_5_report_measures", "germany", "report_measures", "un_security_council", d)}
    assert {(str(a.arguments[0]), str(a.arguments[5])) for a in atoms_named(atoms, "te_due")} == {
        ("nato_5_report_measures", "immediately")}
    assert atoms_named(atoms, "te_discharged") == []
    report = fact("informed", "germany", "un_security_council", "measures", date(2001, 10, 5))
    informed = solve(nato, measures + [report])
    assert days(informed, "te_discharged", "nato_5_report_measures") == {("germany", date(2001, 10, 5))}
    # a report dated before the measures does not discharge, nor does a report by another Party
    early = solve(nato, measures + [fact("informed", "germany", "un_security_council", "measures", date(2001, 10, 3)),
                                    fact("informed", "france", "un_security_council", "measures", d)])
    assert atoms_named(early, "te_discharged") == []


def test_measures_on_another_basis_create_no_article_5_notification(nato):
    atoms = solve(nato, [fact("measures_taken", "united_states", "united_states", "self_defence", date(2001, 10, 7))])
    assert {c[1] for c in conclusions(atoms, "notification")} == {"un_51_report"}
    # nor do measures by a state that is not a Party
    other = solve(nato, [fact("measures_taken", "australia", "united_states", "nato_article_5", date(2001, 10, 7))])
    assert conclusions(other, "notification") == set()


def test_the_attack_itself_is_reported_by_the_attacked_party(nato):
    facts = attack("united_states", "north_america", SEPT_11)
    atoms = solve(nato, facts)
    assert conclusions(atoms, "notification", "nato_5_report_attack") == {
        ("notification", "nato_5_report_attack", "united_states", "report_armed_attack", "un_security_council",
         SEPT_11)}
    letter = solve(nato, facts + [fact("informed", "united_states", "un_security_council", "armed_attack",
                                       date(2001, 10, 7))])
    assert days(letter, "te_discharged", "nato_5_report_attack") == {("united_states", date(2001, 10, 7))}


def test_assistance_is_discharged_by_measures_under_article_5(nato):
    atoms = solve(nato, attack("united_states", "north_america", SEPT_11) + [
        fact("measures_taken", "united_kingdom", "united_states", "nato_article_5", date(2001, 10, 7)),
        fact("measures_taken", "france", "united_states", "self_defence", date(2001, 10, 7))])
    assert days(atoms, "te_discharged", "nato_5_assist") == {("united_kingdom", date(2001, 10, 7))}


def test_the_assistance_obligation_ends_when_the_security_council_takes_measures(nato):
    sc = date(2001, 9, 28)
    atoms = solve(nato, attack("united_states", "north_america", SEPT_11)
                  + [fact("security_council_measures_superseding", "united_states", sc)])
    ended = days(atoms, "te_until", "nato_5_assist")
    assert ended == {(s, sc) for s in parties_on(SEPT_11) - {"united_states"}}
    # measures about another state, or dated before the attack, end nothing
    other = solve(nato, attack("united_states", "north_america", SEPT_11)
                  + [fact("security_council_measures_superseding", "afghanistan", sc),
                     fact("security_council_measures_superseding", "united_states", date(2001, 9, 10)),
                     # on the default reading (effective_or_intended_measures), measures that do not
                     # restore peace or replace self-defence end nothing either
                     fact("security_council_measures", "united_states", sc)])
    assert days(other, "te_until", "nato_5_assist") == set()
    assert len(assisting(other)) == 18


def test_measures_taken_must_be_terminated_when_the_security_council_acts(nato):
    d, sc = date(2001, 10, 4), date(2001, 12, 20)
    measures = [fact("measures_taken", "italy", "united_states", "nato_article_5", d)]
    assert conclusions(solve(nato, measures), "obligation") == set()
    atoms = solve(nato, measures + [fact("security_council_measures_superseding", "united_states", sc)])
    assert conclusions(atoms, "obligation") == {
        ("obligation", "nato_5_terminate", "italy", "terminate_measures", "united_states", sc)}
    ended = solve(nato, measures + [fact("security_council_measures_superseding", "united_states", sc),
                                    fact("nato_measures_terminated", "italy", "united_states", date(2002, 1, 10))])
    assert days(ended, "te_discharged", "nato_5_terminate") == {("italy", date(2002, 1, 10))}


def test_article_4_every_party_consults_when_one_considers_a_party_threatened(nato):
    d = date(2022, 2, 24)
    atoms = solve(nato, [fact("nato_consultation_requested", "poland", "poland", d)])
    consult = conclusions(atoms, "obligation", "nato_4_consult")
    assert {c[2] for c in consult} == parties_on(d)  # the requesting Party consults too; not Finland or Sweden
    assert {(c[3], c[4], c[5]) for c in consult} == {("consult_together", "poland", d)}
    assert atoms_named(atoms, "te_due") == []  # the text sets no deadline
    held = solve(nato, [fact("nato_consultation_requested", "poland", "estonia", d),
                        fact("nato_consultations_held", "estonia", d)])
    assert {c[4] for c in conclusions(held, "obligation", "nato_4_consult")} == {"estonia"}
    assert {b for b, _ in days(held, "te_discharged", "nato_4_consult")} == parties_on(d)


def test_article_4_needs_a_party_of_that_opinion_and_a_threatened_party(nato):
    d = date(2022, 2, 24)
    by_non_party = solve(nato, [fact("nato_consultation_requested", "ukraine", "ukraine", d)])
    about_non_party = solve(nato, [fact("nato_consultation_requested", "poland", "ukraine", d)])
    before_joining = solve(nato, [fact("nato_consultation_requested", "finland", "finland", date(2023, 4, 3))])
    for atoms in (by_non_party, about_non_party, before_joining):
        assert conclusions(atoms, "obligation") == set()
    after_joining = solve(nato, [fact("nato_consultation_requested", "finland", "finland", date(2023, 4, 4))])
    assert "finland" in {c[2] for c in conclusions(after_joining, "obligation", "nato_4_consult")}
