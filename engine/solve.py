"""Scenario facts + compiled rules -> clingo: every reading of the contested facts at once.

Established facts are facts; alleged and disputed ones are choices; denied ones are absent.
An event whose date sources disagree on takes exactly one of its dates. One grounding, then
clingo's brave and cautious consequences say what holds in some and in all readings; the
readings themselves are never enumerated.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from math import prod

import clingo

from .compile import ClingoMessages
from .errors import Diagnostic, TreatyError
from .facts import FactItem, ScenarioFacts

#: Deadlines and statuses against the as-of date, and the counter-readings that give depends_on.
STATUS_PROGRAM = """
% ---- engine: deadlines, statuses and dependencies (te_as_of/1, te_immediately_days/1 from the engine)
te_deadline(R,B,A,P,D,D+N) :- te_due(R,B,A,P,D,immediately), te_immediately_days(N).
te_deadline(R,B,A,P,D,X) :- te_due(R,B,A,P,D,day(X)).
te_done(R,B,A,P,D,E) :- te_discharged(R,B,A,P,D,_), E = #min{ X : te_discharged(R,B,A,P,D,X) }.
te_ends(R,B,A,P,D,U) :- te_until(R,B,A,P,D,_), U = #min{ X : te_until(R,B,A,P,D,X) }.
te_late(R,B,A,P,D) :- te_done(R,B,A,P,D,E), te_deadline(R,B,A,P,D,L), E > L.
te_status(R,B,A,P,D,discharged_late) :- te_late(R,B,A,P,D).
te_status(R,B,A,P,D,discharged) :- te_done(R,B,A,P,D,_), not te_late(R,B,A,P,D).
te_open(R,B,A,P,D) :- te_concl(_,R,B,A,P,D), not te_done(R,B,A,P,D,_).
te_status(R,B,A,P,D,ended) :- te_open(R,B,A,P,D), te_ends(R,B,A,P,D,_).
te_overdue(R,B,A,P,D) :- te_open(R,B,A,P,D), not te_ends(R,B,A,P,D,_), te_deadline(R,B,A,P,D,L),
                         te_as_of(T), T > L.
te_status(R,B,A,P,D,overdue) :- te_overdue(R,B,A,P,D).
te_lasting(permission). te_lasting(prohibition).
te_status(R,B,A,P,D,active) :- te_open(R,B,A,P,D), te_concl(K,R,B,A,P,D), te_lasting(K),
                               not te_ends(R,B,A,P,D,_).
te_status(R,B,A,P,D,pending) :- te_open(R,B,A,P,D), te_concl(K,R,B,A,P,D), not te_lasting(K),
                                not te_ends(R,B,A,P,D,_), not te_overdue(R,B,A,P,D).
#defined te_contested/1. #defined te_true/1. #defined te_as_of/1. #defined te_immediately_days/1.
#defined te_due/6. #defined te_discharged/6. #defined te_until/6.
#show te_status/6. #show te_deadline/6. #show te_done/6. #show te_ends/6.
"""

#: depends_on, both ways: a conclusion depends on a contested fact being accepted if no reading has
#: the conclusion with the fact false, i.e. if the counter-reading te_counter(C, concl, F, 0) is not a
#: brave consequence; on its being rejected if te_counter(C, concl, F, 1) (the conclusion with the
#: fact true) is not. Only conclusions that are not facts of the grounding (te_maybe) can hold in
#: some readings only: the others need none. The same for a status of a conclusion that may have
#: several (te_smaybe): what the status depends on.
COUNTER_PROGRAM = """
te_counter(R,B,A,P,D,concl,F,0) :- te_maybe(R,B,A,P,D), te_concl(_,R,B,A,P,D), te_contested(F), not te_true(F).
te_counter(R,B,A,P,D,concl,F,1) :- te_maybe(R,B,A,P,D), te_concl(_,R,B,A,P,D), te_contested(F), te_true(F).
te_counter(R,B,A,P,D,S,F,0) :- te_smaybe(R,B,A,P,D,S), te_status(R,B,A,P,D,S), te_contested(F), not te_true(F).
te_counter(R,B,A,P,D,S,F,1) :- te_smaybe(R,B,A,P,D,S), te_status(R,B,A,P,D,S), te_contested(F), te_true(F).
#defined te_maybe/5. #defined te_smaybe/6.
#show te_counter/8.
"""


@dataclass(frozen=True)
class Marker:
    """A contested fact that a conclusion may depend on: an allegation, or one of an event's dates."""

    label: str
    item: FactItem
    on: date | None


