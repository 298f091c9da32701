"""Hover, completion, definitions and the outline of a rule file."""

from __future__ import annotations

import functools
import re

from lsprotocol import types as lsp

from ..errors import Span
from ..language import ast
from ..language.vocabulary import BUILTINS
from .documents import RuleDocument, Workspace
from .names import Names
from .text import Lines

_ACCORDANCE = re.compile(r"in\s+accordance\s+with\s+(\w+)\s+article\s+(\S+?)[,.]?$")
_ARTICLE_HEAD = re.compile(r"^\s*article\s+(\S+)")


def in_text(lines: Lines, pos: lsp.Position) -> bool:
    """Whether the cursor is in a comment, a quoted string or a ``\"\"\"`` text block (words there are prose)."""
    before = lines.before(pos)
    if (sum(line.count('"""') for line in lines.lines[:pos.line]) + before.count('"""')) % 2:
        return True
    quoted = False
    for ch in before:
        if ch == '"':
            quoted = not quoted
        elif ch == "#" and not quoted:
            return True
    return quoted


def location(ws: Workspace, names: Names, span: Span) -> lsp.Location:
    path = ws.file_path(span.file)
    text = names.rb.texts.get(span.file, "")
    return lsp.Location(uri=path.as_uri(), range=Lines.of(text).range(span))


# ---- hover --------------------------------------------------------------------------------------


def hover(ws: Workspace, doc: RuleDocument, pos: lsp.Position) -> lsp.Hover | None:
    names = doc.names  # what it and the files it includes declare
    found = doc.lines.word_at(pos)
    if names is None or found is None or in_text(doc.lines, pos):
        return None
    word, where = found
    line = doc.lines.line(pos.line)
    text = None
    if _ARTICLE_HEAD.match(line) and doc.file is not None and _same_line(doc, pos.line):  # an article's heading
        for a in doc.file.articles:
            if a.span.line - 1 == pos.line:
                text = names.article_text(a)
    m = _ACCORDANCE.search(line)
    if text is None and m and doc.lines.index(pos) >= m.start(0) + line[m.start(0):].find("article"):
        articles = names.articles(m.group(1), m.group(2))
        text = "\n\n---\n\n".join(names.article_text(a) for a in articles) or None
    if text is None:
        text = names.describe(word)
    if text is None:
        return None
    return lsp.Hover(contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=text), range=where)


# ---- completion ---------------------------------------------------------------------------------


@functools.cache
def keywords() -> tuple[str, ...]:
    """The rule language's keywords, from its grammar."""
    from ..language.parse import parser

    words = {t.pattern.value for t in parser().terminals
             if t.pattern.type == "str" and re.fullmatch(r"[a-z]+", t.pattern.value)}
    return tuple(sorted(words))


def _item(label: str, kind: lsp.CompletionItemKind, detail: str | None = None, doc: str | None = None,
          snippet: str | None = None, order: str = "5") -> lsp.CompletionItem:
    return lsp.CompletionItem(
        label=label, kind=kind, detail=detail, sort_text=f"{order}{label}",
        documentation=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=doc) if doc else None,
        insert_text=snippet, insert_text_format=lsp.InsertTextFormat.Snippet if snippet else None)


def predicate_items(names: Names, only: str | None = None) -> list[lsp.CompletionItem]:
    """Predicates with their arguments as placeholders (``only``: ``event`` or ``fact`` inputs)."""
    items = []
    for p in names.rb.predicates.values():
        if only is not None and (p.derived or p.event != (only == "event")):
            continue
        args = ", ".join(f"${{{i}:{x.role or x.kind}}}" for i, x in enumerate(p.params, 1))
        kind = ("derived " if p.derived else "input ") + ("event" if p.event else "fact")
        items.append(_item(p.name, lsp.CompletionItemKind.Function, f"{p.name}({p.shape}) — {kind}", p.meaning,
                           f"{p.name}({args})" if p.params else p.name, "1"))
    if only is None:
        for b in BUILTINS.values():
            args = ", ".join(f"${{{i}:{k}}}" for i, k in enumerate(b.params, 1))
            items.append(_item(b.name, lsp.CompletionItemKind.Function, f"{b.name}({', '.join(b.params)}) — built-in",
                               b.meaning, f"{b.name}({args})", "2"))
    return items


