"""Why an atom holds, read from the solver: the ground rule instances of one reading, no re-matching.

The compiler writes, beside the main program, a *support program* (:func:`engine.language.compile.compile_support`):
for every rule of the main program, a rule with the same body (written by the same code) deriving
``te_fired(Rule, Head, Body, Atoms, InForce)``: the rule's id, its ground head, its ground body as a
tuple of terms (an atom that matched; ``te_party_on(te_party(E, I, From, To), D)``; ``te_not(A)`` with
``te_any`` where any value will do; ``te_cmp(L, Op, R)``), the atoms its positive conditions matched,
and its in-force bounds; and ``te_link(...)`` of the same shape for a conclusion's deadline,
discharge and end, in a part of its own. A :class:`~engine.reasoning.deriver.Deriver` grounds the
support program once per control, after the main program and the scenario (multi-shot:
``ctl.add("te_support", ...)`` then ``ctl.ground``; the links' part only if asked for), so a plain
check never pays for it. It then asks
clingo for one model with the target true (under the reading's assumptions), with the external
``te_explaining`` true for that solve only, which shows each ``te_fired`` atom of the model as a flat
``te_step`` term: every rule instance whose body holds in the model, read in one step each.

Choosing a support: in a stable model an atom may have several supporting instances, and a set of
them may be circular (``linked(a,b)`` from ``linked(a,a)`` and ``linked(a,b)`` by transitivity,
beside the stated link): following any instance could loop. A stable model is the least model of
its reduct, so its atoms come in *stages*: stage 0 holds the leaves (scenario facts, party-list
entries, entity kinds); stage k the heads of instances whose positive body atoms are all in earlier
stages (negated conditions, comparisons and ``#count{...}=0`` conditions hold in the model, which the
``te_fired`` atom witnesses). Every atom of the model is in some stage. A :class:`Reading` stages the
atoms a derivation needs, on demand: the closure of the targets through every support of the model,
atoms staged before taken at their stages, by Kleene's iteration in the form of Knuth's
generalisation of Dijkstra's algorithm (an instance is ready when its last body atom is staged and
gives its head the stage after its highest one; stages are taken in increasing order). The stages
are exactly those of the whole model's iteration, whatever the order targets come in. Each derived
atom gets the instance that first put it in its stage (the least such ``te_fired`` atom in clingo's
symbol order, if several): the body atoms of the instance chosen are all of lower stages, so a
derivation is finite and never cycles (a DAG: shared sub-derivations are one node). Nothing of a
rule's body is matched in Python: the nodes are atoms of the model, the bodies those clingo ground.

A derivation is plain data (:class:`Derivation`, :meth:`Derivation.to_data`): its nodes are atoms
of the model; a derived atom's node names the rule and the ground body of the ``te_fired`` atom
chosen; the leaves are scenario facts (``fact``), party-list entries (``membership``) and entity
kinds (``entity``).

Cost (issue 12: every conclusion of a 10^4-event world derived in about the time of its check):
each ``te_step`` term is read once per control (its arguments: one call through clingo's Python
API), its atoms numbered, so that staging and walking hash integers, not clingo symbols; readings
of one control share what was read (a later reading reads only the instances the earlier ones did
not have); a model's atoms stay in clingo's compact sequence until :attr:`Reading.atoms` is asked
for. The objects a reading and its derivations are made of (a few hundred thousand at 10^4
events) are made with CPython's cycle collector held (:func:`_collector_paused`), which would
otherwise scan the whole heap several times over while they are made.
"""
from __future__ import annotations

import gc
import heapq
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Literal

import clingo

from .explanations import Term
from .instances import _Atoms, _Instance

Assumption = tuple[clingo.Symbol, bool] | int
NodeKind = Literal["derived", "fact", "membership", "entity", "interpretation"]