@dataclass
class Solution:
    """Brave (some readings) and cautious (all readings) consequences of one grounding.

    The grounded control is kept so that explanations can ask for a witness reading on demand.
    """

    brave: frozenset[clingo.Symbol]
    cautious: frozenset[clingo.Symbol]
    markers: dict[int, Marker]  # te_contested number -> the contested fact it stands for
    readings: int
    ctl: clingo.Control | None  # None once let go (see release)
    facts: ScenarioFacts
    #: a sweep's what-if: (symbol, truth) pairs and program literals (negative: false), as clingo takes them
    assumptions: list[tuple[clingo.Symbol, bool] | int] = field(default_factory=list)
    #: counter-readings found by solving, not shown as te_counter atoms: "CONCLUSION,STATUS,FACT,TRUTH"
    counters: frozenset[str] = frozenset()

    def release(self) -> None:
        """Let the grounding go when no explanation will be asked for: on large scenarios it is
        most of the memory, and the findings are read from the consequences alone."""
        self.ctl = None
        if len(self.brave) > 50_000:  # a large grounding: worth the few milliseconds
            _return_freed_memory()

    def witness(self, want: clingo.Symbol, holds: bool, wishes: Sequence[tuple[int, bool]] = ()
                ) -> list[clingo.Symbol] | None:
        """Every atom of one reading in which ``want`` holds (or not); None if there is none.

        ``wishes`` are markers with the truth value wished for, most important first. All of
        them at once if they can be met; otherwise each in turn, kept if it can be met with those
        kept before and turned round if not. With a wish for every marker the reading is then
        settled by the wishes alone, not by how clingo happens to search (which differs between
        a scenario's own grounding and a batch's shared one).
        """
        ctl = self.ctl
        if ctl is None:
            raise RuntimeError("this solution let its grounding go (analyse(..., explainable=False))")
        ctl.configuration.solve.enum_mode = "auto"  # type: ignore[union-attr]
        ctl.configuration.solve.models = 1  # type: ignore[union-attr]
        found: list[list[clingo.Symbol]] = []

        def reading(assumptions: list[tuple[clingo.Symbol, bool] | int]) -> list[clingo.Symbol] | None:
            found.clear()
            ctl.solve(assumptions=assumptions, on_model=lambda m: found.append(list(m.symbols(atoms=True))))
            return found[0] if found else None

        def wish(i: int, v: bool) -> tuple[clingo.Symbol, bool]:
            return (clingo.Function("te_true", [clingo.Number(i)]), v)

        try:
            base: list[tuple[clingo.Symbol, bool] | int] = [*self.assumptions, (want, holds)]
            atoms = reading(base + [wish(i, v) for i, v in wishes])
            if atoms is not None or not wishes:
                return atoms
            atoms = reading(base)
            if atoms is None:
                return None
            for i, v in wishes:
                kept = reading([*base, wish(i, v)])
                if kept is not None:
                    base.append(wish(i, v))
                    atoms = kept
                else:  # every reading left has it the other way round, the last one found too
                    base.append(wish(i, not v))
            return atoms
        finally:
            ctl.configuration.solve.models = 0  # type: ignore[union-attr]


def _return_freed_memory() -> None:
    """Hand the memory clingo freed back to the system. glibc keeps freed memory for later
    allocations, which Python's own allocator (arenas of its own) cannot use; the findings are
    built after the grounding is let go, so without this the two add up (issue 7: peak memory).
    """
    try:
        import ctypes

        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to do
        pass


def _readings(item: FactItem) -> int:
    n = len(item.dates) or 1
    if item.contested or item.cut:
        return n + 1  # not at all (or not yet), or on one of its dates
    return n


