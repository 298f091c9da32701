"""The ``treaty`` commands over the rule base: ``lint``, ``compile``, ``show`` and ``instruments``."""

from __future__ import annotations

import os

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
    from rich.syntax import Syntax

    from ..language.load import load_rules
    from ..outputs.common import visible
    from ..outputs.show import _instrument, articles, instrument_header, party_lines
    from ..outputs.width import console as buffered
    from ..outputs.width import output_width, printed, reflow, stdout_is_terminal, wrap_lines

    rules = load_rules(list(rules_paths) or None)
    instrument = _instrument(rules, instrument)  # as the rule base names it, in any case
    views = articles(rules, instrument, article)
    color = stdout_is_terminal() and not os.environ.get("NO_COLOR")
    width = output_width()
    console = buffered(width, color)

    def say(lines: list[str], style: str = "", hanging: int = 2) -> None:
        for line in wrap_lines([visible(x) for x in lines], width, hanging):
            console.print(line, style=style)

    say(instrument_header(rules, instrument))
    if article is None:  # the whole instrument: its parties too, the unconfirmed dates marked
        console.print()
        say(party_lines(rules, instrument))
    for view in views:
        art = view.article
        version = f' — version "{art.version}"' if art.version else ""
        console.print()
        say([f"Article {art.ref}" + (f" — {art.heading}" if art.heading else "") + version
             + (f" — {view.in_force}" if view.in_force else "")], style="bold")
        for t in art.texts:
            label = "authentic" if t.authentic else f"translation: {t.translation}"
            source = f"; source {t.source}" if t.source else ""
            say([f"  [{t.language}, {label}{source}]"], style="dim")
            say(reflow(t.text.splitlines(), width, 4))
        if not view.rules:
            console.print("  (no rule encodes this article)", style="dim")
        for rs in view.rules:
            say([f"  encoded by {rs.rule.id} ({rs.rule.span.file}:{rs.rule.span.line}):"], style="dim")
            if color:
                code = "\n".join(line[4:] for line in _code_lines(rs.text.splitlines(), width - 4))  # (padded 4+4)
                console.print(Syntax(code, "treaty", theme="ansi_light", background_color="default",
                                     word_wrap=True, padding=(0, 4)), soft_wrap=False)
            else:
                say(_code_lines(rs.text.splitlines(), width), hanging=4)
    click.echo(printed(console), nl=False, color=color or None)  # (a limited child writes to a pipe)


def _code_lines(lines: list[str], width: int) -> list[str]:
    """A rule as written, four spaces in: its comment lines (``#``) reflowed to ``width`` if they do not fit,
    the rest as is (wrapped by the caller, the continuation further in)."""
    from itertools import groupby

    from ..outputs.width import reflow

    out: list[str] = []
    for comment, group in groupby(lines, key=lambda line: line.lstrip().startswith("#")):
        block = list(group)
        if comment:
            indent = len(block[0]) - len(block[0].lstrip())
            out += reflow([line.lstrip() for line in block], width, 4 + indent, "# ")
        else:
            out += [f"    {line}" for line in block]
    return out


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
    from ..outputs.show import render_instruments
    from ..outputs.width import output_width

    click.echo(render_instruments(rows, output_width()), nl=False)



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
    from ..outputs.common import visible
    from ..outputs.width import output_width, wrap_lines

    lines: list[str] = []
    for n, r in enumerate(rows):
        lines += [""] if n else []
        lines.append(f"{r['id']}: {r['question']}")
        lines.append(f"  default: {r['default'] or 'open'}  ({r['file']}:{r['line']})")
        for p in r["positions"]:
            lines.append(f"  {p['id']}: {p['statement']}")
            lines += [f"      source: {cite}" for cite in p["sources"]]
            if p["rules"]:
                lines.append(f"      read by: {', '.join(p['rules'])}")
    click.echo("\n".join(wrap_lines([visible(line) for line in lines], output_width(), hanging=4)))


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
    from ..outputs.width import output_width

    data = view.vocabulary(load_rules(list(rules_paths) or None))
    text = view.render_text(data, output_width()) if fmt == "text" else \
        {"markdown": view.render_markdown, "json": view.render_json}[fmt](data)
    click.echo(text, nl=False)