class Node:
    """One atom of a derivation: derived by a rule instance (``derived``), or a leaf.

    ``body`` is read from the te_fired atom's body term when first asked for (reading a term's
    arguments is much of the cost of a derivation through clingo's Python API).
    """

    __slots__ = ("atom", "kind", "level", "_instance")

    def __init__(self, atom: clingo.Symbol, kind: NodeKind, level: int, instance: _Instance | None = None) -> None:
        self.atom = atom
        self.kind = kind
        self.level = level  # the atom's stage in the model (0: a leaf)
        self._instance = instance

    @property
    def rule(self) -> clingo.Symbol | None:
        """The rule's id, or ``te_priority(Higher, Lower)``; None for a leaf."""
        return None if self._instance is None else self._instance.rule

    @property
    def body(self) -> tuple[clingo.Symbol, ...]:
        """The ground body, term by term, as te_fired gives it."""
        return () if self._instance is None else self._instance.terms

    @property
    def in_force(self) -> clingo.Symbol | None:
        """``te_in_force(D, From, To)``, or None (a leaf, or a rule in force at any date)."""
        return None if self._instance is None else self._instance.in_force

    @property
    def children(self) -> tuple[clingo.Symbol, ...]:
        """The atoms of the body (its positive conditions), in order."""
        return () if self._instance is None else self._instance.atoms

    @property
    def fired(self) -> clingo.Symbol | None:
        """The te_fired (te_link) atom itself."""
        return None if self._instance is None else self._instance.fired

    @property
    def rule_name(self) -> str | None:
        return None if self._instance is None else self._instance.rule_name

    @property
    def steps(self) -> tuple[tuple[Term, int | None], ...]:
        """:attr:`body` read into Python, each term with the number of the atom it matched (None for
        a negated condition or a comparison; see :meth:`Reading.node_at`)."""
        return () if self._instance is None else self._instance.steps

    @property
    def in_force_day(self) -> int | None:
        return None if self._instance is None else self._instance.in_force_day

    def __repr__(self) -> str:
        return f"Node({self.atom}, {self.kind}, {self.level}, {self.rule})"


class Derivation:
    """Why ``target`` holds in one reading: its node and those of every atom below it."""

    __slots__ = ("target", "order", "reading", "_nodes")

    def __init__(self, target: clingo.Symbol, order: list[Node], reading: Reading) -> None:
        self.target = target
        self.order = order  # the target's node first, then depth first in body order
        self.reading = reading
        self._nodes: dict[clingo.Symbol, Node] | None = None

    @property
    def nodes(self) -> dict[clingo.Symbol, Node]:
        """Every node, by its atom (in :attr:`order`)."""
        if self._nodes is None:
            self._nodes = {n.atom: n for n in self.order}
        return self._nodes

    @property
    def root(self) -> Node:
        return self.order[0]

    def to_data(self) -> dict[str, Any]:
        """The derivation as JSON-ready data: atoms and terms in clingo's notation."""
        def text(s: clingo.Symbol | None) -> str | None:
            return None if s is None else str(s)
        return {"target": str(self.target), "nodes": [
            {"atom": str(n.atom), "kind": n.kind, "level": n.level, "rule": text(n.rule),
             "body": [str(b) for b in n.body], "in_force": text(n.in_force),
             "children": [str(c) for c in n.children]} for n in self.order]}


