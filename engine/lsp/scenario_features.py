"""Hover, completion, definitions, the outline and code lenses of a scenario file."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from lsprotocol import types as lsp

from ..errors import Span
from .documents import ScenarioDocument, Workspace
from .names import Names
from .rule_features import _item, entity_items, instrument_items, location, predicate_items, rule_items, symbol_items
from .text import Lines

_KEY = re.compile(r"^(\s*)(?:-\s+)?([A-Za-z_]\w*)\s*:")
_STATUSES = ("established", "alleged", "disputed", "denied")
_ENTITY_KINDS = ("state", "organisation", "body", "group")
_DEONTIC = ("obligation", "permission", "prohibition", "notification")


def _data(doc: ScenarioDocument) -> dict:
    data = doc.yaml.data if doc.yaml is not None else None
    if data is None and doc.loaded is not None:
        data = doc.loaded.doc.data
    return data if isinstance(data, dict) else {}


def _mapping(doc: ScenarioDocument, key: str) -> dict:
    value = _data(doc).get(key)
    return value if isinstance(value, dict) else {}


def key_path(lines: Lines, line: int) -> list[str]:
    """The keys that enclose a line of block-style YAML, outermost first."""
    own = _KEY.match(lines.line(line))
    indent = len(own.group(1)) if own else len(lines.line(line)) - len(lines.line(line).lstrip())
    if not lines.line(line).strip():
        indent = 10**6
    path: list[str] = []
    for n in range(line - 1, -1, -1):
        text = lines.line(n)
        if not text.strip() or text.lstrip().startswith("#"):
            continue
        m = _KEY.match(text)
        if m and len(m.group(1)) < indent:
            path.append(m.group(2))
            indent = len(m.group(1))
            if indent == 0:
                break
    return path[::-1]


@dataclass
class Item:
    """A fact or event of the scenario (or of a variant) and the lines it takes."""

    path: tuple
    first: int  # 0-based lines
    last: int
    data: dict

    @property
    def text(self) -> str:
        return str(self.data.get("event") or self.data.get("fact") or "")

    @property
    def id(self) -> str:
        return str(self.data.get("id") or self.text)

    @property
    def group(self) -> str:
        """The id the findings name it by: that of the fact it stands or falls with, if any."""
        return str(self.data.get("together_with") or self.id)


def items(doc: ScenarioDocument) -> list[Item]:
    """The facts and events, the variants' added ones too, in the document's order."""
    if doc.yaml is None:
        return []
    found: list[tuple[tuple, dict]] = []
    data = _data(doc)
    for key in ("events", "facts"):
        for i, it in enumerate(data.get(key) or [] if isinstance(data.get(key), list) else []):
            if isinstance(it, dict):
                found.append(((key, i), it))
    for name, v in _mapping(doc, "variants").items():
        if isinstance(v, dict):
            for key in ("add_events", "add_facts"):
                for i, it in enumerate(v.get(key) or [] if isinstance(v.get(key), list) else []):
                    if isinstance(it, dict):
                        found.append((("variants", name, key, i), it))
    places = doc.yaml.places
    starts = sorted((places[p].line - 1 if p in places else 0, p, it) for p, it in found)
    out = []
    for n, (line, p, it) in enumerate(starts):
        last = starts[n + 1][0] - 1 if n + 1 < len(starts) else len(doc.lines.lines) - 1
        last = max(line, min(last, _end_of_item(doc.lines, line)))
        out.append(Item(p, line, last, it))
    return out


def _end_of_item(lines: Lines, first: int) -> int:
    """The last line of the list item that starts on ``first`` (up to the next line indented as much or less)."""
    start = lines.line(first)
    indent = len(start) - len(start.lstrip(" -"))
    last = first
    for n in range(first + 1, len(lines.lines)):
        text = lines.line(n)
        if not text.strip() or text.lstrip().startswith("#"):
            continue
        if len(text) - len(text.lstrip(" ")) < indent or text.lstrip().startswith("- "):
            break
        last = n
    return last


def item_at(doc: ScenarioDocument, line: int) -> Item | None:
    return next((it for it in items(doc) if it.first <= line <= it.last), None)


#: The keys whose values name facts or events of the scenario by id (or by text).
_REFERENCES = ("assume", "remove", "together_with", "depends_on", "accepted", "rejected")


def _opener(before: str) -> int | None:
    """Where the innermost flow collection still open at the end of ``before`` opens (quotes skipped)."""
    stack: list[int] = []
    quote = None
    for n, ch in enumerate(before):
        if quote:
            quote = None if ch == quote else quote
        elif ch in "\"'":
            quote = ch
        elif ch in "[{":
            stack.append(n)
        elif ch in "]}" and stack:
            stack.pop()
    return stack[-1] if stack else None


def _key_of(doc: ScenarioDocument, line_no: int, start: int) -> str | None:
    """The key whose value a place of a line is in: within a flow collection, the key before the place
    in it, else the collection's own; else the line's key, or the enclosing block's (a list item, a key
    of a block mapping such as ``assume:``)."""
    line = doc.lines.line(line_no)
    before = line[:start]
    j = _opener(before)
    if j is not None:
        segment = re.split(r",", before[j + 1:])[-1]
        own = re.match(r"\s*[\"']?(\w+)[\"']?\s*:\s", segment) if before[j] == "{" else None
        if own is not None:
            return own.group(1)
        outer = re.search(r"(\w+)\s*:\s*$", before[:j])
        return outer.group(1) if outer else None
    path = key_path(doc.lines, line_no)
    m = _KEY.match(line)
    if m and m.end() <= start and path[-1:] != ["assume"]:  # `key: value`, the place in the value
        return m.group(2)
    return path[-1] if path else None


def mentioned(doc: ScenarioDocument, pos: lsp.Position) -> Item | None:
    """The fact or event the cursor is on where another part names it by id or text (``assume``,
    ``remove``, ``together_with``, ``depends_on``, ``accepted``, ``rejected``; block or flow style).
    A variant sees its own added facts and the scenario's; the rest of the file the scenario's."""
    line = doc.lines.line(pos.line)
    i = doc.lines.index(pos)
    path = key_path(doc.lines, pos.line)
    variant = path[1] if path[:1] == ["variants"] and len(path) > 1 else None
    seen = [it for it in items(doc) if it.path[0] in ("events", "facts") or it.path[1] == variant]
    names = sorted(((name, it) for it in seen for name in {it.id, it.text} if name), key=lambda x: -len(x[0]))
    for name, it in names:
        start = line.find(name)
        while start >= 0:
            end = start + len(name)
            bounded = (start == 0 or not (line[start - 1].isalnum() or line[start - 1] == "_")) and (
                end == len(line) or not (line[end].isalnum() or line[end] == "_"))
            if bounded and start <= i <= end and _key_of(doc, pos.line, start) in _REFERENCES:
                return it
            start = line.find(name, start + 1)
    return None


_ARTICLE_REF = re.compile(r"\b([a-z]\w*)\s+(\d+[a-z]?(?:\([0-9a-z]+\))*|[IVXLC]+(?:\([0-9a-z]+\))*)")


def article_at(doc: ScenarioDocument, names: Names, pos: lsp.Position) -> list:
    """The articles an ``INSTRUMENT ARTICLE`` reference under the cursor names, in ``basis:`` or
    ``because:`` (``basis: cst 4(2)``)."""
    line = doc.lines.line(pos.line)
    i = doc.lines.index(pos)
    for m in _ARTICLE_REF.finditer(line):
        if m.start() <= i <= m.end() and m.group(1) in names.instruments and \
                _key_of(doc, pos.line, m.start()) in ("basis", "because"):
            return names.articles(m.group(1), m.group(2))
    return []


def in_comment(line: str, i: int) -> bool:
    """Whether the cursor is in a YAML comment (a ``#`` at the start or after a blank, outside quotes)."""
    quote = None
    for n, ch in enumerate(line[:i]):
        if quote:
            quote = None if ch == quote else quote
        elif ch in "\"'":
            quote = ch
        elif ch == "#" and (n == 0 or line[n - 1] in " \t"):
            return True
    return False


def _entities(doc: ScenarioDocument) -> dict:
    return _mapping(doc, "entities")


def _sources(doc: ScenarioDocument) -> dict:
    return _mapping(doc, "sources")


# ---- hover --------------------------------------------------------------------------------------


def _fact_text(doc: ScenarioDocument, it: Item) -> str:
    d = it.data
    status = d.get("status", "?")
    on = d.get("on")
    dates = ", ".join(str(x) for x in on) if isinstance(on, list) else (str(on) if on else "")
    out = [f"**{'event' if 'event' in d else 'fact'}** `{it.text}`" + (f" on {dates}" if dates else ""),
           f"status: **{status}**" + (" (contested: both readings count)" if status in ("alleged", "disputed") else "")]
    src = d.get("source")
    cite = _sources(doc).get(src) if isinstance(src, str) else None
    if isinstance(cite, dict):
        url = f" <{cite['url']}>" if cite.get("url") else ""
        out.append(f"source `{src}`: {cite.get('cite', '')}{url}")
    elif src:
        out.append(f"source `{src}`")
    if d.get("note"):
        out.append(f"note: {str(d['note']).strip()}")
    if it.path[0] in ("events", "facts") and doc.findings is not None:
        deps = doc.dependents().get(it.group, [])
        if deps:
            out.append(f"{len(deps)} conclusion{'s' if len(deps) != 1 else ''} depend on it:\n"
                       + "\n".join(f"- {c['kind']}: {c['bearer']} {c['action']}"
                                   + (f" → {c.get('beneficiary') or c.get('recipient')}"
                                      if c.get("beneficiary") or c.get("recipient") else "")
                                   + f" ({c['basis']['instrument']} {c['basis']['article']}, holds: {c['holds']})"
                                   for c in deps[:12])
                       + ("\n- …" if len(deps) > 12 else ""))
        elif status in ("alleged", "disputed"):
            out.append("no conclusion depends on it")
    return "\n\n".join(out)


def hover(ws: Workspace, doc: ScenarioDocument, pos: lsp.Position) -> lsp.Hover | None:
    found = doc.lines.word_at(pos)
    line = doc.lines.line(pos.line)
    if found is None or in_comment(line, doc.lines.index(pos)):
        return None
    word, where = found
    names = ws.names(load=False)
    parts: list[str] = []
    if names is not None:
        parts += [names.article_text(a) for a in article_at(doc, names, pos)]
    other = mentioned(doc, pos)
    if not parts and other is not None:
        parts.append(_fact_text(doc, other))
    entity = _entities(doc).get(word)
    if not parts and isinstance(entity, dict):
        parts.append(f"**{entity.get('name', word)}** (`{word}`) — {entity.get('kind', '?')}"
                     + (f"\n\n{entity['note']}" if entity.get("note") else ""))
        if names is not None and word in names.parties:
            parts.append(names.entity_text(word))
    source = _sources(doc).get(word)
    if not parts and isinstance(source, dict) and re.search(rf"(source:\s*|^\s*){word}\b", line):
        parts.append(f"**source `{word}`**\n\n{source.get('cite', '')}" + (f"\n\n<{source['url']}>"
                                                                           if source.get("url") else ""))
    it = item_at(doc, pos.line)
    if not parts and it is not None:
        parts.append(_fact_text(doc, it))
        if names is not None and word in names.rb.predicates:
            parts.append(names.predicate_text(names.rb.predicates[word]))
        elif names is not None and word in names.parties:
            parts.append(names.entity_text(word))
        elif names is not None and word in names.symbols:
            parts.append(names.describe(word) or "")
    if not parts and names is not None:
        described = names.describe(word)
        if described:
            parts.append(described)
    if not parts:
        return None
    return lsp.Hover(contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value="\n\n---\n\n".join(parts)),
                     range=where)


