"""Expectations in scenario files, `treaty test`, the pytest plugin and the Python API for tests."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from helpers import run

from engine import Scenario, evaluate

ROOT = Path(__file__).resolve().parent.parent
KZ = ROOT / "scenarios" / "kazakhstan-2022.yaml"
ATTACK = "armed_attack(gangs, kazakhstan)"


@pytest.fixture(autouse=True)
def _whole_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each line whole: the wrapping of text to the terminal is tests/test_width.py's."""
    monkeypatch.setenv("COLUMNS", "1000")


def base(**extra) -> dict:
    return {
        "title": "test", "as_of": "2022-01-20", "sources": {"s": {"cite": "a source"}},
        "entities": {"gangs": {"kind": "group", "name": "Gangs"},
                     "un_security_council": {"kind": "body", "name": "UN Security Council"}},
        "events": [
            {"event": ATTACK, "on": "2022-01-05", "status": "alleged", "source": "s"},
            {"event": "requested(kazakhstan, russia, assistance)", "on": "2022-01-05", "status": "established",
             "source": "s"},
            {"event": "measures_taken(russia, kazakhstan, cst_article_4)", "on": "2022-01-06",
             "status": "established", "source": "s"}],
        **extra}


def write(tmp_path: Path, data: dict, name: str = "case.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def test_one_changed_expectation_fails_with_a_diff_naming_the_field(tmp_path):
    text = KZ.read_text(encoding="utf-8").replace(
        "basis: cst 4(3), holds: all, status: discharged, count: 5}",
        "basis: cst 4(3), holds: some, status: discharged, count: 5}", 1)
    path = tmp_path / "kz.yaml"
    path.write_text(text, encoding="utf-8")
    code, out, _ = run("test", str(path))
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == f"FAIL {path}"
    assert "holds: expected some, got all" in [ln.strip() for ln in lines]
    assert lines[-1] == "9 passed, 1 failed"


def test_partial_matching_ignores_the_fields_not_given(tmp_path, rules):
    data = base(expect=[{"kind": "obligation", "action": "provide_assistance"},
                        {"bearer": "russia", "holds": "some"},
                        {"kind": "notification", "basis": "cst_4_3_inform", "due": "immediately"},
                        {"kind": "permission", "count": 2}])
    code, out, _ = run("test", str(write(tmp_path, data)))
    assert (code, out.splitlines()[-1]) == (0, "1 passed, 0 failed")


def test_holds_none_fails_when_the_conclusion_exists(tmp_path):
    data = base(expect=[{"kind": "obligation", "bearer": "russia", "action": "provide_assistance", "holds": "none"}])
    code, out, _ = run("test", str(write(tmp_path, data)))
    assert code == 1
    lines = [ln.strip() for ln in out.splitlines()]
    assert "expected no such conclusion, found 1:" in lines
    assert "cst_4_2_assist_2010/russia/provide_assistance/kazakhstan/2022-01-05 (holds: some)" in lines


def test_a_missing_conclusion_shows_why_not(tmp_path):
    data = base(expect=[{"kind": "obligation", "bearer": "belarus", "action": "provide_assistance"}])
    code, out, _ = run("test", str(write(tmp_path, data)))
    assert code == 1
    lines = [ln.strip() for ln in out.splitlines()]
    assert "no such conclusion" in lines
    assert "Why not: obligation(belarus, provide_assistance, _)" in lines
    # the CST duty needs a request for assistance (issue 13): the derived condition and the fact under it
    assert "✗ missing: assistance_requested(kazakhstan, belarus) on 2022-01-05" in lines
    assert "✗ requested(kazakhstan, belarus, military_assistance) on 2022-01-05" in lines


@pytest.mark.parametrize(("expect", "said"), [
    ({"bearer": "belarus", "action": "provide_assistance"},  # no kind: the kind of what concludes the action
     ["(`kind:` not given: obligation, the kind of what the rules conclude to `provide_assistance`)", "why not:",
      "Why not: obligation(belarus, provide_assistance, _)"]),
    ({"kind": "obligation", "bearer": "belarus"}, ["why not:", "Why not: obligation(belarus, _, _)"]),
    ({"kind": "obligation", "action": "provide_assistance", "beneficiary": "georgia"},
     ["why not:", "Why not: obligation(_, provide_assistance, georgia)"]),
    ({"id": "cst_4_2_assist_2010/belarus/provide_assistance/kazakhstan/2022-01-05"},
     ["why not:", "Why not: cst_4_2_assist_2010/belarus/provide_assistance/kazakhstan/2022-01-05"]),
    ({"bearer": "belarus"}, ["why not: give the expectation a `kind:` (obligation, permission, prohibition or "
                             "notification) or an `action:` to see why no such conclusion holds"]),
    ({"kind": "obligation", "bearer": "rusia", "action": "provide_assistance"},
     ["why not obligation(rusia, provide_assistance, _): cannot be asked:",
      "unknown entity `rusia` as the bearer (did you mean `russia`?)"]),
    ({"kind": "obligation", "bearer": "usa", "action": "provide_assistance"},  # an ISO code: united_states
     ["Why not: obligation(usa, provide_assistance, _)", "united_states was never a party to cst"]),
    ({"action": "fly_to_the_moon"}, ["why not: no rule concludes `fly_to_the_moon`, of any kind"]),
])
def test_a_missing_conclusion_shows_why_not_for_whatever_the_expectation_gives(tmp_path, expect, said):
    """The why-not of the pattern the expectation forms (`_` for what it leaves open), or what it lacks."""
    code, out, _ = run("test", str(write(tmp_path, base(expect=[expect]))))
    assert code == 1
    text = " ".join(out.split())  # (lines may be wrapped to the terminal's width)
    assert "no such conclusion" in text
    for line in said:
        assert " ".join(line.split()) in text, (line, out)


def test_because_checks_the_reasons(tmp_path):
    good = base(expect=[{"kind": "obligation", "bearer": "russia",
                         # gangs are a non-state group: aggression by the 2010 wording's non-state route
                         "because": ["cst_4_1_all_2010_non_state", "cst 4(2)", "cst article 4"]}])
    assert run("test", str(write(tmp_path, good)))[0] == 0
    bad = base(expect=[{"kind": "obligation", "bearer": "russia", "because": ["un_51_individual"]}])
    code, out, _ = run("test", str(write(tmp_path, bad, "bad.yaml")))
    assert code == 1
    lines = [ln.strip() for ln in out.splitlines()]
    assert ("because: un_51_individual not in the explanation of "
            "cst_4_2_assist_2010/russia/provide_assistance/kazakhstan/2022-01-05") in lines


def test_variants_change_statuses_add_and_remove_events(tmp_path):
    data = base(variants={
        "established": {"assume": {ATTACK: "established"},
                        "expect": [{"kind": "obligation", "bearer": "russia", "holds": "all"}]},
        "no_request": {"remove": ["requested(kazakhstan, russia, assistance)"],
                       "expect": [{"kind": "obligation", "action": "provide_assistance", "holds": "none"}]},
        "informed": {"add_events": [{"event": "informed(russia, un_security_council, measures)", "on": "2022-01-07",
                                     "status": "established", "source": "s"}],
                     "settings": {"immediately_days": 0},
                     "expect": [{"kind": "notification", "basis": "cst 4(3)", "status": "discharged_late"}]},
        "earlier": {"as_of": "2022-01-06", "expect": [{"kind": "notification", "basis": "cst 4(3)", "status": "pending",
                                                       "count": 1}]},
        "later": {"skip": "not written yet"}})
    code, out, _ = run("test", str(write(tmp_path, data)))
    assert code == 0, out
    assert out.splitlines()[-1] == "4 passed, 0 failed, 1 skipped"
    assert f"SKIP {tmp_path / 'case.yaml'}::later (not written yet)" in out


def test_mistakes_in_variants_are_located(tmp_path):
    data = base(variants={"oops": {"remove": ["requested(kazakhstan, rusia, assistance)"],
                                   "expect": [{"kind": "obligation"}]},
                          "added": {"add_events": [{"event": "armed_atack(gangs, kazakhstan)", "on": "2022-01-05",
                                                    "status": "established", "source": "s"}],
                                    "expect": [{"kind": "obligation"}]},
                          "assumed": {"assume": {"armed_attack(gangs, kazakstan)": "denied"}}})
    path = write(tmp_path, data)
    code, out, _ = run("test", str(path))
    assert code == 2
    text = path.read_text(encoding="utf-8").splitlines()
    remove_line, remove_col = next((i, ln.index("requested") + 1) for i, ln in enumerate(text, 1) if "rusia" in ln)
    added_line, added_col = next((i, ln.index("armed_atack") + 1) for i, ln in enumerate(text, 1) if "atack" in ln)
    assert (f"{path}:{remove_line}:{remove_col}: error: remove: no fact or event "
            "`requested(kazakhstan, rusia, assistance)`") in out
    assert f"{path}:{added_line}:{added_col}: error: unknown predicate `armed_atack`" in out
    assert "error: assume: no fact or event `armed_attack(gangs, kazakstan)` in the scenario" in out
    assert out.splitlines()[-1] == "0 passed, 3 failed"


def test_expect_error(tmp_path):
    broken = base(expect_error={"message": "unknown entity `rusia`", "line": 18})
    broken["events"][1]["event"] = "requested(kazakhstan, rusia, assistance)"
    assert run("test", str(write(tmp_path, broken)))[0] == 0
    wrong = base(expect_error={"message": "unknown predicate"})
    wrong["events"][1]["event"] = "requested(kazakhstan, rusia, assistance)"
    code, out, _ = run("test", str(write(tmp_path, wrong, "wrong.yaml")))
    assert code == 1 and 'expected an error containing "unknown predicate", got:' in out
    assert "unknown entity `rusia`" in out
    fine = base(expect_error={"message": "anything"})
    code, out, _ = run("test", str(write(tmp_path, fine, "fine.yaml")))
    assert code == 1 and 'expected an error containing "anything", but the scenario was accepted' in out


def test_junit_xml_and_json_results(tmp_path):
    ok = base(expect=[{"kind": "obligation"}], variants={"bad": {"expect": [{"kind": "prohibition"}]},
                                                          "later": {"skip": "todo"}})
    xml_path = tmp_path / "results.xml"
    code, out, _ = run("test", str(write(tmp_path, ok)), "--junit-xml", str(xml_path))
    assert code == 1
    suite = ET.parse(xml_path).getroot().find("testsuite")
    counts = (suite.get("tests"), suite.get("failures"), suite.get("errors"), suite.get("skipped"))
    assert counts == ("3", "1", "0", "1")
    names = [(tc.get("name"), [child.tag for child in tc]) for tc in suite.iter("testcase")]
    assert names == [("scenario", []), ("bad", ["failure"]), ("later", ["skipped"])]
    code, out, _ = run("test", str(tmp_path / "case.yaml"), "--format", "json")
    doc = json.loads(out)
    assert doc["schema"] == "treaty-engine/test-results/1"
    assert doc["summary"] == {"error": 0, "failed": 1, "passed": 1, "skipped": 1}
    assert run("test", str(tmp_path / "case.yaml"), "--format", "json")[1] == out  # deterministic


def test_keyword_selection_and_exit_codes(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    code, out, _ = run("test", "scenarios/", "-k", "kazakhstan-2022.yaml::attack_")
    assert code == 0 and out.splitlines()[-1] == "2 passed, 0 failed"
    code, out, err = run("test", "scenarios/", "-k", "nothing-like-this")
    assert code == 2 and "no scenario with expectations in scenarios/ matching -k nothing-like-this" in err
    (tmp_path / "broken.yaml").write_text("title: [unclosed\nexpect: []\n", encoding="utf-8")
    code, out, _ = run("test", str(tmp_path / "broken.yaml"))
    assert code == 2 and out.startswith(f"ERROR {tmp_path / 'broken.yaml'}")
    code, _, err = run("test", "nope/")
    assert code == 2 and "nope/: error: no such file or directory" in err


def test_the_pytest_plugin_collects_scenarios_when_asked(pytester: pytest.Pytester):
    pytester.makefile(".yaml", case=yaml.safe_dump(base(
        expect=[{"kind": "obligation", "bearer": "russia"}],
        variants={"wrong": {"expect": [{"kind": "obligation", "bearer": "russia", "action": "provide_assistance",
                                        "holds": "all"}]}})))
    off = pytester.runpytest_inprocess("-p", "no:cacheprovider")
    assert off.ret == 5  # not enabled: nothing collected, other projects are not surprised
    on = pytester.runpytest_inprocess("--treaty-scenarios", "-p", "no:cacheprovider")
    on.assert_outcomes(passed=1, failed=1)
    on.stdout.fnmatch_lines(["*expectations not met:*", "*    holds: expected all, got some*"])
    pytester.makeini("[pytest]\ntreaty_scenarios = true\n")
    pytester.runpytest_inprocess("-p", "no:cacheprovider").assert_outcomes(passed=1, failed=1)


def test_the_python_api_for_test_code(rules):
    findings = evaluate(rules, base())
    [o] = findings.obligations(bearer="russia", action="provide_assistance")
    assert findings.get(o.id) is o
    assert findings.holds("obligation", bearer="russia", action="provide_assistance") == "some"
    assert findings.holds("obligation", bearer="belarus") == "none"
    assert findings.notifications(rule="cst_4_3_inform", triggered_on="2022-01-06")[0].bearer == "russia"
    scenario = Scenario.model_validate(base())
    established = evaluate(rules, scenario, assume={ATTACK: "established"})
    # the attack established, the duty still turns on the open reading of "aggression" (issue 13);
    # taking a position settles it
    assert established.holds("obligation", bearer="russia", action="provide_assistance") == "some"
    broad = evaluate(rules, scenario, assume={ATTACK: "established"},
                     interpret={"cst_aggression_non_state": "any_armed_attack"})
    assert broad.holds("obligation", bearer="russia", action="provide_assistance") == "all"
    narrow = evaluate(rules, scenario, assume={ATTACK: "established"},
                      interpret={"cst_aggression_non_state": "state_aggression_only"})
    assert narrow.holds("obligation", bearer="russia", action="provide_assistance") == "none"
    with pytest.raises(TypeError):
        findings.select(bearer_name="russia")


def test_pytest_runs_the_project_scenarios_as_test_items(pytester: pytest.Pytester):
    # the headline case and its variants (every case of the casebook is run by tests/test_rule_cases.py)
    files = [str(ROOT / "scenarios" / "kazakhstan-2022.yaml")]
    result = pytester.runpytest_inprocess(*files, "--treaty-scenarios", "-p", "no:cacheprovider",
                                          "-v", "-n", "0")  # (the project's configuration: one process here)
    # as many items as `treaty test` has cases, passing or skipped as there
    code, out, _ = run("test", *files)
    said = re.match(r"(\d+) passed, 0 failed(?:, (\d+) skipped)?$", out.splitlines()[-1])
    assert said is not None, out
    passed, skipped = int(said[1]), int(said[2] or 0)
    result.assert_outcomes(passed=passed, skipped=skipped)
    result.stdout.fnmatch_lines(["*kazakhstan-2022.yaml::attack_denied PASSED*"])
