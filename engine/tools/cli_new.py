"""``treaty new``: a commented scenario skeleton for one instrument or a set of them."""

from __future__ import annotations

import os
from datetime import date
from typing import Any

import click

from .cli_common import _as_of, _limit_options, _reports_errors, _rules_option
from .cli_rules import _complete_instruments


def _title(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None and not value.strip():
        raise click.BadParameter("must not be empty")
    return value


@click.command(name="new")
@click.argument("instruments", nargs=-1, required=True, shell_complete=_complete_instruments)
@click.option("-o", "--output", type=click.Path(path_type=str), metavar="FILE",
              help="Write it to FILE (a new file: an existing one is never overwritten) instead of standard "
                   "output (`-`).")
@click.option("--title", callback=_title, metavar="TEXT", help="The case's one-line title.")
@click.option("--date", "as_of", callback=_as_of, metavar="YYYY-MM-DD",
              help="The day the case is judged at (`as_of:`; default: today).")
@_rules_option
@_limit_options
@_reports_errors
def new(instruments: tuple[str, ...], output: str | None, title: str | None, as_of: Any,
        rules_paths: tuple[str, ...]) -> None:
    """Write a commented scenario skeleton for INSTRUMENTS (ids or common names: nato, csto, un, ...).

    The skeleton lists what a case under them may state (the inputs their rules read, with their
    arguments, meanings and allowed symbols), the parties the rule base knows, and an `expect:`
    block. As written it passes `treaty check` and `treaty test`.

    \b
    Examples:
      treaty new anzus --date 2001-09-14 -o anzus-2001.yaml
      treaty new nato un > case.yaml
    """
    from ..errors import Diagnostic, Span, TreatyError
    from ..files import check_output, write_atomically
    from ..language.load import load_rules
    from ..outputs.skeleton import skeleton

    target = None
    if output is not None and output != "-":
        target = check_output(output, [], "scenario skeleton")
        if os.path.lexists(output):
            raise TreatyError([Diagnostic(Span(output, 0, 0), "refusing to overwrite an existing file",
                                          "name a new file, or remove this one first")])
    text = skeleton(load_rules(list(rules_paths) or None), instruments, as_of or date.today(), title)
    if target is None:
        click.echo(text, nl=False)
    else:
        write_atomically(target, text, replace=False)  # (nor a file that appears meanwhile)
