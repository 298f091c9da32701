"""Places in a document: the engine's 1-based line and column (in characters) and the protocol's
0-based line and UTF-16 offset, and the word under the cursor."""

from __future__ import annotations

import re
from dataclasses import dataclass

from lsprotocol import types as lsp

from ..errors import Span

WORD = re.compile(r"[A-Za-z0-9_]+")


def normalised(text: str) -> str:
    """An editor's text as the engine reads a file: line endings as ``\\n``, no byte-order mark.

    (``\\r\\n`` and a lone ``\\r`` are line breaks to the protocol too: lines and columns stay the same.)
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _utf16(s: str) -> int:
    return len(s.encode("utf-16-le", "surrogatepass")) // 2  # (a lone surrogate is one unit too)


@dataclass
class Lines:
    """A document's lines, for turning places one way or the other."""

    lines: list[str]

    @classmethod
    def of(cls, text: str) -> Lines:
        return cls(text.split("\n"))

    def line(self, n: int) -> str:
        """Line ``n`` (0-based), '' beyond the text."""
        return self.lines[n] if 0 <= n < len(self.lines) else ""

    def position(self, line: int, column: int) -> lsp.Position:
        """The protocol's position of a 1-based line and column (in characters)."""
        n = max(0, min(line - 1, len(self.lines) - 1))
        text = self.line(n)
        return lsp.Position(line=n, character=_utf16(text[: max(0, column - 1)]))

    def index(self, pos: lsp.Position) -> int:
        """The character index in its line of a protocol position (UTF-16 units)."""
        text = self.line(pos.line)
        units = 0
        for i, ch in enumerate(text):
            if units >= pos.character:
                return i
            units += 2 if ord(ch) > 0xFFFF else 1
        return len(text)

    def range(self, span: Span | None) -> lsp.Range:
        """The range of a diagnostic's place: its end if it has one, else the word or quoted string there."""
        if span is None or span.line <= 0:
            return lsp.Range(start=lsp.Position(line=0, character=0), end=lsp.Position(line=0, character=0))
        text = self.line(span.line - 1)
        start = self.position(span.line, span.column)
        if span.end_line is not None and span.end_column is not None and (span.end_line, span.end_column) > (
                span.line, span.column):
            return lsp.Range(start=start, end=self.position(span.end_line, span.end_column))
        i = max(0, min(span.column - 1, len(text)))
        m = WORD.match(text, i)
        if m:
            end = m.end()
        elif i < len(text) and text[i] in "\"'":
            close = text.find(text[i], i + 1)
            end = close + 1 if close > 0 else len(text)
        else:
            end = min(i + 1, len(text))
        return lsp.Range(start=start, end=lsp.Position(line=start.line, character=_utf16(text[:end])))

    def word_at(self, pos: lsp.Position) -> tuple[str, lsp.Range] | None:
        """The name (letters, digits, ``_``) under or just before the cursor, and its range."""
        text = self.line(pos.line)
        i = self.index(pos)
        for m in WORD.finditer(text):
            if m.start() <= i <= m.end():
                return m.group(), lsp.Range(start=lsp.Position(line=pos.line, character=_utf16(text[:m.start()])),
                                            end=lsp.Position(line=pos.line, character=_utf16(text[:m.end()])))
            if m.start() > i:
                break
        return None

    def before(self, pos: lsp.Position) -> str:
        """The text of the cursor's line up to the cursor."""
        return self.line(pos.line)[: self.index(pos)]


def span_location(uri: str, lines: Lines, span: Span) -> lsp.Location:
    return lsp.Location(uri=uri, range=lines.range(span))


def contains(r: lsp.Range, pos: lsp.Position) -> bool:
    return (r.start.line, r.start.character) <= (pos.line, pos.character) <= (r.end.line, r.end.character)
