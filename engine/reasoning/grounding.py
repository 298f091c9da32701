"""Grounding and solving on one clingo control: the program text and the scenario's symbols
grounded, the constraints switched on, brave and cautious consequences read.

A failure is said as whose it is: clingo's messages are the rule base's, an exhausted memory
bound is a MemoryError, no reading at all is the scenario's conflict (:mod:`engine.reasoning.conflict`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from math import prod

import clingo

from ..cases.facts import FactItem, ScenarioFacts
from ..cases.readings import leader
from ..errors import TreatyError
from ..language.compile import ClingoMessages
from .conflict import diagnose
from .encoding import COUNTER_PROGRAM, ScenarioProgram


def count_readings(facts: ScenarioFacts) -> int:
    """How many readings the scenario has: each contested fact's (facts that stand or fall together
    count once, as a group) and each open interpretation's."""
    interps = facts.rules.base.interpretations
    groups: dict[str, list[FactItem]] = {}
    by_id = {i.id: i for i in facts.items}
    for item in facts.items:
        if item.status.value != "denied":
            groups.setdefault(leader(item, by_id).id, []).append(item)
    return prod(_readings(g) for g in groups.values()) * \
        prod(len(interps[name].positions) for name, position in facts.positions.items() if position is None)


def _readings(group: list[FactItem]) -> int:
    """A fact's readings: one per date it may have, and none at all if it is contested (or some dates
    fall after the as-of date); facts that stand or fall together hold all or none of them."""
    dated = prod(len(item.dates) or 1 for item in group)
    return dated + 1 if any(item.contested or item.cut for item in group) else dated


def _ground(ctl: clingo.Control, messages: ClingoMessages, texts: Mapping[str, str], program: str,
            scenario: ScenarioProgram | None, part: str = "base") -> None:
    """Add the engine's program text and the scenario's symbols, and ground them.

    A failure clingo explains (its messages, located in the rule files) is the rule base's, and
    reported as such; an exhausted memory bound is a MemoryError; any other failure is not the
    user's and propagates, never leaving a half-grounded control to solve.
    """
    try:
        ctl.add(part, [], program + (scenario.rules_text() if scenario is not None else ""))
        if scenario is not None:
            scenario.add_to(ctl)
        ctl.ground([(part, [])])
    except RuntimeError as exc:
        _raise_if_out_of_memory(exc)
        if messages.diagnostics:
            raise TreatyError(messages.diagnostics, dict(texts)) from None
        raise
    if messages.diagnostics:
        raise TreatyError(messages.diagnostics, dict(texts))


def _ground_counters(ctl: clingo.Control, messages: ClingoMessages, texts: Mapping[str, str]) -> None:
    """Counter-readings for the conclusions that are not facts once grounded: a conclusion that
    follows from established facts alone holds in every reading and depends on nothing contested.
    (#conclusions x #contested counter atoms cost more than the solve itself as K grew; issue 7.)
    And for the statuses of a conclusion that the grounding leaves more than one possible status:
    what each depends on (a status that is a fact, or the only one possible, needs none)."""
    maybe = ScenarioProgram({})
    # te_concl(Kind,R,B,A,P,D) -> te_maybe(R,B,A,P,D): symbols, as the scenario's facts
    maybe.facts = [clingo.Function("te_maybe", a.symbol.arguments[1:])
                   for a in ctl.symbolic_atoms.by_signature("te_concl", 6) if not a.is_fact]
    # a status that is a fact once grounded is the conclusion's only one (its statuses exclude each other)
    possible: dict[tuple[clingo.Symbol, ...], list[clingo.Symbol]] = {}
    for a in ctl.symbolic_atoms.by_signature("te_status", 6):
        if not a.is_fact:
            args = a.symbol.arguments
            possible.setdefault(tuple(args[:5]), []).append(args[5])
    maybe.facts += [clingo.Function("te_smaybe", [*key, s]) for key, states in possible.items() if len(states) > 1
                    for s in states]
    _ground(ctl, messages, texts, COUNTER_PROGRAM, maybe, part="counters")


def _raise_if_out_of_memory(exc: RuntimeError) -> None:
    """clingo reports an exhausted memory bound as a RuntimeError; other errors reach the logger."""
    if "bad_alloc" in str(exc) or "memory" in str(exc).lower():
        raise MemoryError(str(exc)) from exc


def _switch_on_constraints(ctl: clingo.Control, facts: ScenarioFacts) -> None:
    for cid in facts.rules.base.constraints:
        ctl.assign_external(clingo.Function("te_check", [clingo.Function(cid)]), True)


def _consequences(ctl: clingo.Control, mode: str, facts: ScenarioFacts,
                  assumptions: Sequence[tuple[clingo.Symbol, bool] | int] = ()) -> list[clingo.Symbol]:
    ctl.configuration.solve.enum_mode = mode  # type: ignore[union-attr]
    # Keep each model's symbol array (a cheap copy made by clingo) and turn only the last one into
    # Python symbols: brave and cautious enumeration pass through many models on the way, and
    # converting each cost more than solving once K contested facts multiply them (issue 7).
    last: list[Sequence[clingo.Symbol]] = [()]
    result = ctl.solve(assumptions=list(assumptions), on_model=lambda m: last.__setitem__(0, m.symbols(shown=True)))
    if result.unsatisfiable:
        texts = {**facts.rules.texts, facts.loaded.file: facts.loaded.doc.text}
        raise TreatyError(diagnose(facts), texts)
    assert result.exhausted, "consequence enumeration must run to the end"
    return list(last[0])
