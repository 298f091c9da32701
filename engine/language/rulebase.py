"""The checked, merged rule base (:class:`RuleBase`) that :mod:`engine.language.check` builds and the compiler reads."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from . import ast

ArticleKey = tuple[str, str, str | None]  # instrument, ref, version


@dataclass(frozen=True, slots=True)
class Interval:
    """Days from ``start`` (inclusive) to ``end`` (exclusive; None: no end)."""

    start: date | None
    end: date | None

    def meets(self, first: date, last: date) -> bool:
        """Whether some day from ``first`` to ``last`` (both inclusive) lies in the interval."""
        day = first if self.start is None else max(first, self.start)
        return day <= last and (self.end is None or day < self.end)


@dataclass
class RuleBase:
    """A checked set of rule files, merged: what the compiler and the engine work from."""

    files: list[ast.RuleFile]
    texts: dict[str, str]
    sources: dict[str, ast.Source] = field(default_factory=dict)
    instruments: dict[str, ast.Instrument] = field(default_factory=dict)
    parties: list[ast.Party] = field(default_factory=list)
    articles: dict[ArticleKey, ast.Article] = field(default_factory=dict)
    article_in_force: dict[ArticleKey, Interval] = field(default_factory=dict)
    predicates: dict[str, ast.PredicateDecl] = field(default_factory=dict)
    rules: dict[str, ast.Rule] = field(default_factory=dict)
    constraints: dict[str, ast.Constraint] = field(default_factory=dict)
    notices: dict[str, ast.Constraint] = field(default_factory=dict)  # said to the user when they hold
    rule_in_force: dict[str, Interval] = field(default_factory=dict)
    rule_var_kinds: dict[str, dict[str, str]] = field(default_factory=dict)  # rule -> variable -> kind
    priorities: list[ast.Priority] = field(default_factory=list)
    interpretations: dict[str, ast.Interpretation] = field(default_factory=dict)
    #: closed vocabularies: each declared kind of symbol -> its symbols (name -> meaning), from every file
    symbol_kinds: dict[str, dict[str, str]] = field(default_factory=dict)

    def article_of(self, rule: ast.Rule) -> ast.Article:
        return self.articles[(rule.instrument, rule.article, rule.version)]

    def readings(self) -> Iterator[tuple[str, str, str]]:
        """(rule, interpretation, position) for each `reading I is P` condition of the rules."""
        for r in self.rules.values():
            for c in r.conditions:
                if isinstance(c, ast.Literal) and c.atom.name == ast.READING and len(c.atom.args) == 2:
                    i, p = c.atom.args
                    if isinstance(i, ast.Const) and isinstance(p, ast.Const):
                        yield r.id, i.name, p.name


def _terms(term: ast.Term) -> Iterator[ast.Term]:
    yield term
    if isinstance(term, ast.Compound):
        for a in term.args:
            yield from _terms(a)
    elif isinstance(term, ast.Arith):
        yield from _terms(term.left)
        yield from _terms(term.right)


def variables(term: ast.Term | None) -> Iterator[ast.Var]:
    if term is None:
        return
    for t in _terms(term):
        if isinstance(t, ast.Var):
            yield t


def readers_of(rb: RuleBase) -> dict[str, set[str]]:
    """The instruments whose rules read each predicate, directly (in a condition, or as what
    discharges or ends a conclusion) or through the derived predicates it gives."""
    readers: dict[str, set[str]] = {}
    feeds: dict[str, set[str]] = {}  # predicate -> the derived predicates whose rules read it
    for r in rb.rules.values():
        lits = [c for c in r.conditions if isinstance(c, ast.Literal)]
        lits += [lit for lit in (r.discharged, r.until) if lit is not None]
        for lit in lits:
            readers.setdefault(lit.atom.name, set()).add(r.instrument)
            if isinstance(r.head, ast.AtomHead):
                feeds.setdefault(lit.atom.name, set()).add(r.head.atom.name)
    changed = True
    while changed:
        changed = False
        for name, derived in feeds.items():
            more = set().union(*(readers.get(d, set()) for d in derived)) - readers.get(name, set())
            if more:
                readers.setdefault(name, set()).update(more)
                changed = True
    return readers
