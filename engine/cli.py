"""The ``treaty`` command line: thin commands over the Python API."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from typing import Any, NoReturn, TypeVar

import click

from .errors import ExitCode, TreatyError
from .errors import report as report_error

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
            from . import limits

            limits.max_file_bytes = int(size * 1_000_000)
        if timeout or memory:
            from .limits import run_limited

            code = run_limited(lambda: _guarded(func, args, kwargs), timeout or 0, memory or 0,
                               lambda s: click.echo(s, nl=False), lambda s: click.echo(s, nl=False, err=True))
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
    from . import limits

    if limits.in_limited_child():
        raise MemoryError  # the limits' parent says which bound was reached, and while doing what
    click.echo(f"treaty: out of memory\n{limits.OUT_OF_MEMORY_HINT}", err=True)
    sys.exit(ExitCode.LIMIT)


_paths = click.argument("paths", nargs=-1, type=click.Path(path_type=str))


def _limit_options(func: F) -> F:
    """``--timeout``, ``--max-memory`` and ``--max-file-size``, shared by the commands that do work."""
    from .limits import DEFAULT_MAX_FILE_MB, DEFAULT_MAX_MEMORY, DEFAULT_TIMEOUT, MIN_MEMORY_MB

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
    from .limits import MIN_MEMORY_MB

    if 0 < value < MIN_MEMORY_MB:
        raise click.BadParameter(f"{value} MB is too little for the engine to start: give at least {MIN_MEMORY_MB} "
                                 "MB, or 0 for no bound")
    return value


def _format_option(*choices: str) -> Callable[[F], F]:
    """The shared ``--format`` option."""
    return click.option("--format", "fmt", type=click.Choice(choices), default=choices[0], show_default=True,
                        help="Output format.")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="treaty-engine", prog_name="treaty")
def treaty() -> None:
    """Treaty clauses as logic rules, checked against real cases."""


@treaty.command()
@_paths
@_limit_options
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
@_limit_options
@_reports_errors
def compile_cmd(paths: tuple[str, ...]) -> None:
    """Print the ASP program the rules compile to, each rule under a comment naming its article.

    \b
    Example:
      treaty compile rules/cst.rules rules/un_charter.rules
    """
    from .load import load_rules

    click.echo(load_rules(list(paths) or None).program.text, nl=False)


def _as_of(ctx: click.Context, param: click.Parameter, value: str | None) -> Any:
    if value is None:
        return None
    from .dates import parse_iso

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


_rules_option = click.option("--rules", "rules_paths", multiple=True, type=click.Path(path_type=str), metavar="PATH",
                             help="Rule files or directories (default: the shipped rule base). Repeatable.")
_as_of_option = click.option("--as-of", callback=_as_of, metavar="DATE",
                             help="Judge the case at this date instead of the file's.")
_assume_option = click.option("--assume", "assume", multiple=True, callback=_assumptions, metavar="FACT=STATUS",
                              help="Override a fact's status for a what-if (established, alleged, disputed, denied). "
                                   "Repeatable.")


@treaty.command()
@click.argument("scenarios", nargs=-1, required=True, type=click.Path(path_type=str))
@_rules_option
@_as_of_option
@_assume_option
@_format_option("text", "json", "markdown", "jsonl")
@click.option("--explain", is_flag=True, help="Attach to every conclusion why it holds (JSON and Markdown).")
@click.option("--jobs", "-j", type=click.IntRange(0, 512), default=1, show_default=True,
              help="Processes to use for many scenarios (0: one per core).")
@click.option("--executor", metavar="dask://HOST:PORT", help="Run on a Dask distributed cluster instead.")
@_limit_options
@_reports_errors
def check(scenarios: tuple[str, ...], rules_paths: tuple[str, ...], as_of: Any, assume: dict[str, str],
          fmt: str, explain: bool, jobs: int, executor: str | None) -> None:
    """What the treaties require, permit and forbid in each scenario, and how firmly it follows.

    SCENARIOS are files or directories of them. With many, results come in order; one that
    cannot be evaluated is reported and the others go on (exit 2 at the end).

    \b
    Examples:
      treaty check scenarios/kazakhstan-2022.yaml
      treaty check scenarios/kazakhstan-2022.yaml --assume 'armed_attack(foreign_trained_gangs, kazakhstan)=denied'
      treaty check scenarios/ --format jsonl --jobs 0 > findings.jsonl
    """

    from . import batch
    from .load import load_rules

    rules_paths = tuple(rules_paths)
    if executor is None:
        batch._RULES[rules_paths] = load_rules(list(rules_paths) or None)  # bad rules: one message, exit 2
        import gc

        gc.freeze()  # the rule base lives until the end: no need to scan it (see _collect_less)
    paths = batch.scenario_paths(scenarios)
    work = batch.read_jobs(paths)
    options = batch.Options(rules_paths, as_of, tuple(sorted(assume.items())), explain)
    workers = jobs or batch.default_workers()
    codes: list[int] = []
    documents: list[dict] = []
    stopped: batch.Stopped | None = None
    with _progress(len(work)) as advance:
        try:
            for result in batch.run(work, options, workers=workers, executor=executor, progress=advance):
                codes.append(result.code)
                if not result.ok:
                    click.echo(result.error, err=True)
                if fmt == "jsonl":
                    click.echo(result.jsonl())
                elif result.ok and result.findings is not None:
                    if fmt == "json":
                        documents.append(result.findings)
                    else:
                        click.echo(_render_findings(result.findings, fmt), nl=False)
        except batch.Stopped as stop:
            stopped = stop
    if fmt == "json" and documents:
        from .jsonout import pretty_bytes

        click.echo(pretty_bytes(documents[0] if len(paths) == 1 and stopped is None else documents))
    failed = sum(1 for c in codes if c)
    if failed and len(work) > 1:
        click.echo(f"{failed} of {len(work)} scenarios could not be evaluated", err=True)
    if stopped is not None:
        _stopped(stopped, len(work))
    sys.exit(batch.worst(codes))


def _stopped(stop: Any, total: int) -> NoReturn:
    """A batch was stopped: say what was not finished; the exit code says why (3, 130, 143)."""
    import signal

    from . import limits
    from .limits import TIME_UP

    click.echo(f"{stop.unfinished} of {total} scenarios were not finished"
               + (f" (stopped while checking {', '.join(stop.running)})" if stop.running else ""), err=True)
    if stop.signum == TIME_UP:
        sys.exit(ExitCode.LIMIT)
    if limits.in_limited_child():  # the limits' parent was stopped (Ctrl-C or SIGTERM): it says which
        sys.exit(143)
    if stop.signum == signal.SIGINT:
        click.echo("treaty: interrupted", err=True)
        sys.exit(130)
    click.echo("treaty: terminated", err=True)
    sys.exit(143)


def _render_findings(doc: dict, fmt: str) -> str:
    from .findings import Findings
    from .report import render_markdown, render_text

    explanations = {c["id"]: c.pop("explanation") for c in doc["conclusions"] if "explanation" in c}
    findings = Findings.from_document(doc)
    if fmt == "markdown":
        text = render_markdown(findings)
        if explanations:
            from .explain import Explanation
            from .report.explanation import explanation_text

            text += "\n## Why each conclusion holds\n\n"
            for c in findings.conclusions:
                why = explanation_text(Explanation.model_validate(explanations[c.id]))
                text += f"### `{c.id}`\n\n```text\n{why}```\n\n"
        return text
    color = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    return render_text(findings, color=color)


class _progress:
    """A progress bar on a terminal (stderr), for more than one scenario; nothing otherwise."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.bar: Any = None

    def __enter__(self) -> Callable[[Any], None]:
        if self.total > 1 and sys.stderr.isatty():
            from rich.progress import Progress

            self.bar = Progress(transient=True)
            self.bar.start()
            task = self.bar.add_task("scenarios", total=self.total)
            return lambda _result: self.bar.advance(task)
        return lambda _result: None

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()


