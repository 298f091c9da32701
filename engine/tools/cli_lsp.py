"""`treaty lsp`: the language server for editors (issue 17)."""

from __future__ import annotations

import click

from .cli_common import _Finite, _reports_errors, _rules_option

#: The size above which an open document is not analysed as it is typed (it gets one message instead).
LSP_MAX_FILE_MB = 4.0


@click.command()
@_rules_option
@click.option("--stdio", is_flag=True, help="Talk over standard input and output (the default and only way; "
                                            "accepted because editors pass it).")
@click.option("--max-file-size", type=_Finite(0.001, 1_000_000), default=LSP_MAX_FILE_MB, show_default=True,
              metavar="MB", help="Documents larger than this are not analysed (a message says so).")
@_reports_errors
def lsp(rules_paths: tuple[str, ...], stdio: bool) -> None:
    """Language server for rule files (*.rules) and scenario files, over standard input and output:
    the messages of `treaty lint` and `treaty check` as you type (did-you-mean hints as quick fixes),
    hover with the treaty's text, completion, go to definition, outline, and over each contested fact
    how many conclusions depend on it. Scenarios are checked against --rules (default: the shipped
    rule base). An editor starts it; see the README's "Editor support".

    \b
    Example (what an editor runs):
      treaty lsp
    """
    from ..lsp.server import serve_stdio  # (--max-file-size is applied by _reports_errors)

    serve_stdio(tuple(rules_paths))
