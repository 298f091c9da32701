"""What an explanation is: its JSON models, the rules and article texts it cites, and how atoms read.

Shared by why-trees (:mod:`engine.why`), why-not answers (:mod:`engine.reasoning.why_not`) and the outputs
(:mod:`engine.outputs.explanation`, the HTML report).
"""

from __future__ import annotations

import re
from typing import Literal

import clingo
from pydantic import BaseModel, ConfigDict, Field

from ..dates import FOREVER, from_day
from ..language import ast
from ..language.check import RuleBase
from .findings import Dependence, StatusName

EXPLANATION_SCHEMA = "treaty-engine/explanation/2"
MAX_DEPTH = 8
MAX_STEPS = 20_000

NodeKind = Literal["conclusion", "derived", "fact", "membership", "entity", "absent", "comparison", "in_force",
                   "missing", "fails", "unchecked", "interpretation"]


class _Model(BaseModel):
    # the validators and serialisers are built when first used (a why-tree shown as text needs
    # neither: its nodes are made by engine/reasoning/why_nodes.py, trusted): quicker cold starts
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Quote(_Model):
    language: str
    label: str = Field(description='"authentic", or whose translation it is')
    text: str = Field(description="the sentence of the article most relevant to the rule")


class RuleRef(_Model):
    id: str
    title: str | None
    instrument: str
    instrument_title: str
    article: str
    heading: str | None
    version: str | None
    in_force: str | None = Field(description='when this wording applies, e.g. "from 2012-12-19"')
    file: str
    line: int
    quote: Quote | None


class Node(_Model):
    """One step of a justification: a conclusion or derived fact with its rule, or a leaf."""

    kind: NodeKind
    text: str
    holds: bool = True
    atom: str | None = None
    rule: RuleRef | None = None
    status: str | None = Field(None, description="for facts: established, alleged, disputed, denied")
    contested: bool = False
    source: str | None = None
    source_cite: str | None = None
    note: str | None = None
    children: list[Node] = Field(default_factory=list)


class Explanation(_Model):
    """Why one conclusion holds."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)

    schema_: str = Field(EXPLANATION_SCHEMA, alias="schema")
    scenario: str
    conclusion: str = Field(description="the conclusion's id")
    summary: str
    holds: Literal["all", "some"]
    depends_on: list[Dependence] = Field(description="as the conclusion's: contested facts accepted or rejected")
    status_depends_on: dict[StatusName, list[Dependence]] = Field(description="as the conclusion's, for each "
                                                                                 "status")
    reading: list[str] = Field(description="the contested facts taken as true in the reading shown")
    assumptions: list[str]
    tree: Node


class Candidate(_Model):
    rule: RuleRef
    conditions: list[Node]
    missing: list[str] = Field(description="facts that, if the scenario stated them, would satisfy the rule")
    failing: list[str] = Field(description="conditions that fail and that no scenario fact can change")


class WhyNot(_Model):
    """Why a conclusion does not hold (or not in every reading)."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)

    schema_: str = Field(EXPLANATION_SCHEMA, alias="schema")
    scenario: str
    pattern: str
    holds: Literal["all", "some", "none"]
    reading: list[str]
    candidates: list[Candidate]
    left_out: list[str] = Field(default_factory=list, description="rules that could conclude it for no reading of "
                                                                   "the case: the bearer was never a party to "
                                                                   "their instrument")




# ---- text of atoms ---------------------------------------------------------------

