"""What the ``treaty`` commands share: errors turned into diagnostics and exit codes, the limit
options (time, memory, file size) and the options for rules, dates, what-ifs and formats."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from typing import Any, NoReturn, TypeVar

import click

from ..errors import ExitCode, TreatyError
from ..errors import report as report_error

F = TypeVar("F", bound=Callable[..., Any])


def _reports_errors(func: F) -> F:
    """Turn our errors into rendered diagnostics and exit codes; never show a traceback.

    Commands with the limit options run in a child process under a time limit and a memory
    bound (:mod:`engine.limits`); their output is relayed as it comes.
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        timeout = kwargs.pop("timeout", None)
        memory = kwargs.pop("max_memory", None)
        size = kwargs.pop("max_file_size", None)
        if size is not None:
            from .. import limits

            limits.max_file_bytes = int(size * 1_000_000)
        if timeout or memory:
            from ..limits import run_limited
            from ..outputs.width import forget_terminal, remember_terminal

            remember_terminal()  # the child writes to a pipe: its output is for this terminal (width, colour)
            try:
                code = run_limited(lambda: _guarded(func, args, kwargs), timeout or 0, memory or 0,
                                   lambda s: click.echo(s, nl=False), lambda s: click.echo(s, nl=False, err=True))
            finally:
                forget_terminal()
            sys.exit(code)
        return _guarded(func, args, kwargs)

    return wrapper  # type: ignore[return-value]


def _guarded(func: Callable[..., Any], args: Any, kwargs: Any) -> Any:
    try:
        return func(*args, **kwargs)
    except TreatyError as err:
        click.echo(report_error(err), err=True)
        sys.exit(err.exit_code)
    except (click.ClickException, click.exceptions.Exit, click.Abort, SystemExit):
        raise
    except KeyboardInterrupt:
        click.echo("treaty: interrupted", err=True)
        sys.exit(130)
    except MemoryError:
        _out_of_memory()
    except Exception as exc:  # a bug of ours, not the user's
        if "bad_alloc" in str(exc):  # clingo's way of running out of memory
            _out_of_memory()
        if os.environ.get("TREATY_DEBUG"):
            import traceback

            click.echo("".join(traceback.format_exception(exc)).rstrip("\n"), err=True)
            click.echo(f"internal error: {type(exc).__name__}: {exc}\n"
                       "  this is a bug in treaty-engine; please report it with the traceback above", err=True)
        else:
            click.echo(f"internal error: {type(exc).__name__}: {exc}\n"
                       "  this is a bug in treaty-engine; rerun with TREATY_DEBUG=1 for a traceback", err=True)
        sys.exit(ExitCode.INTERNAL)


def _out_of_memory() -> NoReturn:
    from .. import limits

    if limits.in_limited_child():
        raise MemoryError  # the limits' parent says which bound was reached, and while doing what
    click.echo(f"treaty: out of memory\n{limits.OUT_OF_MEMORY_HINT}", err=True)
    sys.exit(ExitCode.LIMIT)


_paths = click.argument("paths", nargs=-1, type=click.Path(path_type=str))


def _limit_options(func: F) -> F:
    """``--timeout``, ``--max-memory`` and ``--max-file-size``, shared by the commands that do work."""
    from ..limits import DEFAULT_MAX_FILE_MB, DEFAULT_MAX_MEMORY, DEFAULT_TIMEOUT, MIN_MEMORY_MB

    func = click.option("--max-file-size", type=_Finite(0.001, 1_000_000), default=DEFAULT_MAX_FILE_MB,
                        show_default=True, metavar="MB", help="Refuse rule and scenario files larger than this.")(func)
    func = click.option("--max-memory", type=click.IntRange(0, 1 << 30), default=DEFAULT_MAX_MEMORY,
                        show_default=True, callback=_memory_bound, metavar="MB",
                        help=f"Stop (exit 3) when a process needs more memory (0: no bound; at least {MIN_MEMORY_MB}). "
                             "With --jobs, each worker has this bound.")(func)
    return click.option("--timeout", type=_Finite(0, 10**9), default=DEFAULT_TIMEOUT, show_default=True,
                        metavar="SECONDS", help="Stop (exit 3) after this long, saying what was running "
                                                "(0: no limit).")(func)


