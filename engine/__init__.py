"""treaty-engine: treaty clauses as logic rules, checked against real cases.

The Python API is the core; the ``treaty`` CLI is a thin shell over it::

    from engine import load_rules
    rules = load_rules()            # the shipped rule base (rules/)
    print(rules.program.text)       # the compiled ASP program
"""

from .errors import Diagnostic, ExitCode, Span, TreatyError
from .load import Rules, default_rules_dir, load_rules

__all__ = ["Diagnostic", "ExitCode", "Rules", "Span", "TreatyError", "default_rules_dir", "load_rules"]
__version__ = "0.1.0"
