"""Ground terms as plain Python values, for the matching that explanations do.

Asking a :class:`clingo.Symbol` for its name, its arguments or whether it equals another
crosses into clingo every time, and explanations ask millions of times (issue 7's profile:
about 40 % of their time). A :class:`Sym` answers the same questions (``type``, ``name``,
``arguments``, ``number``, ``string``; equality, hashing, clingo's order) from Python. Terms
come from clingo's own printed text, read here, and go back with :func:`to_clingo`.
"""

from __future__ import annotations

import functools
import json
import re

import clingo

NUMBER = clingo.SymbolType.Number
STRING = clingo.SymbolType.String
FUNCTION = clingo.SymbolType.Function


class Sym:
    """One ground term; equal terms print alike (clingo's printed form is canonical)."""

    __slots__ = ("type", "name", "arguments", "number", "string", "positive", "_text", "_hash")

    def __init__(self, kind: clingo.SymbolType, text: str, name: str = "", arguments: tuple[Sym, ...] = (),
                 number: int = 0, string: str = "", positive: bool = True) -> None:
        self.type = kind
        self.name = name
        self.arguments = arguments
        self.number = number
        self.string = string
        self.positive = positive
        self._text = text
        self._hash = hash(text)

    def __str__(self) -> str:
        return self._text

    def __repr__(self) -> str:
        return f"Sym({self._text})"

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other: object) -> bool:
        return type(other) is Sym and other._text == self._text

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __lt__(self, other: Sym) -> bool:
        if self.type is NUMBER and other.type is NUMBER:
            return self.number < other.number
        return to_clingo(self) < to_clingo(other)

    def __le__(self, other: Sym) -> bool:
        return self == other or self < other

    def __gt__(self, other: Sym) -> bool:
        return other < self

    def __ge__(self, other: Sym) -> bool:
        return self == other or other < self


@functools.lru_cache(maxsize=1 << 16)
def number(n: int) -> Sym:
    return Sym(NUMBER, str(n), number=n)


@functools.lru_cache(maxsize=1 << 16)
def constant(name: str) -> Sym:
    return Sym(FUNCTION, name, name=name)


def function(name: str, arguments: tuple[Sym, ...]) -> Sym:
    if not arguments:
        return constant(name)
    inner = ",".join(a._text for a in arguments)
    text = f"{name}({inner})" if name else f"({inner}{',' if len(arguments) == 1 else ''})"
    return Sym(FUNCTION, text, name=name, arguments=arguments)


def string(value: str) -> Sym:
    return Sym(STRING, str(clingo.String(value)), string=value)


def to_clingo(term: Sym) -> clingo.Symbol:
    return clingo.parse_term(term._text)


def from_clingo(sym: clingo.Symbol) -> Sym:
    return parse(str(sym))


_TOKEN = re.compile(r'\s*(?:(-?[0-9]+)|("(?:[^"\\]|\\.)*")|(-?[_\']*[a-z][A-Za-z0-9_\']*)|(#inf|#sup)|([(),]))')


def parse(text: str) -> Sym:
    """A term from clingo's printed form."""
    simple = _simple(text)
    if simple is not None:
        return simple
    tokens = _TOKEN.findall(text)
    term, end = _term(tokens, 0)
    assert end == len(tokens), text
    return term


def _simple(text: str) -> Sym | None:
    """The common case: a name, a number, or a name with such arguments."""
    if "(" not in text:
        return _piece(text)
    if text[-1] != ")" or '"' in text or text.count("(") != 1 or text[0] == "(":
        return None
    i = text.index("(")
    args = []
    for part in text[i + 1:-1].split(","):
        head = part[:1]
        if head.isdigit() or (head == "-" and part[1:].isdigit()):
            args.append(number(int(part)))
        elif head in _ELSEWHERE:
            return None
        else:
            args.append(constant(part))
    return Sym(FUNCTION, text, name=text[:i], arguments=tuple(args))


#: First characters of a term the common case leaves to the full reader: a negative name, a
#: string, #inf or #sup, nothing.
_ELSEWHERE = frozenset({"-", '"', "#", ""})


def _piece(text: str) -> Sym | None:
    head = text[:1]
    if head.isdigit() or (head == "-" and text[1:].isdigit()):
        return number(int(text))
    if head in _ELSEWHERE:
        return None
    return constant(text)


def _term(tokens: list[tuple[str, str, str, str, str]], i: int) -> tuple[Sym, int]:
    num, quoted, name, special, punct = tokens[i]
    if num:
        return number(int(num)), i + 1
    if quoted:
        # clingo escapes a backslash, a quote and a newline, and leaves the rest as it is
        return Sym(STRING, quoted, string=json.loads(quoted, strict=False)), i + 1
    if special:
        kind = clingo.SymbolType.Infimum if special == "#inf" else clingo.SymbolType.Supremum
        return Sym(kind, special), i + 1
    if name:
        i += 1
        args: tuple[Sym, ...] = ()
        if i < len(tokens) and tokens[i][4] == "(":
            args, i = _arguments(tokens, i)
        positive = not name.startswith("-")
        bare = name.lstrip("-")
        text = name if not args else f"{name}({','.join(a._text for a in args)})"
        return Sym(FUNCTION, text, name=bare, arguments=args, positive=positive), i
    assert punct == "(", tokens[i]
    args, i = _arguments(tokens, i)
    return function("", args), i


def _arguments(tokens: list[tuple[str, str, str, str, str]], i: int) -> tuple[tuple[Sym, ...], int]:
    assert tokens[i][4] == "("
    i += 1
    args: list[Sym] = []
    while tokens[i][4] != ")":
        if tokens[i][4] == ",":
            i += 1
            continue
        term, i = _term(tokens, i)
        args.append(term)
    return tuple(args), i + 1


@functools.lru_cache(maxsize=1 << 18)
def atom_of(atom: clingo.Symbol) -> Sym:
    """A clingo atom as a term (one call into clingo, then none)."""
    return parse(str(atom))


def args_of(atom: clingo.Symbol) -> tuple[Sym, ...]:
    """The arguments of a clingo atom as terms."""
    return atom_of(atom).arguments
