"""Writing a rule's terms and conditions, as the main program has them and as the support program
(:func:`~engine.language.support.compile_support`) records them: :class:`_ConditionCompiler`, the part of the
rule compiler (:class:`~engine.language.rule_compiler._RuleCompiler`) below the level of a whole rule.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from ..dates import to_day
from . import ast
from .emit import _asp_string, _Emitter
from .rulebase import Interval, RuleBase
from .vocabulary import DEONTIC_KINDS, ENTITY_KINDS


class _ConditionCompiler:
    """Terms, conditions and rule bodies; in a support rule's body, each condition's support term too."""

    def __init__(self, rb: RuleBase, em: _Emitter) -> None:
        self.rb = rb
        self.em = em
        self.fresh = 0
        #: While a support rule's body is written: for each condition, what writes its ground term
        #: and, for a positive one, what writes the atom it needs in the model.
        self.recorded: list[tuple[Callable[[], None], Callable[[], None] | None]] | None = None
        self.anon = "_"  # what an anonymous variable is written as (te_any in a negated condition's term)
        #: a date: the support term of the next literal is ``te_from(Lit, Date)``, Lit's events on or after it
        self.after: ast.Term | str | None = None

    def var(self, stem: str) -> str:
        self.fresh += 1
        return f"TE_{stem}{self.fresh}"

    # terms -------------------------------------------------------------------------
    def term(self, t: ast.Term) -> None:
        put = self.em.put
        if isinstance(t, ast.Var):
            put(t.name, t.span)
        elif isinstance(t, ast.Anon):
            put(self.anon, t.span)
        elif isinstance(t, ast.Const):
            put(t.name, t.span)
        elif isinstance(t, ast.Compound):
            put(t.name, t.span)
            self.args(t.args)
        elif isinstance(t, ast.Number | ast.Days):
            put(str(t.value), t.span)
        elif isinstance(t, ast.DateLit):
            put(str(to_day(t.value)), t.span)
        elif isinstance(t, ast.Str):
            put(_asp_string(t.value), t.span)
        else:
            start = self.em.mark()
            put("(")
            self.term(t.left)
            put(t.op)
            self.term(t.right)
            put(")")
            self.em.close(start, t.span)

    def args(self, terms: Iterable[ast.Term | str]) -> None:
        self.em.put("(")
        self.joined(terms)
        self.em.put(")")

    def joined(self, items: Iterable[ast.Term | str]) -> None:
        for i, t in enumerate(items):
            if i:
                self.em.put(",")
            if isinstance(t, str):
                self.em.put(t)
            else:
                self.term(t)

    # conditions --------------------------------------------------------------------
    def literal(self, lit: ast.Literal) -> None:
        put = self.em.put
        atom = lit.atom
        name = atom.name
        on = lit.on
        neg = "not " if lit.negated else ""
        # in a support rule's body a positive condition names what the compiler leaves anonymous,
        # so that its term carries the atom that matched (the same match: `_` is a variable too)
        naming = self.recorded is not None and not lit.negated
        any_: Callable[[], str] = (lambda: self.var("A")) if naming else (lambda: "_")
        if naming:
            atom, on = self._named(atom), (self._named_term(on) if on is not None else None)
        if name == ast.READING:  # the position the reading takes: a fact of the scenario's program, or a choice
            put(neg)
            put("te_position", atom.name_span)
            args_r: list[ast.Term | str] = list(atom.args)
            self.args(args_r)
            self._record(lit, "te_position", args_r)
            return
        if name == "party":
            if on is None:
                put(neg)
                put("te_party", atom.name_span)
                args: list[ast.Term | str] = [*atom.args, any_(), any_()]
                self.args(args)
                self._record(lit, "te_party", args)
                return
            f, t = self.var("F"), self.var("T")
            if lit.negated:
                put(f"#count{{{f},{t}:")
            put("te_party", atom.name_span)
            self.args([*atom.args, f, t])
            put(f",{f}<=")
            self.term(on)
            put(",")
            self.term(on)
            put(f"<{t}")
            if lit.negated:
                put("}=0", lit.span)
            self._record(lit, "te_party", [*atom.args, f, t], on)
            return
        if name in ENTITY_KINDS:
            put(neg)
            put("te_kind", atom.name_span)
            args = [*atom.args, name]
            self.args(args)
            self._record(lit, "te_kind", args)
            return
        if name in DEONTIC_KINDS:
            put(neg)
            put("te_concl", atom.name_span)
            args = [name, any_(), *atom.args, on if on is not None else any_()]
            self.args(args)
            self._record(lit, "te_concl", args)
            return
        decl = self.rb.predicates[name]
        put(neg)
        put(name, atom.name_span)
        args = list(atom.args)
        if decl.event:
            args.append(on if on is not None else any_())
        if args:
            self.args(args)
        self._record(lit, name, args)

    # support terms (compile_support) -------------------------------------------------
    def _named(self, atom: ast.Atom) -> ast.Atom:
        return ast.Atom(atom.name, tuple(self._named_term(t) for t in atom.args), atom.span, atom.name_span)

    def _named_term(self, t: ast.Term) -> ast.Term:
        """``t`` with each anonymous variable a fresh named one (the same match, now visible)."""
        if isinstance(t, ast.Anon):
            return ast.Var(self.var("A"), t.span)
        if isinstance(t, ast.Compound):
            return ast.Compound(t.name, tuple(self._named_term(a) for a in t.args), t.span)
        if isinstance(t, ast.Arith):
            return ast.Arith(self._named_term(t.left), t.op, self._named_term(t.right), t.span)
        return t

    def record(self, writer: Callable[[], None], atom: bool = False) -> None:
        """A condition's support term (``atom``: a positive one, the atom itself)."""
        if self.recorded is not None:
            self.recorded.append((writer, writer if atom else None))

    def _record(self, lit: ast.Literal, pred: str, args: list[ast.Term | str], on: ast.Term | None = None) -> None:
        """The term of a condition of a support rule: the atom that matched (``te_party_on(A, D)``
        for a party on a date), or ``te_not(...)`` of a negated one with ``te_any`` where any
        value does."""
        if self.recorded is None:
            return
        span = lit.atom.name_span
        if lit.negated:
            # any value will do where the condition leaves one open; a period's are the aggregate's own
            args = ["te_any" if a == "_" else a for a in (args if on is None else [*args[:-2], "_", "_"])]
        after = self.after

        def write() -> None:
            put = self.em.put
            if lit.negated:
                put("te_not(")
                self.anon = "te_any"
            if after is not None:
                put("te_from(")
            if on is not None:
                put("te_party_on(")
            put(pred, span)
            if args:
                self.args(args)
            if on is not None:
                put(",")
                self.term(on)
                put(")")
            if after is not None:
                put(",")
                self.joined([after])
                put(")")
            if lit.negated:
                self.anon = "_"
                put(")")

        def atom() -> None:
            self.em.put(pred, span)
            if args:
                self.args(args)

        self.recorded.append((write, None if lit.negated else atom))

    def condition(self, cond: ast.Condition) -> None:
        start = self.em.mark()
        if isinstance(cond, ast.Literal):
            self.literal(cond)
        else:
            self.term(cond.left)
            self.em.put(cond.op)
            self.term(cond.right)
            self.record(lambda: self.comparison(cond.left, cond.op, cond.right))
        self.em.close(start, cond.span)

    def comparison(self, left: ast.Term | str, op: str, right: ast.Term | str) -> None:
        """A comparison's support term: ``te_cmp(L, "op", R)``, its sides evaluated."""
        self.em.put("te_cmp(")
        self.joined([left, f"{_asp_string(op)}", right])
        self.em.put(")")

    def body(self, rule: ast.Rule, date_term: ast.Term | None, interval: Interval, lead: str) -> bool:
        """The conditions and the in-force bounds, ``lead`` before the first; False if there are none.

        A rule may have neither (``rule seed: tick(alpha) on 2001-01-01.`` of an instrument without
        dates): then nothing is written, not even ``lead``, so the rule is a fact.
        """
        first = True
        for cond in rule.conditions:
            self.em.put(lead if first else ",")
            self.condition(cond)
            first = False
        if date_term is not None:
            for op, bound in ((">=", interval.start), ("<", interval.end)):
                if bound is None:
                    continue
                self.em.put(lead if first else ",")
                self.term(date_term)
                self.em.put(f"{op}{to_day(bound)}")
                first = False
        return not first
