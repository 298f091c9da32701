"""Why a conclusion does not hold: for each rule that could conclude it, the closest instance, found by clingo.

The rules that could conclude a pattern are those whose head can take the pattern's values (a
variable of the head takes the value the pattern gives it; ``_`` leaves it free). In one reading
where the conclusion does not hold (:meth:`WhyNotFinder._reading`), each such rule is asked of
clingo in a program of its own, a *relaxation* of the rule (:mod:`engine.reasoning.relaxation`): one value
chosen for each variable (the pattern's, else one the reading has where the variable occurs, else
``te_open``), its conditions written by the compiler's own code, and a ``#minimize`` for the
closest instance (first the failures no added fact can change, then the missing positive
conditions, then those that cannot be checked because a variable has no value).

The optimum is the *closest instance*; what it says is read back from the model (which conditions
hold, fail, are missing or open; the atom each matched; the fact blocking a negated one; the values
of arithmetic) and worded, one node each (:class:`engine.reasoning.why_not_text._Saying`). A missing derived
condition (or conclusion) is explained the same way one level down (to a depth of :data:`MAX_DEPTH`,
:meth:`WhyNotFinder.below`), in the same reading, its missing facts listed under it; if every rule
for it fails, it fails. The atoms those instances would derive are then added to the reading and the
rule asked again, so that the conditions that share their values are judged rather than left open;
the closer answer is kept. Nothing of a rule body is matched in Python: Python reads a pattern's
values into the head's variables and words what clingo chose.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Literal

import clingo

from ..cases.state_names import aliases
from ..dates import to_day
from ..errors import Diagnostic, TreatyError, did_you_mean
from ..language import ast
from ..language.atoms import parse_atom
from ..language.vocabulary import DEONTIC_KINDS
from . import patterns
from .derivation import Reading
from .explanations import ANY, EXPLANATION_SCHEMA, Candidate, WhyNot
from .ids import normal_id, term_text
from .relaxation import OPEN, _constant, _plan, _solve
from .why_not_text import _all, _Outcome, _Saying

if TYPE_CHECKING:
    from .explain import Explainer

#: How deep a missing derived condition is explained (the candidate rule itself is depth 0).
MAX_DEPTH = 3
_NONE = clingo.Function("none")

Pairs = Sequence[tuple[ast.Term | None, clingo.Symbol]]


# ---- a pattern's values in a rule's head ------------------------------------------------------


def _wild(value: clingo.Symbol) -> bool:
    return value == ANY or value == OPEN


def _ground(value: clingo.Symbol) -> bool:
    """Whether a pattern's value has no ``_`` anywhere inside."""
    if _wild(value):
        return False
    return value.type != clingo.SymbolType.Function or all(_ground(a) for a in value.arguments)


def _fits(pattern: clingo.Symbol, value: clingo.Symbol) -> bool:
    """Whether a value is one a pattern names (``te_any`` names any)."""
    if _wild(pattern):
        return True
    if pattern.type != clingo.SymbolType.Function or value.type != clingo.SymbolType.Function:
        return pattern == value
    return pattern.name == value.name and len(pattern.arguments) == len(value.arguments) and \
        all(_fits(p, v) for p, v in zip(pattern.arguments, value.arguments, strict=True))


def _pattern_value(t: ast.Term) -> clingo.Symbol:
    """A pattern's term as a value, ``te_any`` for ``_`` and variables (also inside: ``assist(_)``)."""
    if isinstance(t, ast.Compound):
        return clingo.Function(t.name, [_pattern_value(a) for a in t.args])
    if isinstance(t, ast.Var | ast.Anon | ast.Arith):
        return ANY
    return _constant(t)


