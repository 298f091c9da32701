"""Hover, completion, definitions, the outline and code lenses of a scenario file."""

from __future__ import annotations

import re
from typing import Any

from lsprotocol import types as lsp

from ..errors import Span
from .documents import ScenarioDocument, Workspace
from .names import Names
from .rule_features import _item, entity_items, instrument_items, location, predicate_items, rule_items, symbol_items
from .scenario_places import (
    KEY_LINE,
    REFERENCES,
    Item,
    article_at,
    entities_of,
    flow_context,
    in_comment,
    item_at,
    items,
    key_path,
    mapping_of,
    mentioned,
    sources_of,
)

_STATUSES = ("established", "alleged", "disputed", "denied")
_ENTITY_KINDS = ("state", "organisation", "body", "group")
_DEONTIC = ("obligation", "permission", "prohibition", "notification")


# ---- hover --------------------------------------------------------------------------------------


def _fact_text(doc: ScenarioDocument, it: Item) -> str:
    d = it.data
    status = d.get("status", "?")
    on = d.get("on")
    dates = ", ".join(str(x) for x in on) if isinstance(on, list) else (str(on) if on else "")
    out = [f"**{'event' if 'event' in d else 'fact'}** `{it.text}`" + (f" on {dates}" if dates else ""),
           f"status: **{status}**" + (" (contested: both readings count)" if status in ("alleged", "disputed") else "")]
    src = d.get("source")
    cite = sources_of(doc).get(src) if isinstance(src, str) else None
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
    entity = entities_of(doc).get(word)
    if not parts and isinstance(entity, dict):
        parts.append(f"**{entity.get('name', word)}** (`{word}`) — {entity.get('kind', '?')}"
                     + (f"\n\n{entity['note']}" if entity.get("note") else ""))
        if names is not None and word in names.parties:
            parts.append(names.entity_text(word))
    source = sources_of(doc).get(word)
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
    for k, v in entities_of(doc).items():
        shown = v.get("name") if isinstance(v, dict) else None
        kind = v.get("kind") if isinstance(v, dict) else None
        out.append(_item(str(k), lsp.CompletionItemKind.Constant, f"{shown} — {kind} (this scenario)", order="2"))
    return out


def _plain(labels: Any, kind: lsp.CompletionItemKind, detail: str | None = None) -> list[lsp.CompletionItem]:
    return [_item(str(x), kind, detail, order="1") for x in labels]


def _flow_items(doc: ScenarioDocument, names: Names | None, flow: tuple[str | None, str, str | None]
                ) -> list[lsp.CompletionItem] | None:
    container, part, key = flow
    if container == "assume" and part == "value":
        return _plain(_STATUSES, lsp.CompletionItemKind.EnumMember, "how firmly it is established")
    if container in REFERENCES:
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
    return rule_items(names) + [_item(f"{i} {r}", lsp.CompletionItemKind.Field, h, order="2")
                                for (i, r), h in names.article_headings.items()]


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
    flow = flow_context(before)
    flowing = _flow_items(doc, names, flow) if flow else None
    if flowing is not None:
        items_ = flowing
    elif re.search(r"\bstatus:\s*\w*$", before) or (path[-1:] == ["assume"] and re.search(r":\s*\w*$", before)):
        items_ = _plain(_STATUSES, lsp.CompletionItemKind.EnumMember, "how firmly it is established")
    elif re.search(r"\bsource:\s*\w*$", before):
        items_ = [_item(str(k), lsp.CompletionItemKind.Reference, None,
                        v.get("cite") if isinstance(v, dict) else None, order="1") for k, v in sources_of(doc).items()]
    elif m := re.search(r"\b(event|fact):\s*[\"']?\w+\([^)]*$", before):
        items_ = entities + (symbol_items(names) if names else [])
    elif m := re.search(r"\b(event|fact):\s*[\"']?\w*$", before):
        items_ = predicate_items(names, m.group(1)) if names else []
    elif re.search(r"\b(together_with):\s*\S*$", before) or (path[-1:] and path[-1] in REFERENCES):
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
        if word in mapping_of(doc, group) and (group, word) in doc.yaml.key_places:
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
    tops = [(n, m.group(2)) for n in range(len(lines.lines)) if (m := KEY_LINE.match(lines.line(n))) and not m.group(1)]

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
        keys = [k for k in mapping_of(doc, key) if (key, k) in doc.yaml.key_places]
        firsts = sorted((doc.yaml.key_places[(key, k)].line - 1, str(k)) for k in keys)
        children = []
        for i, (first, name) in enumerate(firsts):
            last = firsts[i + 1][0] - 1 if i + 1 < len(firsts) else where[1]
            last = max(first, min(last, where[1]))
            value = mapping_of(doc, key).get(name)
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


__all__ = ["code_lenses", "completion", "definition", "hover", "symbols"]
