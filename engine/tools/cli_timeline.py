"""`treaty timeline`: the timeline picture of a case as an SVG file (issue 16)."""

from __future__ import annotations

from typing import Any

import click

from .cli_common import _complete_scenarios, _one_case_options


@click.command()
@click.argument("scenario", type=click.Path(path_type=str), shell_complete=_complete_scenarios)
@click.option("-o", "--output", required=True, type=click.Path(path_type=str), metavar="FILE",
              help="The SVG file to write (written whole or not at all, never over an input); `-` for standard "
                   "output.")
@_one_case_options
def timeline(scenario: str, output: str, rules_paths: tuple[str, ...], as_of: Any, assume: dict[str, str],
             interpret: dict[str, str], strict: bool, ids: bool) -> None:
    """Draw the case's timeline: its dated events, and each conclusion as a bar from the day it arises to its
    end, discharge or the as-of date (dark: in every reading; hatched: in some), deadlines and what became
    of them.

    \b
    Examples:
      treaty timeline scenarios/kazakhstan-2022.yaml -o kazakhstan.svg
      treaty timeline scenarios/kazakhstan-2022.yaml::attack_denied -o -
    """
    from ..files import check_output, write_atomically
    from ..outputs.common import Names
    from ..outputs.timeline import timeline_svg
    from ..pipeline import analyse
    from .cli_scenarios import _rule_base, _scenario_or_variant, _warn

    rules = _rule_base(rules_paths)
    loaded, own = _scenario_or_variant(scenario)
    target = None if output == "-" else check_output(output, [loaded.file, *rules.paths], "timeline")
    analysis = analyse(rules, loaded, as_of=as_of, assume={**own, **assume}, interpret=interpret,
                       explainable=False)
    _warn(analysis, strict)
    svg = timeline_svg(analysis.facts, analysis.findings, Names.of(analysis.findings, ids))
    if target is None:
        click.echo(svg, nl=False)
        return
    write_atomically(target, svg)
    click.echo(f"wrote {output}: {len(analysis.findings.conclusions)} conclusions on the timeline")
