"""`treaty test --coverage` (issue 15): for every rule, the cases in which it concluded (or derived)
something, those in which it was only tried, and the rules no case exercises."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import run

ROOT = Path(__file__).resolve().parent.parent

T_RULES = '''\
source s "A source"
instrument t "Test treaty" in force 2000-01-01 source s
parties source s
party alpha "Alpha" joined 2000-01-01
party beta "Beta" joined 2000-01-01

input event attacked(victim: state) "the state was attacked"
input event asked(by: state, of: state) "the first asked the second for help"
derived event emergency(of: state) "an emergency in the state"

article 1 "Emergencies"
  text en authentic source s """An attack on a party is an emergency."""
rule t_emergency "an attack on a party is an emergency":
  emergency(S) on D when attacked(S) on D, party(S, t) on D.

article 2 "Help"
  text en authentic source s """The parties help."""
rule t_help "the other parties help in an emergency":
  obligation M help to S when emergency(S) on D, party(M, t) on D, M != S from D.
rule t_asked "a party asked for help gives it":
  obligation M help_asked to S when asked(S, M) on D, party(M, t) on D from D.
'''

# an instrument none of the scenarios' states is a party to: its rule is never tried
U_RULES = '''\
source s2 "Another source"
instrument u "Other treaty" in force 2000-01-01 source s2
parties source s2
party gamma "Gamma" joined 2000-01-01

article 1 "Acting"
  text en authentic source s2 """Act when attacked."""
rule u_act "act on an attack":
  obligation M act to S when attacked(S) on D, party(M, u) on D, party(S, u) on D from D.
'''

A_YAML = '''\
title: An attack on Alpha
as_of: 2001-02-01
sources:
  s: {cite: a source}
events:
  - {event: attacked(alpha), on: 2001-01-01, status: established, source: s}
expect:
  - {kind: obligation, action: help, holds: all}
variants:
  calm:
    assume: {"attacked(alpha)": denied}
    expect:
      - {kind: obligation, holds: none}
  alleged:
    assume: {"attacked(alpha)": alleged}
    expect:
      - {kind: obligation, action: help, holds: some}
  later:
    skip: not written yet
'''

B_YAML = '''\
title: Alpha asks Beta
as_of: 2001-02-01
sources:
  s: {cite: a source}
events:
  - {event: "asked(alpha, beta)", on: 2001-01-01, status: established, source: s}
expect:
  - {kind: obligation, action: help_asked, holds: all}
'''


@pytest.fixture
def tiny(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A two-instrument rule base and two scenarios (four cases run, one skipped), the working directory."""
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "t.rules").write_text(T_RULES, encoding="utf-8")
    (tmp_path / "rules" / "u.rules").write_text(U_RULES, encoding="utf-8")
    (tmp_path / "sc").mkdir()
    (tmp_path / "sc" / "a.yaml").write_text(A_YAML, encoding="utf-8")
    (tmp_path / "sc" / "b.yaml").write_text(B_YAML, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_text_report_says_where_each_rule_concluded_was_tried_or_was_never_exercised(tiny):
    code, out, _ = run("test", "sc", "--rules", "rules", "--coverage")
    assert code == 0
    assert out.splitlines() == [
        "PASS sc/a.yaml",
        "PASS sc/a.yaml::calm",
        "PASS sc/a.yaml::alleged",
        "SKIP sc/a.yaml::later (not written yet)",
        "PASS sc/b.yaml",
        "Rule coverage over 4 cases (1 not evaluated: skipped, in error or expecting an error):",
        "  t art. 1  t_emergency  derived in 2 cases: sc/a.yaml, sc/a.yaml::alleged;"
        " tried in 2 more cases: sc/a.yaml::calm, sc/b.yaml",
        "  t art. 2  t_help       concluded in 2 cases: sc/a.yaml, sc/a.yaml::alleged;"
        " tried in 2 more cases: sc/a.yaml::calm, sc/b.yaml",
        "  t art. 2  t_asked      concluded in 1 case: sc/b.yaml; tried in 3 more cases: sc/a.yaml (all 3)",
        "  u art. 1  u_act        never exercised",
        "3 of 4 rules exercised (75.0%); not exercised: u_act",
        "4 passed, 0 failed, 1 skipped"]


def test_the_json_report_is_the_results_document_with_a_coverage_member(tiny):
    code, out, _ = run("test", "sc", "--rules", "rules", "--coverage", "--format", "json")
    assert code == 0
    doc = json.loads(out)
    assert doc["schema"] == "treaty-engine/test-results/1" and doc["summary"]["passed"] == 4
    cov = doc["coverage"]
    assert cov["schema"] == "treaty-engine/test-coverage/1"
    assert cov["cases"] == ["sc/a.yaml", "sc/a.yaml::calm", "sc/a.yaml::alleged", "sc/b.yaml"]
    assert cov["not_evaluated"] == ["sc/a.yaml::later"]
    rows = {r["rule"]: r for r in cov["rules"]}
    assert [r["rule"] for r in cov["rules"]] == ["t_emergency", "t_help", "t_asked", "u_act"]
    assert rows["t_emergency"] == {
        "rule": "t_emergency", "instrument": "t", "article": "1", "version": None, "head": "derived",
        "file": str(Path("rules") / "t.rules"), "line": 13, "status": "concluded",
        "concluded": ["sc/a.yaml", "sc/a.yaml::alleged"], "tried": ["sc/a.yaml::calm", "sc/b.yaml"]}
    assert (rows["t_help"]["head"], rows["t_help"]["status"]) == ("obligation", "concluded")
    assert rows["t_asked"]["concluded"] == ["sc/b.yaml"]
    assert rows["t_asked"]["tried"] == ["sc/a.yaml", "sc/a.yaml::calm", "sc/a.yaml::alleged"]
    assert (rows["u_act"]["status"], rows["u_act"]["concluded"], rows["u_act"]["tried"]) == ("never", [], [])
    assert cov["summary"] == {"rules": 4, "exercised": 3, "tried_only": 0, "never": 1, "percent": 75.0,
                              "not_exercised": ["u_act"]}


def test_without_coverage_nothing_changes(tiny):
    code, out, _ = run("test", "sc", "--rules", "rules")
    assert code == 0 and "coverage" not in out and out.endswith("\n4 passed, 0 failed, 1 skipped\n")
    assert "coverage" not in json.loads(run("test", "sc", "--rules", "rules", "--format", "json")[1])


def test_a_selection_counts_only_its_cases_and_a_rule_only_tried_is_not_exercised(tiny):
    code, out, _ = run("test", "sc/a.yaml", "--rules", "rules", "--coverage", "-k", "calm")
    assert code == 0
    assert out.splitlines()[1:] == [
        "Rule coverage over 1 case:",
        "  t art. 1  t_emergency  tried in 1 case: sc/a.yaml::calm",
        "  t art. 2  t_help       tried in 1 case: sc/a.yaml::calm",
        "  t art. 2  t_asked      tried in 1 case: sc/a.yaml::calm",
        "  u art. 1  u_act        never exercised",
        "0 of 4 rules exercised (0.0%); not exercised: t_emergency, t_help, t_asked, u_act",
        "1 passed, 0 failed"]


def test_coverage_never_changes_the_exit_code_but_fail_under_does(tiny):
    (tiny / "sc" / "b.yaml").write_text(B_YAML.replace("holds: all", "holds: none"), encoding="utf-8")
    code, out, _ = run("test", "sc", "--rules", "rules", "--coverage")
    assert code == 1  # the failure's, as without --coverage; the failed case still counts
    assert "  t art. 2  t_asked      concluded in 1 case: sc/b.yaml;" in out
    (tiny / "sc" / "b.yaml").write_text(B_YAML, encoding="utf-8")
    code, out, err = run("test", "sc", "--rules", "rules", "--fail-under", "80")
    assert code == 1 and "3 of 4 rules exercised (75.0%)" in out  # --fail-under reports coverage too
    assert err == "error: 75.0% of the rules exercised, under --fail-under 80%\n"
    assert run("test", "sc", "--rules", "rules", "--fail-under", "75")[0] == 0


def test_an_instrument_the_scenario_leaves_out_is_not_tried_there(tiny):
    (tiny / "sc" / "b.yaml").write_text(B_YAML.replace("as_of:", "instruments: [u]\nas_of:"), encoding="utf-8")
    code, out, _ = run("test", "sc/b.yaml", "--rules", "rules", "--coverage", "--format", "json")
    rows = {r["rule"]: r["status"] for r in json.loads(out)["coverage"]["rules"]}
    assert code == 1  # (its expectation: no rule of t is loaded)
    assert rows == {"t_emergency": "never", "t_help": "never", "t_asked": "never", "u_act": "never"}


def test_the_shipped_scenarios(monkeypatch):
    monkeypatch.chdir(ROOT)
    two = ("scenarios/kazakhstan-2022.yaml", "scenarios/nato-2001-article5.yaml")  # (the casebook: treaty test)
    code, out, _ = run("test", *two, "--coverage", "--format", "json")
    assert code == 0
    cov = json.loads(out)["coverage"]
    rows = {r["rule"]: r for r in cov["rules"]}
    assert "scenarios/kazakhstan-2022.yaml" in rows["cst_4_2_assist_2010"]["concluded"]
    assert "scenarios/kazakhstan-2022.yaml::attack_denied" in rows["cst_4_2_assist_2010"]["tried"]
    assert "scenarios/kazakhstan-2022.yaml" in rows["cst_4_1_all_2010_non_state"]["concluded"]  # a derived rule
    missing = cov["summary"]["not_exercised"]
    assert missing and all(rows[r]["status"] in ("tried", "never") for r in missing)
    assert cov["summary"]["exercised"] + len(missing) == cov["summary"]["rules"] == len(rows)
    code, text, _ = run("test", *two, "--coverage")
    assert code == 0
    assert text.splitlines()[-2].startswith(f"{cov['summary']['exercised']} of {len(rows)} rules exercised")


def test_each_files_cases_are_said_together():
    from engine.tools.coverage import _cases
    from engine.tools.testing import Case

    run_ = tuple(Case(f, v) for f, v in [("a.yaml", None), ("a.yaml", "x"), ("a.yaml", "y"), ("a.yaml", "z"),
                                         ("b.yaml", None), ("b.yaml", "w")])
    assert _cases(run_, run_) == "all 6 cases"
    assert _cases(run_[1:3] + run_[4:], run_) == "4 cases: a.yaml::{x,y}, b.yaml (all 2)"
    assert _cases(run_[:1] + run_[3:5], run_, more=True) == "3 more cases: a.yaml, a.yaml::z, b.yaml"