def _explain_all(analysis: Any) -> dict[str, Any]:
    explainer = analysis.explainer()
    return {c.id: explainer.why(c.id) for c in analysis.findings.conclusions}


@treaty.command()
@click.argument("scenario", type=click.Path(path_type=str))
@click.argument("ids", nargs=-1)
@click.option("--why-not", "why_not", multiple=True, metavar="PATTERN",
              help="Why a conclusion does not hold (or not in every reading): an id, or a pattern such as "
                   "'obligation(uzbekistan, provide_assistance, kazakhstan)' (`_` for any). Repeatable.")
@_rules_option
@_as_of_option
@_assume_option
@_format_option("text", "json", "mermaid", "dot")
@_limit_options
@_reports_errors
def explain(scenario: str, ids: tuple[str, ...], why_not: tuple[str, ...], rules_paths: tuple[str, ...],
            as_of: Any, assume: dict[str, str], fmt: str) -> None:
    """Why conclusions hold (by id; default: all of them), and why others do not (--why-not).

    \b
    Examples:
      treaty explain scenarios/kazakhstan-2022.yaml cst_4_2_assist_2010/russia/provide_assistance/kazakhstan/2022-01-05
      treaty explain scenarios/kazakhstan-2022.yaml --why-not 'obligation(uzbekistan, provide_assistance, kazakhstan)'
      treaty explain scenarios/kazakhstan-2022.yaml --format mermaid > why.mmd
    """
    from .load import load_rules
    from .pipeline import analyse
    from .report import explanation as render

    rules = load_rules(list(rules_paths) or None)
    analysis = analyse(rules, scenario, as_of=as_of, assume=assume)
    explainer = analysis.explainer()
    wanted = list(ids) or ([] if why_not else [c.id for c in analysis.findings.conclusions])
    models: list[Any] = [explainer.why(i) for i in wanted] + [explainer.why_not(p) for p in why_not]
    if fmt == "json":
        click.echo(render.to_json(models), nl=False)
    elif fmt == "mermaid":
        click.echo(render.mermaid(models), nl=False)
    elif fmt == "dot":
        click.echo(render.dot(models), nl=False)
    else:
        texts = [render.explanation_text(m) if hasattr(m, "tree") else render.why_not_text(m) for m in models]
        click.echo("\n".join(texts), nl=False)


