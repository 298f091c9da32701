"""What one grounding says: brave and cautious consequences, and further questions on demand."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

import clingo

from ..cases.facts import ScenarioFacts
from .encoding import Marker


@dataclass
class Solution:
    """Brave (some readings) and cautious (all readings) consequences of one grounding.

    The grounded control is kept so that explanations can ask for readings on demand.
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

    def satisfiable(self, assumptions: Sequence[tuple[clingo.Symbol, bool]]) -> bool:
        """Whether some reading (of this solution's what-if) meets the assumptions: one solve on the
        kept grounding, stopped at its first model."""
        if self.ctl is None:
            raise RuntimeError("this solution let its grounding go (analyse(..., explainable=False))")
        with one_model(self.ctl):
            return bool(self.ctl.solve(assumptions=[*self.assumptions, *assumptions]).satisfiable)


@contextmanager
def one_model(ctl: clingo.Control) -> Iterator[clingo.Control]:
    """Solves on ``ctl`` stop at their first model while inside (a question of satisfiability, or
    one reading); the control's own settings (the consequences a check asks for) come back after."""
    conf = ctl.configuration.solve
    before = conf.models, conf.enum_mode  # type: ignore[union-attr]
    conf.enum_mode, conf.models = "auto", 1  # type: ignore[union-attr]
    try:
        yield ctl
    finally:
        conf.models, conf.enum_mode = before  # type: ignore[union-attr]


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
