"""Why a conclusion does not hold: for each rule that could conclude it, the closest instance, found by clingo.

The rules that could conclude a pattern are those whose head can take the pattern's values (a
variable of the head takes the value the pattern gives it; ``_`` leaves it free). In one reading
where the conclusion does not hold (:meth:`WhyNotFinder._reading`), each such rule is asked of
clingo in a program of its own: the reading's atoms as facts (through the backend, never as text:
a scenario's names may be words of clingo's language), and a *relaxation* of the rule whose
conditions are written by the compiler's own code (:class:`engine.compile._RuleCompiler`), so that
a condition means here exactly what it means in the main program:

- one value for each variable of the rule, chosen from a domain: the value the pattern fixes, else
  the values the reading has where the variable occurs in the rule's positive conditions (an
  entity kind only if no other condition gives any; for ``X = expression``, the expression's
  values), else ``te_open`` (no value at all);
- for each condition, the wording's in-force bounds and, under a ``priority``, not being defeated
  (the compiled priority's own body, against the reading's higher conclusions): whether it holds
  under that choice;
- a ``#minimize`` with priorities: first the conditions that fail and that no added fact can change
  (membership, comparison, entity kind, wording not in force, a negated condition blocked, a
  priority that displaces the rule), then the missing positive conditions (facts to add, derived
  facts or conclusions to bring about), then those that cannot be checked because a variable has
  no value (``te_open``).

The optimum is the *closest instance*; what it says is read back from the model (which conditions
hold, fail, are missing or open; the atom each matched; the fact blocking a negated one; the values
of arithmetic) and worded, one node each (:class:`_Saying`). A missing derived condition (or
conclusion) is explained the same way one level down (to a depth of :data:`MAX_DEPTH`), in the same
reading, its missing facts listed under it; if every rule for it fails, it fails. The atoms those
instances would derive are then added to the reading and the rule asked again, so that the
conditions that share their values are judged rather than left open; the closer answer is kept.
Nothing of a rule body is matched in Python: Python reads a pattern's values into the head's
variables and words what clingo chose.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Literal

import clingo

from . import ast, patterns
from .atoms import parse_atom
from .compile import _defeat, _Emitter, _RuleCompiler, check_inert
from .dates import from_day, to_day
from .derivation import Reading
from .errors import Diagnostic, TreatyError, did_you_mean
from .explanations import ANY, EXPLANATION_SCHEMA, Candidate, Node, WhyNot, is_date
from .rulebase import Interval, variables
from .vocabulary import DEONTIC_KINDS, ENTITY_KINDS, a_kind

if TYPE_CHECKING:
    from .explain import Explainer

#: How deep a missing derived condition is explained (the candidate rule itself is depth 0).
MAX_DEPTH = 3
#: A variable's value when the reading has none for it: the conditions it takes part in are not checked.
OPEN = clingo.Function("te_open")
_NONE = clingo.Function("none")

#: The fixed part of every relaxation: a domain for each variable (te_open if it has none), one value
#: of it chosen, and the closest instance: fewest failures, then missing conditions, then unchecked ones.
_CHOICE = """\
te_wn_has(X) :- te_wn_dom(X,Y), Y != te_open.
te_wn_dom(X,te_open) :- te_wn_var(X), not te_wn_has(X).
1 { te_wn_bind(X,Y) : te_wn_dom(X,Y) } 1 :- te_wn_var(X).
#minimize { 1@3,I : te_wn_fail(I) ; 1@2,I : te_wn_miss(I) ; 1@1,I : te_wn_unch(I) }.
#defined te_wn_var/1. #defined te_wn_dom/2. #defined te_wn_fail/1. #defined te_wn_miss/1. #defined te_wn_unch/1.
#defined te_wn_pat/2.
#show te_wn_bind/2. #show te_wn_holds/1. #show te_wn_open/1. #show te_wn_fail/1. #show te_wn_miss/1.
#show te_wn_unch/1. #show te_wn_match/2. #show te_wn_block/2. #show te_wn_val/2. #show te_wn_defeat/4.
#show te_wn_head/1.
"""

Status = Literal["holds", "fails", "missing", "unchecked"]
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


def _constant(t: ast.Const | ast.Number | ast.Days | ast.DateLit | ast.Str) -> clingo.Symbol:
    if isinstance(t, ast.Const):
        return clingo.Function(t.name)
    if isinstance(t, ast.DateLit):
        return clingo.Number(to_day(t.value))
    if isinstance(t, ast.Str):
        return clingo.String(t.value)
    return clingo.Number(t.value)


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


# ---- what a relaxation is made of -------------------------------------------------------------


def _cond_terms(cond: ast.Condition) -> list[ast.Term]:
    if isinstance(cond, ast.Comparison):
        return [cond.left, cond.right]
    return [*cond.atom.args, *([cond.on] if cond.on is not None else [])]


def _names(terms: Iterable[ast.Term | None]) -> list[str]:
    return list(dict.fromkeys(v.name for t in terms for v in variables(t)))


def _head_terms(rule: ast.Rule) -> list[ast.Term | None]:
    head = rule.head
    if isinstance(head, ast.DeonticHead):
        return [head.bearer, head.action, head.counterparty, rule.trigger]
    return [*head.atom.args, head.on]


def _date_term(rule: ast.Rule) -> ast.Term | None:
    return rule.trigger if isinstance(rule.head, ast.DeonticHead) else rule.head.on


def _positions(t: ast.Term) -> list[str]:
    """The variables of a term where a value of the reading can be read off (not inside arithmetic)."""
    if isinstance(t, ast.Var):
        return [t.name]
    if isinstance(t, ast.Compound):
        return [v for a in t.args for v in _positions(a)]
    return []


def _keep(t: ast.Term, name: str) -> ast.Term:
    """``t`` with every variable but ``name`` (and all arithmetic) anonymous."""
    if isinstance(t, ast.Var):
        return t if t.name == name else ast.Anon(t.span)
    if isinstance(t, ast.Compound):
        return ast.Compound(t.name, tuple(_keep(a, name) for a in t.args), t.span)
    if isinstance(t, ast.Arith):
        return ast.Anon(t.span)
    return t


def _ariths(t: ast.Term | None) -> Iterable[ast.Arith]:
    if isinstance(t, ast.Arith):
        yield t
    elif isinstance(t, ast.Compound):
        for a in t.args:
            yield from _ariths(a)


def _kind(cond: ast.Condition) -> Literal["atom", "test"]:
    """``atom``: a positive condition that an added fact (or a derived one) can satisfy, missing if it
    does not hold; ``test``: any other (membership, entity kind, comparison, negation), which fails."""
    if isinstance(cond, ast.Literal) and not cond.negated and cond.atom.name != "party" \
            and cond.atom.name not in ENTITY_KINDS:
        return "atom"
    return "test"


@dataclass
class _Plan:
    """The relaxation of one rule for one pattern: its text and what its numbers stand for."""

    text: str
    predicates: set[str]
    period: int | None  # the number of the in-force condition
    defeat: int | None  # the number of the not-defeated condition
    arith: dict[int, int]  # id(arithmetic term) -> its number in te_wn_val


@dataclass
class _Found:
    """The closest instance as clingo chose it."""

    bind: dict[str, clingo.Symbol] = field(default_factory=dict)
    holds: set[int] = field(default_factory=set)
    open: set[int] = field(default_factory=set)
    fail: set[int] = field(default_factory=set)
    miss: set[int] = field(default_factory=set)
    unch: set[int] = field(default_factory=set)
    match: dict[int, list[clingo.Symbol]] = field(default_factory=dict)  # sorted
    block: dict[int, clingo.Symbol] = field(default_factory=dict)  # the least
    vals: dict[int, clingo.Symbol] = field(default_factory=dict)
    defeat: tuple[clingo.Symbol, ...] | None = None  # te_defeated(...), the higher rule, its kind, its date
    head: clingo.Symbol | None = None


@dataclass
class _Outcome:
    """A candidate rule's closest instance, said: its condition nodes, the facts to add (down to
    the input facts under missing derived conditions), what fails, and what could not be checked."""

    rule: ast.Rule
    conditions: list[Node]
    missing: list[str]
    failing: list[str]
    unchecked: list[str]
    period: Interval | None = None
    head: clingo.Symbol | None = None  # the atom it concludes (derives), if the instance settles its values

    def score(self, today: int) -> tuple[int, int, int, bool, str]:
        """Fewest failures, then facts to add, then conditions not checked; among rules as close,
        the one whose wording is in force on ``today`` (a day number) first."""
        return len(self.failing), len(self.missing), len(self.unchecked), not self.in_force(today), self.rule.id

    def in_force(self, today: int) -> bool:
        return self.period is None or (self.period.start is None or to_day(self.period.start) <= today) and \
            (self.period.end is None or today < to_day(self.period.end))


# ---- the finder ---------------------------------------------------------------------------------


class WhyNotFinder:
    """Why-not answers for one evaluated scenario, from clingo (see the module's docstring)."""

    def __init__(self, explainer: Explainer) -> None:
        self.ex = explainer
        self.rb = explainer.rb
        self.say = explainer.say
        self._index: dict[int, dict[str, list[clingo.Symbol]]] = {}
        self._below: dict[tuple[int, str, tuple[clingo.Symbol, ...], int], _Outcome | None | str] = {}

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

    def _any_reading(self) -> Reading:
        as_of = clingo.Function("te_as_of", [clingo.Number(to_day(self.ex.facts.as_of))])
        found = self.ex.reading(as_of, True, set(self.ex.solution.markers))
        assert found is not None, "a scenario that was solved has a reading"
        return found

    def _reading(self, holds: str, fitting: list[clingo.Symbol]) -> tuple[Reading, bool]:
        """The reading examined, preferring every contested fact true: one where no atom the pattern
        names holds (tried for the first few, each false in turn); if there is none, one where the
        first does not hold; if that holds in every reading, one where it holds (and True)."""
        everything = set(self.ex.solution.markers)
        if not fitting:
            return self._any_reading(), False
        first = None
        for concrete in fitting[:1 if holds == "all" else 5]:
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
        if atom.name in DEONTIC_KINDS:
            entities = set(self.ex.facts.loaded.scenario.entities) | {p.entity for p in self.rb.parties}
            args = patterns.deontic_arguments(atom, pattern, self.rb, entities)
            values = [_pattern_value(t) for t in args]
            rules = self._concluding(atom.name, values, ANY)
            fitting, every = self._fits(clingo.Function("te_concl", [clingo.Function(atom.name), ANY, *values, ANY]))
            holds: Literal["all", "some", "none"] = "all" if every else "some" if fitting else "none"
            return holds, fitting, rules
        decl = self.rb.predicates.get(atom.name)
        if decl is None or not decl.derived:
            names = [*DEONTIC_KINDS, *(n for n, d in self.rb.predicates.items() if d.derived)]
            raise TreatyError([Diagnostic(None, f"--why-not takes a conclusion id, or a pattern such as "
                                                f"`obligation(bearer, action, counterparty)`; `{atom.name}` is "
                                                "neither a deontic kind nor a derived predicate",
                                          did_you_mean(atom.name, names))])
        values = [_pattern_value(t) for t in atom.args]
        # whether it holds is read from the readings: in one preferring every contested fact true
        named = clingo.Function(atom.name, [*values, *([ANY] if decl.event else [])])
        fitting = sorted(a for a in self._atoms(self._any_reading()).get(atom.name, ()) if _fits(named, a))
        return ("some" if fitting else "none"), fitting, self._deriving(atom.name, values, ANY)

    def _conclusion_id(self, pattern: str) -> tuple[Literal["all", "some", "none"], list[clingo.Symbol],
                                                    list[tuple[ast.Rule, Pairs]]]:
        parts = pattern.split("/")
        rule = self.rb.rules.get(parts[0])
        wrong = f"`{pattern}` is not a conclusion id (rule/bearer/action/counterparty/YYYY-MM-DD)"
        if len(parts) != 5 or rule is None or not isinstance(rule.head, ast.DeonticHead):
            raise TreatyError([Diagnostic(None, wrong, did_you_mean(parts[0], self.rb.rules) if parts else None)])
        try:
            values = [clingo.parse_term(p) for p in parts[1:4]] + [clingo.Number(to_day(date.fromisoformat(parts[4])))]
        except (RuntimeError, ValueError):
            raise TreatyError([Diagnostic(None, wrong)]) from None
        head = rule.head
        sym = clingo.Function("te_concl", [clingo.Function(head.kind), clingo.Function(rule.id), *values])
        solution = self.ex.solution
        holds: Literal["all", "some", "none"] = "all" if sym in solution.cautious else \
            "some" if sym in solution.brave else "none"
        terms = [head.bearer, head.action, head.counterparty, rule.trigger]
        return holds, ([sym] if holds != "none" else []), [(rule, list(zip(terms, values, strict=True)))]

    def _fits(self, pattern: clingo.Symbol) -> tuple[list[clingo.Symbol], bool]:
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
    def _plan(self, rule: ast.Rule, fixed: dict[str, clingo.Symbol],
              checks: list[tuple[ast.Term, clingo.Symbol]]) -> _Plan:
        """The relaxation of ``rule`` (see the module's docstring), each condition written by the compiler."""
        em = _Emitter()
        rc = _RuleCompiler(self.rb, em)

        def text(write: Callable[..., object], *args: object) -> str:
            write(*args)
            return em.take()[0]

        def named(lit: ast.Literal) -> str:  # a positive literal, its anonymous arguments named (so ground)
            rc.recorded = []
            try:
                rc.literal(lit)
            finally:
                rc.recorded = None
            return em.take()[0]

        def binds(names: Iterable[str]) -> list[str]:
            return [f'te_wn_bind("{v}",{v})' for v in names]

        def rule_(head: str, body: list[str]) -> None:
            out.append(f"{head} :- {','.join(body)}." if body else f"{head}.")

        def classify(n: int, names: list[str], kind: Literal["atom", "test"]) -> None:
            for v in names:
                out.append(f'te_wn_open({n}) :- te_wn_bind("{v}",te_open).')
            if kind == "atom":
                out.append(f"te_wn_miss({n}) :- not te_wn_holds({n}).")
            else:
                out.append(f"te_wn_unch({n}) :- te_wn_open({n}).")
                out.append(f"te_wn_fail({n}) :- not te_wn_holds({n}), not te_wn_open({n}).")

        out: list[str] = []
        predicates: set[str] = set()
        arith: dict[int, int] = {}
        everything = _names([*_head_terms(rule), *(t for c in rule.conditions for t in _cond_terms(c))])
        out += [f'te_wn_var("{v}").' for v in everything]
        positioned: set[str] = set()
        # an entity kind (state(S)) holds for every entity of the kind: it gives a variable its values
        # only if no other condition does, not an arbitrary state where a missing fact would say which
        others = {v for c in rule.conditions if isinstance(c, ast.Literal) and not c.negated
                  and c.atom.name not in ENTITY_KINDS for t in c.atom.args for v in _positions(t)}
        for cond in rule.conditions:  # domains: the values the reading has where a variable occurs
            if not isinstance(cond, ast.Literal):
                continue
            predicates.add(_predicate(cond))
            if cond.negated:
                continue
            party = cond.atom.name == "party"
            terms = [*cond.atom.args, *([cond.on] if cond.on is not None and not party else [])]
            for v in dict.fromkeys(v for t in terms for v in _positions(t)):
                positioned.add(v)
                if v in fixed or cond.atom.name in ENTITY_KINDS and v in others:
                    continue
                only = ast.Literal(ast.Atom(cond.atom.name, tuple(_keep(t, v) for t in cond.atom.args), cond.atom.span,
                                            cond.atom.name_span),
                                   _keep(cond.on, v) if cond.on is not None and not party else None, False, cond.span)
                rule_(f'te_wn_dom("{v}",{v})', [text(rc.literal, only)])
        for cond in rule.conditions:  # and those of an expression a variable is set to (X = D + 10)
            if isinstance(cond, ast.Comparison) and cond.op == "=":
                for var, expr in ((cond.left, cond.right), (cond.right, cond.left)):
                    deps = _names([expr])
                    if isinstance(var, ast.Var) and var.name not in positioned | set(fixed) and var.name not in deps:
                        rule_(f'te_wn_dom("{var.name}",{var.name})',
                              [*(f'te_wn_dom("{d}",{d})' for d in deps), f"{var.name}={text(rc.term, expr)}"])
        for i, cond in enumerate(rule.conditions):
            names = _names(_cond_terms(cond))
            rule_(f"te_wn_holds({i})", [*binds(names), text(rc.condition, cond)])
            kind = _kind(cond)
            classify(i, names, kind)
            if isinstance(cond, ast.Literal) and kind == "atom":
                atom = named(cond)
                rule_(f"te_wn_match({i},{atom})", [*binds(names), atom])
            elif isinstance(cond, ast.Literal) and cond.atom.name != "party" and cond.atom.name not in ENTITY_KINDS:
                atom = named(ast.Literal(cond.atom, cond.on, False, cond.span))
                rule_(f"te_wn_block({i},{atom})", [*binds(names), atom])
            for t in (x for term in _cond_terms(cond) for x in _ariths(term)):
                arith[id(t)] = len(arith)
                rule_(f"te_wn_val({arith[id(t)]},TE_WN_V)", [*binds(_names([t])), f"TE_WN_V={text(rc.term, t)}"])
        n = len(rule.conditions)
        period = None
        date_term = _date_term(rule)
        interval = self.rb.rule_in_force[rule.id]
        if date_term is not None and (interval.start is not None or interval.end is not None):
            period, names = n, _names([date_term])
            n += 1
            bounds = [f"{text(rc.term, date_term)}{op}{to_day(bound)}"
                      for op, bound in ((">=", interval.start), ("<", interval.end)) if bound is not None]
            rule_(f"te_wn_holds({period})", [*binds(names), *bounds])
            classify(period, names, "test")
        head = rule.head
        if isinstance(head, ast.DeonticHead):  # the atom the instance concludes (derives)
            written = f"te_concl({head.kind},{text(rc.joined, rc.key(rule, head))})"
        else:
            written = head.atom.name
            decl = self.rb.predicates[head.atom.name]
            args = [*head.atom.args, *([head.on] if decl.event and head.on is not None else [])]
            if args:
                written += "(" + text(rc.joined, args) + ")"
        rule_(f"te_wn_head({written})", binds(_names(_head_terms(rule))))
        defeat = None
        if isinstance(head, ast.DeonticHead) and rule.id in rc.lower:
            # displaced by a priority: the instance as a candidate (te_cand), defeated as the compiled
            # priority says (the same body), by the higher conclusions of the reading
            defeat = n
            key = rc.key(rule, head)
            names = _names([t for t in key if not isinstance(t, str)])
            rule_(f"te_cand({text(rc.joined, key)})", binds(names))
            predicates.update(("te_concl", "te_until"))
            for prio in self.rb.priorities:
                if prio.lower == rule.id:
                    rule_(f"te_wn_defeat(te_defeated({prio.lower},B,A,P,D),{prio.higher},K,D0)",
                          [body for body, _ in _defeat(prio, "K")])
            out.append(f"te_wn_fail({defeat}) :- te_wn_defeat(_,_,_,_).")
        for k, (term, _) in enumerate(checks):  # the head's arithmetic against the pattern's values
            out.append(f":- {','.join([*binds(_names([term])), f'te_wn_pat({k},TE_WN_P)'])},"
                       f"TE_WN_P!={text(rc.term, term)}.")
        generated = "\n".join(out) + "\n"
        check_inert(generated)
        return _Plan(generated + _CHOICE, predicates, period, defeat, arith)

    def _atoms(self, reading: Reading) -> dict[str, list[clingo.Symbol]]:
        """The reading's atoms by predicate, sorted (the same facts in the same order, however found)."""
        index = self._index.get(id(reading))
        if index is None:
            grouped: dict[str, list[clingo.Symbol]] = {}
            for a in reading.atoms:
                grouped.setdefault(a.name, []).append(a)
            index = self._index[id(reading)] = {k: sorted(v) for k, v in grouped.items()}
        return index

    def _solve(self, plan: _Plan, fixed: dict[str, clingo.Symbol], checks: list[tuple[ast.Term, clingo.Symbol]],
               reading: Reading, hypotheses: Iterable[clingo.Symbol] = ()) -> _Found | None:
        ctl = clingo.Control(["--warn=none"])
        ctl.add("base", [], plan.text)
        index = self._atoms(reading)
        with ctl.backend() as bk:
            for name in sorted(plan.predicates):
                for sym in index.get(name, ()):
                    bk.add_rule([bk.add_atom(sym)])
            for v, value in sorted(fixed.items()):
                bk.add_rule([bk.add_atom(clingo.Function("te_wn_dom", [clingo.String(v), value]))])
            for k, (_, value) in enumerate(checks):
                bk.add_rule([bk.add_atom(clingo.Function("te_wn_pat", [clingo.Number(k), value]))])
            for sym in hypotheses:
                bk.add_rule([bk.add_atom(sym)])
        ctl.ground([("base", [])])
        best: Sequence[clingo.Symbol] | None = None

        def keep(m: clingo.Model) -> None:
            nonlocal best
            best = m.symbols(shown=True)

        ctl.solve(on_model=keep)
        if best is None:
            return None
        f = _Found()
        sets = {"te_wn_holds": f.holds, "te_wn_open": f.open, "te_wn_fail": f.fail, "te_wn_miss": f.miss,
                "te_wn_unch": f.unch}
        for s in best:
            args = s.arguments
            if s.name == "te_wn_bind":
                f.bind[args[0].string] = args[1]
            elif s.name in sets:
                sets[s.name].add(args[0].number)
            elif s.name == "te_wn_match":
                f.match.setdefault(args[0].number, []).append(args[1])
            elif s.name == "te_wn_block":  # the least, of several
                n = args[0].number
                if n not in f.block or args[1] < f.block[n]:
                    f.block[n] = args[1]
            elif s.name == "te_wn_head":
                f.head = args[0]
            elif s.name == "te_wn_val":
                f.vals[args[0].number] = args[1]
            elif s.name == "te_wn_defeat" and (f.defeat is None or tuple(args) < f.defeat):  # the least
                f.defeat = tuple(args)
        for matched in f.match.values():
            matched.sort()
        return f

    def _relax(self, rule: ast.Rule, fixed: dict[str, clingo.Symbol], checks: list[tuple[ast.Term, clingo.Symbol]],
               reading: Reading, depth: int) -> _Outcome | None:
        """The closest instance of ``rule`` in the reading, said; None if the head cannot take the pattern."""
        plan = self._plan(rule, fixed, checks)
        found = self._solve(plan, fixed, checks, reading)
        if found is None:
            return None
        saying = _Saying(self, rule, plan, found, reading, depth, fixed, {})
        outcome = saying.outcome()
        if saying.hypotheses:
            # Again, with the derived atoms (conclusions) that the missing conditions' closest instances
            # would bring about, so that the conditions that share their values (a membership on the
            # date of a missing derived event) are judged; kept if that is closer.
            again = self._solve(plan, fixed, checks, reading, sorted(saying.hypotheses))
            if again is not None:
                second = _Saying(self, rule, plan, again, reading, depth, fixed, saying.hypotheses).outcome()
                if second.score(0)[:3] < outcome.score(0)[:3]:
                    outcome = second
        return outcome

    def below(self, name: str, values: list[clingo.Symbol], on: clingo.Symbol, reading: Reading,
              depth: int) -> _Outcome | None | str:
        """The closest instance among the rules that derive (conclude) a missing condition's atom;
        None if no rule can; "deep" past :data:`MAX_DEPTH`."""
        key = (id(reading), name, (*values, on), depth)
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


def _all(tree: list[Node]) -> list[Node]:
    """The nodes of a list of trees."""
    return [m for n in tree for m in (n, *_all(n.children))]


def _predicate(cond: ast.Literal) -> str:
    """The predicate of the compiled program a literal reads."""
    name = cond.atom.name
    if name == "party":
        return "te_party"
    if name in ENTITY_KINDS:
        return "te_kind"
    if name in DEONTIC_KINDS:
        return "te_concl"
    return name


class _Saying:
    """A closest instance in words: one node for each condition, the wording in force and a defeat."""

    def __init__(self, finder: WhyNotFinder, rule: ast.Rule, plan: _Plan, found: _Found, reading: Reading,
                 depth: int, fixed: dict[str, clingo.Symbol], assumed: dict[clingo.Symbol, _Outcome]) -> None:
        """``assumed``: derived atoms added to the reading, each with the closest instance of a rule
        for it (a condition they satisfy is missing, with that instance's missing facts)."""
        self.finder = finder
        self.assumed = assumed
        #: what this instance's missing derived conditions would be, ground, with their instances
        self.hypotheses: dict[clingo.Symbol, _Outcome] = {}
        self.ex = finder.ex
        self.say = finder.say
        self.rule = rule
        self.plan = plan
        self.f = found
        self.reading = reading
        self.depth = depth
        self.kinds = finder.rb.rule_var_kinds.get(rule.id, {})
        self.status = [self._status(i, c) for i, c in enumerate(rule.conditions)]
        n = plan.period
        self.period_status: Status | None = None if n is None else \
            "unchecked" if n in found.open else "holds" if n in found.holds else "fails"
        # The variables the pattern fixes or a condition that holds or fails was judged with are
        # settled; the others (no value, or one that only missing or unchecked conditions have) are
        # whatever the missing facts give them: `_` in a missing fact, their names elsewhere.
        settled = set(fixed)
        for i, (c, status) in enumerate(zip(rule.conditions, self.status, strict=True)):
            if status in ("holds", "fails") or self._assumed(i) is not None:
                settled.update(_names(_cond_terms(c)))
        if self.period_status in ("holds", "fails"):
            settled.update(_names([_date_term(rule)]))
        self.loose = {v for v, value in found.bind.items() if v not in settled or value == OPEN}
        self.in_missing = Counter(v.name for c, s in zip(rule.conditions, self.status, strict=True) if s == "missing"
                                  for t in _cond_terms(c) for v in variables(t))

    def _status(self, i: int, cond: ast.Condition) -> Status:
        f = self.f
        if _kind(cond) == "atom":
            return "holds" if any(m not in self.assumed for m in f.match.get(i, ())) else "missing"
        if i in f.open:
            return "unchecked"
        return "holds" if i in f.holds else "fails"

    def _assumed(self, i: int) -> clingo.Symbol | None:
        """The atom added to the reading that the i-th condition matched (and no atom of the reading)."""
        matched = self.f.match.get(i, ())
        if not matched or any(m not in self.assumed for m in matched):
            return None
        return matched[0]

    # -- values and words
    def _value(self, name: str) -> clingo.Symbol:
        return self.f.bind.get(name, OPEN)

    def term(self, t: ast.Term, mode: Literal["shown", "missing"], date_: bool = False) -> str:
        """A term of the rule in words: a chosen value; in a missing condition ``_`` where any value
        will do; a variable's name where it has no value."""
        if isinstance(t, ast.Var):
            if t.name in self.loose or t.name not in self.f.bind:
                return "_" if mode == "missing" and self.in_missing[t.name] <= 1 else t.name
            return self.say.arg(self.f.bind[t.name], date_)
        if isinstance(t, ast.Anon):
            return "_"
        if isinstance(t, ast.Compound):
            return f"{t.name}({', '.join(self.term(a, mode) for a in t.args)})"
        if isinstance(t, ast.Arith):
            value = self.f.vals.get(self.plan.arith[id(t)])
            free = any(v.name in self.loose or v.name not in self.f.bind for v in variables(t))
            if value is not None and not free:
                return self.say.arg(value, date_ or is_date(t, self.kinds))
            if mode == "missing":
                return "_"
            return f"{self.term(t.left, mode, date_)} {t.op} {self.term(t.right, mode)}"
        if isinstance(t, ast.DateLit):
            return t.value.isoformat()
        return self.say.arg(_constant(t))

    def value(self, t: ast.Term) -> clingo.Symbol:
        """A term's value for a pattern one level down (``te_any`` where any value will do)."""
        if isinstance(t, ast.Var):
            return ANY if t.name in self.loose else self._value(t.name)
        if isinstance(t, ast.Anon):
            return ANY
        if isinstance(t, ast.Compound):
            return clingo.Function(t.name, [self.value(a) for a in t.args])
        if isinstance(t, ast.Arith):
            if any(self.value(ast.Var(v.name, v.span)) == ANY for v in variables(t)):
                return ANY
            return self.f.vals.get(self.plan.arith[id(t)], ANY)
        return _constant(t)

    def day(self, t: ast.Term | None) -> int | None:
        if t is None:
            return None
        v = self.value(t) if not isinstance(t, ast.Var) else self._value(t.name)
        return v.number if v.type == clingo.SymbolType.Number else None

    def literal(self, cond: ast.Literal, mode: Literal["shown", "missing"]) -> str:
        name = cond.atom.name
        decl = self.finder.rb.predicates.get(name)
        dates = {i for i, p in enumerate(decl.params) if p.kind == "date"} if decl is not None else set()
        args = [self.term(t, mode, i in dates or is_date(t, self.kinds)) for i, t in enumerate(cond.atom.args)]
        text = f"{name}({', '.join(args)})" if args else name
        if cond.on is not None:
            on = self.term(cond.on, mode, True)
            text += " on some date" if on == "_" else f" on {on}"
        return text

    def comparison(self, cond: ast.Comparison) -> str:
        date_ = is_date(cond.left, self.kinds) or is_date(cond.right, self.kinds)
        return f"{self.term(cond.left, 'shown', date_)} {cond.op} {self.term(cond.right, 'shown', date_)}"

    # -- the nodes
    def outcome(self) -> _Outcome:
        nodes: list[Node] = []
        missing: list[str] = []
        failing: list[str] = []
        unchecked: list[str] = []
        for i, (cond, status) in enumerate(zip(self.rule.conditions, self.status, strict=True)):
            node, more = self._node(i, cond, status)
            missing += more.missing
            unchecked += more.unchecked
            failing += more.failing
            nodes.append(node)
        period = self._period()
        if period is not None:
            nodes.append(period)
            if period.kind == "unchecked":
                unchecked.append(period.text)
            elif not period.holds:
                failing.append(period.text)
        if self.f.defeat is not None:
            text = self._displaced(*self.f.defeat)
            nodes.append(Node(kind="fails", holds=False, text=text))
            failing.append(text)
        head = self.f.head
        if head is not None and any(v in self.loose for v in _names(_head_terms(self.rule))):
            head = None  # a value any missing fact may give: not the atom the missing facts bring about
        return _Outcome(self.rule, nodes, sorted(set(missing)), failing, unchecked,
                        self.finder.rb.rule_in_force.get(self.rule.id), head)

    def _node(self, i: int, cond: ast.Condition, status: Status) -> tuple[Node, _Outcome]:
        more = _Outcome(self.rule, [], [], [], [])
        if status == "unchecked":
            text = "not checked: " + (self.comparison(cond) if isinstance(cond, ast.Comparison) else
                                      ("not " if cond.negated else "") + self.literal(cond, "shown"))
            more.unchecked.append(text)
            return Node(kind="unchecked", holds=False, text=text), more
        if isinstance(cond, ast.Comparison):
            node = Node(kind="comparison", text=self.comparison(cond), holds=status == "holds")
        elif cond.atom.name == "party":
            who, inst = (self.term(t, "shown") for t in cond.atom.args)
            node = self.ex.membership_node(who, inst, self.day(cond.on), holds=status == "holds", negated=cond.negated)
        elif cond.atom.name in ENTITY_KINDS:
            who = self.term(cond.atom.args[0], "shown")
            kind = cond.atom.name
            if status == "holds":
                node = self.ex.entity_node(who, kind) if not cond.negated else \
                    Node(kind="absent", text=f"{who} is not {a_kind(kind)}")
            else:
                node = Node(kind="fails", holds=False, text=f"fails: {kind}({who})" if not cond.negated else
                            f"fails: not {kind}({who}) ({who} is {a_kind(kind)})")
        elif cond.negated:
            lit = self.literal(cond, "shown")
            if status == "holds":
                node = Node(kind="absent", text=f"no {lit} recorded")
            else:
                blocker = self.f.block.get(i)
                derived = blocker is not None and self.reading.derived(blocker)
                detail = "" if blocker is None else \
                    f" ({self.say.atom(blocker)} {'holds' if derived else 'is recorded'})"
                node = Node(kind="fails", holds=False, text=f"fails: not {lit}{detail}")
        elif status == "holds":
            atom = next(m for m in self.f.match[i] if m not in self.assumed)
            if self.reading.derived(atom):
                node = Node(kind="derived", text=self.say.atom(atom), atom=self.say.atom(atom))
            else:
                node = self.ex.fact_node(atom)
        else:
            return self._missing(i, cond, more)
        if not node.holds:
            more.failing.append(node.text.removeprefix("fails: "))
        return node, more

    def _missing(self, i: int, cond: ast.Literal, more: _Outcome) -> tuple[Node, _Outcome]:
        """A positive condition no atom of the reading satisfies: the fact to add, or (a derived
        condition or a conclusion) why it does not hold, one level down."""
        lit = self.literal(cond, "missing")
        name = cond.atom.name
        decl = self.finder.rb.predicates.get(name)
        if name not in DEONTIC_KINDS and (decl is None or not decl.derived):
            more.missing.append(lit)
            return Node(kind="missing", holds=False, text=f"missing: {lit}"), more
        assumed = self._assumed(i)
        below: _Outcome | None | str
        if assumed is not None:
            below = self.assumed[assumed]
        else:
            values = [self.value(t) for t in cond.atom.args]
            on = self.value(cond.on) if cond.on is not None else ANY
            below = self.finder.below(name, values, on, self.reading, self.depth + 1)
        if below == "deep":
            text = f"not checked: {lit} (not explained further)"
            more.unchecked.append(text)
            return Node(kind="unchecked", holds=False, text=text), more
        if isinstance(below, _Outcome):
            if below.head is not None and not below.unchecked:
                self.hypotheses[below.head] = below
            more.missing += below.missing
            more.unchecked += below.unchecked
            children = [Node(kind="missing", holds=False, text=m) for m in below.missing]
            children += [Node(kind="unchecked", holds=False, text=u) for u in below.unchecked]
            return Node(kind="missing", holds=False, text=f"missing: {lit}", children=children), more
        reason = below or "no rule can conclude it"
        text = f"{lit} ({reason})"
        more.failing.append(text)
        return Node(kind="fails", holds=False, text=f"fails: {text}"), more

    def _period(self) -> Node | None:
        status = self.period_status
        if status is None:
            return None
        day = self.day(_date_term(self.rule))
        node = self.ex.period_node(self.rule, day, holds=status != "fails")
        if node is None:  # a rule without wordings of its own: its instrument's period
            if status == "holds":
                return None
            interval = self.finder.rb.rule_in_force[self.rule.id]
            when = from_day(day).isoformat() if day is not None else "that date"
            span = " ".join(filter(None, [f"from {interval.start.isoformat()}" if interval.start else "",
                                          f"until {interval.end.isoformat()}" if interval.end else ""]))
            verb = "is not" if status == "fails" else "is"
            node = Node(kind="in_force", holds=False, text=f"{self.rule.instrument} article {self.rule.article} {verb} "
                                                           f"in force on {when} ({span})")
        if status == "unchecked":
            node = node.model_copy(update={"kind": "unchecked", "holds": False, "text": f"not checked: {node.text}"})
        return node

    def _displaced(self, defeated: clingo.Symbol, higher: clingo.Symbol, kind: clingo.Symbol,
                   since: clingo.Symbol) -> str:
        """What displaces the rule: as the reading derived its defeat (te_priority(Higher, Lower), the
        higher conclusion in force on the lower one's date) if the reading has it; else as the
        relaxation found it, for an instance the missing facts would bring about."""
        if defeated in self.reading.atoms:
            node = self.reading.node(defeated)
            concl = next((t for t in node.body if t.name == "te_concl"), None)
            if node.rule is not None and concl is not None:
                higher, kind, since = node.rule.arguments[0], concl.arguments[0], concl.arguments[5]
        on = defeated.arguments[4]
        return (f"displaced by rule {higher} (its {kind} from {self.say.arg(since, True)} is in force on "
                f"{self.say.arg(on, True)}), which has priority")


__all__ = ["MAX_DEPTH", "OPEN", "WhyNotFinder"]
