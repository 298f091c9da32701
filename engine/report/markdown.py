"""Findings as Markdown tables."""

from __future__ import annotations

from ..findings import Findings
from .common import basis_text, counterparty, due_text, holds_text, sections, status_text, summary, until_text


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(f: Findings) -> str:
    lines = [f"# {_cell(f.scenario.title)}", "",
             f"`{f.scenario.file}`, as of {f.scenario.as_of.isoformat()}; {f.readings} readings of "
             f"{len(f.contested)} contested facts. Assumption: \"immediately\" allows "
             f"{f.assumptions.immediately_days} days."]
    for fact_id, status in f.assumptions.assumed.items():
        lines.append(f"Assumed with `--assume`: `{fact_id}` is {status}.")
    for _, title, rows in sections(f):
        lines += ["", f"## {title}", "",
                  "| Bearer | Action | Towards | Basis | Rule | From | Due / until | Status | Holds |",
                  "|---|---|---|---|---|---|---|---|---|"]
        for c in rows:
            lines.append("| " + " | ".join(_cell(x) for x in (
                c.bearer, c.action, counterparty(c), basis_text(c), c.basis.rule, c.triggered_on.isoformat(),
                due_text(c) or until_text(c), status_text(c), holds_text(c))) + " |")
    if f.contested:
        lines += ["", "## Contested facts", "", "| Fact | Status | Source | Note |", "|---|---|---|---|"]
        for fact in f.contested:
            lines.append(f"| {_cell(fact.label)} | {fact.status} | {fact.source} | {_cell(fact.note or '')} |")
    lines += ["", summary(f), ""]
    return "\n".join(lines)
