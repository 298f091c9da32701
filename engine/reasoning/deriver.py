"""Derivations on a control: the support program ground on demand, readings solved with its atoms
shown (see :mod:`engine.reasoning.derivation` for what a reading and a derivation are)."""
from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import clingo

from ..language.compile import LINKS_GROUNDED, LINKS_PART, SUPPORT_GROUNDED, SUPPORT_PART, AspProgram, part_text
from .derivation import Assumption, Derivation, Reading, _collector_paused
from .instances import _Atoms, _Instance, symbol_reps
from .solution import one_model

if TYPE_CHECKING:
    from .solve import Solution

#: The names of the support program's parts in a control (each followed by a number: see Deriver.ground).
PART, LINKS_PART_NAME = "te_support", "te_support_links"
_ADDED = itertools.count()
#: The externals that show the te_fired (te_link) atoms of a model (true only while a derivation solves).
EXPLAINING, EXPLAINING_LINKS = clingo.Function("te_explaining"), clingo.Function("te_explaining_links")
_LINK = clingo.Function("te_link")._rep


class Deriver:
    """Derivations on a grounded control that holds the main program and a scenario.

    ``assumptions`` select the readings derivations are taken from (a sweep's what-if; nothing for
    a scenario solved alone); each call may add its own (e.g. the contested facts wished true).
    With ``links``, the readings also hold the support of each conclusion's deadline, discharge and
    end (``te_link``: derive ``te_due``/``te_discharged``/``te_until`` atoms of the reading).
    """

    def __init__(self, ctl: clingo.Control, program: AspProgram,
                 assumptions: Sequence[Assumption] = (), links: bool = False,
                 watch: Iterable[clingo.Symbol] = ()) -> None:
        self.ctl = ctl
        #: atoms whose truth each reading records as it is found (:meth:`Reading.has`: quicker than
        #: :attr:`Reading.atoms`, which reads every atom of the model)
        self.watch = tuple(dict.fromkeys(watch))
        self.program = program
        self.assumptions = list(assumptions)
        self.links = links
        self._readings: dict[tuple[Assumption, ...], list[Reading]] = {}
        self._instances: list[_Instance] = []  # every rule instance read, once, by number
        # the first reading's te_step terms (clingo's sequence: symbols made when read), instance by
        # instance, and every instance by its te_step (made when a second reading needs it)
        self._steps: Sequence[int] = ()  # (as clingo represents them: Symbol._rep)
        self._index: dict[int, _Instance] | None = None  # by the te_step's _rep
        self._by_head: dict[int, list[_Instance]] = {}
        self._table = _Atoms()
        self._grounded = False  # whether ground() was called (it says which rules' support a reading has)

    @classmethod
    def of(cls, solution: Solution, links: bool = False, watch: Iterable[clingo.Symbol] = ()) -> Deriver:
        """The deriver of an evaluated scenario (``analyse(..., explainable=True)`` keeps its control)."""
        if solution.ctl is None:
            raise RuntimeError("this solution let its grounding go (analyse(..., explainable=False))")
        return cls(solution.ctl, solution.facts.rules.program, solution.assumptions, links, watch)

    def ground(self, rules: Iterable[str] | None = None) -> bool:
        """Ground in the control the support of these rules (every rule's: None) that is not ground
        there yet, and of their links with ``links``: what explaining their conclusions reads
        (:func:`~engine.language.support.rules_behind` names the rules an explanation can pass
        through). True if anything was ground now: the readings found before are then forgotten,
        since they lack the instances of the rules just ground."""
        # clingo's messages about them reach the control's logger numbered after the main program's
        # lines, which map_clingo_message maps through the support program's source map
        self._grounded = True
        program, symbolic = self.program, self.ctl.symbolic_atoms
        wanted = list(program.support_lines) if rules is None else [r for r in rules if r in program.support_lines]
        parts: list[tuple[str, Sequence[clingo.Symbol]]] = []
        for links, whole, mark, owned in ((False, SUPPORT_GROUNDED, SUPPORT_PART, program.support_lines),
                                          (True, LINKS_GROUNDED, LINKS_PART, program.links_lines)):
            if links and not self.links:
                continue
            header = symbolic[clingo.Function(whole)] is None
            todo = [r for r in wanted if r in owned and symbolic[clingo.Function(mark, [clingo.Function(r)])] is None]
            if not header and not todo:
                continue
            name = f"{LINKS_PART_NAME if links else PART}_{next(_ADDED)}"  # each text its own part, ground once
            self.ctl.add(name, [], part_text(program, links, None if len(todo) == len(owned) else todo, header))
            parts.append((name, []))
        if not parts:
            return False
        self.ctl.ground(parts)
        self._readings.clear()
        return True

    def _known(self, key: tuple[Assumption, ...], target: clingo.Symbol, n: int | None) -> Reading | None:
        """A reading found before under the assumptions ``key`` in which the target holds."""
        for r in self._readings.get(key, ()):
            if r._holds(n, target):
                return r
        return None

    def reading(self, target: clingo.Symbol, assumptions: Sequence[Assumption] = ()) -> Reading | None:
        """A reading (under the assumptions) in which ``target`` holds; None if there is none.

        A reading found before under the same assumptions serves if the target holds in it.
        """
        key = tuple(assumptions)
        found = self._known(key, target, self._table.ids.get(target._rep))
        if found is not None:
            return found
        with _collector_paused():
            return self._solve(key, target)

    def _solve(self, key: tuple[Assumption, ...], target: clingo.Symbol) -> Reading | None:
        """A new reading under the assumptions ``key`` in which the target holds (None if none)."""
        if not self._grounded:  # (nothing said which rules: every rule's support)
            self.ground()
        found: list[tuple[Sequence[clingo.Symbol], Sequence[clingo.Symbol], frozenset[clingo.Symbol]]] = []
        watch = self.watch

        def on_model(m: clingo.Model) -> None:
            found.append((m.symbols(terms=True), m.symbols(atoms=True), frozenset(a for a in watch if m.contains(a))))

        # te_explaining is true for this solve only: any other solve on the control (a batch's next
        # what-if) shows what it showed before
        shown = [EXPLAINING, EXPLAINING_LINKS] if self.links else [EXPLAINING]
        for external in shown:
            self.ctl.assign_external(external, True)
        try:
            with one_model(self.ctl):
                self.ctl.solve(assumptions=[*self.assumptions, *key, (target, True)], on_model=on_model)
        finally:
            for external in shown:
                self.ctl.assign_external(external, False)
        if not found:
            return None
        fired, atoms, watched = found[0]
        reps = symbol_reps(fired)
        instances, by_head, table = self._instances, self._by_head, self._table
        index = None
        if instances:  # the instances read for an earlier reading are not read again
            if self._index is None:
                self._index = dict(zip(self._steps, instances, strict=True))
            index = self._index
        else:
            self._steps = reps
        number, arguments = table.id_of, table.arguments
        live = set()
        for f in reps:
            inst = None if index is None else index.get(f)
            if inst is None:
                args = arguments(f)
                head = number(args[2])
                inst = _Instance(len(instances), args, head, tuple([number(a) for a in args[5:]]), table)
                instances.append(inst)
                if index is not None:
                    index[f] = inst
                if head in by_head:
                    by_head[head].append(inst)
                else:
                    by_head[head] = [inst]
                if len(inst.ids) == 1 and args[0] == _LINK:
                    table.lone.setdefault(inst.ids[0], []).append(inst)
            live.add(inst.n)
        reading = Reading(live, by_head, table, atoms, self.program.input_predicates, len(instances),
                          (frozenset(watch), watched))
        self._readings.setdefault(key, []).append(reading)
        return reading

    def forget_readings(self) -> None:
        """Find readings anew from now on (those found so far are not reused)."""
        self._readings.clear()

    def forget_read(self) -> None:
        """Let go of the atoms and bodies read into Python (:class:`~engine.reasoning.explanations.Term`:
        hundreds of thousands of objects on large cases); they are read again if asked for."""
        self._table.terms.clear()
        for inst in self._instances:
            inst._steps = None

    def derive(self, target: clingo.Symbol, assumptions: Sequence[Assumption] = ()) -> Derivation | None:
        """Why ``target`` holds in a reading (under the assumptions); None if it holds in none."""
        reading = self.reading(target, assumptions)
        return None if reading is None else reading.derive(target)

    def derive_all(self, targets: Iterable[clingo.Symbol], assumptions: Sequence[Assumption] = ()
                   ) -> dict[clingo.Symbol, Derivation | None]:
        """:meth:`derive` for many targets: each reading found serves every target that holds in it,
        and its stages are computed for all of them at once."""
        key = tuple(assumptions)
        table = self._table
        out: dict[clingo.Symbol, Derivation | None] = {}
        groups: dict[int, tuple[Reading, list[clingo.Symbol], list[int]]] = {}
        with _collector_paused():
            for t in targets:
                if t in out:
                    continue
                out[t] = None
                n = table.ids.get(t._rep)
                r = self._known(key, t, n)
                if r is None:
                    r = self._solve(key, t)
                    if r is None:
                        continue
                    n = table.ids.get(t._rep)
                group = groups.setdefault(id(r), (r, [], []))
                group[1].append(t)
                group[2].append(table.id(t) if n is None else n)
            for r, ts, ns in groups.values():
                out.update(zip(ts, r._derive_all(ts, ns), strict=True))
        return out


__all__ = ["Deriver"]
