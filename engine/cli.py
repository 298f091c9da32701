"""The ``treaty`` command line: thin commands over the Python API."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from .errors import ExitCode, TreatyError, render_all

F = TypeVar("F", bound=Callable[..., Any])


def _reports_errors(func: F) -> F:
    """Turn our errors into rendered diagnostics and exit codes; never show a traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except TreatyError as err:
            click.echo(render_all(err.diagnostics, err.texts), err=True)
            files = {d.span.file for d in err.diagnostics if d.span}
            n = len(err.diagnostics)
            click.echo(f"{n} error{'s' if n != 1 else ''}"
                       + (f" in {len(files)} file{'s' if len(files) != 1 else ''}" if files else ""), err=True)
            sys.exit(err.exit_code)
        except (click.ClickException, click.exceptions.Exit, click.Abort, SystemExit):
            raise
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(ExitCode.LIMIT)
        except Exception as exc:  # pragma: no cover - a bug of ours, not the user's
            if os.environ.get("TREATY_DEBUG"):
                raise
            click.echo(f"internal error: {type(exc).__name__}: {exc}\n"
                       "  this is a bug in treaty-engine; rerun with TREATY_DEBUG=1 for a traceback", err=True)
            sys.exit(ExitCode.INTERNAL)

    return wrapper  # type: ignore[return-value]


_paths = click.argument("paths", nargs=-1, type=click.Path(path_type=str))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="treaty-engine", prog_name="treaty")
def treaty() -> None:
    """Treaty clauses as logic rules, checked against real cases."""


@treaty.command()
@_paths
@_reports_errors
def lint(paths: tuple[str, ...]) -> None:
    """Check rule files and report every problem (default: the shipped rule base).

    \b
    Example:
      treaty lint rules/
    """
    from .load import load_rules

    rules = load_rules(list(paths) or None)
    b = rules.base
    where = ", ".join(paths) if paths else "default rule base"
    click.echo(f"{where}: {len(b.files)} files, {len(b.instruments)} instruments, {len(b.articles)} articles, "
               f"{len(b.rules)} rules, {len(b.parties)} party entries: no problems")


@treaty.command(name="compile")
@_paths
@_reports_errors
def compile_cmd(paths: tuple[str, ...]) -> None:
    """Print the ASP program the rules compile to, each rule under a comment naming its article.

    \b
    Example:
      treaty compile rules/cst.rules rules/un_charter.rules
    """
    from .load import load_rules

    click.echo(load_rules(list(paths) or None).program.text, nl=False)


def main() -> None:
    treaty(prog_name="treaty")
