"""Why a conclusion holds, and why another does not: computed on demand, never during ``check``.

clingo has already decided what holds in which reading. For one conclusion we ask it for a
reading in which it holds, chosen by the contested facts it depends on (one solve with
assumptions on the kept grounding), with the support program shown (:mod:`engine.reasoning.derivation`):
each node of the why-tree is then an atom of that reading and each rule node the ground rule
instance that fired there, its conditions read term by term from the instance clingo ground —
no rule body is matched in Python. What did not happen (no discharge, no end, a negated
condition) is read the same way, from the instance that supports its absence. Why-not is
:mod:`engine.reasoning.why_not`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

import clingo

from ..cases.facts import FactItem, ScenarioFacts
from ..dates import from_day, to_day
from ..errors import Diagnostic, TreatyError, did_you_mean
from ..language import ast
from ..language.support import rules_behind
from .derivation import Reading, _collector_paused
from .deriver import Deriver
from .encoding import Marker, _position
from .explanations import (
    EXPLANATION_SCHEMA,
    Candidate,
    Explanation,
    Node,
    NodeKind,
    Quote,
    RuleRef,
    Speaker,
    Term,
    WhyNot,
    rule_ref,
)
from .findings import Conclusion, Findings
from .findings_text import VERB, conclusion_summary
from .ids import normal_id
from .solve import Solution
from .why_nodes import LeafNodes, _fits, _node

Assumption = tuple[clingo.Symbol, bool]


class Explainer(LeafNodes):
    """Explanations for one evaluated scenario (``analyse(...).explainer()``)."""

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
        #: the facts a reading may leave out (contested ones, and events on dates sources disagree on), by predicate
        self._unsure: dict[str, list[tuple[clingo.Symbol, Term, FactItem]]] = defaultdict(list)
        for item in facts.items:
            if item.contested or len(item.symbols) > 1:
                for sym in item.symbols:
                    term = Term(str(sym))
                    self._unsure[term.name or ""].append((sym, term, item))
        watch = [s for m in solution.markers.values() for s in _symbols(m)]  # (see taken_as_true, _absent)
        watch += [sym for found in self._unsure.values() for sym, _, _ in found]
        self.deriver = Deriver.of(solution, links=True, watch=watch)
        self._readings: dict[tuple, list[Reading]] = {}
        self._asked: set[str] | None = set()  # the rules whose support this explainer asked for (None: all)
        self._rule_refs: dict[str, RuleRef] = {}
        self._trees: dict[tuple[Reading, int], Node] = {}  # (keyed by the reading itself: alive while kept)
        self._facts_shown: dict[str, Node] = {}
        self._links: dict[Reading, dict[tuple[str, str], list[tuple[int, int]]]] = {}
        self._taken: dict[Reading, tuple[str, ...]] = {}
        #: what a reading rejected that would give a derived atom (one search per reading and pattern)
        self._below: dict[tuple[Reading, str, int | None], tuple[Term, FactItem] | None] = {}
        self._ground_links: list[tuple[str, int]] | None = None
        self._members: dict[tuple[str, str, int | None, bool, bool], Node] = {}
        self._periods: dict[tuple[str, str], list] = defaultdict(list)
        for entry in self.rb.parties:
            self._periods[(entry.entity, entry.instrument)].append(entry)
        for entries in self._periods.values():
            entries.sort(key=lambda p: p.joined)

    # -- readings
    def reading(self, want: clingo.Symbol, holds: bool, prefer_true: set[int]) -> Reading | None:
        """A reading in which ``want`` holds (or not), the contested facts numbered in
        ``prefer_true`` wished true and the others false (see :meth:`_wishes`); None if there is none."""
        prefer = tuple(sorted((i, i in prefer_true) for i, m in self.solution.markers.items()
                              if m.item is None or m.item.contested))
        known = self._readings.setdefault((holds, prefer), [])
        for r in known:  # one solve serves many conclusions
            if (holds and r.derived(want)) or (want in r.atoms) == holds:
                return r
        asked = [(clingo.Function("te_true", [clingo.Number(i)]), v) for i, v in self._wishes(prefer_true)]
        reading = self._derived_reading(want, holds, asked)  # one solve, if every wish can be met
        if reading is None:
            settled = self._settle(want, holds, asked)
            if settled is None:
                return None
            reading = self._derived_reading(want, holds, settled)
        if reading is not None:
            known.append(reading)
        return reading

    def _derived_reading(self, want: clingo.Symbol, holds: bool, settled: list[Assumption]) -> Reading | None:
        if holds:
            return self.deriver.reading(want, settled)
        # any atom of every reading will do as the target
        as_of = clingo.Function("te_as_of", [clingo.Number(to_day(self.facts.as_of))])
        return self.deriver.reading(as_of, [*settled, (want, False)])

    def _settle(self, want: clingo.Symbol, holds: bool, asked: list[Assumption]) -> list[Assumption] | None:
        """The wishes as assumptions, when they cannot all be met with ``want`` (:meth:`reading` tried
        that first): each in turn, kept if it can be met with those kept before and turned round if
        not. With a wish for every marker the reading is settled by them alone, not by how clingo
        happens to search (which differs between a scenario's own grounding and a batch's shared one)."""
        def sat(more: list[Assumption]) -> bool:
            return self.solution.satisfiable([(want, holds), *more])

        if not sat([]):
            return None
        kept: list[Assumption] = []
        for sym, v in asked:
            kept.append((sym, v) if sat([*kept, (sym, v)]) else (sym, not v))
        return kept

    def _wishes(self, prefer_true: set[int]) -> list[tuple[int, bool]]:
        """A truth value wished for every marker, the contested facts first: contested facts as
        in ``prefer_true``; a fact whose date sources disagree on, on its earliest date (unless a
        date is in ``prefer_true``); a fact partly after the as-of date as having happened. In an
        order of their own (fact, date), not of the marker numbers, which depend on the grounding."""
        markers = self.solution.markers
        by_item: dict[str, list[int]] = defaultdict(list)
        wish: dict[int, bool] = {}
        readings: dict[str, list[int]] = defaultdict(list)  # an open interpretation's positions, in their order
        for i, m in markers.items():
            if m.reading is not None:
                readings[m.reading[0]].append(i)
            else:
                by_item[m.item.id].append(i)  # type: ignore[union-attr]
        for numbers in readings.values():  # the position wished for, else the first
            position = next((i for i in numbers if i in prefer_true), numbers[0])
            wish.update({i: i == position for i in numbers})
        for numbers in by_item.values():
            item = markers[numbers[0]].item
            assert item is not None
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

        def order(i: int) -> tuple:
            m = markers[i]
            if m.item is None:  # after the facts, by interpretation and position
                return (2, m.label, (), date.min)
            return (0 if m.item.contested else 1, m.item.text, m.item.dates, m.on or date.min)
        return [(i, wish[i]) for i in sorted(wish, key=order)]

    def taken_as_true(self, reading: Reading) -> list[str]:
        """The contested facts (and disputed dates) the reading takes as true."""
        said = self._taken.get(reading)
        if said is None:
            said = self._taken[reading] = tuple(self._taken_as_true(reading))
        return list(said)

    def _taken_as_true(self, reading: Reading) -> list[str]:
        has = reading.has
        out = set()
        for m in self.solution.markers.values():
            if m.item is None:
                if has(_symbols(m)[0]):
                    out.add(f"reading {m.label}")
            elif m.on is None and any(has(s) for s in m.item.symbols):
                out.add(m.label)
            elif m.on is not None and has(m.item.symbols[m.item.dates.index(m.on)]):
                out.add(m.label)
        return sorted(out)

    def _assumptions(self) -> list[str]:
        out = [f'"immediately" allows {self.facts.immediately_days} days (settings.immediately_days)']
        out += [f"{k} is taken as {v.value} (--assume)" for k, v in sorted(self.facts.assumed.items())]
        return out

    # -- why
    def why(self, conclusion_id: str) -> Explanation:
        c = self._conclusion(conclusion_id)
        self._support([c])
        target, reading = self._reading_of(c)
        return self._explanation(c, target, reading)

    def why_all(self, ids: Iterable[str] | None = None) -> list[Explanation]:
        """:meth:`why` of each conclusion named (default: every one, in the findings' order), quicker
        than one by one: each reading stages the atoms of all its trees at once, and CPython's cycle
        collector is held while the trees are made (see :func:`~engine.reasoning.derivation._collector_paused`)."""
        with _collector_paused():
            cs = list(self.findings.conclusions) if ids is None else [self._conclusion(i) for i in ids]
            self._support(None if ids is None else cs)
            found = [(c, *self._reading_of(c)) for c in cs]
            groups: dict[int, tuple[Reading, list[int]]] = {}
            for _, target, reading in found:
                groups.setdefault(id(reading), (reading, []))[1].append(reading.number(target))
            for reading, numbers in groups.values():
                reading.stage(numbers)
            out = [self._explanation(c, target, reading) for c, target, reading in found]
            self.deriver.forget_read()  # (the trees are made: fewer objects for the collector to scan)
            return out

    def _conclusion(self, conclusion_id: str) -> Conclusion:
        try:
            return self.findings.get(normal_id(conclusion_id))
        except KeyError:
            ids = [x.id for x in self.findings.conclusions]
            raise TreatyError([Diagnostic(None, f"no conclusion `{conclusion_id}` in {self.facts.loaded.file}",
                                          did_you_mean(conclusion_id, ids) or "see `treaty check` for the ids; "
                                          "use --why-not for conclusions that do not hold")]) from None

    def _reading_of(self, c: Conclusion) -> tuple[clingo.Symbol, Reading]:
        """The conclusion's atom, and the reading its why-tree is read from."""
        target = self._concl_symbol(c)
        accepted = {d.label for d in c.depends_on if d.accepted}
        prefer = {i for i, m in self.solution.markers.items() if m.label in accepted}
        reading = self.reading(target, True, prefer)
        if reading is None:  # pragma: no cover - findings come from the same grounding
            raise AssertionError(f"no reading in which {c.id} holds")
        return target, reading

    def _explanation(self, c: Conclusion, target: clingo.Symbol, reading: Reading) -> Explanation:
        return Explanation.model_construct(schema_=EXPLANATION_SCHEMA, scenario=self.facts.loaded.file, conclusion=c.id,
                           summary=conclusion_summary(c), holds=c.holds, depends_on=c.depends_on,
                           status_depends_on=c.status_depends_on, reading=self.taken_as_true(reading),
                           assumptions=self._assumptions(), tree=self._tree(reading.number(target), reading))

    def why_not(self, pattern: str) -> WhyNot:
        """Why a conclusion does not hold (or not in every reading): see :mod:`engine.reasoning.why_not`
        (imported here: a why-tree alone never needs it)."""
        from .why_not import WhyNotFinder

        self._support(None)  # (the candidates may be any rules)
        return WhyNotFinder(self).why_not(pattern)

    def _support(self, conclusions: list[Conclusion] | None) -> None:
        """Have the support ground of the rules behind these conclusions (every rule's: None), and
        forget the readings found before when this explainer asks for more rules than before: they
        may lack the new rules' instances. Judged by what this explainer asked, not by what the
        control had ground (another explainer on a batch's shared grounding may have ground more),
        so that the readings shown never depend on what ran before on the control."""
        rules = None if conclusions is None else rules_behind(self.rb, {c.basis.rule for c in conclusions})
        self.deriver.ground(rules)
        if self._asked is None or (rules is not None and rules <= self._asked):
            return
        self._asked = None if rules is None else self._asked | rules
        self.deriver.forget_readings()
        self._readings.clear()
        self._trees.clear()
        self._links.clear()
        self._taken.clear()
        self._below.clear()

    def _concl_symbol(self, c: Conclusion) -> clingo.Symbol:
        rule = self.rb.rules[c.basis.rule]
        assert isinstance(rule.head, ast.DeonticHead)
        party = c.beneficiary or c.recipient
        return clingo.parse_term(f"te_concl({c.kind},{rule.id},{c.bearer},{c.action},{party or 'none'},"
                                 f"{to_day(c.triggered_on)})")

    def _tree(self, n: int, reading: Reading) -> Node:
        """The node of an atom of the reading (by its number) and, below it, why it holds (sub-trees
        recur across conclusions: the same attack, the same membership: each is built once per reading)."""
        key = (reading, n)
        node = self._trees.get(key)
        if node is None:
            node = self._trees[key] = self._tree_uncached(n, reading)
        return node

    def _tree_uncached(self, n: int, reading: Reading) -> Node:
        node = reading.node_at(n)
        kind, atom = node.kind, reading.term(n)
        if kind == "fact":
            return self.fact_node(node.atom, atom)
        if kind == "entity":
            return self.entity_node(atom.args[0].text, atom.args[1].name or "")
        if kind == "membership":
            e, i, _, _ = atom.args
            return self.membership_node(e.text, i.text, None)
        if kind == "interpretation":
            return self.reading_node(atom.args[0].text, atom.args[1].text)
        rule = self.rb.rules[node.rule_name or ""]
        steps, day = node.steps, node.in_force_day
        extra: list[Node] = []
        if steps and steps[0][0].name == "te_cand":  # a rule under a priority: its candidate, not defeated
            cand = reading.node_at(steps[0][1])  # type: ignore[arg-type]
            steps, day = cand.steps, cand.in_force_day
            on = f" in force on {self.say.arg(atom.args[5], True)}"
            extra = [_node(kind="absent", text=f"not displaced: rule {p.higher}, which has priority, concludes "
                                              f"nothing{on} for the same bearer, action and counterparty")
                     for p in self.rb.priorities if p.lower == rule.id]
        kids = [self._condition(rule, cond, term, m, reading)
                for cond, (term, m) in zip(rule.conditions, steps, strict=True)]
        period = self.period_node(rule, day)
        kids += ([period] if period else []) + extra
        if atom.name == "te_concl":
            kids += self._afterwards(rule, n, atom, reading)
        return self._rule_node(rule, atom, kids)

    def _condition(self, rule: ast.Rule, cond: ast.Condition, term: Term, n: int | None, reading: Reading) -> Node:
        """The node of one condition, from its term in the ground instance (see compile_support)."""
        name = term.name
        if name == "te_party_on":
            e, i, _, _ = term.args[0].args
            return self.membership_node(e.text, i.text, term.args[1].number)
        if n is not None:
            return self._tree(n, reading)
        args = term.args
        if name == "te_cmp":
            assert isinstance(cond, ast.Comparison)
            kinds = self.rb.rule_var_kinds.get(rule.id, {})
            left, right = self.say.term(args[0], cond.left, kinds), self.say.term(args[2], cond.right, kinds)
            return _node(kind="comparison", text=f"{left} {args[1].text[1:-1]} {right}")
        assert name == "te_not", term
        inner = args[0]
        if inner.name == "te_party_on":
            e, i, _, _ = inner.args[0].args
            return self.membership_node(e.text, i.text, inner.args[1].number, negated=True)
        if inner.name == "te_party":
            return self.membership_node(inner.args[0].text, inner.args[1].text, None, negated=True)
        return self._absent(inner, reading)

    def _afterwards(self, rule: ast.Rule, n: int, atom: Term, reading: Reading) -> list[Node]:
        """What discharged or ended a conclusion (numbered ``n``), or the support of nothing having done so."""
        text = atom.text
        key = text[text.index(",") + 1:-1]  # its arguments but the kind (a constant), as printed
        said: dict[str, Node] = {}
        days: dict[str, int | None] = {}  # the day of the discharge and of the end found, if dated
        for word, pred, lit in (("ended by", "te_until", rule.until),  # (the end first: see below)
                                ("discharged by", "te_discharged", rule.discharged)):
            if lit is None:
                continue
            found = self._linked(reading).get((pred, key))
            if found:
                link = reading.node_at(min(found)[1])
                event = next(m for t, m in reversed(link.steps) if t.name == lit.atom.name)
                assert event is not None, "a discharge or end found is an atom of the reading"
                shown = self._tree(event, reading)
                day = days[pred] = self._event_day(event, reading)
                end = days.get("te_until")
                if pred == "te_discharged" and end is not None and day is not None and day >= end:
                    word = "came after its end, so did not discharge it"  # (the status program's te_in_time)
                said[pred] = _node(**{**shown.__dict__, "text": f"{word}: {shown.text}"})
                continue
            what = "it lasts until then" if word == "ended by" else "it is not discharged"
            negated = self._unmet(rule, lit, n, reading)
            if negated is None:  # the te_no(...) atom's support, by the atom
                sym = reading.node_at(n).atom
                absent = reading.node(clingo.Function("te_no", [clingo.Function(pred, sym.arguments[1:6])]))
                negated = absent.steps[-1][0]
            assert negated.name == "te_not", negated
            said[pred] = self._absent(negated.args[0], reading, f": {what}")
        # (the end is looked at first, to say whether a discharge came after it; said discharge first)
        return [said[p] for p in ("te_discharged", "te_until") if p in said]

    def _event_day(self, n: int, reading: Reading) -> int | None:
        """The day of the event numbered ``n`` (its last argument), None if its predicate is not dated."""
        atom = reading.node_at(n).atom
        decl = self.facts.rules.base.predicates.get(atom.name)
        return atom.arguments[-1].number if decl is not None and decl.event and atom.arguments else None

    def _unmet(self, rule: ast.Rule, lit: ast.Literal, n: int, reading: Reading) -> Term | None:
        """The negated literal (``te_not``) of the one instance supporting that no ``lit`` discharged
        or ended the conclusion numbered ``n``, found among the link instances on the conclusion alone
        (None if not found there: the rule's body is repeated in it, or its discharge and end share a
        predicate): quicker than making the ``te_no(...)`` atom and staging it alone."""
        if rule.discharged is not None and rule.until is not None and \
                rule.discharged.atom.name == rule.until.atom.name:
            return None
        name = lit.atom.name
        found = []
        for steps in reading.lone_links(n):
            last = steps[-1][0]
            if last.name == "te_not":
                inner = last.args[0]
                if (inner.args[0] if inner.name == "te_from" else inner).name == name:
                    found.append(last)
        return found[0] if len(found) == 1 else None

    def _linked(self, reading: Reading) -> dict[tuple[str, str], list[tuple[int, int]]]:
        """The reading's discharge and end atoms (their date and number), by predicate and conclusion
        (its arguments but the kind, as printed; indexed once)."""
        index = self._links.get(reading)
        if index is None:
            index = self._links[reading] = defaultdict(list)
            for name, n in self._link_atoms(reading):  # those of this reading
                if reading.derived(n):  # name(Rule, Bearer, Action, Party, Trigger, Day): the last a number
                    text = reading.term(n).text
                    cut = text.rindex(",")
                    index[(name, text[len(name) + 1:cut])].append((int(text[cut + 1:-1]), n))
        return index

    def _link_atoms(self, reading: Reading) -> list[tuple[str, int]]:
        """The ground discharge and end atoms (their predicate and number), once per control."""
        if self._ground_links is None:
            symbolic, number = self.deriver.ctl.symbolic_atoms, reading.number
            self._ground_links = [(name, number(sa.symbol)) for name in ("te_discharged", "te_until")
                                  for sa in symbolic.by_signature(name, 6)]
        return self._ground_links

    def _absent(self, pattern: Term, reading: Reading, then: str = "") -> Node:
        """A negated condition (``te_not``'s pattern, ``te_any`` for any value; ``te_from(P, D)``: an
        event on or after D): a scenario fact that fits it but is not in the reading shown (a
        contested fact rejected there, or another of an event's dates) is named as recorded;
        otherwise nothing fitting is recorded."""
        after = None
        if pattern.name == "te_from":
            pattern, after = pattern.args[0], pattern.args[1].number
        for sym, term, item in self._unsure.get(pattern.name or "", ()):
            if not _fits(pattern, term) or reading.has(sym):
                continue
            if after is not None and term.args[-1].number < after:
                continue
            return self._rejected(term, item, then)
        since = f" on or after {from_day(after).isoformat()}" if after is not None else ""
        name = pattern.name or ""
        if name in self.rb.predicates and self.rb.predicates[name].derived:
            found = self._rejected_below(pattern, after, reading)
            if found is not None:
                return self._rejected(*found, then)
            return _node(kind="absent", text=f"{self.say.atom(pattern)} does not hold{since} "
                                            f"(as of {self.facts.as_of.isoformat()}){then}")
        return _node(kind="absent", text=f"no {self.say.atom(pattern)}{since} recorded "
                                        f"(as of {self.facts.as_of.isoformat()}){then}")

    def _rejected(self, term: Term, item: FactItem, then: str) -> Node:
        """A scenario fact not in the reading shown: a contested one rejected there, or another of an
        event's dates."""
        src = self.facts.loaded.scenario.sources.get(item.source)
        how = "rejected in the reading shown" if item.contested else "not the date of the reading shown"
        source = f", source {item.source}" + (f" ({src.cite})" if src else "")
        return _node(kind="absent", text=f"not {self.say.atom(term)} — {item.status.value}, {how}{source}{then}",
                     atom=self.say.atom(term), contested=True)

    def _rejected_below(self, pattern: Term, after: int | None, reading: Reading) -> tuple[Term, FactItem] | None:
        """For a derived atom that does not hold in the reading shown: a scenario fact the reading
        leaves out (a contested one rejected, another date of an event) with which the solver finds
        the atom in some reading: what the reading rejected that would have given it (searched once
        per reading and pattern: every right ending with the same event asks the same)."""
        key = (reading, pattern.text, after)
        if key not in self._below:
            self._below[key] = self._search_below(pattern, after, reading)
        return self._below[key]

    def _search_below(self, pattern: Term, after: int | None, reading: Reading) -> tuple[Term, FactItem] | None:
        arity = len(pattern.args)
        ground = [sa.symbol for sa in self.deriver.ctl.symbolic_atoms.by_signature(pattern.name or "", arity)]
        fitting = [a for a in ground if _fits(pattern, Term(str(a))) and not reading.derived(a)
                   and (after is None or a.arguments[-1].number >= after)]
        if not fitting:
            return None
        for found in self._unsure.values():
            for sym, term, item in found:
                if reading.has(sym):
                    continue
                if any(self.solution.satisfiable([(sym, True), (a, True)]) for a in fitting):
                    return term, item
        return None

    # -- nodes (also what engine.reasoning.why_not builds its answers from)
    def rule_ref(self, rule: ast.Rule) -> RuleRef:
        if rule.id not in self._rule_refs:
            self._rule_refs[rule.id] = rule_ref(self.rb, rule)
        return self._rule_refs[rule.id]

    def _rule_node(self, rule: ast.Rule, sym: Term, children: list[Node], holds: bool = True) -> Node:
        head = rule.head
        if isinstance(head, ast.DeonticHead):
            _, _, bearer, action, party, trigger = sym.args
            to = "" if party.text == "none" else f" {head.counterparty_word or 'to'} {party.text}"
            since = self.say.arg(trigger, True)
            text = f"{head.kind}: {bearer.text} {VERB[head.kind]} {action.text}{to} (from {since})"
            kind: NodeKind = "conclusion"
        else:
            text = self.say.atom(sym)
            kind = "derived"
        return _node(kind=kind, text=text, holds=holds, atom=self.say.atom(sym), rule=self.rule_ref(rule),
                    children=children)


def _symbols(m: Marker) -> list[clingo.Symbol]:
    """The atoms whose truth a marker stands for."""
    if m.reading is not None:
        return [_position(*m.reading)]
    assert m.item is not None
    return list(m.item.symbols)


__all__ = ["EXPLANATION_SCHEMA", "Candidate", "Explainer", "Explanation", "Node", "Quote", "RuleRef", "WhyNot"]
