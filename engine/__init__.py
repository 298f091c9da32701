"""treaty-engine: treaty clauses as logic rules, checked against real cases.

The Python API is the core; the ``treaty`` CLI is a thin shell over it::

    from engine import evaluate, load_rules
    rules = load_rules()                                         # the shipped rule base (rules/)
    findings = evaluate(rules, "scenarios/kazakhstan-2022.yaml")
    print(findings.select("obligation", bearer="russia"))
"""

from .errors import Diagnostic, ExitCode, Span, TreatyError
from .findings import Conclusion, Findings
from .load import Rules, default_rules_dir, load_rules
from .pipeline import evaluate
from .scenario import LoadedScenario, Scenario, Status, load_scenario

__all__ = ["Conclusion", "Diagnostic", "ExitCode", "Findings", "LoadedScenario", "Rules", "Scenario", "Span",
           "Status", "TreatyError", "default_rules_dir", "evaluate", "load_rules", "load_scenario"]
__version__ = "0.1.0"
