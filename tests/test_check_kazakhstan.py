"""`treaty check scenarios/kazakhstan-2022.yaml`, end to end on the JSON it prints."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from engine.tools.cli import treaty

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = "scenarios/kazakhstan-2022.yaml"
ATTACK = "armed_attack(foreign_trained_gangs, kazakhstan)"
HELPERS = ["armenia", "belarus", "kyrgyzstan", "russia", "tajikistan"]
# Each contingent from its own sources: the day it was sent (measures_taken) and the days on which it
# may have arrived (assistance_provided; two where the sources leave the day open).
SENT = {"russia": "2022-01-06", "belarus": "2022-01-06", "armenia": "2022-01-07", "kyrgyzstan": "2022-01-07",
        "tajikistan": "2022-01-07"}
ARRIVED = {"russia": ["2022-01-06"], "belarus": ["2022-01-06", "2022-01-07"], "armenia": ["2022-01-07", "2022-01-08"],
           "kyrgyzstan": ["2022-01-07"], "tajikistan": ["2022-01-07", "2022-01-08"]}


def check(*args: str) -> dict:
    result = CliRunner().invoke(treaty, ["check", SCENARIO, "--format", "json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


@pytest.fixture(scope="module")
def findings() -> dict:
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(ROOT)
        return check()


def select(findings: dict, kind: str, rule: str) -> list[dict]:
    return [c for c in findings["conclusions"] if c["kind"] == kind and c["basis"]["rule"] == rule]


def test_every_other_member_is_obliged_to_assist_in_the_readings_with_an_armed_attack(findings):
    assist = [c for c in findings["conclusions"] if c["kind"] == "obligation" and c["action"] == "provide_assistance"]
    assert sorted(c["bearer"] for c in assist) == HELPERS  # not kazakhstan, not a non-party
    for c in assist:
        assert c["beneficiary"] == "kazakhstan"
        assert (c["basis"]["instrument"], c["basis"]["article"], c["basis"]["version"]) == ("cst", "4(2)", "2010")
        assert c["triggered_on"] == "2022-01-05"
        assert c["due"] == {"kind": "immediately", "date": "2022-01-08", "dates": ["2022-01-08"], "allowance_days": 3,
                            "within_days": None}
        assert c["trigger_dates"] == ["2022-01-05"]
        assert c["holds"] == "some"
        # the alleged attack (a fact) and the broad reading of "aggression" in CST Article 4 (law)
        assert c["depends_on"] == [{"kind": "fact", "label": f"{ATTACK} on 2022-01-05", "id": ATTACK, "on": None,
                                   "position": None, "accepted": True},
                                   {"kind": "interpretation", "label": "cst_aggression_non_state=any_armed_attack",
                                    "id": "cst_aggression_non_state", "on": None, "position": "any_armed_attack",
                                    "accepted": True}]
        # every contingent arrived by the third day (the assumed allowance for "immediately")
        assert c["status"] == "discharged" and c["discharged_on"] == ARRIVED[c["bearer"]]
        assert c["basis"]["references"] == ["un_charter article 51"]
    assert assist[0]["id"] == "cst_4_2_assist_2010/armenia/provide_assistance/kazakhstan/2022-01-05"


def test_the_article_4_notification_holds_in_every_reading_and_was_discharged(findings):
    notes = select(findings, "notification", "cst_4_3_inform")
    assert sorted(c["bearer"] for c in notes) == HELPERS
    for c in notes:
        assert (c["recipient"], c["beneficiary"], c["action"]) == ("un_security_council", None, "report_measures")
        assert (c["holds"], c["depends_on"]) == ("all", [])
        assert c["triggered_on"] == SENT[c["bearer"]]
        assert c["due"]["date"] == {"2022-01-06": "2022-01-09", "2022-01-07": "2022-01-10"}[c["triggered_on"]]
        assert (c["status"], c["discharged_on"]) == ("discharged", ["2022-01-07"])


def test_kyrgyzstan_is_dated_from_its_parliament_s_approval_not_the_collective_decision(findings):
    """No quorum on 6 January: its contingent was sent and arrived on the 7th, a day after Russia's."""
    def one(rule, bearer):
        [c] = [c for c in findings["conclusions"] if c["basis"]["rule"] == rule and c["bearer"] == bearer]
        return c
    assert one("cst_2_assist_2010", "kyrgyzstan")["discharged_on"] == ["2022-01-07"]
    assert one("cst_2_assist_2010", "russia")["discharged_on"] == ["2022-01-06"]
    assert one("cst_4_3_charter", "kyrgyzstan")["triggered_on"] == "2022-01-07"
    assert one("cst_4_2_assist_2010", "kyrgyzstan")["status"] == "discharged"


