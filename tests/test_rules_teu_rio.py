"""The compiled TEU Art. 42(7) and Rio Treaty rules, each file loaded alone, grounded by clingo over given facts."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from helpers import atoms_named, bound, conclusions, fact, solve

from engine import Rules, load_rules

ROOT = Path(__file__).resolve().parent.parent

AID = "provide_aid_and_assistance(all_means_in_their_power)"
EU_LISBON = {"austria", "belgium", "bulgaria", "cyprus", "czechia", "denmark", "estonia", "finland", "france",
             "germany", "greece", "hungary", "ireland", "italy", "latvia", "lithuania", "luxembourg", "malta",
             "netherlands", "poland", "portugal", "romania", "slovakia", "slovenia", "spain", "sweden",
             "united_kingdom"}
EU_2015 = EU_LISBON | {"croatia"}
EU_2022 = EU_2015 - {"united_kingdom"}
RIO_2022 = {"argentina", "bahamas", "brazil", "chile", "colombia", "costa_rica", "cuba", "dominican_republic",
            "el_salvador", "guatemala", "haiti", "honduras", "panama", "paraguay", "peru", "trinidad_and_tobago",
            "united_states", "uruguay"}
DENOUNCED = {"bolivia", "ecuador", "mexico", "nicaragua", "venezuela"}
PARIS = date(2015, 11, 13)


@pytest.fixture(scope="module")
def teu() -> Rules:
    return load_rules(ROOT / "rules" / "teu.rules")


@pytest.fixture(scope="module")
def rio() -> Rules:
    return load_rules(ROOT / "rules" / "rio_treaty.rules")


def by_rule(atoms, name: str) -> set[tuple[str, ...]]:
    """(rule, bearer, action, counterparty, day) of the te_ atoms with this name (te_due, te_discharged, te_until)."""
    return {tuple(str(x) for x in a.arguments[:4]) + (str(a.arguments[5]),) for a in atoms_named(atoms, name)}


def aggression(victim: str, day: date, area: str | None = "own_territory", by: str = "isil") -> list:
    # the default position of teu_armed_aggression (the rule base's default, stated here since these tests
    # solve the program alone)
    facts = [fact("te_kind", "isil", "group"), fact("armed_attack", by, victim, day),
             fact("te_position", "teu_armed_aggression", "any_aggressor")]
    if area is not None:
        facts.append(fact("attack_location", victim, area, day))
    return facts


def attack(victim: str, day: date, by: str = "russia", area: str | None = "rio_american_state_territory") -> list:
    # Article 3(3): the Rio Treaty's Article 3 applies to an attack placed within the territory of an American
    # State or the region of Article 4 (tests/test_rules_rio_scope.py tests the places)
    facts = [fact("armed_attack", by, victim, day)]
    if area is not None:
        facts.append(fact("attack_location", victim, area, day))
    return facts


# ---- TEU Article 42(7) ------------------------------------------------------------------------------

def test_teu_loads_alone_with_the_member_states_and_their_dates(teu):
    assert set(teu.base.instruments) == {"teu", "un_charter"}
    members = {(p.entity, p.joined, p.left) for p in teu.base.parties if p.instrument == "teu"}
    lisbon = date(2009, 12, 1)
    assert members == ({(s, lisbon, None) for s in EU_LISBON - {"united_kingdom"}}
                       | {("united_kingdom", lisbon, date(2020, 2, 1)), ("croatia", date(2013, 7, 1), None)})


def test_france_2015_obliges_every_other_member_state_and_nobody_else(teu):
    atoms = solve(teu, aggression("france", PARIS))
    assert bound(atoms, "teu_42_7_aid_and_assistance") == {(m, "france") for m in EU_2015 - {"france"}}
    assert {c[3] for c in conclusions(atoms, "obligation")} == {AID}
    # the text sets no deadline; the United Kingdom was still a Member State in 2015
    assert by_rule(atoms, "te_due") == set()
    assert ("united_kingdom", "france") in bound(atoms, "teu_42_7_aid_and_assistance")


def test_no_obligation_for_non_members_or_for_the_victim(teu):
    atoms = solve(teu, aggression("france", PARIS))
    bearers = {c[2] for c in conclusions(atoms, "obligation")}
    assert not bearers & {"france", "norway", "united_states", "switzerland"}
    # an aggression against a state that is not a Member State engages nothing
    for outsider in ("norway", "united_states"):
        assert bound(solve(teu, aggression(outsider, PARIS)), "teu_42_7_aid_and_assistance") == set()


def test_the_united_kingdom_is_bound_until_it_left_and_not_after(teu):
    before = solve(teu, aggression("france", date(2020, 1, 31)))
    after = solve(teu, aggression("france", date(2020, 2, 1)))
    assert ("united_kingdom", "france") in bound(before, "teu_42_7_aid_and_assistance")
    assert bound(after, "teu_42_7_aid_and_assistance") == {(m, "france") for m in EU_2022 - {"france"}}
    # nor is it owed aid once it has left
    assert bound(solve(teu, aggression("united_kingdom", date(2021, 5, 1))), "teu_42_7_aid_and_assistance") == set()


def test_croatia_and_lisbon_dates(teu):
    assert bound(solve(teu, aggression("croatia", date(2013, 6, 30))), "teu_42_7_aid_and_assistance") == set()
    joined = bound(solve(teu, aggression("croatia", date(2013, 7, 1))), "teu_42_7_aid_and_assistance")
    assert joined == {(m, "croatia") for m in EU_LISBON}
    # before the Treaty of Lisbon there was no Article 42(7): only the Charter's own right of self-defence
    # (on the includes_non_state reading of Article 51, since ISIL is a non-state group)
    before = solve(teu, aggression("france", date(2009, 11, 30))
                   + [fact("te_position", "art51_non_state", "includes_non_state")])
    assert {c[1] for c in conclusions(before)} == {"un_51_individual"}


def test_only_aggression_on_the_victims_own_territory(teu):
    day = date(2022, 3, 1)
    for area in (None, "mali", "europe", "pacific_area"):
        assert bound(solve(teu, aggression("estonia", day, area)), "teu_42_7_aid_and_assistance") == set(), area
    for area in ("own_territory", "metropolitan_territory"):
        assert len(bound(solve(teu, aggression("estonia", day, area)), "teu_42_7_aid_and_assistance")) == 26
    # a state aggressor counts as well as a non-state one
    by_state = solve(teu, aggression("finland", day, by="russia"))
    assert bound(by_state, "teu_42_7_aid_and_assistance") == {(m, "finland") for m in EU_2022 - {"finland"}}


def test_aid_given_discharges_and_article_51_governs_the_report(teu):
    facts = aggression("france", PARIS) + [
        fact("requested", "france", "germany", "aid_and_assistance", date(2015, 11, 17)),
        fact("measures_taken", "germany", "france", "teu_article_42_7", date(2015, 11, 20)),
        fact("measures_taken", "italy", "france", "teu_article_42_7", date(2015, 11, 20)),
        # the Article 51 right against ISIL, a non-state group, holds on the includes_non_state reading
        fact("te_position", "art51_non_state", "includes_non_state"),
    ]
    atoms = solve(teu, facts)
    discharged = {(r, b) for r, b, *_ in by_rule(atoms, "te_discharged")}
    assert {("teu_42_7_aid_and_assistance", "germany"), ("teu_42_7_aid_and_assistance", "italy")} <= discharged
    # Germany, asked by France, holds the Article 51 right of collective self-defence against the
    # aggressor, so its measures must be reported to the Security Council; Italy, not asked, does not
    notes = conclusions(atoms, "notification")
    assert notes == {("notification", "un_51_report_collective", "germany", "report_measures", "un_security_council",
                      date(2015, 11, 20))}
    assert ("un_51_report_collective", "germany", "report_measures", "un_security_council",
            "immediately") in by_rule(atoms, "te_due")
    # a letter informing the Council of the measures is not an Article 51 report unless it invokes Article 51
    # (art51_report_form, default must_invoke_51)
    informed = [fact("informed", "germany", "un_security_council", "measures", date(2015, 11, 21))]
    notice = solve(teu, facts + informed)
    assert ("un_51_report_collective", "germany") not in {(r, b) for r, b, *_ in by_rule(notice, "te_discharged")}
    reported = solve(teu, facts + informed + [
        fact("invoked", "germany", "un_security_council", "un_charter", "article_51", date(2015, 11, 21))])
    assert ("un_51_report_collective", "germany") in {(r, b) for r, b, *_ in by_rule(reported, "te_discharged")}


# ---- Rio Treaty Article 3 ---------------------------------------------------------------------------

def test_rio_loads_alone_with_the_parties_and_the_denunciations(rio):
    assert set(rio.base.instruments) == {"rio_treaty", "un_charter"}
    periods = {p.entity: (p.joined, p.left) for p in rio.base.parties if p.instrument == "rio_treaty"}
    assert set(periods) == RIO_2022 | DENOUNCED
    assert periods["mexico"] == (date(1948, 12, 3), date(2004, 9, 6))
    assert periods["venezuela"] == (date(1949, 5, 14), date(2015, 5, 14))  # one period: no 2019 return
    assert periods["bahamas"] == (date(1982, 11, 24), None)
    assert {s for s, (_, left) in periods.items() if left is not None} == DENOUNCED


def test_an_armed_attack_on_an_american_state_obliges_every_other_party(rio):
    day = date(2022, 6, 1)
    atoms = solve(rio, attack("brazil", day))
    assert [str(a) for a in atoms_named(atoms, "rio_attack_against_all")] == [
        f"rio_attack_against_all(brazil,{day.toordinal()})"]
    assert bound(atoms, "rio_3_1_assist") == {(m, "brazil") for m in RIO_2022 - {"brazil"}}
    assert {c[3] for c in conclusions(atoms, "obligation")} == {"assist_in_meeting_the_attack"}


def test_not_engaged_by_an_attack_on_a_state_that_is_not_american(rio):
    day = date(2022, 6, 1)
    atoms = solve(rio, attack("france", day))
    assert atoms_named(atoms, "rio_attack_against_all") == []
    assert bound(atoms, "rio_3_1_assist") == set()
    # Canada never joined: it is an American State only when the case says so
    assert bound(solve(rio, attack("canada", day)), "rio_3_1_assist") == set()
    stated = solve(rio, attack("canada", day) + [fact("rio_american_nonparty", "canada")])
    assert bound(stated, "rio_3_1_assist") == {(m, "canada") for m in RIO_2022}


def test_only_an_armed_attack_by_a_state(rio):
    day = date(2001, 9, 11)
    atoms = solve(rio, [fact("te_kind", "al_qaeda", "group"), fact("armed_attack", "al_qaeda", "united_states", day),
                        fact("attack_location", "united_states", "metropolitan_territory", day)])
    assert atoms_named(atoms, "rio_attack_against_all") == []
    assert bound(atoms, "rio_3_1_assist") == set()


def test_a_state_is_not_bound_after_its_denunciation_took_effect(rio):
    in_2000 = {b for b, _ in bound(solve(rio, attack("brazil", date(2000, 1, 1))), "rio_3_1_assist")}
    in_2022 = {b for b, _ in bound(solve(rio, attack("brazil", date(2022, 6, 1))), "rio_3_1_assist")}
    assert DENOUNCED <= in_2000
    assert not DENOUNCED & in_2022
    last_day = {b for b, _ in bound(solve(rio, attack("brazil", date(2015, 5, 13))), "rio_3_1_assist")}
    first_day_out = {b for b, _ in bound(solve(rio, attack("brazil", date(2015, 5, 14))), "rio_3_1_assist")}
    assert "venezuela" in last_day
    assert "venezuela" not in first_day_out
    # a state that denounced the Treaty is still an American State: the parties assist it
    assert bound(solve(rio, attack("mexico", date(2017, 1, 1))), "rio_3_1_assist") == {
        (m, "mexico") for m in RIO_2022}


def test_neither_the_victim_nor_the_attacking_party_is_bound(rio):
    atoms = solve(rio, attack("chile", date(2022, 6, 1), by="argentina"))
    bearers = {b for b, _ in bound(atoms, "rio_3_1_assist")}
    assert bearers == RIO_2022 - {"chile", "argentina"}


def test_not_before_the_treaty_entered_into_force(rio):
    early = solve(rio, attack("brazil", date(1948, 12, 2)))
    assert atoms_named(early, "rio_attack_against_all") == []
    assert {c[1] for c in conclusions(early)} == {"un_51_individual"}
    first = {b for b, _ in bound(solve(rio, attack("brazil", date(1948, 12, 3))), "rio_3_1_assist")}
    # the 14 states bound on the day of entry into force, less the victim
    assert len(first) == 13
    assert not first & {"argentina", "chile", "cuba", "venezuela", "guatemala", "ecuador", "bolivia"}


def test_the_undertaking_lasts_until_the_security_council_acts(rio):
    day, sc = date(2022, 6, 1), date(2022, 6, 10)
    atoms = solve(rio, attack("brazil", day) + [fact("security_council_measures_superseding", "brazil", sc)])
    ended = {(r, b) for r, b, _, _, d in by_rule(atoms, "te_until") if d == str(sc.toordinal())}
    assert {(r, b) for r, b in ended if r == "rio_3_1_assist"} == {("rio_3_1_assist", m) for m in RIO_2022 - {"brazil"}}
    other = solve(rio, attack("brazil", day) + [fact("security_council_measures_superseding", "peru", sc)])
    assert by_rule(other, "te_until") == set()  # measures about Peru end nothing for Brazil


def test_immediate_individual_measures_at_the_request_of_the_state_attacked(rio):
    day = date(2022, 6, 1)
    base = attack("brazil", day) + [fact("requested", "brazil", "united_states", "assistance", date(2022, 6, 2))]
    atoms = solve(rio, base)
    assert conclusions(atoms, "permission", "rio_3_2_immediate_measures") == {
        ("permission", "rio_3_2_immediate_measures", "united_states", "determine_immediate_individual_measures",
         "brazil", date(2022, 6, 2))}
    # no request, no permission
    assert conclusions(solve(rio, attack("brazil", day)), "permission", "rio_3_2_immediate_measures") == set()
    # the decision of the Organ of Consultation ends the permission, and so do the Security Council's measures
    for ending in (fact("decided", "rio_organ_of_consultation", "collective_measures", "brazil", "rio_article_3",
                        date(2022, 6, 5)),
                   fact("security_council_measures_superseding", "brazil", date(2022, 6, 5))):
        ended = solve(rio, base + [ending])
        assert ("rio_3_2_immediate_measures", "united_states", "determine_immediate_individual_measures", "brazil",
                str(date(2022, 6, 5).toordinal())) in by_rule(ended, "te_until")


def test_measures_are_reported_to_the_security_council_and_examined_by_the_organ_of_consultation(rio):
    day, acted = date(2022, 6, 1), date(2022, 6, 3)
    facts = attack("brazil", day) + [fact("measures_taken", "colombia", "brazil", "rio_article_3", acted)]
    atoms = solve(rio, facts)
    assert conclusions(atoms, "notification") == {
        ("notification", "rio_5_report", "colombia", "report_activities", "un_security_council", acted)}
    assert conclusions(atoms, "obligation", "rio_3_2_organ_meets") == {
        ("obligation", "rio_3_2_organ_meets", "rio_organ_of_consultation", "meet_to_examine_measures", "brazil", acted)}
    due = by_rule(atoms, "te_due")
    assert ("rio_5_report", "colombia", "report_activities", "un_security_council", "immediately") in due
    assert ("rio_3_2_organ_meets", "rio_organ_of_consultation", "meet_to_examine_measures", "brazil",
            "immediately") in due
    discharged = {r for r, *_ in by_rule(atoms, "te_discharged")}
    assert discharged == {"rio_3_1_assist"}  # Colombia's measures discharge its undertaking
    done = solve(rio, facts + [fact("informed", "colombia", "un_security_council", "measures", acted),
                               fact("rio_organ_of_consultation_met", "brazil", date(2022, 6, 4))])
    assert {r for r, *_ in by_rule(done, "te_discharged")} == {"rio_3_1_assist", "rio_5_report", "rio_3_2_organ_meets"}
    # with Brazil's request, Colombia also holds the Article 51 right, and reports under Article 51 too
    asked = solve(rio, facts + [fact("requested", "brazil", "colombia", "assistance", date(2022, 6, 2))])
    assert {c[1] for c in conclusions(asked, "notification")} == {"rio_5_report", "un_51_report_collective"}


def test_the_organ_examines_only_measures_a_contracting_party_takes(rio):
    # Art. 3(2): "those measures" are the immediate measures "each one of the Contracting Parties" determines
    day, acted = date(2022, 6, 1), date(2022, 6, 3)

    def organ(facts: list) -> set[tuple]:
        return conclusions(solve(rio, attack("brazil", day) + facts), "obligation", "rio_3_2_organ_meets")

    assert organ([]) == set()
    # the attacker, a non-party, states measures under Article 3: no meeting is called for
    assert organ([fact("measures_taken", "russia", "brazil", "rio_article_3", acted)]) == set()
    # nor by a state whose denunciation had taken effect (Mexico, 2004)
    assert organ([fact("measures_taken", "mexico", "brazil", "rio_article_3", acted)]) == set()
    # a Party's measures on the same day: the duty arises
    assert organ([fact("measures_taken", "chile", "brazil", "rio_article_3", acted)]) == {
        ("obligation", "rio_3_2_organ_meets", "rio_organ_of_consultation", "meet_to_examine_measures", "brazil", acted)}
