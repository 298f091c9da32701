"""Static checks over parsed rule files; builds the merged :class:`RuleBase`.

Every problem of every file is collected before stopping, each with a location and,
where one helps, a hint.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date

from . import ast
from .errors import Diagnostic, Span, did_you_mean
from .vocabulary import (
    BUILTINS,
    DEONTIC_KINDS,
    ENTITY_KINDS,
    KINDS,
    RESERVED_PREDICATE_PREFIX,
    RESERVED_VARIABLE_PREFIX,
    a_kind,
    compatible,
)

ArticleKey = tuple[str, str, str | None]  # instrument, ref, version


@dataclass(frozen=True, slots=True)
class Interval:
    """Days from ``start`` (inclusive) to ``end`` (exclusive; None: no end)."""

    start: date | None
    end: date | None


@dataclass
class RuleBase:
    """A checked set of rule files, merged: what the compiler and the engine work from."""

    files: list[ast.RuleFile]
    texts: dict[str, str]
    sources: dict[str, ast.Source] = field(default_factory=dict)
    instruments: dict[str, ast.Instrument] = field(default_factory=dict)
    parties: list[ast.Party] = field(default_factory=list)
    articles: dict[ArticleKey, ast.Article] = field(default_factory=dict)
    article_in_force: dict[ArticleKey, Interval] = field(default_factory=dict)
    predicates: dict[str, ast.PredicateDecl] = field(default_factory=dict)
    rules: dict[str, ast.Rule] = field(default_factory=dict)
    constraints: dict[str, ast.Constraint] = field(default_factory=dict)
    rule_in_force: dict[str, Interval] = field(default_factory=dict)
    rule_var_kinds: dict[str, dict[str, str]] = field(default_factory=dict)  # rule -> variable -> kind
    priorities: list[ast.Priority] = field(default_factory=list)

    def article_of(self, rule: ast.Rule) -> ast.Article:
        return self.articles[(rule.instrument, rule.article, rule.version)]


def _terms(term: ast.Term) -> Iterator[ast.Term]:
    yield term
    if isinstance(term, ast.Compound):
        for a in term.args:
            yield from _terms(a)
    elif isinstance(term, ast.Arith):
        yield from _terms(term.left)
        yield from _terms(term.right)


def variables(term: ast.Term | None) -> Iterator[ast.Var]:
    if term is None:
        return
    for t in _terms(term):
        if isinstance(t, ast.Var):
            yield t


def _binding_vars(term: ast.Term) -> Iterator[ast.Var]:
    """Variables a positive atom argument binds (not those inside arithmetic)."""
    if isinstance(term, ast.Var):
        yield term
    elif isinstance(term, ast.Compound):
        for a in term.args:
            yield from _binding_vars(a)


def _article_matches(declared: set[str], ref: str) -> bool:
    return ref in declared or any(d.startswith(ref + "(") or ref.startswith(d + "(") for d in declared)


class Checker:
    def __init__(self, files: Sequence[ast.RuleFile], texts: dict[str, str]) -> None:
        self.rb = RuleBase(list(files), dict(texts))
        self.diags: list[Diagnostic] = []

    def error(self, span: Span | None, message: str, hint: str | None = None) -> None:
        self.diags.append(Diagnostic(span, message, hint))

    def run(self) -> tuple[RuleBase, list[Diagnostic]]:
        self.collect()
        self.check_parties()
        self.check_articles()
        for rule in self.rb.rules.values():
            self.check_rule(rule)
        for constraint in self.rb.constraints.values():
            kinds: dict[str, tuple[str, Span]] = {}
            for cond in constraint.conditions:
                if isinstance(cond, ast.Literal):
                    self.check_literal(cond, kinds, constraint)  # type: ignore[arg-type]
                else:
                    for side in (cond.left, cond.right):
                        self.check_expr(side, kinds, constraint)  # type: ignore[arg-type]
            self.check_safety(constraint)
            self.rb.rule_var_kinds[constraint.id] = {name: kind for name, (kind, _) in kinds.items()}
        self.check_priorities()
        return self.rb, sorted(self.diags, key=Diagnostic.sort_key)

    # ---- symbol tables --------------------------------------------------------

    def _unique(self, table: dict, key, node, what: str, span: Span) -> bool:
        if key in table:
            first = table[key].span
            self.error(span, f"duplicate {what}; first declared at {first}")
            return False
        table[key] = node
        return True

    def collect(self) -> None:
        rb = self.rb
        for f in rb.files:
            for s in f.sources:
                self._unique(rb.sources, s.id, s, f"source `{s.id}`", s.span)
            for i in f.instruments:
                self._unique(rb.instruments, i.id, i, f"instrument `{i.id}`", i.span)
        for f in rb.files:
            for p in f.predicates:
                self.declare_predicate(p)
            for a in f.articles:
                label = f"article {a.ref} of `{a.instrument}`" + (f' version "{a.version}"' if a.version else "")
                self._unique(rb.articles, (a.instrument, a.ref, a.version), a, label, a.span)
            for r in f.rules:
                self._unique(rb.rules, r.id, r, f"rule id `{r.id}`", r.id_span)
            for c in f.constraints:
                if c.id in rb.rules:
                    self.error(c.id_span, f"duplicate rule id `{c.id}`; first declared at {rb.rules[c.id].id_span}")
                else:
                    self._unique(rb.constraints, c.id, c, f"constraint id `{c.id}`", c.id_span)
            rb.parties.extend(f.parties)
            rb.priorities.extend(f.priorities)

    def declare_predicate(self, p: ast.PredicateDecl) -> None:
        if p.name.startswith(RESERVED_PREDICATE_PREFIX):
            self.error(p.span, f"predicate names starting with `{RESERVED_PREDICATE_PREFIX}` are reserved",
                       "choose another name")
            return
        if p.name in BUILTINS:
            self.error(p.span, f"`{p.name}` is built in and cannot be declared again")
            return
        for param in p.params:
            if param.kind not in KINDS:
                self.error(param.span, f"unknown argument kind `{param.kind}`",
                           did_you_mean(param.kind, KINDS) or f"kinds are: {', '.join(sorted(KINDS))}")
        old = self.rb.predicates.get(p.name)
        if old is None:
            self.rb.predicates[p.name] = p
        elif (old.event, old.derived, [x.kind for x in old.params]) != (p.event, p.derived, [x.kind for x in p.params]):
            self.error(p.span, f"`{p.name}` is declared differently at {old.span}",
                       "a predicate may be declared in several files, but always the same way")

    def check_source_ref(self, name: str | None, span: Span) -> None:
        if name is not None and name not in self.rb.sources:
            self.error(span, f"unknown source `{name}`",
                       did_you_mean(name, self.rb.sources) or "declare it with `source ID \"citation\"`")

    def check_instrument_ref(self, name: str, span: Span) -> bool:
        if name in self.rb.instruments:
            return True
        self.error(span, f"unknown instrument `{name}`",
                   did_you_mean(name, self.rb.instruments) or "load the rule file that declares it")
        return False

    # ---- parties, articles, vocabulary ---------------------------------------------

    def check_parties(self) -> None:
        seen: dict[tuple[str, str], list[ast.Party]] = {}
        for inst in self.rb.instruments.values():
            self.check_source_ref(inst.source, inst.span)
            for am in inst.amendments:
                if am.in_force is not None and am.in_force < am.signed:
                    self.error(am.span, f"an amendment of `{inst.id}` enters into force before it is signed")
        for p in self.rb.parties:
            self.check_source_ref(p.source, p.span)
            if p.source is None:
                self.error(p.span, f"party `{p.entity}` of `{p.instrument}` has no source",
                           "add `source ID` to the line, or `parties source ID` before the list")
            if p.left is not None and p.left <= p.joined:
                self.error(p.span, f"party `{p.entity}` leaves `{p.instrument}` before it joins")
            for q in seen.get((p.instrument, p.entity), []):
                if (q.left is None or p.joined < q.left) and (p.left is None or q.joined < p.left):
                    self.error(p.span, f"party `{p.entity}` of `{p.instrument}` overlaps the period "
                                       f"declared at {q.span}")
            seen.setdefault((p.instrument, p.entity), []).append(p)

    def check_articles(self) -> None:
        rb = self.rb
        by_ref: dict[tuple[str, str], list[ast.Article]] = {}
        for key, art in rb.articles.items():
            by_ref.setdefault(key[:2], []).append(art)
            instrument = rb.instruments.get(key[0])
            for t in art.texts:
                self.check_source_ref(t.source, t.span)
                if t.authentic and instrument and instrument.authentic and t.language not in instrument.authentic:
                    self.error(t.span, f"`{t.language}` is not an authentic language of `{instrument.id}`",
                               f"its authentic languages: {', '.join(instrument.authentic)}; "
                               'label other texts `translation "by whom"`')
                if t.authentic and t.source is None:
                    self.error(t.span, "an authentic text needs a source", "add `source ID` to the text line")
                if not t.authentic and t.translation is None:
                    self.error(t.span, f"text in `{t.language}` is neither `authentic` nor a labelled translation",
                               'mark it `authentic`, or say whose translation it is: `translation "by whom"`')
        for (inst, ref), arts in by_ref.items():
            versions = {a.version: a for a in arts}
            instrument = rb.instruments.get(inst)
            default_start = instrument.in_force.start if instrument and instrument.in_force else None
            default_end = instrument.in_force.end if instrument and instrument.in_force else None
            replaced_on: dict[str | None, date | None] = {}
            bad_replaces = False
            for a in arts:
                if a.replaces is not None:
                    if a.replaces not in versions:
                        bad_replaces = True
                        self.error(a.span, f'article {ref} of `{inst}` has no version "{a.replaces}" to replace',
                                   did_you_mean(a.replaces, [v for v in versions if v]))
                    elif a.validity is None:
                        bad_replaces = True
                        self.error(a.span, f'version "{a.version}" of article {ref} replaces "{a.replaces}" '
                                           "but does not say when it enters into force",
                                   "add `in force YYYY-MM-DD`")
                    else:
                        replaced_on[a.replaces] = a.validity.start
                if len(arts) > 1 and a.version is None:
                    self.error(a.span, f"article {ref} of `{inst}` is declared more than once without a version",
                               'label each wording: `version "1992"`')
            for a in arts:
                start = a.validity.start if a.validity else default_start
                end = a.validity.end if a.validity and a.validity.end else replaced_on.get(a.version, default_end)
                if start and end and end <= start:
                    self.error(a.span, f"article {ref} of `{inst}` ends before it begins")
                rb.article_in_force[(inst, ref, a.version)] = Interval(start, end)
            if bad_replaces:
                continue
            ordered = sorted(arts, key=lambda x: rb.article_in_force[(inst, ref, x.version)].start or date.min)
            for prev, nxt in zip(ordered, ordered[1:], strict=False):
                pi = rb.article_in_force[(inst, ref, prev.version)]
                ni = rb.article_in_force[(inst, ref, nxt.version)]
                if pi.end is None or (ni.start or date.min) < pi.end:
                    self.error(nxt.span, f'versions "{prev.version}" and "{nxt.version}" of article {ref} '
                                         f"of `{inst}` are in force at the same time",
                               f'say `replaces "{prev.version}"` or give `in force FROM to UNTIL`')

    # ---- rules --------------------------------------------------------------------

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
        self.check_safety(rule)
        rb.rule_var_kinds[rule.id] = {name: kind for name, (kind, _) in kinds.items()}

    def unknown_predicate(self, atom: ast.Atom) -> None:
        names = list(self.rb.predicates) + list(BUILTINS)
        self.error(atom.name_span, f"unknown predicate `{atom.name}`",
                   did_you_mean(atom.name, names) or "declare it with `input` or `derived`")

    def check_literal(self, lit: ast.Literal, kinds: dict, rule: ast.Rule) -> None:
        atom = lit.atom
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
            shape = ", ".join((f"{p.role}: {p.kind}" if p.role else p.kind) for p in decl.params) if decl else \
                ", ".join(params)
            self.error(atom.span, f"`{atom.name}` takes {len(params)} argument{'s' if len(params) != 1 else ''}, "
                                  f"not {len(atom.args)}", f"`{atom.name}({shape})`")
            return
        for arg, kind in zip(atom.args, params, strict=True):
            self.check_term_kind(arg, kind if kind in KINDS else "term", kinds, rule)

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
        if isinstance(term, ast.Var):
            if term.name.startswith(RESERVED_VARIABLE_PREFIX):
                self.error(term.span, f"variable names starting with `{RESERVED_VARIABLE_PREFIX}` are reserved")
            prev = kinds.get(term.name)
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

    # ---- priorities ------------------------------------------------------------------

    def check_priorities(self) -> None:
        rules = self.rb.rules
        graph: dict[str, list[ast.Priority]] = {}
        for p in self.rb.priorities:
            ok = True
            for name, span in ((p.higher, p.higher_span), (p.lower, p.lower_span)):
                if name not in rules:
                    self.error(span, f"unknown rule `{name}` in priority", did_you_mean(name, rules))
                    ok = False
                elif not isinstance(rules[name].head, ast.DeonticHead):
                    self.error(span, f"rule `{name}` concludes no obligation, permission, prohibition or "
                                     "notification, so it cannot take part in a priority")
                    ok = False
            if ok:
                graph.setdefault(p.higher, []).append(p)
        # cycles: depth-first search, reporting each cycle once, at the priority that closes it
        state: dict[str, int] = {}
        stack: list[str] = []

        def visit(node: str) -> None:
            state[node] = 1
            stack.append(node)
            for edge in graph.get(node, []):
                if state.get(edge.lower) == 1:
                    chain = [*stack[stack.index(edge.lower):], edge.lower]
                    self.error(edge.span, f"priority cycle: {' over '.join(chain)}",
                               "priorities must not loop back: remove one of them")
                elif edge.lower not in state:
                    visit(edge.lower)
            stack.pop()
            state[node] = 2

        for node in sorted(graph):
            if node not in state:
                visit(node)


def check(files: Sequence[ast.RuleFile], texts: dict[str, str]) -> tuple[RuleBase, list[Diagnostic]]:
    """Check parsed files together; returns the merged rule base and every problem found."""
    return Checker(files, texts).run()


__all__ = ["DEONTIC_KINDS", "Interval", "RuleBase", "check", "variables"]
