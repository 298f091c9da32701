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
    from ..outputs.common import Names
    from ..outputs.timeline import timeline_svg
    from .cli_scenarios import one_case, written

    _, analysis, target = one_case(scenario, rules_paths, as_of, assume, interpret, strict, output, "timeline",
                                   explainable=False)
    svg = timeline_svg(analysis.facts, analysis.findings, Names.of(analysis.findings, ids))
    written(target, svg, f"wrote {output}: {len(analysis.findings.conclusions)} conclusions on the timeline")
