"""The ``treaty`` commands over scenarios: ``check``, ``explain``, ``report``, ``compare`` and ``test``."""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Callable
from typing import Any, NoReturn

import click

from ..errors import ExitCode
from .cli_common import (
    _as_of_option,
    _assume_option,
    _bash_colons,
    _complete_scenarios,
    _format_option,
    _ids_flag,
    _ids_option,
    _interpret_option,
    _limit_options,
    _one_case_options,
    _reports_errors,
    _rules_option,
    _scenarios_argument,
    _strict_option,
)


@click.command()
@_scenarios_argument
@_rules_option
@_as_of_option
@_assume_option
@_interpret_option
@_strict_option
@_format_option("text", "json", "markdown", "jsonl")
@click.option("--explain", is_flag=True, help="Attach to every conclusion why it holds (JSON and Markdown).")
@_ids_option
@click.option("--jobs", "-j", type=click.IntRange(0, 512), default=1, show_default=True,
              help="Processes to use for many scenarios (0: one per core).")
@click.option("--executor", metavar="dask://HOST:PORT", help="Run on a Dask distributed cluster instead.")
@_limit_options
@_reports_errors
def check(scenarios: tuple[str, ...], rules_paths: tuple[str, ...], as_of: Any, assume: dict[str, str],
          interpret: dict[str, str], strict: bool, fmt: str, explain: bool, ids: bool, jobs: int,
          executor: str | None) -> None:
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
    from . import jobs as batch_jobs

    rules_paths = tuple(rules_paths)
    if executor is None:
        batch_jobs._RULES[rules_paths] = _rule_base(rules_paths)  # bad rules: one message, exit 2
    paths = batch.scenario_paths(scenarios)
    work = batch.read_jobs(paths)
    options = batch.Options(rules_paths, as_of, tuple(sorted(assume.items())), explain,
                            tuple(sorted(interpret.items())), strict)
    workers = jobs or batch.default_workers()
    codes: list[int] = []
    documents: list[dict] = []
    stopped: batch.Stopped | None = None
    with _progress(len(work)) as advance:
        try:
            for result in batch.run(work, options, workers=workers, executor=executor, progress=advance):
                codes.append(result.code)
                if result.warnings:
                    click.echo(result.warnings, err=True)
                if not result.ok:
                    click.echo(result.error, err=True)
                if fmt == "jsonl":
                    click.echo(result.jsonl())
                elif result.ok and result.findings is not None:
                    if fmt == "json":
                        documents.append(result.findings)
                    else:
                        # (colours kept: in a limited child, standard output is a pipe to the terminal)
                        click.echo(_render_findings(result.findings, fmt, ids), nl=False, color=_color() or None)
        except batch.Stopped as stop:
            stopped = stop
    if fmt == "json" and documents:
        from ..jsonout import pretty_bytes

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

    from .. import limits
    from ..limits import TIME_UP

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


def _render_findings(doc: dict, fmt: str, ids: bool = False) -> str:
    from ..outputs import render_markdown, render_text
    from ..outputs.common import Names
    from ..outputs.width import output_width
    from ..reasoning.findings import Findings

    explanations = {c["id"]: c.pop("explanation") for c in doc["conclusions"] if "explanation" in c}
    findings = Findings.from_document(doc)
    names = Names.of(findings, ids)
    if fmt == "markdown":
        text = render_markdown(findings, names)
        if explanations:
            from ..outputs.explanation import explanation_text, summary_text
            from ..reasoning.explain import Explanation

            text += "\n## Why each conclusion holds\n\n"
            for c in findings.conclusions:
                why = explanation_text(Explanation.model_validate(explanations[c.id]), summary=summary_text(c, names))
                text += f"### `{c.id}`\n\n```text\n{why}```\n\n"
        return text
    return render_text(findings, color=_color(), width=output_width(), names=names)


def _color() -> bool:
    from ..outputs.width import stdout_is_terminal

    return stdout_is_terminal() and not os.environ.get("NO_COLOR")


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
    ids = [c.id for c in analysis.findings.conclusions]
    return dict(zip(ids, analysis.explainer().why_all(ids), strict=True))


