"""The checks of each rule and constraint: its predicates and their arguments, the kinds of its
variables, its safety, its references. :class:`engine.language.check.Checker` runs them once every
file's declarations are collected.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..errors import Diagnostic, Span, did_you_mean
from . import ast
from .rulebase import Interval, RuleBase, variables
from .vocabulary import BUILTINS, ENTITY_KINDS, KINDS, RESERVED_VARIABLE_PREFIX, a_kind, compatible


def _binding_vars(term: ast.Term) -> Iterator[ast.Var]:
    """Variables a positive atom argument binds (not those inside arithmetic)."""
    if isinstance(term, ast.Var):
        yield term
    elif isinstance(term, ast.Compound):
        for a in term.args:
            yield from _binding_vars(a)


def _article_matches(declared: set[str], ref: str) -> bool:
    return ref in declared or any(d.startswith(ref + "(") or ref.startswith(d + "(") for d in declared)


class RuleChecks:
    """The checks of one rule or constraint against the declarations collected in ``rb``; problems go to ``diags``."""

    rb: RuleBase
    diags: list[Diagnostic]

    def error(self, span: Span | None, message: str, hint: str | None = None) -> None:
        self.diags.append(Diagnostic(span, message, hint))

    def check_instrument_ref(self, name: str, span: Span) -> bool:
        if name in self.rb.instruments:
            return True
        self.error(span, f"unknown instrument `{name}`",
                   did_you_mean(name, self.rb.instruments) or "load the rule file that declares it")
        return False

    def check_rule(self, rule: ast.Rule) -> None:
        rb = self.rb
        art_key = (rule.instrument, rule.article, rule.version)
        interval = rb.article_in_force.get(art_key, Interval(None, None))
        if rule.validity is not None:  # a rule's own dates narrow its article's, never widen them
            start = max(d for d in (rule.validity.start, interval.start) if d is not None)
            ends = [d for d in (rule.validity.end, interval.end) if d is not None]
            interval = Interval(start, min(ends) if ends else None)
        rb.rule_in_force[rule.id] = interval
        kinds: dict[str, tuple[str, Span]] = {}
        head = rule.head
        deontic = isinstance(head, ast.DeonticHead)

        def use(term: ast.Term | None, kind: str) -> None:
            if term is None:
                return
            self.check_term_kind(term, kind, kinds, rule)

        # conditions first, so that messages about a variable point back to its first use
        for cond in rule.conditions:
            if isinstance(cond, ast.Literal):
                self.check_literal(cond, kinds, rule)
            else:
                for side in (cond.left, cond.right):
                    self.check_expr(side, kinds, rule)
        # head
        if isinstance(head, ast.DeonticHead):
            if head.kind == "notification" and head.counterparty is None:
                self.error(head.span, f"notification in rule `{rule.id}` names no recipient",
                           "say whom to inform: `notification M report_measures to un_security_council`")
            use(head.bearer, "entity")
            use(head.action, "term")
            use(head.counterparty, "entity" if head.kind == "notification" else "term")
            if rule.trigger is None:
                self.error(head.span, f"{head.kind} in rule `{rule.id}` has no trigger date",
                           "add `from D`, where D is the date of the event that triggers it")
            use(rule.trigger, "date")
        else:
            decl = rb.predicates.get(head.atom.name)
            if decl is None:
                self.unknown_predicate(head.atom)
            elif not decl.derived:
                self.error(head.atom.name_span, f"`{decl.name}` is an input predicate; rules conclude derived ones",
                           f"declare it with `derived {decl.name}(...)`, or conclude another predicate")
            else:
                self.check_atom_args(head.atom, [p.kind for p in decl.params], kinds, rule)
                if decl.event and head.on is None:
                    self.error(head.span, f"`{decl.name}` is an event: say when with `on D`")
                elif not decl.event and head.on is not None:
                    self.error(head.on.span, f"`{decl.name}` is not an event and takes no `on` date",
                               f"declare it `derived event {decl.name}(...)`")
                use(head.on, "date")
            if rule.trigger is not None:
                self.error(rule.trigger.span, f"`from` gives the trigger date of obligations, permissions, "
                                              f"prohibitions and notifications, not of `{head.atom.name}`",
                           f"date a derived event with `on`: `{head.atom.name}(...) on D`")
            for clause in ("due", "discharged", "until"):
                if getattr(rule, clause) is not None:
                    self.error(rule.span, f"`{clause}` applies to obligations, permissions, prohibitions and "
                                          f"notifications, not to `{head.atom.name}`")
        for clause, lit in (("discharged by", rule.discharged), ("until", rule.until)):
            if lit is not None:
                self.check_literal(lit, kinds, rule)
                decl = rb.predicates.get(lit.atom.name)
                if lit.negated or (decl is not None and not decl.event) or lit.atom.name in BUILTINS:
                    self.error(lit.span, f"`{clause}` names an event of the scenario, and "
                                         f"`{lit.atom.name}` is not one", "declare it `input event ...`")
        # dates: a time-limited wording needs a date to be judged by
        date_term = rule.trigger if deontic else head.on  # type: ignore[union-attr]
        if date_term is None and (interval.end is not None or rule.version is not None):
            self.error(rule.id_span, f"rule `{rule.id}` belongs to a wording in force only for a period, "
                                     "but has no date to judge it by",
                       "add `from D` (or `on D` on a derived event)")
        for ref in rule.references:
            self.check_reference(ref)
        self.check_readings_of(rule)
        self.check_safety(rule)
        rb.rule_var_kinds[rule.id] = {name: kind for name, (kind, _) in kinds.items()}

    def check_constraint(self, constraint: ast.Constraint) -> None:
        kinds: dict[str, tuple[str, Span]] = {}
        for cond in constraint.conditions:
            if isinstance(cond, ast.Literal):
                self.check_literal(cond, kinds, constraint)  # type: ignore[arg-type]
            else:
                for side in (cond.left, cond.right):
                    self.check_expr(side, kinds, constraint)  # type: ignore[arg-type]
        self.check_safety(constraint)
        self.rb.rule_var_kinds[constraint.id] = {name: kind for name, (kind, _) in kinds.items()}

    def unknown_predicate(self, atom: ast.Atom) -> None:
        names = list(self.rb.predicates) + list(BUILTINS)
        self.error(atom.name_span, f"unknown predicate `{atom.name}`",
                   did_you_mean(atom.name, names) or "declare it with `input` or `derived`")

    def check_reading(self, lit: ast.Literal) -> None:
        """``reading I is P``: a declared interpretation and one of its positions."""
        interp_t, pos_t = lit.atom.args
        if lit.negated or lit.on is not None:  # pragma: no cover - the grammar writes neither
            self.error(lit.span, "a reading is required as it is: no `not`, no `on`")
            return
        assert isinstance(interp_t, ast.Const) and isinstance(pos_t, ast.Const)
        interp = self.rb.interpretations.get(interp_t.name)
        if interp is None:
            self.error(interp_t.span, f"unknown interpretation `{interp_t.name}`",
                       did_you_mean(interp_t.name, self.rb.interpretations) or
                       "declare it with `interpretation ID \"question\"` and its positions")
            return
        if interp.position(pos_t.name) is None:
            ids = [p.id for p in interp.positions]
            self.error(pos_t.span, f"`{pos_t.name}` is not a position of interpretation `{interp.id}`",
                       did_you_mean(pos_t.name, ids) or f"its positions are {', '.join(ids)}")

    def check_readings_of(self, rule: ast.Rule | ast.Constraint) -> None:
        """A rule that requires two positions of one interpretation could never apply."""
        seen: dict[str, ast.Literal] = {}
        for c in rule.conditions:
            if not isinstance(c, ast.Literal) or c.atom.name != ast.READING or len(c.atom.args) != 2:
                continue
            interp, pos = c.atom.args
            assert isinstance(interp, ast.Const) and isinstance(pos, ast.Const)
            first = seen.setdefault(interp.name, c)
            other = first.atom.args[1]
            if first is not c and isinstance(other, ast.Const) and other.name != pos.name:
                self.error(c.span, f"rule `{rule.id}` requires two positions of interpretation `{interp.name}` "
                                   f"(`{other.name}` at {first.span})",
                           "a reading takes one position: write a rule for each")

    def check_literal(self, lit: ast.Literal, kinds: dict, rule: ast.Rule) -> None:
        atom = lit.atom
        if atom.name == ast.READING:
            self.check_reading(lit)
            return
        builtin = BUILTINS.get(atom.name)
        decl = self.rb.predicates.get(atom.name)
        if builtin is not None:
            params: list[str] = list(builtin.params)
            event = builtin.event
        elif decl is not None:
            params = [p.kind for p in decl.params]
            event = decl.event
        else:
            self.unknown_predicate(atom)
            return
        self.check_atom_args(atom, params, kinds, rule)
        if lit.on is not None:
            if not event:
                self.error(lit.on.span, f"`{atom.name}` is not an event and takes no `on` date",
                           "`on` follows events and `party(...)`")
            else:
                self.check_term_kind(lit.on, "date", kinds, rule)

    def check_atom_args(self, atom: ast.Atom, params: list[str] | None, kinds: dict, rule: ast.Rule) -> None:
        params = params or []
        if len(atom.args) != len(params):
            decl = self.rb.predicates.get(atom.name)
            shape = decl.shape if decl else ", ".join(params)
            self.error(atom.span, f"`{atom.name}` takes {len(params)} argument{'s' if len(params) != 1 else ''}, "
                                  f"not {len(atom.args)}", f"`{atom.name}({shape})`")
            return
        for arg, kind in zip(atom.args, params, strict=True):
            self.check_term_kind(arg, kind if kind in KINDS or kind in self.rb.symbol_kinds else "term", kinds, rule)

    def check_expr(self, term: ast.Term, kinds: dict, rule: ast.Rule) -> None:
        if isinstance(term, ast.Var):
            self.check_term_kind(term, "term", kinds, rule)
        elif isinstance(term, ast.Arith):
            for side in (term.left, term.right):
                self.check_expr(side, kinds, rule)
                self.check_term_kind(side, "number", kinds, rule) if not isinstance(side, ast.Arith) else None
        elif isinstance(term, ast.Const) and term.name == "not":
            self.error(term.span, "`not` cannot be used as a name")

    def check_term_kind(self, term: ast.Term, kind: str, kinds: dict[str, tuple[str, Span]], rule: ast.Rule) -> None:
        vocabulary = self.rb.symbol_kinds.get(kind)
        if vocabulary is not None:  # a closed vocabulary: its symbols only
            if isinstance(term, ast.Const):
                if term.name not in vocabulary:
                    self.error(term.span, f"`{term.name}` is not a declared `{kind}`",
                               did_you_mean(term.name, vocabulary) or
                               f"declare it under `symbols {kind}`: `symbol {term.name} \"its meaning\"`")
                return
            if isinstance(term, ast.Var):
                prev = kinds.get(term.name)
                if prev is not None and prev[0] in self.rb.symbol_kinds and prev[0] != kind:
                    self.error(term.span, f"variable `{term.name}` is used as {a_kind(kind)} here but as "
                                          f"{a_kind(prev[0])} at {prev[1]}",
                               "use two variables, or correct the argument")
                    return
                if prev is None or prev[0] in {"term", "symbol"}:
                    kinds[term.name] = (kind, term.span)
                    return
                kind = "symbol"  # (checked as a symbol against what the variable was before)
            else:
                kind = "symbol"
        if isinstance(term, ast.Var):
            if term.name.startswith(RESERVED_VARIABLE_PREFIX):
                self.error(term.span, f"variable names starting with `{RESERVED_VARIABLE_PREFIX}` are reserved")
            prev = kinds.get(term.name)
            if prev is not None and prev[0] in self.rb.symbol_kinds:
                prev = ("symbol", prev[1])
            if prev is not None and not compatible(prev[0], kind):
                self.error(term.span, f"variable `{term.name}` is used as {a_kind(kind)} here but as {a_kind(prev[0])} "
                                      f"at {prev[1]}", "use two variables, or correct the argument")
            elif prev is None or prev[0] in {"term", "symbol", "entity"}:
                kinds[term.name] = (kind, term.span)
            return
        if isinstance(term, ast.Anon):
            return
        if isinstance(term, ast.Arith):
            if kind not in {"date", "number", "term"}:
                self.error(term.span, f"arithmetic gives a number, but {a_kind(kind)} is expected here")
            self.check_expr(term, kinds, rule)
            return
        actual = {ast.Number: "number", ast.Days: "number", ast.DateLit: "date", ast.Str: "text",
                  ast.Compound: "symbol", ast.Const: "symbol"}[type(term)]
        if isinstance(term, ast.Const):
            if term.name == "not":
                self.error(term.span, "`not` cannot be used as a name")
                return
            if kind == "instrument":
                self.check_instrument_ref(term.name, term.span)
                return
            if term.name in self.rb.instruments and kind in ENTITY_KINDS | {"entity"}:
                self.error(term.span, f"`{term.name}` is an instrument, but {a_kind(kind)} is expected here")
                return
            actual = kind if kind in ENTITY_KINDS | {"entity"} else "symbol"
        if isinstance(term, ast.Compound):
            for a in term.args:
                self.check_term_kind(a, "term", kinds, rule)
        if not compatible(actual, kind) or (actual == "number" and kind == "date"):
            self.error(term.span, f"{a_kind(actual)} cannot stand where {a_kind(kind)} is expected",
                       "dates are written YYYY-MM-DD; `N days` is a duration, as in `D + 3 days`"
                       if kind == "date" else None)

    def check_reference(self, ref: ast.Reference) -> None:
        if not self.check_instrument_ref(ref.instrument, ref.span):
            return
        declared = {k[1] for k in self.rb.articles if k[0] == ref.instrument}
        if not _article_matches(declared, ref.article):
            self.error(ref.span, f"`{ref.instrument}` has no article {ref.article}",
                       did_you_mean(ref.article, declared) or
                       (f"its articles here: {', '.join(sorted(declared))}" if declared else None))

    def check_safety(self, rule: ast.Rule | ast.Constraint) -> None:
        what = "constraint" if isinstance(rule, ast.Constraint) else "rule"
        bound: set[str] = set()
        for cond in rule.conditions:
            if isinstance(cond, ast.Literal) and not cond.negated:
                for arg in cond.atom.args:
                    bound.update(v.name for v in _binding_vars(arg))
                builtin = BUILTINS.get(cond.atom.name)
                if isinstance(cond.on, ast.Var) and (builtin is None or builtin.on_binds):
                    bound.add(cond.on.name)
        changed = True
        while changed:  # `X = expr` binds X once expr is bound
            changed = False
            for cond in rule.conditions:
                if isinstance(cond, ast.Comparison) and cond.op == "=":
                    for a, b in ((cond.left, cond.right), (cond.right, cond.left)):
                        if isinstance(a, ast.Var) and a.name not in bound and \
                                all(v.name in bound for v in variables(b)):
                            bound.add(a.name)
                            changed = True

        def need(term: ast.Term | None, where: str) -> None:
            for v in variables(term):
                if v.name not in bound:
                    self.error(v.span, f"unsafe variable `{v.name}` in {where} of {what} `{rule.id}`",
                               f"bind `{v.name}` in a positive condition under `when`")

        if isinstance(rule, ast.Rule):
            head = rule.head
            if isinstance(head, ast.DeonticHead):
                for t in (head.bearer, head.action, head.counterparty):
                    need(t, "the conclusion")
            else:
                for t in (*head.atom.args, head.on):
                    need(t, "the conclusion")
            need(rule.trigger, "`from`")
        for cond in rule.conditions:
            if isinstance(cond, ast.Literal):
                builtin = BUILTINS.get(cond.atom.name)
                if cond.negated:
                    for t in (*cond.atom.args, cond.on):
                        need(t, "a negated condition")
                elif isinstance(cond.on, ast.Var) and builtin is not None and not builtin.on_binds:
                    need(cond.on, f"the date of `{cond.atom.name}`")
                elif cond.on is not None and not isinstance(cond.on, ast.Var):
                    need(cond.on, "a date")
            else:  # after the fixpoint above, every variable of a comparison must be bound
                need(cond.left, "a comparison")
                need(cond.right, "a comparison")
