"""How a why-tree's nodes are made (:mod:`engine.reasoning.explain`): quickly, tens of thousands at a time."""
from __future__ import annotations

from datetime import date
from typing import Any

import clingo

from ..cases.facts import FactItem, ScenarioFacts
from ..dates import FOREVER, from_day, to_day
from ..language import ast
from ..language.check import RuleBase
from ..language.vocabulary import a_kind
from .explanations import Node, Speaker, Term

#: Node's fields in order, with their defaults (``children``: a new list each)
_NODE_DEFAULTS: dict[str, Any] = {name: None if f.default_factory else f.default
                                  for name, f in Node.model_fields.items()}
_new_node = Node.__new__
_set = object.__setattr__
#: what nodes share (frozen models: never changed): a leaf's empty children, the set of fields given
_NO_CHILDREN: list[Node] = []
_GIVEN: dict[tuple[str, ...], set[str]] = {}


def _node(**values: Any) -> Node:
    """A :class:`Node` of values already valid (the builders' own: strings, RuleRefs, Nodes), made
    without pydantic's validation (tens of thousands of nodes on large cases): what
    ``Node.model_construct`` makes, without its look at each default factory's signature (and
    fewer objects for CPython's cycle collector: see ``_GIVEN``)."""
    fields = {**_NODE_DEFAULTS, **values}
    if "children" not in values:
        fields["children"] = _NO_CHILDREN
    given = tuple(values)
    node = _new_node(Node)
    _set(node, "__dict__", fields)
    _set(node, "__pydantic_fields_set__", _GIVEN.get(given) or _GIVEN.setdefault(given, set(given)))
    _set(node, "__pydantic_extra__", None)
    _set(node, "__pydantic_private__", None)
    return node


def _fits(pattern: Term, sym: Term) -> bool:
    """Whether a ground atom fits a support term's pattern (``te_any`` fits anything)."""
    text = pattern.text
    at = text.find("te_any")
    if at < 0:
        return text == sym.text
    if not sym.text.startswith(text[:at]):  # (printed alike up to the first value left open, if it fits)
        return False
    if text == "te_any":
        return True
    name = pattern.name
    if name is None or name != sym.name:
        return text == sym.text
    args, got = pattern.args, sym.args
    return len(args) == len(got) and all(map(_fits, args, got))


