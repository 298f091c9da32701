"""How a why-tree's nodes are made (:mod:`engine.reasoning.explain`): quickly, tens of thousands at a time."""
from __future__ import annotations

from typing import Any

from .explanations import Node, Term

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
