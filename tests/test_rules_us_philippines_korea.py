"""The compiled US-Philippines and US-Korea Mutual Defense Treaty rules, each file loaded alone, grounded by
clingo over hand-written facts."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from helpers import atoms_named, bound, conclusions, fact, run, solve

# the same attack facts (by a non-state group, on the includes_non_state reading of art51_non_state) and
# readers of the te_ atoms as the ANZUS and US-Japan tests
from test_rules_anzus_japan import attack, by_rule, treaty_rules

from engine import Rules, load_rules

ROOT = Path(__file__).resolve().parent.parent

ACT = "act_to_meet_common_danger(constitutional_processes)"
ADMINISTERED = "us_korea_territory_administered_1953"
RECOGNIZED = "us_korea_territory_recognized"


@pytest.fixture(scope="module")
def philippines() -> Rules:
    return load_rules(ROOT / "rules" / "us_philippines_treaty.rules")


@pytest.fixture(scope="module")
def korea() -> Rules:
    return load_rules(ROOT / "rules" / "us_korea_treaty.rules")


def until(atoms, rule: str) -> set[tuple[str, int]]:
    return {(str(a.arguments[1]), a.arguments[5].number) for a in atoms_named(atoms, "te_until")
            if str(a.arguments[0]) == rule}


# ---- both files ----------------------------------------------------------------------------------

def test_each_file_loads_with_its_own_instrument_and_dated_parties(philippines, korea):
    # the Philippines file includes anzus.rules for the Pacific areas it shares with ANZUS Article V
    assert set(philippines.base.instruments) == {"us_philippines_treaty", "anzus", "un_charter"}
    assert set(korea.base.instruments) == {"us_korea_treaty", "un_charter"}
    ph = {(p.entity, p.joined, p.left) for p in philippines.base.parties if p.instrument == "us_philippines_treaty"}
    assert ph == {(s, date(1952, 8, 27), None) for s in ("philippines", "united_states")}
    kr = {(p.entity, p.joined, p.left) for p in korea.base.parties if p.instrument == "us_korea_treaty"}
    assert kr == {(s, date(1954, 11, 17), None) for s in ("south_korea", "united_states")}
    assert philippines.base.instruments["us_philippines_treaty"].aliases == ("us_philippines", "us_philippines_mdt")
    assert korea.base.instruments["us_korea_treaty"].aliases == ("us_korea", "us_rok_mdt")


def test_the_files_lint_and_show_by_alias():
    for name, alias, heading in (("us_philippines_treaty", "us_philippines", "Article V"),
                                 ("us_korea_treaty", "us_korea", "Article III")):
        path = str(ROOT / "rules" / f"{name}.rules")
        code, out, err = run("lint", path)
        assert code == 0, out + err
        assert "no problems" in out + err
        code, out, err = run("show", "--rules", path, alias)
        assert code == 0, err
        assert heading in out


# ---- US-Philippines Mutual Defense Treaty --------------------------------------------------------

def test_philippines_attack_in_the_pacific_area_binds_the_other_party(philippines):
    d = date(2024, 3, 1)
    atoms = solve(philippines, attack("philippines", "pacific_area", d))
    assert conclusions(atoms, "obligation", "us_philippines_iv_act") == {
        ("obligation", "us_philippines_iv_act", "united_states", ACT, "philippines", d)}
    # the Philippines itself keeps its inherent right under Article 51; nothing else binds anyone
    assert {c[2] for c in conclusions(atoms, "obligation")} == {"united_states"}
    assert ("permission", "un_51_individual", "philippines", "use_force", "aggressor", d) in conclusions(atoms)
    assert ("us_philippines_iv_act", "united_states", ACT, "philippines") not in by_rule(atoms, "te_due")
    # the Philippines is no ANZUS party: anzus.rules, included for its vocabulary, concludes nothing
    assert treaty_rules(atoms, "anzus_") == set()


def test_philippines_article_v_metropolitan_territory_islands_and_forces(philippines):
    d = date(2024, 3, 1)
    # an attack on United States metropolitan territory, wherever it lies, binds the Philippines
    metropolitan = solve(philippines, attack("united_states", "metropolitan_territory", d))
    assert bound(metropolitan, "us_philippines_iv_act") == {("philippines", "united_states")}
    islands = solve(philippines, attack("united_states", "pacific_island_territory", d))
    assert bound(islands, "us_philippines_iv_act") == {("philippines", "united_states")}
    # an attack on Philippine armed forces, public vessels or aircraft in the Pacific is stated in pacific_area
    forces = solve(philippines, attack("philippines", "pacific_area", d))
    assert bound(forces, "us_philippines_iv_act") == {("united_states", "philippines")}
    assert [str(a) for a in atoms_named(forces, "us_philippines_armed_attack_in_pacific_area")] == [
        f"us_philippines_armed_attack_in_pacific_area(philippines,{d.toordinal()})"]


def test_philippines_attack_outside_the_pacific_engages_nothing(philippines):
    d = date(2024, 3, 1)
    for area in ("europe", "middle_east", "japan_administered_territory", None):
        atoms = solve(philippines, attack("united_states", area, d))
        assert treaty_rules(atoms, "us_philippines_") == set(), area
        assert atoms_named(atoms, "us_philippines_armed_attack_in_pacific_area") == [], area
    # nor does an attack on a non-party in the Pacific
    other = solve(philippines, attack("vietnam", "pacific_area", d))
    assert treaty_rules(other, "us_philippines_") == set()


def test_philippines_binds_only_from_its_entry_into_force(philippines):
    before = solve(philippines, attack("philippines", "pacific_area", date(1952, 8, 26)))
    on_the_day = solve(philippines, attack("philippines", "pacific_area", date(1952, 8, 27)))
    assert treaty_rules(before, "us_philippines_") == set()
    assert bound(on_the_day, "us_philippines_iv_act") == {("united_states", "philippines")}


def test_philippines_attack_and_measures_are_reported_to_the_security_council(philippines):
    d, measures, report = date(2024, 3, 1), date(2024, 3, 2), date(2024, 3, 3)
    facts = attack("philippines", "pacific_area", d) + [
        fact("measures_taken", "united_states", "philippines", "us_philippines_treaty_article_iv", measures)]
    atoms = solve(philippines, facts)
    # the attack is reported by both Parties; the measures by the Party that took them
    assert {(c[2], c[4]) for c in conclusions(atoms, "notification", "us_philippines_iv_report_attack")} == {
        ("philippines", "un_security_council"), ("united_states", "un_security_council")}
    assert conclusions(atoms, "notification", "us_philippines_iv_report_measures") == {
        ("notification", "us_philippines_iv_report_measures", "united_states", "report_measures",
         "un_security_council", measures)}
    assert ("us_philippines_iv_report_measures", "united_states", "report_measures", "un_security_council") in \
        by_rule(atoms, "te_due")
    # the measures are acting to meet the common dangers: the undertaking is discharged, not the reports
    assert by_rule(atoms, "te_discharged") == {("us_philippines_iv_act", "united_states", ACT, "philippines")}
    informed = solve(philippines, facts + [
        fact("informed", "united_states", "un_security_council", "measures", report),
        fact("informed", "philippines", "un_security_council", "armed_attack", d)])
    assert {(c[0], c[1]) for c in by_rule(informed, "te_discharged")} == {
        ("us_philippines_iv_act", "united_states"), ("us_philippines_iv_report_measures", "united_states"),
        ("us_philippines_iv_report_attack", "philippines"), ("us_philippines_iv_report_attack", "united_states")}
    # a report of the measures by the other Party does not discharge the United States' duty
    other = solve(philippines, facts + [fact("informed", "philippines", "un_security_council", "measures", report)])
    assert "us_philippines_iv_report_measures" not in {c[0] for c in by_rule(other, "te_discharged")}


def test_philippines_measures_on_another_basis_create_no_treaty_report(philippines):
    atoms = solve(philippines, [fact("measures_taken", "united_states", "philippines", "self_defence",
                                     date(2024, 3, 2))])
    assert {c[1] for c in conclusions(atoms, "notification")} == {"un_51_report"}


def test_philippines_undertaking_ends_when_the_security_council_takes_measures(philippines):
    d, sc = date(2024, 3, 1), date(2024, 3, 10)
    atoms = solve(philippines, attack("philippines", "pacific_area", d)
                  + [fact("security_council_measures_superseding", "philippines", sc)])
    assert until(atoms, "us_philippines_iv_act") == {("united_states", sc.toordinal())}
    # Security Council measures about another state, or before the attack, end nothing
    other = solve(philippines, attack("philippines", "pacific_area", d)
                  + [fact("security_council_measures_superseding", "vietnam", sc)])
    assert until(other, "us_philippines_iv_act") == set()
    earlier = solve(philippines, attack("philippines", "pacific_area", d)
                    + [fact("security_council_measures_superseding", "philippines", date(2024, 2, 1))])
    assert until(earlier, "us_philippines_iv_act") == set()


def test_philippines_article_iii_consultation(philippines):
    d, held = date(2024, 3, 1), date(2024, 3, 4)
    asked = [fact("us_philippines_consultation_requested", "philippines", "philippines", d)]
    atoms = solve(philippines, asked)
    assert bound(atoms, "us_philippines_iii_consult") == {("philippines", "philippines"),
                                                          ("united_states", "philippines")}
    done = solve(philippines, asked + [fact("us_philippines_consultations_held", "philippines", held)])
    assert {(c[0], c[1]) for c in by_rule(done, "te_discharged")} == {
        ("us_philippines_iii_consult", "philippines"), ("us_philippines_iii_consult", "united_states")}
    # a request by a non-party, or before the Treaty was in force, creates nothing
    assert treaty_rules(solve(philippines, [fact("us_philippines_consultation_requested", "vietnam",
                                                 "philippines", d)]), "us_philippines_") == set()
    assert treaty_rules(solve(philippines, [fact("us_philippines_consultation_requested", "philippines",
                                                 "philippines", date(1952, 1, 1))]), "us_philippines_") == set()


# ---- US-Republic of Korea Mutual Defense Treaty --------------------------------------------------

def test_korea_attack_in_territory_administered_in_1953_binds_the_other_party(korea):
    d = date(2024, 3, 1)
    atoms = solve(korea, attack("south_korea", ADMINISTERED, d))
    assert conclusions(atoms, "obligation", "us_korea_iii_act") == {
        ("obligation", "us_korea_iii_act", "united_states", ACT, "south_korea", d)}
    assert {c[2] for c in conclusions(atoms, "obligation")} == {"united_states"}
    assert ("permission", "un_51_individual", "south_korea", "use_force", "aggressor", d) in conclusions(atoms)
    # and the other way round: the Republic of Korea for the United States in territory it administered
    on_us = solve(korea, attack("united_states", ADMINISTERED, d))
    assert bound(on_us, "us_korea_iii_act") == {("south_korea", "united_states")}


def test_korea_later_territory_counts_only_if_the_other_party_recognized_it(korea):
    d = date(2024, 3, 1)
    recognized = solve(korea, attack("south_korea", RECOGNIZED, d))
    assert bound(recognized, "us_korea_iii_act") == {("united_states", "south_korea")}
    # territory the Republic took or claims that the United States has not recognized as lawfully under
    # its control (the US understanding): stated only as in the Pacific area, it engages nothing
    unrecognized = solve(korea, attack("south_korea", "pacific_area", d))
    assert treaty_rules(unrecognized, "us_korea_") == set()
    assert atoms_named(unrecognized, "us_korea_armed_attack_in_treaty_territory") == []


def test_korea_attack_outside_the_territories_covered_engages_nothing(korea):
    d = date(2024, 3, 1)
    for area in ("metropolitan_territory", "europe", "middle_east", "japan_administered_territory", None):
        atoms = solve(korea, attack("united_states", area, d))
        assert treaty_rules(atoms, "us_korea_") == set(), area
        assert {c[1] for c in conclusions(atoms)} == {"un_51_individual"}, area
    # nor an attack on a non-party in such territory
    assert treaty_rules(solve(korea, attack("japan", ADMINISTERED, d)), "us_korea_") == set()


def test_korea_binds_only_from_its_entry_into_force(korea):
    signed = solve(korea, attack("south_korea", ADMINISTERED, date(1953, 10, 1)))
    before = solve(korea, attack("south_korea", ADMINISTERED, date(1954, 11, 16)))
    on_the_day = solve(korea, attack("south_korea", ADMINISTERED, date(1954, 11, 17)))
    assert treaty_rules(signed, "us_korea_") == set()
    assert treaty_rules(before, "us_korea_") == set()
    assert bound(on_the_day, "us_korea_iii_act") == {("united_states", "south_korea")}


def test_korea_measures_discharge_the_undertaking_which_has_no_security_council_clause(korea):
    d, measures, sc = date(2024, 3, 1), date(2024, 3, 2), date(2024, 3, 10)
    facts = attack("south_korea", ADMINISTERED, d) + [
        fact("measures_taken", "united_states", "south_korea", "us_korea_treaty_article_iii", measures),
        fact("security_council_measures_superseding", "south_korea", sc)]
    atoms = solve(korea, facts)
    assert by_rule(atoms, "te_discharged") == {("us_korea_iii_act", "united_states", ACT, "south_korea")}
    # Article III neither reports to the Security Council nor ends when the Council acts
    assert treaty_rules(atoms, "us_korea_") == {"us_korea_iii_act"}
    assert until(atoms, "us_korea_iii_act") == set()
    assert conclusions(atoms, "notification") == set()


def test_korea_article_ii_consultation(korea):
    d, held = date(2024, 3, 1), date(2024, 3, 2)
    asked = [fact("us_korea_consultation_requested", "south_korea", "south_korea", d)]
    atoms = solve(korea, asked)
    assert bound(atoms, "us_korea_ii_consult") == {("south_korea", "south_korea"), ("united_states", "south_korea")}
    done = solve(korea, asked + [fact("us_korea_consultations_held", "south_korea", held)])
    assert {(c[0], c[1]) for c in by_rule(done, "te_discharged")} == {
        ("us_korea_ii_consult", "south_korea"), ("us_korea_ii_consult", "united_states")}
    assert treaty_rules(solve(korea, [fact("us_korea_consultation_requested", "south_korea", "south_korea",
                                           date(1954, 1, 1))]), "us_korea_") == set()
