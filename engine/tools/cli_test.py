"""`treaty test`: the expectations written in scenario files, with rule coverage on request."""

from __future__ import annotations

import sys

import click

from .cli_common import _format_option, _interpret_option, _limit_options, _reports_errors, _rules_option
from .cli_scenarios import _rule_base


@click.command(name="test")
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option("-k", "keyword", metavar="PATTERN", help="Run only the cases whose name contains PATTERN.")
@click.option("--junit-xml", "junit", type=click.Path(path_type=str), metavar="FILE",
              help="Also write the results as JUnit XML (for CI dashboards).")
@click.option("--coverage", "with_coverage", is_flag=True,
              help="Also report, for every rule, the cases in which it concluded or derived something, those in "
                   "which it was only tried, and the rules no case exercises.")
@click.option("--fail-under", "fail_under", type=click.FloatRange(0, 100), metavar="PERCENT",
              help="Report the coverage (as --coverage does) and exit 1 when fewer than PERCENT of the rules "
                   "are exercised.")
@_rules_option
@_interpret_option
@_format_option("text", "json")
@_limit_options
@_reports_errors
def test_cmd(paths: tuple[str, ...], keyword: str | None, junit: str | None, with_coverage: bool,
             fail_under: float | None, rules_paths: tuple[str, ...], interpret: dict[str, str], fmt: str) -> None:
    """Check the expectations written in scenario files (default: scenarios/).

    Each scenario's own expectations and each of its variants is one case: a line each, a
    diff for each failure, and a closing line `N passed, N failed`. Exit 0 when all pass,
    1 when one fails, 2 when a file cannot be read.

    With --coverage, a line for every rule of the rule base before that closing line: the cases
    in which it concluded (or derived) something, those in which it was only tried (in force for
    a party of the case, its conditions unmet), or `never exercised`; then `N of M rules
    exercised`. Coverage is information: it changes the exit code only with --fail-under.

    \b
    Examples:
      treaty test scenarios/
      treaty test scenarios/kazakhstan-2022.yaml -k attack_denied --junit-xml results.xml
      treaty test scenarios/ --coverage --fail-under 50
    """

    from ..files import check_output, write_atomically
    from .testing import collect, exit_code, junit_xml, results_json, run_case, summary_line

    rules = _rule_base(rules_paths)
    from ..cases.facts import check_interpret

    check_interpret(rules, interpret)  # once, not in every case
    cases = collect(list(paths) or ["scenarios"], keyword)
    if not cases:
        where = ", ".join(paths) or "scenarios"
        click.echo(f"error: no scenario with expectations in {where}" + (f" matching -k {keyword}" if keyword else ""),
                   err=True)
        click.echo("0 passed, 0 failed")
        sys.exit(2)
    target = check_output(junit, [*(c.file for c in cases), *rules.paths], "JUnit XML") if junit else None
    from ..outputs.width import output_width, wrap_lines

    width = output_width()
    with_coverage = with_coverage or fail_under is not None
    outcomes = []
    for case in cases:
        outcome = run_case(case, rules, interpret, coverage=with_coverage)
        outcomes.append(outcome)
        if fmt == "text":
            label = {"passed": "PASS", "failed": "FAIL", "error": "ERROR", "skipped": "SKIP"}[outcome.status]
            # the case on one line however long its name (`grep FAIL` finds it); a failure's lines wrapped;
            # an error's diagnostics whole, as every command writes them
            head = f"{label} {case.name}"
            said = [f"  {line}" for line in outcome.lines] if outcome.status in ("failed", "error") else []
            if outcome.status == "skipped":
                reason = f"({outcome.lines[0]})"
                head, said = (f"{head} {reason}", []) if len(head) + 1 + len(reason) <= width else \
                    (head, [f"    {reason}"])
            click.echo("\n".join([head, *(said if outcome.status == "error" else wrap_lines(said, width, 4))]))
    if target is not None:
        write_atomically(target, junit_xml(outcomes))
    code = exit_code(outcomes)
    cov = None
    if with_coverage:
        from .coverage import coverage

        cov = coverage(rules, outcomes)
    if fmt == "json":
        from .coverage import coverage_data

        click.echo(results_json(outcomes, coverage_data(cov) if cov is not None else None), nl=False)
    else:
        if cov is not None:
            from .coverage import coverage_text

            click.echo(coverage_text(cov), nl=False)
        click.echo(summary_line(outcomes))
    if cov is not None and fail_under is not None and cov.percent < fail_under:
        from .jobs import worst

        click.echo(f"error: {cov.percent:.1f}% of the rules exercised, under --fail-under {fail_under:g}%", err=True)
        code = worst([code, 1])
    sys.exit(code)
