"""Small pieces of wording shared by the renderers."""

from __future__ import annotations

from ..findings import Conclusion, Findings

KIND_TITLES = {"obligation": "Obligations", "notification": "Notifications", "permission": "Permissions",
               "prohibition": "Prohibitions"}


def sections(f: Findings) -> list[tuple[str, str, list[Conclusion]]]:
    """(kind, title, conclusions) for each kind that has conclusions, in the reports' order."""
    by_kind: dict[str, list[Conclusion]] = {k: [] for k in KIND_TITLES}
    for c in f.conclusions:
        by_kind[c.kind].append(c)
    return [(k, KIND_TITLES[k], rows) for k, rows in by_kind.items() if rows]


def basis_text(c: Conclusion) -> str:
    b = c.basis
    version = f" [{b.version}]" if b.version else ""
    return f"{b.instrument} art. {b.article}{version}"


def due_text(c: Conclusion) -> str:
    if c.due is None:
        return ""
    if c.due.kind == "immediately":
        return f"due {c.due.date.isoformat()} (immediately)"
    if c.due.kind == "within":
        return f"due {c.due.date.isoformat()} (within {c.due.within_days} days)"
    return f"due {c.due.date.isoformat()}"


def until_text(c: Conclusion) -> str:
    if c.until is None:
        return ""
    if c.until.ended_on:
        return f"ended {', '.join(d.isoformat() for d in c.until.ended_on)}"
    return f"until {c.until.event}"


def status_text(c: Conclusion) -> str:
    return c.status if c.status != "depends" else "depends: " + " / ".join(c.statuses)


def holds_text(c: Conclusion) -> str:
    if c.holds == "all":
        return "holds in every reading"
    return "holds only if " + " and ".join(c.depends_on) if c.depends_on else "holds in some readings"


def counterparty(c: Conclusion) -> str:
    return c.beneficiary or c.recipient or ""


def summary(f: Findings) -> str:
    parts = [f"{len(rows)} {title.lower() if len(rows) != 1 else k}" for k, title, rows in sections(f)]
    every = sum(1 for c in f.conclusions if c.holds == "all")
    some = len(f.conclusions) - every
    total = len(f.conclusions)
    return (f"{total} conclusion{'s' if total != 1 else ''}" + (f": {', '.join(parts)}" if parts else "")
            + f"; {every} hold{'s' if every == 1 else ''} in every reading, {some} only in some.")
