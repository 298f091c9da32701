"""pytest plugin: scenario files with expectations become test items (one per variant).

Opt in with ``pytest --treaty-scenarios`` or ``treaty_scenarios = true`` in the ini file, so
that installing treaty-engine never changes what pytest collects elsewhere. ``treaty_rules``
(ini) names the rule files or directory; the default is the shipped rule base.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ..cases.scenario import SCENARIO_SUFFIXES
from ..language.load import Rules, load_rules
from .testing import Case, Outcome, cases_of, run_case

_RULES_KEY = pytest.StashKey[Rules]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("treaty", "treaty-engine scenario tests")
    group.addoption("--treaty-scenarios", action="store_true", default=False,
                    help="collect scenario files (*.yaml) with expectations as tests")
    parser.addini("treaty_scenarios", type="bool", default=False,
                  help="collect scenario files (*.yaml) with expectations as tests")
    parser.addini("treaty_rules", type="paths", default=[],
                  help="rule files or directories for scenario tests (default: the shipped rule base)")


def _enabled(config: pytest.Config) -> bool:
    return bool(config.getoption("treaty_scenarios") or config.getini("treaty_scenarios"))


def _rules(config: pytest.Config) -> Rules:
    if _RULES_KEY not in config.stash:
        paths = [str(p) for p in config.getini("treaty_rules")]
        config.stash[_RULES_KEY] = load_rules(paths or None)
    return config.stash[_RULES_KEY]


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if _enabled(parent.config) and file_path.suffix in SCENARIO_SUFFIXES and cases_of(file_path):
        return ScenarioFile.from_parent(parent, path=file_path)
    return None


class ScenarioFile(pytest.File):
    def collect(self) -> Iterator[pytest.Item]:
        for case in cases_of(self.path):
            yield ScenarioItem.from_parent(self, name=case.variant or "scenario", case=case)


class ScenarioFailure(Exception):
    def __init__(self, outcome: Outcome) -> None:
        super().__init__(outcome.case.name)
        self.outcome = outcome


class ScenarioItem(pytest.Item):
    def __init__(self, *, case: Case, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.case = case

    def runtest(self) -> None:
        outcome = run_case(Case(str(self.path), self.case.variant), _rules(self.config))
        if outcome.status == "skipped":
            pytest.skip(outcome.lines[0] if outcome.lines else "skipped")
        if outcome.status != "passed":
            raise ScenarioFailure(outcome)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, ScenarioFailure):
            o = excinfo.value.outcome
            head = "scenario could not be run:" if o.status == "error" else "expectations not met:"
            return "\n".join([head, *o.lines])
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"scenario {self.case.name}"


@pytest.fixture(scope="session")
def treaty_rules(pytestconfig: pytest.Config) -> Rules:
    """The rule base (``treaty_rules`` ini option, or the shipped one), loaded once per session."""
    return _rules(pytestconfig)


@pytest.fixture(scope="session")
def treaty_evaluate(treaty_rules: Rules):  # -> Callable[..., Findings]
    """``treaty_evaluate(scenario, **options)``: evaluate a file path or a dict on the session's rules."""
    from ..pipeline import evaluate

    def run(scenario: Any, **options: Any):
        return evaluate(treaty_rules, scenario, **options)

    return run