# ---- completion ---------------------------------------------------------------------------------


def _fact_ids(doc: ScenarioDocument) -> list[str]:
    return list(dict.fromkeys(it.id for it in items(doc)))


def _scenario_entities(doc: ScenarioDocument) -> list[lsp.CompletionItem]:
    out = []
    for k, v in _entities(doc).items():
        shown = v.get("name") if isinstance(v, dict) else None
        kind = v.get("kind") if isinstance(v, dict) else None
        out.append(_item(str(k), lsp.CompletionItemKind.Constant, f"{shown} — {kind} (this scenario)", order="2"))
    return out


def _plain(labels: Any, kind: lsp.CompletionItemKind, detail: str | None = None) -> list[lsp.CompletionItem]:
    return [_item(str(x), kind, detail, order="1") for x in labels]


_FLOW = re.compile(r"\b(\w+):\s*([\[{])([^\[\]{}]*)$")
_FACT_LISTS = ("assume", "remove", "depends_on", "accepted", "rejected")


def _flow(before: str) -> tuple[str, str, str | None] | None:
    """In a flow collection (``assume: {a: established, b: ``): its key, ``key``, ``value`` or ``item``, and
    the key whose value the cursor is on."""
    m = _FLOW.search(before)
    if m is None:
        return None
    segment = m.group(3).rsplit(",", 1)[-1]
    if m.group(2) == "{":
        if ":" in segment:
            return m.group(1), "value", segment.split(":", 1)[0].strip().strip("\"'")
        return m.group(1), "key", None
    return m.group(1), "item", None


