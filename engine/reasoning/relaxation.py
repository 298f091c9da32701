"""The relaxation of one candidate rule for a why-not answer (:mod:`engine.reasoning.why_not`): its program, and
the closest instance clingo chooses.

The program is the reading's atoms as facts (given through the backend, never as text: a scenario's
names may be words of clingo's language) and a *relaxation* of the rule whose conditions are written
by the compiler's own code (:class:`engine.language.compile._RuleCompiler`), so that a condition means here
exactly what it means in the main program:

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

The optimum is the *closest instance*: :func:`_solve` reads back from the model which conditions
hold, fail, are missing or open; the atom each matched; the fact blocking a negated one; the values
of arithmetic (:class:`_Found`), which :mod:`engine.reasoning.why_not_text` words.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

import clingo

from ..dates import to_day
from ..language import ast
from ..language.compile import _defeat, _Emitter, _RuleCompiler, check_inert
from ..language.rulebase import RuleBase, variables
from ..language.vocabulary import DEONTIC_KINDS, ENTITY_KINDS

#: A variable's value when the reading has none for it: the conditions it takes part in are not checked.
OPEN = clingo.Function("te_open")

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


# ---- what a relaxation is made of -------------------------------------------------------------


def _constant(t: ast.Const | ast.Number | ast.Days | ast.DateLit | ast.Str) -> clingo.Symbol:
    """A constant of the rule language as a value."""
    if isinstance(t, ast.Const):
        return clingo.Function(t.name)
    if isinstance(t, ast.DateLit):
        return clingo.Number(to_day(t.value))
    if isinstance(t, ast.Str):
        return clingo.String(t.value)
    return clingo.Number(t.value)


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
            and cond.atom.name not in ENTITY_KINDS and cond.atom.name != ast.READING:
        return "atom"
    return "test"  # (a reading of the law is taken by the scenario or --interpret: no fact makes it hold)


def _predicate(cond: ast.Literal) -> str:
    """The predicate of the compiled program a literal reads."""
    name = cond.atom.name
    if name == "party":
        return "te_party"
    if name in ENTITY_KINDS:
        return "te_kind"
    if name == ast.READING:
        return "te_position"
    if name in DEONTIC_KINDS:
        return "te_concl"
    return name


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


# ---- the program and its closest instance ------------------------------------------------------


def _plan(rb: RuleBase, rule: ast.Rule, fixed: dict[str, clingo.Symbol],
          checks: list[tuple[ast.Term, clingo.Symbol]]) -> _Plan:
    """The relaxation of ``rule`` (see the module's docstring), each condition written by the compiler."""
    em = _Emitter()
    rc = _RuleCompiler(rb, em)

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
        elif isinstance(cond, ast.Literal) and cond.atom.name not in ("party", ast.READING) \
                and cond.atom.name not in ENTITY_KINDS:
            atom = named(ast.Literal(cond.atom, cond.on, False, cond.span))
            rule_(f"te_wn_block({i},{atom})", [*binds(names), atom])
        for t in (x for term in _cond_terms(cond) for x in _ariths(term)):
            arith[id(t)] = len(arith)
            rule_(f"te_wn_val({arith[id(t)]},TE_WN_V)", [*binds(_names([t])), f"TE_WN_V={text(rc.term, t)}"])
    n = len(rule.conditions)
    period = None
    date_term = _date_term(rule)
    interval = rb.rule_in_force[rule.id]
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
        decl = rb.predicates[head.atom.name]
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
        for prio in rb.priorities:
            if prio.lower == rule.id:
                rule_(f"te_wn_defeat(te_defeated({prio.lower},B,A,P,D),{prio.higher},K,D0)",
                      [body for body, _ in _defeat(prio, "K", rb)])
        out.append(f"te_wn_fail({defeat}) :- te_wn_defeat(_,_,_,_).")
    for k, (term, _) in enumerate(checks):  # the head's arithmetic against the pattern's values
        out.append(f":- {','.join([*binds(_names([term])), f'te_wn_pat({k},TE_WN_P)'])},"
                   f"TE_WN_P!={text(rc.term, term)}.")
    generated = "\n".join(out) + "\n"
    check_inert(generated)
    return _Plan(generated + _CHOICE, predicates, period, defeat, arith)


def _solve(plan: _Plan, fixed: dict[str, clingo.Symbol], checks: list[tuple[ast.Term, clingo.Symbol]],
           atoms: dict[str, list[clingo.Symbol]], hypotheses: Iterable[clingo.Symbol] = ()) -> _Found | None:
    """The closest instance of a plan, as clingo chooses it; ``atoms``: the reading's, by predicate
    (sorted), ``hypotheses``: derived atoms added to them. None if the head cannot take the pattern."""
    ctl = clingo.Control(["--warn=none"])
    ctl.add("base", [], plan.text)
    with ctl.backend() as bk:
        for name in sorted(plan.predicates):
            for sym in atoms.get(name, ()):
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