class ScenarioProgram:
    """The scenario's part of the program: facts as clingo symbols, and the rules that make some
    of them choices, written from the rule base's vocabulary alone.

    No name from a scenario reaches clingo as text, so none (``not``, a name of the engine's own
    atoms, anything) can change the program's structure: every scenario atom, and every term that
    names one, is a symbol added as a *fact* through clingo's backend before grounding (a fact to
    the grounder, as one written in text is). What is not certain is said by facts too:
    ``te_choice(G, I, A)``, atom A is option I of group G (an item's dates: at most one holds);
    ``te_exactly_one(G)``, one of them does; ``te_mark(N, A)``, marker N is true if A holds. The
    rules that read them (:meth:`rules_text`) name only the predicates they bridge, taken from
    the rule base, with variables for every argument.

    Why not choices and rules through the backend: clingo 5.8 (the backend's atoms added before
    grounding) then loses ground rule instances built on derived atoms in some orders (e.g.
    ``agg(V,D) :- att(_,V,D). c(V,D) :- agg(V,A), req(V,D), A<=D.`` over a backend choice
    ``{att(g,k,1); att(g,k,2)}`` has no instance for A=2): a reading loses a conclusion
    (tests/test_scenarios_small.py). Backend facts are ground like text facts.
    """

    def __init__(self, vocabulary: Mapping[str, object]) -> None:
        self.vocabulary = vocabulary  # the rule base's predicates: the only names written as text
        self.facts: list[clingo.Symbol] = []
        self.bridged: set[tuple[str, int]] = set()  # predicates of atoms that may or may not hold
        self.exactly_one = False  # some group must have one of its atoms hold (te_exactly_one(G))
        #: engine atoms NAME(N) that are externals, for each fact te_free(NAME, N) (a sweep's assumptions)
        self.free: list[str] = []
        self._groups = 0

    def group(self, atoms: Sequence[clingo.Symbol], exactly_one: bool = False) -> int:
        """The atoms as a group of choices, at most one of which holds (exactly one if asked)."""
        g = self._groups
        self._groups += 1
        gs = clingo.Number(g)
        for i, a in enumerate(atoms):
            self._bridge(a)
            self.facts.append(clingo.Function("te_choice", [gs, clingo.Number(i), a]))
        if exactly_one:
            self.exactly_one = True
            self.facts.append(clingo.Function("te_exactly_one", [gs]))
        return g

    def mark(self, n: int, atom: clingo.Symbol) -> None:
        self._bridge(atom)
        self.facts.append(clingo.Function("te_mark", [clingo.Number(n), atom]))

    def _bridge(self, atom: clingo.Symbol) -> None:
        name = atom.name
        if name not in self.vocabulary or not _IDENTIFIER.match(name):  # checked against the rules already
            raise AssertionError(f"not a predicate of the rule base: {name!r}")
        self.bridged.add((name, len(atom.arguments)))

    def rules_text(self) -> str:
        """The rules that read the scenario's choices: from predicate names and arities only."""
        lines = []
        for name, arity in sorted(self.bridged):
            xs = f"{name}({','.join(f'X{i}' for i in range(arity))})" if arity else name
            ys = f"{name}({','.join(f'Y{i}' for i in range(arity))})" if arity else name
            lines += [f"{{ {xs} }} :- te_choice(_,_,{xs}).",
                      f":- te_choice(G,I,{xs}), te_choice(G,J,{ys}), I < J, {xs}, {ys}.",
                      f"te_true(N) :- te_mark(N,{xs}), {xs}."]
            if self.exactly_one:
                lines.append(f"te_dated(G) :- te_choice(G,_,{xs}), {xs}.")
        if self.exactly_one:
            lines.append(":- te_exactly_one(G), not te_dated(G).")
        lines += [f"#external {name}(N) : te_free({name},N)." for name in self.free]
        lines.append("#defined te_choice/3. #defined te_mark/2. #defined te_exactly_one/1. #defined te_dated/1. "
                     "#defined te_free/2.")
        return "\n".join(lines) + "\n"

    def add_to(self, ctl: clingo.Control) -> None:
        """The facts, through the backend (call before grounding, after adding :meth:`rules_text`)."""
        with ctl.backend() as bk:
            add_atom, add_rule = bk.add_atom, bk.add_rule
            for sym in self.facts:
                add_rule([add_atom(sym)])

    def text(self) -> str:
        """The whole in ASP's syntax, for reading and for tools that feed clingo files (the
        benchmarks' floor); the engine never gives its facts to clingo as text, and names such
        as `not` make it invalid."""
        return "".join(f"{s}.\n" for s in self.facts) + self.rules_text()


_IDENTIFIER = re.compile(r"[a-z][A-Za-z0-9_]*\Z")


def _number_fact(name: str, n: int) -> clingo.Symbol:
    return clingo.Function(name, [clingo.Number(n)])


