"""Checked rule base -> ASP text, with a source map back to the rule files.

Every emitted rule is preceded by a comment naming its article and ``file:line``, so an
educator can show the logic behind a clause (``treaty compile``). Scenario data never
passes through here: it reaches clingo as symbols (see the cookbook, section 8).

Nothing of a rule file reaches the program as text except what this module makes from the parsed
rules (issue 11): names are identifiers the grammar admits (never the keyword ``not``), quoted text
becomes clingo strings, and text in comments is made visible (:func:`visible`), so a line break in a
title cannot end its comment. :func:`check_inert` verifies the result before clingo reads it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import clingo

from . import ast
from .check import Interval, RuleBase, variables
from .dates import FOREVER, to_day
from .errors import Diagnostic, Span, TreatyError, visible
from .vocabulary import BUILTINS, DEONTIC_KINDS, ENTITY_KINDS

#: Predicates the compiled program shows: the conclusions and what follows from them.
SHOWN = ("te_concl/6",)


@dataclass
class SourceMap:
    """For each generated line, the spans of the rule-file text it came from."""

    # generated line -> [(first column, end column, span)], innermost wins
    pieces: dict[int, list[tuple[int, int, Span]]] = field(default_factory=dict)

    def lookup(self, line: int, column: int) -> Span | None:
        best: tuple[int, Span] | None = None
        for c0, c1, span in self.pieces.get(line, []):
            if c0 <= column < c1 and (best is None or c1 - c0 < best[0]):
                best = (c1 - c0, span)
        return best[1] if best else None


@dataclass
class AspProgram:
    """The compiled rule base: ASP text, where each line came from, and what each rule cites."""

    text: str
    source_map: SourceMap
    input_predicates: dict[str, int]
    #: The support program (:func:`compile_support`): ground only to explain, after the main program.
    support: str = ""
    #: Its second part, the links of conclusions to their deadlines, discharges and ends: ground only
    #: when those are explained.
    support_links: str = ""
    #: Where each line of :attr:`support`, then of :attr:`support_links`, came from (clingo numbers
    #: them after the main program's lines: see :func:`support_part`).
    support_map: SourceMap = field(default_factory=SourceMap)


class _Emitter:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.cur = ""
        self.map = SourceMap()

    def put(self, text: str, span: Span | None = None) -> None:
        if span is not None:
            c0 = len(self.cur) + 1  # clingo columns are 1-based
            self.map.pieces.setdefault(len(self.lines) + 1, []).append((c0, c0 + len(text), span))
        self.cur += text

    def end(self, span: Span | None = None) -> None:
        if span is not None:  # whole-line fallback: the rule this line came from
            self.map.pieces.setdefault(len(self.lines) + 1, []).append((1, 10**9, span))
        self.lines.append(self.cur)
        self.cur = ""

    def mark(self) -> int:
        """Where the next piece of text starts; pass it to :meth:`close` to map everything since."""
        return len(self.cur) + 1

    def close(self, start: int, span: Span) -> None:
        self.map.pieces.setdefault(len(self.lines) + 1, []).append((start, len(self.cur) + 1, span))

    def take(self) -> tuple[str, list[tuple[int, int, Span]]]:
        """The current line's text so far and its map, removed (to be put after what comes next)."""
        taken = self.cur, self.map.pieces.pop(len(self.lines) + 1, [])
        self.cur = ""
        return taken

    def put_back(self, taken: tuple[str, list[tuple[int, int, Span]]]) -> None:
        """Append what :meth:`take` removed, its map moved along."""
        text, pieces = taken
        shift = len(self.cur)
        line = self.map.pieces.setdefault(len(self.lines) + 1, [])
        line += [(c0 + shift, c1 + shift, span) for c0, c1, span in pieces]
        self.cur += text

    def line(self, text: str = "") -> None:
        self.put(text)
        self.end()

    def comment(self, text: str) -> None:
        """A ``%`` comment line; whatever it quotes from the rule files stays on this one line."""
        self.line("% " + visible(text))


def _asp_string(value: str) -> str:
    return str(clingo.String(value))


