"""The compiled Manila Pact (SEATO) and Warsaw Pact rules, each file loaded alone (with the UN Charter it
includes), grounded by clingo over small hand-written fact sets."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from helpers import atoms_named, bound, conclusions, fact, solve

from engine import Rules, load_rules

ROOT = Path(__file__).resolve().parent.parent

SEATO_ACT = "act_to_meet_common_danger(constitutional_processes)"
SEATO_PARTIES = ["australia", "france", "new_zealand", "pakistan", "philippines", "thailand", "united_kingdom",
                 "united_states"]
SEATO_IN_FORCE = date(1955, 2, 19)
PAKISTAN_LEFT = date(1973, 11, 8)

WARSAW_ASSIST = "assist(all_means_it_deems_necessary)"
WARSAW_PARTIES = ["albania", "bulgaria", "czechoslovakia", "east_germany", "hungary", "poland", "romania", "russia"]
WARSAW_IN_FORCE, WARSAW_ENDED = date(1955, 6, 5), date(1991, 7, 1)
ALBANIA_LEFT, GDR_LEFT = date(1968, 9, 13), date(1990, 10, 3)

INVASION = date(1968, 8, 21)  # Czechoslovakia, 1968
INVADERS = ["russia", "poland", "hungary", "bulgaria"]


@pytest.fixture(scope="module")
def seato() -> Rules:
    return load_rules(ROOT / "rules" / "seato.rules")


@pytest.fixture(scope="module")
def warsaw() -> Rules:
    return load_rules(ROOT / "rules" / "warsaw_pact.rules")


def seato_parties_on(day: date) -> set[str]:
    return {s for s in SEATO_PARTIES if SEATO_IN_FORCE <= day and not (s == "pakistan" and day >= PAKISTAN_LEFT)}


def warsaw_parties_on(day: date) -> set[str]:
    if not WARSAW_IN_FORCE <= day < WARSAW_ENDED:
        return set()
    left = {"albania": ALBANIA_LEFT, "east_germany": GDR_LEFT}
    return {s for s in WARSAW_PARTIES if s not in left or day < left[s]}


def attack(attacker: str, victim: str, area: str | None, day: date, *, communist: bool = False) -> list:
    """An armed attack by a state (declared as one) on the victim, located in the area if one is given."""
    facts = [fact("te_kind", attacker, "state"), fact("armed_attack", attacker, victim, day)]
    if area is not None:
        facts.append(fact("attack_location", victim, area, day))
    if communist:
        facts.append(fact("seato_communist_aggressor", attacker))
    return facts


def te(atoms, name: str, rule: str) -> set[tuple]:
    """(bearer, counterparty, last argument) of the te_due / te_discharged / te_until atoms of one rule."""
    out = set()
    for a in atoms_named(atoms, name):
        if str(a.arguments[0]) == rule:
            last = a.arguments[5]
            out.add((str(a.arguments[1]), str(a.arguments[3]),
                     date.fromordinal(last.number) if last.type.name == "Number" else str(last)))
    return out


# ==== The Manila Pact ============================================================================

def test_the_manila_pact_loads_alone_with_its_protocol_and_eight_dated_parties(seato):
    assert set(seato.base.instruments) == {"manila_pact", "manila_pact_protocol", "un_charter"}
    assert seato.base.instruments["manila_pact"].aliases == ("seato",)
    listed = {(p.entity, p.joined, p.left) for p in seato.base.parties if p.instrument == "manila_pact"}
    assert listed == {(s, SEATO_IN_FORCE, PAKISTAN_LEFT if s == "pakistan" else None) for s in SEATO_PARTIES}
    un_members = {p.entity for p in seato.base.parties if p.instrument == "un_charter"}
    assert set(SEATO_PARTIES) <= un_members  # the Charter's entity ids
    # the Treaty was not terminated with the Organization in 1977: no end date
    validity = seato.base.instruments["manila_pact"].in_force
    assert validity is not None and (validity.start, validity.end) == (SEATO_IN_FORCE, None)


def test_communist_aggression_on_a_party_in_the_treaty_area_binds_every_other_party(seato):
    day = date(1962, 5, 10)
    atoms = solve(seato, attack("north_vietnam", "thailand", "seato_treaty_area", day, communist=True))
    obliged = bound(atoms, "seato_iv_1_act") | bound(atoms, "seato_understanding_act")
    assert obliged == {(s, "thailand") for s in seato_parties_on(day) - {"thailand"}}
    assert bound(atoms, "seato_understanding_act") == {("united_states", "thailand")}
    assert {c[3] for c in conclusions(atoms, "obligation")} == {SEATO_ACT}
    # the means and the time are each Party's: no deadline; and no end when the Security Council acts
    assert atoms_named(atoms, "te_due") == []
    # unlike ANZUS and NATO, the attack itself need not be reported
    assert conclusions(atoms, "notification") == set()


def test_under_its_understanding_the_united_states_only_consults_on_other_aggression(seato):
    day = date(1965, 9, 6)  # an attack on Pakistan by a state the case does not call communist
    atoms = solve(seato, attack("india", "pakistan", "seato_treaty_area", day))
    assert bound(atoms, "seato_iv_1_act") == {(s, "pakistan") for s in seato_parties_on(day) - {"pakistan",
                                                                                                "united_states"}}
    assert bound(atoms, "seato_understanding_act") == set()
    assert bound(atoms, "seato_understanding_consult") == {("united_states", "pakistan")}
    assert te(atoms, "te_due", "seato_understanding_consult") == {("united_states", "pakistan", "immediately")}
    held = solve(seato, attack("india", "pakistan", "seato_treaty_area", day)
                 + [fact("seato_consultations_held", "pakistan", date(1965, 9, 8))])
    assert te(held, "te_discharged", "seato_understanding_consult") == {("united_states", "pakistan",
                                                                         date(1965, 9, 8))}
    # tied to the attacked state and to the days from the aggression on: consultations before it, or on
    # another state, do not discharge it
    for other in (fact("seato_consultations_held", "pakistan", date(1965, 9, 5)),
                  fact("seato_consultations_held", "thailand", date(1965, 9, 8))):
        unrelated = solve(seato, attack("india", "pakistan", "seato_treaty_area", day) + [other])
        assert te(unrelated, "te_discharged", "seato_understanding_consult") == set()
    # consultations on Pakistan's common defence that a separate Article IV(2) threat called count (our
    # reading: the Understanding's consultation is "under the provisions of Article IV, paragraph 2")
    threat = solve(seato, attack("india", "pakistan", "seato_treaty_area", day)
                   + [fact("seato_threat_stated", "thailand", "pakistan", date(1965, 10, 1)),
                      fact("seato_consultations_held", "pakistan", date(1965, 10, 1))])
    assert te(threat, "te_discharged", "seato_understanding_consult") == {("united_states", "pakistan",
                                                                           date(1965, 10, 1))}


def test_a_party_is_bound_only_while_a_party_and_only_once_the_treaty_is_in_force(seato):
    before = solve(seato, attack("x", "thailand", "seato_treaty_area", date(1955, 2, 18), communist=True))
    assert conclusions(before, "obligation") == set()  # Thailand had deposited in 1954: no one was bound yet
    on_the_day = solve(seato, attack("x", "thailand", "seato_treaty_area", SEATO_IN_FORCE, communist=True))
    assert len(conclusions(on_the_day, "obligation")) == 7
    last = solve(seato, attack("x", "thailand", "seato_treaty_area", date(1973, 11, 7), communist=True))
    after = solve(seato, attack("x", "thailand", "seato_treaty_area", PAKISTAN_LEFT, communist=True))
    assert ("pakistan", "thailand") in bound(last, "seato_iv_1_act")
    assert ("pakistan", "thailand") not in bound(after, "seato_iv_1_act")
    # an attack on Pakistan after it left engages no one
    gone = solve(seato, attack("x", "pakistan", "seato_treaty_area", date(1974, 1, 1), communist=True))
    assert conclusions(gone, "obligation") == set()


def test_the_treaty_outlives_the_organization_dissolved_in_1977(seato):
    day = date(1979, 1, 7)
    atoms = solve(seato, attack("x", "thailand", "seato_treaty_area", day, communist=True))
    obliged = bound(atoms, "seato_iv_1_act") | bound(atoms, "seato_understanding_act")
    assert obliged == {(s, "thailand") for s in set(SEATO_PARTIES) - {"thailand", "pakistan"}}


@pytest.mark.parametrize("area", ["pacific_north_of_21_degrees_30_minutes", "indian_ocean", None])
def test_an_attack_outside_the_treaty_area_or_without_a_place_engages_no_article_iv_duty(seato, area):
    atoms = solve(seato, attack("x", "philippines", area, date(1960, 1, 1), communist=True))
    assert atoms_named(atoms, "seato_aggression_in_treaty_area") == []
    assert conclusions(atoms, "obligation") == set()
    # the attacked Party keeps its own right of self-defence under the Charter
    assert {c[1] for c in conclusions(atoms, "permission")} == {"un_51_individual"}


def test_an_attack_on_a_state_neither_party_nor_designated_engages_no_one(seato):
    atoms = solve(seato, attack("x", "myanmar", "seato_treaty_area", date(1960, 1, 1), communist=True))
    assert conclusions(atoms, "obligation") == set()


def test_a_non_state_attack_counts_only_on_the_broad_reading_of_article_51(seato):
    day = date(1960, 1, 1)
    facts = [fact("te_kind", "insurgents", "group"), fact("armed_attack", "insurgents", "thailand", day),
             fact("attack_location", "thailand", "seato_treaty_area", day), fact("seato_communist_aggressor",
                                                                                 "insurgents")]
    assert conclusions(solve(seato, facts), "obligation") == set()
    broad = solve(seato, facts + [fact("te_position", "art51_non_state", "includes_non_state")])
    assert len(conclusions(broad, "obligation")) == 7
    # a group sent by a state is that state's attack on every reading
    sent = solve(seato, facts + [fact("te_kind", "north_vietnam", "state"),
                                 fact("sent_by", "insurgents", "north_vietnam")])
    assert len(conclusions(sent, "obligation")) == 7
    assert bound(sent, "seato_understanding_consult") == set()  # one aggression, communist: no mere consultation


def test_the_designated_states_are_protected_but_not_acted_in_without_their_consent(seato):
    day = date(1964, 8, 2)
    facts = attack("north_vietnam", "south_vietnam", "seato_treaty_area", day, communist=True)
    atoms = solve(seato, facts)
    obliged = bound(atoms, "seato_iv_1_act") | bound(atoms, "seato_understanding_act")
    assert obliged == {(s, "south_vietnam") for s in seato_parties_on(day)}  # none of them is the victim
    no_action = {(c[2], c[3], c[4]) for c in conclusions(atoms, "prohibition", "seato_iv_3")}
    assert no_action == {(s, "take_action_on_territory_of", "south_vietnam") for s in seato_parties_on(day)}
    # an invitation given by then: no prohibition for the invited Party; one given later ends it
    invited = solve(seato, facts + [fact("invited", "south_vietnam", "united_states", date(1961, 12, 7)),
                                    fact("invited", "south_vietnam", "australia", date(1964, 8, 20))])
    assert "united_states" not in {c[2] for c in conclusions(invited, "prohibition", "seato_iv_3")}
    assert te(invited, "te_until", "seato_iv_3") == {("australia", "south_vietnam", date(1964, 8, 20))}
    for designated in ("cambodia", "laos"):
        assert bound(solve(seato, attack("x", designated, "seato_treaty_area", day, communist=True)),
                     "seato_understanding_act") == {("united_states", designated)}


def test_an_invitation_counts_under_article_iv_3_only_while_it_stands(seato):
    # "except at the invitation or with the consent of the Government concerned": consent withdrawn
    # before Article IV is engaged is no consent (review finding: Laos invites on 1 June, withdraws on 5 June)
    day = date(1962, 6, 10)
    facts = attack("x", "laos", "seato_treaty_area", day, communist=True) + [
        fact("invited", "laos", "united_states", date(1962, 6, 1))]

    def bearers(atoms, rule: str = "seato_iv_3") -> set[str]:
        return {c[2] for c in conclusions(atoms, "prohibition", rule)}

    assert "united_states" not in bearers(solve(seato, facts))
    withdrawn = solve(seato, facts + [fact("consent_withdrawn", "laos", "united_states", date(1962, 6, 5))])
    assert bearers(withdrawn) == seato_parties_on(day)
    assert conclusions(withdrawn, "prohibition", "seato_iv_3") >= {
        ("prohibition", "seato_iv_3", "united_states", "take_action_on_territory_of", "laos", day)}
    # withdrawn on the day of the attack: no invitation stands that day either
    same_day = solve(seato, facts + [fact("consent_withdrawn", "laos", "united_states", day)])
    assert "united_states" in bearers(same_day)
    # invited anew after the withdrawal and before the attack: the new invitation stands
    again = solve(seato, facts + [fact("consent_withdrawn", "laos", "united_states", date(1962, 6, 5)),
                                  fact("invited", "laos", "united_states", date(1962, 6, 8))])
    assert "united_states" not in bearers(again)
    # the forces turning against the government that invited them end the consent too (consent_ended)
    turned = solve(seato, facts + [fact("force_against_inviting_government", "united_states", "laos",
                                        date(1962, 6, 5))])
    assert "united_states" in bearers(turned)
    # a withdrawal by another government, or of another Party's invitation, changes nothing
    other = solve(seato, facts + [fact("consent_withdrawn", "laos", "australia", date(1962, 6, 5)),
                                  fact("consent_withdrawn", "cambodia", "united_states", date(1962, 6, 5))])
    assert "united_states" not in bearers(other)
    # withdrawn after the attack: the prohibition comes back from that day, until a new invitation
    later = date(1962, 6, 15)
    after = solve(seato, facts + [fact("consent_withdrawn", "laos", "united_states", later)])
    assert "united_states" not in bearers(after)
    assert conclusions(after, "prohibition", "seato_iv_3_consent_ended") == {
        ("prohibition", "seato_iv_3_consent_ended", "united_states", "take_action_on_territory_of", "laos", later)}
    assert te(after, "te_until", "seato_iv_3_consent_ended") == set()
    reinvited = solve(seato, facts + [fact("consent_withdrawn", "laos", "united_states", later),
                                      fact("invited", "laos", "united_states", date(1962, 7, 1))])
    assert te(reinvited, "te_until", "seato_iv_3_consent_ended") == {("united_states", "laos", date(1962, 7, 1))}
    # a withdrawal with no invitation before it is no end of an invitation
    assert bearers(solve(seato, attack("x", "laos", "seato_treaty_area", day, communist=True)
                         + [fact("consent_withdrawn", "laos", "united_states", later)]),
                   "seato_iv_3_consent_ended") == set()


def test_no_prohibition_on_a_partys_own_territory(seato):
    atoms = solve(seato, attack("x", "thailand", "seato_treaty_area", date(1962, 5, 10), communist=True))
    assert conclusions(atoms, "prohibition") == set()


def test_measures_under_article_iv_are_reported_immediately_and_discharge_the_undertaking(seato):
    day, d = date(1964, 8, 2), date(1965, 4, 29)
    facts = attack("north_vietnam", "south_vietnam", "seato_treaty_area", day, communist=True) + [
        fact("measures_taken", "australia", "south_vietnam", "seato_article_iv", d)]
    atoms = solve(seato, facts)
    assert conclusions(atoms, "notification") == {
        ("notification", "seato_iv_1_report_measures", "australia", "report_measures", "un_security_council", d)}
    assert te(atoms, "te_due", "seato_iv_1_report_measures") == {("australia", "un_security_council",
                                                                  "immediately")}
    assert te(atoms, "te_discharged", "seato_iv_1_act") == {("australia", "south_vietnam", d)}
    reported = solve(seato, facts + [fact("informed", "australia", "un_security_council", "measures", d)])
    assert te(reported, "te_discharged", "seato_iv_1_report_measures") == {("australia", "un_security_council", d)}
    # measures by a state that is not a Party, or on another basis, call for no Article IV report
    other = solve(seato, [fact("measures_taken", "south_korea", "south_vietnam", "seato_article_iv", d),
                          fact("measures_taken", "thailand", "thailand", "self_defence", d)])
    assert {c[1] for c in conclusions(other, "notification")} == {"un_51_report"}


def test_security_council_measures_do_not_end_the_manila_pact_undertaking(seato):
    day = date(1962, 5, 10)
    atoms = solve(seato, attack("x", "thailand", "seato_treaty_area", day, communist=True)
                  + [fact("security_council_measures_superseding", "thailand", date(1962, 6, 1))])
    assert te(atoms, "te_until", "seato_iv_1_act") == set()
    assert te(atoms, "te_until", "seato_understanding_act") == set()
    assert len(conclusions(atoms, "obligation")) == 7


def test_article_iv_2_the_parties_consult_immediately_on_other_threats(seato):
    d = date(1962, 5, 12)
    atoms = solve(seato, [fact("seato_threat_stated", "thailand", "laos", d)])
    consult = conclusions(atoms, "obligation", "seato_iv_2_consult_designated")
    assert {c[2] for c in consult} == seato_parties_on(d)  # the Party of that opinion consults too
    assert {(c[3], c[4]) for c in consult} == {("consult_on_common_defense", "laos")}
    assert {x[2] for x in te(atoms, "te_due", "seato_iv_2_consult_designated")} == {"immediately"}
    # the threatened designated State: no action on its territory without its consent (Art. IV(3))
    assert {c[4] for c in conclusions(atoms, "prohibition", "seato_iv_3")} == {"laos"}
    held = solve(seato, [fact("seato_threat_stated", "thailand", "thailand", d),
                         fact("seato_consultations_held", "thailand", date(1962, 5, 13))])
    assert {c[2] for c in conclusions(held, "obligation", "seato_iv_2_consult")} == seato_parties_on(d)
    assert len(te(held, "te_discharged", "seato_iv_2_consult")) == len(seato_parties_on(d))
    # a statement by a state that is not a Party, or about one neither Party nor designated, binds no one
    for by, about in (("india", "thailand"), ("thailand", "myanmar")):
        assert conclusions(solve(seato, [fact("seato_threat_stated", by, about, d)]), "obligation") == set()


# ==== The Warsaw Pact ============================================================================

def test_the_warsaw_pact_loads_alone_with_eight_dated_parties_under_the_rule_base_ids(warsaw):
    assert set(warsaw.base.instruments) == {"warsaw_pact", "un_charter"}
    assert "warsaw" in warsaw.base.instruments["warsaw_pact"].aliases
    listed = {(p.entity, p.joined, p.left) for p in warsaw.base.parties if p.instrument == "warsaw_pact"}
    left = {"albania": ALBANIA_LEFT, "east_germany": GDR_LEFT}
    assert listed == {(s, WARSAW_IN_FORCE, left.get(s)) for s in WARSAW_PARTIES}
    un_members = {p.entity for p in warsaw.base.parties if p.instrument == "un_charter"}
    assert set(WARSAW_PARTIES) <= un_members
    validity = warsaw.base.instruments["warsaw_pact"].in_force
    assert validity is not None and (validity.start, validity.end) == (WARSAW_IN_FORCE, WARSAW_ENDED)


def test_an_armed_attack_in_europe_on_a_party_binds_every_other_party(warsaw):
    day = date(1960, 5, 1)
    atoms = solve(warsaw, attack("germany", "poland", "warsaw_pact_europe", day))
    assert [str(a) for a in atoms_named(atoms, "warsaw_attack_in_europe")] == [
        f"warsaw_attack_in_europe(poland,{day.toordinal()})"]
    assert bound(atoms, "warsaw_4_assist") == {(s, "poland") for s in warsaw_parties_on(day) - {"poland"}}
    assert {c[3] for c in conclusions(atoms, "obligation", "warsaw_4_assist")} == {WARSAW_ASSIST}
    # "immediately", but the means are each Party's to judge: no deadline is encoded
    assert te(atoms, "te_due", "warsaw_4_assist") == set()
    assert conclusions(atoms, "notification") == set()


def test_who_is_bound_when(warsaw):
    def bearers(day: date, victim: str = "poland") -> set[str]:
        return {b for b, _ in bound(solve(warsaw, attack("x", victim, "warsaw_pact_europe", day)), "warsaw_4_assist")}

    assert bearers(date(1955, 6, 4)) == set()  # before the Treaty entered into force
    assert bearers(WARSAW_IN_FORCE) == set(WARSAW_PARTIES) - {"poland"}
    assert "albania" in bearers(date(1968, 9, 12)) and "albania" not in bearers(ALBANIA_LEFT)
    assert "east_germany" in bearers(date(1990, 10, 2)) and "east_germany" not in bearers(GDR_LEFT)
    assert bearers(date(1991, 6, 30)) == {"bulgaria", "czechoslovakia", "hungary", "romania", "russia"}
    assert bearers(WARSAW_ENDED) == set()  # the Treaty ended with the Prague Protocol
    # an attack on the former GDR's territory after unity is an attack on a non-Party
    assert bearers(GDR_LEFT, victim="east_germany") == set()
    assert bearers(date(1990, 10, 2), victim="east_germany") == set(WARSAW_PARTIES) - {"east_germany", "albania"}


@pytest.mark.parametrize("area", ["warsaw_pact_outside_europe", "indian_ocean", None])
def test_an_attack_outside_europe_or_without_a_place_engages_no_article_4_duty(warsaw, area):
    atoms = solve(warsaw, attack("china", "russia", area, date(1969, 3, 2)))
    assert atoms_named(atoms, "warsaw_attack_in_europe") == []
    assert conclusions(atoms, "obligation") == set()
    assert {c[1] for c in conclusions(atoms, "permission")} == {"un_51_individual"}


def test_only_an_attack_by_a_state_or_group_of_states_counts(warsaw):
    day = date(1970, 1, 1)
    facts = [fact("te_kind", "band", "group"), fact("armed_attack", "band", "hungary", day),
             fact("attack_location", "hungary", "warsaw_pact_europe", day)]
    broad = fact("te_position", "art51_non_state", "includes_non_state")
    assert conclusions(solve(warsaw, facts + [broad]), "obligation") == set()  # "by any state": not a band
    sent = solve(warsaw, facts + [fact("sent_by", "band", "austria")])
    assert {v for _, v in bound(sent, "warsaw_4_assist")} == {"hungary"}


def test_an_attack_by_a_party_on_a_party_engages_article_4_only_on_the_any_state_reading(warsaw):
    facts = [f for s in INVADERS for f in attack(s, "czechoslovakia", "warsaw_pact_europe", INVASION)]
    default = solve(warsaw, facts)  # the interpretation is open: neither position is taken here
    assert conclusions(default, "obligation") == set()
    assert len(atoms_named(default, "warsaw_attack_by_a_party")) == len(INVADERS)
    outside = solve(warsaw, facts + [fact("te_position", "warsaw_attack_by_party", "outside_states_only")])
    assert conclusions(outside, "obligation") == set()
    literal = solve(warsaw, facts + [fact("te_position", "warsaw_attack_by_party", "any_state")])
    # the Parties not taking part in the attack (Albania was still a Party in August 1968)
    assert bound(literal, "warsaw_4_assist") == {(s, "czechoslovakia") for s in ("albania", "east_germany",
                                                                                 "romania")}


def test_article_4_gives_no_basis_for_measures_in_a_party_that_was_not_attacked(warsaw):
    measures = [fact("measures_taken", s, "czechoslovakia", "warsaw_pact_article_4", INVASION) for s in INVADERS]
    atoms = solve(warsaw, measures)
    assert conclusions(atoms, "obligation") == set()
    assert conclusions(atoms, "permission") == set()
    # what Article 4 does require of measures said to be taken under it: that they be reported
    assert {(c[1], c[2]) for c in conclusions(atoms, "notification")} == {
        ("warsaw_4_report_measures", s) for s in INVADERS}


def test_measures_are_reported_and_end_when_the_security_council_acts(warsaw):
    day, d, sc = date(1960, 5, 1), date(1960, 5, 2), date(1960, 6, 1)
    facts = attack("germany", "poland", "warsaw_pact_europe", day) + [
        fact("measures_taken", "russia", "poland", "warsaw_pact_article_4", d)]
    atoms = solve(warsaw, facts)
    assert conclusions(atoms, "notification", "warsaw_4_report_measures") == {
        ("notification", "warsaw_4_report_measures", "russia", "report_measures", "un_security_council", d)}
    assert te(atoms, "te_due", "warsaw_4_report_measures") == set()
    assert te(atoms, "te_discharged", "warsaw_4_assist") == {("russia", "poland", d)}
    reported = solve(warsaw, facts + [fact("informed", "russia", "un_security_council", "measures", d)])
    assert te(reported, "te_discharged", "warsaw_4_report_measures") == {("russia", "un_security_council", d)}
    ended = solve(warsaw, facts + [fact("security_council_measures_superseding", "poland", sc),
                                   fact("warsaw_measures_terminated", "russia", "poland", date(1960, 6, 3))])
    assert te(ended, "te_until", "warsaw_4_assist") == {(s, "poland", sc) for s in warsaw_parties_on(day) - {"poland"}}
    assert bound(ended, "warsaw_4_terminate") == {("russia", "poland")}
    assert te(ended, "te_discharged", "warsaw_4_terminate") == {("russia", "poland", date(1960, 6, 3))}
