"""`treaty serve`: the classroom explorer in the browser (issue 16)."""

from __future__ import annotations

import click

from .cli_common import _reports_errors, _rules_option

LOOPBACK = ("127.0.0.1", "localhost", "::1")


@click.command()
@click.argument("scenarios", nargs=-1, type=click.Path(path_type=str))
@_rules_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="The address to listen on: loopback by default (anything else makes the page visible to others).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="The port.")
@click.option("--open", "open_browser", is_flag=True, help="Open the page in the default browser.")
@click.option("--keep-cases", "keep", default=8, show_default=True, type=click.IntRange(min=1),
              help="How many cases (or variants) keep their groundings between requests; the least recently used "
                   "is let go (memory stays bounded).")
@click.option("--request-timeout", "request_timeout", default=30.0, show_default=True,
              type=click.FloatRange(min=0.1),
              help="The time limit of one request, in seconds (longer: a 503 error, the work going on).")
@_reports_errors
def serve(scenarios: tuple[str, ...], rules_paths: tuple[str, ...], host: str, port: int, open_browser: bool,
          keep: int, request_timeout: float) -> None:
    """Serve the classroom explorer: pick a case and a variant, flip contested facts and positions of the
    law, and watch the conclusions move; why-trees, why-nots and the timeline on the page. Serves only the
    scenarios and rules given (default: scenarios/), writes no file, needs no network.

    \b
    Example:
      treaty serve scenarios/ --open
    """
    import os

    import uvicorn

    from ..serve.app import create_app
    from ..serve.cases import Cases
    from .cli_scenarios import _rule_base

    os.environ["TREATY_NO_CACHE"] = "1"  # it writes no file: not even an entry of the compiled-rule cache
    cases = Cases.load(_rule_base(rules_paths), list(scenarios) or ["scenarios"], keep)
    if host not in LOOPBACK:
        click.echo(f"treaty: warning: listening on {host}: the page and its cases are visible to others on the "
                   "network", err=True)
    url = f"http://{'[' + host + ']' if ':' in host else host}:{port}/"
    click.echo(f"serving {len(cases.cases)} cases at {url} (Ctrl-C to stop)")
    if open_browser:
        import webbrowser

        webbrowser.open(url)
    uvicorn.run(create_app(cases, request_timeout), host=host, port=port, log_level="warning")
