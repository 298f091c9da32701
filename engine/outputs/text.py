"""Findings as text for a terminal (coloured there, plain elsewhere), wrapped to its width.

Each conclusion is a block: who, what, towards whom and on which article on its first line; its
dates, status and how firmly it holds on the next, wrapped under it (issue 14, point 6):

    Russian Federation: provide assistance → Kazakhstan · cst art. 4(2) [2010]
      from 2022-01-05 · due 2022-01-08 (immediately) · discharged 2022-01-06
      holds only if armed_attack(foreign_trained_gangs, kazakhstan) on 2022-01-05
        is accepted and reading cst_aggression_non_state=any_armed_attack is taken
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text

from ..reasoning.findings import Conclusion, Findings, from_text
from ..reasoning.findings_text import interpretation_lines, readings_text
from .common import (
    Names,
    basis_text,
    counterparty,
    due_text,
    holds_text,
    notice_lines,
    sections,
    status_text,
    summary,
    until_text,
    visible,
)
from .width import DEFAULT_WIDTH, console, hang, printed

_STATUS_STYLE = {"discharged": "green", "active": "cyan", "pending": "yellow", "overdue": "bold red",
                 "discharged_late": "red", "ended": "dim", "depends": "magenta"}
_DOT = " · "


def conclusion_head(c: Conclusion, names: Names) -> str:
    """``Russian Federation: provide assistance → Kazakhstan`` (quoted for a terminal)."""
    q = visible
    towards = counterparty(c, names)
    return f"{q(names.entity(c.bearer))}: {q(names.action(c.action))}" + (f" → {q(towards)}" if towards else "")


def conclusion_lines(c: Conclusion, names: Names, width: int) -> list[Text]:
    """One conclusion as a block of lines at most ``width`` wide (a longer word aside): the article
    ends the first line if it fits there whole, else it starts the second."""
    q = visible
    head, basis = conclusion_head(c, names), basis_text(c, q)
    whole = 2 + cell_len(head + _DOT + basis) <= width
    lines = hang(Text(head + _DOT + basis if whole else head), width, 2, 4)
    dates = [x for x in (from_text(c), due_text(c) or until_text(c, q)) if x]
    when = Text(_DOT.join(dates if whole else [basis, *dates]) + _DOT)
    when.append(status_text(c, q), style=_STATUS_STYLE.get(c.status, ""))
    holds = Text(holds_text(c, q), style="" if c.holds == "all" else "magenta")
    if c.holds == "all" and 4 + cell_len(when.plain + _DOT + holds.plain) <= width:
        when += Text(_DOT) + holds
        return lines + hang(when, width, 4, 2)
    return lines + hang(when, width, 4, 2) + hang(holds, width, 4, 2)


def render_text(f: Findings, color: bool = False, width: int = DEFAULT_WIDTH, names: Names | None = None) -> str:
    """The findings as text no wider than ``width``; ``color`` adds terminal colours; ``names`` says how
    entities are named (display names by default; ids with ``Names(ids=True)``).

    Text from the input goes through :func:`visible`: a control character in a scenario is shown,
    never obeyed by the terminal (which could hide lines, rewrite them or open links).
    """
    q = visible
    names = names or Names.of(f)
    con = console(width, color)

    def say(text: Text | str, indent: int = 0, hanging: int = 2) -> None:
        for line in hang(text, width, indent, hanging):
            con.print(line)

    say(Text(q(f.scenario.title), style="bold"))
    say(f"{q(f.scenario.file)}{_DOT}as of {f.scenario.as_of.isoformat()}{_DOT}{readings_text(f)}")
    say(f'assumption: "immediately" allows {f.assumptions.immediately_days} day'
        f"{'s' if f.assumptions.immediately_days != 1 else ''}")
    for fact_id, status in f.assumptions.assumed.items():
        say(f"assumption: {q(fact_id)} is taken as {q(status)} (--assume)")
    for notice in notice_lines(f):
        say(q(notice))
    for _, title, rows in sections(f):
        con.print()
        say(Text(f"{title} ({len(rows)})", style="bold underline"))
        for c in rows:
            for line in conclusion_lines(c, names, width):
                con.print(line)
    if f.contested:
        con.print()
        say(Text("Contested facts", style="bold underline"))
        for fact in f.contested:
            status = "date disputed" if fact.status == "established" and len(fact.on) > 1 else fact.status
            say(f"  {status:<13}  {q(fact.label)} [{q(fact.source)}]", hanging=17)
    if f.interpretations:
        con.print()
        say(Text("Interpretations (contested questions of law; --interpret NAME=POSITION|open)",
                 style="bold underline"))
        rows3 = interpretation_lines(f, q)
        w0, w1 = max(len(r[0]) for r in rows3), max(len(r[1]) for r in rows3)
        aligned = 6 + w0 + w1 + max(len(r[2]) + 2 for r in rows3) <= width
        for name, position, by in rows3:
            say(f"  {name.ljust(w0)}  {position.ljust(w1) if aligned else position}  ({by})", hanging=w0 + 4)
    if f.left_out:
        con.print()
        say(f"left out (after {f.scenario.as_of.isoformat()}): {q('; '.join(f.left_out))}")
    con.print()
    say(summary(f))
    return printed(con)