def body_atoms(body: Iterable[clingo.Symbol]) -> list[clingo.Symbol]:
    """The atoms a body's terms say are in the model (the positive conditions), in order: what
    te_fired's fourth argument holds."""
    out = []
    for term in body:
        if term.type != clingo.SymbolType.Function or term.name in ("te_not", "te_cmp"):
            continue
        out.append(term.arguments[0] if term.name == "te_party_on" else term)
    return out


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Hold CPython's cycle collector while a derivation builds its bookkeeping.

    A reading and its derivations are made of hundreds of thousands of small objects (clingo
    symbols, lists, nodes) that form no cycles and mostly live as long as the reading: with the
    default thresholds the collector would scan the whole heap (the check's solution and all)
    several times over while they are made: about half of a derivation's time on 10^4 events. The
    collector's state is restored on the way out, so a program's own settings stand (one that keeps
    it disabled keeps it so); while it is held, no thread's garbage cycles are collected.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


class Reading:
    """One model of a control with the support program ground: its rule instances, and a
    well-founded support for each derived atom (see the module's docstring)."""

    def __init__(self, live: set[int], by_head: dict[int, list[_Instance]], table: _Atoms,
                 atoms: Sequence[clingo.Symbol], inputs: dict[str, int], read: int | None = None,
                 watched: tuple[frozenset[clingo.Symbol], frozenset[clingo.Symbol]] = (frozenset(), frozenset())
                 ) -> None:
        self._live = live  # the instances (numbers) true in this model
        self._by_head = by_head  # every instance read on the control, by head (shared by its readings)
        # with every instance read so far (numbers below ``read``) true in this model, a head's list
        # of instances serves as it is while it has none read later
        self._every = -1 if read is None or len(live) != read else read
        self._table = table
        self._all = atoms
        self._atoms: frozenset[clingo.Symbol] | None = None
        self._watch, self._watched = watched  # atoms watched (Deriver.watch), those of the model
        self.inputs = inputs
        self._level: dict[int, int] = {}
        self._chosen: dict[int, _Instance] = {}
        self._nodes: dict[int, Node] = {}

    @property
    def atoms(self) -> frozenset[clingo.Symbol]:
        """Every atom of the model."""
        if self._atoms is None:
            with _collector_paused():
                self._atoms = frozenset(self._all)
        return self._atoms

    def has(self, atom: clingo.Symbol) -> bool:
        """``atom in self.atoms``, without reading every atom of the model if the atom is watched
        (:attr:`engine.reasoning.deriver.Deriver.watch`)."""
        return atom in self._watched if atom in self._watch else atom in self.atoms

    def _supports(self, head: int) -> list[_Instance]:
        insts = self._by_head.get(head)
        if not insts or insts[-1].n < self._every:
            return insts or []
        live = self._live
        return [inst for inst in insts if inst.n in live]

    def supports(self, head: clingo.Symbol) -> list[clingo.Symbol]:
        """Every te_fired atom of the model for ``head`` (all the ways it is derived here)."""
        n = self._table.ids.get(head._rep)
        return [] if n is None else [inst.fired for inst in self._supports(n)]

    def derived(self, atom: clingo.Symbol | int) -> bool:
        """Whether ``atom`` (or the atom numbered so) is derived in this model (the head of a rule instance)."""
        n = atom if isinstance(atom, int) else self._table.ids.get(atom._rep)
        return n is not None and (n in self._level or bool(self._supports(n)))

    def _holds(self, n: int | None, atom: clingo.Symbol) -> bool:
        """``atom in self``, its number (if it has one) given."""
        if n is not None and (n in self._level or self._supports(n)):
            return True
        return self.leaf_kind(atom) is not None and atom in self.atoms

    def __contains__(self, atom: clingo.Symbol) -> bool:
        return self._holds(self._table.ids.get(atom._rep), atom)

    def named(self, name: str, arity: int) -> list[clingo.Symbol]:
        """The model's atoms of one predicate (``te_fired`` is shown as terms: see :meth:`supports`)."""
        return sorted(a for a in self._all if a.name == name and len(a.arguments) == arity)

    def heads(self) -> list[clingo.Symbol]:
        """Every derived atom of the model (the head of a rule instance)."""
        live, symbols = self._live, self._table.symbols
        return [symbols[h] for h, insts in self._by_head.items() if any(i.n in live for i in insts)]

    def stage(self, targets: Iterable[int]) -> None:
        """Stage the atoms below the targets (:meth:`number`) at once: quicker than one by one."""
        with _collector_paused():
            self._stage(targets)

    def _stage(self, targets: Iterable[int]) -> None:
        """Stage the atoms below the targets not staged yet (see the module's docstring).

        Kleene's iteration, on the part of the model the targets need: their closure through every
        support, the atoms staged before taken at their stages (Knuth's generalisation of
        Dijkstra's algorithm: an instance is ready when its last body atom is staged, and gives its
        head the stage after its highest one; stages are taken in increasing order).
        """
        level, chosen, supports_of = self._level, self._chosen, self._supports
        stack = [t for t in targets if t not in level]
        if not stack:
            return
        closure: dict[int, list[_Instance]] = {}
        while stack:
            atom = stack.pop()
            if atom in closure or atom in level:
                continue
            supports = supports_of(atom)
            if not supports:
                continue  # a leaf
            closure[atom] = supports
            for inst in supports:
                for b in inst.ids:
                    if b not in closure and b not in level:
                        stack.append(b)
        waiting: dict[int, int] = {}
        base: dict[int, int] = {}
        watch: dict[int, list[_Instance]] = {}
        buckets: dict[int, list[_Instance]] = {}
        heap: list[int] = []

        def ready(inst: _Instance, stage: int) -> None:
            if stage in buckets:
                buckets[stage].append(inst)
            else:
                buckets[stage] = [inst]
                heapq.heappush(heap, stage)

        for supports in closure.values():
            for inst in supports:
                need, high = 0, 0
                for b in inst.distinct:
                    if b in closure:
                        need += 1
                        if b in watch:
                            watch[b].append(inst)
                        else:
                            watch[b] = [inst]
                    else:
                        stage = level.get(b, 0)
                        if stage > high:
                            high = stage
                if need:
                    waiting[inst.n], base[inst.n] = need, high
                else:
                    ready(inst, high + 1)
        while heap:
            stage = heapq.heappop(heap)
            for inst in buckets.pop(stage):
                head = inst.head
                if head in level:
                    if level[head] == stage and inst.fired < chosen[head].fired:
                        chosen[head] = inst  # of several in one stage, the least in clingo's order
                    continue
                level[head], chosen[head] = stage, inst
                for w in watch.get(head, ()):
                    n = w.n
                    if stage > base[n]:
                        base[n] = stage
                    waiting[n] -= 1
                    if not waiting[n]:
                        ready(w, base[n] + 1)

    def leaf_kind(self, atom: clingo.Symbol) -> NodeKind | None:
        name = atom.name
        if name == "te_party":
            return "membership"
        if name == "te_kind":
            return "entity"
        if name == "te_position":  # the position an interpretation takes in this reading
            return "interpretation"
        if name in self.inputs:  # (a predicate has one arity: the checker sees to it)
            return "fact"
        return None

    def _node(self, n: int) -> Node:
        node = self._nodes.get(n)
        if node is not None:
            return node
        inst = self._chosen.get(n)
        if inst is None and n in self._by_head:  # derived in some reading: staged yet in this one?
            self._stage((n,))
            inst = self._chosen.get(n)
        atom = self._table.symbols[n]
        if inst is None:
            kind = self.leaf_kind(atom)
            if kind is None or self._supports(n):
                raise AssertionError(f"{atom} has no well-founded support in this reading")
            node = Node(atom, kind, 0)
        else:
            node = Node(atom, "derived", self._level[n], inst)
        self._nodes[n] = node
        return node

    def node(self, atom: clingo.Symbol) -> Node:
        """The node of one atom of the model (its chosen support, or a leaf)."""
        return self._node(self._table.id(atom))

    def number(self, atom: clingo.Symbol) -> int:
        """The number of an atom on this reading's control (see :meth:`node_at`, :meth:`term`)."""
        return self._table.id(atom)

    def node_at(self, n: int) -> Node:
        """:meth:`node` of the atom numbered ``n`` (:meth:`number`, :attr:`Node.steps`)."""
        return self._nodes.get(n) or self._node(n)

    def lone_links(self, n: int) -> list[tuple[tuple[Term, int | None], ...]]:
        """The :attr:`Node.steps` of the model's link instances whose one body atom is numbered ``n``."""
        live = self._live
        return [inst.steps for inst in self._table.lone.get(n, ()) if inst.n in live]

    def term(self, n: int) -> Term:  # the atom numbered n, read into Python (once per control)
        return self._table.term(n)

    def derive_all(self, targets: Iterable[clingo.Symbol]) -> list[Derivation]:
        """The derivations of atoms of this reading (staged together: quicker than one by one)."""
        targets = list(targets)
        with _collector_paused():
            number = self._table.id
            return self._derive_all(targets, [number(t) for t in targets])

    def _derive_all(self, targets: list[clingo.Symbol], numbers: list[int]) -> list[Derivation]:
        """:meth:`derive_all`, the targets' numbers given."""
        self._stage(numbers)
        return [self._derive(t, n) for t, n in zip(targets, numbers, strict=True)]

    def derive(self, target: clingo.Symbol) -> Derivation:
        """The derivation of an atom of this reading."""
        return self._derive(target, self._table.ids.get(target._rep))

    def _derive(self, target: clingo.Symbol, n: int | None) -> Derivation:
        """:meth:`derive`, the target's number (if it has one) given."""
        if n is None or n not in self._level:
            if not self._holds(n, target):
                raise KeyError(f"{target} does not hold in this reading")
            if n is None:
                n = self._table.id(target)
        nodes, node_of = self._nodes, self._node
        order: list[Node] = []
        seen: set[int] = set()
        stack = [n]
        while stack:  # depth first, children in body order
            n = stack.pop()
            if n in seen:
                continue
            seen.add(n)
            node = nodes.get(n) or node_of(n)
            order.append(node)
            if node._instance is not None:
                stack.extend(reversed(node._instance.ids))
        return Derivation(target, order, self)


__all__ = ["Assumption", "Derivation", "Node", "Reading", "body_atoms"]
