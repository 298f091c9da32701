"""The cases a server was given, and each case's work kept between requests (its checked facts and
groundings: a toggle of a fact is solved on the grounding the case already has, with the statuses as
assumptions, the engine's multi-shot path), for a bounded number of cases at a time."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..cases.scenario import LoadedScenario, Status, load_scenario
from ..errors import Diagnostic, TreatyError
from ..language.load import Rules
from ..pipeline import Analysis, Reuse, analyse

STATUSES = tuple(s.value for s in Status)


class BadRequest(Exception):
    """A user's mistake in a request: said as a 4xx JSON error, never a traceback."""

    def __init__(self, message: str, status: int = 400, hint: str | None = None) -> None:
        super().__init__(message)
        self.status, self.hint = status, hint


@dataclass
class Case:
    id: str  # the file's path as given, relative where it could be
    path: Path
    loaded: LoadedScenario

    @property
    def variants(self) -> list[str]:
        return sorted(self.loaded.scenario.variants)


@dataclass
class Cases:
    """The scenarios given on the command line (files, or directories of them), loaded once."""

    rules: Rules
    cases: dict[str, Case]
    keep: int = 8  # cases whose groundings are kept (least recently used let go)
    _reuse: OrderedDict[str, Reuse] = field(default_factory=OrderedDict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _solving: dict[str, threading.Lock] = field(default_factory=dict)  # one solve at a time per case

    @classmethod
    def load(cls, rules: Rules, paths: list[str], keep: int = 8) -> Cases:
        files: list[Path] = []
        for p in paths:
            path = Path(p)
            files += sorted(path.glob("*.yaml")) if path.is_dir() else [path]
        cases: dict[str, Case] = {}
        for f in files:
            key = str(f)
            cases[key] = Case(key, f, load_scenario(str(f)))
        if not cases:
            raise TreatyError([Diagnostic(None, "no scenario to serve", "name scenario files or a directory of them")])
        return cls(rules, cases, keep)

    def case(self, case_id: Any) -> Case:
        if not isinstance(case_id, str) or case_id not in self.cases:
            raise BadRequest(f"unknown scenario {case_id!r}", 404, "GET /api/scenarios lists them")
        return self.cases[case_id]

    def loaded(self, case: Case, variant: Any) -> tuple[LoadedScenario, dict[str, str]]:
        if variant in (None, ""):
            return case.loaded, {}
        if not isinstance(variant, str) or variant not in case.loaded.scenario.variants:
            raise BadRequest(f"unknown variant {variant!r} of {case.id}", 404,
                             "the variants are: " + ", ".join(case.variants) if case.variants else "it has none")
        from ..tools.variants import load_variant

        return load_variant(case.loaded, variant)

    def reuse(self, key: str) -> tuple[Reuse, threading.Lock]:
        """The work kept for one case (and variant), a new one or the one kept, now the most recent; and
        the lock of its solves (clingo controls are not shared between threads)."""
        with self._lock:
            reuse = self._reuse.pop(key, None) or Reuse()
            self._reuse[key] = reuse
            while len(self._reuse) > self.keep:
                gone, _ = self._reuse.popitem(last=False)
                self._solving.pop(gone, None)
            return reuse, self._solving.setdefault(key, threading.Lock())

    def analyse(self, body: dict[str, Any], explainable: bool = True) -> Analysis:
        """The findings of a case, a variant, the statuses toggled and the positions of the law taken."""
        case = self.case(body.get("scenario"))
        variant = body.get("variant")
        loaded, own = self.loaded(case, variant)
        statuses = body.get("statuses") or {}
        positions = body.get("interpretations") or {}
        if not isinstance(statuses, dict) or not all(isinstance(k, str) and v in STATUSES
                                                     for k, v in statuses.items()):
            raise BadRequest("`statuses` maps a fact's id to one of " + ", ".join(STATUSES), 422)
        if not isinstance(positions, dict) or not all(isinstance(k, str) and isinstance(v, str)
                                                      for k, v in positions.items()):
            raise BadRequest("`interpretations` maps an interpretation to a position (or `open`)", 422)
        reuse, solving = self.reuse(f"{case.id}::{variant or ''}")
        with solving:  # one solve at a time on a case's groundings; other cases meanwhile go on
            return analyse(self.rules, loaded, assume={**own, **statuses}, interpret=positions, reuse=reuse,
                           explainable=explainable)