@treaty.command()
@click.argument("scenario", type=click.Path(path_type=str))
@click.option("-o", "--output", required=True, type=click.Path(path_type=str), metavar="FILE",
              help="The HTML file to write (written whole or not at all).")
@_rules_option
@_as_of_option
@_assume_option
@_limit_options
@_reports_errors
def report(scenario: str, output: str, rules_paths: tuple[str, ...], as_of: Any, assume: dict[str, str]) -> None:
    """Write one self-contained HTML report: findings, explanations, contested facts, articles cited.

    \b
    Example:
      treaty report scenarios/kazakhstan-2022.yaml -o report.html
    """

    from .files import check_output, write_atomically
    from .load import load_rules
    from .pipeline import analyse
    from .report.html import render_html

    rules = load_rules(list(rules_paths) or None)
    target = check_output(output, [scenario, *rules.paths], "report")
    analysis = analyse(rules, scenario, as_of=as_of, assume=assume)
    html = render_html(analysis.findings, _explain_all(analysis), analysis.facts.loaded.scenario, rules)
    write_atomically(target, html)
    click.echo(f"wrote {output}: {len(analysis.findings.conclusions)} conclusions explained")


@treaty.command()
@click.argument("instrument")
@click.argument("article", required=False)
@_rules_option
@_limit_options
@_reports_errors
def show(instrument: str, article: str | None, rules_paths: tuple[str, ...]) -> None:
    """The literate view: an article's text beside the rules that encode it (all articles if none given).

    \b
    Examples:
      treaty show cst 4
      treaty show un_charter 51
    """
    from rich.console import Console
    from rich.syntax import Syntax

    from .load import load_rules
    from .show import articles, instrument_header

    rules = load_rules(list(rules_paths) or None)
    views = articles(rules, instrument, article)
    color = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    console = Console(force_terminal=color, no_color=not color, highlight=False, markup=False, soft_wrap=True,
                      width=120)
    for line in instrument_header(rules, instrument):
        console.print(line)
    for view in views:
        art = view.article
        version = f' — version "{art.version}"' if art.version else ""
        console.print()
        console.print(f"Article {art.ref}" + (f" — {art.heading}" if art.heading else "") + version
                      + (f" — {view.in_force}" if view.in_force else ""), style="bold")
        for t in art.texts:
            label = "authentic" if t.authentic else f"translation: {t.translation}"
            source = f"; source {t.source}" if t.source else ""
            console.print(f"  [{t.language}, {label}{source}]", style="dim")
            for text_line in t.text.splitlines():
                console.print(f"    {text_line}")
        if not view.rules:
            console.print("  (no rule encodes this article)", style="dim")
        for rs in view.rules:
            console.print(f"  encoded by {rs.rule.id} ({rs.rule.span.file}:{rs.rule.span.line}):", style="dim")
            if color:
                console.print(Syntax(rs.text, "treaty", theme="ansi_light", background_color="default",
                                     word_wrap=True, padding=(0, 4)))
            else:
                for code_line in rs.text.splitlines():
                    console.print(f"    {code_line}")


