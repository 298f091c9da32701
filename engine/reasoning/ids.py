"""Conclusion ids that a shell takes as they are: ``rule/bearer/action/counterparty/YYYY-MM-DD``.

An action may be a compound term, ``assist(action_it_deems_necessary)``; in an id its parentheses
would need quoting in every shell, so the id writes it ``assist:action_it_deems_necessary`` (the
arguments after a colon, separated by commas, with no spaces). The old form, with parentheses, is
still accepted wherever an id is read (:func:`normal_id`).
"""

from __future__ import annotations


def id_part(term: str) -> str:
    """A term as written in a conclusion id: ``f(a, b)`` → ``f:a,b``."""
    return term.replace(" ", "").replace("(", ":").replace(")", "")


def conclusion_id(rule: str, bearer: str, action: str, counterparty: str, trigger: str) -> str:
    return "/".join((rule, id_part(bearer), id_part(action), id_part(counterparty), trigger))


def normal_id(text: str) -> str:
    """An id as the engine writes it, from either form (``assist(x)`` or ``assist:x``)."""
    return "/".join(id_part(p) for p in text.strip().split("/"))


def term_text(part: str) -> str:
    """The term an id's part stands for, as clingo reads it: ``f:a,g:b`` → ``f(a,g(b))``."""
    name, colon, rest = part.partition(":")
    if not colon:
        return part
    return f"{name}({','.join(term_text(a) for a in _arguments(rest))})"


def _arguments(text: str) -> list[str]:
    """``a,g:b,c`` → ``["a", "g:b,c"]``: an argument with a colon takes the rest (nested terms come last)."""
    out: list[str] = []
    while text:
        head, comma, tail = text.partition(",")
        if ":" in head or not comma:
            out.append(text)
            break
        out.append(head)
        text = tail
    return out

