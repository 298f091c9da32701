"""The wording of findings that every output shares: conditions, how a conclusion holds, its status and dates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from .findings_model import Conclusion, Dependence, Findings


def conditions_text(deps: Sequence[Dependence], q: Callable[[str], str] = str) -> str:
    """``X is accepted and Y is rejected and on the reading I=P``: the wording every output uses
    (contested facts first, then the positions of contested questions of law)."""
    return " and ".join(dependence_text(d, q) for d in deps)


def dependence_text(d: Dependence, q: Callable[[str], str] = str) -> str:
    if d.kind == "interpretation":
        return f"reading {q(d.label)} is {'taken' if d.accepted else 'not taken'}"
    return f"{q(d.label)} is {'accepted' if d.accepted else 'rejected'}"


def readings_text(f: Findings) -> str:
    """``4 readings of 1 contested fact and 1 open interpretation``."""
    n, k = len(f.contested), sum(1 for i in f.interpretations if i.position is None)
    text = f"{f.readings} reading{'s' if f.readings != 1 else ''} of {n} contested fact{'s' if n != 1 else ''}"
    return text + (f" and {k} open interpretation{'s' if k != 1 else ''}" if k else "")


def interpretation_lines(f: Findings, q: Callable[[str], str] = str) -> list[tuple[str, str, str]]:
    """(id, the position taken or ``open``, who set it) for each interpretation, as outputs list them."""
    by = {"rules": "the rules' default", "scenario": "the scenario", "option": "--interpret"}
    return [(q(i.id), q(i.position or "open"), by[i.set_by]) for i in f.interpretations]


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


#: How each kind of conclusion is said of its bearer.
VERB = {"obligation": "must", "permission": "may", "prohibition": "must not", "notification": "must notify"}


def conclusion_summary(c: Conclusion) -> str:
    """One line saying what a conclusion is (an explanation's first line): who must do what, when, its status."""
    towards = c.beneficiary or c.recipient
    text = f"{c.bearer} {VERB[c.kind]} {c.action}" + (f" ({towards})" if towards else "")
    text += f", {from_text(c)}"
    if c.due is not None:
        text += f", due {c.due.date.isoformat()}" + (" (immediately)" if c.due.kind == "immediately" else "")
    text += f"; status {status_text(c)}"
    if c.discharged_on:
        text += f" ({', '.join(d.isoformat() for d in c.discharged_on)})"
    if c.until is not None:
        text += f"; lasts until {c.until.event}" + (f" ({ended_text(c)})" if c.until.ended_on else "")
    return text
