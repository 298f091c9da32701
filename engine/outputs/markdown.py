"""Findings as Markdown tables.

Every text that comes from a scenario or a rule file goes through :func:`md_text`, :func:`md_cell`
or :func:`md_code`: shown as written, never as raw HTML or a link, in any Markdown renderer.
"""

from __future__ import annotations

from ..reasoning.findings import Findings, dates_text
from ..reasoning.findings_text import interpretation_lines, readings_text
from .common import (
    Names,
    basis_text,
    counterparty,
    due_text,
    holds_text,
    md_cell,
    md_code,
    md_text,
    notice_lines,
    sections,
    status_text,
    summary,
    until_text,
)


def render_markdown(f: Findings, names: Names | None = None) -> str:
    """The findings as Markdown tables, entities by display name (``Names(ids=True)``: by id)."""
    names = names or Names.of(f)
    lines = [f"# {md_text(f.scenario.title)}", "",
             f"{md_code(f.scenario.file)}, as of {f.scenario.as_of.isoformat()}; {readings_text(f)}. "
             "Assumption: \"immediately\" allows "
             f"{f.assumptions.immediately_days} days."]
    for fact_id, status in f.assumptions.assumed.items():
        lines.append(f"Assumed with `--assume`: {md_code(fact_id)} is {md_text(status)}.")
    lines += [f"**{md_text(line)}**" for line in notice_lines(f)]
    for _, title, rows in sections(f):
        lines += ["", f"## {title}", "",
                  "| Bearer | Action | Towards | Basis | Rule | From | Due / until | Status | Holds |",
                  "|---|---|---|---|---|---|---|---|---|"]
        for c in rows:
            cells = [md_cell(names.entity(c.bearer)), md_cell(names.action(c.action)), md_cell(counterparty(c, names)),
                     basis_text(c, md_cell),
                     md_cell(c.basis.rule), dates_text(c.trigger_dates), due_text(c) or until_text(c, md_cell),
                     status_text(c, md_cell), holds_text(c, md_cell)]
            lines.append("| " + " | ".join(cells) + " |")
    if f.contested:
        lines += ["", "## Contested facts", "", "| Fact | Status | Source | Note |", "|---|---|---|---|"]
        for fact in f.contested:
            lines.append(f"| {md_cell(fact.label)} | {md_cell(fact.status)} | {md_cell(fact.source)} | "
                         f"{md_cell(fact.note or '')} |")
    if f.interpretations:
        lines += ["", "## Interpretations", "", "| Interpretation | Position taken | Set by |", "|---|---|---|"]
        for name, position, by in interpretation_lines(f, md_cell):
            lines.append(f"| {name} | {position} | {md_cell(by)} |")
    lines += ["", summary(f), ""]
    return "\n".join(lines)
