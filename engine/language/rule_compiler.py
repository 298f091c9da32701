"""Writing whole rules: each rule of the rule base as the main program has it or, for the support program
(:func:`~engine.language.support.compile_support`), as the rule instances it fires (``te_fired``, ``te_link``);
the rules of each file in order (:func:`_rules_by_file`); and the body of a priority's defeat rule
(:func:`_defeat`), which both programs write.
"""

from __future__ import annotations

from collections.abc import Callable

from ..dates import to_day
from ..errors import Span
from . import ast
from .conditions import _ConditionCompiler
from .emit import _asp_string, _Emitter
from .rulebase import Interval, RuleBase, variables


class _RuleCompiler(_ConditionCompiler):
    def __init__(self, rb: RuleBase, em: _Emitter, support: bool = False) -> None:
        super().__init__(rb, em)
        self.lower = {p.lower for p in rb.priorities}  # rules another rule has priority over
        self.support = support  # writing the support program (compile_support), not the main one
        self.links = _Emitter()  # the support program's links (te_link), written apart
        #: the lines of each rule's statements in the support program and in its links' part (what a
        #: derivation grounds of them: see engine/language/support.py, part_text)
        self.owned: dict[str, list[int]] = {}
        self.owned_links: dict[str, list[int]] = {}
        self._shows: set[tuple[str, str, int]] = set()  # (support predicate, rule, atoms) shown so far
        self.linked: _Emitter | None = None  # the links' emitter while the rule's comment is not written yet
        self.linked_comment = ""
        self.linked_rule = ""

    # rules -------------------------------------------------------------------------
    def comment(self, rule: ast.Rule) -> None:
        inst = self.rb.instruments[rule.instrument]
        art = self.rb.article_of(rule)
        version = f' (version "{rule.version}")' if rule.version else ""
        heading = f" {art.heading}" if art.heading else ""
        title = f": {rule.title}" if rule.title else ""
        text = f"{rule.span.file}:{rule.span.line} {inst.id} article {rule.article}{version}{heading} -- rule " \
               f"{rule.id}{title}"
        self.em.comment(text)
        if self.support:  # the links' part names the rule too, before its first link
            self.em.line(f"{SUPPORT_PART}({rule.id}).")  # (it is ground: see Deriver.ground)
            self.linked, self.linked_comment, self.linked_rule = self.links, text, rule.id

    def statement(self, head: Callable[[], None], body: Callable[[], object], span: Span | None,
                  who: str = "", in_force: Callable[[], None] | None = None, link: bool = False) -> None:
        """One rule of the program: ``head`` then ``body`` (which writes its own ``:-``).

        In the support program (:func:`~engine.language.support.compile_support`) the same body derives instead
        ``te_fired(who, Head, (Term, ...), (Atom, ...), InForce)``: the head as written, a term for
        each condition the body recorded, in order, the atoms its positive conditions need, and the
        in-force bounds (``none`` if there are none); ``te_link(...)``, in the links' part, for a
        ``link`` (a conclusion's deadline, discharge or end: an atom no condition reads).
        """
        if not self.support:
            head()
            body()
            self.em.put(".")
            self.em.end(span)
            return
        main = self.em
        if link:
            if self.linked is not None:
                self.linked.comment(self.linked_comment)
                self.linked.line(f"{LINKS_PART}({self.linked_rule}).")
                self.linked = None
            self.em = self.links
        em = self.em
        try:
            self.recorded = []
            body()
            writers, self.recorded = self.recorded, None
            taken = em.take()
            em.put(f"{'te_link' if link else 'te_fired'}({who},")
            head()
            em.put(",(")
            for i, (write, _) in enumerate(writers):
                if i:
                    em.put(",")
                write()
            em.put(",)," if len(writers) == 1 else "),")
            # the atoms of the body again, on their own (what a derivation follows, read in one step)
            atoms = [atom for _, atom in writers if atom is not None]
            em.put("(")
            for i, atom in enumerate(atoms):
                if i:
                    em.put(",")
                atom()
            em.put(",)," if len(atoms) == 1 else "),")
            if in_force is None:
                em.put("none")
            else:
                in_force()
            em.put(")")
            em.put_back(taken)
            em.put(".")
            em.end(span)
            pred = "te_link" if link else "te_fired"
            if (pred, who, len(atoms)) not in self._shows:
                self._shows.add((pred, who, len(atoms)))
                em.line(shown(pred, who, len(atoms)))
        finally:
            self.em = main

    def in_force(self, date_term: ast.Term | None, interval: Interval) -> Callable[[], None] | None:
        """The support term of a rule's in-force bounds: ``te_in_force(D, From, To)`` (``none``: open)."""
        if date_term is None or (interval.start is None and interval.end is None):
            return None

        def write() -> None:
            self.em.put("te_in_force(")
            self.joined([date_term, *(str(to_day(b)) if b is not None else "none"
                                      for b in (interval.start, interval.end))])
            self.em.put(")")
        return write

    def rule(self, rule: ast.Rule) -> None:
        if not self.support:
            self._rule(rule)
            return
        first, first_link = len(self.em.lines), len(self.links.lines)
        try:
            self._rule(rule)
        finally:  # the lines written for the rule: its support part (see engine/language/support.py, part_text)
            self.owned.setdefault(rule.id, []).extend(range(first, len(self.em.lines)))
            if len(self.links.lines) > first_link:
                self.owned_links.setdefault(rule.id, []).extend(range(first_link, len(self.links.lines)))

    def _rule(self, rule: ast.Rule) -> None:
        interval = self.rb.rule_in_force[rule.id]
        self.comment(rule)
        head = rule.head
        rid = rule.id
        if isinstance(head, ast.AtomHead):
            decl = self.rb.predicates[head.atom.name]
            args: list[ast.Term | str] = list(head.atom.args)
            if decl.event and head.on is not None:
                args.append(head.on)

            def atom_head() -> None:
                self.em.put(head.atom.name, head.atom.name_span)
                if args:
                    self.args(args)
            self.statement(atom_head, lambda: self.body(rule, head.on, interval, " :- "), rule.span, rid,
                           self.in_force(head.on, interval))
            return
        key = self.key(rule, head)

        def conclusion() -> None:
            self.em.put("te_concl", head.span)
            self.args([head.kind, *key])

        def concl() -> None:
            self.em.put(f"te_concl({head.kind},")
            self.joined(key)
            self.em.put(")")

        def record_concl() -> None:
            self.record(concl, atom=True)
            concl()

        if rule.id in self.lower:
            # the conclusion before any priority: what a higher rule's conclusion may defeat, by date
            def candidate() -> None:
                self.em.put("te_cand", head.span)
                self.args(key)
            self.statement(candidate, lambda: self.body(rule, rule.trigger, interval, " :- "), rule.span, rid,
                           self.in_force(rule.trigger, interval))

            def cand() -> None:
                self.em.put("te_cand")
                self.args(key)

            def not_defeated() -> None:
                self.em.put("te_not(te_defeated")
                self.args(key)
                self.em.put(")")

            def undefeated() -> None:
                self.em.put(" :- ")
                self.record(cand, atom=True)
                cand()
                self.em.put(",")
                self.record(not_defeated)
                self.em.put("not te_defeated")
                self.args(key)
            self.statement(conclusion, undefeated, rule.span, rid)
        else:
            self.statement(conclusion, lambda: self.body(rule, rule.trigger, interval, " :- "), rule.span, rid,
                           self.in_force(rule.trigger, interval))

        if rule.due is not None:
            due = rule.due

            def due_head() -> None:
                self.em.put("te_due(")
                self.joined(key)
                if due.kind == "immediately":
                    self.em.put(",immediately", due.span)
                elif due.kind == "within":
                    self.em.put(",day(", due.span)
                    self.term(key[4])  # type: ignore[arg-type]
                    self.em.put(f"+{due.days})")
                else:
                    self.em.put(f",day({to_day(due.date)})", due.span)  # type: ignore[arg-type]
                self.em.put(")")

            def due_body() -> None:
                self.em.put(" :- ")
                record_concl()
            self.statement(due_head, due_body, due.span, rid, link=True)
        for pred, lit in (("te_discharged", rule.discharged), ("te_until", rule.until)):
            if lit is None:
                continue
            when = lit.on
            lit_decl = self.rb.predicates.get(lit.atom.name)
            fresh = None
            if when is None and lit_decl is not None and lit_decl.event:
                fresh = self.var("E")
                lit = ast.Literal(lit.atom, ast.Var(fresh, lit.span), lit.negated, lit.span)
                when = lit.on

            def link_head(pred: str = pred, lit: ast.Literal = lit, when: ast.Term | None = when) -> None:
                self.em.put(pred, lit.span)
                self.em.put("(")
                self.joined(key)
                self.em.put(",")
                if when is None:
                    self.em.put("none")
                else:
                    self.term(when)
                self.em.put(")")

            def link_body(lit: ast.Literal = lit, when: ast.Term | None = when) -> None:
                self.em.put(" :- ")
                record_concl()
                key_vars = {v.name for t in key if not isinstance(t, str) for v in variables(t)}
                if rule.conditions and any(v.name not in key_vars for t in lit.atom.args for v in variables(t)):
                    # the literal shares variables with the conditions: repeat them so they agree
                    self.body(rule, None, interval, ",")
                self.em.put(",")
                self.literal(lit)
                if when is not None:
                    self.em.put(",")
                    self.term(when)
                    self.em.put(">=")
                    self.term(key[4])  # type: ignore[arg-type]
                    self.record(lambda: self.comparison(when, ">=", key[4]))
            self.statement(link_head, link_body, lit.span, rid, link=True)
            if self.support:
                self._absent_link(rule, pred, lit, key)

    def _absent_link(self, rule: ast.Rule, pred: str, lit: ast.Literal, key: list[ast.Term | str]) -> None:
        """The support of a conclusion's *not* being discharged (ended): ``te_link(Rule,
        te_no(Pred(Key)), (te_concl(...), te_not(Lit)), ...)`` where no ``Pred(Key, _)`` atom holds,
        Lit the discharging (ending) literal with what the conclusion does not fix as ``te_any``;
        ``te_not(te_from(Lit, D))`` for an event: none on or after the conclusion's date D."""
        key_vars = {v.name for t in key if not isinstance(t, str) for v in variables(t)}
        # the literal shares variables with the conditions: repeat them (as the link does) to fix them
        repeat = bool(rule.conditions) and any(v.name not in key_vars for t in lit.atom.args for v in variables(t))
        if repeat:
            key_vars |= {v.name for c in rule.conditions if isinstance(c, ast.Literal) and not c.negated
                         for t in (*c.atom.args, *([c.on] if c.on is not None else [])) for v in variables(t)}

        def open_(t: ast.Term) -> ast.Term:
            if isinstance(t, ast.Var):
                return t if t.name in key_vars else ast.Anon(t.span)
            if isinstance(t, ast.Compound):
                return ast.Compound(t.name, tuple(open_(a) for a in t.args), t.span)
            if isinstance(t, ast.Arith):
                return ast.Anon(t.span) if any(v.name not in key_vars for v in variables(t)) else t
            return t
        decl = self.rb.predicates.get(lit.atom.name)
        on = lit.on if lit.on is not None else (ast.Anon(lit.span) if decl is not None and decl.event else None)
        negated = ast.Literal(ast.Atom(lit.atom.name, tuple(open_(a) for a in lit.atom.args), lit.atom.span,
                                       lit.atom.name_span), open_(on) if on is not None else None, True, lit.span)

        def head() -> None:
            self.em.put(f"te_no({pred}(")
            self.joined(key)
            self.em.put("))")

        def body() -> None:
            self.em.put(" :- ")
            self.record(lambda: self._concl_term(rule, key), atom=True)
            self._concl_term(rule, key)
            if repeat:
                self.body(rule, None, self.rb.rule_in_force[rule.id], ",")
            e = self.var("E")
            self.em.put(f",#count{{{e}:{pred}(")
            self.joined(key)
            self.em.put(f",{e})}}=0")
            main, self.em = self.em, _Emitter()
            # only its support term is wanted (the count above is the condition): for an event, no
            # such event on or after the conclusion's date
            self.after = key[4] if negated.on is not None else None
            try:
                self.literal(negated)
            finally:
                self.em, self.after = main, None
        self.statement(head, body, lit.span, rule.id, link=True)

    def _concl_term(self, rule: ast.Rule, key: list[ast.Term | str]) -> None:
        assert isinstance(rule.head, ast.DeonticHead)
        self.em.put(f"te_concl({rule.head.kind},")
        self.joined(key)
        self.em.put(")")

    def key(self, rule: ast.Rule, head: ast.DeonticHead) -> list[ast.Term | str]:
        assert rule.trigger is not None
        return [rule.id, head.bearer, head.action, head.counterparty if head.counterparty is not None else "none",
                rule.trigger]