def test_read_as_the_same_day_the_report_is_late_only_for_the_contingents_sent_on_6_january(tmp_path):
    text = (ROOT / SCENARIO).read_text(encoding="utf-8").replace("  immediately_days: 3", "  immediately_days: 0")
    strict = tmp_path / "kazakhstan-same-day.yaml"
    strict.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(treaty, ["check", str(strict), "--format", "json"])
    assert result.exit_code == 0, result.output
    notes = select(json.loads(result.stdout), "notification", "cst_4_3_inform")
    assert {c["bearer"]: c["status"] for c in notes} == {
        "russia": "discharged_late", "belarus": "discharged_late",
        "armenia": "discharged", "kyrgyzstan": "discharged", "tajikistan": "discharged"}


def test_the_article_51_report_follows_only_where_the_attack_is_accepted_and_is_not_discharged(findings):
    notes = select(findings, "notification", "un_51_report_collective")
    assert sorted(c["bearer"] for c in notes) == HELPERS
    assert {(c["holds"], tuple((d["label"], d["accepted"]) for d in c["depends_on"])) for c in notes} == \
        {("some", ((f"{ATTACK} on 2022-01-05", True), ("art51_non_state=includes_non_state", True)))}
    # the letters invoke CST Articles 2 and 4, not Article 51 (art51_report_form: must_invoke_51)
    assert {c["status"] for c in notes} == {"overdue"}


def test_consent_is_the_basis_of_the_deployment_in_every_reading(findings):
    perms = select(findings, "permission", "un_consent_force_on_territory")
    assert sorted(c["bearer"] for c in perms) == HELPERS
    for c in perms:
        assert (c["action"], c["beneficiary"], c["holds"], c["depends_on"], c["status"]) == (
            "use_force_on_territory_of", "kazakhstan", "all", [], "active")


def test_collective_self_defence_is_permitted_in_some_readings_until_the_security_council_acts(findings):
    perms = select(findings, "permission", "un_51_collective")
    assert sorted(c["bearer"] for c in perms) == HELPERS
    for c in perms:
        assert (c["action"], c["beneficiary"], c["holds"], c["status"]) == (
            "use_force", "foreign_trained_gangs", "some", "active")
        assert c["until"]["event"] == "security_council_measures_necessary" and c["until"]["ended_on"] == []


def test_the_result_lists_contested_facts_and_readings(findings):
    assert findings["schema"] == "treaty-engine/findings/5"
    assert findings["names"]["russia"] == "Russian Federation"  # the scenario's entities, else the rules' parties
    # 5 contested facts (3 of them dates of arrival) and the open questions of law: the scenario's two,
    # and any the rule base leaves open by default (each doubles the readings)
    open_law = [i["id"] for i in findings["interpretations"] if i["position"] is None]
    assert {"art51_non_state", "cst_aggression_non_state"} <= set(open_law)
    assert findings["readings"] == 2 ** (5 + len(open_law))
    assert [(c["id"], c["status"], c["on"]) for c in findings["contested"]] == [
        (ATTACK, "alleged", ["2022-01-05"]),
        ("assistance_provided(armenia, kazakhstan)", "established", ["2022-01-07", "2022-01-08"]),
        ("assistance_provided(belarus, kazakhstan)", "established", ["2022-01-06", "2022-01-07"]),
        ("assistance_provided(tajikistan, kazakhstan)", "established", ["2022-01-07", "2022-01-08"]),
        ("informed(csto_collective_security_council, un_secretary_general, measures)", "established",
         ["2022-01-05", "2022-01-06"])]
    assert findings["assumptions"] == {"assumed": {}, "immediately_days": 3}


def test_assuming_the_attack_established_leaves_the_obligations_turning_on_the_law():
    f = check("--assume", f"{ATTACK}=established")
    assist = [c for c in f["conclusions"] if c["action"] == "provide_assistance"]
    assert len(assist) == 5 and {c["holds"] for c in assist} == {"some"}
    assert {tuple(d["label"] for d in c["depends_on"]) for c in assist} == {
        ("cst_aggression_non_state=any_armed_attack",)}
    assert f["assumptions"]["assumed"] == {ATTACK: "established"}
    # with the broad readings taken too, every conclusion holds in every reading
    f = check("--assume", f"{ATTACK}=established", "--interpret", "cst_aggression_non_state=any_armed_attack",
              "--interpret", "art51_non_state=includes_non_state")
    assert {c["holds"] for c in f["conclusions"]} == {"all"}