class Term:
    """A term as clingo prints it (``text``), read into Python once and taken apart on demand: each
    question to a clingo symbol (its name, its arguments) crosses into clingo's C API."""

    __slots__ = ("text", "_args")

    def __init__(self, text: str) -> None:
        self.text = text
        self._args: tuple[Term, ...] | None = None

    @property
    def name(self) -> str | None:
        """The function's name (``""`` for a tuple); None for a number, a string, ``#inf``, ``#sup``."""
        text = self.text
        c = text[0]
        if c in _NOT_NAMED or (c == "-" and text[1:2].isdigit()):
            return None
        i = text.find("(")
        return text if i < 0 else text[:i]

    @property
    def args(self) -> tuple[Term, ...]:
        if self._args is None:
            text = self.text
            i = text.find("(")
            if i < 0 or text[0] in _NOT_NAMED:
                self._args = ()
            else:
                inner = text[i + 1:-2] if text.endswith(",)") else text[i + 1:-1]  # a 1-tuple: "(a,)"
                get = _LEAVES.get  # an argument with no arguments of its own: one Term per text
                self._args = tuple([(get(a) or _leaf(a)) if "(" not in a else Term(a)
                                    for a in _split_args(inner)]) if inner else ()
        return self._args

    @property
    def number(self) -> int:
        return int(self.text)

    def __repr__(self) -> str:
        return self.text


#: Terms without arguments (constants, numbers, strings), shared: they recur in most atoms, and each
#: Term is an object CPython's cycle collector scans for as long as it lives (bounded: cleared when full).
_LEAVES: dict[str, Term] = {}
_MAX_LEAVES = 1 << 16


def _leaf(text: str) -> Term:
    if len(_LEAVES) >= _MAX_LEAVES:
        _LEAVES.clear()
    term = _LEAVES[text] = Term(text)
    return term


_NOT_NAMED = frozenset('"#0123456789')
_STRING = r'"(?:[^"\\]|\\.)*"'
_PUNCT = re.compile(_STRING + r"|[(),]")
_NESTED = r'\((?:[^()"]+|' + _STRING + r")*\)"
for _ in range(5):  # an argument nested up to 6 deep
    _NESTED = r'\((?:[^()"]+|' + _STRING + "|" + _NESTED + r")*\)"
_ARG = re.compile(r'(?:[^(),"]+|' + _STRING + "|" + _NESTED + ")+")


def _split_args(inner: str) -> list[str]:
    """The top-level arguments of a printed argument list (as :func:`engine.reasoning.printed._split`,
    by regular expressions: one that matches an argument whole, else one that steps over strings)."""
    if "(" not in inner and ('"' not in inner or "\\" not in inner and "," not in "".join(inner.split('"')[1::2])):
        return inner.split(",")  # (no comma but between the arguments: te_cmp(736331,"<=",736333))
    found = _ARG.findall(inner)
    if ",".join(found) == inner:
        return found
    out, depth, start = [], 0, 0
    for m in _PUNCT.finditer(inner):
        c = m.group()
        if len(c) > 1:  # a string
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif not depth:
            i = m.start()
            out.append(inner[start:i])
            start = i + 1
    out.append(inner[start:])
    return out


def read_term(text: str) -> Term:
    """The :class:`Term` of clingo's printing of a symbol."""
    return Term(text)



#: What a support term writes where any value will do (a negated condition's open argument).
ANY = clingo.Function("te_any")
_ANY_TEXT = re.compile(r"\bte_any\b")