def _flow_items(doc: ScenarioDocument, names: Names | None, flow: tuple[str, str, str | None]
                ) -> list[lsp.CompletionItem] | None:
    container, part, key = flow
    if container == "assume" and part == "value":
        return _plain(_STATUSES, lsp.CompletionItemKind.EnumMember, "how firmly it is established")
    if container in _FACT_LISTS:
        return [_item(i, lsp.CompletionItemKind.Reference, "a fact or event of this scenario", order="1",
                      snippet=f'"{i}"' if re.search(r"[(), ]", i) else None) for i in _fact_ids(doc)]
    if names is None:
        return None
    if container == "because":
        return _basis_items(names)
    if container == "interpretations":
        return _interpretation_items(names, key if part == "value" else None)
    if container == "instruments":
        return instrument_items(names)
    return None


def _basis_items(names: Names) -> list[lsp.CompletionItem]:
    articles = sorted({(i, r): a.heading for (i, r, _), a in names.rb.articles.items()}.items())
    return rule_items(names) + [_item(f"{i} {r}", lsp.CompletionItemKind.Field, h, order="2")
                                for (i, r), h in articles]


def _interpretation_items(names: Names, key: str | None) -> list[lsp.CompletionItem]:
    """The interpretations, or (``key``) the positions of one and ``open``."""
    if key is not None:
        interp = names.rb.interpretations.get(key)
        return _plain(["open", *(p.id for p in (interp.positions if interp else ()))],
                      lsp.CompletionItemKind.EnumMember)
    return [_item(i.id, lsp.CompletionItemKind.Enum, None, i.question, order="1")
            for i in names.rb.interpretations.values()]