#: The facts that say a rule's support (its links) are ground in a control (engine/reasoning/deriver.py).
SUPPORT_PART, LINKS_PART = "te_support_part", "te_links_part"


def shown(pred: str, who: str, size: int) -> str:
    """The show statement of one rule's support atoms (``pred``: te_fired or te_link; ``who``: the
    rule, or a priority): while the external ``te_explaining`` (``te_explaining_links``) is true, each
    as ``te_step(pred, Rule, Head, Body, InForce, Atom1, ..., AtomN)``, a flat term, so that a
    derivation reads a rule instance's head and atoms in one step. One per rule (not one for all),
    so that a rule's support ground later is shown too."""
    external = "te_explaining_links" if pred == "te_link" else "te_explaining"
    atoms = [f"A{i}" for i in range(1, size + 1)]
    tup = "(" + ",".join(atoms) + ("," if size == 1 else "") + ")"
    return f"#show te_step({','.join([pred, who, 'H', 'B', 'F', *atoms])}) : {pred}({who},H,B,{tup},F), {external}."


def _rules_by_file(rb: RuleBase, rc: _RuleCompiler, em: _Emitter) -> None:
    """Each file's rules under a comment naming the file (a restricted base keeps fewer rules)."""
    for f in rb.files:
        rules = [r for r in f.rules if rb.rules.get(r.id) is r]
        if not rules:
            continue
        em.comment(f"==== {f.path}")
        for rule in rules:
            rc.rule(rule)
            em.line()