class LeafNodes:
    """The leaves of why-trees and why-not answers (memberships, wordings in force, readings of the
    law, entities, scenario facts), made by :class:`~engine.reasoning.explain.Explainer`."""

    rb: RuleBase
    facts: ScenarioFacts
    say: Speaker
    by_symbol: dict[clingo.Symbol, tuple[FactItem, date | None]]
    _members: dict[tuple[str, str, int | None, bool, bool], Node]
    _periods: dict[tuple[str, str], list]
    _facts_shown: dict[str, Node]

    def membership_node(self, entity: str, instrument: str, day: int | None, holds: bool = True,
                        negated: bool = False) -> Node:
        """``entity`` is (not) a party to ``instrument`` (on ``day``), with its periods and their source."""
        key = (entity, instrument, day, holds, negated)
        node = self._members.get(key)
        if node is None:
            node = self._members[key] = self._membership_node(entity, instrument, day, holds, negated)
        return node

    def _membership_node(self, entity: str, instrument: str, day: int | None, holds: bool, negated: bool) -> Node:
        when = f" on {from_day(day).isoformat()}" if day is not None else ""
        periods = self._periods.get((entity, instrument), [])
        span = "; ".join(f"joined {m.joined.isoformat()}" + (f", left {m.left.isoformat()}" if m.left else "")
                         for m in periods) or "never a party"
        on = [m for m in periods if day is not None and to_day(m.joined) <= day < (to_day(m.left) if m.left
                                                                                    else FOREVER)]
        m = on[0] if on else (periods[0] if periods and day is None else None)
        if negated:  # the condition `not party(...)`: when it fails, what makes it fail is the membership
            text = (f"{entity} is not a party to {instrument}{when} ({span})" if holds
                    else f"fails: {entity} is a party to {instrument}{when} ({span})")
        else:
            text = f"{entity} is {'' if holds else 'not '}a party to {instrument}{when} ({span})"
        source = m.source if m else None
        cite = self.rb.sources[source].citation if source in self.rb.sources else None
        return _node(kind="membership", text=text, holds=holds, atom=f"party({entity}, {instrument}){when}",
                    source=source, source_cite=cite)

    def period_node(self, rule: ast.Rule, day: int | None, holds: bool = True) -> Node | None:
        """The wording of the rule in force on ``day`` (None where the rule has no period to state)."""
        interval = self.rb.rule_in_force[rule.id]
        term = rule.trigger if isinstance(rule.head, ast.DeonticHead) else rule.head.on
        if term is None or (rule.version is None and interval.end is None and rule.validity is None):
            return None
        when = from_day(day).isoformat() if day is not None else "that date"
        wording = f'the "{rule.version}" wording' if rule.version else "this rule"
        period = f"from {interval.start.isoformat()}" if interval.start else ""
        if interval.end:
            period += f" until {interval.end.isoformat()}"
        verb = "is" if holds else "is not"
        return _node(kind="in_force", holds=holds,
                    text=f"{wording} of {rule.instrument} article {rule.article} {verb} in force on {when} "
                         f"({period.strip()})")

    def reading_node(self, name: str, position: str, holds: bool = True) -> Node:
        """The reading takes ``position`` of interpretation ``name``: the question, the position with
        its sources, and whether it is settled (by the rules, the scenario, --interpret) or open."""
        interp = self.rb.interpretations[name]
        p = interp.position(position)
        statement = p.statement if p is not None else position
        chosen = self.facts.positions.get(name)
        how = ("open: a reading takes one position" if chosen is None else
               "--interpret" if name in self.facts.interpreted else
               "the scenario's" if name in self.facts.loaded.scenario.interpretations else "the rules' default")
        sources = [self.rb.sources[s] for s in (p.sources if p is not None else ()) if s in self.rb.sources]
        verb = "on" if holds else "not on"
        return _node(kind="interpretation", holds=holds, atom=f"reading {name} is {position}",
                     text=f"{verb} the reading {name}={position}: {statement} ({interp.question} {how})",
                     contested=chosen is None, source=", ".join(s.id for s in sources) or None,
                     source_cite="; ".join(s.citation for s in sources) or None)

    def entity_node(self, name: str, kind: str) -> Node:
        ent = self.facts.loaded.scenario.entities.get(name)
        if ent is not None:
            return _node(kind="entity", text=f"{name} is {a_kind(kind)} ({ent.name}; scenario entities)",
                        atom=f"{kind}({name})", note=ent.note)
        return _node(kind="entity", text=f"{name} is {a_kind(kind)} (a party to a treaty of the rule base)",
                    atom=f"{kind}({name})")

    def fact_node(self, sym: clingo.Symbol, term: Term | None = None) -> Node:
        """A scenario fact (or event on one of its dates) with its status, source and note (``term``:
        the fact read into Python, if it has been)."""
        term = term or Term(str(sym))
        node = self._facts_shown.get(term.text)
        if node is None:
            node = self._facts_shown[term.text] = self._fact_node(sym, term)
        return node

    def _fact_node(self, sym: clingo.Symbol, term: Term) -> Node:
        found = self.by_symbol.get(sym)
        said = self.say.atom(term)
        if found is None:
            return _node(kind="fact", text=said, atom=said)
        item, _ = found
        src = self.facts.loaded.scenario.sources.get(item.source)
        contested = item.contested or len(item.dates) > 1
        note = " (one of the dates sources give)" if len(item.dates) > 1 else ""
        return _node(kind="fact", text=f"{said}{note}", atom=said,
                    status=item.status.value, contested=contested, source=item.source,
                    source_cite=src.cite if src else None, note=item.note)
