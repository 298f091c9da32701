"""Scenario facts + compiled rules -> clingo: every reading of the contested facts at once.

Established facts are facts; alleged and disputed ones are choices; denied ones are absent.
An event whose date sources disagree on takes exactly one of its dates. One grounding, then
clingo's brave and cautious consequences say what holds in some and in all readings; the
readings themselves are never enumerated.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from math import prod

import clingo

from .compile import ClingoMessages
from .errors import Diagnostic, TreatyError
from .facts import FactItem, ScenarioFacts

#: Deadlines and statuses against the as-of date, and the counter-readings that give depends_on.
STATUS_PROGRAM = """
% ---- engine: deadlines, statuses and dependencies (te_as_of/1, te_immediately_days/1 from the engine)
te_deadline(R,B,A,P,D,D+N) :- te_due(R,B,A,P,D,immediately), te_immediately_days(N).
te_deadline(R,B,A,P,D,X) :- te_due(R,B,A,P,D,day(X)).
te_done(R,B,A,P,D,E) :- te_discharged(R,B,A,P,D,_), E = #min{ X : te_discharged(R,B,A,P,D,X) }.
te_ends(R,B,A,P,D,U) :- te_until(R,B,A,P,D,_), U = #min{ X : te_until(R,B,A,P,D,X) }.
te_late(R,B,A,P,D) :- te_done(R,B,A,P,D,E), te_deadline(R,B,A,P,D,L), E > L.
te_status(R,B,A,P,D,discharged_late) :- te_late(R,B,A,P,D).
te_status(R,B,A,P,D,discharged) :- te_done(R,B,A,P,D,_), not te_late(R,B,A,P,D).
te_open(R,B,A,P,D) :- te_concl(_,R,B,A,P,D), not te_done(R,B,A,P,D,_).
te_status(R,B,A,P,D,ended) :- te_open(R,B,A,P,D), te_ends(R,B,A,P,D,_).
te_overdue(R,B,A,P,D) :- te_open(R,B,A,P,D), not te_ends(R,B,A,P,D,_), te_deadline(R,B,A,P,D,L),
                         te_as_of(T), T > L.
te_status(R,B,A,P,D,overdue) :- te_overdue(R,B,A,P,D).
te_lasting(permission). te_lasting(prohibition).
te_status(R,B,A,P,D,active) :- te_open(R,B,A,P,D), te_concl(K,R,B,A,P,D), te_lasting(K),
                               not te_ends(R,B,A,P,D,_).
te_status(R,B,A,P,D,pending) :- te_open(R,B,A,P,D), te_concl(K,R,B,A,P,D), not te_lasting(K),
                                not te_ends(R,B,A,P,D,_), not te_overdue(R,B,A,P,D).
te_counter(R,B,A,P,D,F) :- te_concl(_,R,B,A,P,D), te_contested(F), not te_true(F).
#defined te_contested/1. #defined te_true/1. #defined te_as_of/1. #defined te_immediately_days/1.
#defined te_due/6. #defined te_discharged/6. #defined te_until/6.
#show te_status/6. #show te_counter/6. #show te_deadline/6. #show te_done/6. #show te_ends/6.
"""


@dataclass(frozen=True)
class Marker:
    """A contested fact that a conclusion may depend on: an allegation, or one of an event's dates."""

    label: str
    item: FactItem
    on: date | None