def _defeat(prio: ast.Priority, kind: str, rb: RuleBase) -> list[tuple[str, str]]:
    """The body of the rule by which ``prio``'s higher conclusion defeats the lower candidate, as
    (condition, its support term) pairs: the candidate; the higher rule's conclusion for the same
    bearer and counterparty, and the same action or the one the higher rule's head names
    (:func:`higher_action`), of kind ``kind``, triggered on or before the candidate's date; and no
    until event of it on or before that date."""
    hi, lo = prio.higher, prio.lower
    act = higher_action(rb, prio) or "A"
    return [(f"te_cand({lo},B,A,P,D)",) * 2,
            (f"te_concl({kind},{hi},B,{act},P,D0)",) * 2,
            ("D0<=D", f"te_cmp(D0,{_asp_string('<=')},D)"),
            (f"#count{{U:te_until({hi},B,{act},P,D0,U),U<=D}}=0",
             f"te_not(te_by(te_until({hi},B,{act},P,D0,te_any),D))")]


def higher_action(rb: RuleBase, prio: ast.Priority) -> str | None:
    """The higher rule's action when the two heads name different actions (a priority then says that
    the higher action covers the lower one: force on the territory of a consenting state is not force
    against it); None when they name the same action, or either is a variable."""
    heads = [getattr(rb.rules.get(r), "head", None) for r in (prio.higher, prio.lower)]
    acts = [h.action.name for h in heads if isinstance(h, ast.DeonticHead) and isinstance(h.action, ast.Const)]
    return acts[0] if len(acts) == 2 and acts[0] != acts[1] else None