def entity_items(names: Names) -> list[lsp.CompletionItem]:
    out = []
    for entity, entries in names.parties.items():
        parties = ", ".join(sorted({p.instrument for p in entries}))
        out.append(_item(entity, lsp.CompletionItemKind.Constant, f"{names.display_name(entity)} — party to {parties}",
                         order="3"))
    return out


def symbol_items(names: Names) -> list[lsp.CompletionItem]:
    return [_item(n, lsp.CompletionItemKind.EnumMember, f"symbol of kind {s.kind}", s.meaning, order="4")
            for n, s in names.symbols.items()]


def rule_items(names: Names) -> list[lsp.CompletionItem]:
    return [_item(r.id, lsp.CompletionItemKind.Reference, f"{r.instrument} article {r.article}", r.title, order="1")
            for r in names.rb.rules.values()]


def instrument_items(names: Names) -> list[lsp.CompletionItem]:
    return [_item(n, lsp.CompletionItemKind.Module, i.title, order="1") for n, i in names.instruments.items()]


def article_items(names: Names, instrument: str) -> list[lsp.CompletionItem]:
    inst = names.instruments.get(instrument)
    return [_item(r, lsp.CompletionItemKind.Field, h, order="1")
            for (i, r), h in names.article_headings.items() if inst and i == inst.id]


def completion(ws: Workspace, doc: RuleDocument, pos: lsp.Position) -> lsp.CompletionList:
    before = doc.lines.before(pos)
    if in_text(doc.lines, pos) and not re.search(r'^\s*include\s+"[^"]*$', before):
        return lsp.CompletionList(is_incomplete=False, items=[])
    names = doc.names  # what it and the files it includes declare
    if names is None:  # never checked yet: the language's own words
        words = [_item(k, lsp.CompletionItemKind.Keyword, order="6") for k in keywords()]
        builtins = [_item(b.name, lsp.CompletionItemKind.Function, b.meaning, order="2") for b in BUILTINS.values()]
        return lsp.CompletionList(is_incomplete=False, items=builtins + words)
    items: list[lsp.CompletionItem]
    if re.search(r"^\s*priority\s+(\w+\s+over\s+)?\w*$", before):
        items = rule_items(names)
    elif m := re.search(r"\breading\s+(\w+)\s+is\s+\w*$", before):
        interp = names.rb.interpretations.get(m.group(1))
        items = [_item(p.id, lsp.CompletionItemKind.EnumMember, None, p.statement, order="1")
                 for p in (interp.positions if interp else ())]
    elif re.search(r"\breading\s+\w*$", before):
        items = [_item(i.id, lsp.CompletionItemKind.Enum, None, i.question, order="1")
                 for i in names.rb.interpretations.values()]
    elif m := re.search(r"in\s+accordance\s+with\s+(\w+)\s+article\s+\S*$", before):
        items = article_items(names, m.group(1))
    elif re.search(r"in\s+accordance\s+with\s+\w*$", before) or re.search(r"^\s*instrument\s+\w*$", before):
        items = instrument_items(names)
    elif re.search(r"(^\s+|\s)source\s+(\w+,\s*)*\w*$", before) and not re.search(r"^source\s", before):
        items = [_item(s.id, lsp.CompletionItemKind.Reference, None, s.citation, order="1")
                 for s in names.rb.sources.values()]
    elif re.search(r'^\s*include\s+"[^"]*$', before):
        items = [_item(p.name, lsp.CompletionItemKind.File, order="1")
                 for p in sorted(doc.path.parent.glob("*.rules")) if p.resolve() != doc.path.resolve()]
    elif re.search(r"\([^()]*$", before):  # an argument
        items = entity_items(names) + symbol_items(names) + instrument_items(names)
    else:
        items = predicate_items(names) + [_item(k, lsp.CompletionItemKind.Keyword, order="6") for k in keywords()]
    return lsp.CompletionList(is_incomplete=False, items=items)


# ---- go to definition ---------------------------------------------------------------------------