def _head_values(pairs: Pairs) -> tuple[dict[str, clingo.Symbol], list[tuple[ast.Term, clingo.Symbol]]] | None:
    """The values a pattern gives the head's variables, and the head's arithmetic terms it fixes (for
    clingo to check); None if the head cannot take the pattern's values (another constant, action...)."""
    fixed: dict[str, clingo.Symbol] = {}
    checks: list[tuple[ast.Term, clingo.Symbol]] = []

    def take(t: ast.Term | None, v: clingo.Symbol) -> bool:
        if _wild(v):
            return True
        if t is None:
            return v == _NONE
        if isinstance(t, ast.Anon):
            return True
        if isinstance(t, ast.Var):
            if not _ground(v):  # a shape such as assist(_) for a variable: the relaxation chooses it
                return True
            if fixed.setdefault(t.name, v) != v:
                return False
            return True
        if isinstance(t, ast.Arith):
            if _ground(v):
                checks.append((t, v))
            return True
        if isinstance(t, ast.Compound):
            return (v.type == clingo.SymbolType.Function and v.name == t.name and len(v.arguments) == len(t.args)
                    and all(take(a, b) for a, b in zip(t.args, v.arguments, strict=True)))
        return v == _constant(t)

    return (fixed, checks) if all(take(t, v) for t, v in pairs) else None

# ---- the finder ---------------------------------------------------------------------------------


