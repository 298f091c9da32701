"""Why-not by matching rule bodies in Python (engine/match.py): kept only until engine/why_not.py
asks clingo instead (issue 12); why-trees are read from the solver (engine/explain.py).

Why a conclusion holds, and why another does not: computed on demand, never during ``check``.

clingo has already decided what holds in which reading. For one conclusion, we ask it for a
witness reading (one solve with assumptions on the kept grounding), then walk the rule that
produced the conclusion, condition by condition, down to the scenario's facts, the party
lists and the entities (:mod:`engine.match`). Why-not walks the same conditions in a reading
where the conclusion fails and reports, per candidate rule, what fails and which facts are
missing, choosing the instantiation with the fewest of them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

import clingo

from . import ast, patterns
from .atoms import parse_atom
from .check import RuleBase, variables
from .dates import FOREVER, from_day, to_day
from .errors import Diagnostic, TreatyError, did_you_mean
from .explanations import EXPLANATION_SCHEMA, Candidate, Explanation, Node, NodeKind, RuleRef, WhyNot, rule_ref
from .facts import FactItem, ScenarioFacts
from .findings import Conclusion, Findings, ended_text, from_text, status_text
from .match import Bindings, Reading, compare, matches, member_on, memberships, shape, unify, value
from .solve import Solution
from .terms import Sym, args_of, atom_of, constant, number, to_clingo
from .vocabulary import DEONTIC_KINDS, ENTITY_KINDS, a_kind

MAX_DEPTH = 8
MAX_STEPS = 20_000

# ---- text of atoms ---------------------------------------------------------------


class Speaker:
    """Turns symbols into the rules' own notation, with dates as dates."""

    def __init__(self, rb: RuleBase) -> None:
        self.rb = rb
        self._said: dict[clingo.Symbol, str] = {}

    def date_positions(self, name: str, arity: int) -> set[int]:
        decl = self.rb.predicates.get(name)
        if name == "te_concl":
            return {5}
        if decl is None:
            return set()
        out = {i for i, p in enumerate(decl.params) if p.kind == "date"}
        if decl.event:
            out.add(arity - 1)
        return out

    def arg(self, s: Sym | clingo.Symbol | None, is_date: bool) -> str:
        if s is None:
            return "_"
        if is_date and s.type == clingo.SymbolType.Number and 0 < s.number < FOREVER:
            return from_day(s.number).isoformat()
        return str(s)

    def atom(self, sym: clingo.Symbol) -> str:
        said = self._said.get(sym)  # the same facts recur across explanations: each is worded once
        if said is None:
            said = self._said[sym] = self._atom(sym)
        return said

    def _atom(self, atom: clingo.Symbol) -> str:
        sym = atom_of(atom)
        if sym.name == "te_kind":
            return f"{sym.arguments[1]}({sym.arguments[0]})"
        if sym.name == "te_concl":
            k, _, b, a, p, d = sym.arguments
            return f"{k}({b}, {a}, {p}) on {self.arg(d, True)}"
        decl = self.rb.predicates.get(sym.name)
        args = list(sym.arguments)
        on = None
        if decl is not None and decl.event:
            on = args.pop()
        dates = self.date_positions(sym.name, len(sym.arguments))
        text = f"{sym.name}({', '.join(self.arg(a, i in dates) for i, a in enumerate(args))})" if args else sym.name
        return f"{text} on {self.arg(on, True)}" if on is not None else text

    def literal(self, lit: ast.Literal, b: Bindings, kinds: dict[str, str]) -> str:
        args = [self.arg(value(t, b), _is_date(t, kinds)) for t in lit.atom.args]
        text = f"{lit.atom.name}({', '.join(args)})" if args else lit.atom.name
        if lit.on is not None:
            on = value(lit.on, b)
            text += f" on {self.arg(on, True) if on is not None else 'some date'}"
        return text

    def term(self, t: ast.Term, b: Bindings, kinds: dict[str, str]) -> str:
        v = value(t, b)
        if v is None:
            return t.name if isinstance(t, ast.Var) else "_"
        return self.arg(v, _is_date(t, kinds))


def _is_date(t: ast.Term, kinds: dict[str, str]) -> bool:
    if isinstance(t, ast.DateLit):
        return True
    if isinstance(t, ast.Var):
        return kinds.get(t.name) == "date"
    if isinstance(t, ast.Arith):
        return _is_date(t.left, kinds) or _is_date(t.right, kinds)
    return False


# ---- the explainer -----------------------------------------------------------------------


@dataclass
class _Step:
    """How one condition turned out in a search path (nodes are built for the best path only)."""

    cond: ast.Condition | None  # None: the wording's period
    result: str  # holds, fails, missing, unchecked
    detail: str = ""
    missing: tuple[str, ...] = ()
    bindings: Bindings | None = None
    assumed: frozenset[str] = frozenset()  # variables whose values were assumed after a missing fact


