"""The rule instances of a control as a derivation reads them (see :mod:`engine.reasoning.derivation`):
its atoms numbered once, and each instance's te_step term read once per control."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import clingo
from clingo._internal import _ffi, _lib  # clingo's C binding, as its Symbol.arguments calls it

from .explanations import Term

_NONE_SYMBOL = clingo.Function("none")
_NONE = _NONE_SYMBOL._rep


def symbol_reps(symbols: Sequence[clingo.Symbol]) -> list[int]:
    """``[s._rep for s in symbols]``, of a model's sequence of symbols in one call (clingo keeps them
    in an array, and makes a Symbol of each as it is iterated)."""
    array = getattr(symbols, "_p_symbols", None)
    return [s._rep for s in symbols] if array is None else _ffi.unpack(array, len(symbols))


class _Atoms:
    """The atoms met on one control, numbered, by clingo's one representation of each (``_rep``: its
    hash and equality of symbols go through clingo's C API): derivations hash integers, not symbols."""

    __slots__ = ("ids", "symbols", "terms", "shared", "read", "lone", "_args", "_size", "_text")

    def __init__(self) -> None:
        self.ids: dict[int, int] = {}
        self.symbols: list[clingo.Symbol] = []
        self.terms: dict[int, Term] = {}  # atoms read into Python, by number
        # the symbols that recur in many instances (rule ids, bounds), one object each, and what was read of them
        self.shared: dict[int, clingo.Symbol] = {}
        self.read: dict[int, Any] = {}
        #: the link instances (te_link) with one body atom, by its number: a conclusion's due date,
        #: and the absence of its discharge or end (``te_no(...)``) unless the rule's body is repeated
        self.lone: dict[int, list[_Instance]] = {}
        # what clingo's C binding writes to (one control is read by one thread at a time)
        self._args, self._size = _ffi.new("clingo_symbol_t**"), _ffi.new("size_t*")
        self._text = _ffi.new("char[]", 4096)

    def arguments(self, rep: int) -> list[int]:
        """The arguments of the symbol of clingo representation ``rep``, as theirs (``Symbol._rep``): what
        ``Symbol.arguments`` reads, without a Python object for each (a te_step term has a dozen)."""
        if not _lib.clingo_symbol_arguments(rep, self._args, self._size):  # pragma: no cover - a function
            raise RuntimeError("clingo could not read a symbol's arguments")
        return _ffi.unpack(self._args[0], self._size[0])

    def text(self, sym: clingo.Symbol) -> str:
        """``str(sym)``, as clingo's binding makes it, into a buffer of the table's (not two new each time)."""
        rep, size = sym._rep, self._size
        if not _lib.clingo_symbol_to_string_size(rep, size):  # pragma: no cover - clingo out of memory
            raise MemoryError("clingo could not print a symbol")
        if size[0] > len(self._text):
            self._text = _ffi.new("char[]", size[0])
        if not _lib.clingo_symbol_to_string(rep, self._text, size[0]):  # pragma: no cover
            raise MemoryError("clingo could not print a symbol")
        return _ffi.string(self._text).decode()

    def share(self, rep: int) -> clingo.Symbol:
        sym = self.shared.get(rep)
        if sym is None:
            sym = self.shared[rep] = clingo.Symbol(rep)
        return sym

    def term(self, n: int) -> Term:
        t = self.terms.get(n)
        if t is None:
            t = self.terms[n] = Term(self.text(self.symbols[n]))
        return t

    def id(self, atom: clingo.Symbol) -> int:
        n = self.ids.setdefault(atom._rep, len(self.symbols))  # (one look-up, met or not)
        if n == len(self.symbols):
            self.symbols.append(atom)
        return n

    def id_of(self, rep: int) -> int:
        """:meth:`id` of the symbol of that representation (its Symbol made if it is new)."""
        n = self.ids.setdefault(rep, len(self.symbols))
        if n == len(self.symbols):
            self.symbols.append(clingo.Symbol(rep))
        return n


class _Instance:
    """A rule instance of the model, read from its shown term
    ``te_step(Pred, Rule, Head, Body, InForce, Atom1, ..., AtomN)`` (Pred: te_fired or te_link) once
    per control: its head and body atoms numbered, its rule, body and bounds kept (not the rest of
    the term's arguments: a derivation keeps few clingo symbols, which CPython's cycle collector
    scans over and over)."""

    __slots__ = ("n", "head", "ids", "rule", "in_force", "_table", "_pred", "_body", "_terms", "_distinct", "_fired",
                 "_steps")

    def __init__(self, n: int, args: list[int], head: int, ids: tuple[int, ...], table: _Atoms) -> None:
        self.n = n  # args: the te_step's arguments, as clingo represents them (see arguments)
        self.head = head
        self.ids = ids  # the numbers of the body atoms
        self._table = table
        share = table.share
        self._pred, self.rule, self._body, bounds = share(args[0]), share(args[1]), clingo.Symbol(args[3]), args[4]
        self.in_force = None if bounds == _NONE else share(bounds)
        self._terms: tuple[clingo.Symbol, ...] | None = None
        self._distinct: tuple[int, ...] | None = None
        self._fired: clingo.Symbol | None = None
        self._steps: tuple[tuple[Term, int | None], ...] | None = None

    @property
    def steps(self) -> tuple[tuple[Term, int | None], ...]:
        if self._steps is None:  # the positive terms, in order, are the atoms numbered in ids
            out: list[tuple[Term, int | None]] = []
            ids, terms = iter(self.ids), self._table.terms
            for term in Term(self._table.text(self._body)).args:
                name = term.name
                n = None if name is None or name == "te_not" or name == "te_cmp" else next(ids)
                out.append((term, n))
                if n is not None and n not in terms:
                    terms[n] = term.args[0] if name == "te_party_on" else term
            self._steps = tuple(out)
        return self._steps

    @property
    def rule_name(self) -> str:  # (read once per rule, as the bounds: self.rule and self.in_force are shared)
        read, rep = self._table.read, self.rule._rep
        if rep not in read:
            read[rep] = Term(str(self.rule)).name or ""
        return read[rep]

    @property
    def in_force_day(self) -> int | None:
        if self.in_force is None:
            return None
        read, rep = self._table.read, self.in_force._rep
        if rep not in read:
            read[rep] = int((t := str(self.in_force))[t.index("(") + 1:t.index(",")])
        return read[rep]

    @property
    def terms(self) -> tuple[clingo.Symbol, ...]:
        if self._terms is None:
            self._terms = tuple(self._body.arguments)
        return self._terms

    @property
    def atoms(self) -> tuple[clingo.Symbol, ...]:
        symbols = self._table.symbols
        return tuple([symbols[i] for i in self.ids])

    @property
    def fired(self) -> clingo.Symbol:
        """The te_fired (te_link) atom itself."""
        if self._fired is None:
            self._fired = clingo.Function(self._pred.name, [self.rule, self._table.symbols[self.head], self._body,
                                                            clingo.Tuple_(self.atoms), self.in_force or _NONE_SYMBOL])
        return self._fired

    @property
    def distinct(self) -> tuple[int, ...]:
        """:attr:`ids`, each once."""
        if self._distinct is None:
            ids = self.ids
            self._distinct = ids if len(set(ids)) == len(ids) else tuple(dict.fromkeys(ids))
        return self._distinct
