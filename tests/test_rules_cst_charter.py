"""The compiled CST and UN Charter rules, grounded by clingo over small hand-written fact sets."""

from __future__ import annotations

from datetime import date

from helpers import atoms_named, conclusions, fact, solve

CST_2022 = {"armenia", "belarus", "kazakhstan", "kyrgyzstan", "russia", "tajikistan"}
ASKED = ["belarus", "kazakhstan", "kyrgyzstan", "russia", "tajikistan", "uzbekistan", "azerbaijan", "united_states"]


def assist(atoms, rule=None):
    return {(c[2], c[4]) for c in conclusions(atoms, "obligation", rule) if c[3] == "provide_assistance"}


def test_attack_and_request_oblige_every_other_current_member_and_nobody_else(rules):
    d = date(2022, 9, 13)
    facts = [fact("armed_attack", "azerbaijan", "armenia", d)]
    facts += [fact("requested", "armenia", s, "military_assistance", d) for s in ASKED]
    atoms = solve(rules, facts)
    assert assist(atoms) == {(s, "armenia") for s in CST_2022 - {"armenia"}}
    # judged by the 2010 wording, due immediately, triggered by the request
    assert {c[1] for c in conclusions(atoms, "obligation")} == {"cst_4_2_assist_2010"}
    due = {(str(a.arguments[1]), str(a.arguments[5])) for a in atoms_named(atoms, "te_due")}
    assert ("russia", "immediately") in due


def test_the_state_party_that_attacked_owes_its_victim_no_assistance(rules):
    """CST Art. 4(2), both wordings: "the other States Parties" read in good faith do not include the
    attacker (as warsaw_4_assist reads the Warsaw Treaty); every other Party is bound (issue 15:
    Kyrgyzstan-Tajikistan 2022)."""
    d = date(2022, 9, 16)
    facts = [fact("armed_attack", "tajikistan", "kyrgyzstan", d)]
    facts += [fact("requested", "kyrgyzstan", s, "military_assistance", d) for s in CST_2022 - {"kyrgyzstan"}]
    assert assist(solve(rules, facts)) == {(s, "kyrgyzstan") for s in CST_2022 - {"kyrgyzstan", "tajikistan"}}
    early = date(2005, 9, 16)  # the 1992 wording: no request needed
    atoms = solve(rules, [fact("armed_attack", "tajikistan", "kyrgyzstan", early)])
    assert ("tajikistan", "kyrgyzstan") not in assist(atoms, "cst_4_2_assist_1992")
    assert ("russia", "kyrgyzstan") in assist(atoms, "cst_4_2_assist_1992")


def test_no_request_no_obligation_under_the_2010_wording(rules):
    atoms = solve(rules, [fact("armed_attack", "azerbaijan", "armenia", date(2022, 9, 13))])
    assert assist(atoms) == set()
    # the attack is still aggression against all, and Armenia may defend itself (Article 51)
    assert [str(a) for a in atoms_named(atoms, "aggression_against_all")] == [
        f"aggression_against_all(armenia,{date(2022, 9, 13).toordinal()})"]
    assert ("permission", "un_51_individual", "armenia", "use_force", "azerbaijan", date(2022, 9, 13)) in \
        conclusions(atoms)


def test_a_state_that_left_is_not_bound_and_one_that_returned_is(rules):
    # 2010: Uzbekistan was a party again (2008-2012); Azerbaijan and Georgia had left in 1999
    d = date(2010, 6, 1)
    atoms = solve(rules, [fact("armed_attack", "azerbaijan", "armenia", d)])
    bound = {b for b, _ in assist(atoms, "cst_4_2_assist_1992")}
    assert bound == (CST_2022 - {"armenia"}) | {"uzbekistan"}
    # 2022: Uzbekistan's membership was suspended on 2012-12-19
    later = date(2022, 9, 13)
    facts = [fact("armed_attack", "azerbaijan", "armenia", later)]
    facts += [fact("requested", "armenia", s, "assistance", later) for s in ASKED]
    assert "uzbekistan" not in {b for b, _ in assist(solve(rules, facts))}



def _uzbekistan_bound(rules, day):
    facts = [fact("armed_attack", "azerbaijan", "armenia", day)]
    facts += [fact("requested", "armenia", s, "assistance", day) for s in ASKED]
    return "uzbekistan" in {b for b, _ in assist(solve(rules, facts))}


def test_uzbekistan_is_bound_again_from_its_accession_to_the_extension_protocol_not_the_signature_of_2006(rules):
    """Signed 16 August 2006, ratified by the law of 13 December 2006; its Senate approved the accession
    to the 1999 extension Protocol on 28 March 2008 (the date used, its effect not confirmed); suspended
    on 19 December 2012."""
    assert not _uzbekistan_bound(rules, date(2006, 8, 16))
    assert not _uzbekistan_bound(rules, date(2006, 12, 13))
    assert not _uzbekistan_bound(rules, date(2008, 3, 27))
    assert _uzbekistan_bound(rules, date(2008, 3, 28))
    assert _uzbekistan_bound(rules, date(2012, 12, 18))
    assert not _uzbekistan_bound(rules, date(2012, 12, 19))


