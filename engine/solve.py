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
    """Brave (some readings) and cautious (all readings) consequences of one grounding."""

    brave: frozenset[clingo.Symbol]
    cautious: frozenset[clingo.Symbol]
    markers: list[Marker]
    readings: int


def _readings(item: FactItem) -> int:
    n = len(item.dates) or 1
    if item.contested:
        return n + 1  # not at all, or on one of its dates
    if n > 1:
        return n + (1 if item.cut else 0)
    return 1


def solve_scenario(facts: ScenarioFacts) -> Solution:
    """Ground the rules with the scenario once; return what holds in some and in all readings."""
    program = facts.rules.program
    messages = ClingoMessages(program)
    ctl = clingo.Control(["--models=0"], logger=messages, message_limit=1000)
    markers: list[Marker] = []
    try:
        ctl.add("base", [], program.text + STATUS_PROGRAM)
        with ctl.backend() as b:
            def atom(sym: clingo.Symbol) -> int:
                return b.add_atom(sym)

            b.add_rule([atom(clingo.Function("te_as_of", [clingo.Number(facts.as_of.toordinal())]))])
            b.add_rule([atom(clingo.Function("te_immediately_days", [clingo.Number(facts.immediately_days)]))])
            for k in facts.kinds:
                b.add_rule([atom(k)])
            for item in facts.items:
                if item.status.value == "denied":
                    continue
                lits = [atom(s) for s in item.symbols]
                several = len(lits) > 1
                if not item.contested and not several:
                    b.add_rule(lits)
                    continue
                b.add_rule(lits, [], choice=True)
                for i in range(len(lits)):  # at most one of its dates
                    for j in range(i + 1, len(lits)):
                        b.add_rule([], [lits[i], lits[j]])
                if not item.contested and not item.cut:  # established: exactly one of its dates
                    b.add_rule([], [-lit for lit in lits])
                group: list[tuple[str, list[int], date | None]] = []
                if item.contested:
                    group.append((item.label(), lits, None))
                if several:
                    group.extend((item.label(d), [lit], d) for d, lit in zip(item.dates, lits, strict=True))
                for label, true_if, on in group:
                    n = clingo.Number(len(markers))
                    markers.append(Marker(label, item, on))
                    b.add_rule([atom(clingo.Function("te_contested", [n]))])
                    true = atom(clingo.Function("te_true", [n]))
                    for lit in true_if:
                        b.add_rule([true], [lit])
        ctl.ground([("base", [])])
    except RuntimeError:
        pass
    if messages.diagnostics:
        raise TreatyError(messages.diagnostics, facts.rules.texts)
    brave = _consequences(ctl, "brave", facts)
    cautious = _consequences(ctl, "cautious", facts)
    readings = prod(_readings(i) for i in facts.items if i.status.value != "denied")
    return Solution(frozenset(brave), frozenset(cautious), markers, readings)


def _consequences(ctl: clingo.Control, mode: str, facts: ScenarioFacts) -> list[clingo.Symbol]:
    ctl.configuration.solve.enum_mode = mode  # type: ignore[union-attr]
    last: list[clingo.Symbol] = []
    result = ctl.solve(on_model=lambda m: last.__setitem__(slice(None), m.symbols(shown=True)))
    if result.unsatisfiable:
        raise TreatyError([Diagnostic(None, f"{facts.loaded.file}: the scenario's established facts cannot all "
                                            "hold under the rules (no reading is consistent)")])
    assert result.exhausted, "consequence enumeration must run to the end"
    return last