def completion(ws: Workspace, doc: ScenarioDocument, pos: lsp.Position) -> lsp.CompletionList:
    names = ws.names(load=False)
    before = doc.lines.before(pos)
    if in_comment(before, len(before)):
        return lsp.CompletionList(is_incomplete=False, items=[])
    path = key_path(doc.lines, pos.line)
    entities = _scenario_entities(doc) + (entity_items(names) if names else [])
    items_: list[lsp.CompletionItem] = []
    flow = _flow(before)
    flowing = _flow_items(doc, names, flow) if flow else None
    if flowing is not None:
        items_ = flowing
    elif re.search(r"\bstatus:\s*\w*$", before) or (path[-1:] == ["assume"] and re.search(r":\s*\w*$", before)):
        items_ = _plain(_STATUSES, lsp.CompletionItemKind.EnumMember, "how firmly it is established")
    elif re.search(r"\bsource:\s*\w*$", before):
        items_ = [_item(str(k), lsp.CompletionItemKind.Reference, None,
                        v.get("cite") if isinstance(v, dict) else None, order="1") for k, v in _sources(doc).items()]
    elif m := re.search(r"\b(event|fact):\s*[\"']?\w+\([^)]*$", before):
        items_ = entities + (symbol_items(names) if names else [])
    elif m := re.search(r"\b(event|fact):\s*[\"']?\w*$", before):
        items_ = predicate_items(names, m.group(1)) if names else []
    elif re.search(r"\b(together_with):\s*\S*$", before) or (path[-1:] and path[-1] in _FACT_LISTS):
        items_ = _plain(_fact_ids(doc), lsp.CompletionItemKind.Reference, "a fact or event of this scenario")
    elif re.search(r"\bkind:\s*\w*$", before):
        kinds = _ENTITY_KINDS if "entities" in path else _DEONTIC
        items_ = _plain(kinds, lsp.CompletionItemKind.EnumMember)
    elif re.search(r"\b(bearer|beneficiary|recipient):\s*\w*$", before):
        items_ = entities
    elif re.search(r"\bholds:\s*\w*$", before):
        items_ = _plain(("all", "some", "none"), lsp.CompletionItemKind.EnumMember)
    elif names is not None and re.search(r"\baction:\s*\w*$", before):
        items_ = _plain(sorted(names.actions), lsp.CompletionItemKind.Value, "an action the rules conclude")
    elif names is not None and (re.search(r"\bbasis:\s*[\"']?[\w ]*$", before) or "because" in path[-1:]):
        items_ = _basis_items(names)
    elif names is not None and path[-1:] == ["interpretations"]:
        m = re.match(r"^\s*(\w+):\s*\w*$", before)
        items_ = _interpretation_items(names, m.group(1) if m else None)
    elif names is not None and (path[-1:] == ["instruments"] or re.search(r"\binstruments:\s*\[[^\]]*$", before)):
        items_ = instrument_items(names)
    elif re.fullmatch(r"\w*", before):
        from ..cases.scenario import Scenario

        items_ = _plain(Scenario.model_fields, lsp.CompletionItemKind.Property)
    return lsp.CompletionList(is_incomplete=False, items=items_)


