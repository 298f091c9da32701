"""What-if sweeps on one grounding give exactly what a fresh evaluation gives."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from engine import load_scenario
from engine.cases.facts import scenario_to_facts
from engine.pipeline import evaluate
from engine.reasoning.findings import findings_document, findings_from_solution
from engine.reasoning.solve import Sweep

ROOT = Path(__file__).resolve().parent.parent
STATUSES = ["established", "alleged", "disputed", "denied"]


@pytest.mark.parametrize("name", ["kazakhstan-2022.yaml", "nato-2001-article5.yaml", "armenia-2022-cst.yaml"])
def test_a_sweep_agrees_with_fresh_evaluations(rules, name):
    loaded = load_scenario(ROOT / "scenarios" / name)
    facts = scenario_to_facts(loaded, rules)
    sweep = Sweep(facts)
    ids = [it.id for it in facts.items]
    rng = random.Random(20220105)
    whatifs = [{}] + [{i: rng.choice(STATUSES) for i in rng.sample(ids, k=min(len(ids), rng.randint(1, 4)))}
                      for _ in range(12)]
    for assume in whatifs:
        swept = findings_from_solution(sweep.solve(assume).facts, sweep.solve(assume))
        fresh = evaluate(rules, loaded, assume=assume)
        assert swept.to_json() == fresh.to_json(), assume


def test_a_sweep_explains_like_a_fresh_evaluation(rules):
    from engine.pipeline import Analysis, analyse

    loaded = load_scenario(ROOT / "scenarios" / "kazakhstan-2022.yaml")
    facts = scenario_to_facts(loaded, rules)
    assume = {"armed_attack(foreign_trained_gangs, kazakhstan)": "established"}
    solution = Sweep(facts).solve(assume)
    swept = Analysis(solution.facts, solution, findings_document(solution.facts, solution))
    fresh = analyse(rules, loaded, assume=assume)
    cid = "cst_4_2_assist_2010/russia/provide_assistance/kazakhstan/2022-01-05"
    assert swept.explainer().why(cid) == fresh.explainer().why(cid)


def test_a_sweep_takes_any_name_a_scenario_may_use(rules, tmp_path):
    """Names reach clingo as symbols in a sweep too: `not`, a keyword of clingo's language, is a name."""
    text = (ROOT / "tests" / "golden" / "ok_scenario.yaml").read_text(encoding="utf-8").replace("gangs", "not")
    path = tmp_path / "not.yaml"
    path.write_text(text, encoding="utf-8")
    loaded = load_scenario(path)
    sweep = Sweep(scenario_to_facts(loaded, rules))
    for assume in ({}, {"armed_attack(not, kazakhstan)": "established"}, {"armed_attack(not, kazakhstan)": "denied"}):
        swept = sweep.solve(assume)
        assert findings_from_solution(swept.facts, swept).to_json() == evaluate(rules, loaded, assume=assume).to_json()
