"""Small scenarios built in code: deadlines, statuses, membership over time, disputed dates."""

from __future__ import annotations

from datetime import date

import pytest

from engine import TreatyError, evaluate

MEASURES = "measures_taken(russia, kazakhstan, cst_article_4)"
# The rule base leaves open whether an attack by a non-state group engages Article 51 and CST Article 4;
# these tests are about dates and statuses, so they take the broad positions and keep their readings to
# the contested facts.
BROAD = {"interpretations": {"art51_non_state": "includes_non_state", "cst_aggression_non_state": "any_armed_attack"}}


def scenario(events: list[dict], as_of: str = "2022-01-20", days: int = 0, **extra) -> dict:
    return {
        "title": "test", "as_of": as_of, "sources": {"s": {"cite": "test source"}},
        "entities": {"un_security_council": {"kind": "body", "name": "UN Security Council"},
                     "gangs": {"kind": "group", "name": "Gangs"}},
        "events": [{"status": "established", "source": "s", **e} for e in events],
        "settings": {"immediately_days": days}, **extra}


def notifications(f):
    return f.select("notification", bearer="russia")


def test_a_notification_made_in_time_is_discharged(rules):
    f = evaluate(rules, scenario([{"event": MEASURES, "on": "2022-01-06"},
                                  {"event": "informed(russia, un_security_council, measures)", "on": "2022-01-07"}],
                                 days=1))
    [n] = notifications(f)
    assert (n.status, n.due.date, n.discharged_on) == ("discharged", date(2022, 1, 7), [date(2022, 1, 7)])


def test_a_late_notification_is_discharged_late(rules):
    f = evaluate(rules, scenario([{"event": MEASURES, "on": "2022-01-06"},
                                  {"event": "informed(russia, un_security_council, measures)", "on": "2022-01-11"}],
                                 days=3))
    [n] = notifications(f)
    assert (n.status, n.due.date) == ("discharged_late", date(2022, 1, 9))


def test_a_missing_notification_is_overdue_after_its_deadline_and_pending_before(rules):
    events = [{"event": MEASURES, "on": "2022-01-06"}]
    [late] = notifications(evaluate(rules, scenario(events, as_of="2022-01-10", days=3)))
    [on_time] = notifications(evaluate(rules, scenario(events, as_of="2022-01-09", days=3)))
    assert (late.status, on_time.status) == ("overdue", "pending")


def test_a_report_before_the_measures_does_not_discharge_the_duty(rules):
    f = evaluate(rules, scenario([{"event": MEASURES, "on": "2022-01-06"},
                                  {"event": "informed(russia, un_security_council, measures)", "on": "2022-01-05"}]))
    [n] = notifications(f)
    assert (n.status, n.discharged_on) == ("overdue", [])


def test_when_sources_disagree_on_a_date_the_status_depends_on_the_reading(rules):
    f = evaluate(rules, scenario([
        {"event": MEASURES, "on": "2022-01-06"},
        {"event": "informed(russia, un_security_council, measures)", "on": ["2022-01-07", "2022-01-12"]}], days=2,
        **BROAD))
    [n] = notifications(f)
    assert n.holds == "all"
    assert (n.status, n.statuses) == ("depends", ["discharged", "discharged_late"])
    assert n.discharged_on == [date(2022, 1, 7), date(2022, 1, 12)]
    assert f.readings == 2


def test_a_state_that_left_the_treaty_before_the_date_is_not_bound(rules):
    attack = {"event": "armed_attack(gangs, kazakhstan)", "on": "2022-01-05"}
    asks = [{"event": f"requested(kazakhstan, {s}, assistance)", "on": "2022-01-05"}
            for s in ("russia", "uzbekistan", "azerbaijan")]
    f = evaluate(rules, scenario([attack, *asks]))
    assert [c.bearer for c in f.select("obligation", action="provide_assistance")] == ["russia"]


def test_the_right_of_self_defence_ends_when_the_security_council_acts(rules):
    # measures that supersede self-defence end it on every reading of sc_measures_end_self_defence
    f = evaluate(rules, scenario([{"event": "armed_attack(gangs, kazakhstan)", "on": "2022-01-05"},
                                  {"event": "security_council_measures_superseding(kazakhstan)", "on": "2022-01-09"}],
                                 **BROAD))
    [p] = f.select("permission", bearer="kazakhstan")
    assert (p.status, p.until.ended_on) == ("ended", [date(2022, 1, 9)])
    assert p.until.meaning.startswith("the Security Council has taken the measures necessary")


def test_events_after_the_as_of_date_are_left_out(rules):
    f = evaluate(rules, scenario([{"event": MEASURES, "on": "2022-01-06"}], as_of="2022-01-05"))
    assert f.conclusions == []
    assert f.left_out == [f"{MEASURES} on 2022-01-06"]


def test_instruments_restrict_the_rules_applied(rules):
    events = [{"event": MEASURES, "on": "2022-01-06"}, {"event": "armed_attack(gangs, kazakhstan)", "on": "2022-01-05"}]
    only_charter = evaluate(rules, scenario(events, instruments=["un_charter"]))
    assert {c.basis.instrument for c in only_charter.conclusions} == {"un_charter"}
    everything = evaluate(rules, scenario(events))
    assert {c.basis.instrument for c in everything.conclusions} == {"cst", "un_charter"}


def test_an_unknown_assumption_is_an_error_with_a_hint(rules):
    with pytest.raises(TreatyError) as err:
        evaluate(rules, scenario([{"event": MEASURES, "on": "2022-01-06"}]),
                 assume={"measures_taken(russia, kazakstan, cst_article_4)": "denied"})
    [d] = err.value.diagnostics
    assert d.hint == f"did you mean `{MEASURES}`?"


def test_findings_queries(rules):
    f = evaluate(rules, scenario([{"event": MEASURES, "on": "2022-01-06"}]))
    [n] = f.select("notification")
    assert f.get(n.id) is n
    with pytest.raises(KeyError):
        f.get("nope")


def test_an_allegation_with_disputed_dates_counts_in_every_reading_where_it_happened(rules):
    # regression: facts were once added through clingo's backend, and a reading could lose a conclusion
    f = evaluate(rules, scenario([
        {"event": "armed_attack(gangs, kazakhstan)", "on": ["2022-01-04", "2022-01-05"], "status": "alleged"},
        {"event": "requested(kazakhstan, russia, assistance)", "on": "2022-01-05"}], **BROAD))
    [o] = f.select("obligation", action="provide_assistance")
    assert (o.bearer, o.holds) == ("russia", "some")
    assert [d.text for d in o.depends_on] == [
        "armed_attack(gangs, kazakhstan) on one of 2022-01-04, 2022-01-05 is accepted"]
    assert f.readings == 3


def test_an_event_whose_possible_dates_straddle_the_as_of_date_may_not_have_happened_yet(rules):
    f = evaluate(rules, scenario([
        {"event": MEASURES, "on": "2022-01-06"},
        {"event": "informed(russia, un_security_council, measures)", "on": ["2022-01-08", "2022-01-12"]}],
        as_of="2022-01-10", days=3, **BROAD))
    [n] = notifications(f)
    assert (n.status, n.statuses) == ("depends", ["discharged", "overdue"])
    assert [c.id for c in f.contested] == ["informed(russia, un_security_council, measures)"]
    assert f.readings == 2
