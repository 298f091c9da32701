"""Where things stand in a scenario file: the keys around a line, its facts and events and the lines
they take, and the facts and articles other parts of it name."""

from __future__ import annotations

import re
from dataclasses import dataclass

from lsprotocol import types as lsp

from .documents import ScenarioDocument
from .names import Names
from .text import Lines

KEY_LINE = re.compile(r"^(\s*)(?:-\s+)?([A-Za-z_]\w*)\s*:")


def data_of(doc: ScenarioDocument) -> dict:
    data = doc.yaml.data if doc.yaml is not None else None
    if data is None and doc.loaded is not None:
        data = doc.loaded.doc.data
    return data if isinstance(data, dict) else {}


def mapping_of(doc: ScenarioDocument, key: str) -> dict:
    value = data_of(doc).get(key)
    return value if isinstance(value, dict) else {}


def key_path(lines: Lines, line: int) -> list[str]:
    """The keys that enclose a line of block-style YAML, outermost first."""
    own = KEY_LINE.match(lines.line(line))
    indent = len(own.group(1)) if own else len(lines.line(line)) - len(lines.line(line).lstrip())
    if not lines.line(line).strip():
        indent = 10**6
    path: list[str] = []
    for n in range(line - 1, -1, -1):
        text = lines.line(n)
        if not text.strip() or text.lstrip().startswith("#"):
            continue
        m = KEY_LINE.match(text)
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
    data = data_of(doc)
    for key in ("events", "facts"):
        for i, it in enumerate(data.get(key) or [] if isinstance(data.get(key), list) else []):
            if isinstance(it, dict):
                found.append(((key, i), it))
    for name, v in mapping_of(doc, "variants").items():
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
REFERENCES = ("assume", "remove", "together_with", "depends_on", "accepted", "rejected")


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


def flow_context(before: str) -> tuple[str | None, str, str | None] | None:
    """Where the end of ``before`` is in a flow collection (``assume: {a: established, b: ``): the
    collection's key, ``key``, ``value`` or ``item``, and the key whose value it is in; None outside one."""
    j = _opener(before)
    if j is None:
        return None
    outer = re.search(r"(\w+)\s*:\s*$", before[:j])
    container = outer.group(1) if outer else None
    segment = before[j + 1:].rsplit(",", 1)[-1]
    if before[j] == "{":
        if ":" in segment:
            return container, "value", segment.split(":", 1)[0].strip().strip("\"'")
        return container, "key", None
    return container, "item", None


def _key_of(doc: ScenarioDocument, line_no: int, start: int) -> str | None:
    """The key whose value a place of a line is in: within a flow collection, the key before the place
    in it, else the collection's own; else the line's key, or the enclosing block's (a list item, a key
    of a block mapping such as ``assume:``)."""
    line = doc.lines.line(line_no)
    flow = flow_context(line[:start])
    if flow is not None:
        container, part, key = flow
        return key if part == "value" else container
    path = key_path(doc.lines, line_no)
    m = KEY_LINE.match(line)
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
            if bounded and start <= i <= end and _key_of(doc, pos.line, start) in REFERENCES:
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


def entities_of(doc: ScenarioDocument) -> dict:
    return mapping_of(doc, "entities")


def sources_of(doc: ScenarioDocument) -> dict:
    return mapping_of(doc, "sources")