def scenario_rules(facts: ScenarioFacts, assumable: frozenset[clingo.Symbol] = frozenset()
                   ) -> tuple[ScenarioProgram, dict[int, Marker]]:
    """The scenario as symbols: facts, choices for contested ones, and the markers of what is contested.

    Facts in ``assumable`` are choices instead (the conflict search assumes them one by one).
    """
    program = ScenarioProgram(facts.rules.base.predicates)
    markers: dict[int, Marker] = {}
    for item in facts.items:
        if item.status.value == "denied":
            continue
        atoms = item.symbols
        several = len(atoms) > 1
        if not item.contested and not several and not item.cut:
            if atoms[0] in assumable:
                program.group(atoms)
            else:
                program.facts.append(atoms[0])
            continue
        # at most one of its dates; an established fact on exactly one of them
        program.group(atoms, exactly_one=not item.contested and not item.cut)
        group: list[tuple[str, Sequence[clingo.Symbol], date | None]] = []
        if item.contested or item.cut:
            group.append((item.label(), atoms, None))
        if several:
            group.extend((item.label(d), [a], d) for d, a in zip(item.dates, atoms, strict=True))
        for label, true_if, on in group:
            n = len(markers)
            markers[n] = Marker(label, item, on)
            program.facts.append(_number_fact("te_contested", n))
            for a in true_if:
                program.mark(n, a)
    program.facts.append(_number_fact("te_as_of", facts.as_of.toordinal()))
    program.facts.append(_number_fact("te_immediately_days", facts.immediately_days))
    program.facts += facts.kinds
    return program, markers


def scenario_program(facts: ScenarioFacts) -> tuple[str, dict[int, Marker]]:
    """The scenario as ASP text, for reading and for tools (see :meth:`ScenarioProgram.text`)."""
    program, markers = scenario_rules(facts)
    return program.text(), markers


def _ground(ctl: clingo.Control, messages: ClingoMessages, texts: Mapping[str, str], program: str,
            scenario: ScenarioProgram | None, part: str = "base") -> None:
    """Add the engine's program text and the scenario's symbols, and ground them.

    A failure clingo explains (its messages, located in the rule files) is the rule base's, and
    reported as such; an exhausted memory bound is a MemoryError; any other failure is not the
    user's and propagates, never leaving a half-grounded control to solve.
    """
    try:
        ctl.add(part, [], program + (scenario.rules_text() if scenario is not None else ""))
        if scenario is not None:
            scenario.add_to(ctl)
        ctl.ground([(part, [])])
    except RuntimeError as exc:
        _raise_if_out_of_memory(exc)
        if messages.diagnostics:
            raise TreatyError(messages.diagnostics, dict(texts)) from None
        raise
    if messages.diagnostics:
        raise TreatyError(messages.diagnostics, dict(texts))


def solve_scenario(facts: ScenarioFacts) -> Solution:
    """Ground the rules with the scenario once; return what holds in some and in all readings."""
    program = facts.rules.program
    messages = ClingoMessages(program)
    ctl = clingo.Control(["--models=0"], logger=messages, message_limit=1000)
    scenario, markers = scenario_rules(facts)
    from .limits import stage

    stage(f"grounding {facts.loaded.file}")
    _ground(ctl, messages, facts.rules.texts, program.text + STATUS_PROGRAM, scenario)
    if markers:
        _ground_counters(ctl, messages, facts.rules.texts)
    _switch_on_constraints(ctl, facts)
    stage(f"solving {facts.loaded.file}")
    brave = frozenset(_consequences(ctl, "brave", facts))
    # With nothing contested the facts are fixed and there is one reading: its consequences are
    # both brave and cautious, and a second solve would only repeat the first.
    cautious = frozenset(_consequences(ctl, "cautious", facts)) if markers else brave
    readings = prod(_readings(i) for i in facts.items if i.status.value != "denied")
    return Solution(brave, cautious, markers, readings, ctl, facts)


def _ground_counters(ctl: clingo.Control, messages: ClingoMessages, texts: Mapping[str, str]) -> None:
    """Counter-readings for the conclusions that are not facts once grounded: a conclusion that
    follows from established facts alone holds in every reading and depends on nothing contested.
    (#conclusions x #contested counter atoms cost more than the solve itself as K grew; issue 7.)
    And for the statuses of a conclusion that the grounding leaves more than one possible status:
    what each depends on (a status that is a fact, or the only one possible, needs none)."""
    maybe = ScenarioProgram({})
    # te_concl(Kind,R,B,A,P,D) -> te_maybe(R,B,A,P,D): symbols, as the scenario's facts
    maybe.facts = [clingo.Function("te_maybe", a.symbol.arguments[1:])
                   for a in ctl.symbolic_atoms.by_signature("te_concl", 6) if not a.is_fact]
    # a status that is a fact once grounded is the conclusion's only one (its statuses exclude each other)
    possible: dict[tuple[clingo.Symbol, ...], list[clingo.Symbol]] = {}
    for a in ctl.symbolic_atoms.by_signature("te_status", 6):
        if not a.is_fact:
            args = a.symbol.arguments
            possible.setdefault(tuple(args[:5]), []).append(args[5])
    maybe.facts += [clingo.Function("te_smaybe", [*key, s]) for key, states in possible.items() if len(states) > 1
                    for s in states]
    _ground(ctl, messages, texts, COUNTER_PROGRAM, maybe, part="counters")


