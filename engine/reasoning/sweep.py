"""Many what-ifs on one grounding: a :class:`Sweep` solves a scenario's facts in any statuses."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace

import clingo

from ..cases.facts import ScenarioFacts, _normalise
from ..cases.readings import leader, together
from ..cases.scenario import Status
from ..errors import Diagnostic, TreatyError
from ..language.compile import ClingoMessages
from .encoding import STATUS_PROGRAM, Marker, ScenarioProgram, _number_fact, _position
from .grounding import _consequences, _ground, _switch_on_constraints, count_readings
from .printed import _decode_in_order
from .solution import Solution


class Sweep:
    """Many what-ifs on one scenario, solved on one grounding.

    Every fact of the scenario is grounded as free; a what-if (statuses changed by fact id) is
    then only a set of assumptions: established facts true, denied ones false, contested ones
    free. This is the cookbook's multi-shot technique: one grounding, one solve per reading set.
    """

    def __init__(self, facts: ScenarioFacts) -> None:
        self.facts = facts
        program = facts.rules.program
        self.messages = ClingoMessages(program)
        ctl = clingo.Control(["--models=0"], logger=self.messages, message_limit=1000)
        scenario = ScenarioProgram(facts.rules.base.predicates)
        scenario.free = ["te_contested", "te_exactly_one"]  # assumptions decide them
        scenario.exactly_one = True  # a group's te_exactly_one(G), when assumed, asks for one of its atoms

        def free(name: str, n: int) -> None:
            scenario.facts.append(clingo.Function("te_free", [clingo.Function(name), clingo.Number(n)]))

        self.markers: dict[int, tuple[Marker, int]] = {}  # number -> (marker, item index)
        self.occurrence: dict[int, int] = {}  # item index -> its occurrence marker
        self.per_date: dict[int, list[int]] = {}
        for idx, item in enumerate(facts.items):
            atoms = item.symbols
            scenario.group(atoms)  # group number idx
            free("te_exactly_one", idx)
            n = len(self.markers)
            self.markers[n] = (Marker(item.label(), item, None), idx)
            self.occurrence[idx] = n
            free("te_contested", n)
            for a in atoms:
                scenario.mark(n, a)
            if len(atoms) > 1:
                for d, a in zip(item.dates, atoms, strict=True):
                    n = len(self.markers)
                    self.markers[n] = (Marker(item.label(d), item, d), idx)
                    self.per_date.setdefault(idx, []).append(n)
                    free("te_contested", n)
                    scenario.mark(n, a)
        index = {item.id: idx for idx, item in enumerate(facts.items)}
        by_id = {item.id: item for item in facts.items}
        self.followers = set()
        for idx, item in enumerate(facts.items):  # facts that stand or fall together: both hold, or neither
            lead = leader(item, by_id)
            if lead is not item:
                self.followers.add(idx)
                scenario.tie(self.occurrence[idx], self.occurrence[index[lead.id]])
        scenario.facts.append(_number_fact("te_as_of", facts.as_of.toordinal()))
        scenario.facts.append(_number_fact("te_immediately_days", facts.immediately_days))
        scenario.facts += facts.kinds
        # the positions the readings take: a fact for a position set, a group of choices for an open
        # interpretation (its te_exactly_one and its positions' markers assumed true in every what-if)
        scenario.facts += [_position(name, p) for name, p in sorted(facts.positions.items()) if p is not None]
        self.open_groups: list[tuple[int, list[int]]] = []  # (group number, its markers)
        interps = facts.rules.base.interpretations
        for name in sorted(k for k, p in facts.positions.items() if p is None):
            positions = interps[name].positions
            g = scenario.group([_position(name, p.id) for p in positions])
            free("te_exactly_one", g)
            numbers = []
            for p in positions:
                n = len(self.markers)
                self.markers[n] = (Marker(f"{name}={p.id}", None, None, (name, p.id)), -1)
                numbers.append(n)
                free("te_contested", n)
                scenario.mark(n, _position(name, p.id))
            self.open_groups.append((g, numbers))
        groups = len(facts.items) + len(self.open_groups)
        # every fact is free here: any conclusion may hold in some readings only. What its statuses
        # depend on is not grounded here (every status of every conclusion, times every fact, cost
        # more than the what-ifs themselves): for a what-if with a status that differs by reading,
        # two brave solves per contested fact say it (_status_counters)
        _ground(ctl, self.messages, facts.rules.texts, program.text + STATUS_PROGRAM, scenario)
        for n in self.markers:
            ctl.assign_external(clingo.Function("te_contested", [clingo.Number(n)]), None)
        for idx in range(groups):
            ctl.assign_external(clingo.Function("te_exactly_one", [clingo.Number(idx)]), None)
        _switch_on_constraints(ctl, facts)
        self.ctl = ctl
        # assumptions as program literals, looked up once: a lookup per symbol per solve cost more
        # than the solve itself on small scenarios
        self._literals: dict[clingo.Symbol, int] = {}
        table = ctl.symbolic_atoms
        for item in facts.items:
            for sym in item.symbols:
                found = table[sym]
                if found is not None:
                    self._literals[sym] = found.literal
        self._numbered: dict[tuple[str, int], clingo.Symbol | int] = {}
        for name, count in (("te_contested", len(self.markers)), ("te_exactly_one", groups)):
            for n in range(count):
                sym = clingo.Function(name, [clingo.Number(n)])
                found = table[sym]
                self._numbered[(name, n)] = found.literal if found is not None else sym
        self.signature = facts_signature(facts)

    def _literal(self, sym: clingo.Symbol | int, value: bool) -> int | tuple[clingo.Symbol, bool]:
        if isinstance(sym, int):
            return sym if value else -sym
        lit = self._literals.get(sym)
        if lit is None:  # not in the grounding: clingo takes the symbol (and finds it false)
            return (sym, value)
        return lit if value else -lit

    def solve(self, assume: Mapping[str, str] | None = None) -> Solution:
        """The consequences of one what-if: fact id (or text) -> status."""
        statuses = {}
        by_text = {it.text: it.id for it in self.facts.items}
        for key, status in (assume or {}).items():
            fid = key if any(it.id == key for it in self.facts.items) else by_text.get(_normalise(key))
            if fid is None:
                raise TreatyError([Diagnostic(None, f"no fact or event `{key}` in {self.facts.loaded.file}")])
            statuses[fid] = Status(status)
        items = together([replace(it, status=statuses[it.id]) if it.id in statuses else it for it in self.facts.items])
        return self.solve_facts(replace(self.facts, items=items, assumed={**self.facts.assumed, **statuses}))

    def solve_facts(self, facts: ScenarioFacts) -> Solution:
        """The consequences of a scenario whose facts are this sweep's, in statuses of its own."""
        assert facts_signature(facts) == self.signature, "a sweep solves scenarios with its own facts"
        assumptions: list[int | tuple[clingo.Symbol, bool]] = []
        active: dict[int, Marker] = {}
        for idx, item in enumerate(facts.items):
            several = len(item.symbols) > 1
            denied = item.status.value == "denied"
            # every group's te_exactly_one is assumed, one way or the other: a free external would
            # double the models (the readings enumerated for the counter-readings) for nothing
            exactly = not denied and not item.contested and not item.cut and several
            assumptions.append(self._literal(self._numbered[("te_exactly_one", idx)], exactly))
            if denied:
                assumptions += [self._literal(s, False) for s in item.symbols]
            elif not item.contested and not item.cut and not several:
                assumptions.append(self._literal(item.symbols[0], True))
            occurs = self.occurrence[idx]
            on = not denied and (item.contested or item.cut)
            dated = not denied and several
            for n, is_on in [(occurs, on), *((m, dated) for m in self.per_date.get(idx, []))]:
                assumptions.append(self._literal(self._numbered[("te_contested", n)], is_on))
                if is_on and not (n == occurs and idx in self.followers):  # a follower: its fact's reading
                    marker = self.markers[n][0]
                    active[n] = replace(marker, item=item)
        for g, numbers in self.open_groups:  # each open interpretation: one of its positions in every reading
            assumptions.append(self._literal(self._numbered[("te_exactly_one", g)], True))
            for n in numbers:
                assumptions.append(self._literal(self._numbered[("te_contested", n)], True))
                active[n] = self.markers[n][0]
        brave = _consequences(self.ctl, "brave", facts, assumptions)
        cautious = _consequences(self.ctl, "cautious", facts, assumptions)
        readings = count_readings(facts)
        counters = self._counters(brave, frozenset(cautious), active, assumptions, readings) if active else frozenset()
        return Solution(frozenset(brave), frozenset(cautious), active, readings, self.ctl, facts, assumptions,
                        counters)

    def _counters(self, brave: list[clingo.Symbol], cautious: frozenset[clingo.Symbol], active: dict[int, Marker],
                  assumptions: list[int | tuple[clingo.Symbol, bool]], readings: int) -> frozenset[str]:
        """The counter-readings of this what-if (what depends_on and status_depends_on are read from):
        for each contested fact, which conclusions that hold in some readings only, and which
        statuses that differ by reading, some reading has with the fact false, and with it true.
        Two brave solves per fact, each asked about those atoms only: a sweep grounds no counter
        atoms (#conclusions x #facts of them made every what-if's solve slower)."""
        wanted: list[tuple[str, clingo.Symbol]] = []
        statuses: dict[str, list[str]] = {}
        for sym, (name, args) in zip(brave, _decode_in_order(brave), strict=True):
            if name == "te_concl" and sym not in cautious:
                wanted.append((args[args.index(",") + 1:] + ",concl", sym))  # te_concl(Kind, R,B,A,P,D)
            elif name == "te_status":
                key, _, status = args.rpartition(",")
                statuses.setdefault(key, []).append(status)
        wanted += [(f"{key},{status}", clingo.parse_term(f"te_status({key},{status})"))
                   for key, states in statuses.items() if len(states) > 1 for status in states]
        if not wanted:
            return frozenset()
        found: set[str] = set()
        if readings <= _ENUMERATE:  # few readings: each once, the marker values read off each
            markers = [(n, self._numbered_true(n)) for n in active]

            def seen(m: clingo.Model) -> None:
                truths = [(n, int(m.contains(sym))) for n, sym in markers]
                for k, sym in wanted:
                    if m.contains(sym):
                        found.update(f"{k},{n},{t}" for n, t in truths)
            _enumerate(self.ctl, assumptions, seen)
            return frozenset(found)
        for n in active:
            fact = self._numbered_true(n)
            for truth in (0, 1):
                present = _brave_among(self.ctl, [*assumptions, (fact, bool(truth))], wanted)
                found.update(f"{k},{n},{truth}" for k in present)
        return frozenset(found)

    def _numbered_true(self, n: int) -> clingo.Symbol:
        return clingo.Function("te_true", [clingo.Number(n)])


