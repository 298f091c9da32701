"""Rule coverage of a test run (``treaty test --coverage``): for every rule of the loaded rule base, the
cases (scenarios and variants) in which it concluded or derived something, those in which it was only
tried, and the rules no case exercises.

A rule *concluded* in a case if some reading of the case has its conclusion (a ``te_concl`` atom naming
it: the findings' ``basis.rule``) or, for a rule that derives an atom (``derive``), if its body held in
some reading: a brave consequence of its ``te_fired`` atoms, which the support program
(:mod:`engine.language.support`, the one explanations read) derives with the rule's own body. A rule of
lower priority whose candidate some higher conclusion defeats in every reading concluded nothing.

A rule was *tried* in a case if it concluded nothing there although the case loaded it (a scenario's
``instruments:`` may leave it out) and, on some day from the case's first dated fact to its as-of date,
the rule was in force and an entity of the case (declared, or named in a fact) was a party to the
rule's instrument: the case was about that rule's treaty, and the rule's conditions were not met.

The concluding rules are read from the consequences the test computed anyway; the deriving rules cost
one grounding of their support program and, unless the grounding settles every one of them (atoms that
are facts), one more brave solve on the case's own control: nothing else is solved again.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import clingo

from ..language import ast
from ..language.rulebase import Interval

if TYPE_CHECKING:
    from ..language.load import Rules
    from ..pipeline import Analysis
    from .testing import Case, Outcome

COVERAGE_SCHEMA = "treaty-engine/test-coverage/1"
_FUNCTION = clingo.SymbolType.Function


@dataclass(frozen=True)
class CaseCoverage:
    """What one case exercised: the rules that concluded (or derived) something in some reading, and
    those that were tried there without concluding anything."""

    concluded: frozenset[str]
    tried: frozenset[str]


def case_coverage(analysis: Analysis) -> CaseCoverage:
    """The rules one evaluated case exercised (its solution must keep its grounding)."""
    facts, solution = analysis.facts, analysis.solution
    rb = facts.rules.base
    concluded = {s.arguments[1].name for s in solution.brave  # te_concl(Kind, Rule, Bearer, Action, Party, Day)
                 if s.name == "te_concl" and len(s.arguments) == 6 and s.arguments[1].type is _FUNCTION}
    derived = sorted(r.id for r in rb.rules.values() if isinstance(r.head, ast.AtomHead))
    if derived:
        concluded |= _fired(analysis, derived)
    concluded &= set(rb.rules)
    return CaseCoverage(frozenset(concluded), frozenset(_tried(analysis, concluded)))


def _fired(analysis: Analysis, rule_ids: Sequence[str]) -> set[str]:
    """Those of these (deriving) rules whose body holds in some reading of the case."""
    from ..reasoning.deriver import EXPLAINING, Deriver

    solution = analysis.solution
    ctl = solution.ctl
    if ctl is None:  # pragma: no cover - the test runner keeps every case's grounding
        raise RuntimeError("rule coverage needs the case's grounding")
    Deriver.of(solution).ground(rule_ids)  # what explanations ground: only the parts not ground yet
    wanted = set(rule_ids)
    fired: set[str] = set()
    open_: set[str] = set()
    for atom in ctl.symbolic_atoms.by_signature("te_fired", 5):
        who = atom.symbol.arguments[0]
        if who.type is not _FUNCTION or who.name not in wanted:
            continue
        (fired if atom.is_fact else open_).add(who.name)  # a fact holds in every reading
    if not open_ - fired:
        return fired
    # one brave solve, the te_fired atoms shown (as te_step terms) while te_explaining is true
    conf = ctl.configuration.solve
    before = conf.enum_mode, conf.models  # type: ignore[union-attr]
    last: list[Sequence[clingo.Symbol]] = [()]
    conf.enum_mode, conf.models = "brave", 0  # type: ignore[union-attr]
    ctl.assign_external(EXPLAINING, True)
    try:
        ctl.solve(assumptions=list(solution.assumptions), on_model=lambda m: last.__setitem__(0, m.symbols(shown=True)))
    finally:
        ctl.assign_external(EXPLAINING, False)
        conf.enum_mode, conf.models = before  # type: ignore[union-attr]
    for s in last[0]:
        if s.name == "te_step" and len(s.arguments) > 1 and s.arguments[0].name == "te_fired":
            who = s.arguments[1]
            if who.type is _FUNCTION and who.name in wanted:
                fired.add(who.name)
    return fired


def _names(symbol: clingo.Symbol) -> Iterator[str]:
    if symbol.type is _FUNCTION:
        if not symbol.arguments:
            yield symbol.name
        for a in symbol.arguments:
            yield from _names(a)


def _tried(analysis: Analysis, concluded: set[str]) -> set[str]:
    """The rules of the case's rule base that concluded nothing although they were in force for a
    party named in the case during its span of time."""
    facts = analysis.facts
    rb = facts.rules.base
    entities = set(facts.loaded.scenario.entities)
    for item in facts.items:
        for s in item.symbols:
            entities.update(_names(s))
    first, last = facts.first_day, facts.as_of
    # each instrument's parties among the case's entities: the days (start, end exclusive) each was one
    periods: dict[str, list[tuple[date, date | None]]] = {}
    for p in rb.parties:
        if p.entity in entities:
            periods.setdefault(p.instrument, []).append((p.joined, p.left))
    out = set()
    for rid, rule in rb.rules.items():
        if rid in concluded:
            continue
        span = rb.rule_in_force[rid]
        for joined, left in periods.get(rule.instrument, ()):
            ends = [d for d in (left, span.end) if d is not None]  # exclusive
            both = Interval(max(d for d in (joined, span.start) if d is not None), min(ends, default=None))
            if both.meets(first, last):  # in force while the entity was a party, on a day of the case
                out.add(rid)
                break
    return out


@dataclass(frozen=True)
class RuleCoverage:
    """One rule over a whole run: the cases in which it concluded, and those it was only tried in."""

    rule: ast.Rule
    concluded: tuple[Case, ...]
    tried: tuple[Case, ...]

    @property
    def status(self) -> str:
        return "concluded" if self.concluded else "tried" if self.tried else "never"


@dataclass(frozen=True)
class Coverage:
    cases: tuple[Case, ...]  # the cases counted, in the order run: those evaluated
    rules: tuple[RuleCoverage, ...]  # by instrument, then in the order of the rule files
    #: the cases not evaluated (skipped, in error, or expecting an error): they count for no rule
    left_out: tuple[Case, ...] = ()

    @property
    def exercised(self) -> int:
        return sum(bool(r.concluded) for r in self.rules)

    @property
    def percent(self) -> float:
        return 100.0 * self.exercised / len(self.rules) if self.rules else 100.0

    @property
    def not_exercised(self) -> list[str]:
        return [r.rule.id for r in self.rules if not r.concluded]


def coverage(rules: Rules, outcomes: Iterable[Outcome]) -> Coverage:
    """The coverage of a run over the command's rule base, from each case's :class:`CaseCoverage`."""
    outcomes = list(outcomes)
    run = [(o.case, o.coverage) for o in outcomes if o.coverage is not None]
    rb = rules.base
    order = {id(r): (fi, i) for fi, f in enumerate(rb.files) for i, r in enumerate(f.rules)}

    def key(rule: ast.Rule) -> tuple:
        return rule.instrument, order.get(id(rule), (len(rb.files), 0)), rule.id

    rows = [RuleCoverage(rule, tuple(c for c, cov in run if rule.id in cov.concluded),
                         tuple(c for c, cov in run if rule.id in cov.tried))
            for rule in sorted(rb.rules.values(), key=key)]
    return Coverage(tuple(c for c, _ in run), tuple(rows), tuple(o.case for o in outcomes if o.coverage is None))


def _article(rule: ast.Rule) -> str:
    version = f" [{rule.version}]" if rule.version else ""
    return f"{rule.instrument} art. {rule.article}{version}"


def _cases(cases: tuple[Case, ...], run: tuple[Case, ...], more: bool = False) -> str:
    """``N cases: ...``, each file's cases together: ``FILE`` (its own expectations), ``FILE::VARIANT``,
    ``FILE::{V1,V2}``, or ``FILE (all N)`` when every case of the file that ran is among them."""
    n = len(cases)
    head = f"{n}{' more' if more else ''} case{'' if n == 1 else 's'}"
    if n == len(run) and n > 1:
        return f"all {n} cases"
    by_file: dict[str, list[Case]] = {}
    for c in cases:
        by_file.setdefault(c.file, []).append(c)
    parts = []
    for file, these in by_file.items():
        ran = sum(c.file == file for c in run)
        if len(these) == ran and ran > 1:
            parts.append(f"{file} (all {ran})")
            continue
        if any(c.variant is None for c in these):
            parts.append(file)
        variants = [c.variant for c in these if c.variant is not None]
        if len(variants) == 1:
            parts.append(f"{file}::{variants[0]}")
        elif variants:
            parts.append(f"{file}::{{{','.join(variants)}}}")
    return f"{head}: {', '.join(parts)}"


def coverage_text(cov: Coverage) -> str:
    """A heading, one line per rule (whole, however long: ``grep 'never exercised'`` finds them), and
    the summary line."""
    n = len(cov.cases)
    k = len(cov.left_out)
    lines = [f"Rule coverage over {n} case{'' if n == 1 else 's'}"
             + (f" ({k} not evaluated: skipped, in error or expecting an error)" if k else "") + ":"]
    arts = max((len(_article(r.rule)) for r in cov.rules), default=0)
    ids = max((len(r.rule.id) for r in cov.rules), default=0)
    for r in cov.rules:
        verb = "derived" if isinstance(r.rule.head, ast.AtomHead) else "concluded"
        said = []
        if r.concluded:
            said.append(f"{verb} in {_cases(r.concluded, cov.cases)}")
        if r.tried:
            said.append(f"tried in {_cases(r.tried, cov.cases, more=bool(r.concluded))}")
        lines.append(f"  {_article(r.rule):<{arts}}  {r.rule.id:<{ids}}  {'; '.join(said) or 'never exercised'}")
    lines.append(summary_text(cov))
    return "\n".join(lines) + "\n"


def summary_text(cov: Coverage) -> str:
    missing = cov.not_exercised
    return (f"{cov.exercised} of {len(cov.rules)} rules exercised ({cov.percent:.1f}%)"
            + (f"; not exercised: {', '.join(missing)}" if missing else ""))


def coverage_data(cov: Coverage) -> dict[str, Any]:
    """The coverage as JSON data: the member ``coverage`` of ``treaty test --coverage --format json``."""
    return {
        "schema": COVERAGE_SCHEMA,
        "cases": [c.name for c in cov.cases],
        "not_evaluated": [c.name for c in cov.left_out],
        "rules": [{"rule": r.rule.id, "instrument": r.rule.instrument, "article": r.rule.article,
                   "version": r.rule.version,
                   "head": "derived" if isinstance(r.rule.head, ast.AtomHead) else r.rule.head.kind,
                   "file": r.rule.span.file, "line": r.rule.span.line, "status": r.status,
                   "concluded": [c.name for c in r.concluded], "tried": [c.name for c in r.tried]}
                  for r in cov.rules],
        "summary": {"rules": len(cov.rules), "exercised": cov.exercised,
                    "tried_only": sum(r.status == "tried" for r in cov.rules),
                    "never": sum(r.status == "never" for r in cov.rules),
                    "percent": round(cov.percent, 1), "not_exercised": cov.not_exercised},
    }

