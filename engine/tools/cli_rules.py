"""The ``treaty`` commands over the rule base: ``lint``, ``compile``, ``show`` and ``instruments``."""

from __future__ import annotations

import os
import sys

import click

from .cli_common import _format_option, _limit_options, _paths, _reports_errors, _rules_option


@click.command()
@_paths
@_limit_options
@_reports_errors
def lint(paths: tuple[str, ...]) -> None:
    """Check rule files and report every problem (default: the shipped rule base).

    \b
    Example:
      treaty lint rules/
    """
    from ..language.load import load_rules

    rules = load_rules(list(paths) or None)
    b = rules.base
    where = ", ".join(paths) if paths else "default rule base"
    click.echo(f"{where}: {len(b.files)} files, {len(b.instruments)} instruments, {len(b.articles)} articles, "
               f"{len(b.rules)} rules, {len(b.parties)} party entries: no problems")


@click.command(name="compile")
@_paths
@_limit_options
@_reports_errors
def compile_cmd(paths: tuple[str, ...]) -> None:
    """Print the ASP program the rules compile to, each rule under a comment naming its article.

    \b
    Example:
      treaty compile rules/cst.rules rules/un_charter.rules
    """
    from ..language.load import load_rules

    click.echo(load_rules(list(paths) or None).program.text, nl=False)


def _complete_instruments(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
    """Shell completion: the instruments of the rule base (the shipped one, or --rules), with aliases."""
    try:
        from ..language.load import load_rules

        rb = load_rules(list(ctx.params.get("rules_paths") or ()) or None).base
    except Exception:  # noqa: BLE001 - completion never fails the shell
        return []
    names = [*rb.instruments, *(a for i in rb.instruments.values() for a in i.aliases)]
    return sorted(n for n in names if n.startswith(incomplete.lower()))


def _complete_articles(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
    """Shell completion: the articles of the instrument named before."""
    try:
        from ..language.load import load_rules
        from ..outputs.show import _instrument

        rules = load_rules(list(ctx.params.get("rules_paths") or ()) or None)
        inst = _instrument(rules, ctx.params.get("instrument") or "")
    except Exception:  # noqa: BLE001 - completion never fails the shell
        return []
    return sorted({k[1] for k in rules.base.articles if k[0] == inst and k[1].startswith(incomplete)})


@click.command()
@click.argument("instrument", shell_complete=_complete_instruments)
@click.argument("article", required=False, shell_complete=_complete_articles)
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

    from ..language.load import load_rules
    from ..outputs.show import _instrument, articles, instrument_header

    rules = load_rules(list(rules_paths) or None)
    instrument = _instrument(rules, instrument)  # as the rule base names it, in any case
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


@click.command()
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

    from ..language.load import load_rules
    from ..outputs.show import instruments as rows_of

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



@click.command()
@_rules_option
@_format_option("text", "json")
@_limit_options
@_reports_errors
def interpretations(rules_paths: tuple[str, ...], fmt: str) -> None:
    """List the contested questions of law the rules declare: positions, defaults, sources and the
    rules that read each position.

    \b
    Examples:
      treaty interpretations
      treaty check scenarios/kazakhstan-2022.yaml --interpret art51_non_state=state_only
    """
    import json

    from ..language.load import load_rules
    from ..outputs.show import interpretations as rows_of

    rows = rows_of(load_rules(list(rules_paths) or None))
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2, sort_keys=True, ensure_ascii=False))
        return
    if not rows:
        click.echo("the rule files declare no interpretation")
        return
    for n, r in enumerate(rows):
        if n:
            click.echo()
        click.echo(f"{r['id']}: {r['question']}")
        click.echo(f"  default: {r['default'] or 'open'}  ({r['file']}:{r['line']})")
        for p in r["positions"]:
            click.echo(f"  {p['id']}: {p['statement']}")
            for cite in p["sources"]:
                click.echo(f"      source: {cite}")
            if p["rules"]:
                click.echo(f"      read by: {', '.join(p['rules'])}")


@click.command(name="vocabulary")
@_rules_option
@_format_option("text", "markdown", "json")
@_limit_options
@_reports_errors
def vocabulary_cmd(rules_paths: tuple[str, ...], fmt: str) -> None:
    """What a scenario may state: every input predicate (argument kinds, meaning, event or fact, the
    instruments whose rules read it), the closed vocabularies' symbols, and the entities the rule
    base knows.

    \b
    Example:
      treaty vocabulary --format markdown
    """
    from ..language.load import load_rules
    from ..outputs import vocabulary as view

    data = view.vocabulary(load_rules(list(rules_paths) or None))
    render = {"text": view.render_text, "markdown": view.render_markdown, "json": view.render_json}[fmt]
    click.echo(render(data), nl=False)
