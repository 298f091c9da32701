"""clingo's messages, mapped back to the rule files (:func:`map_clingo_message`, :class:`ClingoMessages`),
and the compiled program ground on its own to show them before any scenario runs (:func:`test_ground`).
"""

from __future__ import annotations

import re

import clingo

from ..errors import Diagnostic, Span, TreatyError
from .emit import AspProgram
from .support import links_part, support_part

_LOCATION = re.compile(r"<block>:(\d+):(\d+)(?:-(?:\d+:)?\d+)?: (error|warning|info|note): (.*)")


def map_clingo_message(program: AspProgram, message: str, severity: str = "error") -> Diagnostic:
    """A clingo log message as a diagnostic located in the rule files."""
    span: Span | None = None
    text: list[str] = []
    notes: list[str] = []
    for line in message.strip().splitlines():
        m = _LOCATION.match(line)
        if m:
            number, main = int(m.group(1)), program.text.count("\n")
            if number > main and program.support:  # a line of the support program (support_part)
                where = program.support_map.lookup(number - main, int(m.group(2)))
            else:
                where = program.source_map.lookup(number, int(m.group(2)))
            if span is None:
                span = where
                text.append(m.group(4))
            else:
                notes.append(f"{where or 'compiled program'}: {m.group(4)}")
        elif line.strip():
            text.append(line.strip())
    return Diagnostic(span, "clingo: " + " ".join(text).rstrip(":"), severity=severity, notes=tuple(notes))


class ClingoMessages:
    """A clingo logger that keeps errors and escalates "operation undefined" to an error."""

    def __init__(self, program: AspProgram) -> None:
        self.program = program
        self.diagnostics: list[Diagnostic] = []

    def __call__(self, code: clingo.MessageCode, message: str) -> None:
        if code in (clingo.MessageCode.RuntimeError, clingo.MessageCode.OperationUndefined):
            self.diagnostics.append(map_clingo_message(self.program, message))


def test_ground(program: AspProgram, texts: dict[str, str]) -> None:
    """Ground the compiled rules on their own so that mistakes show before any scenario runs."""
    messages = ClingoMessages(program)
    ctl = clingo.Control(logger=messages, message_limit=1000)
    try:
        ctl.add("base", [], program.text)
        ctl.ground([("base", [])])
        if program.support and not messages.diagnostics:  # the support program too, as it is ground to explain
            ctl.add("te_support", [], support_part(program))
            ctl.add("te_support_links", [], links_part(program))
            ctl.ground([("te_support", []), ("te_support_links", [])])
    except RuntimeError as exc:
        if "bad_alloc" in str(exc):
            raise MemoryError(str(exc)) from exc
        if not messages.diagnostics:  # clingo stopped without saying why in its log: its exception says it
            messages.diagnostics.append(map_clingo_message(program, str(exc)))
    if messages.diagnostics:
        raise TreatyError(messages.diagnostics, texts)