# ---- go to definition ---------------------------------------------------------------------------


def definition(ws: Workspace, doc: ScenarioDocument, pos: lsp.Position) -> lsp.Location | None:
    found = doc.lines.word_at(pos)
    if found is None or doc.yaml is None or in_comment(doc.lines.line(pos.line), doc.lines.index(pos)):
        return None
    word = found[0]
    other = mentioned(doc, pos)  # a fact named by its id, elsewhere: its statement
    if other is not None:
        line = doc.lines.line(other.first)
        column = len(line) - len(line.lstrip(" -{")) + 1
        return lsp.Location(uri=doc.uri, range=doc.lines.range(Span(doc.name, other.first + 1, column)))
    for group in ("entities", "sources"):
        if word in _mapping(doc, group) and (group, word) in doc.yaml.key_places:
            span = doc.yaml.span((group, word), key=True)
            return lsp.Location(uri=doc.uri, range=doc.lines.range(span))
    names = ws.names(load=False)
    if names is None:
        return None
    span = names.definition(word)
    return location(ws, names, span) if span is not None else None


# ---- outline and lenses -------------------------------------------------------------------------


def symbols(doc: ScenarioDocument) -> list[lsp.DocumentSymbol]:
    """The facts and events, the variants, the entities and the sources, each under its key."""
    if doc.yaml is None:
        return []
    lines = doc.lines
    tops = [(n, m.group(2)) for n in range(len(lines.lines)) if (m := _KEY.match(lines.line(n))) and not m.group(1)]

    def rng(first: int, last: int) -> lsp.Range:
        return lsp.Range(start=lsp.Position(line=first, character=0),
                         end=lsp.Position(line=last, character=len(lines.line(last))))

    def block(key: str) -> tuple[int, int] | None:
        for i, (n, k) in enumerate(tops):
            if k == key:
                end = tops[i + 1][0] - 1 if i + 1 < len(tops) else len(lines.lines) - 1
                return n, max(n, end)
        return None

    out: list[lsp.DocumentSymbol] = []
    facts = [it for it in items(doc) if it.path[0] in ("events", "facts")]
    for key in ("events", "facts"):
        where = block(key)
        if where is None:
            continue
        children = [lsp.DocumentSymbol(name=it.text or "?",
                                       detail=f"{it.data.get('status', '')} {it.data.get('on', '')}".strip(),
                                       kind=lsp.SymbolKind.Event, range=rng(it.first, it.last),
                                       selection_range=rng(it.first, it.first))
                    for it in facts if it.path[0] == key and where[0] <= it.first <= where[1]]
        out.append(lsp.DocumentSymbol(name=key, kind=lsp.SymbolKind.Namespace, range=rng(*where),
                                      selection_range=rng(where[0], where[0]), children=children))
    for key, kind in (("variants", lsp.SymbolKind.Object), ("entities", lsp.SymbolKind.Constant),
                      ("sources", lsp.SymbolKind.String)):
        where = block(key)
        if where is None:
            continue
        keys = [k for k in _mapping(doc, key) if (key, k) in doc.yaml.key_places]
        firsts = sorted((doc.yaml.key_places[(key, k)].line - 1, str(k)) for k in keys)
        children = []
        for i, (first, name) in enumerate(firsts):
            last = firsts[i + 1][0] - 1 if i + 1 < len(firsts) else where[1]
            last = max(first, min(last, where[1]))
            value = _mapping(doc, key).get(name)
            detail = value.get("description") or value.get("name") or value.get("cite") if isinstance(value, dict) \
                else None
            children.append(lsp.DocumentSymbol(name=name, detail=str(detail)[:80] if detail else None, kind=kind,
                                               range=rng(first, last), selection_range=rng(first, first)))
        out.append(lsp.DocumentSymbol(name=key, kind=lsp.SymbolKind.Namespace, range=rng(*where),
                                      selection_range=rng(where[0], where[0]), children=children))
    return sorted(out, key=lambda s: s.range.start.line)


def code_lenses(doc: ScenarioDocument) -> list[lsp.CodeLens]:
    """Over each contested fact (alleged or disputed, or dated on one of several days): how many
    conclusions depend on it."""
    if doc.findings is None or doc.yaml is None:
        return []
    dependents = doc.dependents()
    contested = {f["id"]: f for f in doc.findings.get("contested", [])}
    lenses = []
    for it in items(doc):
        fact = contested.get(it.group)
        if it.path[0] not in ("events", "facts") or fact is None:
            continue
        n = len(dependents.get(it.group, []))
        status = fact["status"]
        what = f"this {status} fact" if status in ("alleged", "disputed") else "this fact's disputed date"
        title = f"{n} conclusion{'s' if n != 1 else ''} depend{'s' if n == 1 else ''} on {what}"
        start = lsp.Position(line=it.first, character=0)
        lenses.append(lsp.CodeLens(range=lsp.Range(start=start, end=start),
                                   command=lsp.Command(title=title, command="", arguments=[it.id])))
    return lenses


__all__ = ["Names", "code_lenses", "completion", "definition", "hover", "item_at", "items", "key_path", "symbols"]
