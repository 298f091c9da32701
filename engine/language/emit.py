"""Writing the compiled program's text: the emitter that puts text line by line while mapping each piece
back to the rule-file span it came from (:class:`SourceMap`), and the result (:class:`AspProgram`).

Text from a rule file reaches a line only as a clingo string (:func:`_asp_string`) or in a comment,
made visible (:func:`~engine.errors.visible`) so that it stays on its line (issue 11).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import clingo

from ..errors import Span, visible


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
    #: The support program (:func:`~engine.language.support.compile_support`): ground only to explain,
    #: after the main program.
    support: str = ""
    #: Its second part, the links of conclusions to their deadlines, discharges and ends: ground only
    #: when those are explained.
    support_links: str = ""
    #: Where each line of :attr:`support`, then of :attr:`support_links`, came from (clingo numbers
    #: them after the main program's lines: see :func:`~engine.language.support.support_part`).
    support_map: SourceMap = field(default_factory=SourceMap)
    #: Each rule's lines (0-based) in :attr:`support` and in :attr:`support_links`: what is ground of
    #: them to explain that rule's conclusions (:func:`~engine.language.support.part_text`).
    support_lines: dict[str, tuple[int, ...]] = field(default_factory=dict)
    links_lines: dict[str, tuple[int, ...]] = field(default_factory=dict)


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