class Speaker:
    """Turns ground atoms into the rules' own notation, with dates as dates and ``_`` for any value."""

    def __init__(self, rb: RuleBase) -> None:
        self.rb = rb
        self._said: dict[str, str] = {}
        self._days: dict[str, str] = {}
        self._dates: dict[tuple[str, int], set[int]] = {}

    def date_positions(self, name: str, arity: int) -> set[int]:
        out = self._dates.get((name, arity))
        if out is None:
            out = self._dates[(name, arity)] = self._date_positions(name, arity)
        return out

    def _date_positions(self, name: str, arity: int) -> set[int]:
        decl = self.rb.predicates.get(name)
        if name == "te_concl":
            return {5}
        if decl is None:
            return set()
        out = {i for i, p in enumerate(decl.params) if p.kind == "date"}
        if decl.event:
            out.add(arity - 1)
        return out

    def arg(self, s: clingo.Symbol | Term | None, is_date: bool = False) -> str:
        if s is None:
            return "_"
        text = s.text if isinstance(s, Term) else str(s)  # clingo's own printing, read once
        if is_date:
            said = self._days.get(text)  # (a day recurs in many atoms: each is written once)
            if said is not None:
                return said
            if text.isdigit() and 0 < (day := int(text)) < FOREVER:
                said = self._days[text] = from_day(day).isoformat()
                return said
        return _ANY_TEXT.sub("_", text) if "te_any" in text else text

    def atom(self, sym: clingo.Symbol | Term) -> str:
        term = sym if isinstance(sym, Term) else None
        text = term.text if term is not None else str(sym)
        said = self._said.get(text)  # the same facts recur across explanations: each is worded once
        if said is None:
            said = self._said[text] = self._atom(term or read_term(text))
        return said

    def _atom(self, sym: Term) -> str:
        name, args = sym.name or "", list(sym.args)
        if name == "te_kind":
            return f"{args[1].text}({self.arg(args[0])})"
        if name == "te_concl":
            k, _, b, a, p, d = args
            return f"{k.text}({self.arg(b)}, {self.arg(a)}, {self.arg(p)}) on {self.arg(d, True)}"
        decl = self.rb.predicates.get(name)
        on = args.pop() if decl is not None and decl.event and args else None
        dates = self.date_positions(name, len(args) + (on is not None))
        text = f"{name}({', '.join(self.arg(a, i in dates) for i, a in enumerate(args))})" if args else name
        if on is None:
            return text
        return f"{text} on {self.arg(on, True)}" if on.text != "te_any" else text

    def term(self, value: clingo.Symbol | Term, t: ast.Term, kinds: dict[str, str]) -> str:
        """A ground value of the rule's term ``t`` (a date if the term is one)."""
        return self.arg(value, is_date(t, kinds))


def is_date(t: ast.Term, kinds: dict[str, str]) -> bool:
    """Whether a term of a rule stands for a date (by the kinds the checker gave its variables)."""
    if isinstance(t, ast.DateLit):
        return True
    if isinstance(t, ast.Var):
        return kinds.get(t.name) == "date"
    if isinstance(t, ast.Arith):
        return is_date(t.left, kinds) or is_date(t.right, kinds)
    return False


# ---- rule references and quotes ------------------------------------------------------


_WORD = re.compile(r"[a-zа-яё]{4,}", re.I)


def _sentences(text: str) -> list[str]:
    flat = " ".join(text.split())
    parts = re.split(r"(?<=[.;])\s+(?=[A-ZА-Я\[])", flat)
    return [p for p in parts if p]


def rule_ref(rb: RuleBase, rule: ast.Rule) -> RuleRef:
    art = rb.article_of(rule)
    inst = rb.instruments[rule.instrument]
    quote = None
    texts = sorted(art.texts, key=lambda t: (t.language != "en", not t.authentic))
    if texts:
        block = texts[0]
        words = set(_WORD.findall(" ".join(filter(None, [rule.title, _head_words(rule)])).lower()))
        best = max(_sentences(block.text), key=lambda s: len(words & set(_WORD.findall(s.lower()))), default="")
        label = "authentic" if block.authentic else (block.translation or "")
        quote = Quote.model_construct(language=block.language, label=label, text=best)
    interval = rb.rule_in_force.get(rule.id)
    in_force = None
    if interval is not None and interval.start is not None:
        in_force = f"from {interval.start.isoformat()}" + (f" to {interval.end.isoformat()}" if interval.end else "")
    return RuleRef.model_construct(id=rule.id, title=rule.title, instrument=inst.id, instrument_title=inst.title,
                                   article=rule.article, heading=art.heading, version=rule.version, in_force=in_force,
                                   file=rule.span.file, line=rule.span.line, quote=quote)


def _head_words(rule: ast.Rule) -> str:
    head = rule.head
    if isinstance(head, ast.DeonticHead):
        action = head.action.name if isinstance(head.action, ast.Const | ast.Compound) else ""
        return f"{head.kind} {action.replace('_', ' ')}"
    return head.atom.name.replace("_", " ")


