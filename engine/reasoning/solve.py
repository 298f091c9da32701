"""Scenario facts + compiled rules -> clingo: every reading of the contested facts at once.

Established facts are facts; alleged and disputed ones are choices; denied ones are absent.
An event whose date sources disagree on takes exactly one of its dates. One grounding, then
clingo's brave and cautious consequences say what holds in some and in all readings; the
readings themselves are never enumerated.
"""

from __future__ import annotations

import clingo

from ..cases.facts import ScenarioFacts
from ..language.compile import ClingoMessages
from .encoding import COUNTER_PROGRAM, STATUS_PROGRAM, Marker, ScenarioProgram, scenario_program, scenario_rules
from .grounding import _consequences, _ground, _ground_counters, _switch_on_constraints, count_readings
from .solution import Solution
from .sweep import Sweep, facts_signature

__all__ = ["COUNTER_PROGRAM", "STATUS_PROGRAM", "Groundings", "Marker", "ScenarioProgram", "Solution", "Sweep",
           "_consequences", "_ground_counters", "_switch_on_constraints", "facts_signature", "scenario_program",
           "scenario_rules", "solve_scenario"]


def solve_scenario(facts: ScenarioFacts) -> Solution:
    """Ground the rules with the scenario once; return what holds in some and in all readings."""
    program = facts.rules.program
    messages = ClingoMessages(program)
    ctl = clingo.Control(["--models=0"], logger=messages, message_limit=1000)
    scenario, markers = scenario_rules(facts)
    from ..limits import stage

    stage(f"grounding {facts.loaded.file}")
    _ground(ctl, messages, facts.rules.texts, program.text + STATUS_PROGRAM, scenario)
    if markers:
        _ground_counters(ctl, messages, facts.rules.texts)
    _switch_on_constraints(ctl, facts)
    stage(f"solving {facts.loaded.file}")
    brave = frozenset(_consequences(ctl, "brave", facts))
    # With nothing contested the facts are fixed and there is one reading: its consequences are
    # both brave and cautious, and a second solve would only repeat the first.
    cautious = frozenset(_consequences(ctl, "cautious", facts)) if markers else brave
    readings = count_readings(facts)
    return Solution(brave, cautious, markers, readings, ctl, facts)


class Groundings:
    """One grounding for scenarios that share their facts: a batch of what-ifs grounds once.

    A scenario whose facts and events (whatever their statuses), entities, as-of date and
    settings are those of one solved before is solved on a :class:`Sweep` of them, with its
    statuses as assumptions; the first of its kind is grounded alone, as a single scenario is.
    The answers are the same either way (``tests/test_sweep.py``, ``tests/test_batch.py``).
    """

    def __init__(self, size: int = 4) -> None:
        from ..recent import Recent

        self._recent: Recent[ScenarioFacts] = Recent(size, facts_signature)

    def solve(self, facts: ScenarioFacts) -> Solution:
        cheap = (id(facts.rules), facts.as_of, facts.immediately_days, len(facts.items))
        entry = self._recent.find(cheap, facts)
        if entry is None:
            self._recent.add(cheap, facts, None)
            return solve_scenario(facts)
        if entry.value is None:  # the second of its kind: now a grounding shared is worth it
            entry.value = Sweep(facts)
        sweep: Sweep = entry.value
        return sweep.solve_facts(facts)
