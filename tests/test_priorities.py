"""Priorities in time (issue 12, point 1): the higher rule's conclusion defeats the lower one's only
while it is in force on the lower one's date: triggered on or before it, not ended on or before it."""

from __future__ import annotations

import textwrap
from datetime import date
from pathlib import Path

import pytest

from engine import evaluate, load_rules

ATTACK = {"event": "armed_attack(iraq, kuwait)", "on": "1990-08-02"}
COUNCIL = {"event": "security_council_measures(kuwait)", "on": "1990-08-06"}


def case(*events: dict, as_of: str = "2003-12-31") -> dict:
    # the Council's measures end the right here: the textual reading of "until the Security Council has taken
    # measures" (any_measures), not the default, under which resolution 661, which affirmed the right, ends
    # nothing (issue 13); these tests are about priorities in time, not about which measures end the right
    return {"title": "priorities in time", "as_of": as_of, "sources": {"s": {"cite": "test source"}},
            "entities": {}, "events": [{"status": "established", "source": "s", **e} for e in events],
            "interpretations": {"sc_measures_end_self_defence": "any_measures"}}


def force(on: str) -> dict:
    return {"event": "uses_force(kuwait, iraq)", "on": on, "id": f"force_{on.replace('-', '_')}"}


def prohibitions(f) -> list[date]:
    return sorted(c.triggered_on for c in f.select("prohibition", bearer="kuwait") if c.beneficiary == "iraq")


def test_a_permission_ended_by_the_council_no_longer_defeats_the_prohibition(rules):
    # the example: attacked on 2 August 1990, the Council acts on 6 August, force in 2003
    f = evaluate(rules, case(ATTACK, COUNCIL, force("2003-03-20")))
    assert prohibitions(f) == [date(2003, 3, 20)]
    [permission] = [c for c in f.select("permission", bearer="kuwait") if c.beneficiary == "iraq"]
    assert (permission.status, permission.until.ended_on) == ("ended", [date(1990, 8, 6)])


def test_while_the_permission_is_in_force_the_prohibition_is_defeated(rules):
    f = evaluate(rules, case(ATTACK, COUNCIL, force("1990-08-03"), force("1990-08-02")))
    assert prohibitions(f) == []


def test_on_the_day_the_council_acts_the_permission_has_ended(rules):
    f = evaluate(rules, case(ATTACK, COUNCIL, force("1990-08-06")))
    assert prohibitions(f) == [date(1990, 8, 6)]


def test_force_before_the_attack_is_not_covered_by_the_later_permission(rules):
    f = evaluate(rules, case(ATTACK, force("1990-08-01")))
    assert prohibitions(f) == [date(1990, 8, 1)]


def test_without_the_council_the_permission_goes_on(rules):
    f = evaluate(rules, case(ATTACK, force("2003-03-20")))
    assert prohibitions(f) == []


VERSIONS = '''\
source s "A source"
instrument t "Test" in force 2000-01-01 source s
parties source s
party alpha "Alpha" joined 2000-01-01
party beta "Beta" joined 2000-01-01
input event attacked(by: state, victim: state) "an attack"
input event ended(victim: state) "the defence ended"
input event strikes(by: state, target: state) "a use of force"

article 1 "No force"
  text en authentic source s """No party shall use force."""
rule no_force: prohibition M strike against S when strikes(M, S) on D, party(M, t) on D from D.

article 2 "Defence" version "first"
  in force 2000-01-01
  text en authentic source s """An attacked party may strike back until it ends."""
rule defence_first "first wording":
  permission V strike against A when attacked(A, V) on D, party(V, t) on D from D until ended(V).

article 2 "Defence" version "second" replaces "first"
  in force 2010-01-01
  text en authentic source s """An attacked party may strike back until it ends, as amended."""
rule defence_second "second wording":
  permission V strike against A when attacked(A, V) on D, party(V, t) on D from D until ended(V).

priority defence_first over no_force
priority defence_second over no_force
'''


@pytest.fixture(scope="module")
def versioned(tmp_path_factory: pytest.TempPathFactory):
    d: Path = tmp_path_factory.mktemp("versions")
    (d / "t.rules").write_text(textwrap.dedent(VERSIONS), encoding="utf-8")
    return load_rules(d)


def small(*events: tuple[str, str]) -> dict:
    return {"title": "versions", "as_of": "2020-01-01", "sources": {"s": {"cite": "x"}}, "entities": {},
            "events": [{"event": e, "on": on, "status": "established", "source": "s", "id": f"e{i}"}
                       for i, (e, on) in enumerate(events)]}


def struck(f) -> list[date]:
    return sorted(c.triggered_on for c in f.select("prohibition", bearer="beta"))


def test_a_permission_under_a_replaced_wording_stays_in_force_until_its_end(versioned):
    # attacked under the first wording, strikes under the second: the permission that arose then
    # is still in force (a new wording does not end what arose under the old one)
    f = evaluate(versioned, small(("attacked(alpha, beta)", "2005-01-01"), ("strikes(beta, alpha)", "2012-01-01")))
    assert struck(f) == []
    [permission] = f.select("permission", bearer="beta")
    assert (permission.basis.rule, permission.basis.version) == ("defence_first", "first")