class _RuleCompiler:
    def __init__(self, rb: RuleBase, em: _Emitter, support: bool = False) -> None:
        self.rb = rb
        self.em = em
        self.lower = {p.lower for p in rb.priorities}  # rules another rule has priority over
        self.fresh = 0
        self.support = support  # writing the support program (compile_support), not the main one
        self.links = _Emitter()  # the support program's links (te_link), written apart
        #: the numbers of body atoms of the te_fired and te_link rules written (see _shown)
        self.sizes: dict[str, set[int]] = {"te_fired": set(), "te_link": set()}
        self.linked: _Emitter | None = None  # the links' emitter while the rule's comment is not written yet
        self.linked_comment = ""
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
        for i, t in enumerate(terms):
            if i:
                self.em.put(",")
            if isinstance(t, str):
                self.em.put(t)
            else:
                self.term(t)
        self.em.put(")")

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
            self.linked, self.linked_comment = self.links, text

    def statement(self, head: Callable[[], None], body: Callable[[], object], span: Span | None,
                  who: str = "", in_force: Callable[[], None] | None = None, link: bool = False) -> None:
        """One rule of the program: ``head`` then ``body`` (which writes its own ``:-``).

        In the support program (:func:`compile_support`) the same body derives instead
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
            self.sizes["te_link" if link else "te_fired"].add(len(atoms))
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

    def joined(self, items: list[ast.Term | str]) -> None:
        for i, t in enumerate(items):
            if i:
                self.em.put(",")
            if isinstance(t, str):
                self.em.put(t)
            else:
                self.term(t)


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


def compile_rules(rb: RuleBase) -> AspProgram:
    """The ASP program for a checked rule base."""
    em = _Emitter()
    em.line("% treaty-engine: compiled rule base. Dates are day numbers (proleptic Gregorian ordinals).")
    em.line("% Scenario facts are added by the engine as clingo symbols, never as text.")
    em.line()
    em.line("% ---- instruments, parties and the articles the rules cite")
    for inst in sorted(rb.instruments.values(), key=lambda i: i.id):
        em.put(f"te_instrument({inst.id},{_asp_string(inst.title)}).", inst.span)
        em.end()
    for p in sorted(rb.parties, key=lambda p: (p.instrument, p.entity, p.joined)):
        end = to_day(p.left) if p.left else FOREVER
        em.put(f"te_party({p.entity},{p.instrument},{to_day(p.joined)},{end}).", p.span)
        em.end()
    em.line("% every party to a treaty in the rule base is a state (organisations are declared by scenarios)")
    em.line("te_kind(S,state) :- te_party(S,_,_,_).")
    for rid in sorted(rb.rules):
        r = rb.rules[rid]
        version = _asp_string(r.version) if r.version else "none"
        em.put(f"te_rule({rid},{r.instrument},{_asp_string(r.article)},{version}).", r.id_span)
        em.end()
        for ref in r.references:
            em.put(f"te_ref({rid},{ref.instrument},{_asp_string(ref.article)}).", ref.span)
            em.end()
    em.line()
    em.line("% ---- vocabulary: inputs come from scenarios")
    inputs: dict[str, int] = {}
    for name in sorted(rb.predicates):
        decl = rb.predicates[name]
        arity = decl.arity + (1 if decl.event else 0)
        if not decl.derived:
            inputs[name] = arity
            em.put(f"#defined {name}/{arity}.", decl.span)
            em.end()
    for extra in ("te_party/4", "te_kind/2", "te_concl/6", "te_cand/5", "te_defeated/5", "te_until/6"):
        em.line(f"#defined {extra}.")
    em.line()
    rc = _RuleCompiler(rb, em)
    _rules_by_file(rb, rc, em)
    if rb.constraints:
        em.line("% ---- constraints: conditions that can never all hold (te_check makes each one answerable)")
    for cid in sorted(rb.constraints):
        c = rb.constraints[cid]
        em.comment(f"{c.span.file}:{c.span.line} {c.instrument} article {c.article} -- constraint {cid}"
                   + (f": {c.title}" if c.title else ""))
        em.line(f"#external te_check({cid}).")
        em.put(f":- te_check({cid})")
        rc.body(c, None, Interval(None, None), ",")  # type: ignore[arg-type]
        em.put(".")
        em.end(c.span)
    if rb.priorities:
        em.line("% ---- priorities: the higher rule's conclusion defeats the lower one's for the same bearer,")
        em.line("% ---- action and counterparty while it is in force on the lower one's date: triggered on or")
        em.line("% ---- before it, and not ended (by its until event) on or before it")
        for prio in rb.priorities:
            em.put(f"te_defeated({prio.lower},B,A,P,D) :- "
                   + ",".join(body for body, _ in _defeat(prio, "_")) + ".", prio.span)
            em.end(prio.span)
    em.line()
    em.line("% narrow output: only the conclusions (the engine adds what it decodes; the rest stays inside)")
    for shown in SHOWN:
        em.line(f"#show {shown}.")
    support, links, support_map = compile_support(rb)
    program = AspProgram("\n".join(em.lines) + "\n", em.map, inputs, support, links, support_map)
    check_inert(program.text)
    check_inert(program.support)
    check_inert(program.support_links)
    return program


def _defeat(prio: ast.Priority, kind: str) -> list[tuple[str, str]]:
    """The body of the rule by which ``prio``'s higher conclusion defeats the lower candidate, as
    (condition, its support term) pairs: the candidate; the higher rule's conclusion for the same
    bearer, action and counterparty (of kind ``kind``), triggered on or before the candidate's date;
    and no until event of it on or before that date."""
    hi, lo = prio.higher, prio.lower
    return [(f"te_cand({lo},B,A,P,D)",) * 2,
            (f"te_concl({kind},{hi},B,A,P,D0)",) * 2,
            ("D0<=D", f"te_cmp(D0,{_asp_string('<=')},D)"),
            (f"#count{{U:te_until({hi},B,A,P,D0,U),U<=D}}=0", f"te_not(te_by(te_until({hi},B,A,P,D0,te_any),D))")]


#: The support program's own statements of what it is (facts: see engine/derivation.py).
SUPPORT_GROUNDED = "te_support_grounded"
LINKS_GROUNDED = "te_support_links_grounded"


def compile_support(rb: RuleBase) -> tuple[str, str, SourceMap]:
    """The support program of a checked rule base, its links' part, and where each of their lines
    came from (the links' lines numbered after the support program's).

    For every rule the main program has, one rule with the same body (written by the same code)
    deriving ``te_fired(Rule, Head, Body, Atoms, InForce)`` instead of the head: the rule's id (the
    priority's ``te_priority(Higher, Lower)``), the ground head, the ground body as a tuple of terms,
    the atoms of the model its positive conditions matched (the body's atoms, ``te_party_on``
    unwrapped: what a derivation follows, without reading the body term by term) and the rule's
    in-force bounds ``te_in_force(D, From, To)`` or ``none``. A term of the body is

    - an atom that matched, as itself (its anonymous arguments named, so ground);
    - ``te_party_on(te_party(E, I, From, To), D)``: a party-list entry whose period covers day D;
    - ``te_not(A)``: no atom of the model matches A, where ``te_any`` matches anything (a negated
      condition; ``te_not(te_party_on(te_party(E, I, te_any, te_any), D))``: E is not a party to I
      on D; ``te_not(te_by(te_until(...), D))``: no until event on or before D);
    - ``te_cmp(L, Op, R)``: a comparison, L and R evaluated, Op a string.

    A conclusion's deadline, discharge and end (``te_due``, ``te_discharged``, ``te_until``: atoms that
    no condition reads, so that no derivation of another atom passes through them) are supported by
    ``te_link(...)`` atoms of the same shape, in a part of their own (``support_links``), ground only
    when they are explained.

    The program is ground only to explain (after the main one, in the same control: multi-shot);
    a check never reads it. Its ``te_fired`` (``te_link``) atoms are shown, as flat ``te_step`` terms
    (:func:`_shown`), only while the external ``te_explaining`` (``te_explaining_links``) is true,
    as it is only for a derivation's solve: the consequences a check computes on the same control
    later (a batch's sweep) are unchanged. Rule-file text reaches it only as the main program's does.
    """
    em = _Emitter()
    em.line("% treaty-engine: the support program of the compiled rule base, ground only to explain")
    em.line("% (engine/derivation.py). te_fired(Rule, Head, Body, Atoms, InForce): the rule fired with this body.")
    em.line(f"{SUPPORT_GROUNDED}.")
    em.line()
    rc = _RuleCompiler(rb, em, support=True)
    _rules_by_file(rb, rc, em)
    if rb.priorities:
        em.line("% ---- priorities: which higher conclusion defeats which candidate")
        for prio in rb.priorities:
            parts = _defeat(prio, "K")
            em.put(f"te_fired(te_priority({prio.higher},{prio.lower}),te_defeated({prio.lower},B,A,P,D),("
                   + ",".join(term for _, term in parts) + "),(" + ",".join(term for _, term in parts[:2])
                   + "),none) :- " + ",".join(body for body, _ in parts) + ".", prio.span)
            em.end(prio.span)
    em.line()
    em.line("% what a derivation reads: the rule instances of a model, shown only while explaining")
    em.line("#external te_explaining.")
    for line in _shown("te_fired", "te_explaining", rc.sizes["te_fired"] | ({2} if rb.priorities else set())):
        em.line(line)
    links = rc.links
    links.line()
    links.line("% what explains a conclusion's deadline, discharge and end, shown only while explaining them")
    links.line(f"{LINKS_GROUNDED}.")
    links.line("#external te_explaining_links.")
    for show in _shown("te_link", "te_explaining_links", rc.sizes["te_link"]):
        links.line(show)
    offset = len(em.lines)
    for number, pieces in links.map.pieces.items():
        em.map.pieces[number + offset] = pieces
    return "\n".join(em.lines) + "\n", "\n".join(links.lines) + "\n", em.map


def _shown(pred: str, external: str, sizes: set[int]) -> list[str]:
    """The show statements of a support predicate: while ``external`` is true, each of its atoms as
    ``te_step(pred, Rule, Head, Body, InForce, Atom1, ..., AtomN)``, a flat term (one per number of
    body atoms N), so that a derivation reads a rule instance's head and atoms in one step."""
    out = []
    for n in sorted(sizes):
        atoms = [f"A{i}" for i in range(1, n + 1)]
        tup = "(" + ",".join(atoms) + ("," if n == 1 else "") + ")"
        out.append(f"#show te_step({','.join([pred, 'R', 'H', 'B', 'F', *atoms])}) : "
                   f"{pred}(R,H,B,{tup},F), {external}.")
    return out


def support_part(program: AspProgram) -> str:
    """The support program as it is added to a control holding the main program: after as many
    empty lines as the main program has, so that clingo's line numbers tell the two apart
    (:func:`map_clingo_message`)."""
    return "\n" * program.text.count("\n") + program.support


def links_part(program: AspProgram) -> str:
    """The support program's links' part as it is added to a control (after the support program's
    lines, as :func:`support_part` puts those after the main program's)."""
    return "\n" * (program.text.count("\n") + program.support.count("\n")) + program.support_links


# ---- defence in depth: the program has only what the compiler writes --------------------------

#: The directives the compiler writes; any other (``#include``, ``#script``, ``#program``, ``#const``,
#: ``#theory``...) would read a file, run code or change the program's meaning.
_DIRECTIVES = frozenset({"#defined", "#external", "#show", "#count"})

#: What the scan stops at: a string (clingo's escapes), a comment, a directive, or a character the
#: compiler never writes outside strings and comments (``@`` calls a script, ``&`` a theory atom,
#: anything not printable ASCII makes clingo's lexer fail byte by byte).
_SCAN = re.compile(r'"(?:[^"\\\n]|\\.)*"|%[^\n]*|#[A-Za-z_]*|[@&]|[^\x20-\x7e\n]')


def check_inert(text: str) -> None:
    """Refuse a program with a directive, block comment or character the compiler does not write.

    The compiler makes every line from the parsed rules, so this never fires on its own output; it
    is the second wall should a change of the compiler let rule-file text through (issue 11).
    A lexical scan (no file is read, unlike clingo's parser, which follows ``#include``), about a
    millisecond on the shipped rule base.
    """
    for m in _SCAN.finditer(text):
        token = m.group()
        first = token[0]
        if first == '"' or (first == "%" and not token.startswith("%*")):
            continue
        if first == "#" and token in _DIRECTIVES:
            continue
        line = text.count("\n", 0, m.start()) + 1
        raise AssertionError(f"compiled program line {line}: {visible(token[:40])!s} is not written by the compiler")
    _check_statements(text)


#: The kinds of statement the compiler writes (clingo.ast names; ``Comment`` from clingo 5.8 on;
#: ``ShowTerm`` in the support program).
_STATEMENTS = frozenset({"Rule", "Defined", "External", "ShowSignature", "ShowTerm", "Comment"})


def _check_statements(text: str) -> None:
    """Every statement clingo reads is of a kind the compiler writes, and comes from this text.

    Safe to parse only after the scan above: clingo's parser follows ``#include`` (reading the file).
    About 4 ms on the shipped rule base, once per compilation (the result is cached).
    """
    import clingo.ast  # (only when compiling: a rule base from the cache needs no parser)

    found: list[clingo.ast.AST] = []
    try:
        clingo.ast.parse_string(text, found.append, logger=lambda code, message: None)
    except RuntimeError:
        return  # not a program at all: test_ground reports clingo's errors, located in the rule files
    for i, statement in enumerate(found):
        kind = statement.ast_type.name
        where = statement.location.begin
        if i == 0 and kind == "Program" and statement.name == "base" and not statement.parameters:
            continue  # the implicit `#program base.` clingo puts first
        if kind not in _STATEMENTS or where.filename != "<string>":
            raise AssertionError(f"compiled program line {where.line}: a {kind} statement is not written by the "
                                 "compiler")


# ---- clingo messages, mapped back to the rule files ------------------------------------

_LOCATION = re.compile(r"<block>:(\d+):(\d+)(?:-(?:\d+:)?\d+)?: (error|warning|info|note): (.*)")


def map_clingo_message(program: AspProgram, message: str, severity: str = "error") -> Diagnostic:
    """A clingo log message as a diagnostic located in the rule files."""
    span: Span | None = None
    text: list[str] = []
    notes: list[str] = []
    for line in message.strip().splitlines():
        m = _LOCATION.match(line)
        if m:
            number, main = int(m.group(1)), program.text.count("\n")
            if number > main and program.support:  # a line of the support program (support_part)
                where = program.support_map.lookup(number - main, int(m.group(2)))
            else:
                where = program.source_map.lookup(number, int(m.group(2)))
            if span is None:
                span = where
                text.append(m.group(4))
            else:
                notes.append(f"{where or 'compiled program'}: {m.group(4)}")
        elif line.strip():
            text.append(line.strip())
    return Diagnostic(span, "clingo: " + " ".join(text).rstrip(":"), severity=severity, notes=tuple(notes))


class ClingoMessages:
    """A clingo logger that keeps errors and escalates "operation undefined" to an error."""

    def __init__(self, program: AspProgram) -> None:
        self.program = program
        self.diagnostics: list[Diagnostic] = []

    def __call__(self, code: clingo.MessageCode, message: str) -> None:
        if code in (clingo.MessageCode.RuntimeError, clingo.MessageCode.OperationUndefined):
            self.diagnostics.append(map_clingo_message(self.program, message))


def test_ground(program: AspProgram, texts: dict[str, str]) -> None:
    """Ground the compiled rules on their own so that mistakes show before any scenario runs."""
    messages = ClingoMessages(program)
    ctl = clingo.Control(logger=messages, message_limit=1000)
    try:
        ctl.add("base", [], program.text)
        ctl.ground([("base", [])])
        if program.support and not messages.diagnostics:  # the support program too, as it is ground to explain
            ctl.add("te_support", [], support_part(program))
            ctl.add("te_support_links", [], links_part(program))
            ctl.ground([("te_support", []), ("te_support_links", [])])
    except RuntimeError as exc:
        if "bad_alloc" in str(exc):
            raise MemoryError(str(exc)) from exc
        if not messages.diagnostics:  # clingo stopped without saying why in its log: its exception says it
            messages.diagnostics.append(map_clingo_message(program, str(exc)))
    if messages.diagnostics:
        raise TreatyError(messages.diagnostics, texts)


__all__ = ["AspProgram", "ClingoMessages", "SHOWN", "SourceMap", "check_inert", "compile_rules", "compile_support",
           "links_part", "support_part", "test_ground", "visible", "BUILTINS"]
