"""When a scenario's established facts cannot all hold under the rules: which facts, which constraint.

The scenario is grounded once more with every established fact made assumable and every
constraint switchable; clingo's unsatisfiable core over those assumptions names a conflicting
set, which is then shrunk one member at a time to a minimal one.
"""

from __future__ import annotations

import clingo

from ..cases.facts import FactItem, ScenarioFacts
from ..errors import Diagnostic, Span
from .encoding import STATUS_PROGRAM, scenario_rules


def diagnose(facts: ScenarioFacts) -> list[Diagnostic]:
    rb = facts.rules.base
    established = {s: item for item in facts.items if not item.contested and item.status.value == "established"
                   and len(item.symbols) == 1 and not item.cut for s in item.symbols}
    scenario, _ = scenario_rules(facts, assumable=frozenset(established))  # established facts assumable
    ctl = clingo.Control(["--warn=none"])
    ctl.add("base", [], facts.rules.program.text + STATUS_PROGRAM + scenario.rules_text())
    scenario.add_to(ctl)  # symbols, never text (see engine.reasoning.encoding.ScenarioProgram)
    ctl.ground([("base", [])])
    checks = {clingo.Function("te_check", [clingo.Function(c)]): c for c in rb.constraints}
    for sym in checks:
        ctl.assign_external(sym, None)
    assumable = list(established) + list(checks)
    literal = {}
    for sym in assumable:
        known = ctl.symbolic_atoms[sym]
        if known is not None:
            literal[sym] = known.literal

    def unsat(subset: list[clingo.Symbol]) -> bool:
        return bool(ctl.solve(assumptions=[(s, True) for s in subset]).unsatisfiable)

    core_lits: list[int] = []
    result = ctl.solve(assumptions=[(s, True) for s in literal], on_core=lambda c: core_lits.extend(c))
    if not result.unsatisfiable:  # pragma: no cover - called only when the scenario has no reading
        return [Diagnostic(None, f"{facts.loaded.file}: no reading is consistent, and no conflict was isolated")]
    by_literal = {lit: sym for sym, lit in literal.items()}
    core = [by_literal[lit] for lit in core_lits if lit in by_literal] or list(literal)
    for sym in list(core):  # shrink to a minimal conflicting set
        trial = [s for s in core if s != sym]
        if unsat(trial):
            core = trial
    conflicting = [established[s] for s in core if s in established]
    constraints = [rb.constraints[checks[s]] for s in core if s in checks]
    doc = facts.loaded.doc
    names = ", ".join(f"`{c.id}`" for c in constraints) or "the rules"
    notes = [f"{doc.span(facts.loaded.where(item.path))}: {item.label()} ({item.status.value}, source {item.source})"
             for item in _unique(conflicting)]
    notes += [f"{c.span}: constraint {c.id}" + (f" ({c.title})" if c.title else "")
              + f", {c.instrument} article {c.article}" for c in constraints]
    first = conflicting[0] if conflicting else None
    span = doc.span(facts.loaded.where(first.path)) if first else Span(facts.loaded.file, 0, 0)
    return [Diagnostic(span, f"these established facts cannot all hold: they break {names}",
                       "mark one of them `disputed` or `alleged` (or `denied`) to see the readings that remain",
                       notes=tuple(notes))]


def _unique(items: list[FactItem]) -> list[FactItem]:
    seen: dict[str, FactItem] = {}
    for it in items:
        seen.setdefault(it.id, it)
    return list(seen.values())
