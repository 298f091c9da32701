"""The façade: load rules and scenarios, evaluate, in one call each."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path

from .facts import scenario_to_facts
from .findings import Findings, findings_from_solution
from .load import Rules, load_rules
from .scenario import LoadedScenario, Status, load_scenario, scenario_from_dict
from .solve import solve_scenario


def evaluate(rules: Rules, scenario: LoadedScenario | str | Path | dict, *, as_of: date | None = None,
             assume: Mapping[str, Status | str] | None = None) -> Findings:
    """What the rules conclude on a scenario (a loaded one, a file path, or a dict built in code)."""
    if isinstance(scenario, str | Path):
        scenario = load_scenario(scenario)
    elif isinstance(scenario, dict):
        scenario = scenario_from_dict(scenario)
    statuses = {k: Status(v) for k, v in (assume or {}).items()}
    facts = scenario_to_facts(scenario, rules, as_of=as_of, assume=statuses)
    return findings_from_solution(facts, solve_scenario(facts))


__all__ = ["evaluate", "load_rules", "load_scenario"]