class LegacyWhyNot:
    """Why-not answers for one evaluated scenario, by matching in Python (to be replaced)."""

    def __init__(self, facts: ScenarioFacts, solution: Solution, findings: Findings) -> None:
        self.facts = facts
        self.solution = solution
        self.findings = findings
        self.rb = facts.rules.base
        self.say = Speaker(self.rb)
        self.by_symbol: dict[clingo.Symbol, tuple[FactItem, date | None]] = {}
        for item in facts.items:
            for i, sym in enumerate(item.symbols):
                self.by_symbol[sym] = (item, item.dates[i] if item.dates else None)
        self._readings: dict[tuple, Reading] = {}
        self._party_index: dict[tuple[str, str | None], list[tuple[Sym, int, int]]] | None = None
        self._rule_refs: dict[str, RuleRef] = {}
        self._proved: dict[tuple[int, clingo.Symbol], Node] = {}
        self._facts_shown: dict[clingo.Symbol, Node] = {}
        self._unread: Reading | None = None  # the contested facts' atoms, to find those a reading leaves out

    # -- readings
    def _reading(self, want: clingo.Symbol, holds: bool, prefer_true: set[int]) -> Reading | None:
        prefer = {i: i in prefer_true for i, m in self.solution.markers.items() if m.item.contested}
        key = (want, holds, tuple(sorted(prefer.items())))
        for (_, was_holds, was_prefer), reading in self._readings.items():  # one solve serves many conclusions
            if was_prefer == key[2] and (want in reading) == holds and was_holds == holds:
                return reading
        if key not in self._readings:
            # every choice settled where it can be, so that the reading shown does not depend on how
            # clingo happened to search (a batch's shared grounding finds the same one as a fresh run)
            atoms = self.solution.witness(want, holds, self._wishes(prefer_true))
            if atoms is None:
                return None
            self._readings[key] = Reading(atoms)
        return self._readings[key]

    def _wishes(self, prefer_true: set[int]) -> list[tuple[int, bool]]:
        """A truth value wished for every marker, the contested facts first: contested facts as
        in ``prefer_true``; a fact whose date sources disagree on, on its earliest date (unless a
        date is in ``prefer_true``); a fact partly after the as-of date as having happened. In an
        order of their own (fact, date), not of the marker numbers, which depend on the grounding."""
        markers = self.solution.markers
        by_item: dict[str, list[int]] = defaultdict(list)
        for i, m in markers.items():
            by_item[m.item.id].append(i)
        wish: dict[int, bool] = {}
        for numbers in by_item.values():
            item = markers[numbers[0]].item
            occurs = next((i for i in numbers if markers[i].on is None), None)
            happens = (occurs in prefer_true) if item.contested and occurs is not None else True
            if occurs is not None:
                wish[occurs] = happens
            dated: dict[date, int] = {}
            for i in numbers:
                on = markers[i].on
                if on is not None:
                    dated[on] = i
            if dated:
                chosen = next((d for d, i in sorted(dated.items()) if i in prefer_true), None)
                if chosen is None and happens:
                    chosen = min(dated)
                wish.update({i: d == chosen for d, i in dated.items()})
        order = sorted(wish, key=lambda i: (not markers[i].item.contested, markers[i].item.text,
                                            markers[i].item.dates, markers[i].on or date.min))
        return [(i, wish[i]) for i in order]

    def _taken_as_true(self, reading: Reading) -> list[str]:
        out = set()
        for m in self.solution.markers.values():
            if m.on is None and any(s in reading for s in m.item.symbols):
                out.add(m.label)
            elif m.on is not None and m.item.symbols[m.item.dates.index(m.on)] in reading:
                out.add(m.label)
        return sorted(out)

    def _assumptions(self) -> list[str]:
        out = [f'"immediately" allows {self.facts.immediately_days} days (settings.immediately_days)']
        out += [f"{k} is taken as {v.value} (--assume)" for k, v in sorted(self.facts.assumed.items())]
        return out

    # -- why
    def why(self, conclusion_id: str) -> Explanation:
        try:
            c = self.findings.get(conclusion_id)
        except KeyError:
            ids = [x.id for x in self.findings.conclusions]
            raise TreatyError([Diagnostic(None, f"no conclusion `{conclusion_id}` in {self.facts.loaded.file}",
                                          did_you_mean(conclusion_id, ids) or "see `treaty check` for the ids; "
                                          "use --why-not for conclusions that do not hold")]) from None
        target = self._concl_symbol(c)
        accepted = {d.label for d in c.depends_on if d.accepted}
        prefer = {i for i, m in self.solution.markers.items() if m.label in accepted}
        reading = self._reading(target, True, prefer)
        if reading is None:  # pragma: no cover - findings come from the same grounding
            raise AssertionError(f"no reading in which {conclusion_id} holds")
        tree = self._prove_atom(target, reading, 0)
        if tree is None:  # pragma: no cover - the matcher mirrors the compiler
            raise AssertionError(f"could not reconstruct why {conclusion_id} holds")
        return Explanation(schema_=EXPLANATION_SCHEMA, scenario=self.facts.loaded.file, conclusion=c.id,
                           summary=_summary(c), holds=c.holds, depends_on=c.depends_on,
                           status_depends_on=c.status_depends_on,
                           reading=self._taken_as_true(reading), assumptions=self._assumptions(), tree=tree)

    def _concl_symbol(self, c: Conclusion) -> clingo.Symbol:
        rule = self.rb.rules[c.basis.rule]
        head = rule.head
        assert isinstance(head, ast.DeonticHead)
        party = c.beneficiary or c.recipient
        return clingo.Function("te_concl", [
            clingo.Function(c.kind), clingo.Function(rule.id), clingo.parse_term(c.bearer),
            clingo.parse_term(c.action), clingo.parse_term(party) if party else clingo.Function("none"),
            clingo.Number(to_day(c.triggered_on))])

    def _prove_atom(self, sym: clingo.Symbol, reading: Reading, depth: int) -> Node | None:
        # sub-trees repeat across conclusions (the same attack, the same membership): prove each once
        key = (id(reading), sym)
        if key in self._proved:
            return self._proved[key]
        node = self._prove_atom_uncached(sym, reading, depth)
        if node is not None:
            self._proved[key] = node
        return node

    def _prove_atom_uncached(self, sym: clingo.Symbol, reading: Reading, depth: int) -> Node | None:
        if depth > MAX_DEPTH:
            return None
        term = atom_of(sym)
        if term.name == "te_concl":
            rule = self.rb.rules.get(term.arguments[1].name)
            if rule is None:
                return None
            b = self._head_bindings(rule, sym)
            return self._prove_rule(rule, b, reading, depth, sym) if b is not None else None
        if term.name == "te_kind":
            return self._entity_node(str(term.arguments[0]), term.arguments[1].name)
        decl = self.rb.predicates.get(term.name)
        if decl is not None and decl.derived:
            for rule in self.rb.rules.values():
                if isinstance(rule.head, ast.AtomHead) and rule.head.atom.name == term.name:
                    b = self._head_bindings(rule, sym)
                    node = self._prove_rule(rule, b, reading, depth, sym) if b is not None else None
                    if node is not None:
                        return node
            return None
        return self._fact_node(sym)

    def _head_bindings(self, rule: ast.Rule, sym: clingo.Symbol) -> Bindings | None:
        head = rule.head
        b: Bindings | None = {}
        atom_args = args_of(sym)
        if isinstance(head, ast.DeonticHead):
            _, _, bearer, action, party, trigger = atom_args
            pairs: list[tuple[ast.Term | str, Sym]] = [
                (head.bearer, bearer), (head.action, action), (head.counterparty or "none", party)]
            if rule.trigger is not None:
                pairs.append((rule.trigger, trigger))
        else:
            args = list(head.atom.args) + ([head.on] if head.on is not None else [])
            if len(args) != len(atom_args):
                return None
            pairs = list(zip(args, atom_args, strict=True))
        for t, s in pairs:
            b = unify(t, s, b) if b is not None else None
        return b

    def _solutions(self, rule: ast.Rule, i: int, b: Bindings, reading: Reading,
                   found: tuple[clingo.Symbol | None, ...] = ()
                   ) -> Iterator[tuple[Bindings, tuple[clingo.Symbol | None, ...]]]:
        """Every way the conditions from the i-th on hold in the reading (depth first, sorted),
        with the atom each positive condition matched (None for the others)."""
        conds = rule.conditions
        if i == len(conds):
            if self._in_force(rule, b) is not False:
                yield b, found
            return
        cond = conds[i]
        if isinstance(cond, ast.Comparison):
            left, right = value(cond.left, b), value(cond.right, b)
            if cond.op == "=" and (left is None) != (right is None):
                var, known = (cond.left, right) if left is None else (cond.right, left)
                if isinstance(var, ast.Var) and known is not None:
                    yield from self._solutions(rule, i + 1, {**b, var.name: known}, reading, (*found, None))
                return
            if left is not None and right is not None and compare(cond.op, left, right):
                yield from self._solutions(rule, i + 1, b, reading, (*found, None))
            return
        if cond.atom.name == "party":
            for b2 in self._party(cond, b):
                if not cond.negated:
                    yield from self._solutions(rule, i + 1, b2, reading, (*found, None))
            if cond.negated and not any(True for _ in self._party(cond, b)):
                yield from self._solutions(rule, i + 1, b, reading, (*found, None))
            return
        sh = shape(self.rb, cond)
        assert sh is not None
        if cond.negated:
            if next(matches(reading, sh, b), None) is None:
                yield from self._solutions(rule, i + 1, b, reading, (*found, None))
            return
        for sym, b2 in matches(reading, sh, b):
            yield from self._solutions(rule, i + 1, b2, reading, (*found, sym))

    def _party(self, cond: ast.Literal, b: Bindings) -> Iterator[Bindings]:
        who_t, inst_t = cond.atom.args
        inst = value(inst_t, b)
        day = value(cond.on, b) if cond.on is not None else None
        if inst is None:
            return
        who = value(who_t, b)
        for entity, start, end in self._parties(inst.name, who.name if who is not None else None):
            if day is not None and not (start <= day.number < end):
                continue
            b2 = unify(who_t, entity, b)
            if b2 is not None:
                yield b2

    def _parties(self, instrument: str, entity: str | None) -> list[tuple[Sym, int, int]]:
        """Membership periods of an instrument (of one entity, if given), as day numbers; indexed once."""
        if self._party_index is None:
            index: dict[tuple[str, str | None], list[tuple[Sym, int, int]]] = defaultdict(list)
            for p in self.rb.parties:
                period = (constant(p.entity), to_day(p.joined), to_day(p.left) if p.left else FOREVER)
                index[(p.instrument, None)].append(period)
                index[(p.instrument, p.entity)].append(period)
            self._party_index = index
        return self._party_index.get((instrument, entity), [])

    def _rule_ref(self, rule: ast.Rule) -> RuleRef:
        if rule.id not in self._rule_refs:
            self._rule_refs[rule.id] = rule_ref(self.rb, rule)
        return self._rule_refs[rule.id]

    def _date_term(self, rule: ast.Rule) -> ast.Term | None:
        return rule.trigger if isinstance(rule.head, ast.DeonticHead) else rule.head.on

    def _in_force(self, rule: ast.Rule, b: Bindings) -> bool | None:
        interval = self.rb.rule_in_force[rule.id]
        term = self._date_term(rule)
        if term is None or (interval.start is None and interval.end is None):
            return True
        day = value(term, b)
        if day is None or day.type != clingo.SymbolType.Number:
            return None
        start = to_day(interval.start) if interval.start else -1
        end = to_day(interval.end) if interval.end else FOREVER
        return start <= day.number < end

    def _prove_rule(self, rule: ast.Rule, b: Bindings, reading: Reading, depth: int, sym: clingo.Symbol
                    ) -> Node | None:
        for full, atoms in self._solutions(rule, 0, b, reading):
            children = [self._condition_node(rule, cond, full, reading, depth, atom)
                        for cond, atom in zip(rule.conditions, atoms, strict=True)]
            if any(ch is None for ch in children):
                continue
            period = self._period_node(rule, full)
            kids = [ch for ch in children if ch is not None] + ([period] if period else [])
            kids += self._afterwards(rule, full, reading)
            return self._rule_node(rule, sym, kids)
        return None

    def _displaced_by(self, rule: ast.Rule, b: Bindings, reading: Reading) -> list[str]:
        """The higher rules whose conclusion, in force on this one's date, defeats it (what each is)."""
        head = rule.head
        if not isinstance(head, ast.DeonticHead):
            return []
        key = [value(t, b) if t is not None else constant("none")
               for t in (head.bearer, head.action, head.counterparty)]
        trigger = value(rule.trigger, b) if rule.trigger is not None else None
        out = []
        for prio in self.rb.priorities:
            if prio.lower != rule.id or any(k is None for k in key) or trigger is None:
                continue
            # as the compiled priority says: the higher conclusion is in force on the lower one's date
            ended = {tuple(args[1:5]) for _, args in reading.parts("te_ends", 6)
                     if args[0].name == prio.higher and args[5].number <= trigger.number}
            since = sorted((args[5].number, args[0].name) for _, args in reading.parts("te_concl", 6)
                           if args[1].name == prio.higher and list(args[2:5]) == key
                           and args[5].number <= trigger.number and (*args[2:5], args[5]) not in ended)
            if since:
                out.append(f"{prio.higher} (its {since[0][1]} from {date.fromordinal(since[0][0]).isoformat()} "
                           f"is in force on {date.fromordinal(trigger.number).isoformat()})")
        return out

    def _afterwards(self, rule: ast.Rule, b: Bindings, reading: Reading) -> list[Node]:
        """For a deontic conclusion: the priorities it survived, what discharged or ended it, or that nothing did."""
        head = rule.head
        if not isinstance(head, ast.DeonticHead):
            return []
        kinds = self.rb.rule_var_kinds.get(rule.id, {})
        out = []
        trigger = value(rule.trigger, b) if rule.trigger is not None else None
        on = f" in force on {date.fromordinal(trigger.number).isoformat()}" if trigger is not None else ""
        for prio in self.rb.priorities:
            if prio.lower == rule.id:
                out.append(Node(kind="absent", text=f"not displaced: rule {prio.higher}, which has priority, "
                                                    f"concludes nothing{on} for the same bearer, action and "
                                                    "counterparty"))
        for word, lit in (("discharged by", rule.discharged), ("ended by", rule.until)):
            if lit is None:
                continue
            sh = shape(self.rb, lit)
            trigger = value(rule.trigger, b) if rule.trigger is not None else None
            # the first event on or after the trigger, in the model's order
            hit = next((s for s, _ in matches(reading, sh, b)
                        if trigger is None or reading.args(s)[-1].number >= trigger.number), None) if sh else None
            if hit is not None:
                found = self._fact_node(hit)
                out.append(found.model_copy(update={"text": f"{word}: {found.text}"}))
            else:
                what = "it lasts until then" if word == "ended by" else "it is not discharged"
                after = trigger.number if trigger is not None else None
                recorded = self._not_in_reading(lit, b, reading, after, f": {what}") if sh else None
                out.append(recorded or Node(kind="absent", text=f"no {self.say.literal(lit, b, kinds)} recorded "
                                                                f"(as of {self.facts.as_of.isoformat()}): {what}"))
        return out

    def _rule_node(self, rule: ast.Rule, sym: clingo.Symbol, children: list[Node], holds: bool = True) -> Node:
        head = rule.head
        if isinstance(head, ast.DeonticHead):
            _, _, bearer, action, party, trigger = args_of(sym)
            verb = {"obligation": "must", "permission": "may", "prohibition": "must not",
                    "notification": "must notify"}[head.kind]
            to = "" if party.name == "none" else f" {head.counterparty_word or 'to'} {party}"
            text = f"{head.kind}: {bearer} {verb} {action}{to} (from {self.say.arg(trigger, True)})"
            kind: NodeKind = "conclusion"
        else:
            text = self.say.atom(sym)
            kind = "derived"
        return Node(kind=kind, text=text, holds=holds, atom=self.say.atom(sym), rule=self._rule_ref(rule),
                    children=children)

    def _condition_node(self, rule: ast.Rule, cond: ast.Condition, b: Bindings, reading: Reading, depth: int,
                        atom: clingo.Symbol | None) -> Node | None:
        """The node of one condition under full bindings; ``atom``: what a positive condition
        matched in :meth:`_solutions` (None for the others)."""
        kinds = self.rb.rule_var_kinds.get(rule.id, {})
        if isinstance(cond, ast.Comparison):
            text = f"{self.say.term(cond.left, b, kinds)} {cond.op} {self.say.term(cond.right, b, kinds)}"
            return Node(kind="comparison", text=text)
        if cond.atom.name == "party":
            return self._membership_node(cond, b)
        if cond.negated:
            return self._not_in_reading(cond, b, reading) or Node(
                kind="absent", text=f"no {self.say.literal(cond, b, kinds)} recorded"
                                    f" (as of {self.facts.as_of.isoformat()})")
        assert atom is not None, "a positive condition is matched by the search"
        return self._prove_atom(atom, reading, depth + 1)

    def _not_in_reading(self, lit: ast.Literal, b: Bindings, reading: Reading, after: int | None = None,
                        then: str = "") -> Node | None:
        """A scenario fact that fits the literal but is not in the reading shown (a contested fact
        rejected there, or another of an event's dates): recorded, not absent; None if there is none."""
        sh = shape(self.rb, lit)
        if sh is None:
            return None
        if self._unread is None:
            self._unread = Reading([sym for item in self.facts.items if item.contested or len(item.symbols) > 1
                                    for sym in item.symbols])
        for sym, _ in matches(self._unread, sh, b):
            if sym in reading or after is not None and self._unread.args(sym)[-1].number < after:
                continue
            item, _on = self.by_symbol[sym]
            src = self.facts.loaded.scenario.sources.get(item.source)
            how = "rejected in the reading shown" if item.contested else "not the date of the reading shown"
            source = f", source {item.source}" + (f" ({src.cite})" if src else "")
            return Node(kind="absent", text=f"not {self.say.atom(sym)} — {item.status.value}, {how}{source}{then}",
                        atom=self.say.atom(sym), contested=True)
        return None

    def _membership_node(self, cond: ast.Literal, b: Bindings, holds: bool = True) -> Node:
        who, inst = (value(t, b) for t in cond.atom.args)
        day = value(cond.on, b) if cond.on is not None else None
        when = f" on {from_day(day.number).isoformat()}" if day is not None else ""
        name, instrument = str(who), str(inst)
        periods = memberships(self.rb, name, instrument)
        span = "; ".join(f"joined {m.joined.isoformat()}" + (f", left {m.left.isoformat()}" if m.left else "")
                         for m in periods) or "never a party"
        m = member_on(self.rb, name, instrument, day.number) if day is not None else (periods[0] if periods else None)
        negated = cond.negated
        if negated:
            text = f"{name} is not a party to {instrument}{when} ({span})"
        else:
            text = f"{name} is {'' if holds else 'not '}a party to {instrument}{when} ({span})"
        source = m.source if m else None
        cite = self.rb.sources[source].citation if source in self.rb.sources else None
        return Node(kind="membership", text=text, holds=holds, atom=f"party({name}, {instrument}){when}",
                    source=source, source_cite=cite)

    def _period_node(self, rule: ast.Rule, b: Bindings, holds: bool = True) -> Node | None:
        interval = self.rb.rule_in_force[rule.id]
        term = self._date_term(rule)
        if term is None or (rule.version is None and interval.end is None and rule.validity is None):
            return None
        day = value(term, b)
        when = from_day(day.number).isoformat() if day is not None else "that date"
        wording = f'the "{rule.version}" wording' if rule.version else "this rule"
        period = f"from {interval.start.isoformat()}" if interval.start else ""
        if interval.end:
            period += f" until {interval.end.isoformat()}"
        verb = "is" if holds else "is not"
        return Node(kind="in_force", holds=holds,
                    text=f"{wording} of {rule.instrument} article {rule.article} {verb} in force on {when} "
                         f"({period.strip()})")

    def _entity_node(self, name: str, kind: str) -> Node:
        ent = self.facts.loaded.scenario.entities.get(name)
        if ent is not None:
            return Node(kind="entity", text=f"{name} is {a_kind(kind)} ({ent.name}; scenario entities)",
                        atom=f"{kind}({name})", note=ent.note)
        return Node(kind="entity", text=f"{name} is {a_kind(kind)} (a party to a treaty of the rule base)",
                    atom=f"{kind}({name})")

    def _fact_node(self, sym: clingo.Symbol) -> Node:
        node = self._facts_shown.get(sym)
        if node is None:
            node = self._facts_shown[sym] = self._fact_node_uncached(sym)
        return node

    def _fact_node_uncached(self, sym: clingo.Symbol) -> Node:
        found = self.by_symbol.get(sym)
        if found is None:
            return Node(kind="fact", text=self.say.atom(sym), atom=self.say.atom(sym))
        item, on = found
        src = self.facts.loaded.scenario.sources.get(item.source)
        status = item.status.value
        contested = item.contested or len(item.dates) > 1
        note = " (one of the dates sources give)" if len(item.dates) > 1 else ""
        return Node(kind="fact", text=f"{self.say.atom(sym)}{note}", atom=self.say.atom(sym), status=status,
                    contested=contested, source=item.source, source_cite=src.cite if src else None, note=item.note)

    # -- why not
    def why_not(self, pattern: str) -> WhyNot:
        target, rules, b0s = self._pattern(pattern)
        holds = self._holds(target)
        concrete = next((s for s in sorted(self.solution.brave) if s.name == "te_concl" and _fits(target, s)), None)
        everything = set(self.solution.markers)
        if concrete is not None:
            reading = self._reading(concrete, False, everything)
        else:
            reading = self._reading(clingo.Function("te_as_of", [clingo.Number(to_day(self.facts.as_of))]),
                                    True, everything)
        if reading is None:  # holds in every reading: show the shape of the rule in one where it holds
            reading = self._reading(concrete, True, everything) if concrete is not None else None
        assert reading is not None
        cands = []
        left_out = []
        for rule, b0 in zip(rules, b0s, strict=True):
            never = self._never_party(rule, b0)
            if never is not None:
                left_out.append(f"{rule.id} ({rule.instrument} article {rule.article}): {never}")
                continue
            best = self._relaxed(rule, b0, reading, 0)
            if best is not None:
                cands.append(self._candidate(rule, best, reading, b0))
        cands.sort(key=lambda c: (len(c.failing), len(c.missing), c.rule.id))
        return WhyNot(schema_=EXPLANATION_SCHEMA, scenario=self.facts.loaded.file, pattern=pattern, holds=holds,
                      reading=self._taken_as_true(reading), candidates=cands, left_out=sorted(left_out))

    def _never_party(self, rule: ast.Rule, b0: Bindings) -> str | None:
        """Why a rule can never apply to the pattern's bearer, or None: a condition ``party(X, inst)``
        on an entity the pattern names that was never a party to ``inst`` (no period of any date)."""
        for cond in rule.conditions:
            if not isinstance(cond, ast.Literal) or cond.negated or cond.atom.name != "party":
                continue
            who, inst = cond.atom.args
            entity = value(who, b0)
            if entity is None or not isinstance(inst, ast.Const) or entity.type != clingo.SymbolType.Function:
                continue
            if not any(p.entity == entity.name and p.instrument == inst.name for p in self.rb.parties):
                return f"{entity.name} was never a party to {inst.name}"
        return None

    def _pattern(self, pattern: str) -> tuple[clingo.Symbol | None, list[ast.Rule], list[Bindings]]:
        """Rules that could conclude the pattern, each with the bindings the pattern fixes."""
        if "/" in pattern:  # a conclusion id: rule/bearer/action/counterparty/date
            parts = pattern.split("/")
            rule = self.rb.rules.get(parts[0])
            if len(parts) != 5 or rule is None or not isinstance(rule.head, ast.DeonticHead):
                raise TreatyError([Diagnostic(None, f"`{pattern}` is not a conclusion id "
                                                    "(rule/bearer/action/counterparty/YYYY-MM-DD)",
                                              did_you_mean(parts[0], self.rb.rules) if parts else None)])
            try:
                sym = clingo.Function("te_concl", [clingo.Function(rule.head.kind), clingo.Function(rule.id),
                                                   clingo.parse_term(parts[1]), clingo.parse_term(parts[2]),
                                                   clingo.parse_term(parts[3]),
                                                   clingo.Number(to_day(date.fromisoformat(parts[4])))])
            except (RuntimeError, ValueError):
                raise TreatyError([Diagnostic(None, f"`{pattern}` is not a conclusion id "
                                                    "(rule/bearer/action/counterparty/YYYY-MM-DD)")]) from None
            b = self._head_bindings(rule, sym)
            return sym, ([rule] if b is not None else []), ([b] if b is not None else [])
        try:
            atom = parse_atom(pattern, patterns.SOURCE)
        except TreatyError as err:  # located in the pattern, shown with a caret under it
            raise TreatyError(err.diagnostics, {patterns.SOURCE: pattern}) from None
        if atom.name in DEONTIC_KINDS:
            entities = set(self.facts.loaded.scenario.entities) | {p.entity for p in self.rb.parties}
            args = patterns.deontic_arguments(atom, pattern, self.rb, entities)
            rules, bindings = [], []
            for rule in self.rb.rules.values():
                head = rule.head
                if not isinstance(head, ast.DeonticHead) or head.kind != atom.name:
                    continue
                b = self._unify_pattern([head.bearer, head.action, head.counterparty], args)
                if b is not None:
                    rules.append(rule)
                    bindings.append(b)
            target_args = [_ground(t) for t in args]
            target = clingo.Function("te_concl", [clingo.Function(atom.name), clingo.Function("_any"), *target_args,
                                                  clingo.Function("_any")])
            return target, rules, bindings
        decl = self.rb.predicates.get(atom.name)
        if decl is None or not decl.derived:
            names = [*DEONTIC_KINDS, *(n for n, d in self.rb.predicates.items() if d.derived)]
            raise TreatyError([Diagnostic(None, f"--why-not takes a conclusion id, or a pattern such as "
                                                f"`obligation(bearer, action, counterparty)`; `{atom.name}` is "
                                                "neither a deontic kind nor a derived predicate",
                                          did_you_mean(atom.name, names))])
        return self._derived_pattern(atom)

    def _derived_pattern(self, atom: ast.Atom, on: ast.Term | None = None
                         ) -> tuple[clingo.Symbol | None, list[ast.Rule], list[Bindings]]:
        rules, bindings = [], []
        for rule in self.rb.rules.values():
            head = rule.head
            if isinstance(head, ast.AtomHead) and head.atom.name == atom.name and len(head.atom.args) == len(atom.args):
                heads = list(head.atom.args) + ([head.on] if head.on is not None and on is not None else [])
                given = list(atom.args) + ([on] if head.on is not None and on is not None else [])
                b = self._unify_pattern(heads, given)
                if b is not None:
                    rules.append(rule)
                    bindings.append(b)
        return None, rules, bindings

    def _unify_pattern(self, heads: Sequence[ast.Term | None], given: Sequence[ast.Term]) -> Bindings | None:
        b: Bindings | None = {}
        for h, g in zip(heads, given, strict=False):
            sym = value(g, {}) if not isinstance(g, ast.Anon | ast.Var) else None
            if sym is None:  # `_`, a variable, or a term with one inside (`assist(_)`): its shape must fit
                if isinstance(g, ast.Compound) and isinstance(h, ast.Const | ast.Compound) and (
                        h.name != g.name or len(getattr(h, "args", ())) != len(g.args)):
                    return None
                continue
            b = unify(h if h is not None else "none", sym, b) if b is not None else None
        return b

    def _holds(self, target: clingo.Symbol | None) -> Literal["all", "some", "none"]:
        if target is None:
            return "none"
        if any(_fits(target, s) for s in self.solution.cautious if s.name == "te_concl"):
            return "all"
        if any(_fits(target, s) for s in self.solution.brave if s.name == "te_concl"):
            return "some"
        return "none"

    def _relaxed(self, rule: ast.Rule, b0: Bindings, reading: Reading, depth: int) -> list[_Step] | None:
        """The path through the conditions with the fewest failures, then missing facts."""
        best: list[_Step] | None = None
        best_score: tuple[int, int, int] | None = None
        steps_left = [MAX_STEPS]
        kinds = self.rb.rule_var_kinds.get(rule.id, {})

        def score(path: list[_Step]) -> tuple[int, int, int]:
            return (sum(s.result == "fails" for s in path), sum(len(s.missing) or (s.result == "missing")
                                                                for s in path),
                    sum(s.result == "unchecked" for s in path))

        def walk(i: int, b: Bindings, path: list[_Step], assumed: frozenset[str] = frozenset()) -> None:
            """``assumed``: variables bound by a guess after a missing fact (dates) or left open (others)."""
            nonlocal best, best_score
            steps_left[0] -= 1
            if steps_left[0] < 0:
                return
            if best_score is not None and score(path) > best_score:
                return

            def step(cond: ast.Condition | None, result: str, bb: Bindings, detail: str = "",
                     missing: tuple[str, ...] = ()) -> _Step:
                return _Step(cond, result, detail, missing, bb, assumed)

            if i == len(rule.conditions):
                ok = self._in_force(rule, b)
                final = path + [step(None, "holds" if ok else ("unchecked" if ok is None else "fails"), b)]
                for higher in self._displaced_by(rule, b, reading):
                    final.append(step(None, "fails", b, detail=f"displaced by rule {higher}, which has priority"))
                if best_score is None or score(final) < best_score:
                    best, best_score = final, score(final)
                return
            cond = rule.conditions[i]
            names = {v for t in _cond_terms(cond) for v in _vars(t)}
            open_vars = {v for v in names & assumed if v not in b}
            if isinstance(cond, ast.Comparison):
                left, right = value(cond.left, b), value(cond.right, b)
                if cond.op == "=" and (left is None) != (right is None):
                    var, known = (cond.left, right) if left is None else (cond.right, left)
                    if isinstance(var, ast.Var) and known is not None:
                        walk(i + 1, {**b, var.name: known}, path + [step(cond, "holds", b)],
                             assumed | ({var.name} if names & assumed else set()))
                        return
                if left is None or right is None or names & assumed:  # a guessed value proves nothing
                    walk(i + 1, b, path + [step(cond, "unchecked", b)], assumed)
                else:
                    walk(i + 1, b, path + [step(cond, "holds" if compare(cond.op, left, right) else "fails", b)],
                         assumed)
                return
            if cond.atom.name == "party" or cond.atom.name in ENTITY_KINDS:
                # built-ins range over every party or entity: never let them pick a value for an open variable
                if open_vars or (cond.atom.name == "party" and (
                        cond.on is not None and value(cond.on, b) is None or value(cond.atom.args[1], b) is None)):
                    walk(i + 1, b, path + [step(cond, "unchecked", b)], assumed)
                    return
            if cond.atom.name == "party":
                options = list(self._party(cond, b))
                if cond.negated:
                    walk(i + 1, b, path + [step(cond, "fails" if options else "holds", b)], assumed)
                elif options:
                    for b2 in options[:50]:
                        walk(i + 1, b2, path + [step(cond, "holds", b2)], assumed)
                else:
                    walk(i + 1, b, path + [step(cond, "fails", b)], assumed)
                return
            sh = shape(self.rb, cond)
            assert sh is not None
            if cond.negated:
                if [v for t in cond.atom.args for v in _vars(t) if v not in b]:
                    walk(i + 1, b, path + [step(cond, "unchecked", b)], assumed)
                    return
                hit = next(matches(reading, sh, b), None)
                detail = f"{self.say.atom(hit[0])} is recorded" if hit else ""
                walk(i + 1, b, path + [step(cond, "fails" if hit else "holds", b, detail)], assumed)
                return
            found = list(matches(reading, sh, b))
            if found:
                for _, b2 in found[:50]:  # values that facts bind are known, no longer assumed
                    walk(i + 1, b2, path + [step(cond, "holds", b2)], assumed - {v for v in b2 if v not in b})
                return
            missing, why = self._missing(cond, b, reading, depth, kinds)
            result = "missing" if missing is not None else "fails"
            now_open = frozenset(v for t in (*cond.atom.args, *([cond.on] if cond.on else [])) for v in _vars(t)
                                 if v not in b)
            for b2 in self._hypotheses(cond, b, reading):
                walk(i + 1, b2, path + [step(cond, result, b, why, missing=tuple(missing or ()))], assumed | now_open)

        walk(0, b0, [])
        return best

    def _missing(self, cond: ast.Literal, b: Bindings, reading: Reading, depth: int, kinds: dict[str, str]
                 ) -> tuple[list[str] | None, str]:
        """Facts whose statement would satisfy the literal (None if no scenario fact can), and why not."""
        name = cond.atom.name
        if name in ENTITY_KINDS:
            return None, ""
        if name in DEONTIC_KINDS:
            return None, "a conclusion of other rules: ask why not for it"
        if name in self.rb.predicates and self.rb.predicates[name].derived:
            if depth >= 3:
                return None, ""
            atom = ast.Atom(name, tuple(_as_term(value(t, b), t) for t in cond.atom.args), cond.atom.span,
                            cond.atom.name_span)
            on = _as_term(value(cond.on, b), cond.on) if cond.on is not None else None
            _, rules, b0s = self._derived_pattern(atom, on)
            best: list[str] | None = None
            reasons: list[str] = []
            for rule, b0 in zip(rules, b0s, strict=True):
                path = self._relaxed(rule, b0, reading, depth + 1)
                if path is None:
                    continue
                failing = [self._step_text(rule, s) for s in path if s.result == "fails"]
                if failing:
                    reasons.append(f"rule {rule.id}: " + "; ".join(failing))
                    continue
                missing = sorted({m for s in path for m in s.missing})
                if best is None or len(missing) < len(best):
                    best = missing
            return best, "; ".join(reasons) if best is None else ""
        return [self.say.literal(cond, b, kinds)], ""

    def _step_text(self, rule: ast.Rule, step: _Step) -> str:
        kinds = self.rb.rule_var_kinds.get(rule.id, {})
        b = step.bindings or {}
        if step.cond is None:
            return step.detail or "its wording is not in force then"
        if isinstance(step.cond, ast.Comparison):
            left, right = self.say.term(step.cond.left, b, kinds), self.say.term(step.cond.right, b, kinds)
            return f"{left} {step.cond.op} {right}"
        prefix = "not " if step.cond.negated else ""
        detail = f" ({step.detail})" if step.detail else ""
        return f"{prefix}{self.say.literal(step.cond, b, kinds)}{detail}"

    def _hypotheses(self, cond: ast.Literal, b: Bindings, reading: Reading) -> Iterator[Bindings]:
        """Bindings to go on with after a missing fact: its date guessed from like facts, dates already
        known in the rule, or the as-of date, so that later conditions (membership, the wording in force)
        can still be judged."""
        date_var = cond.on.name if isinstance(cond.on, ast.Var) and cond.on.name not in b else None
        if date_var is None:
            yield b
            return
        days: list[Sym] = []
        sh = shape(self.rb, cond)
        if sh is not None:
            days = sorted({args[-1] for _, args in reading.parts(sh.name, len(sh.args))})[:3]
        if not days:
            days = sorted({v for v in b.values() if v.type == clingo.SymbolType.Number and v.number > 600_000})[:1]
        days.append(number(to_day(self.facts.as_of)))
        for d in dict.fromkeys(days):
            yield {**b, date_var: d}

    def _candidate(self, rule: ast.Rule, path: list[_Step], reading: Reading, b0: Bindings) -> Candidate:
        kinds = self.rb.rule_var_kinds.get(rule.id, {})
        final = path[-1].bindings or {} if path else {}
        guessed = path[-1].assumed if path else frozenset()
        known = {k: v for k, v in final.items() if k not in guessed}  # what the facts, not guesses, bound
        nodes: list[Node] = []
        missing: set[str] = set()
        failing: list[str] = []
        for step in path:
            b = step.bindings or {}
            cond = step.cond
            ok = step.result == "holds"
            node: Node
            if cond is None and step.detail:
                node = Node(kind="fails", holds=False, text=step.detail)
            elif cond is None:
                period = self._period_node(rule, b, holds=ok)
                if period is None:
                    continue
                node = period.model_copy(update={"kind": "unchecked"}) if step.result == "unchecked" else period
            elif isinstance(cond, ast.Comparison):
                if step.result == "unchecked":
                    shown = {k: v for k, v in b.items() if k not in step.assumed}
                    left, right = self.say.term(cond.left, shown, kinds), self.say.term(cond.right, shown, kinds)
                    node = Node(kind="unchecked", text=f"not checked: {left} {cond.op} {right}", holds=False)
                else:
                    text = f"{self.say.term(cond.left, b, kinds)} {cond.op} {self.say.term(cond.right, b, kinds)}"
                    node = Node(kind="comparison", text=text, holds=ok)
            elif cond.atom.name == "party" and step.result != "unchecked":
                node = self._membership_node(cond, b, holds=ok)
                if isinstance(cond.on, ast.Var) and cond.on.name in step.assumed:
                    node = node.model_copy(update={"text": node.text + " [the date is assumed from like facts]"})
            else:
                lit = self.say.literal(cond, b, kinds)
                prefix = "not " if cond.negated else ""
                if step.result == "missing":
                    lit = self.say.literal(cond, known, kinds)
                    node = Node(kind="missing", holds=False, text=f"missing: {prefix}{lit}",
                                children=[Node(kind="missing", holds=False, text=m) for m in step.missing
                                          if m != self.say.literal(cond, b, kinds)])
                elif step.result == "fails":
                    detail = f" ({step.detail})" if step.detail else ""
                    node = Node(kind="fails", holds=False, text=f"fails: {prefix}{lit}{detail}")
                elif step.result == "unchecked":
                    shown = {k: v for k, v in b.items() if k not in step.assumed}
                    node = Node(kind="unchecked", holds=False,
                                text=f"not checked: {prefix}{self.say.literal(cond, shown, kinds)}")
                else:
                    node = Node(kind="fact" if not cond.negated else "absent",
                                text=lit if not cond.negated else f"no {lit} recorded")
            nodes.append(node)
            if step.result == "missing" and isinstance(cond, ast.Literal) and list(step.missing) == [
                    self.say.literal(cond, b, kinds)]:  # an input fact: say it with everything the facts bound
                missing.add(self.say.literal(cond, known, kinds))
            else:
                missing.update(step.missing)
            if step.result == "fails":
                failing.append(node.text.removeprefix("fails: "))
        return Candidate(rule=self._rule_ref(rule), conditions=nodes, missing=sorted(missing), failing=failing)