class _Finite(click.FloatRange):
    """A number in a range: ``inf`` and ``nan`` are refused (click's FloatRange lets them through)."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        import math

        number = super().convert(value, param, ctx)
        if not math.isfinite(number):
            self.fail(f"{value!r} is not a finite number.", param, ctx)
        return number


def _memory_bound(ctx: click.Context, param: click.Parameter, value: int) -> int:
    from ..limits import MIN_MEMORY_MB

    if 0 < value < MIN_MEMORY_MB:
        raise click.BadParameter(f"{value} MB is too little for the engine to start: give at least {MIN_MEMORY_MB} "
                                 "MB, or 0 for no bound")
    return value


def _format_option(*choices: str) -> Callable[[F], F]:
    """The shared ``--format`` option."""
    return click.option("--format", "fmt", type=click.Choice(choices), default=choices[0], show_default=True,
                        help="Output format.")


def _as_of(ctx: click.Context, param: click.Parameter, value: str | None) -> Any:
    if value is None:
        return None
    from ..dates import parse_iso

    day = parse_iso(value)
    if day is None:
        raise click.BadParameter(f"no such date: {value} (write YYYY-MM-DD)")
    return day


def _assumptions(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> dict[str, str]:
    statuses = ("established", "alleged", "disputed", "denied")
    out: dict[str, str] = {}
    for value in values:
        fact, sep, status = value.rpartition("=")
        if not sep or not fact.strip():
            raise click.BadParameter(f"`{value}`: write FACT=STATUS, e.g. 'armed_attack(a, b)=established'")
        if status.strip() not in statuses:
            raise click.BadParameter(f"`{status}` is not a status; use one of: {', '.join(statuses)}")
        out[fact.strip()] = status.strip()
    return out


def _interpretations(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for value in values:
        name, sep, position = value.partition("=")
        if not sep or not name.strip() or not position.strip():
            raise click.BadParameter(f"`{value}`: write NAME=POSITION (or NAME=open), e.g. "
                                     "'art51_non_state=state_only'; `treaty interpretations` lists them")
        out[name.strip()] = position.strip()
    return out


_interpret_option = click.option(
    "--interpret", "interpret", multiple=True, callback=_interpretations, metavar="NAME=POSITION",
    help="Take a position on a contested question of law (or `open`: conclusions say when they need one); "
         "`treaty interpretations` lists them. Repeatable.")
_strict_option = click.option("--strict", is_flag=True,
                              help="Treat warnings (what a scenario may not mean as written) as errors: exit 2.")
_rules_option = click.option("--rules", "rules_paths", multiple=True, type=click.Path(path_type=str), metavar="PATH",
                             help="Rule files or directories (default: the shipped rule base). Repeatable.")
_as_of_option = click.option("--as-of", callback=_as_of, metavar="DATE",
                             help="Judge the case at this date instead of the file's.")
_assume_option = click.option("--assume", "assume", multiple=True, callback=_assumptions, metavar="FACT=STATUS",
                              help="Override a fact's status for a what-if (established, alleged, disputed, denied). "
                                   "Repeatable.")


def _ids_flag(name: str = "ids") -> Callable[[F], F]:
    """``--ids``: entities and actions by id in text, Markdown and HTML (``name``: the parameter's name)."""
    return click.option("--ids", name, is_flag=True,
                        help="Name entities and actions by their ids, as the JSON does (`russia`, "
                             "`provide_assistance`), instead of display names.")


_ids_option = _ids_flag()


def _complete_scenarios(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    """Shell completion of a scenario argument: after ``FILE::``, the variants of that file (``FILE::VARIANT``);
    before, files and directories, as the shell completes them. Never fails: a file that cannot be read
    completes nothing."""
    from click.shell_completion import CompletionItem

    whole, lead = _bash_colons(incomplete)
    file, sep, prefix = whole.rpartition("::")
    if not sep:
        return [CompletionItem(incomplete, type="file")]
    try:
        from ..cases.scenario import load_scenario

        variants = load_scenario(file).scenario.variants
    except Exception:  # noqa: BLE001 - completion never fails the shell
        return []
    return [CompletionItem(f"{file}::{name}".removeprefix(lead)) for name in sorted(variants)
            if name.startswith(prefix)]


def _bash_colons(incomplete: str) -> tuple[str, str]:
    """(the word being completed, the part of it before the cursor's word): bash splits words at colons
    (``COMP_WORDBREAKS``), so ``FILE::VARIANT``, or an id with a colon, reaches a completion in pieces
    (``FILE``, ``::``, ``VAR``). They are joined again here, and bash is to be given completions without
    the part before (it replaces only the last piece). Other shells keep the word whole: no part before."""
    words, cword = os.environ.get("COMP_WORDS", ""), os.environ.get("COMP_CWORD", "")
    if not words or not cword.isdigit():
        return incomplete, ""
    from click.shell_completion import split_arg_string

    before = split_arg_string(words)[:int(cword)]
    lead = ""
    while len(before) >= 2 and set(before[-1]) == {":"}:
        lead = before[-2] + before[-1] + lead
        before = before[:-2]
    return lead + incomplete, lead


_scenarios_argument = click.argument("scenarios", nargs=-1, required=True, type=click.Path(path_type=str),
                                     shell_complete=_complete_scenarios)


def _one_case_options(func: F) -> F:
    """The options of a command that reads one case and writes one file (`report`, `timeline`): the rule
    base, the as-of date, what-ifs, positions of the law, --strict, --ids, the limits, and errors said."""
    for option in reversed((_rules_option, _as_of_option, _assume_option, _interpret_option, _strict_option,
                            _ids_option, _limit_options, _reports_errors)):
        func = option(func)
    return func
