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
from collections.abc import Iterable
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

    def line(self, text: str = "") -> None:
        self.put(text)
        self.end()

    def comment(self, text: str) -> None:
        """A ``%`` comment line; whatever it quotes from the rule files stays on this one line."""
        self.line("% " + visible(text))


def _asp_string(value: str) -> str:
    return str(clingo.String(value))


class _RuleCompiler:
    def __init__(self, rb: RuleBase, em: _Emitter) -> None:
        self.rb = rb
        self.em = em
        self.lower = {p.lower for p in rb.priorities}  # rules another rule has priority over
        self.fresh = 0

    def var(self, stem: str) -> str:
        self.fresh += 1
        return f"TE_{stem}{self.fresh}"

    # terms -------------------------------------------------------------------------
    def term(self, t: ast.Term) -> None:
        put = self.em.put
        if isinstance(t, ast.Var):
            put(t.name, t.span)
        elif isinstance(t, ast.Anon):
            put("_", t.span)
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
        if name == "party":
            if on is None:
                put(neg)
                put("te_party", atom.name_span)
                self.args([*atom.args, "_", "_"])
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
            return
        if name in ENTITY_KINDS:
            put(neg)
            put("te_kind", atom.name_span)
            self.args([*atom.args, name])
            return
        if name in DEONTIC_KINDS:
            put(neg)
            put("te_concl", atom.name_span)
            self.args([name, "_", *atom.args, on if on is not None else "_"])
            return
        decl = self.rb.predicates[name]
        put(neg)
        put(name, atom.name_span)
        args: list[ast.Term | str] = list(atom.args)
        if decl.event:
            args.append(on if on is not None else "_")
        if args:
            self.args(args)

    def condition(self, cond: ast.Condition) -> None:
        start = self.em.mark()
        if isinstance(cond, ast.Literal):
            self.literal(cond)
        else:
            self.term(cond.left)
            self.em.put(cond.op)
            self.term(cond.right)
        self.em.close(start, cond.span)

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
        self.em.comment(f"{rule.span.file}:{rule.span.line} {inst.id} article {rule.article}{version}{heading} "
                        f"-- rule {rule.id}{title}")

    def rule(self, rule: ast.Rule) -> None:
        interval = self.rb.rule_in_force[rule.id]
        self.comment(rule)
        head = rule.head
        em = self.em
        if isinstance(head, ast.AtomHead):
            decl = self.rb.predicates[head.atom.name]
            em.put(head.atom.name, head.atom.name_span)
            args: list[ast.Term | str] = list(head.atom.args)
            if decl.event and head.on is not None:
                args.append(head.on)
            if args:
                self.args(args)
            self.body(rule, head.on, interval, " :- ")
            em.put(".")
            em.end(rule.span)
            return
        key = self.key(rule, head)
        if rule.id in self.lower:
            # the conclusion before any priority: what a higher rule's conclusion may defeat, by date
            em.put("te_cand", head.span)
            self.args(key)
            self.body(rule, rule.trigger, interval, " :- ")
            em.put(".")
            em.end(rule.span)
            em.put("te_concl", head.span)
            self.args([head.kind, *key])
            em.put(" :- te_cand")
            self.args(key)
            em.put(",not te_defeated")
            self.args(key)
            em.put(".")
            em.end(rule.span)
        else:
            em.put("te_concl", head.span)
            self.args([head.kind, *key])
            self.body(rule, rule.trigger, interval, " :- ")
            em.put(".")
            em.end(rule.span)

        def concl() -> None:
            em.put(f"te_concl({head.kind},")
            self.joined(key)
            em.put(")")

        if rule.due is not None:
            due = rule.due
            em.put("te_due(")
            self.joined(key)
            if due.kind == "immediately":
                em.put(",immediately", due.span)
            elif due.kind == "within":
                em.put(",day(", due.span)
                self.term(key[4])  # type: ignore[arg-type]
                em.put(f"+{due.days})")
            else:
                em.put(f",day({to_day(due.date)})", due.span)  # type: ignore[arg-type]
            em.put(") :- ")
            concl()
            em.put(".")
            em.end(due.span)
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
            em.put(pred, lit.span)
            em.put("(")
            self.joined(key)
            em.put(",")
            if when is None:
                em.put("none")
            else:
                self.term(when)
            em.put(") :- ")
            concl()
            key_vars = {v.name for t in key if not isinstance(t, str) for v in variables(t)}
            if rule.conditions and any(v.name not in key_vars for t in lit.atom.args for v in variables(t)):
                # the literal shares variables with the conditions: repeat them so they agree
                self.body(rule, None, interval, ",")
            em.put(",")
            self.literal(lit)
            if when is not None:
                em.put(",")
                self.term(when)
                em.put(">=")
                self.term(key[4])  # type: ignore[arg-type]
            em.put(".")
            em.end(lit.span)

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
    for f in rb.files:
        rules = [r for r in f.rules if rb.rules.get(r.id) is r]  # (a restricted base keeps fewer)
        if not rules:
            continue
        em.comment(f"==== {f.path}")
        for rule in rules:
            rc.rule(rule)
            em.line()
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
            em.put(f"te_defeated({prio.lower},B,A,P,D) :- te_cand({prio.lower},B,A,P,D),"
                   f"te_concl(_,{prio.higher},B,A,P,D0),D0<=D,"
                   f"#count{{U:te_until({prio.higher},B,A,P,D0,U),U<=D}}=0.", prio.span)
            em.end(prio.span)
    em.line()
    em.line("% narrow output: only the conclusions (the engine adds what it decodes; the rest stays inside)")
    for shown in SHOWN:
        em.line(f"#show {shown}.")
    program = AspProgram("\n".join(em.lines) + "\n", em.map, inputs)
    check_inert(program.text)
    return program


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


#: The kinds of statement the compiler writes (clingo.ast names; ``Comment`` from clingo 5.8 on).
_STATEMENTS = frozenset({"Rule", "Defined", "External", "ShowSignature", "Comment"})


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
            where = program.source_map.lookup(int(m.group(1)), int(m.group(2)))
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
    except RuntimeError as exc:
        if "bad_alloc" in str(exc):
            raise MemoryError(str(exc)) from exc
        if not messages.diagnostics:  # clingo stopped without saying why in its log: its exception says it
            messages.diagnostics.append(map_clingo_message(program, str(exc)))
    if messages.diagnostics:
        raise TreatyError(messages.diagnostics, texts)


__all__ = ["AspProgram", "ClingoMessages", "SHOWN", "SourceMap", "check_inert", "compile_rules", "test_ground",
           "visible", "BUILTINS"]