def _fits(pattern: clingo.Symbol | None, sym: clingo.Symbol) -> bool:
    if pattern is None:
        return False
    if pattern.type == clingo.SymbolType.Function and pattern.name == "_any":
        return True
    if pattern.type != sym.type:
        return False
    if pattern.type != clingo.SymbolType.Function:
        return pattern == sym
    return pattern.name == sym.name and len(pattern.arguments) == len(sym.arguments) and \
        all(_fits(p, s) for p, s in zip(pattern.arguments, sym.arguments, strict=True))


def _ground(t: ast.Term) -> clingo.Symbol:
    """A pattern's term as a symbol, ``_any`` wherever anything fits (also inside: ``assist(_any)``)."""
    if isinstance(t, ast.Anon | ast.Var):
        return clingo.Function("_any")
    v = value(t, {})
    if v is not None:
        return to_clingo(v)
    if isinstance(t, ast.Compound):
        return clingo.Function(t.name, [_ground(a) for a in t.args])
    return clingo.Function("_any")


def _as_term(v: Sym | None, original: ast.Term) -> ast.Term:
    if v is None:
        return ast.Anon(original.span)
    if v.type == clingo.SymbolType.Number:
        return ast.Number(v.number, original.span)
    if v.type == clingo.SymbolType.String:
        return ast.Str(v.string, original.span)
    if not v.arguments:
        return ast.Const(v.name, original.span)
    return ast.Compound(v.name, tuple(_as_term(a, original) for a in v.arguments), original.span)


def _cond_terms(cond: ast.Condition) -> list[ast.Term]:
    if isinstance(cond, ast.Comparison):
        return [cond.left, cond.right]
    return [*cond.atom.args, *([cond.on] if cond.on is not None else [])]


def _vars(t: ast.Term) -> Iterator[str]:
    return (v.name for v in variables(t))


def _summary(c: Conclusion) -> str:
    verb = {"obligation": "must", "permission": "may", "prohibition": "must not",
            "notification": "must notify"}[c.kind]
    towards = c.beneficiary or c.recipient
    text = f"{c.bearer} {verb} {c.action}" + (f" ({towards})" if towards else "")
    text += f", {from_text(c)}"
    if c.due is not None:
        text += f", due {c.due.date.isoformat()}" + (" (immediately)" if c.due.kind == "immediately" else "")
    text += f"; status {status_text(c)}"
    if c.discharged_on:
        text += f" ({', '.join(d.isoformat() for d in c.discharged_on)})"
    if c.until is not None:
        text += f"; lasts until {c.until.event}" + (f" ({ended_text(c)})" if c.until.ended_on else "")
    return text
