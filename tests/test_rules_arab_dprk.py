"""The compiled Arab League Joint Defence Treaty (Article 2) and Russia-DPRK Treaty (Articles 3 and 4) rules,
each with the UN Charter it includes, grounded by clingo over small hand-written fact sets."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from helpers import atoms_named, bound, conclusions, fact, run, solve

from engine import Rules, load_rules

ROOT = Path(__file__).resolve().parent.parent
JDEC = "arab_league_jdec"
RDPRK = "russia_dprk_treaty"
AID = "aid(all_steps_available)"
ASSIST = "provide_military_and_other_assistance"

JDEC_IN_FORCE = date(1952, 8, 23)
UAR_FROM, UAR_UNTIL = date(1958, 2, 21), date(1961, 10, 13)  # the UN list's dates, used by analogy
JDEC_PARTIES = {"egypt", "iraq", "jordan", "lebanon", "saudi_arabia", "syria", "yemen"}
SUEZ = date(1956, 10, 29)
RDPRK_IN_FORCE = date(2024, 12, 4)
KURSK = date(2024, 8, 6)
LATER = date(2025, 1, 10)


@pytest.fixture(scope="module")
def jdec() -> Rules:
    """Only the Arab League treaty file (which includes un_charter.rules), loaded once for this module."""
    return load_rules(ROOT / "rules" / "arab_league_jdec.rules")


@pytest.fixture(scope="module")
def rdprk() -> Rules:
    """Only the Russia-DPRK treaty file (which includes un_charter.rules), loaded once for this module."""
    return load_rules(ROOT / "rules" / "russia_dprk_treaty.rules")


def due(atoms, rule: str) -> set[tuple[str, str]]:
    """(bearer, deadline) of the te_due atoms of one rule."""
    return {(str(a.arguments[1]), str(a.arguments[5])) for a in atoms_named(atoms, "te_due")
            if str(a.arguments[0]) == rule}


def days(atoms, name: str, rule: str) -> set[tuple[str, str, date]]:
    """(bearer, counterparty, day) of the te_discharged / te_until atoms of one rule."""
    return {(str(a.arguments[1]), str(a.arguments[3]), date.fromordinal(a.arguments[5].number))
            for a in atoms_named(atoms, name) if str(a.arguments[0]) == rule}


def position(name: str, pos: str):
    return fact("te_position", name, pos)


# ==== Joint Defence and Economic Co-operation Treaty (Arab League), Article 2 =========================

def test_jdec_the_seven_original_signatories_are_parties_from_entry_into_force(jdec):
    listed = {(p.entity, p.joined, p.left) for p in jdec.base.parties if p.instrument == JDEC}
    assert listed == ({(s, JDEC_IN_FORCE, None) for s in JDEC_PARTIES - {"egypt", "syria"}}
                      | {(s, JDEC_IN_FORCE, UAR_FROM) for s in ("egypt", "syria")}
                      | {(s, UAR_UNTIL, None) for s in ("egypt", "syria")}
                      | {("united_arab_republic", UAR_FROM, UAR_UNTIL)})
    un_members = {p.entity for p in jdec.base.parties if p.instrument == "un_charter"}
    assert JDEC_PARTIES | {"united_arab_republic"} <= un_members  # the same entity ids as the Charter's list
    # every party date has a source, and the unconfirmed ones say so in the reader's terms
    notes = {(p.entity, p.joined): p.note or "" for p in jdec.base.parties if p.instrument == JDEC}
    assert all("not confirmed" in notes[s, JDEC_IN_FORCE] for s in JDEC_PARTIES - {"iraq"})
    assert "brought the Treaty into force" in notes["iraq", JDEC_IN_FORCE]
    assert "NOT confirmed for the Treaty" in notes["united_arab_republic", UAR_FROM]


def test_jdec_the_united_arab_republic_is_one_party_in_place_of_egypt_and_syria_with_the_un_s_dates(jdec):
    def periods(instrument: str, entity: str) -> set[tuple[date, date | None]]:
        return {(p.joined, p.left) for p in jdec.base.parties if p.instrument == instrument and p.entity == entity}
    # the same dates as the UN list, so that an id names the same State in both lists on every day
    for entity in ("egypt", "syria", "united_arab_republic"):
        un = periods("un_charter", entity)
        assert {left for _, left in periods(JDEC, entity)} == {left for _, left in un}, entity
        assert {joined for joined, _ in periods(JDEC, entity)} - {JDEC_IN_FORCE} <= {joined for joined, _ in un}, entity


def test_jdec_an_attack_on_the_united_arab_republic_in_1959_binds_the_five_other_parties(jdec):
    d = date(1959, 3, 1)
    atoms = solve(jdec, [fact("armed_attack", "x", "united_arab_republic", d), fact("te_kind", "x", "state")])
    others = JDEC_PARTIES - {"egypt", "syria"}
    assert bound(atoms, "jdec_2_aid") == {(s, "united_arab_republic") for s in others}
    assert {c[2] for c in conclusions(atoms, "notification") if c[1].startswith("jdec_2_notify_aggression")} == {
        "united_arab_republic"}
    # an attack on Syria's territory then is an attack on the UAR: stated against `syria`, it engages no one
    as_syria = solve(jdec, [fact("armed_attack", "x", "syria", d), fact("te_kind", "x", "state")])
    assert atoms_named(as_syria, "jdec_aggression_against_all") == []
    # in 1959 the UAR is bound in place of Egypt and Syria to aid another Party
    by_uar = solve(jdec, [fact("armed_attack", "israel", "jordan", d)])
    assert bound(by_uar, "jdec_2_aid") == {(s, "jordan") for s in others - {"jordan"} | {"united_arab_republic"}}
    # on the day before the union, and from Syria's separate membership on, Egypt and Syria are Parties again
    before = solve(jdec, [fact("armed_attack", "israel", "syria", UAR_FROM - timedelta(days=1))])
    assert ("egypt", "syria") in bound(before, "jdec_2_aid")
    after = solve(jdec, [fact("armed_attack", "israel", "syria", UAR_UNTIL)])
    assert bound(after, "jdec_2_aid") == {(s, "syria") for s in JDEC_PARTIES - {"syria"}}
    # a day before the UN's date of Syria's separate membership, the UAR still stands for both
    last_day = solve(jdec, [fact("armed_attack", "israel", "united_arab_republic", UAR_UNTIL - timedelta(days=1))])
    assert len(bound(last_day, "jdec_2_aid")) == 5


def test_jdec_armed_aggression_by_a_state_obliges_every_other_party_to_aid_without_delay(jdec):
    atoms = solve(jdec, [fact("armed_attack", "israel", "egypt", SUEZ)])
    assert [str(a) for a in atoms_named(atoms, "jdec_aggression_against_all")] == [
        f"jdec_aggression_against_all(egypt,{SUEZ.toordinal()})"]
    assert bound(atoms, "jdec_2_aid") == {(s, "egypt") for s in JDEC_PARTIES - {"egypt"}}
    assert {c[3] for c in conclusions(atoms, "obligation", "jdec_2_aid")} == {AID}
    assert due(atoms, "jdec_2_aid") == {(s, "immediately") for s in JDEC_PARTIES - {"egypt"}}
    # no request is needed, and the attacker is bound by nothing under the Treaty
    assert "israel" not in {b for b, _ in bound(atoms, "jdec_2_aid")}


def test_jdec_an_attack_on_a_party_s_armed_forces_is_stated_against_that_party_anywhere(jdec):
    # Article 2 names no area: an attack located anywhere engages it
    atoms = solve(jdec, [fact("armed_attack", "israel", "syria", date(1967, 6, 5)),
                         fact("attack_location", "syria", "indian_ocean", date(1967, 6, 5))])
    assert {v for _, v in bound(atoms, "jdec_2_aid")} == {"syria"}


def test_jdec_nothing_before_entry_into_force(jdec):
    assert bound(solve(jdec, [fact("armed_attack", "israel", "egypt", date(1952, 8, 22))]), "jdec_2_aid") == set()
    on_the_day = solve(jdec, [fact("armed_attack", "israel", "egypt", JDEC_IN_FORCE)])
    assert len(bound(on_the_day, "jdec_2_aid")) == 6
    # the 1948 war predates the Treaty
    assert conclusions(solve(jdec, [fact("armed_attack", "israel", "egypt", date(1948, 10, 15))]),
                       rule="jdec_2_aid") == set()


def test_jdec_a_state_not_encoded_as_a_party_engages_no_one(jdec):
    # Kuwait joined the League in 1961; its accession to the Treaty is not encoded (no date found)
    atoms = solve(jdec, [fact("armed_attack", "iraq", "kuwait", date(1990, 8, 2))])
    assert atoms_named(atoms, "jdec_aggression_against_all") == []
    assert bound(atoms, "jdec_2_aid") == set()
    # ... and a state not encoded is never bound to aid a Party
    assert "kuwait" not in {b for b, _ in bound(solve(jdec, [fact("armed_attack", "iran", "iraq",
                                                                  date(1980, 9, 22))]), "jdec_2_aid")}


def test_jdec_an_attack_by_a_non_state_group_needs_the_broad_reading_of_article_2(jdec):
    d = date(2015, 2, 15)
    group = [fact("te_kind", "isil", "group"), fact("armed_attack", "isil", "egypt", d)]
    everyone = {(s, "egypt") for s in JDEC_PARTIES - {"egypt"}}
    # the interpretation is open in the rule base: with no position taken, no reading rule fires
    assert bound(solve(jdec, group), "jdec_2_aid") == set()
    narrow = [position("jdec_aggression_non_state", "state_aggression_only")]
    broad = [position("jdec_aggression_non_state", "any_armed_aggression")]
    assert bound(solve(jdec, group + narrow), "jdec_2_aid") == set()
    on_broad = solve(jdec, group + broad)
    assert bound(on_broad, "jdec_2_aid") == everyone
    assert {str(a.arguments[0]) for a in atoms_named(on_broad, "jdec_aggression_against_all")} == {"egypt"}
    # not coupled to Article 51: the treaty duty follows its own reading, whatever art51_non_state says
    for art51 in ("state_only", "includes_non_state"):
        with_51 = [position("art51_non_state", art51)]
        assert bound(solve(jdec, group + broad + with_51), "jdec_2_aid") == everyone, art51
        assert bound(solve(jdec, group + narrow + with_51), "jdec_2_aid") == set(), art51
    # ... while the permission to use force against the group is Article 51's alone
    narrow_51 = solve(jdec, group + narrow + [position("art51_non_state", "includes_non_state")])
    assert ("permission", "un_51_individual", "egypt", "use_force", "isil", d) in conclusions(narrow_51)
    broad_no_51 = solve(jdec, group + broad + [position("art51_non_state", "state_only")])
    assert not {c for c in conclusions(broad_no_51, "permission") if c[4] == "isil"}
    # a group a state sent attacks as that state, on every reading
    sent = [fact("sent_by", "isil", "x"), fact("te_kind", "x", "state")]
    assert bound(solve(jdec, group + sent), "jdec_2_aid") == everyone
    assert bound(solve(jdec, group + sent + narrow), "jdec_2_aid") == everyone
    # an attack by a state does not need the broad reading, and is not counted twice on it
    state_attack = solve(jdec, [fact("armed_attack", "israel", "egypt", d)] + broad)
    assert len(atoms_named(state_attack, "jdec_aggression_against_all")) == 1


def test_jdec_a_use_of_force_below_an_armed_attack_does_not_trigger_on_the_default_reading(jdec):
    force = [fact("uses_force", "israel", "lebanon", date(1982, 6, 6))]
    assert bound(solve(jdec, force), "jdec_2_aid") == set()
    broad = solve(jdec, force + [position("armed_attack_gravity", "any_use_of_force")])
    assert {v for _, v in bound(broad, "jdec_2_aid")} == {"lebanon"}


def test_jdec_the_aggression_is_notified_by_the_victim_to_both_councils(jdec):
    facts = [fact("armed_attack", "israel", "egypt", SUEZ)]
    atoms = solve(jdec, facts)
    assert conclusions(atoms, "notification") >= {
        ("notification", "jdec_2_notify_aggression_sc", "egypt", "report_aggression", "un_security_council", SUEZ),
        ("notification", "jdec_2_notify_aggression_council", "egypt", "report_aggression", "arab_league_council",
         SUEZ)}
    assert {c[2] for c in conclusions(atoms, "notification") if c[1].startswith("jdec_")} == {"egypt"}
    assert due(atoms, "jdec_2_notify_aggression_sc") == set()  # the English read says no "immediately"
    letter = solve(jdec, facts + [fact("informed", "egypt", "un_security_council", "armed_attack", date(1956, 10, 30))])
    assert days(letter, "te_discharged", "jdec_2_notify_aggression_sc") == {
        ("egypt", "un_security_council", date(1956, 10, 30))}
    assert days(letter, "te_discharged", "jdec_2_notify_aggression_council") == set()


def test_jdec_steps_taken_under_article_2_discharge_the_aid_and_must_be_notified(jdec):
    d = date(1956, 11, 1)
    facts = [fact("armed_attack", "israel", "egypt", SUEZ),
             fact("measures_taken", "syria", "egypt", "jdec_article_2", d),
             fact("measures_taken", "jordan", "egypt", "self_defence", d)]
    atoms = solve(jdec, facts)
    assert days(atoms, "te_discharged", "jdec_2_aid") == {("syria", "egypt", d)}
    notified = {(c[1], c[2]) for c in conclusions(atoms, "notification") if c[3] == "report_measures"}
    assert ("jdec_2_notify_measures_sc", "syria") in notified
    assert ("jdec_2_notify_measures_council", "syria") in notified
    assert not {r for r, b in notified if b == "jordan" and r.startswith("jdec_")}
    told = solve(jdec, facts + [fact("informed", "syria", "arab_league_council", "measures", date(1956, 11, 2))])
    assert days(told, "te_discharged", "jdec_2_notify_measures_council") == {
        ("syria", "arab_league_council", date(1956, 11, 2))}
    # steps stated by a state that is not a Party create no treaty notification
    other = solve(jdec, [fact("measures_taken", "kuwait", "egypt", "jdec_article_2", d)])
    assert not {c[1] for c in conclusions(other, "notification")} & {
        "jdec_2_notify_measures_sc", "jdec_2_notify_measures_council"}


# ==== Russia-DPRK Treaty on Comprehensive Strategic Partnership, Articles 3 and 4 =====================

def test_rdprk_both_parties_are_bound_from_the_exchange_of_ratifications(rdprk):
    listed = {(p.entity, p.joined, p.left) for p in rdprk.base.parties if p.instrument == RDPRK}
    assert listed == {("russia", RDPRK_IN_FORCE, None), ("north_korea", RDPRK_IN_FORCE, None)}


def attack(victim: str, day: date, attacker: str = "x", reading: str | None = "armed_attack_suffices") -> list:
    facts = [fact("armed_attack", attacker, victim, day)]
    if attacker == "x":  # an unnamed attacking state
        facts.append(fact("te_kind", "x", "state"))
    if reading:
        facts.append(position("rdprk_state_of_war", reading))
    return facts


def test_rdprk_an_armed_attack_by_a_state_obliges_the_other_party_immediately(rdprk):
    atoms = solve(rdprk, attack("north_korea", LATER))
    assert conclusions(atoms, "obligation", "rdprk_4_assist") == {
        ("obligation", "rdprk_4_assist", "russia", ASSIST, "north_korea", LATER)}
    assert due(atoms, "rdprk_4_assist") == {("russia", "immediately")}
    both_ways = solve(rdprk, attack("russia", LATER))
    assert bound(both_ways, "rdprk_4_assist") == {("north_korea", "russia")}


def test_rdprk_the_state_of_war_reading_decides_whether_an_attack_alone_triggers(rdprk):
    # the interpretation is open in the rule base: with no position taken, no reading rule fires
    assert bound(solve(rdprk, attack("north_korea", LATER, reading=None)), "rdprk_4_assist") == set()
    strict = attack("north_korea", LATER, reading="declared_state_of_war")
    assert bound(solve(rdprk, strict), "rdprk_4_assist") == set()
    war_day = date(2025, 1, 12)
    at_war = solve(rdprk, strict + [fact("state_of_war", "north_korea", "x", war_day)])
    assert conclusions(at_war, "obligation", "rdprk_4_assist") == {
        ("obligation", "rdprk_4_assist", "russia", ASSIST, "north_korea", war_day)}
    # a state of war with another state than the attacker, or before the attack, is not "put in" by it
    other = solve(rdprk, strict + [fact("state_of_war", "north_korea", "y", war_day), fact("te_kind", "y", "state"),
                                   fact("state_of_war", "north_korea", "x", date(2025, 1, 9))])
    assert bound(other, "rdprk_4_assist") == set()


def test_rdprk_nothing_before_entry_into_force_kursk_august_2024(rdprk):
    for reading in ("armed_attack_suffices", "declared_state_of_war"):
        facts = attack("russia", KURSK, attacker="ukraine", reading=reading)
        facts.append(fact("state_of_war", "russia", "ukraine", date(2024, 12, 20)))
        assert bound(solve(rdprk, facts), "rdprk_4_assist") == set(), reading
    assert bound(solve(rdprk, attack("russia", date(2024, 12, 3), attacker="ukraine")), "rdprk_4_assist") == set()
    # an attack a scenario states on a day the Treaty is in force engages it (on the first reading)
    on_the_day = solve(rdprk, attack("russia", RDPRK_IN_FORCE, attacker="ukraine"))
    assert bound(on_the_day, "rdprk_4_assist") == {("north_korea", "russia")}


def test_rdprk_an_attack_by_a_non_state_group_never_triggers_article_4(rdprk):
    group = attack("russia", LATER, attacker="isis_k") + [fact("te_kind", "isis_k", "group"),
                                                          position("art51_non_state", "includes_non_state")]
    atoms = solve(rdprk, group)
    assert bound(atoms, "rdprk_4_assist") == set()
    # Article 51 itself is engaged on that reading: Russia may defend itself
    assert ("permission", "un_51_individual", "russia", "use_force", "isis_k", LATER) in conclusions(atoms)
    # a group a state sent attacks as that state
    sent = solve(rdprk, group + [fact("sent_by", "isis_k", "x"), fact("te_kind", "x", "state")])
    assert bound(sent, "rdprk_4_assist") == {("north_korea", "russia")}


def test_rdprk_a_third_state_is_never_bound_and_never_protected(rdprk):
    atoms = solve(rdprk, attack("china", LATER) + attack("north_korea", LATER, attacker="united_states"))
    assert bound(atoms, "rdprk_4_assist") == {("russia", "north_korea")}


def test_rdprk_assistance_under_article_4_discharges_and_article_51_asks_a_report(rdprk):
    d = date(2025, 1, 15)
    facts = attack("russia", LATER, attacker="ukraine") + [
        fact("requested", "russia", "north_korea", "military_assistance", LATER),
        fact("measures_taken", "north_korea", "russia", "rdprk_article_4", d)]
    atoms = solve(rdprk, facts)
    assert days(atoms, "te_discharged", "rdprk_4_assist") == {("north_korea", "russia", d)}
    # Article 4 adds no reporting duty of its own; the Charter's (measures in collective self-defence) applies
    reports = {(c[1], c[2]) for c in conclusions(atoms, "notification")}
    assert reports == {("un_51_report_collective", "north_korea")}
    assert ("permission", "un_51_collective", "north_korea", "use_force", "ukraine", LATER) in conclusions(atoms)
    # without the victim's request there is no Article 51 permission, hence no Article 51 report; the
    # treaty duty to assist stands (it needs no request)
    no_request = solve(rdprk, facts[:-2] + facts[-1:])
    assert conclusions(no_request, "notification") == set()
    assert bound(no_request, "rdprk_4_assist") == {("north_korea", "russia")}


def test_rdprk_article_3_a_threat_and_a_request_oblige_both_parties_to_consult_immediately(rdprk):
    t, d = date(2025, 3, 1), date(2025, 3, 2)
    facts = [fact("rdprk_threat_of_aggression", "north_korea", t),
             fact("requested", "north_korea", "russia", "consultations", d)]
    atoms = solve(rdprk, facts)
    assert conclusions(atoms, "obligation", "rdprk_3_consult") == {
        ("obligation", "rdprk_3_consult", m, "activate_consultation_channels", "north_korea", d)
        for m in ("russia", "north_korea")}
    assert due(atoms, "rdprk_3_consult") == {("russia", "immediately"), ("north_korea", "immediately")}
    held = solve(rdprk, facts + [fact("rdprk_consultations_held", "north_korea", date(2025, 3, 3))])
    assert {b for b, _, _ in days(held, "te_discharged", "rdprk_3_consult")} == {"russia", "north_korea"}
    # either side may ask (here Russia, about the threat to the DPRK)
    by_russia = solve(rdprk, facts[:1] + [fact("requested", "russia", "north_korea", "consultations", d)])
    assert len(bound(by_russia, "rdprk_3_consult")) == 2


def test_rdprk_article_3_needs_a_request_by_a_party_after_the_threat_while_in_force(rdprk):
    t = date(2025, 3, 1)
    threat = [fact("rdprk_threat_of_aggression", "north_korea", t)]
    assert bound(solve(rdprk, threat), "rdprk_3_consult") == set()
    for request in (fact("requested", "china", "russia", "consultations", t),          # not a Party
                    fact("requested", "north_korea", "russia", "consultations", date(2025, 2, 28))):  # before
        assert bound(solve(rdprk, threat + [request]), "rdprk_3_consult") == set()
    before = [fact("rdprk_threat_of_aggression", "north_korea", date(2024, 10, 1)),
              fact("requested", "north_korea", "russia", "consultations", date(2024, 10, 2))]
    assert bound(solve(rdprk, before), "rdprk_3_consult") == set()
    # a threat to a third state is not one Article 3 covers
    third = [fact("rdprk_threat_of_aggression", "china", t),
             fact("requested", "russia", "north_korea", "consultations", t)]
    assert bound(solve(rdprk, third), "rdprk_3_consult") == set()


def test_rdprk_the_text_sets_no_time_limit_on_the_request_or_on_the_state_of_war(rdprk):
    # Article 3: "at the request of any one side", with no time limit (our reading, in the rule file's
    # comment): a request a year after the threat still engages it, from the day of the request
    t, late = date(2025, 3, 1), date(2026, 3, 2)
    atoms = solve(rdprk, [fact("rdprk_threat_of_aggression", "north_korea", t),
                          fact("requested", "russia", "north_korea", "consultations", late)])
    assert {c[5] for c in conclusions(atoms, "obligation", "rdprk_3_consult")} == {late}
    # Article 4, strict reading: "put in a state of war by an armed invasion", with no limit on the gap;
    # what ties the two is the attacker (a state of war with another state engages nothing: above)
    strict = attack("north_korea", LATER, reading="declared_state_of_war")
    war_day = date(2025, 9, 1)
    at_war = solve(rdprk, strict + [fact("state_of_war", "north_korea", "x", war_day)])
    assert conclusions(at_war, "obligation", "rdprk_4_assist") == {
        ("obligation", "rdprk_4_assist", "russia", ASSIST, "north_korea", war_day)}


# ==== the command line: aliases, texts and the interpretation =========================================

def test_the_aliases_name_the_instruments_and_show_their_texts(monkeypatch):
    monkeypatch.chdir(ROOT)
    jdec_file, rdprk_file = "rules/arab_league_jdec.rules", "rules/russia_dprk_treaty.rules"
    for alias in ("arab_league", "jdec"):
        code, out, _ = run("show", alias, "2", "--rules", jdec_file)
        assert code == 0 and "arab_league_jdec" in out and "unofficial English translation" in out
    code, out, _ = run("show", "russia_dprk", "4", "--rules", rdprk_file)
    assert code == 0 and "state of war" in out and "Article 51" in out
    code, out, _ = run("interpretations", "--rules", rdprk_file)
    assert code == 0 and "rdprk_state_of_war" in out and "declared_state_of_war" in out
    for path in (jdec_file, rdprk_file):
        code, out, _ = run("lint", path)
        assert code == 0 and out.endswith(": no problems\n")
