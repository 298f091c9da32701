"""The typed AST of rule files: frozen dataclasses, every node with a :class:`Span`.

Terms, atoms and literals have slots: a scenario of 10^5 events makes them by the hundred
thousand. The rest (rules, articles, instruments: a few per rule file) do without, which makes
the module quicker to import and the cached rule base quicker to read (issue 7: start-up).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal as Lit

from ..errors import Span

# ---- terms ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Var:
    name: str
    span: Span


@dataclass(frozen=True, slots=True)
class Anon:
    span: Span


@dataclass(frozen=True, slots=True)
class Const:
    name: str
    span: Span


@dataclass(frozen=True, slots=True)
class Compound:
    name: str
    args: tuple[Term, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class Number:
    value: int
    span: Span


@dataclass(frozen=True, slots=True)
class Days:
    """``N days``: a duration, compiled to the number N."""

    value: int
    span: Span


@dataclass(frozen=True, slots=True)
class DateLit:
    value: date
    span: Span


@dataclass(frozen=True, slots=True)
class Str:
    value: str
    span: Span


@dataclass(frozen=True, slots=True)
class Arith:
    left: Term
    op: str
    right: Term
    span: Span


Term = Var | Anon | Const | Compound | Number | Days | DateLit | Str | Arith

# ---- conditions -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Atom:
    name: str
    args: tuple[Term, ...]
    span: Span
    name_span: Span


@dataclass(frozen=True, slots=True)
class Literal:
    """``atom [on T]``, possibly negated (``not`` / ``unless``)."""

    atom: Atom
    on: Term | None
    negated: bool
    span: Span


@dataclass(frozen=True, slots=True)
class Comparison:
    left: Term
    op: str
    right: Term
    span: Span


Condition = Literal | Comparison

# ---- rule parts -------------------------------------------------------------

DeonticKind = Lit["obligation", "permission", "prohibition", "notification"]


@dataclass(frozen=True)
class DeonticHead:
    kind: DeonticKind
    bearer: Term
    action: Term
    counterparty_word: str | None  # to / towards / against
    counterparty: Term | None
    span: Span


@dataclass(frozen=True)
class AtomHead:
    atom: Atom
    on: Term | None
    span: Span


@dataclass(frozen=True)
class Deadline:
    kind: Lit["immediately", "within", "by"]
    days: int | None
    date: date | None
    span: Span


@dataclass(frozen=True)
class Reference:
    """``in accordance with INSTRUMENT article REF``."""

    instrument: str
    article: str
    span: Span


@dataclass(frozen=True)
class Validity:
    """``in force FROM [to UNTIL]``: from inclusive, until exclusive."""

    start: date
    end: date | None
    span: Span


@dataclass(frozen=True)
class Rule:
    id: str
    title: str | None
    head: DeonticHead | AtomHead
    conditions: tuple[Condition, ...]
    trigger: Term | None
    due: Deadline | None
    discharged: Literal | None
    until: Literal | None
    references: tuple[Reference, ...]
    validity: Validity | None
    instrument: str
    article: str
    version: str | None
    span: Span
    id_span: Span


@dataclass(frozen=True)
class Constraint:
    """``constraint ID: when ...``: the conditions can never all hold (no reading may have them)."""

    id: str
    title: str | None
    conditions: tuple[Condition, ...]
    instrument: str
    article: str
    version: str | None
    span: Span
    id_span: Span


@dataclass(frozen=True)
class Priority:
    higher: str
    lower: str
    span: Span
    higher_span: Span
    lower_span: Span


# ---- declarations -----------------------------------------------------------


@dataclass(frozen=True)
class Source:
    id: str
    citation: str
    url: str | None
    span: Span


@dataclass(frozen=True)
class Amendment:
    signed: date
    in_force: date | None
    title: str | None
    span: Span


@dataclass(frozen=True)
class Instrument:
    id: str
    title: str
    signed: date | None
    in_force: Validity | None
    amendments: tuple[Amendment, ...]
    authentic: tuple[str, ...]
    source: str | None
    span: Span
    aliases: tuple[str, ...] = ()  # other names commands accept for it (`nato`)


@dataclass(frozen=True)
class Party:
    instrument: str
    entity: str
    name: str | None
    joined: date
    left: date | None
    source: str | None
    note: str | None
    span: Span
    also: tuple[str, ...] = ()  # other names of the entity (a former name: "Turkey", "Swaziland")


@dataclass(frozen=True)
class TextBlock:
    language: str
    authentic: bool
    translation: str | None
    source: str | None
    text: str
    span: Span


@dataclass(frozen=True)
class Article:
    instrument: str
    ref: str
    heading: str | None
    version: str | None
    replaces: str | None
    validity: Validity | None
    texts: tuple[TextBlock, ...]
    span: Span


@dataclass(frozen=True)
class Param:
    role: str | None
    kind: str
    span: Span


@dataclass(frozen=True)
class PredicateDecl:
    name: str
    params: tuple[Param, ...]
    event: bool
    derived: bool
    meaning: str | None
    span: Span

    @property
    def arity(self) -> int:
        return len(self.params)

    @property
    def shape(self) -> str:
        """Its arguments as messages and editors show them: ``by: state, of: entity, what: help``."""
        return ", ".join(f"{p.role}: {p.kind}" if p.role else p.kind for p in self.params)


@dataclass(frozen=True)
class Include:
    """``include "other.rules"``: another rule file this one needs, relative to this file."""

    path: str
    span: Span


@dataclass(frozen=True)
class Position:
    """One answer to an interpretation's question: what it holds, and its sources."""

    id: str
    statement: str
    sources: tuple[str, ...]
    span: Span
    source_spans: tuple[Span, ...]


@dataclass(frozen=True)
class Interpretation:
    """``interpretation ID "question"``: a contested question of law, its positions, and the position
    taken unless a scenario or ``--interpret`` says otherwise (``None``: open, a choice like a
    contested fact)."""

    id: str
    question: str
    positions: tuple[Position, ...]
    default: str | None
    span: Span
    default_span: Span

    def position(self, pid: str) -> Position | None:
        return next((p for p in self.positions if p.id == pid), None)


@dataclass(frozen=True)
class SymbolDef:
    name: str
    meaning: str
    span: Span


@dataclass(frozen=True)
class SymbolKind:
    """``symbols KIND "meaning"`` and its ``symbol NAME "meaning"`` lines: a closed vocabulary, the
    kind of the predicate arguments declared with it (a kind may be declared in several files:
    their symbols add up)."""

    name: str
    meaning: str
    symbols: tuple[SymbolDef, ...]
    span: Span


#: The built-in predicate a ``reading I is P`` condition is: ``reading(I, P)``.
READING = "reading"


@dataclass(frozen=True)
class RuleFile:
    """Everything one ``.rules`` file declares, in source order per kind."""

    path: str
    includes: tuple[Include, ...]
    sources: tuple[Source, ...]
    instruments: tuple[Instrument, ...]
    parties: tuple[Party, ...]
    articles: tuple[Article, ...]
    predicates: tuple[PredicateDecl, ...]
    rules: tuple[Rule, ...]
    priorities: tuple[Priority, ...]
    constraints: tuple[Constraint, ...] = ()
    interpretations: tuple[Interpretation, ...] = ()
    symbol_kinds: tuple[SymbolKind, ...] = ()
    notices: tuple[Constraint, ...] = ()  # ``notice ID: when ...``: said to the user whenever the conditions hold
