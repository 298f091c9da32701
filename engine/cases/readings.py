"""What makes a case's readings: contested facts that stand or fall together (`together_with`), and
the open interpretations some rule of the case can read."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING

from ..errors import did_you_mean
from ..language import ast
from ..language.rulebase import Interval

if TYPE_CHECKING:
    from ..language.load import Rules
    from .facts import FactItem

Report = Callable[..., None]  # report(path, message, hint): a located error


def leader(item: FactItem, by_id: Mapping[str, FactItem]) -> FactItem:
    """The fact ``item`` stands or falls with, following chains (``together_with``); itself if none
    (or if its partner is unknown: the check reports that)."""
    seen = {item.id}
    while item.together_with is not None and item.together_with in by_id and item.together_with not in seen:
        item = by_id[item.together_with]
        seen.add(item.id)
    return item


def together(items: list[FactItem]) -> list[FactItem]:
    """Each fact that stands or falls with another in that one's status."""
    by_id = {it.id: it for it in items}
    out = []
    for it in items:
        status = leader(it, by_id).status
        out.append(it if status == it.status else replace(it, status=status))
    return out


def check_together(error: Report, by_id: Mapping[str, FactItem]) -> None:
    """``together_with`` names another fact of the scenario, in the same status as written, not itself."""
    for it in by_id.values():
        other = it.together_with
        if other is None:
            continue
        where = (*it.path, "together_with")
        if other == it.id:
            error(where, f"`{it.id}` cannot stand or fall with itself", "name another fact's id")
        elif other not in by_id:
            error(where, f"no fact or event `{other}` to stand or fall with", did_you_mean(other, list(by_id)))
        elif by_id[other].status != it.status:
            error(where, f"`{it.id}` stands or falls with `{other}`, whose status is "
                                 f"{by_id[other].status.value}, but its own is {it.status.value}",
                          "give both the same status (a fact that stands or falls with another takes its status)")


def in_play(rules: Rules, positions: dict[str, str | None], first: date, last: date,
            stated: Mapping[str, list[tuple[str, ...]]], named: set[str]) -> dict[str, str | None]:
    """The positions without the open interpretations that no rule of the scenario can read.

    A rule concludes or derives only on a day its wording is in force, and a scenario's days run
    from its first dated fact to its as-of date: an interpretation read only by rules in force
    wholly outside those days (the Warsaw Pact's in a case of 2022, the Russia-DPRK Treaty's in
    one of 1968) cannot change any conclusion, and left open it would double the readings of the
    case for nothing. Nor can a rule that needs an input the case does not state (``stated``: the
    arguments of its facts by predicate; a rule's constant arguments must match), such as the
    occupation question of Article 51 in a case that states no attack from occupied territory;
    nor one that needs a party to an instrument when no entity the case's facts name (``named``) is
    a party to it on its days (the Arab League Treaty's question in the Kazakhstan case). Such an
    interpretation is not part of the scenario's readings or findings.
    """
    base = rules.base
    readers: dict[str, set[str]] = {}
    for rule, name, _ in base.readings():
        readers.setdefault(name, set()).add(rule)

    def can_read(rule_id: str) -> bool:
        interval = base.rule_in_force.get(rule_id)
        if interval is not None and not interval.meets(first, last):
            return False
        conditions = [c for c in base.rules[rule_id].conditions if isinstance(c, ast.Literal) and not c.negated]
        needs = [c.atom for c in conditions
                 if c.atom.name in base.predicates and not base.predicates[c.atom.name].derived]
        instruments = {c.atom.args[1].name for c in conditions if c.atom.name == "party" and len(c.atom.args) == 2
                       and isinstance(c.atom.args[1], ast.Const)}
        return all(any(_matches(atom, args) for args in stated.get(atom.name, ())) for atom in needs) and all(any(
            p.instrument == i and p.entity in named and Interval(p.joined, p.left).meets(first, last)
            for p in base.parties) for i in instruments)

    return {name: p for name, p in positions.items()
            if p is not None or any(can_read(r) for r in readers.get(name, ()))}


def _matches(atom: ast.Atom, args: tuple[str, ...]) -> bool:
    """The stated arguments agree with the atom's constants (its other arguments match anything)."""
    return all(not isinstance(t, ast.Const) or (i < len(args) and args[i] == t.name) for i, t in enumerate(atom.args))
