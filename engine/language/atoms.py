"""Atoms as a scenario states them: ``requested(kazakhstan, russia, assistance)``.

The common form (names, numbers and dates on one line) is read here without the Lark parser,
which is loaded only for anything else (and for rule files): checking a scenario against a
cached rule base then never imports it (issue 7: start-up time).
"""

from __future__ import annotations

import re

from ..dates import parse_iso
from ..errors import Span
from . import ast

_SIMPLE_ATOM = re.compile(r"([a-z][a-zA-Z0-9_]*)\(([^()\"]*)\)\Z")
_SIMPLE_ARG = re.compile(
    r"\s*(?:(?P<date>[0-9]{4}-[0-9]{2}-[0-9]{2})|(?P<int>[0-9]+)|(?P<name>[a-z][a-zA-Z0-9_]*))\s*\Z")


def _simple_atom(text: str, path: str, line: int, column: int, exact: bool = True) -> ast.Atom | None:
    """The common case, ``name(const, 123, 2022-01-05)`` on one line, without Lark; None otherwise.

    Without ``exact``, every part carries the place of the whole atom (one span, not one per
    term): for a first pass that no message will come from.
    """
    m = _SIMPLE_ATOM.match(text)
    if m is None or "\n" in text:
        return None
    whole = None if exact else Span(path, line, column)
    args: list[ast.Term] = []
    offset = m.start(2)
    for part in m.group(2).split(","):
        a = _SIMPLE_ARG.match(part)
        if a is None:
            return None
        kind = a.lastgroup
        value = a.group(kind)  # type: ignore[arg-type]
        start = offset + a.start(kind)  # type: ignore[arg-type]
        span = whole or Span(path, line, column + start, line, column + start + len(value))
        if kind == "date":
            day = parse_iso(value)
            if day is None:
                return None  # let the full parser say what is wrong
            args.append(ast.DateLit(day, span))
        elif kind == "int":
            if int(value) > 2**31 - 1:
                return None
            args.append(ast.Number(int(value), span))
        else:
            if value in _KEYWORDS:
                return None
            args.append(ast.Const(value, span))
        offset += len(part) + 1
    name = m.group(1)
    if whole is not None:
        return ast.Atom(name, tuple(args), whole, whole)
    return ast.Atom(name, tuple(args), Span(path, line, column, line, column + len(text)),
                    Span(path, line, column, line, column + len(name)))


#: Words that the grammar reads as keywords where a term may stand (the full parser decides about them).
_KEYWORDS = frozenset({"not", "on", "when", "unless", "from", "due", "until", "in"})


def parse_atom(text: str, path: str, line: int = 1, column: int = 1, exact: bool = True) -> ast.Atom:
    """One atom such as ``requested(kazakhstan, russia, assistance)``, as written in a scenario.

    ``line`` and ``column`` say where the text stands in ``path``, so that errors point there;
    without ``exact`` its parts may carry the place of the whole (see :func:`_simple_atom`).
    """
    simple = _simple_atom(text, path, line, column, exact)
    if simple is not None:
        return simple
    from .parse import parse_atom_with_lark

    return parse_atom_with_lark(text, path, line, column)