@treaty.command()
@_rules_option
@_format_option("text", "json")
@_limit_options
@_reports_errors
def instruments(rules_paths: tuple[str, ...], fmt: str) -> None:
    """List the loaded instruments: their articles, parties and rules.

    \b
    Example:
      treaty instruments
    """
    import dataclasses
    import json

    from .load import load_rules
    from .show import instruments as rows_of

    rows = rows_of(load_rules(list(rules_paths) or None))
    if fmt == "json":
        click.echo(json.dumps([dataclasses.asdict(r) for r in rows], indent=2, sort_keys=True, ensure_ascii=False))
        return
    grid = [["instrument", "title", "in force", "parties (now)", "rules", "articles"]]
    grid += [[r.id, r.title, r.in_force, f"{r.parties} ({r.current_parties})", str(r.rules), ", ".join(r.articles)]
             for r in rows]
    widths = [max(len(g[i]) for g in grid) for i in range(len(grid[0]))]
    for n, g in enumerate(grid):
        click.echo("  ".join(c.ljust(widths[i]) for i, c in enumerate(g)).rstrip())
        if n == 0:
            click.echo("  ".join("-" * w for w in widths))


@treaty.command()
@click.argument("scenarios", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option("--variants", is_flag=True, help="Add a column for each variant of each scenario.")
@_rules_option
@_format_option("text", "markdown", "json")
@_limit_options
@_reports_errors
def compare(scenarios: tuple[str, ...], variants: bool, rules_paths: tuple[str, ...], fmt: str) -> None:
    """One table across scenarios (and their variants): what is engaged, what follows, in which readings.

    \b
    Examples:
      treaty compare scenarios/nato-2001-article5.yaml scenarios/kazakhstan-2022.yaml
      treaty compare scenarios/kazakhstan-2022.yaml --variants --format markdown
    """
    from pathlib import Path

    from . import compare as cmp
    from .load import load_rules
    from .pipeline import analyse
    from .scenario import load_scenario
    from .testing import _analyse, apply_variant

    rules = load_rules(list(rules_paths) or None)
    columns = []
    for path in scenarios:
        loaded = load_scenario(path)
        name = Path(path).stem
        columns.append((name, analyse(rules, loaded).findings))
        if variants:
            for v in loaded.scenario.variants:
                changed, assume, where = apply_variant(loaded, v)
                columns.append((f"{name}::{v}", _analyse(rules, changed, assume, where).findings))
    render = {"text": cmp.render_text, "markdown": cmp.render_markdown, "json": cmp.render_json}[fmt]
    click.echo(render(columns), nl=False)


@treaty.command(name="test")
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option("-k", "keyword", metavar="PATTERN", help="Run only the cases whose name contains PATTERN.")
@click.option("--junit-xml", "junit", type=click.Path(path_type=str), metavar="FILE",
              help="Also write the results as JUnit XML (for CI dashboards).")
@_rules_option
@_format_option("text", "json")
@_limit_options
@_reports_errors
def test_cmd(paths: tuple[str, ...], keyword: str | None, junit: str | None, rules_paths: tuple[str, ...],
             fmt: str) -> None:
    """Check the expectations written in scenario files (default: scenarios/).

    Each scenario's own expectations and each of its variants is one case: a line each, a
    diff for each failure, and a closing line `N passed, N failed`. Exit 0 when all pass,
    1 when one fails, 2 when a file cannot be read.

    \b
    Examples:
      treaty test scenarios/
      treaty test scenarios/kazakhstan-2022.yaml -k attack_denied --junit-xml results.xml
    """

    from .files import check_output, write_atomically
    from .load import load_rules
    from .testing import collect, exit_code, junit_xml, results_json, run_case, summary_line

    rules = load_rules(list(rules_paths) or None)
    cases = collect(list(paths) or ["scenarios"], keyword)
    if not cases:
        where = ", ".join(paths) or "scenarios"
        click.echo(f"error: no scenario with expectations in {where}" + (f" matching -k {keyword}" if keyword else ""),
                   err=True)
        click.echo("0 passed, 0 failed")
        sys.exit(2)
    target = check_output(junit, [*(c.file for c in cases), *rules.paths], "JUnit XML") if junit else None
    outcomes = []
    for case in cases:
        outcome = run_case(case, rules)
        outcomes.append(outcome)
        if fmt == "text":
            label = {"passed": "PASS", "failed": "FAIL", "error": "ERROR", "skipped": "SKIP"}[outcome.status]
            click.echo(f"{label} {case.name}" + (f" ({outcome.lines[0]})" if outcome.status == "skipped" else ""))
            if outcome.status in ("failed", "error"):
                for line in outcome.lines:
                    click.echo(f"  {line}")
    if target is not None:
        write_atomically(target, junit_xml(outcomes))
    if fmt == "json":
        click.echo(results_json(outcomes), nl=False)
    else:
        click.echo(summary_line(outcomes))
    sys.exit(exit_code(outcomes))


@treaty.command()
@click.argument("which", type=click.Choice(["scenario", "findings", "explanation", "why-not"]))
def schema(which: str) -> None:
    """Print the JSON Schema of scenario files, findings or explanations, for editors and other programs.

    \b
    Example:
      treaty schema scenario > scenario.schema.json
    """
    import json

    from pydantic import BaseModel

    from .explain import EXPLANATION_SCHEMA, Explanation, WhyNot
    from .findings import FINDINGS_SCHEMA, Findings
    from .scenario import SCENARIO_SCHEMA, Scenario

    models: dict[str, tuple[type[BaseModel], str]] = {
        "scenario": (Scenario, SCENARIO_SCHEMA), "findings": (Findings, FINDINGS_SCHEMA),
        "explanation": (Explanation, EXPLANATION_SCHEMA), "why-not": (WhyNot, EXPLANATION_SCHEMA)}
    model, name = models[which]
    doc = model.model_json_schema(by_alias=True)
    doc["$id"] = name
    click.echo(json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False))


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
