"""One error type for every user mistake, and its rendering.

Library code raises :class:`TreatyError` carrying :class:`Diagnostic` objects; only the
CLI prints them (``file:line:col: error: message``, the source line, a caret, a hint).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit codes shared by every command."""

    OK = 0
    EXPECTATIONS_FAILED = 1
    BAD_INPUT = 2
    LIMIT = 3
    INTERNAL = 70


@dataclass(frozen=True, slots=True)
class Span:
    """A place in a source file; lines and columns are 1-based, the end is exclusive."""

    file: str
    line: int
    column: int
    end_line: int | None = None
    end_column: int | None = None

    def __str__(self) -> str:
        if self.line <= 0:  # the file as a whole (missing, unreadable, empty)
            return self.file
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem found in the user's input."""

    span: Span | None
    message: str
    hint: str | None = None
    severity: str = "error"
    notes: tuple[str, ...] = ()

    def sort_key(self) -> tuple[str, int, int, str]:
        if self.span is None:
            return ("", 0, 0, self.message)
        return (self.span.file, self.span.line, self.span.column, self.message)


@dataclass
class TreatyError(Exception):
    """A user mistake (or several): bad rule file, scenario or option. Exit code 2 by default."""

    diagnostics: list[Diagnostic]
    texts: Mapping[str, str] = field(default_factory=dict)
    exit_code: ExitCode = ExitCode.BAD_INPUT

    def __post_init__(self) -> None:
        super().__init__(self.diagnostics[0].message if self.diagnostics else "error")

    def __str__(self) -> str:
        return render_all(self.diagnostics, self.texts)


def did_you_mean(name: str, candidates: Iterable[str]) -> str | None:
    """A hint naming the closest candidate, or None."""
    close = difflib.get_close_matches(name, sorted(set(candidates)), n=1, cutoff=0.6)
    return f"did you mean `{close[0]}`?" if close else None


def visible(text: str) -> str:
    """Text for a comment or a message: one line, every character that is not printable escaped.

    Covers every line break Python or an editor knows (``\\n \\r \\v \\f \\x85 \\u2028 \\u2029``),
    other control and format characters, and lone surrogates; printable text (accents, scripts) stays.
    """
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else _escape(ch) for ch in text)


def _escape(ch: str) -> str:
    named = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v", "\f": "\\f"}.get(ch)
    if named is not None:
        return named
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else (f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")


#: Control and format characters in a source line, shown one for one (the caret stays aligned): C0
#: controls as their Unicode control pictures (NUL as ␀), the others as U+FFFD.
def _shown_in_place(line: str) -> str:
    if line.isprintable():
        return line
    return "".join(ch if ch.isprintable() or ch == " " else chr(0x2400 + ord(ch)) if ord(ch) < 0x20
                   else "\u2421" if ch == "\x7f" else "\ufffd" for ch in line)


#: How much of a long source line a message shows.
_WINDOW = 100


def render(diag: Diagnostic, texts: Mapping[str, str] | None = None) -> str:
    """``file:line:col: error: message``, then the source line with a caret, then the hint."""
    span = diag.span
    head = f"{visible(str(span))}: " if span else ""
    out = [f"{head}{diag.severity}: {visible(diag.message)}"]
    text = texts.get(span.file) if (span and texts) else None
    if span and span.line > 0 and text is not None:
        lines = text.splitlines()
        if 1 <= span.line <= len(lines):
            src = _shown_in_place(lines[span.line - 1].replace("\t", " "))
            width = 1
            if span.end_line == span.line and span.end_column and span.end_column > span.column:
                width = span.end_column - span.column
            width = max(1, min(width, len(src) - span.column + 2))
            column = span.column
            if len(src) > _WINDOW:  # a very long line: show the part around the place, marked as cut
                start = max(0, min(column - 1 - _WINDOW // 2, len(src) - _WINDOW))
                src = ("…" if start else "") + src[start:start + _WINDOW] + ("…" if start + _WINDOW < len(src) else "")
                column = column - start + (1 if start else 0)
                width = min(width, _WINDOW)
            out.append(f"  {src}")
            out.append("  " + " " * (column - 1) + "^" * width)
    for note in diag.notes:
        out.append(f"  note: {visible(note)}")
    if diag.hint:
        out.append(f"  hint: {visible(diag.hint)}")
    return "\n".join(out)


def as_errors(warnings: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Warnings made errors (``--strict``), without the hint that says --strict would."""
    from dataclasses import replace

    return [replace(d, severity="error", hint=(d.hint or "").split("; `--strict`")[0] or None) for d in warnings]


def render_all(diags: Iterable[Diagnostic], texts: Mapping[str, str] | None = None) -> str:
    return "\n".join(render(d, texts) for d in sorted(diags, key=Diagnostic.sort_key))


def count_line(diags: list[Diagnostic]) -> str:
    """``2 errors in 1 file``: the line that closes a list of diagnostics."""
    files = {d.span.file for d in diags if d.span}
    n = len(diags)
    return f"{n} error{'s' if n != 1 else ''}" + (f" in {len(files)} file{'s' if len(files) != 1 else ''}"
                                                   if files else "")


def report(err: TreatyError) -> str:
    """The diagnostics of an error and their count, as the CLI prints them."""
    return render_all(err.diagnostics, err.texts) + "\n" + count_line(err.diagnostics)
