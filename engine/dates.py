"""Dates in the ASP program are day numbers (proleptic Gregorian ordinals): 32-bit safe."""

from __future__ import annotations

from datetime import date

#: The day number used for "no end": later than any real date, within clingo's 32-bit range.
FOREVER = date(9999, 12, 31).toordinal()


def to_day(d: date) -> int:
    return d.toordinal()


def from_day(n: int) -> date:
    return date.fromordinal(n)


def parse_iso(text: str) -> date | None:
    """The date written ``YYYY-MM-DD``, or None if there is no such day."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None