def test_a_permission_ended_under_either_wording_defeats_nothing_after(versioned):
    f = evaluate(versioned, small(("attacked(alpha, beta)", "2005-01-01"), ("ended(beta)", "2011-01-01"),
                                  ("strikes(beta, alpha)", "2012-01-01"), ("strikes(beta, alpha)", "2010-06-01")))
    assert struck(f) == [date(2012, 1, 1)]
    f = evaluate(versioned, small(("attacked(alpha, beta)", "2015-01-01"), ("ended(beta)", "2016-01-01"),
                                  ("strikes(beta, alpha)", "2015-06-01"), ("strikes(beta, alpha)", "2017-01-01")))
    assert struck(f) == [date(2017, 1, 1)]


def test_explanations_judge_priorities_as_the_findings_do(rules):
    from engine.outputs.explanation import explanation_text, why_not_text
    from engine.pipeline import analyse

    analysis = analyse(rules, case(ATTACK, COUNCIL, force("2003-03-20")))
    [c] = [c for c in analysis.findings.conclusions if c.kind == "prohibition" and c.bearer == "kuwait"
           and c.beneficiary == "iraq"]
    text = explanation_text(analysis.explainer().why(c.id))
    assert ("✓ not displaced: rule un_51_individual, which has priority, concludes nothing in force on 2003-03-20 "
            "for the same bearer, action and counterparty") in text
    defeated = analyse(rules, case(ATTACK, COUNCIL, force("1990-08-03")))
    text = why_not_text(defeated.explainer().why_not("prohibition(kuwait, use_force, iraq)"))
    assert ("✗ displaced by rule un_51_individual (its permission from 1990-08-02 is in force on 1990-08-03), "
            "which has priority") in text


# ---- a priority between different actions (issue 15): consent displaces Article 2(4) ---------------
# un_consent_force_on_territory (permission use_force_on_territory_of towards the host) over
# un_2_4_no_force (prohibition use_force against the host): the higher head's action covers the lower's.

def consent_case(*events: dict) -> dict:
    return {"title": "consent and force", "as_of": "2022-12-31", "sources": {"s": {"cite": "test source"}},
            "entities": {}, "events": [{"status": "established", "source": "s", **e} for e in events]}


def invited(on: str) -> dict:
    return {"event": "invited(kazakhstan, russia)", "on": on}


def force_in_kazakhstan(on: str) -> dict:
    return {"event": "uses_force(russia, kazakhstan)", "on": on, "id": f"force_{on.replace('-', '_')}"}


def russia_prohibited(f) -> list[date]:
    return sorted(c.triggered_on for c in f.select("prohibition", bearer="russia") if c.beneficiary == "kazakhstan")


def test_valid_consent_displaces_the_prohibition_for_force_on_the_hosts_territory(rules):
    f = evaluate(rules, consent_case(invited("2022-01-05"), force_in_kazakhstan("2022-01-06"),
                                     force_in_kazakhstan("2022-01-04")))
    assert russia_prohibited(f) == [date(2022, 1, 4)]  # the force before the invitation stays prohibited


def test_consent_withdrawn_or_turned_against_its_giver_displaces_nothing_after(rules):
    withdrawn = evaluate(rules, consent_case(invited("2022-01-05"), force_in_kazakhstan("2022-01-20"),
                                             {"event": "consent_withdrawn(kazakhstan, russia)", "on": "2022-01-19"}))
    assert russia_prohibited(withdrawn) == [date(2022, 1, 20)]
    # force against the very government that invited: beyond the limits of its consent, from that day
    turned = evaluate(rules, consent_case(
        invited("2022-01-05"), force_in_kazakhstan("2022-01-10"), force_in_kazakhstan("2022-01-12"),
        {"event": "force_against_inviting_government(russia, kazakhstan)", "on": "2022-01-12"}))
    assert russia_prohibited(turned) == [date(2022, 1, 12)]


def test_an_invitation_from_an_authority_the_invited_state_installed_is_no_consent(rules):
    f = evaluate(rules, consent_case(invited("2022-01-05"), force_in_kazakhstan("2022-01-06"),
                                     {"event": "authority_installed_by(kazakhstan, russia)", "on": "2022-01-05"}))
    assert f.select("permission", bearer="russia") == []
    assert russia_prohibited(f) == [date(2022, 1, 6)]


def test_the_higher_action_is_read_from_the_two_heads(rules):
    from engine.language.rule_compiler import higher_action
    [consent, self_defence] = [p for p in rules.base.priorities if p.lower == "un_2_4_no_force"
                               and p.higher in ("un_consent_force_on_territory", "un_51_individual")]
    assert {consent.higher: higher_action(rules.base, consent), self_defence.higher: higher_action(rules.base,
            self_defence)} == {"un_consent_force_on_territory": "use_force_on_territory_of", "un_51_individual": None}
