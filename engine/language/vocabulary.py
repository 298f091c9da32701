"""Argument kinds and the predicates every rule base knows without declaring them."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from ..errors import did_you_mean

ENTITY_KINDS = frozenset({"state", "organisation", "body", "group"})
KINDS = ENTITY_KINDS | {"entity", "instrument", "date", "number", "symbol", "text", "term"}

DEONTIC_KINDS = ("obligation", "permission", "prohibition", "notification")

#: Prefixes the compiler keeps for itself (predicates ``te_...``, variables ``TE_...``).
RESERVED_PREDICATE_PREFIX = "te_"
RESERVED_VARIABLE_PREFIX = "TE_"


def a_kind(kind: str) -> str:
    """``kind`` with its article, for messages: "a state", "an organisation"."""
    return ("an " if kind[0] in "aeiou" else "a ") + kind


def undeclared_symbol(symbol: str | None, kind: str, vocabulary: Collection[str], role: str, pred: str
                      ) -> tuple[str, str]:
    """(message, hint) for a symbol a scenario or a why-not pattern gives where a closed vocabulary
    is declared (None: not a name at all)."""
    shown = f"`{symbol}`" if symbol is not None else "this"
    return (f"{shown} is not a declared {kind} (the {role} of `{pred}`)",
            (did_you_mean(symbol, vocabulary) if symbol is not None else None) or
            f"the rules declare: {', '.join(f'`{v}`' for v in sorted(vocabulary))}")


def compatible(a: str, b: str) -> bool:
    """Whether one variable may be used as kind ``a`` in one place and ``b`` in another."""
    if a == b or "term" in (a, b):
        return True
    pair = {a, b}
    if pair <= ENTITY_KINDS | {"entity"}:
        return "entity" in pair
    if "symbol" in pair:
        return bool(pair & (ENTITY_KINDS | {"entity", "instrument"}))
    return pair == {"date", "number"}


@dataclass(frozen=True, slots=True)
class Builtin:
    name: str
    params: tuple[str, ...]
    event: bool  # whether ``on D`` may follow
    meaning: str
    on_binds: bool  # whether the ``on`` term is bound by the literal


BUILTINS: dict[str, Builtin] = {
    b.name: b
    for b in (
        Builtin("party", ("entity", "instrument"), True,
                "the entity is a party to the instrument (on D: on that date, by the party lists)", False),
        Builtin("state", ("entity",), False, "the entity is a state", False),
        Builtin("organisation", ("entity",), False, "the entity is an international organisation", False),
        Builtin("body", ("entity",), False, "the entity is a body (organ) of an organisation", False),
        Builtin("group", ("entity",), False, "the entity is a non-state group", False),
        Builtin("reading", ("symbol", "symbol"), False,
                "the reading takes this position of this interpretation (written `reading I is P`)", False),
        *(Builtin(k, ("entity", "term", "term"), True,
                  f"a rule concluded this {k} (bearer, action, counterparty; on D: triggered on D)", True)
          for k in DEONTIC_KINDS),
    )
}
