"""The timeline picture of a case (issue 16): its dated events on an axis, and each conclusion as a bar
from the day it arises to its end, its discharge or the as-of date, coloured by whether it holds in
every reading or in some; deadlines met, late or overdue marked; contested facts marked.

Drawn by the engine as SVG from a Jinja2 template with autoescaping: text from a scenario (titles,
names, facts) is escaped, never markup. The same input gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .common import Names, who_what
from .templating import render

if TYPE_CHECKING:
    from ..cases.facts import ScenarioFacts
    from ..reasoning.findings import Conclusion, Findings

WIDTH = 1000
LABELS = 330  # the column of labels on the left
ROW = 20
LABEL_CHARS = 52


@dataclass(frozen=True)
class _Scale:
    start: dt.date
    end: dt.date
    x0: float = LABELS + 10
    x1: float = WIDTH - 20

    def x(self, day: dt.date) -> float:
        span = max((self.end - self.start).days, 1)
        return round(self.x0 + (self.x1 - self.x0) * (day - self.start).days / span, 1)


def timeline_svg(facts: ScenarioFacts, findings: Findings, names: Names) -> str:
    """The picture of one solved case, as an SVG document."""
    items = sorted(facts.items, key=lambda it: (min(it.dates) if it.dates else facts.as_of, it.text))
    dated = [it for it in items if it.dates]
    days = [d for it in dated for d in it.dates] + [facts.as_of]
    for c in findings.conclusions:
        days += c.trigger_dates + c.discharged_on + (c.due.dates if c.due else [])
        days += c.until.ended_on if c.until else []
    scale = _Scale(min(days) - dt.timedelta(days=1), max(days) + dt.timedelta(days=1))
    axis_y = 64
    events_y = axis_y + 44
    events = []
    for n, it in enumerate(dated):
        y = events_y + n * ROW
        events.append({"y": y, "xs": [scale.x(d) for d in it.dates], "status": it.status.value,
                       "contested": it.contested, "label": _short(it.text),
                       "tooltip": f"{it.label()}: {it.status.value}, source {it.source}"})
    conclusions_y = events_y + len(dated) * ROW + 44
    rows = [_conclusion(c, names, scale, conclusions_y + n * ROW, facts.as_of)
            for n, c in enumerate(findings.conclusions)]
    grid_bottom = conclusions_y + max(len(rows), 1) * ROW
    return render("timeline.svg.j2",
        width=WIDTH, height=grid_bottom + 50, title=findings.scenario.title,
        subtitle=f"{findings.scenario.file} · as of {facts.as_of.isoformat()} · {len(findings.conclusions)} "
                 f"conclusions, {len(dated)} dated facts",
        x0=scale.x0, x1=scale.x1, axis_y=axis_y, ticks=_ticks(scale), as_of=facts.as_of.isoformat(),
        as_of_x=scale.x(facts.as_of), events_y=events_y, events=events, conclusions_y=conclusions_y,
        conclusions=rows, grid_bottom=grid_bottom)


def _conclusion(c: Conclusion, names: Names, scale: _Scale, y: int, as_of: dt.date) -> dict[str, Any]:
    start = c.triggered_on
    ends = [*c.discharged_on, *(c.until.ended_on if c.until else [])]
    end = max([start, *ends]) if c.status in ("discharged", "discharged_late", "ended") else as_of
    label = who_what(c, names)
    due = sorted(set(c.due.dates)) if c.due else []
    marks = []
    for day in sorted(set(c.discharged_on)):
        late = c.due is not None and day > max(c.due.dates)
        marks.append({"x": scale.x(day) + 8, "kind": "late" if late else "in-time", "colour": "#c05621" if late
                      else "#2f855a", "symbol": "!" if late else "\u2713"})
    if "overdue" in c.statuses:
        marks.append({"x": scale.x(as_of) + 8, "kind": "overdue", "colour": "#c53030", "symbol": "\u2715"})
    x = scale.x(start)
    return {"id": c.id, "y": y, "x": x, "w": max(scale.x(end) - x, 3.0), "holds": c.holds, "status": c.status,
            "label": _short(label), "due": [scale.x(d) for d in due], "marks": marks,
            "tooltip": f"{label} ({c.kind}, {c.basis.instrument} art. {c.basis.article}, rule {c.basis.rule}): "
                       f"from {start.isoformat()}"
                       + (f", due {', '.join(d.isoformat() for d in due)}" if due else "")
                       + f"; {c.status}; holds in {'every reading' if c.holds == 'all' else 'some readings'}"}


def _short(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[:LABEL_CHARS - 1] + "\u2026"


def _ticks(scale: _Scale) -> list[dict[str, Any]]:
    """About six to twelve dates along the axis, on round days (the first of a month or of a year)."""
    span = (scale.end - scale.start).days
    if span <= 14:
        days = [scale.start + dt.timedelta(days=k) for k in range(span + 1)]
        return [{"x": scale.x(d), "label": d.strftime("%d %b")} for d in days][:: max(1, len(days) // 10)]
    if span <= 120:
        step = 7 if span <= 70 else 14
        days = [scale.start + dt.timedelta(days=k) for k in range(0, span + 1, step)]
        return [{"x": scale.x(d), "label": d.isoformat()} for d in days]
    months = (scale.end.year - scale.start.year) * 12 + scale.end.month - scale.start.month
    every = 1 if months <= 10 else 3 if months <= 30 else 6 if months <= 60 else 12 * max(1, months // 120)
    out, y, m = [], scale.start.year, scale.start.month + 1
    while (y, m) <= (scale.end.year, scale.end.month):
        if (m - 1) % every == 0 or every == 1:
            d = dt.date(y, m, 1)
            out.append({"x": scale.x(d), "label": d.isoformat()[:7] if every < 12 else str(y)})
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out