class WhyNotFinder:
    """Why-not answers for one evaluated scenario, from clingo (see the module's docstring)."""

    def __init__(self, explainer: Explainer) -> None:
        self.ex = explainer
        self.rb = explainer.rb
        self._index: dict[Reading, dict[str, list[clingo.Symbol]]] = {}
        self._below: dict[tuple[Reading, str, tuple[clingo.Symbol, ...], int], _Outcome | None | str] = {}

    # -- the answer
    def why_not(self, pattern: str) -> WhyNot:
        """Why ``pattern`` does not hold: a conclusion id, ``KIND(bearer, action, counterparty)`` or
        a derived fact. The reading examined is one where it fails, preferring every contested fact
        true; if it holds in every reading, one where it holds."""
        holds, fitting, candidates = self._pattern(pattern)
        reading, everywhere = self._reading(holds, fitting)
        if everywhere:
            holds = "all"
        cands: list[Candidate] = []
        left_out: list[str] = []
        for rule, pairs in candidates:
            found = _head_values(pairs)
            if found is None:
                continue
            fixed, checks = found
            never = self._never_party(rule, fixed)
            if never is not None:
                left_out.append(f"{rule.id} ({rule.instrument} article {rule.article}): {never}")
                continue
            outcome = self._relax(rule, fixed, checks, reading, 0)
            if outcome is not None:
                cands.append(Candidate(rule=self.ex.rule_ref(rule), conditions=outcome.conditions,
                                       missing=outcome.missing, failing=outcome.failing))
        # the closest first: fewest failures, then facts to add, then conditions not checked
        cands.sort(key=lambda c: (len(c.failing), len(c.missing),
                                  sum(n.kind == "unchecked" for n in _all(c.conditions)), c.rule.id))
        return WhyNot(schema_=EXPLANATION_SCHEMA, scenario=self.ex.facts.loaded.file, pattern=pattern, holds=holds,
                      reading=self.ex.taken_as_true(reading), candidates=cands, left_out=sorted(left_out))

    def _everything(self) -> set[int]:
        """The markers a why-not's reading wishes true: every contested fact, and of each open
        interpretation the positions some rule requires (the reading in which the most rules can
        apply; the first such position, if several are)."""
        required = {(i, p) for _, i, p in self.rb.readings()}
        return {n for n, m in self.ex.solution.markers.items() if m.reading is None or m.reading in required}

    def _any_reading(self) -> Reading:
        as_of = clingo.Function("te_as_of", [clingo.Number(to_day(self.ex.facts.as_of))])
        found = self.ex.reading(as_of, True, self._everything())
        assert found is not None, "a scenario that was solved has a reading"
        return found

    def _reading(self, holds: str, fitting: list[clingo.Symbol]) -> tuple[Reading, bool]:
        """The reading examined, preferring every contested fact true: if the pattern holds in every
        reading, one where it holds (and True); otherwise one where no atom the pattern names holds
        (tried for the first few, each false in turn), or if there is none, one where the first of
        them does not hold."""
        everything = self._everything()
        if not fitting:
            return self._any_reading(), False
        if holds == "all":  # it holds in every reading (one duty may hold on different dates): show one
            found = self.ex.reading(fitting[0], True, everything)
            assert found is not None, "what holds in every reading has one"
            return found, True
        first = None
        for concrete in fitting[:5]:
            found = self.ex.reading(concrete, False, everything)
            if found is None:
                continue
            if not any(f in found.atoms for f in fitting):
                return found, False
            first = first or found
        if first is not None:
            return first, False
        found = self.ex.reading(fitting[0], True, everything)  # holds in every reading: one where it holds
        assert found is not None, "what holds in some reading has one"
        return found, True

    # -- patterns
    def _pattern(self, pattern: str) -> tuple[Literal["all", "some", "none"], list[clingo.Symbol],
                                              list[tuple[ast.Rule, Pairs]]]:
        """Whether the pattern holds in all, some or no readings; the conclusions it names that hold
        in some (sorted); and the rules that could conclude it, each with its head's terms against the
        pattern's values."""
        if "/" in pattern:
            return self._conclusion_id(pattern)
        try:
            atom = parse_atom(pattern, patterns.SOURCE)
        except TreatyError as err:  # located in the pattern, shown with a caret under it
            raise TreatyError(err.diagnostics, {patterns.SOURCE: pattern}) from None
        atom = patterns.known_states(atom, self._entities(), aliases(self.ex.facts.rules))
        if atom.name in DEONTIC_KINDS:
            args = patterns.deontic_arguments(atom, pattern, self.rb, self._entities())
            values = [_pattern_value(t) for t in args]
            rules = self._concluding(atom.name, values, ANY)
            named = clingo.Function("te_concl", [clingo.Function(atom.name), ANY, *values, ANY])
            fitting, every = self._concluded(named)
            holds: Literal["all", "some", "none"] = "all" if every else "some" if fitting else "none"
            return holds, fitting, rules
        decl = self.rb.predicates.get(atom.name)
        if decl is None or not decl.derived:
            names = [*DEONTIC_KINDS, *(n for n, d in self.rb.predicates.items() if d.derived)]
            raise TreatyError([Diagnostic(None, f"--why-not takes a conclusion id, or a pattern such as "
                                                f"`obligation(bearer, action, counterparty)`; `{atom.name}` is "
                                                "neither a deontic kind nor a derived predicate",
                                          did_you_mean(atom.name, names))])
        patterns.derived_arguments(atom, pattern, self.rb, decl, self._entities())
        values = [_pattern_value(t) for t in atom.args]
        named = clingo.Function(atom.name, [*values, *([ANY] if decl.event else [])])
        holds, fitting = self._derived_holds(named)
        return holds, fitting, self._deriving(atom.name, values, ANY)

    def _entities(self) -> set[str]:
        return set(self.ex.facts.loaded.scenario.entities) | {p.entity for p in self.rb.parties}

    def _derived_holds(self, named: clingo.Symbol) -> tuple[Literal["all", "some", "none"], list[clingo.Symbol]]:
        """Whether a derived fact the pattern names holds in all, some or no readings, asked of the
        solver (brave and cautious consequences hold conclusions only): of the ground atoms that fit
        the pattern, those true in some reading; and whether every reading has one of them."""
        ctl = self.ex.solution.ctl
        assert ctl is not None, "explanations need the grounding"
        arity = len(named.arguments)
        candidates = sorted(a.symbol for a in ctl.symbolic_atoms.by_signature(named.name, arity)
                            if _fits(named, a.symbol))
        satisfiable = self.ex.solution.satisfiable
        fitting = [c for c in candidates if satisfiable([(c, True)])]
        if not fitting:
            return "none", []
        return ("some" if satisfiable([(c, False) for c in fitting]) else "all"), fitting

    def _conclusion_id(self, pattern: str) -> tuple[Literal["all", "some", "none"], list[clingo.Symbol],
                                                    list[tuple[ast.Rule, Pairs]]]:
        pattern = normal_id(pattern)
        parts = pattern.split("/")
        rule = self.rb.rules.get(parts[0])
        wrong = f"`{pattern}` is not a conclusion id (rule/bearer/action/counterparty/YYYY-MM-DD)"
        if len(parts) != 5 or rule is None or not isinstance(rule.head, ast.DeonticHead):
            raise TreatyError([Diagnostic(None, wrong, did_you_mean(parts[0], self.rb.rules) if parts else None)])
        try:
            values = [clingo.parse_term(term_text(p)) for p in parts[1:4]]
            values.append(clingo.Number(to_day(date.fromisoformat(parts[4]))))
        except (RuntimeError, ValueError):
            raise TreatyError([Diagnostic(None, wrong)]) from None
        head = rule.head
        sym = clingo.Function("te_concl", [clingo.Function(head.kind), clingo.Function(rule.id), *values])
        solution = self.ex.solution
        holds: Literal["all", "some", "none"] = "all" if sym in solution.cautious else \
            "some" if sym in solution.brave else "none"
        fitting = [sym] if holds != "none" else []
        known = next((c for c in self.ex.findings.conclusions if c.id == pattern), None)
        if known is not None:  # one duty whose date sources dispute: as the findings say, on any of its dates
            holds = known.holds
            fitting = [clingo.Function("te_concl", [*sym.arguments[:5], clingo.Number(to_day(d))])
                       for d in known.trigger_dates]
            fitting = [f for f in fitting if f in solution.brave]
        terms = [head.bearer, head.action, head.counterparty, rule.trigger]
        return holds, fitting, [(rule, list(zip(terms, values, strict=True)))]

    def _concluded(self, pattern: clingo.Symbol) -> tuple[list[clingo.Symbol], bool]:
        """The conclusions (of some reading) that a deontic pattern names, sorted, and whether one of
        them holds in every reading. (The pattern is compared as a value: its names may be any
        scenario's, even words of clingo's language such as `not`, so it is never program text.)"""
        solution = self.ex.solution
        fitting = sorted(s for s in solution.brave if s.name == "te_concl" and _fits(pattern, s))
        return fitting, any(s.name == "te_concl" and _fits(pattern, s) for s in solution.cautious)

    def _deriving(self, name: str, values: list[clingo.Symbol], on: clingo.Symbol) -> list[tuple[ast.Rule, Pairs]]:
        """The rules that derive the predicate ``name`` with these arguments (and date)."""
        out: list[tuple[ast.Rule, Pairs]] = []
        for rule in self.rb.rules.values():
            head = rule.head
            if isinstance(head, ast.AtomHead) and head.atom.name == name and len(head.atom.args) == len(values):
                pairs: list[tuple[ast.Term | None, clingo.Symbol]] = list(zip(head.atom.args, values, strict=True))
                if head.on is not None:
                    pairs.append((head.on, on))
                out.append((rule, pairs))
        return out

    def _concluding(self, kind: str, values: list[clingo.Symbol], on: clingo.Symbol) -> list[tuple[ast.Rule, Pairs]]:
        """The rules that conclude ``kind`` for (bearer, action, counterparty) on a date."""
        out: list[tuple[ast.Rule, Pairs]] = []
        for rule in self.rb.rules.values():
            head = rule.head
            if isinstance(head, ast.DeonticHead) and head.kind == kind:
                terms = [head.bearer, head.action, head.counterparty, rule.trigger]
                out.append((rule, list(zip(terms, [*values, on], strict=True))))
        return out

    def _never_party(self, rule: ast.Rule, fixed: dict[str, clingo.Symbol]) -> str | None:
        """Why a rule can never apply to the pattern's entity, or None: a condition ``party(X, inst)``
        on an entity the pattern names that was never a party to ``inst`` (no period of any date)."""
        for cond in rule.conditions:
            if not isinstance(cond, ast.Literal) or cond.negated or cond.atom.name != "party":
                continue
            who, inst = cond.atom.args
            entity = fixed.get(who.name) if isinstance(who, ast.Var) else \
                clingo.Function(who.name) if isinstance(who, ast.Const) else None
            if entity is None or not isinstance(inst, ast.Const) or entity.type != clingo.SymbolType.Function:
                continue
            if not any(p.entity == entity.name and p.instrument == inst.name for p in self.rb.parties):
                return f"{entity.name} was never a party to {inst.name}"
        return None

    # -- the relaxation
    def _atoms(self, reading: Reading) -> dict[str, list[clingo.Symbol]]:
        """The reading's atoms by predicate, sorted (the same facts in the same order, however found)."""
        index = self._index.get(reading)
        if index is None:
            grouped: dict[str, list[clingo.Symbol]] = {}
            for a in reading.atoms:
                grouped.setdefault(a.name, []).append(a)
            index = self._index[reading] = {k: sorted(v) for k, v in grouped.items()}
        return index

    def _relax(self, rule: ast.Rule, fixed: dict[str, clingo.Symbol], checks: list[tuple[ast.Term, clingo.Symbol]],
               reading: Reading, depth: int) -> _Outcome | None:
        """The closest instance of ``rule`` in the reading, said; None if the head cannot take the pattern."""
        plan = _plan(self.rb, rule, fixed, checks)
        found = _solve(plan, fixed, checks, self._atoms(reading))
        if found is None:
            return None
        saying = _Saying(self.ex, self.below, rule, plan, found, reading, depth, fixed, {})
        outcome = saying.outcome()
        if saying.hypotheses:
            # Again, with the derived atoms (conclusions) that the missing conditions' closest instances
            # would bring about, so that the conditions that share their values (a membership on the
            # date of a missing derived event) are judged; kept if that is closer.
            again = _solve(plan, fixed, checks, self._atoms(reading), sorted(saying.hypotheses))
            if again is not None:
                second = _Saying(self.ex, self.below, rule, plan, again, reading, depth, fixed,
                                 saying.hypotheses).outcome()
                if second.score(0)[:3] < outcome.score(0)[:3]:
                    outcome = second
        return outcome

    def below(self, name: str, values: list[clingo.Symbol], on: clingo.Symbol, reading: Reading,
              depth: int) -> _Outcome | None | str:
        """The closest instance among the rules that derive (conclude) a missing condition's atom;
        None if no rule can; "deep" past :data:`MAX_DEPTH`."""
        key = (reading, name, (*values, on), depth)
        if key in self._below:
            return self._below[key]
        result: _Outcome | None | str
        if depth > MAX_DEPTH:
            result = "deep"
        else:
            rules = self._concluding(name, values, on) if name in DEONTIC_KINDS else self._deriving(name, values, on)
            outcomes = []
            for rule, pairs in rules:
                found = _head_values(pairs)
                if found is not None:
                    outcome = self._relax(rule, *found, reading, depth)
                    if outcome is not None:
                        outcomes.append(outcome)
            result = None
            if outcomes:
                today = to_day(self.ex.facts.as_of)
                outcomes.sort(key=lambda o: o.score(today))
                # every rule's failures, when none can hold
                result = outcomes[0] if not outcomes[0].failing else \
                    "; ".join(f"rule {o.rule.id}: {'; '.join(o.failing)}" for o in outcomes)
        self._below[key] = result
        return result


__all__ = ["MAX_DEPTH", "OPEN", "WhyNotFinder"]
