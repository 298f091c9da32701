"""Findings as aligned text for a terminal (coloured there, plain elsewhere)."""

from __future__ import annotations

import io

from rich.console import Console
from rich.text import Text

from ..reasoning.findings import Findings, from_text
from ..reasoning.findings_text import interpretation_lines, readings_text
from .common import basis_text, counterparty, due_text, holds_text, sections, status_text, summary, until_text, visible

_STATUS_STYLE = {"discharged": "green", "active": "cyan", "pending": "yellow", "overdue": "bold red",
                 "discharged_late": "red", "ended": "dim", "depends": "magenta"}


def render_text(f: Findings, color: bool = False, width: int = 200) -> str:
    """The findings as text; ``color`` adds terminal colours.

    Text from the input goes through :func:`visible`: a control character in a scenario is shown,
    never obeyed by the terminal (which could hide lines, rewrite them or open links).
    """
    q = visible
    out = io.StringIO()
    console = Console(file=out, force_terminal=color, no_color=not color, width=width, highlight=False,
                      soft_wrap=True, markup=False, emoji=False)
    console.print(Text(q(f.scenario.title), style="bold"))
    console.print(f"{q(f.scenario.file)} · as of {f.scenario.as_of.isoformat()} · {readings_text(f)}")
    console.print(f'assumption: "immediately" allows {f.assumptions.immediately_days} day'
                  f"{'s' if f.assumptions.immediately_days != 1 else ''}")
    for fact_id, status in f.assumptions.assumed.items():
        console.print(f"assumption: {q(fact_id)} is taken as {q(status)} (--assume)")
    for _, title, rows in sections(f):
        console.print()
        console.print(Text(f"{title} ({len(rows)})", style="bold underline"))
        cells = [[q(c.bearer), f"{q(c.action)} → {q(counterparty(c))}", basis_text(c, q),
                  from_text(c), due_text(c) or until_text(c, q)] for c in rows]
        widths = [max(len(row[i]) for row in cells) for i in range(5)]
        for texts, c in zip(cells, rows, strict=True):
            line = Text("  ")
            for i, t in enumerate(texts):
                line.append(t.ljust(widths[i]) + "  ")
            line.append(status_text(c, q).ljust(10), style=_STATUS_STYLE.get(c.status, ""))
            line.append("  ")
            line.append(holds_text(c, q), style="" if c.holds == "all" else "magenta")
            console.print(line)
    if f.contested:
        console.print()
        console.print(Text("Contested facts", style="bold underline"))
        width = max(len(q(fact.label)) for fact in f.contested)
        for fact in f.contested:
            status = "date disputed" if fact.status == "established" and len(fact.on) > 1 else fact.status
            console.print(f"  {status:<13} {q(fact.label).ljust(width)}  [{q(fact.source)}]")
    if f.interpretations:
        console.print()
        console.print(Text("Interpretations (contested questions of law; --interpret NAME=POSITION|open)",
                           style="bold underline"))
        rows3 = interpretation_lines(f, q)
        w0, w1 = max(len(r[0]) for r in rows3), max(len(r[1]) for r in rows3)
        for name, position, by in rows3:
            console.print(f"  {name.ljust(w0)}  {position.ljust(w1)}  ({by})")
    if f.left_out:
        console.print()
        console.print(f"left out (after {f.scenario.as_of.isoformat()}): {q('; '.join(f.left_out))}")
    console.print()
    console.print(summary(f))
    return "\n".join(line.rstrip() for line in out.getvalue().splitlines()) + "\n"
