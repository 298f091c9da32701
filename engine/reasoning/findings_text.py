"""The wording of findings that every output shares: conditions, how a conclusion holds, its status and dates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from .findings_model import Conclusion, Dependence


def conditions_text(deps: Sequence[Dependence], q: Callable[[str], str] = str) -> str:
    """``X is accepted and Y is rejected``: the wording every output uses."""
    return " and ".join(f"{q(d.label)} is {'accepted' if d.accepted else 'rejected'}" for d in deps)


def holds_text(c: Conclusion, q: Callable[[str], str] = str) -> str:
    if c.holds == "all":
        return "holds in every reading"
    return f"holds only if {conditions_text(c.depends_on, q)}" if c.depends_on else "holds in some readings"


def status_text(c: Conclusion, q: Callable[[str], str] = str) -> str:
    """Its status; when the readings differ, each status with what it needs beyond what the conclusion does."""
    if len(c.statuses) <= 1:
        return c.status
    own = set(c.depends_on)
    parts = []
    for s in c.statuses:
        extra = [d for d in c.status_depends_on.get(s, []) if d not in own]
        parts.append(f"{s} in some readings" + (f" (if {conditions_text(extra, q)})" if extra else ""))
    return "; ".join(parts)


def dates_text(days: Sequence[dt.date]) -> str:
    """``2022-01-05``, or ``2022-01-05 or 2022-01-06`` when the date differs by reading."""
    return " or ".join(d.isoformat() for d in days)


def from_text(c: Conclusion) -> str:
    """``from 2022-01-05`` (``from 2022-01-05 or 2022-01-06`` when the trigger date differs by reading)."""
    return f"from {dates_text(c.trigger_dates or [c.triggered_on])}"


def ended_text(c: Conclusion) -> str:
    """``ended DATE`` (``in some readings`` when in others it is not ended), or nothing."""
    if c.until is None or not c.until.ended_on:
        return ""
    some = " in some readings" if "ended" in c.statuses and len(c.statuses) > 1 else ""
    return f"ended {', '.join(d.isoformat() for d in c.until.ended_on)}{some}"
