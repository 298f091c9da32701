"""The façade: load rules and scenarios, evaluate, in one call each."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path

from .cases.facts import CheckedFacts, ScenarioFacts, scenario_to_facts
from .cases.scenario import LoadedScenario, Scenario, Status, load_scenario, scenario_from_dict
from .language.load import Rules, load_rules
from .reasoning.findings import Findings, findings_document
from .reasoning.solve import Groundings, Solution, solve_scenario


@dataclass
class Analysis:
    """A scenario evaluated: its facts, the solver's consequences and the findings.

    The findings are kept as JSON data (``document``), which is what output needs; the typed
    :class:`Findings` and the explanations (:meth:`explainer`) are made on first use.
    """

    facts: ScenarioFacts
    solution: Solution
    document: dict

    @cached_property
    def findings(self) -> Findings:
        return Findings.from_document(self.document)

    def explainer(self):  # -> engine.reasoning.explain.Explainer (imported lazily: check runs never pay for it)
        from .reasoning.explain import Explainer

        return Explainer(self.facts, self.solution, self.findings)


ScenarioInput = LoadedScenario | Scenario | str | Path | dict


@dataclass
class Reuse:
    """What a run of many scenarios keeps between them: facts checked and groundings made.

    Scenarios that differ from one evaluated before only in the statuses of their facts (the
    what-ifs of one case) take that one's checked facts and are solved on one grounding; the
    answers are those of a fresh evaluation (``tests/test_batch.py``).
    """

    checked: CheckedFacts = field(default_factory=CheckedFacts)
    groundings: Groundings = field(default_factory=Groundings)


def analyse(rules: Rules, scenario: ScenarioInput, *, as_of: date | None = None,
            assume: Mapping[str, Status | str] | None = None, reuse: Reuse | None = None,
            explainable: bool = True, interpret: Mapping[str, str] | None = None) -> Analysis:
    """Evaluate a scenario (a file path, a dict or a :class:`Scenario` built in code, or a loaded one),
    keeping what explanations need unless ``explainable`` is false. ``reuse`` keeps work between
    the scenarios of a batch."""
    if isinstance(scenario, str | Path):
        scenario = load_scenario(scenario)
    elif isinstance(scenario, dict):
        scenario = scenario_from_dict(scenario)
    elif isinstance(scenario, Scenario):
        scenario = scenario_from_dict(scenario.model_dump())
    statuses = {k: Status(v) for k, v in (assume or {}).items()}
    if reuse is None:
        facts = scenario_to_facts(scenario, rules, as_of=as_of, assume=statuses, interpret=interpret)
        solution = solve_scenario(facts)
    else:
        facts = reuse.checked.facts(scenario, rules, as_of=as_of, assume=statuses, interpret=interpret)
        solution = reuse.groundings.solve(facts)
    # Let the grounding go before the findings are made (its memory, on large cases), unless they
    # need it: a duty whose trigger date differs by reading is confirmed one duty by the solver
    dated = any(m.on is not None for m in solution.markers.values())
    if not explainable and not dated:
        solution.release()
    document = findings_document(facts, solution)
    if not explainable and dated:
        solution.release()
    return Analysis(facts, solution, document)


def evaluate(rules: Rules, scenario: ScenarioInput, *, as_of: date | None = None,
             assume: Mapping[str, Status | str] | None = None, interpret: Mapping[str, str] | None = None
             ) -> Findings:
    """What the rules conclude on a scenario (a loaded one, a file path, or a dict built in code);
    ``interpret`` takes positions on contested questions of law (NAME -> POSITION or ``open``)."""
    return analyse(rules, scenario, as_of=as_of, assume=assume, interpret=interpret).findings


__all__ = ["Analysis", "Reuse", "analyse", "evaluate", "load_rules", "load_scenario"]
