"""Dates in the ASP program are day numbers (proleptic Gregorian ordinals): 32-bit safe."""

from __future__ import annotations

from datetime import date

#: The day number used for "no end": an exclusive end (a party is one on days before it), so the
#: day after the last one Python's dates can name; 9999-12-31 itself is a day like any other.
#: Within clingo's 32-bit range.
FOREVER = date.max.toordinal() + 1

#: The last day a date can name: a deadline after it cannot be written as a date.
LAST_DAY = date.max.toordinal()


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
