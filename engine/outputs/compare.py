"""One table across scenarios (or their variants): what is engaged, what follows, in which readings."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ..jsonout import pretty
from ..reasoning.findings import KIND_ORDER, Findings
from .common import Names, md_cell, visible
from .width import DEFAULT_WIDTH, wrap


@dataclass(frozen=True)
class Row:
    kind: str
    instrument: str
    article: str
    action: str

    @property
    def label(self) -> str:
        return f"{self.kind} {self.action} ({self.instrument} {self.article})"

    def said(self, names: Names) -> str:
        """The label with the action in words (``obligation provide assistance (cst 4(2))``), or as the id."""
        return f"{self.kind} {names.action(self.action)} ({self.instrument} {self.article})"


def cell(findings: Findings, row: Row) -> dict | None:
    found = [c for c in findings.conclusions if (c.kind, c.basis.instrument, c.basis.article, c.action) ==
             (row.kind, row.instrument, row.article, row.action)]
    if not found:
        return None
    holds = sorted({c.holds for c in found})
    statuses = sorted({s for c in found for s in c.statuses})
    return {"count": len(found), "holds": "all" if holds == ["all"] else ("some" if holds == ["some"] else "mixed"),
            "statuses": statuses, "bearers": sorted({c.bearer for c in found})}


def table(columns: list[tuple[str, Findings]]) -> tuple[list[Row], dict[Row, dict[str, dict | None]]]:
    rows = sorted({Row(c.kind, c.basis.instrument, c.basis.article, c.action)
                   for _, f in columns for c in f.conclusions},
                  key=lambda r: (KIND_ORDER[r.kind], r.instrument, r.article, r.action))
    cells: dict[Row, dict[str, dict | None]] = defaultdict(dict)
    for r in rows:
        for name, f in columns:
            cells[r][name] = cell(f, r)
    return rows, cells


def _short(c: dict | None) -> str:
    if c is None:
        return "—"
    return f"{c['count']} · {c['holds']} · {'/'.join(c['statuses'])}"


def render_text(columns: list[tuple[str, Findings]], width: int = DEFAULT_WIDTH, names: Names | None = None) -> str:
    """A grid of the columns side by side if it fits ``width``; else a block for each row (its label, then
    a line for each column), which always fits. Actions in words, as ids with ``Names(ids=True)``."""
    names = names or Names()
    rows, cells = table(columns)
    header = ["", *[name for name, _ in columns]]
    body = [[r.said(names), *[_short(cells[r][name]) for name, _ in columns]] for r in rows]
    engaged = ["instruments engaged", *[", ".join(sorted({c.basis.instrument for c in f.conclusions})) or "—"
                                        for _, f in columns]]
    readings = ["readings", *[str(f.readings) for _, f in columns]]
    grid = [[visible(cellv) for cellv in line] for line in (header, readings, engaged, *body)]
    widths = [max(len(line[i]) for line in grid) for i in range(len(header))]
    out = []
    if sum(widths) + 2 * (len(widths) - 1) <= width:
        for n, line in enumerate(grid):
            out.append("  ".join(cellv.ljust(widths[i]) for i, cellv in enumerate(line)).rstrip())
            if n == 0:
                out.append("  ".join("-" * w for w in widths))
    else:
        name_width = min(max(len(n) for n in grid[0][1:]), width // 2)
        for n, line in enumerate(grid[1:]):
            if n:
                out.append("")
            out += wrap(line[0], width)
            for name, cellv in zip(grid[0][1:], line[1:], strict=True):
                out += wrap(f"  {name.ljust(name_width)}  {cellv}", width, hanging=name_width + 4)
    out.append("")
    out += wrap('each cell: how many conclusions · in which readings they hold (all, some, mixed) · their statuses',
                width)
    return "\n".join(out) + "\n"


def render_markdown(columns: list[tuple[str, Findings]], words: Names | None = None) -> str:
    """The table in Markdown; actions in words (as ids with ``Names(ids=True)``)."""
    words = words or Names()
    rows, cells = table(columns)
    names = [name for name, _ in columns]
    lines = ["| | " + " | ".join(md_cell(n) for n in names) + " |", "|---|" + "---|" * len(names),
             "| readings | " + " | ".join(str(f.readings) for _, f in columns) + " |",
             "| instruments engaged | " + " | ".join(md_cell(", ".join(sorted({c.basis.instrument
                                                                                for c in f.conclusions}))) or "—"
                                                   for _, f in columns) + " |"]
    for r in rows:
        lines.append(f"| {md_cell(r.said(words))} | " + " | ".join(md_cell(_short(cells[r][n])) for n in names) + " |")
    return "\n".join(lines) + "\n"


def render_json(columns: list[tuple[str, Findings]]) -> str:
    rows, cells = table(columns)
    doc = {"schema": "treaty-engine/comparison/1",
           "columns": [{"name": name, "scenario": f.scenario.file, "readings": f.readings} for name, f in columns],
           "rows": [{"kind": r.kind, "instrument": r.instrument, "article": r.article, "action": r.action,
                     "cells": cells[r]} for r in rows]}
    return pretty(doc) + "\n"