def definition(ws: Workspace, doc: RuleDocument, pos: lsp.Position) -> lsp.Location | None:
    line = doc.lines.line(pos.line)
    m = re.match(r'^\s*include\s+"([^"]+)"', line)
    if m:
        target = doc.path.parent / m.group(1)
        if target.is_file():
            return lsp.Location(uri=target.resolve().as_uri(), range=lsp.Range(
                start=lsp.Position(line=0, character=0), end=lsp.Position(line=0, character=0)))
    names = doc.names  # what it and the files it includes declare
    found = doc.lines.word_at(pos)
    if names is None or found is None or in_text(doc.lines, pos):
        return None
    span = names.definition(found[0])
    if span is None:
        return None
    if span.file == doc.name and not _same_line(doc, span.line - 1, found[0]):
        return None  # the text has changed since it last parsed, and the declaration is not where it was
    return location(ws, names, span)


def _same_line(doc: RuleDocument, n: int, word: str | None = None) -> bool:
    """Whether line ``n`` of the text last parsed is line ``n`` now (or at least still has ``word``)."""
    if doc.file_text == doc.text:
        return True
    then = doc.file_text.split("\n")
    now = doc.lines.line(n)
    return (n < len(then) and then[n] == now) or (word is not None and re.search(rf"\b{re.escape(word)}\b", now)
                                                  is not None)


# ---- outline ------------------------------------------------------------------------------------


def _sym(lines: Lines, name: str, detail: str | None, kind: lsp.SymbolKind, spans: list[Span], select: Span,
         children: list[lsp.DocumentSymbol] | None = None) -> lsp.DocumentSymbol:
    ranges = [lines.range(s) for s in spans]
    start = min((r.start for r in ranges), key=lambda p: (p.line, p.character))
    end = max((r.end for r in ranges), key=lambda p: (p.line, p.character))
    sel = lines.range(select)
    if not ((start.line, start.character) <= (sel.start.line, sel.start.character)
            and (sel.end.line, sel.end.character) <= (end.line, end.character)):
        sel = lsp.Range(start=start, end=start)
    return lsp.DocumentSymbol(name=name, detail=detail, kind=kind, range=lsp.Range(start=start, end=end),
                              selection_range=sel, children=children or None)


def symbols(doc: RuleDocument) -> list[lsp.DocumentSymbol]:
    """Instruments (their articles, and under each article its rules), then predicates and interpretations."""
    f = doc.file
    if f is None:
        return []
    lines = doc.lines
    rules_of: dict[tuple[str, str, str | None], list[ast.Rule | ast.Constraint]] = {}
    every: list[ast.Rule | ast.Constraint] = [*f.rules, *f.constraints, *f.notices]
    for r in every:
        rules_of.setdefault((r.instrument, r.article, r.version), []).append(r)

    def rule_sym(r: ast.Rule | ast.Constraint) -> lsp.DocumentSymbol:
        kind = r.head.kind if isinstance(r, ast.Rule) and isinstance(r.head, ast.DeonticHead) else (
            "derives " + r.head.atom.name if isinstance(r, ast.Rule) and isinstance(r.head, ast.AtomHead)
            else "constraint")
        return _sym(lines, r.id, f"{kind}{' — ' + r.title if r.title else ''}", lsp.SymbolKind.Function,
                    [r.span], r.id_span)

    out: list[lsp.DocumentSymbol] = []
    placed: set[tuple[str, str, str | None]] = set()
    for inst in f.instruments:
        arts = []
        for a in f.articles:
            if a.instrument != inst.id:
                continue
            key = (a.instrument, a.ref, a.version)
            placed.add(key)
            rs = [rule_sym(r) for r in rules_of.get(key, [])]
            label = f"Article {a.ref}" + (f' (version "{a.version}")' if a.version else "")
            arts.append(_sym(lines, label, a.heading, lsp.SymbolKind.Namespace,
                             [a.span, *(r.span for r in rules_of.get(key, []))], a.span, rs))
        spans = [inst.span, *(a.span for a in f.articles if a.instrument == inst.id),
                 *(r.span for k, rs in rules_of.items() if k[0] == inst.id and k in placed for r in rs)]
        out.append(_sym(lines, inst.id, inst.title, lsp.SymbolKind.Module, spans, inst.span, arts))
    for key, rules in rules_of.items():  # rules of articles declared in another file
        if key not in placed:
            out.extend(rule_sym(r) for r in rules)
    out.extend(_sym(lines, p.name, p.meaning, lsp.SymbolKind.Interface, [p.span], p.span) for p in f.predicates)
    out.extend(_sym(lines, i.id, i.question, lsp.SymbolKind.Enum, [i.span], i.span) for i in f.interpretations)
    return sorted(out, key=lambda s: (s.range.start.line, s.range.start.character))
