"""A few recent items, found again by a key that is costly to work out.

Batch runs keep what they checked and grounded for scenarios that come again in other statuses
(:class:`engine.cases.facts.CheckedFacts`, :class:`engine.reasoning.solve.Groundings`). Working out whether two
scenarios state the same facts means going over all of them; a cheap key (counts, dates) comes
first, and the full key is worked out only when the cheap ones agree, once per item. A single
scenario, or scenarios that all differ, never pay for it.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

T = TypeVar("T")


@dataclass
class Entry(Generic[T]):
    cheap: Hashable
    item: T
    value: Any
    full: Hashable | None = None


class Recent(Generic[T]):
    def __init__(self, size: int, full_key: Callable[[T], Hashable]) -> None:
        self.size = size
        self.full_key = full_key
        self.entries: list[Entry[T]] = []

    def find(self, cheap: Hashable, item: T) -> Entry[T] | None:
        """The entry of an item with the same full key as ``item`` (the most recent first)."""
        full = None
        for entry in reversed(self.entries):
            if entry.cheap != cheap:
                continue
            if full is None:
                full = self.full_key(item)
            if entry.full is None:
                entry.full = self.full_key(entry.item)
            if entry.full == full:
                self.entries.remove(entry)
                self.entries.append(entry)
                return entry
        return None

    def add(self, cheap: Hashable, item: T, value: Any) -> Entry[T]:
        entry = Entry(cheap, item, value)
        self.entries.append(entry)
        del self.entries[:-self.size]
        return entry