def _raise_if_out_of_memory(exc: RuntimeError) -> None:
    """clingo reports an exhausted memory bound as a RuntimeError; other errors reach the logger."""
    if "bad_alloc" in str(exc) or "memory" in str(exc).lower():
        raise MemoryError(str(exc)) from exc


def _switch_on_constraints(ctl: clingo.Control, facts: ScenarioFacts) -> None:
    for cid in facts.rules.base.constraints:
        ctl.assign_external(clingo.Function("te_check", [clingo.Function(cid)]), True)


def _consequences(ctl: clingo.Control, mode: str, facts: ScenarioFacts,
                  assumptions: Sequence[tuple[clingo.Symbol, bool] | int] = ()) -> list[clingo.Symbol]:
    ctl.configuration.solve.enum_mode = mode  # type: ignore[union-attr]
    # Keep each model's symbol array (a cheap copy made by clingo) and turn only the last one into
    # Python symbols: brave and cautious enumeration pass through many models on the way, and
    # converting each cost more than solving once K contested facts multiply them (issue 7).
    last: list[Sequence[clingo.Symbol]] = [()]
    result = ctl.solve(assumptions=list(assumptions), on_model=lambda m: last.__setitem__(0, m.symbols(shown=True)))
    if result.unsatisfiable:
        from .conflict import diagnose

        texts = {**facts.rules.texts, facts.loaded.file: facts.loaded.doc.text}
        raise TreatyError(diagnose(facts), texts)
    assert result.exhausted, "consequence enumeration must run to the end"
    return list(last[0])


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
        scenario.facts.append(_number_fact("te_as_of", facts.as_of.toordinal()))
        scenario.facts.append(_number_fact("te_immediately_days", facts.immediately_days))
        scenario.facts += facts.kinds
        # every fact is free here: any conclusion may hold in some readings only. What its statuses
        # depend on is not grounded here (every status of every conclusion, times every fact, cost
        # more than the what-ifs themselves): for a what-if with a status that differs by reading,
        # two brave solves per contested fact say it (_status_counters)
        _ground(ctl, self.messages, facts.rules.texts, program.text + STATUS_PROGRAM, scenario)
        for n in self.markers:
            ctl.assign_external(clingo.Function("te_contested", [clingo.Number(n)]), None)
        for idx in range(len(facts.items)):
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
        for name, count in (("te_contested", len(self.markers)), ("te_exactly_one", len(facts.items))):
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
        from .facts import _normalise
        from .scenario import Status

        statuses = {}
        by_text = {it.text: it.id for it in self.facts.items}
        for key, status in (assume or {}).items():
            fid = key if any(it.id == key for it in self.facts.items) else by_text.get(_normalise(key))
            if fid is None:
                raise TreatyError([Diagnostic(None, f"no fact or event `{key}` in {self.facts.loaded.file}")])
            statuses[fid] = Status(status)
        items = [replace(it, status=statuses[it.id]) if it.id in statuses else it for it in self.facts.items]
        return self.solve_facts(replace(self.facts, items=items, assumed={**self.facts.assumed, **statuses}))

    def solve_facts(self, facts: ScenarioFacts) -> Solution:
        """The consequences of a scenario whose facts are this sweep's, in statuses of its own."""
        assert facts_signature(facts) == self.signature, "a sweep solves scenarios with its own facts"
        assumptions: list[int | tuple[clingo.Symbol, bool]] = []
        active: dict[int, Marker] = {}
        for idx, item in enumerate(facts.items):
            several = len(item.symbols) > 1
            denied = item.status.value == "denied"
            if denied:
                assumptions += [self._literal(s, False) for s in item.symbols]
            elif not item.contested and not item.cut:
                if several:
                    assumptions.append(self._literal(self._numbered[("te_exactly_one", idx)], True))
                else:
                    assumptions.append(self._literal(item.symbols[0], True))
            occurs = self.occurrence[idx]
            on = not denied and (item.contested or item.cut)
            dated = not denied and several
            for n, is_on in [(occurs, on), *((m, dated) for m in self.per_date.get(idx, []))]:
                assumptions.append(self._literal(self._numbered[("te_contested", n)], is_on))
                if is_on:
                    marker = self.markers[n][0]
                    active[n] = replace(marker, item=item)
        brave = _consequences(self.ctl, "brave", facts, assumptions)
        cautious = _consequences(self.ctl, "cautious", facts, assumptions)
        counters = self._counters(brave, frozenset(cautious), active, assumptions) if active else frozenset()
        readings = prod(_readings(i) for i in facts.items if i.status.value != "denied")
        return Solution(frozenset(brave), frozenset(cautious), active, readings, self.ctl, facts, assumptions,
                        counters)

    def _counters(self, brave: list[clingo.Symbol], cautious: frozenset[clingo.Symbol], active: dict[int, Marker],
                  assumptions: list[int | tuple[clingo.Symbol, bool]]) -> frozenset[str]:
        """The counter-readings of this what-if (what depends_on and status_depends_on are read from):
        for each contested fact, which conclusions that hold in some readings only, and which
        statuses that differ by reading, some reading has with the fact false, and with it true.
        Two brave solves per fact, each asked about those atoms only: a sweep grounds no counter
        atoms (#conclusions x #facts of them made every what-if's solve slower)."""
        wanted: list[tuple[str, clingo.Symbol]] = []
        statuses: dict[str, list[str]] = {}
        for sym, (name, args) in zip(brave, _printed(brave), strict=True):
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
        for n in active:
            fact = self._numbered_true(n)
            for truth in (0, 1):
                present = _brave_among(self.ctl, [*assumptions, (fact, bool(truth))], wanted)
                found.update(f"{k},{n},{truth}" for k in present)
        return frozenset(found)

    def _numbered_true(self, n: int) -> clingo.Symbol:
        return clingo.Function("te_true", [clingo.Number(n)])