#: Up to this many readings a what-if's counter-readings come from enumerating its readings once,
#: beyond it from two brave solves per marker (2^K readings with K contested facts).
_ENUMERATE = 64


def _enumerate(ctl: clingo.Control, assumptions: list, on_model: Callable[[clingo.Model], None]) -> None:
    """Every reading that meets the assumptions (one model each: the rest of the program is stratified)."""
    ctl.configuration.solve.enum_mode = "auto"  # type: ignore[union-attr]
    ctl.solve(assumptions=assumptions, on_model=on_model)


def _brave_among(ctl: clingo.Control, assumptions: list, wanted: list[tuple[str, clingo.Symbol]]) -> list[str]:
    """Which of the ``wanted`` atoms (keyed) hold in some reading that meets the assumptions: asked
    of the brave consequences directly, not by printing all of them."""
    ctl.configuration.solve.enum_mode = "brave"  # type: ignore[union-attr]
    last: list[list[str]] = [[]]
    result = ctl.solve(assumptions=assumptions,
                       on_model=lambda m: last.__setitem__(0, [k for k, sym in wanted if m.contains(sym)]))
    return [] if result.unsatisfiable else last[0]


def facts_signature(facts: ScenarioFacts) -> tuple:
    """What a grounding depends on: the facts and events (whatever their statuses), entity kinds,
    the as-of date, the allowance for "immediately", the positions the reading takes and the rules applied."""
    return (id(facts.rules), facts.as_of, facts.immediately_days, tuple(facts.kinds),
            tuple((it.id, it.text, it.dates, it.cut, it.together_with) for it in facts.items),
            tuple(sorted(facts.positions.items())))