def test_denying_the_attack_removes_the_obligations_but_not_the_article_4_notification():
    f = check("--assume", f"{ATTACK}=denied")
    assert [c for c in f["conclusions"] if c["action"] == "provide_assistance"] == []
    assert [c for c in f["conclusions"] if c["kind"] == "permission" and c["action"] == "use_force"] == []
    assert len(select(f, "permission", "un_consent_force_on_territory")) == 5  # consent does not need the attack
    assert len(select(f, "notification", "cst_4_3_inform")) == 5
    assert select(f, "notification", "un_51_report_collective") == []


def test_as_of_an_earlier_date_the_notification_is_pending_and_later_events_are_left_out():
    f = check("--as-of", "2022-01-06")
    assert {c["status"] for c in select(f, "notification", "cst_4_3_inform")} == {"pending"}
    assert "informed(russia, un_security_council, measures) on 2022-01-07" in f["left_out"]
    assert f["scenario"]["as_of"] == "2022-01-06"


def test_the_json_is_byte_identical_across_runs():
    cmd = [sys.executable, "-m", "engine", "check", SCENARIO, "--format", "json"]
    first = subprocess.run(cmd, capture_output=True, cwd=ROOT)
    second = subprocess.run(cmd, capture_output=True, cwd=ROOT)
    assert first.returncode == 0 and first.stdout == second.stdout
    assert b'"file": "rules/cst.rules"' in first.stdout


def test_text_output_groups_by_kind_and_says_what_a_conclusion_depends_on(monkeypatch):
    monkeypatch.delenv("COLUMNS", raising=False)  # (exported by some shells)
    result = CliRunner().invoke(treaty, ["check", SCENARIO])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()  # 80 columns: not a terminal, no COLUMNS
    f = check()  # (how many questions of law are open depends on the whole rule base)
    open_law = len([i for i in f["interpretations"] if i["position"] is None])
    assert lines[:4] == ["Kazakhstan requests CSTO assistance, January 2022",
                         f"scenarios/kazakhstan-2022.yaml · as of 2022-01-20 · {f['readings']} readings of 5 contested",
                         f"  facts and {open_law} open interpretations",
                         'assumption: "immediately" allows 3 days']
    assert "Obligations (21)" in lines and "Notifications (10)" in lines and "Permissions (11)" in lines
    at = lines.index("  Russian Federation: provide assistance → Kazakhstan · cst art. 4(2) [2010]")
    assert lines[at:at + 4] == [
        "  Russian Federation: provide assistance → Kazakhstan · cst art. 4(2) [2010]",
        "    from 2022-01-05 · due 2022-01-08 (immediately) · discharged 2022-01-06",
        "    holds only if armed_attack(foreign_trained_gangs, kazakhstan) on 2022-01-05",
        "      is accepted and reading cst_aggression_non_state=any_armed_attack is taken"]
    assert lines[-2:] == ["42 conclusions: 21 obligations, 10 notifications, 11 permissions; 26 hold in",
                          "  every reading, 16 only in some."]


def test_markdown_output_has_a_table_per_kind():
    result = CliRunner().invoke(treaty, ["check", SCENARIO, "--format", "markdown"])
    assert result.exit_code == 0
    md = result.stdout
    assert md.startswith("# Kazakhstan requests CSTO assistance, January 2022\n")
    assert "## Obligations" in md and "## Notifications" in md and "## Permissions" in md
    assert ("| Russian Federation | provide assistance | Kazakhstan | cst art. 4(2) [2010] | cst_4_2_assist_2010 | "
            "2022-01-05 | due 2022-01-08 (immediately) | discharged 2022-01-06 | holds only if "
            "armed_attack(foreign_trained_gangs, kazakhstan) on 2022-01-05 is accepted and reading "
            "cst_aggression_non_state=any_armed_attack is taken |") in md


def test_schemas_are_printed_for_editors():
    for which, title in (("scenario", "Scenario"), ("findings", "Findings")):
        result = CliRunner().invoke(treaty, ["schema", which])
        assert result.exit_code == 0
        doc = json.loads(result.stdout)
        assert doc["title"] == title and doc["$id"] == f"treaty-engine/{which}/{5 if which == 'findings' else 1}"
    scenario = json.loads(CliRunner().invoke(treaty, ["schema", "scenario"]).stdout)
    assert scenario["additionalProperties"] is False
    assert set(scenario["required"]) == {"title", "as_of", "sources"}
