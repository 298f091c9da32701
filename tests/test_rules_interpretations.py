"""The shipped rule base's interpretations (issue 13), grounded by clingo over hand-written facts, one reading
at a time: each test states the positions it takes as te_position facts (the defaults, unless it says otherwise),
as the scenario side does for a reading."""

from __future__ import annotations

from datetime import date

import clingo
from helpers import atoms_named, conclusions, fact, solve

from engine import Rules

KZ = date(2022, 1, 5)
CST_OTHERS = {"armenia", "belarus", "kyrgyzstan", "russia", "tajikistan"}


def positions(rules: Rules, **taken: str) -> list[clingo.Symbol]:
    """te_position facts: the default of every interpretation that has one, overridden by ``taken``."""
    chosen = {i.id: i.default for i in rules.base.interpretations.values() if i.default is not None} | taken
    return [fact("te_position", i, p) for i, p in chosen.items()]


def read(rules: Rules, facts: list[clingo.Symbol], **taken: str) -> list[clingo.Symbol]:
    return solve(rules, facts + positions(rules, **taken))


def perms(atoms, action: str = "use_force") -> set[tuple[str, str, str]]:
    return {(c[1], c[2], c[4]) for c in conclusions(atoms, "permission") if c[3] == action}


# ---- the rule base declares its contested law -------------------------------------------------------

def test_at_least_six_interpretations_each_position_with_a_source(rules):
    interps = rules.base.interpretations
    assert {"art51_non_state", "armed_attack_gravity", "cst_aggression_non_state", "valid_inviting_authority",
            "consent_in_internal_strife", "sc_measures_end_self_defence", "art51_report_form"} <= set(interps)
    for interp in interps.values():
        assert len(interp.positions) >= 2
        assert all(p.sources for p in interp.positions), interp.id
    assert interps["art51_non_state"].default is None and interps["cst_aggression_non_state"].default is None
    assert interps["armed_attack_gravity"].default == "most_grave_forms"
    assert interps["consent_in_internal_strife"].default == "government_may_invite"
    assert interps["art51_report_form"].default == "must_invoke_51"


# ---- Article 51: who may be the attacker ------------------------------------------------------------

GANGS = [fact("te_kind", "gangs", "group"), fact("armed_attack", "gangs", "kazakhstan", KZ),
         fact("requested", "kazakhstan", "russia", "military_assistance", KZ)]


def test_an_attack_by_a_non_state_group_engages_article_51_only_on_the_broad_reading(rules):
    narrow = read(rules, GANGS, art51_non_state="state_only")
    broad = read(rules, GANGS, art51_non_state="includes_non_state")
    assert perms(narrow) == set()
    assert perms(broad) == {("un_51_individual", "kazakhstan", "gangs"), ("un_51_collective", "russia", "gangs")}
    # with no position taken (an open interpretation outside a reading), nothing that needs one follows
    assert perms(solve(rules, GANGS)) == set()


def test_a_group_sent_by_a_state_is_the_states_attack_on_every_reading(rules):
    sent = GANGS + [fact("sent_by", "gangs", "uzbekistan")]
    for reading in ("state_only", "includes_non_state"):
        assert perms(read(rules, sent, art51_non_state=reading)) == {
            ("un_51_individual", "kazakhstan", "uzbekistan"), ("un_51_individual", "kazakhstan", "gangs"),
            ("un_51_collective", "russia", "uzbekistan"), ("un_51_collective", "russia", "gangs")}


def test_collective_self_defence_needs_a_request_for_assistance_not_for_consultations(rules):
    d = date(2022, 9, 13)
    consult = [fact("armed_attack", "azerbaijan", "armenia", d),
               fact("requested", "armenia", "france", "consultations", d)]
    assert {c[1] for c in conclusions(read(rules, consult), "permission")} == {"un_51_individual"}
    asked = consult + [fact("requested", "armenia", "france", "assistance", d)]
    assert ("un_51_collective", "france", "azerbaijan") in perms(read(rules, asked))


# ---- gravity: uses of force below an armed attack ------------------------------------------------

BORDER = date(2022, 9, 13)
CLASH = [fact("uses_force", "azerbaijan", "armenia", BORDER),
         fact("requested", "armenia", "russia", "military_assistance", BORDER)]


def test_a_use_of_force_below_an_armed_attack_engages_no_collective_defence_clause_by_default(rules):
    atoms = read(rules, CLASH)
    assert perms(atoms) == set()
    assert atoms_named(atoms, "aggression_against_all") == []
    assert {c[1] for c in conclusions(atoms)} == {"un_2_4_no_force"}  # only the prohibition


def test_on_the_any_use_of_force_reading_it_is_an_armed_attack(rules):
    atoms = read(rules, CLASH, armed_attack_gravity="any_use_of_force")
    assert ("un_51_individual", "armenia", "azerbaijan") in perms(atoms)
    assert {(c[2], c[4]) for c in conclusions(atoms, "obligation", "cst_4_2_assist_2010")} == {("russia", "armenia")}


