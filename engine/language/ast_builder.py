"""Lark parse tree -> typed AST (:mod:`engine.language.ast`); :mod:`engine.language.parse` reads the
text into the tree."""

from __future__ import annotations

from datetime import date
from typing import Any

from lark import Token, Tree

from ..dates import parse_iso
from ..errors import Diagnostic, Span
from . import ast

#: Words the grammar may read as a name (by context) that clingo never reads as one.
KEYWORDS = frozenset({"not"})


class Builder:
    """Walks one Lark tree; collects declarations with their context (instrument, article)."""

    def __init__(self, path: str, text: str, line: int = 1, column: int = 1) -> None:
        self.path = path
        self.text = text
        self.origin = (line, column)  # where the text starts in its file (for text embedded in YAML)
        self.diags: list[Diagnostic] = []
        self.includes: list[ast.Include] = []
        self.sources: list[ast.Source] = []
        self.instruments: list[ast.Instrument] = []
        self.parties: list[ast.Party] = []
        self.articles: list[ast.Article] = []
        self.predicates: list[ast.PredicateDecl] = []
        self.rules: list[ast.Rule] = []
        self.priorities: list[ast.Priority] = []
        self.interpretations: list[ast.Interpretation] = []
        self.symbol_kinds: list[ast.SymbolKind] = []
        self.constraints: list[ast.Constraint] = []
        self.notices: list[ast.Constraint] = []
        self.instrument: str | None = None
        self.parties_source: str | None = None
        self.article: ast.Article | None = None

    # spans
    def span(self, node: Tree | Token) -> Span:
        if isinstance(node, Token):
            return self.at(node.line or 1, node.column or 1, node.end_line, node.end_column)
        meta = node.meta
        if getattr(meta, "empty", True):
            return self.at(1, 1)
        return self.at(meta.line, meta.column, meta.end_line, meta.end_column)

    def at(self, line: int, column: int, end_line: int | None = None, end_column: int | None = None) -> Span:
        return shift(Span(self.path, line, column, end_line, end_column), *self.origin)

    def error(self, span: Span, message: str, hint: str | None = None) -> None:
        self.diags.append(Diagnostic(span, message, hint))

    # leaves
    def string(self, tok: Any) -> str:
        raw = str(tok)[1:-1]
        out, i = [], 0
        while i < len(raw):
            ch = raw[i]
            if ch == "\\" and i + 1 < len(raw):
                nxt = raw[i + 1]
                out.append({"n": "\n", "t": "\t", '"': '"', "\\": "\\"}.get(nxt, "\\" + nxt))
                i += 2
            else:
                out.append(ch)
                i += 1
        if "\0" in raw:  # clingo's strings end at a NUL: the text after it would be lost silently
            self.error(self.span(tok), "a quoted text cannot contain the NUL character",
                       "remove it; every other character, including other control characters, is kept")
        return "".join(out)

    def bounded(self, tok: Any) -> int:
        """A number clingo can hold (its integers have 32 bits; a larger one would wrap silently)."""
        value = int(str(tok))
        if value > 2**31 - 1:
            self.error(self.span(tok), f"number {value} is too large", "numbers must be below 2147483648")
            return 0
        return value

    def keyword_names(self, tree: Tree) -> None:
        """Refuse `not` wherever the grammar read it as a name: clingo reads it as negation, always."""
        for tok in tree.scan_values(lambda v: isinstance(v, Token) and v.type == "NAME" and v.value in KEYWORDS):
            self.error(self.span(tok), f"`{tok.value}` is a keyword and cannot be used as a name",
                       f"`{tok.value}` negates a condition, as in `when {tok.value} p(X)`; choose another name here")

    def date(self, tok: Any) -> date | None:
        value = parse_iso(str(tok))
        if value is None:
            self.error(self.span(tok), f"no such date: `{tok}`", "dates are written YYYY-MM-DD and must exist")
        return value

    def long_string(self, tok: Any) -> str:
        body = str(tok)[3:-3]
        lines = body.split("\n")
        # strip the common indentation of continuation lines so text blocks can be indented
        rest = [ln for ln in lines[1:] if ln.strip()]
        indent = min((len(ln) - len(ln.lstrip(" ")) for ln in rest), default=0)
        return "\n".join([lines[0]] + [ln[indent:] for ln in lines[1:]]).strip()

    # items
    def build(self, tree: Tree) -> None:
        for item in tree.children:
            getattr(self, f"item_{item.data}")(item)

    def item_include(self, t: Tree) -> None:
        self.includes.append(ast.Include(self.string(t.children[0]), self.span(t)))

    def item_source_decl(self, t: Tree) -> None:
        name, citation, url = t.children
        url_text = self.string(url) if url else None
        self.sources.append(ast.Source(str(name), self.string(citation), url_text, self.span(t)))

    def item_instrument(self, t: Tree) -> None:
        name, title, *attrs = t.children
        signed = in_force = source = None
        amendments: list[ast.Amendment] = []
        authentic: tuple[str, ...] = ()
        aliases: tuple[str, ...] = ()
        for a in attrs:
            if a.data == "signed":
                signed = self.date(a.children[0])
            elif a.data == "in_force":
                in_force = self.validity(a)
            elif a.data == "amended":
                d, f, title_tok = a.children
                signed_on = self.date(d)
                if signed_on is not None:
                    amendments.append(ast.Amendment(signed_on, self.date(f) if f else None,
                                                    self.string(title_tok) if title_tok else None, self.span(a)))
            elif a.data == "authentic":
                authentic = tuple(str(c) for c in a.children)
            elif a.data == "inst_source":
                source = str(a.children[0])
            elif a.data == "inst_alias":
                aliases += tuple(str(c) for c in a.children)
        self.instrument = str(name)
        self.parties_source = None
        self.article = None
        self.instruments.append(ast.Instrument(str(name), self.string(title), signed, in_force, tuple(amendments),
                                               authentic, source, self.span(t), aliases))

    def validity(self, t: Tree) -> ast.Validity | None:
        start, end = t.children
        s = self.date(start)
        e = self.date(end) if end else None
        return ast.Validity(s, e, self.span(t)) if s else None

    def need_instrument(self, t: Tree, what: str) -> str | None:
        if self.instrument is None:
            self.error(self.span(t), f"{what} outside an instrument",
                       "declare `instrument ID \"Title\" ...` earlier in the file")
        return self.instrument

    def item_parties_source(self, t: Tree) -> None:
        if self.need_instrument(t, "`parties source`"):
            self.parties_source = str(t.children[0])

    def item_party(self, t: Tree) -> None:
        instrument = self.need_instrument(t, "party")
        name, display, also, joined, left, source, note = t.children
        j = self.date(joined)
        if instrument is None or j is None:
            return
        self.parties.append(ast.Party(
            instrument, str(name), self.string(display) if display else None, j,
            self.date(left) if left else None, str(source) if source else self.parties_source,
            self.string(note) if note else None, self.span(t),
            tuple(self.string(s) for s in also.children) if also else ()))

    def item_article(self, t: Tree) -> None:
        instrument = self.need_instrument(t, "article")
        ref, heading, *rest = t.children
        version = replaces = None
        validity = None
        texts = []
        for a in rest:
            if a.data == "version":
                version = self.string(a.children[0])
            elif a.data == "replaces":
                replaces = self.string(a.children[0])
            elif a.data == "in_force":
                validity = self.validity(a)
            elif a.data == "text_block":
                texts.append(self.text_block(a))
        art = ast.Article(instrument or "", str(ref), self.string(heading) if heading else None, version, replaces,
                          validity, tuple(texts), self.span(t))
        self.article = art
        if instrument is not None:
            self.articles.append(art)

    def text_block(self, t: Tree) -> ast.TextBlock:
        lang, *labels, body = t.children
        authentic = False
        translation = source = None
        for lab in labels:
            if lab.data == "text_authentic":
                authentic = True
            elif lab.data == "text_translation":
                translation = self.string(lab.children[0])
            elif lab.data == "text_source":
                source = str(lab.children[0])
        return ast.TextBlock(str(lang), authentic, translation, source, self.long_string(body), self.span(t))

    def item_input_decl(self, t: Tree) -> None:
        self.predicates.append(self.predicate(t, derived=False))

    def item_derived_decl(self, t: Tree) -> None:
        self.predicates.append(self.predicate(t, derived=True))

    def predicate(self, t: Tree, derived: bool) -> ast.PredicateDecl:
        event, name, *rest = t.children
        meaning = None
        if rest and isinstance(rest[-1], Token):
            meaning = self.string(rest.pop())
        elif rest and rest[-1] is None:
            rest.pop()
        params = []
        for p in rest:
            if p is None:
                continue
            role, kind = p.children
            params.append(ast.Param(str(role) if role else None, str(kind), self.span(kind)))
        return ast.PredicateDecl(str(name), tuple(params), event is not None, derived, meaning, self.span(name))

    def item_constraint(self, t: Tree) -> None:
        self._conditions_only(t, "constraint", "encodes", self.constraints)

    def item_notice(self, t: Tree) -> None:
        self._conditions_only(t, "notice", "concerns", self.notices)

    def _conditions_only(self, t: Tree, what: str, verb: str, into: list[ast.Constraint]) -> None:
        """A constraint or a notice: conditions under the article whose text it ``verb``."""
        name, title, when = t.children
        if self.article is None:
            self.error(self.span(name), f"{what} `{name}` is outside an article",
                       f"put each {what} under the `article` whose text it {verb}")
            return
        into.append(ast.Constraint(
            str(name), self.string(title) if title else None, tuple(self.condition(x) for x in when.children),
            self.article.instrument, self.article.ref, self.article.version, self.span(t), self.span(name)))

    def item_priority(self, t: Tree) -> None:
        hi, lo = t.children
        self.priorities.append(ast.Priority(str(hi), str(lo), self.span(t), self.span(hi), self.span(lo)))

    def item_interpretation(self, t: Tree) -> None:
        name, question, *positions, default = t.children
        built = []
        for p in positions:
            pid, statement, *sources = p.children
            built.append(ast.Position(str(pid), self.string(statement), tuple(str(s) for s in sources),
                                      self.span(pid), tuple(self.span(s) for s in sources)))
        chosen = str(default.children[0])
        self.interpretations.append(ast.Interpretation(
            str(name), self.string(question), tuple(built), None if chosen == "open" else chosen, self.span(name),
            self.span(default.children[0])))

    def item_symbols(self, t: Tree) -> None:
        name, meaning, *defs = t.children
        self.symbol_kinds.append(ast.SymbolKind(
            str(name), self.string(meaning),
            tuple(ast.SymbolDef(str(d.children[0]), self.string(d.children[1]), self.span(d.children[0]))
                  for d in defs), self.span(name)))

    # rules
    def item_rule(self, t: Tree) -> None:
        name, title, head, *clauses = t.children
        if self.article is None:
            self.error(self.span(name), f"rule `{name}` is outside an article",
                       "put each rule under the `article` whose text it encodes")
            return
        conds: list[ast.Condition] = []
        trigger = due = discharged = until = validity = None
        refs = []
        for c in clauses:
            kind = c.data
            if kind == "when":
                conds.extend(self.condition(x) for x in c.children)
            elif kind == "unless":
                conds.extend(self.literal(x, negated=True) for x in c.children)
            elif kind == "trigger":
                trigger = self.term(c.children[0])
            elif kind == "due":
                d = c.children[0]
                if d.data == "immediately":
                    due = ast.Deadline("immediately", None, None, self.span(c))
                elif d.data == "within":
                    due = ast.Deadline("within", self.bounded(d.children[0]), None, self.span(c))
                else:
                    due = ast.Deadline("by", None, self.date(d.children[0]), self.span(c))
            elif kind == "discharged":
                discharged = self.literal(c.children[0])
            elif kind == "until":
                until = self.literal(c.children[0])
            elif kind == "accordance":
                refs.append(ast.Reference(str(c.children[0]), str(c.children[1]), self.span(c)))
            elif kind == "in_force":
                validity = self.validity(c)
        self.rules.append(ast.Rule(
            str(name), self.string(title) if title else None, self.head(head), tuple(conds), trigger, due,
            discharged, until, tuple(refs), validity, self.article.instrument, self.article.ref,
            self.article.version, self.span(t), self.span(name)))

    def head(self, t: Tree) -> ast.DeonticHead | ast.AtomHead:
        if t.data == "deontic_head":
            kind, bearer, action, cp_word, cp = t.children
            return ast.DeonticHead(str(kind.children[0]), self.term(bearer), self.term(action),  # type: ignore[arg-type]
                                   str(cp_word.children[0]) if cp_word else None,
                                   self.term(cp) if cp is not None else None, self.span(t))
        atom, on = t.children
        return ast.AtomHead(self.atom(atom), self.term(on) if on is not None else None, self.span(t))

    def condition(self, t: Tree) -> ast.Condition:
        if t.data == "reading":  # `reading I is P`: the built-in reading(I, P)
            interp, position = t.children
            span = self.span(t)
            atom = ast.Atom(ast.READING, (ast.Const(str(interp), self.span(interp)),
                                          ast.Const(str(position), self.span(position))), span, span)
            return ast.Literal(atom, None, False, span)
        if t.data == "negated":
            return self.literal(t.children[0], negated=True, span=self.span(t))
        if t.data == "comparison":
            left, op, right = t.children
            return ast.Comparison(self.term(left), str(op), self.term(right), self.span(t))
        return self.literal(t)

    def literal(self, t: Tree, negated: bool = False, span: Span | None = None) -> ast.Literal:
        atom, on = t.children
        return ast.Literal(self.atom(atom), self.term(on) if on is not None else None, negated, span or self.span(t))

    def atom(self, t: Tree) -> ast.Atom:
        name, *args = t.children
        terms = tuple(self.term(a) for a in args if a is not None)
        return ast.Atom(str(name), terms, self.span(t), self.span(name))

    def term(self, t: Tree | Token) -> ast.Term:
        span = self.span(t)
        if isinstance(t, Token):  # pragma: no cover - every term is wrapped by an alias
            raise AssertionError(t)
        kind, ch = t.data, t.children
        if kind == "var":
            return ast.Var(str(ch[0]), span)
        if kind == "anon":
            return ast.Anon(span)
        if kind == "const":
            return ast.Const(str(ch[0]), span)
        if kind == "compound":
            return ast.Compound(str(ch[0]), tuple(self.term(c) for c in ch[1:]), span)
        if kind in {"number", "days"}:
            value = self.bounded(ch[0])
            return ast.Number(value, span) if kind == "number" else ast.Days(value, span)
        if kind == "date":
            d = self.date(ch[0])
            return ast.DateLit(d, span) if d else ast.Number(0, span)
        if kind == "string":
            return ast.Str(self.string(ch[0]), span)
        if kind == "arith":
            left, op, right = ch
            return ast.Arith(self.term(left), str(op), self.term(right), span)
        raise AssertionError(kind)  # pragma: no cover


def shift(span: Span, line: int, column: int) -> Span:
    """A span in text that starts at (line, column) of its file, rather than at 1:1."""
    if (line, column) == (1, 1):
        return span
    col = span.column + column - 1 if span.line == 1 else span.column
    end_col = span.end_column
    if end_col is not None and span.end_line == 1:
        end_col += column - 1
    end_line = span.end_line + line - 1 if span.end_line is not None else None
    return Span(span.file, span.line + line - 1, col, end_line, end_col)
