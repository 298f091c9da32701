"""What one grounding says: brave and cautious consequences, and a witness reading on demand."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import clingo

from ..cases.facts import ScenarioFacts
from .encoding import Marker


@dataclass
class Solution:
    """Brave (some readings) and cautious (all readings) consequences of one grounding.

    The grounded control is kept so that explanations can ask for a witness reading on demand.
    """

    brave: frozenset[clingo.Symbol]
    cautious: frozenset[clingo.Symbol]
    markers: dict[int, Marker]  # te_contested number -> the contested fact it stands for
    readings: int
    ctl: clingo.Control | None  # None once let go (see release)
    facts: ScenarioFacts
    #: a sweep's what-if: (symbol, truth) pairs and program literals (negative: false), as clingo takes them
    assumptions: list[tuple[clingo.Symbol, bool] | int] = field(default_factory=list)
    #: counter-readings found by solving, not shown as te_counter atoms: "CONCLUSION,STATUS,FACT,TRUTH"
    counters: frozenset[str] = frozenset()

    def release(self) -> None:
        """Let the grounding go when no explanation will be asked for: on large scenarios it is
        most of the memory, and the findings are read from the consequences alone."""
        self.ctl = None
        if len(self.brave) > 50_000:  # a large grounding: worth the few milliseconds
            _return_freed_memory()

    def witness(self, want: clingo.Symbol, holds: bool, wishes: Sequence[tuple[int, bool]] = ()
                ) -> list[clingo.Symbol] | None:
        """Every atom of one reading in which ``want`` holds (or not); None if there is none.

        ``wishes`` are markers with the truth value wished for, most important first. All of
        them at once if they can be met; otherwise each in turn, kept if it can be met with those
        kept before and turned round if not. With a wish for every marker the reading is then
        settled by the wishes alone, not by how clingo happens to search (which differs between
        a scenario's own grounding and a batch's shared one).
        """
        ctl = self.ctl
        if ctl is None:
            raise RuntimeError("this solution let its grounding go (analyse(..., explainable=False))")
        ctl.configuration.solve.enum_mode = "auto"  # type: ignore[union-attr]
        ctl.configuration.solve.models = 1  # type: ignore[union-attr]
        found: list[list[clingo.Symbol]] = []

        def reading(assumptions: list[tuple[clingo.Symbol, bool] | int]) -> list[clingo.Symbol] | None:
            found.clear()
            ctl.solve(assumptions=assumptions, on_model=lambda m: found.append(list(m.symbols(atoms=True))))
            return found[0] if found else None

        def wish(i: int, v: bool) -> tuple[clingo.Symbol, bool]:
            return (clingo.Function("te_true", [clingo.Number(i)]), v)

        try:
            base: list[tuple[clingo.Symbol, bool] | int] = [*self.assumptions, (want, holds)]
            atoms = reading(base + [wish(i, v) for i, v in wishes])
            if atoms is not None or not wishes:
                return atoms
            atoms = reading(base)
            if atoms is None:
                return None
            for i, v in wishes:
                kept = reading([*base, wish(i, v)])
                if kept is not None:
                    base.append(wish(i, v))
                    atoms = kept
                else:  # every reading left has it the other way round, the last one found too
                    base.append(wish(i, not v))
            return atoms
        finally:
            ctl.configuration.solve.models = 0  # type: ignore[union-attr]


def _return_freed_memory() -> None:
    """Hand the memory clingo freed back to the system. glibc keeps freed memory for later
    allocations, which Python's own allocator (arenas of its own) cannot use; the findings are
    built after the grounding is let go, so without this the two add up (issue 7: peak memory).
    """
    try:
        import ctypes

        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to do
        pass