def test_force_in_response_is_not_an_armed_attack_on_the_broad_reading(rules):
    answer = CLASH + [fact("uses_force", "armenia", "azerbaijan", date(2022, 9, 14))]
    atoms = read(rules, answer, armed_attack_gravity="any_use_of_force")
    assert ("un_51_individual", "azerbaijan", "armenia") not in perms(atoms)
    # and Armenia's force against its attacker is displaced from the prohibition by its own right
    assert {c[2] for c in conclusions(atoms, "prohibition")} == {"azerbaijan"}


def test_the_gravity_reading_reaches_the_treaty_clauses_that_take_article_51s_meaning(rules):
    d = date(2024, 3, 1)
    incident = [fact("uses_force", "russia", "estonia", d), fact("attack_location", "estonia", "europe", d)]
    assert conclusions(read(rules, incident), "obligation", "nato_5_assist") == set()
    assert len(conclusions(read(rules, incident, armed_attack_gravity="any_use_of_force"), "obligation",
                           "nato_5_assist")) == 30  # the 30 other Parties of March 2024


# ---- CST Article 4: "aggression" by a non-state group ------------------------------------------

def test_cst_aggression_by_foreign_trained_gangs_depends_on_its_own_reading_not_on_article_51s(rules):
    def bound(**taken):
        return {c[2] for c in conclusions(read(rules, GANGS_ALL, **taken), "obligation", "cst_4_2_assist_2010")}
    assert bound(cst_aggression_non_state="state_aggression_only", art51_non_state="includes_non_state") == set()
    assert bound(cst_aggression_non_state="any_armed_attack", art51_non_state="state_only") == CST_OTHERS


GANGS_ALL = [fact("te_kind", "gangs", "group"), fact("armed_attack", "gangs", "kazakhstan", KZ)] + [
    fact("requested", "kazakhstan", s, "assistance", KZ) for s in CST_OTHERS]


def test_a_request_for_consultations_triggers_no_cst_assistance_duty(rules):
    d = date(2022, 9, 13)
    facts = [fact("armed_attack", "azerbaijan", "armenia", d),
             fact("requested", "armenia", "russia", "consultations", d)]
    assert conclusions(read(rules, facts), "obligation", "cst_4_2_assist_2010") == set()


# ---- consent: intervention by invitation -----------------------------------------------------------

INVITED = [fact("invited", "kazakhstan", "russia", KZ)]


def test_consent_gives_force_on_the_hosts_territory_only(rules):
    atoms = read(rules, INVITED)
    assert conclusions(atoms, "permission") == {
        ("permission", "un_consent_force_on_territory", "russia", "use_force_on_territory_of", "kazakhstan", KZ)}
    assert perms(atoms) == set()  # no permission to use force against anyone
    # force against a third state stays prohibited
    third = read(rules, INVITED + [fact("uses_force", "russia", "kyrgyzstan", date(2022, 1, 7))])
    assert {(c[1], c[4]) for c in conclusions(third, "prohibition")} == {("un_2_4_no_force", "kyrgyzstan")}


def test_consent_ends_when_withdrawn(rules):
    atoms = read(rules, INVITED + [fact("consent_withdrawn", "kazakhstan", "russia", date(2022, 1, 13))])
    assert [(str(a.arguments[0]), a.arguments[5].number) for a in atoms_named(atoms, "te_until")] == [
        ("un_consent_force_on_territory", date(2022, 1, 13).toordinal())]


def test_who_may_invite(rules):
    exiled = INVITED + [fact("inviting_government_lacks_control", "kazakhstan", KZ)]
    assert conclusions(read(rules, exiled), "permission") == set()
    assert len(conclusions(read(rules, exiled, valid_inviting_authority="recognised_government"), "permission")) == 1
    unrecognised = INVITED + [fact("inviting_government_unrecognised", "kazakhstan", KZ)]
    assert len(conclusions(read(rules, unrecognised), "permission")) == 1
    assert conclusions(read(rules, unrecognised, valid_inviting_authority="recognised_government"),
                       "permission") == set()


def test_consent_in_internal_strife(rules):
    protest = INVITED + [fact("internal_strife", "kazakhstan", "nonviolent_protest", KZ)]
    war = INVITED + [fact("internal_strife", "kazakhstan", "civil_war", KZ)]
    for facts in (protest, war):  # the default: a government may invite whatever the strife
        assert len(conclusions(read(rules, facts), "permission")) == 1
    assert conclusions(read(rules, protest, consent_in_internal_strife="no_suppression_of_protest"),
                       "permission") == set()
    assert len(conclusions(read(rules, war, consent_in_internal_strife="no_suppression_of_protest"), "permission")) == 1
    assert conclusions(read(rules, war, consent_in_internal_strife="purpose_based"), "permission") == set()
    assert len(conclusions(read(rules, protest, consent_in_internal_strife="purpose_based"), "permission")) == 1


