"""Clingo atoms as text: printed many at a time across clingo's boundary, and split into their arguments."""

from __future__ import annotations

import re
from collections.abc import Sequence

import clingo


def _split(args: str) -> list[str]:
    """The top-level arguments of a printed clingo term's argument list."""
    if '"' not in args and "(" not in args:
        return args.split(",")
    out, depth, start, quoted, escaped = [], 0, 0, False, False
    for i, ch in enumerate(args):
        if quoted:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                quoted = False
        elif ch == '"':
            quoted = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "," and depth == 0:
            out.append(args[start:i])
            start = i + 1
    out.append(args[start:])
    return out


#: A printed atom whose arguments are constants and numbers (no strings, no nested terms).
_SIMPLE_ATOM = re.compile(r"(\w+)\(([^()\"]*)\)")

#: Atoms printed per call across clingo's boundary: few calls, and a bounded text each.
_CHUNK = 16_384


def _decode_in_order(symbols: Sequence[clingo.Symbol]) -> list[tuple[str, str]]:
    """(name, the text of the arguments) of each atom, in order.

    Crossing clingo's boundary costs more than anything done with the text: atoms are printed
    many at a time, as a tuple, and split here; arguments stay one text until a conclusion needs
    them apart. Where an atom carries a string or a nested term, each atom of its batch is
    printed on its own.
    """
    out: list[tuple[str, str]] = []
    for start in range(0, len(symbols), _CHUNK):
        chunk = symbols[start:start + _CHUNK]
        text = str(clingo.Tuple_(chunk))
        inner = text[1:-2] if len(chunk) == 1 else text[1:-1]  # a 1-tuple prints as "(a,)"
        found = _SIMPLE_ATOM.findall(inner)
        if len(found) == len(chunk) and _SIMPLE_ATOM.sub("", inner) == "," * (len(chunk) - 1):
            out += found
            continue
        for sym in chunk:
            printed = str(sym)
            i = printed.find("(")
            out.append((printed[:i], printed[i + 1:-1]) if i > 0 else (printed, ""))
    return out