def test_uzbekistan_s_party_note_says_its_date_of_effect_is_not_confirmed():
    from pathlib import Path
    text = (Path(__file__).resolve().parent.parent / "rules" / "cst.rules").read_text(encoding="utf-8")
    [line] = [ln for ln in text.splitlines() if ln.startswith('party uzbekistan "Uzbekistan" joined 2008')]
    assert "date of effect not confirmed" in line and "left 2012-12-19" in line


def _attack_with_request(day, attacker="azerbaijan", request=True):
    facts = [fact("armed_attack", attacker, "armenia", day)]
    if request:
        facts.append(fact("requested", "armenia", "russia", "assistance", day))
    return facts


def test_1992_wording_needs_no_request_2010_wording_does(rules):
    in_2010 = solve(rules, _attack_with_request(date(2010, 6, 1), request=False))
    in_2022 = solve(rules, _attack_with_request(date(2022, 6, 1), request=False))
    assert ("russia", "armenia") in assist(in_2010, "cst_4_2_assist_1992")
    assert assist(in_2022) == set()


def test_same_facts_dated_2010_and_2022_apply_each_version(rules):
    in_2010 = solve(rules, _attack_with_request(date(2010, 6, 1)))
    in_2022 = solve(rules, _attack_with_request(date(2022, 6, 1)))
    assert {c[1] for c in conclusions(in_2010, "obligation")} == {"cst_4_2_assist_1992"}
    assert {c[1] for c in conclusions(in_2022, "obligation")} == {"cst_4_2_assist_2010"}
    # the 1992 wording has no deadline, the 2010 wording says "immediately"
    assert [a for a in atoms_named(in_2010, "te_due") if str(a.arguments[0]) == "cst_4_2_assist_1992"] == []
    assert any(str(a.arguments[0]) == "cst_4_2_assist_2010" for a in atoms_named(in_2022, "te_due"))


def test_the_version_changes_on_the_day_the_protocol_entered_into_force(rules):
    before = solve(rules, _attack_with_request(date(2012, 12, 18)))
    on_the_day = solve(rules, _attack_with_request(date(2012, 12, 19)))
    assert {c[1] for c in conclusions(before, "obligation")} == {"cst_4_2_assist_1992"}
    assert {c[1] for c in conclusions(on_the_day, "obligation")} == {"cst_4_2_assist_2010"}


def test_an_attack_by_a_non_state_group_is_aggression_only_under_the_2010_wording_on_its_broad_reading(rules):
    gangs = [fact("te_kind", "foreign_gangs", "group")]
    broad = [fact("te_position", "cst_aggression_non_state", "any_armed_attack")]
    in_2010 = solve(rules, gangs + broad + _attack_with_request(date(2010, 6, 1), attacker="foreign_gangs"))
    in_2022 = solve(rules, gangs + broad + _attack_with_request(date(2022, 1, 5), attacker="foreign_gangs"))
    assert assist(in_2010) == set()
    assert assist(in_2022) == {("russia", "armenia")}
    # the 2010 wording, on the state_aggression_only reading (or with no position taken): no aggression
    narrow = [fact("te_position", "cst_aggression_non_state", "state_aggression_only")]
    assert assist(solve(rules, gangs + narrow + _attack_with_request(date(2022, 1, 5), attacker="foreign_gangs"))) \
        == set()


def test_measures_under_article_4_create_the_duty_to_inform_the_security_council(rules):
    d = date(2022, 1, 6)
    atoms = solve(rules, [fact("measures_taken", "russia", "kazakhstan", "cst_article_4", d)])
    notes = conclusions(atoms, "notification")
    assert notes == {("notification", "cst_4_3_inform", "russia", "report_measures", "un_security_council", d)}
    assert [str(a.arguments[5]) for a in atoms_named(atoms, "te_due")] == ["immediately"]
    assert atoms_named(atoms, "te_discharged") == []
    informed = solve(rules, [fact("measures_taken", "russia", "kazakhstan", "cst_article_4", d),
                             fact("informed", "russia", "un_security_council", "measures", date(2022, 1, 7))])
    assert [a.arguments[5].number for a in atoms_named(informed, "te_discharged")] == [date(2022, 1, 7).toordinal()]


def test_measures_on_another_basis_create_no_cst_notification(rules):
    atoms = solve(rules, [fact("measures_taken", "russia", "kazakhstan", "self_defence", date(2022, 1, 6))])
    assert {c[1] for c in conclusions(atoms, "notification")} == {"un_51_report"}


