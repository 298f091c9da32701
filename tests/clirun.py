"""Running the ``treaty`` command in-process, as the tests do."""

from __future__ import annotations

from click.testing import CliRunner

from engine.cli import treaty


def run(*args: str) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of ``treaty ARGS``."""
    result = CliRunner().invoke(treaty, list(args))
    return result.exit_code, result.stdout, result.stderr
