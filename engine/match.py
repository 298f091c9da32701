"""Rule conditions evaluated in Python over one reading (a set of ground atoms).

Explanations use this on demand: clingo has already decided what holds; here we find, for
one conclusion, the facts that make a rule's conditions true (why), or the conditions that
fail (why not). The encoding mirrors :mod:`engine.compile`.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import clingo

from . import ast
from .check import RuleBase
from .dates import FOREVER, to_day
from .terms import FUNCTION, NUMBER, Sym, args_of, constant, function, number, string
from .vocabulary import DEONTIC_KINDS, ENTITY_KINDS

#: Variables to their values: terms as plain Python values (:mod:`engine.terms`), not clingo's.
Bindings = dict[str, Sym]


class Reading:
    """The atoms of one reading, indexed by predicate."""

    def __init__(self, atoms: Iterable[clingo.Symbol]) -> None:
        # in the model's own order (clingo's, deterministic): sorting 10^5 symbols across the FFI costs seconds.
        # A model's atoms are all functions; each is asked only its name here (its arguments, which
        # cost more to get, only when its predicate is matched)
        self.by_name: dict[str, list[clingo.Symbol]] = defaultdict(list)
        for a in atoms:
            self.by_name[a.name].append(a)
        self.by_sig: dict[tuple[str, int], list[tuple[clingo.Symbol, tuple[Sym, ...]]]] = {}
        self._members: set[clingo.Symbol] | None = None
        self._args: dict[clingo.Symbol, tuple[Sym, ...]] = {}
        self._index: dict[tuple[str, int, int], dict[Sym, list[tuple[clingo.Symbol, tuple[Sym, ...]]]]] = {}

    def parts(self, name: str, arity: int) -> list[tuple[clingo.Symbol, tuple[Sym, ...]]]:
        """The atoms of a predicate, each with its arguments (taken apart on first use)."""
        found = self.by_sig.get((name, arity))
        if found is None:
            pairs = ((a, self.args(a)) for a in self.by_name.get(name, []))
            found = self.by_sig[(name, arity)] = [(a, args) for a, args in pairs if len(args) == arity]
        return found

    def args(self, sym: clingo.Symbol) -> tuple[Sym, ...]:
        """The arguments of an atom, as terms (see :mod:`engine.terms`), taken apart once."""
        found = self._args.get(sym)
        if found is None:
            found = self._args[sym] = args_of(sym)
        return found

    def having(self, name: str, arity: int, position: int, value: Sym
               ) -> list[tuple[clingo.Symbol, tuple[Sym, ...]]]:
        """The atoms whose argument at ``position`` is ``value`` (an index built on first use)."""
        key = (name, arity, position)
        index = self._index.get(key)
        if index is None:
            index = self._index[key] = defaultdict(list)
            for a, args in self.parts(name, arity):
                index[args[position]].append((a, args))
        return index.get(value, [])

    def __contains__(self, sym: clingo.Symbol) -> bool:
        if self._members is None:
            self._members = {a for atoms in self.by_name.values() for a in atoms}
        return sym in self._members


def value(t: ast.Term, b: Bindings) -> Sym | None:
    """The ground value of a term under bindings; None while a variable in it is unbound."""
    if isinstance(t, ast.Var):
        return b.get(t.name)
    if isinstance(t, ast.Anon):
        return None
    if isinstance(t, ast.Const):
        return constant(t.name)
    if isinstance(t, ast.Number | ast.Days):
        return number(t.value)
    if isinstance(t, ast.DateLit):
        return number(to_day(t.value))
    if isinstance(t, ast.Str):
        return string(t.value)
    if isinstance(t, ast.Compound):
        args = [value(a, b) for a in t.args]
        known = tuple(a for a in args if a is not None)
        return function(t.name, known) if len(known) == len(args) else None
    left, right = value(t.left, b), value(t.right, b)
    if left is None or right is None or left.type is not NUMBER or right.type is not NUMBER:
        return None
    return number(left.number + right.number if t.op == "+" else left.number - right.number)


def unify(t: ast.Term | str, sym: Sym, b: Bindings) -> Bindings | None:
    """Bindings extended so that ``t`` equals ``sym``; None if it cannot."""
    if isinstance(t, str):  # a constant the compiler inserts (kind names)
        return b if sym.type is FUNCTION and sym.name == t and not sym.arguments else None
    if isinstance(t, ast.Anon):
        return b
    if isinstance(t, ast.Var):
        if t.name in b:
            return b if b[t.name] == sym else None
        return {**b, t.name: sym}
    if isinstance(t, ast.Compound):
        if sym.type is not FUNCTION or sym.name != t.name or len(sym.arguments) != len(t.args):
            return None
        out: Bindings | None = b
        for a, s in zip(t.args, sym.arguments, strict=True):
            out = unify(a, s, out) if out is not None else None
        return out
    v = value(t, b)
    return b if v is not None and v == sym else None


def compare(op: str, left: Sym, right: Sym) -> bool:
    if op == "=":
        return left == right
    if op == "!=":
        return left != right
    if op == "<":
        return left < right
    if op == "<=":
        return left <= right
    if op == ">":
        return left > right
    return left >= right


#: How one argument of a shape is matched: a fixed term, a variable, anything, or (compound
#: terms and arithmetic) the general :func:`value` and :func:`unify`.
_FIXED, _VAR, _ANY, _TERM = range(4)


@dataclass(frozen=True)
class Shape:
    """The compiled atom a literal stands for: predicate, argument patterns."""

    name: str
    args: tuple[ast.Term | str, ...]

    @functools.cached_property
    def plan(self) -> tuple[tuple[int, Any], ...]:
        """Each argument sorted out once, so that matching does not ask what each term is again:
        (_FIXED, its term), (_VAR, its name), (_ANY, None) or (_TERM, the term)."""
        out: list[tuple[int, Any]] = []
        for t in self.args:
            if isinstance(t, str):
                out.append((_FIXED, constant(t)))
            elif isinstance(t, ast.Anon):
                out.append((_ANY, None))
            elif isinstance(t, ast.Var):
                out.append((_VAR, t.name))
            elif isinstance(t, ast.Const | ast.Number | ast.Days | ast.DateLit | ast.Str):
                out.append((_FIXED, value(t, {})))
            else:
                out.append((_TERM, t))
        return tuple(out)


_ANON = ast.Anon(span=None)  # type: ignore[arg-type]


_SHAPES: dict[int, tuple[ast.Literal, Shape | None]] = {}


def shape(rb: RuleBase, lit: ast.Literal) -> Shape | None:
    """The compiled form of a literal, or None for ``party`` (membership is checked on its own);
    made once per literal (and its plan with it)."""
    known = _SHAPES.get(id(lit))
    if known is not None and known[0] is lit:
        return known[1]
    made = _shape(rb, lit)
    if len(_SHAPES) > 65536:
        _SHAPES.clear()
    _SHAPES[id(lit)] = (lit, made)
    return made


def _shape(rb: RuleBase, lit: ast.Literal) -> Shape | None:
    atom, on = lit.atom, lit.on
    if atom.name == "party":
        return None
    if atom.name in ENTITY_KINDS:
        return Shape("te_kind", (atom.args[0], atom.name))
    if atom.name in DEONTIC_KINDS:
        return Shape("te_concl", (atom.name, _ANON, *atom.args, on or _ANON))
    decl = rb.predicates[atom.name]
    args: tuple[ast.Term | str, ...] = tuple(atom.args)
    if decl.event:
        args = (*args, on or _ANON)
    return Shape(atom.name, args)


def matches(reading: Reading, sh: Shape, b: Bindings) -> Iterator[tuple[clingo.Symbol, Bindings]]:
    """The atoms of the reading that fit the shape under the bindings, each with the bindings extended."""
    candidates = None
    plan = sh.plan
    for position, (how, what) in enumerate(plan):  # look up by the most selective argument already known
        known: Sym | None
        if how == _FIXED:
            known = what
        elif how == _VAR:
            known = b.get(what)
        elif how == _ANY:
            continue
        else:
            known = value(what, b)
        if known is not None:
            found = reading.having(sh.name, len(sh.args), position, known)
            if not found:
                return  # no atom has that argument there
            if candidates is None or len(found) < len(candidates):
                candidates = found
    for sym, arguments in reading.parts(sh.name, len(sh.args)) if candidates is None else candidates:
        out = _fit(plan, arguments, b)
        if out is not None:
            yield sym, out


def _fit(plan: tuple[tuple[int, Any], ...], arguments: tuple[Sym, ...], b: Bindings) -> Bindings | None:
    """The bindings extended so that the shape's arguments equal the atom's; None if they cannot."""
    out = b
    for (how, what), s in zip(plan, arguments, strict=True):
        if how == _FIXED:
            if s != what:
                return None
        elif how == _VAR:
            bound = out.get(what)
            if bound is None:
                out = {**out, what: s}
            elif bound != s:
                return None
        elif how == _TERM:
            found = unify(what, s, out)
            if found is None:
                return None
            out = found
    return out


@dataclass(frozen=True)
class Membership:
    entity: str
    instrument: str
    joined: date
    left: date | None
    source: str | None


_MEMBERSHIPS: dict[int, tuple[RuleBase, dict[tuple[str, str], list[Membership]]]] = {}


def memberships(rb: RuleBase, entity: str, instrument: str) -> list[Membership]:
    cached = _MEMBERSHIPS.get(id(rb))
    if cached is None or cached[0] is not rb:
        index: dict[tuple[str, str], list[Membership]] = defaultdict(list)
        for p in rb.parties:
            index[(p.entity, p.instrument)].append(Membership(p.entity, p.instrument, p.joined, p.left, p.source))
        cached = _MEMBERSHIPS[id(rb)] = (rb, index)
    return cached[1].get((entity, instrument), [])


def member_on(rb: RuleBase, entity: str, instrument: str, day: int) -> Membership | None:
    for m in memberships(rb, entity, instrument):
        if to_day(m.joined) <= day < (to_day(m.left) if m.left else FOREVER):
            return m
    return None
