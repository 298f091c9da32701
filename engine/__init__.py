"""treaty-engine: treaty clauses as logic rules, checked against real cases.

The Python API is the core; the ``treaty`` CLI is a thin shell over it::

    from engine import evaluate, load_rules
    rules = load_rules()                                         # the shipped rule base (rules/)
    findings = evaluate(rules, "scenarios/kazakhstan-2022.yaml")
    print(findings.select("obligation", bearer="russia"))

Names are imported on first use, so that ``treaty --help`` and small scripts start fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "Diagnostic": "errors", "ExitCode": "errors", "Span": "errors", "TreatyError": "errors",
    "Conclusion": "reasoning.findings", "Findings": "reasoning.findings",
    "Rules": "language.load", "default_rules_dir": "language.load", "load_rules": "language.load",
    "analyse": "pipeline", "evaluate": "pipeline",
    "LoadedScenario": "cases.scenario", "Scenario": "cases.scenario", "Status": "cases.scenario",
    "load_scenario": "cases.scenario",
}

__all__ = ["Conclusion", "Diagnostic", "ExitCode", "Findings", "LoadedScenario", "Rules", "Scenario", "Span",
           "Status", "TreatyError", "analyse", "default_rules_dir", "evaluate", "load_rules", "load_scenario"]

if TYPE_CHECKING:  # pragma: no cover
    from .cases.scenario import LoadedScenario, Scenario, Status, load_scenario
    from .errors import Diagnostic, ExitCode, Span, TreatyError
    from .language.load import Rules, default_rules_dir, load_rules
    from .pipeline import analyse, evaluate
    from .reasoning.findings import Conclusion, Findings


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        value = getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'engine' has no attribute {name!r}")