def _complete_conclusions(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    """Shell completion of ``treaty explain SCENARIO ID``: the ids of the scenario's conclusions, worked out
    in this process (with the command line's --rules, --as-of, --assume and --interpret); nothing when
    the scenario cannot be evaluated."""
    whole, lead = _bash_colons(incomplete)
    if "::" in whole:  # bash cut SCENARIO::VARIANT at its colons: the variant is being completed
        return _complete_scenarios(ctx, param, incomplete)
    try:
        from ..language.load import load_rules
        from ..pipeline import analyse

        def given(name: str) -> Any:
            value = ctx.params.get(name)
            return value if isinstance(value, dict) else {}

        scenario, given_ids = ctx.params["scenario"], list(ctx.params.get("ids") or ())
        if len(given_ids) >= 2 and set(given_ids[0]) == {":"}:  # SCENARIO::VARIANT, cut by bash
            scenario += "::" + given_ids[1]
        rules = load_rules(list(ctx.params.get("rules_paths") or ()) or None)
        loaded, own = _scenario_or_variant(scenario)
        as_of = ctx.params.get("as_of") if isinstance(ctx.params.get("as_of"), dt.date) else None
        analysis = analyse(rules, loaded, as_of=as_of, assume={**own, **given("assume")},
                           interpret=given("interpret"), explainable=False)
        ids = [c["id"] for c in analysis.document["conclusions"]]
    except Exception:  # noqa: BLE001 - completion never fails the shell
        return []
    return [i.removeprefix(lead) for i in ids if i.startswith(whole)]


@click.command()
@click.argument("scenario", type=click.Path(path_type=str), shell_complete=_complete_scenarios)
@click.argument("ids", nargs=-1, shell_complete=_complete_conclusions)
@click.option("--why-not", "why_not", multiple=True, metavar="PATTERN",
              help="Why a conclusion does not hold (or not in every reading): an id, or a pattern such as "
                   "'obligation(uzbekistan, provide_assistance, kazakhstan)' (`_` for any). Repeatable.")
@_rules_option
@_as_of_option
@_assume_option
@_interpret_option
@_strict_option
@_format_option("text", "json", "mermaid", "dot")
@_ids_flag("by_id")
@_limit_options
@_reports_errors
def explain(scenario: str, ids: tuple[str, ...], why_not: tuple[str, ...], rules_paths: tuple[str, ...],
            as_of: Any, assume: dict[str, str], interpret: dict[str, str], strict: bool, fmt: str,
            by_id: bool) -> None:
    """Why conclusions hold (by id; default: all of them), and why others do not (--why-not).

    \b
    Examples:
      treaty explain scenarios/kazakhstan-2022.yaml cst_4_2_assist_2010/russia/provide_assistance/kazakhstan/2022-01-05
      treaty explain scenarios/kazakhstan-2022.yaml --why-not 'obligation(uzbekistan, provide_assistance, kazakhstan)'
      treaty explain scenarios/kazakhstan-2022.yaml --format mermaid > why.mmd
    """
    from ..outputs import explanation as render
    from ..pipeline import analyse

    rules = _rule_base(rules_paths)
    loaded, own = _scenario_or_variant(scenario)
    analysis = analyse(rules, loaded, as_of=as_of, assume={**own, **assume}, interpret=interpret)
    _warn(analysis, strict)
    explainer = analysis.explainer()
    wanted = list(ids) or ([] if why_not else [c.id for c in analysis.findings.conclusions])
    models: list[Any] = [*explainer.why_all(wanted), *(explainer.why_not(p) for p in why_not)]
    if fmt == "json":
        click.echo(render.to_json(models), nl=False)
    elif fmt == "mermaid":
        click.echo(render.mermaid(models), nl=False)
    elif fmt == "dot":
        click.echo(render.dot(models), nl=False)
    else:
        from ..outputs.common import Names
        from ..outputs.width import output_width

        names, width = Names.of(analysis.findings, by_id), output_width()
        texts = [render.explanation_text(m, width, render.summary_text(analysis.findings.get(m.conclusion), names))
                 if hasattr(m, "tree") else render.why_not_text(m, width) for m in models]
        click.echo("\n".join(texts), nl=False)


@click.command()
@click.argument("scenario", type=click.Path(path_type=str), shell_complete=_complete_scenarios)
@click.option("-o", "--output", required=True, type=click.Path(path_type=str), metavar="FILE",
              help="The file to write (written whole or not at all); `-` for standard output.")
@click.option("--format", "fmt", type=click.Choice(["html", "markdown"]), default="html", show_default=True,
              help="A self-contained HTML page, or Markdown (findings, then each explanation).")
@_one_case_options
def report(scenario: str, output: str, fmt: str, rules_paths: tuple[str, ...], as_of: Any, assume: dict[str, str],
           interpret: dict[str, str], strict: bool, ids: bool) -> None:
    """Write one report: findings, explanations, contested facts, articles cited (HTML, or Markdown).

    \b
    Examples:
      treaty report scenarios/kazakhstan-2022.yaml -o report.html
      treaty report scenarios/kazakhstan-2022.yaml --format markdown -o - | less
    """

    rules, analysis, target = one_case(scenario, rules_paths, as_of, assume, interpret, strict, output, "report")
    explained = _explain_all(analysis)
    from ..outputs.common import Names

    findings = analysis.findings
    names = Names.of(findings, ids)
    if fmt == "html":
        from ..outputs.html import render_html
        from ..outputs.timeline import timeline_svg

        text = render_html(findings, explained, analysis.facts.loaded.scenario, rules, names,
                           timeline_svg(analysis.facts, findings, names))
    else:
        from ..outputs.common import md_text
        from ..outputs.explanation import explanation_text, summary_text
        from ..outputs.markdown import render_markdown
        from ..outputs.sentences import Sentences

        said = Sentences(findings, names, rules)
        text = render_markdown(findings, names) + "\n## Why each conclusion holds\n" + "".join(
            f"\n### {e.conclusion}\n\n{md_text(said.sentence(c))}\n\n```text\n"
            f"{explanation_text(e, summary=summary_text(c, names))}```\n"
            for c, e in ((findings.get(cid), e) for cid, e in explained.items()))
    written(target, text, f"wrote {output}: {len(analysis.findings.conclusions)} conclusions explained")



@click.command()
@_scenarios_argument
@click.option("--variants", is_flag=True, help="Add a column for each variant of each scenario.")
@_rules_option
@_interpret_option
@_format_option("text", "markdown", "json")
@_ids_option
@_limit_options
@_reports_errors
def compare(scenarios: tuple[str, ...], variants: bool, rules_paths: tuple[str, ...], interpret: dict[str, str],
            fmt: str, ids: bool) -> None:
    """One table across scenarios (and their variants): what is engaged, what follows, in which readings.

    \b
    Examples:
      treaty compare scenarios/nato-2001-article5.yaml scenarios/kazakhstan-2022.yaml
      treaty compare scenarios/kazakhstan-2022.yaml --variants --format markdown
    """
    from pathlib import Path

    from ..outputs import compare as cmp
    from ..pipeline import analyse
    from .testing import _analyse
    from .variants import apply_variant, split_variant

    rules = _rule_base(rules_paths)
    columns = []
    for path in scenarios:
        loaded, own = _scenario_or_variant(path)
        file, variant = split_variant(path)
        name = Path(file).stem + (f"::{variant}" if variant else "")
        columns.append((name, analyse(rules, loaded, assume=own, interpret=interpret).findings))
        if variants:
            for v in loaded.scenario.variants:
                changed, assume, where = apply_variant(loaded, v)
                columns.append((f"{name}::{v}", _analyse(rules, changed, assume, where, interpret).findings))
    from ..outputs.common import Names
    from ..outputs.width import output_width

    if fmt == "json":
        click.echo(cmp.render_json(columns), nl=False)
    elif fmt == "markdown":
        click.echo(cmp.render_markdown(columns, Names(ids=ids)), nl=False)
    else:
        click.echo(cmp.render_text(columns, output_width(), Names(ids=ids)), nl=False)


def _rule_base(rules_paths: tuple[str, ...]) -> Any:  # -> engine.language.load.Rules
    """The rule base of a command, frozen out of CPython's cycle collector's scans: it lives until
    the command ends (see cli._collect_less)."""
    import gc

    from ..language.load import load_rules

    rules = load_rules(list(rules_paths) or None)
    gc.freeze()
    return rules


def _warn(analysis: Any, strict: bool) -> None:
    """Say the scenario's warnings on standard error (with --strict they are errors: exit 2)."""
    from ..errors import TreatyError, as_errors, render_all

    warned = analysis.facts.warnings
    if not warned:
        return
    loaded = analysis.facts.loaded
    if strict:
        raise TreatyError(as_errors(warned), {loaded.file: loaded.doc.text})
    click.echo(render_all(warned, {loaded.file: loaded.doc.text}), err=True)


def one_case(scenario: str, rules_paths: tuple[str, ...], as_of: Any, assume: dict[str, str],
             interpret: dict[str, str], strict: bool, output: str, what: str, explainable: bool = True
             ) -> tuple[Any, Any, Any]:
    """What a command that writes one case to ``-o`` needs: the rule base, the case (or its variant)
    analysed, its warnings said, and the file to write (checked before any work; None: standard output)."""
    from ..files import check_output
    from ..pipeline import analyse

    rules = _rule_base(rules_paths)
    loaded, own = _scenario_or_variant(scenario)
    target = None if output == "-" else check_output(output, [loaded.file, *rules.paths], what)
    analysis = analyse(rules, loaded, as_of=as_of, assume={**own, **assume}, interpret=interpret,
                       explainable=explainable)
    _warn(analysis, strict)
    return rules, analysis, target


def written(target: Any, text: str, done: str) -> None:
    """``text`` to standard output (no ``target``), or written whole to the file and ``done`` said."""
    if target is None:
        click.echo(text, nl=False)
        return
    from ..files import write_atomically

    write_atomically(target, text)
    click.echo(done)


def _scenario_or_variant(spec: str) -> tuple[Any, dict]:
    """The scenario a command names (``FILE``, or ``FILE::VARIANT`` for one of its variants), and the
    variant's assumptions (``--assume`` comes over them)."""
    from ..cases.scenario import load_scenario
    from .variants import load_variant, split_variant

    file, variant = split_variant(spec)
    loaded = load_scenario(file)
    if variant is None:
        return loaded, {}
    return load_variant(loaded, variant)


@click.command(name="diff")
@click.argument("first", type=click.Path(path_type=str), shell_complete=_complete_scenarios)
@click.argument("second", type=click.Path(path_type=str), shell_complete=_complete_scenarios)
@_rules_option
@_format_option("text", "json")
@_ids_option
@_limit_options
@_reports_errors
def diff_cmd(first: str, second: str, rules_paths: tuple[str, ...], fmt: str, ids: bool) -> None:
    """What changes from one scenario (or FILE::VARIANT) to another: the conclusions that appear,
    disappear or change in holds, status or dates, beside the facts, statuses, readings of the law
    and settings that differ.

    \b
    Example:
      treaty diff scenarios/kazakhstan-2022.yaml scenarios/kazakhstan-2022.yaml::attack_denied
    """
    import json

    from ..outputs import diff as view
    from ..pipeline import analyse

    rules = _rule_base(rules_paths)
    sides = []
    for spec in (first, second):
        loaded, own = _scenario_or_variant(spec)
        analysis = analyse(rules, loaded, assume=own, explainable=False)
        sides.append((spec, analysis.findings, view.statuses([*analysis.facts.items, *analysis.facts.left_out])))
    (a_name, a, a_facts), (b_name, b, b_facts) = sides
    d = view.diff(a_name, a, a_facts, b_name, b, b_facts)
    if fmt == "json":
        click.echo(json.dumps(d, indent=2, sort_keys=True, ensure_ascii=False))
        return
    from ..outputs.common import Names, label
    from ..outputs.width import output_width

    labels = {c.id: label(c, Names.of(f, ids)) for f in (a, b) for c in f.conclusions}
    click.echo(view.render_text(d, output_width(), labels), nl=False)