@dataclass
class Solution:
    """Brave (some readings) and cautious (all readings) consequences of one grounding.

    The grounded control is kept so that explanations can ask for a witness reading on demand.
    """

    brave: frozenset[clingo.Symbol]
    cautious: frozenset[clingo.Symbol]
    markers: list[Marker]
    readings: int
    ctl: clingo.Control
    facts: ScenarioFacts

    def witness(self, want: clingo.Symbol, holds: bool, prefer: dict[int, bool] | None = None
                ) -> list[clingo.Symbol] | None:
        """Every atom of one reading in which ``want`` holds (or not); None if there is none.

        ``prefer`` maps markers to the truth value wished for; it is dropped if it cannot be met.
        """
        ctl = self.ctl
        ctl.configuration.solve.enum_mode = "auto"  # type: ignore[union-attr]
        ctl.configuration.solve.models = 1  # type: ignore[union-attr]
        try:
            base = [(want, holds)]
            tries = [base]
            if prefer:
                tries.insert(0, base + [(clingo.Function("te_true", [clingo.Number(i)]), v) for i, v in prefer.items()])
            found: list[list[clingo.Symbol]] = []
            for assumptions in tries:
                ctl.solve(assumptions=assumptions, on_model=lambda m: found.append(list(m.symbols(atoms=True))))
                if found:
                    return found[0]
            return None
        finally:
            ctl.configuration.solve.models = 0  # type: ignore[union-attr]


def _readings(item: FactItem) -> int:
    n = len(item.dates) or 1
    if item.contested or item.cut:
        return n + 1  # not at all (or not yet), or on one of its dates
    return n


def solve_scenario(facts: ScenarioFacts) -> Solution:
    """Ground the rules with the scenario once; return what holds in some and in all readings."""
    program = facts.rules.program
    messages = ClingoMessages(program)
    ctl = clingo.Control(["--models=0"], logger=messages, message_limit=1000)
    markers: list[Marker] = []
    lines: list[str] = []
    for item in facts.items:
        if item.status.value == "denied":
            continue
        # str() of a Symbol is its escaped ASP form; every name in it was validated as an identifier
        atoms = [str(s) for s in item.symbols]
        several = len(atoms) > 1
        if not item.contested and not several and not item.cut:
            lines.append(f"{atoms[0]}.")
            continue
        lines.append("{ " + "; ".join(atoms) + " }.")
        lines += [f":- {a}, {b}." for i, a in enumerate(atoms) for b in atoms[i + 1:]]  # at most one date
        if not item.contested and not item.cut:  # established: exactly one of its dates
            lines.append(":- " + ", ".join(f"not {a}" for a in atoms) + ".")
        group: list[tuple[str, list[str], date | None]] = []
        if item.contested or item.cut:
            group.append((item.label(), atoms, None))
        if several:
            group.extend((item.label(d), [a], d) for d, a in zip(item.dates, atoms, strict=True))
        for label, true_if, on in group:
            n = len(markers)
            markers.append(Marker(label, item, on))
            lines.append(f"te_contested({n}).")
            lines += [f"te_true({n}) :- {a}." for a in true_if]
    lines.append(f"te_as_of({facts.as_of.toordinal()}).")
    lines.append(f"te_immediately_days({facts.immediately_days}).")
    lines += [f"{k}." for k in facts.kinds]
    try:
        ctl.add("base", [], program.text + STATUS_PROGRAM)
        ctl.add("base", [], "\n".join(lines) + "\n")
        ctl.ground([("base", [])])
    except RuntimeError:
        pass
    if messages.diagnostics:
        raise TreatyError(messages.diagnostics, facts.rules.texts)
    brave = _consequences(ctl, "brave", facts)
    cautious = _consequences(ctl, "cautious", facts)
    readings = prod(_readings(i) for i in facts.items if i.status.value != "denied")
    return Solution(frozenset(brave), frozenset(cautious), markers, readings, ctl, facts)


def _consequences(ctl: clingo.Control, mode: str, facts: ScenarioFacts) -> list[clingo.Symbol]:
    ctl.configuration.solve.enum_mode = mode  # type: ignore[union-attr]
    last: list[clingo.Symbol] = []
    result = ctl.solve(on_model=lambda m: last.__setitem__(slice(None), m.symbols(shown=True)))
    if result.unsatisfiable:
        raise TreatyError([Diagnostic(None, f"{facts.loaded.file}: the scenario's established facts cannot all "
                                            "hold under the rules (no reading is consistent)")])
    assert result.exhausted, "consequence enumeration must run to the end"
    return last
