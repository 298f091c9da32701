"""The ``treaty`` command line: thin commands over the Python API.

The group and its entry point are here; the commands are in :mod:`engine.tools.cli_rules` and
:mod:`engine.tools.cli_scenarios`, with what they share in :mod:`engine.tools.cli_common`.
"""

from __future__ import annotations

import sys

import click

from .cli_common import _reports_errors, _rules_option
from .cli_lsp import lsp
from .cli_new import new
from .cli_rules import compile_cmd, instruments, interpretations, lint, show, vocabulary_cmd
from .cli_scenarios import check, compare, diff_cmd, explain, report
from .cli_serve import serve
from .cli_test import test_cmd
from .cli_timeline import timeline


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="treaty-engine", prog_name="treaty")
def treaty() -> None:
    """Treaty clauses as logic rules, checked against real cases."""


for _command in (lint, compile_cmd, check, explain, report, timeline, serve, show, instruments, interpretations,
                 vocabulary_cmd, compare, diff_cmd, test_cmd, new, lsp):
    treaty.add_command(_command)


@treaty.command()
@click.argument("which", type=click.Choice(["scenario", "findings", "explanation", "why-not"]))
@click.option("-o", "--output", type=click.Path(path_type=str), metavar="FILE",
              help="Write it to FILE (whole or not at all) instead of standard output (`-`).")
@_rules_option
@_reports_errors
def schema(which: str, output: str | None, rules_paths: tuple[str, ...]) -> None:
    """Print the JSON Schema of scenario files, findings or explanations, for editors and other programs.

    The scenario schema knows the rule base's vocabulary: the predicates an `event:` or `fact:` may
    state, the closed vocabularies' symbols and the known states (`--rules` names another base).

    \b
    Examples:
      treaty schema scenario -o scenario.schema.json
      (then, first line of a scenario file: # yaml-language-server: $schema=scenario.schema.json)
    """
    import json

    from pydantic import BaseModel

    from ..cases.scenario import SCENARIO_SCHEMA, Scenario
    from ..reasoning.explain import EXPLANATION_SCHEMA, Explanation, WhyNot
    from ..reasoning.findings import FINDINGS_SCHEMA, Findings

    models: dict[str, tuple[type[BaseModel], str]] = {
        "scenario": (Scenario, SCENARIO_SCHEMA), "findings": (Findings, FINDINGS_SCHEMA),
        "explanation": (Explanation, EXPLANATION_SCHEMA), "why-not": (WhyNot, EXPLANATION_SCHEMA)}
    model, name = models[which]
    doc = model.model_json_schema(by_alias=True)
    doc["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    doc["$id"] = name
    if which == "scenario":
        from ..language.load import load_rules
        from ..outputs.vocabulary import schema_vocabulary

        schema_vocabulary(doc, load_rules(list(rules_paths) or None))
    text = json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    if output is None or output == "-":
        click.echo(text, nl=False)
        return
    from ..files import check_output, write_atomically

    write_atomically(check_output(output, [], "schema"), text)


def main() -> None:
    try:
        _collect_less()
        code = treaty.main(prog_name="treaty", standalone_mode=False)
    except (KeyboardInterrupt, click.exceptions.Abort):  # Ctrl-C outside a command's own handling
        sys.stderr.write("treaty: interrupted\n")  # (starting up, reading options): click would say
        sys.exit(130)  # "Aborted!" and exit 1
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    sys.exit(code if isinstance(code, int) else 0)


def _collect_less() -> None:
    """Tune CPython's cycle collector for one short run that builds many small objects.

    A run builds tens of thousands of dicts and lists (YAML data, decoded atoms, findings) that
    are never cyclic garbage; with the default thresholds the collector scans them, and all that
    was loaded before them, again and again: a quarter of the time of a 10^4-event scenario
    (issue 7). Young objects are collected after 50,000 allocations instead of 700, and what is
    loaded once (modules, the rule base) is frozen out of the scans. Only the command line does
    this: a program that imports the engine keeps its own settings.
    """
    import gc

    gc.set_threshold(50_000, 20, 20)
    gc.freeze()
