"""A loaded rule base (:class:`Rules`) and how a rule file's text is read: what :mod:`engine.language.load` makes and
:mod:`engine.language.cache` keeps and checks, imported by both.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from .compile import AspProgram, compile_rules
from .rulebase import RuleBase, readers_of


@dataclass
class Rules:
    """A loaded rule base: the checked declarations and the compiled ASP program."""

    base: RuleBase
    program: AspProgram
    #: The resolved path of every rule file read, named or included, in the order read (so that no
    #: command writes its output over one of them, whatever the working directory).
    paths: tuple[str, ...] = ()
    _restricted: dict[tuple[str, ...], Rules] = field(default_factory=dict, repr=False)
    #: other names of its states (engine/cases/state_names.py), made on first use
    state_aliases: dict[str, str] | None = field(default=None, repr=False, compare=False)
    _readers: dict[str, set[str]] | None = field(default=None, repr=False, compare=False)

    @property
    def texts(self) -> dict[str, str]:
        return self.base.texts

    @property
    def readers(self) -> dict[str, set[str]]:
        """Each predicate -> the instruments whose rules read it (:func:`~.rulebase.readers_of`), made once."""
        if self._readers is None:
            self._readers = readers_of(self.base)
        return self._readers

    def restricted(self, instruments: Iterable[str]) -> Rules:
        """The same rule base with only the rules of these instruments (declarations are kept)."""
        keep = tuple(sorted(set(instruments)))
        if keep == tuple(sorted(self.base.instruments)):
            return self
        if keep not in self._restricted:
            rules = {k: r for k, r in self.base.rules.items() if r.instrument in keep}
            base = replace(self.base, rules=rules,
                           priorities=[p for p in self.base.priorities if p.higher in rules and p.lower in rules])
            self._restricted[keep] = Rules(base, compile_rules(base), self.paths)
        return self._restricted[keep]


def read_source(path: Path) -> str:
    """A rule file's text: UTF-8 (a byte-order mark is allowed), line endings normalised."""
    from ..files import read_utf8

    text = read_utf8(path)
    return text.replace("\r\n", "\n").replace("\r", "\n")