# ---- the Security Council's measures ---------------------------------------------------------------

def test_which_security_council_measures_end_self_defence(rules):
    d, sc = date(1990, 8, 2), date(1990, 8, 6)
    facts = [fact("armed_attack", "iraq", "kuwait", d), fact("security_council_measures", "kuwait", sc)]

    def ended(atoms):
        return {str(a.arguments[0]) for a in atoms_named(atoms, "te_until")}
    assert ended(read(rules, facts)) == set()  # default: effective_or_intended_measures
    assert ended(read(rules, facts, sc_measures_end_self_defence="any_measures")) == {"un_51_individual"}
    superseding = [fact("armed_attack", "iraq", "kuwait", d),
                   fact("security_council_measures_superseding", "kuwait", sc)]
    for reading in ("any_measures", "effective_or_intended_measures"):
        assert ended(read(rules, superseding, sc_measures_end_self_defence=reading)) == {"un_51_individual"}


def test_a_request_after_the_councils_measures_opens_no_collective_right(rules):
    """Article 51: the right lasts "until the Security Council has taken measures necessary"; a request
    made after that day cannot open a collective right (a request on the day still gives one, ended
    that day, as the victim's own). The right arose from a later request before (issue 15: the
    casebook's Afghanistan 2001 and ANZUS 2001)."""
    d, sc = date(2001, 9, 11), date(2001, 9, 28)
    base = [fact("armed_attack", "afghanistan", "united_states", d),
            fact("security_council_measures", "united_states", sc)]

    def collective(request_day, **taken):
        facts = base + [fact("requested", "united_states", "united_kingdom", "assistance", request_day)]
        return {p for p in perms(read(rules, facts, **taken)) if p[0] == "un_51_collective"}
    later, same, before = date(2001, 10, 4), sc, date(2001, 9, 20)
    assert collective(later, sc_measures_end_self_defence="any_measures") == set()
    assert collective(same, sc_measures_end_self_defence="any_measures") == {
        ("un_51_collective", "united_kingdom", "afghanistan")}
    assert collective(before, sc_measures_end_self_defence="any_measures") == {
        ("un_51_collective", "united_kingdom", "afghanistan")}
    # on the default reading, measures that were not effective or meant to replace self-defence end nothing
    assert collective(later) == {("un_51_collective", "united_kingdom", "afghanistan")}


# ---- the Article 51 report ---------------------------------------------------------------------------

def test_an_article_51_report_must_invoke_article_51_unless_any_notice_counts(rules):
    d = date(2022, 9, 14)
    facts = [fact("measures_taken", "armenia", "armenia", "self_defence", d),
             fact("informed", "armenia", "un_security_council", "measures", d),
             fact("invoked", "armenia", "un_security_council", "cst", "article_4", d)]

    def discharged(atoms):
        return {str(a.arguments[0]) for a in atoms_named(atoms, "te_discharged")}
    assert discharged(read(rules, facts)) == set()
    assert discharged(read(rules, facts, art51_report_form="any_notice_of_measures")) == {"un_51_report"}
    invoking = facts + [fact("invoked", "armenia", "un_security_council", "un_charter", "article_51", d)]
    assert discharged(read(rules, invoking)) == {"un_51_report"}
    stated = facts + [fact("informed", "armenia", "un_security_council", "self_defence_measures", d)]
    assert discharged(read(rules, stated)) == {"un_51_report"}


# ---- a collective body's decision as an input -------------------------------------------------------

def test_the_rio_organ_of_consultation_acts_through_its_decision(rules):
    d = date(2022, 6, 1)
    base = [fact("armed_attack", "russia", "brazil", d), fact("requested", "brazil", "chile", "assistance", d),
            fact("attack_location", "brazil", "rio_american_state_territory", d)]  # Art. 3(3): where it applies
    decision = fact("decided", "rio_organ_of_consultation", "collective_measures", "brazil", "rio_article_3",
                    date(2022, 6, 4))
    assert not any(str(a.arguments[0]) == "rio_3_2_immediate_measures"
                   for a in atoms_named(read(rules, base), "te_until"))
    assert any(str(a.arguments[0]) == "rio_3_2_immediate_measures"
               for a in atoms_named(read(rules, base + [decision]), "te_until"))
    # another body's decision ends nothing
    other = fact("decided", "csto_collective_security_council", "collective_measures", "brazil", "rio_article_3",
                 date(2022, 6, 4))
    assert not any(str(a.arguments[0]) == "rio_3_2_immediate_measures"
                   for a in atoms_named(read(rules, base + [other]), "te_until"))
