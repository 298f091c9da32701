"""Scenario facts -> the program clingo grounds: the engine's rules for statuses and counter-readings,
and the scenario as symbols, with a choice for each contested fact and a marker for what is contested.

What :mod:`engine.reasoning.solve` grounds, and what the conflict search
(:mod:`engine.reasoning.conflict`) grounds again.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import clingo

from ..cases.facts import FactItem, ScenarioFacts

#: Deadlines and statuses against the as-of date, and the counter-readings that give depends_on.
STATUS_PROGRAM = """
% ---- engine: deadlines, statuses and dependencies (te_as_of/1, te_immediately_days/1 from the engine)
te_deadline(R,B,A,P,D,D+N) :- te_due(R,B,A,P,D,immediately), te_immediately_days(N).
te_deadline(R,B,A,P,D,X) :- te_due(R,B,A,P,D,day(X)).
te_ends(R,B,A,P,D,U) :- te_until(R,B,A,P,D,_), U = #min{ X : te_until(R,B,A,P,D,X) }.
% a discharge counts only before the conclusion ended (the day of its end is the first day it no longer holds)
te_in_time(R,B,A,P,D,X) :- te_discharged(R,B,A,P,D,X), not te_ended_by(R,B,A,P,D,X).
te_ended_by(R,B,A,P,D,X) :- te_discharged(R,B,A,P,D,X), te_ends(R,B,A,P,D,U), U <= X.
te_done(R,B,A,P,D,E) :- te_in_time(R,B,A,P,D,_), E = #min{ X : te_in_time(R,B,A,P,D,X) }.
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
    """What a conclusion may depend on: a contested fact (an allegation, or one of an event's dates),
    or a position of an open interpretation (``reading``: the interpretation and the position;
    ``item`` is then None)."""

    label: str
    item: FactItem | None
    on: date | None
    reading: tuple[str, str] | None = None


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

    def tie(self, n: int, m: int) -> None:
        """Markers ``n`` and ``m`` are true together or not at all (facts that stand or fall together)."""
        self.facts.append(clingo.Function("te_tied", [clingo.Number(n), clingo.Number(m)]))

    def mark(self, n: int, atom: clingo.Symbol) -> None:
        self._bridge(atom)
        self.facts.append(clingo.Function("te_mark", [clingo.Number(n), atom]))

    def _bridge(self, atom: clingo.Symbol) -> None:
        name = atom.name
        if (name not in self.vocabulary and name != "te_position") or not _IDENTIFIER.match(name):  # checked already
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
        lines.append(":- te_tied(N,M), te_true(N), not te_true(M). :- te_tied(N,M), te_true(M), not te_true(N).")
        lines.append("#defined te_choice/3. #defined te_mark/2. #defined te_exactly_one/1. #defined te_dated/1. "
                     "#defined te_free/2. #defined te_tied/2. #defined te_true/1.")
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


def _position(interpretation: str, position: str) -> clingo.Symbol:
    """``te_position(I, P)``: the reading takes position P of interpretation I (names from the rule files)."""
    return clingo.Function("te_position", [clingo.Function(interpretation), clingo.Function(position)])


def _number_fact(name: str, n: int) -> clingo.Symbol:
    return clingo.Function(name, [clingo.Number(n)])


def scenario_rules(facts: ScenarioFacts, assumable: frozenset[clingo.Symbol] = frozenset()
                   ) -> tuple[ScenarioProgram, dict[int, Marker]]:
    """The scenario as symbols: facts, choices for contested ones, and the markers of what is contested.

    Facts in ``assumable`` are choices instead (the conflict search assumes them one by one).
    """
    program = ScenarioProgram(facts.rules.base.predicates)
    markers: dict[int, Marker] = {}
    whole: dict[str, int] = {}  # an item's id -> the marker true when the item holds (contested items)
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
        if (item.contested or item.cut) and item.together_with is not None:
            # it holds exactly when the fact it stands or falls with does: a marker of its own for the tie
            # (negative: no reading is said to depend on it apart from that fact)
            whole[item.id] = -1 - len(whole)
            for a in atoms:
                program.mark(whole[item.id], a)
        elif item.contested or item.cut:
            whole[item.id] = len(markers)  # the marker of the item itself (`group` numbers from here)
            group.append((item.label(), atoms, None))
        if several:
            group.extend((item.label(d), [a], d) for d, a in zip(item.dates, atoms, strict=True))
        for label, true_if, on in group:
            n = len(markers)
            markers[n] = Marker(label, item, on)
            program.facts.append(_number_fact("te_contested", n))
            for a in true_if:
                program.mark(n, a)
    for item in facts.items:  # facts that stand or fall together: both hold in a reading, or neither
        if item.together_with in whole and item.id in whole:
            program.tie(whole[item.id], whole[item.together_with])
    for name, position in sorted(facts.positions.items()):  # the reading of each contested question of law
        interp = facts.rules.base.interpretations[name]
        if position is not None:
            program.facts.append(_position(name, position))
            continue
        program.group([_position(name, p.id) for p in interp.positions], exactly_one=True)
        for p in interp.positions:
            n = len(markers)
            markers[n] = Marker(f"{name}={p.id}", None, None, (name, p.id))
            program.facts.append(_number_fact("te_contested", n))
            program.mark(n, _position(name, p.id))
    program.facts.append(_number_fact("te_as_of", facts.as_of.toordinal()))
    program.facts.append(_number_fact("te_immediately_days", facts.immediately_days))
    program.facts += facts.kinds
    return program, markers


def scenario_program(facts: ScenarioFacts) -> tuple[str, dict[int, Marker]]:
    """The scenario as ASP text, for reading and for tools (see :meth:`ScenarioProgram.text`)."""
    program, markers = scenario_rules(facts)
    return program.text(), markers