def test_the_article_51_right_lasts_until_the_security_council_acts(rules):
    d, sc = date(2022, 9, 13), date(2022, 9, 20)
    atoms = solve(rules, [fact("armed_attack", "azerbaijan", "armenia", d),
                          fact("security_council_measures_superseding", "armenia", sc)])
    until = {(str(a.arguments[0]), a.arguments[5].number) for a in atoms_named(atoms, "te_until")}
    assert until == {("un_51_individual", sc.toordinal())}
    # Security Council measures about another state end nothing
    other = solve(rules, [fact("armed_attack", "azerbaijan", "armenia", d),
                          fact("security_council_measures_superseding", "ukraine", sc)])
    assert atoms_named(other, "te_until") == []


def test_collective_self_defence_needs_the_victims_request(rules):
    d = date(2022, 9, 13)
    without = solve(rules, [fact("armed_attack", "azerbaijan", "armenia", d)])
    assert conclusions(without, "permission", "un_51_collective") == set()
    with_request = solve(rules, [fact("armed_attack", "azerbaijan", "armenia", d),
                                 fact("requested", "armenia", "france", "assistance", d),
                                 fact("security_council_measures", "georgia", d)])
    assert conclusions(with_request, "permission", "un_51_collective") == {
        ("permission", "un_51_collective", "france", "use_force", "azerbaijan", d)}
    assert atoms_named(with_request, "te_until") == []  # measures about Georgia do not end Armenia's right


def test_no_article_51_right_for_an_entity_that_is_not_a_member(rules):
    """Article 51 speaks of an attack "against a Member": a State that is not one has the customary right
    (rules/customary_law.rules, cil_individual) and never the Charter's."""
    d = date(2022, 9, 13)
    atoms = solve(rules, [fact("te_kind", "kosovo", "state"), fact("armed_attack", "serbia", "kosovo", d)])
    assert conclusions(atoms, "permission") == {("permission", "cil_individual", "kosovo", "use_force", "serbia", d)}
    # before its admission (1992-03-02) Armenia was not a Member either
    early = solve(rules, [fact("armed_attack", "azerbaijan", "armenia", date(1992, 3, 1))])
    assert {c[1] for c in conclusions(early, "permission")} == {"cil_individual"}
    admitted = solve(rules, [fact("armed_attack", "azerbaijan", "armenia", date(1992, 3, 2))])
    assert {c[1] for c in conclusions(admitted, "permission")} == {"un_51_individual"}


def test_self_defence_displaces_the_prohibition_of_force_by_priority(rules):
    d = date(2022, 9, 14)
    force = fact("uses_force", "armenia", "azerbaijan", d)
    plain = solve(rules, [force])
    assert conclusions(plain, "prohibition") == {
        ("prohibition", "un_2_4_no_force", "armenia", "use_force", "azerbaijan", d)}
    attacked = solve(rules, [force, fact("armed_attack", "azerbaijan", "armenia", date(2022, 9, 13))])
    assert conclusions(attacked, "prohibition") == set()
    # force against a third state is still prohibited
    third = solve(rules, [fact("uses_force", "armenia", "turkiye", d),
                          fact("armed_attack", "azerbaijan", "armenia", date(2022, 9, 13))])
    assert {c[4] for c in conclusions(third, "prohibition")} == {"turkiye"}


def test_article_2_consultations_and_assistance_measures(rules):
    d = date(2022, 1, 5)
    atoms = solve(rules, [fact("threat_to_security", "kazakhstan", d), fact("joint_consultations", "kazakhstan", d)])
    consult = conclusions(atoms, "obligation", "cst_2_consult_2010")
    assert {c[2] for c in consult} == CST_2022  # the threatened state consults too
    measures = conclusions(atoms, "obligation", "cst_2_assist_2010")
    assert {c[2] for c in measures} == CST_2022 - {"kazakhstan"}
    discharged = {str(a.arguments[0]) for a in atoms_named(atoms, "te_discharged")}
    assert discharged == {"cst_2_consult_2010"}


def test_article_4_measures_report_under_article_51_only_where_the_attack_gives_the_right(rules):
    d = date(2022, 1, 6)
    base = [fact("measures_taken", "russia", "kazakhstan", "cst_article_4", d),
            fact("requested", "kazakhstan", "russia", "assistance", date(2022, 1, 5)),
            fact("te_kind", "gangs", "group")]
    without_attack = solve(rules, base)
    assert {c[1] for c in conclusions(without_attack, "notification")} == {"cst_4_3_inform"}
    # (the right against gangs, a non-state group, on the includes_non_state reading of Article 51)
    with_attack = solve(rules, base + [fact("armed_attack", "gangs", "kazakhstan", date(2022, 1, 5)),
                                       fact("te_position", "art51_non_state", "includes_non_state")])
    assert {c[1] for c in conclusions(with_attack, "notification")} == {"cst_4_3_inform", "un_51_report_collective"}