def _brave_among(ctl: clingo.Control, assumptions: list, wanted: list[tuple[str, clingo.Symbol]]) -> list[str]:
    """Which of the ``wanted`` atoms (keyed) hold in some reading that meets the assumptions: asked
    of the brave consequences directly, not by printing all of them."""
    ctl.configuration.solve.enum_mode = "brave"  # type: ignore[union-attr]
    last: list[list[str]] = [[]]
    result = ctl.solve(assumptions=assumptions,
                       on_model=lambda m: last.__setitem__(0, [k for k, sym in wanted if m.contains(sym)]))
    return [] if result.unsatisfiable else last[0]


def _printed(symbols: Sequence[clingo.Symbol]) -> list[tuple[str, str]]:
    """(name, the text of the arguments) of each atom, printed by clingo many at a time."""
    from .findings import _decode_in_order

    return _decode_in_order(symbols)


def facts_signature(facts: ScenarioFacts) -> tuple:
    """What a grounding depends on: the facts and events (whatever their statuses), entity kinds,
    the as-of date, the allowance for "immediately" and the rules applied."""
    return (id(facts.rules), facts.as_of, facts.immediately_days, tuple(facts.kinds),
            tuple((it.id, it.text, it.dates, it.cut) for it in facts.items))


class Groundings:
    """One grounding for scenarios that share their facts: a batch of what-ifs grounds once.

    A scenario whose facts and events (whatever their statuses), entities, as-of date and
    settings are those of one solved before is solved on a :class:`Sweep` of them, with its
    statuses as assumptions; the first of its kind is grounded alone, as a single scenario is.
    The answers are the same either way (``tests/test_sweep.py``, ``tests/test_batch.py``).
    """

    def __init__(self, size: int = 4) -> None:
        from .recent import Recent

        self._recent: Recent[ScenarioFacts] = Recent(size, facts_signature)

    def solve(self, facts: ScenarioFacts) -> Solution:
        cheap = (id(facts.rules), facts.as_of, facts.immediately_days, len(facts.items))
        entry = self._recent.find(cheap, facts)
        if entry is None:
            self._recent.add(cheap, facts, None)
            return solve_scenario(facts)
        if entry.value is None:  # the second of its kind: now a grounding shared is worth it
            entry.value = Sweep(facts)
        sweep: Sweep = entry.value
        return sweep.solve_facts(facts)
