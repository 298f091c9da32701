"""How wide text output may be, and text wrapped to it at word boundaries (issue 14, point 6).

The width is ``COLUMNS`` when it is set (and a number), else the terminal's when standard output
is one, else 80: output piped to a file or another program is the same on every machine. Lines
are broken between words only, continuation lines indented under the first (a hanging indent);
a word longer than the whole line (a URL, a long id) is kept whole on a line of its own.
"""

from __future__ import annotations

import os
import re
import shutil
import sys

from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

#: The width of output that goes to no terminal, and of a terminal whose size is unknown.
DEFAULT_WIDTH = 80
#: Narrower than this, wrapping helps no one: ``COLUMNS=5`` is taken as this.
MIN_WIDTH = 40


#: The real standard output, seen before a command's limited child is forked (whose standard output is a
#: pipe to the parent): (is it a terminal, its width).
_terminal: tuple[bool, int] | None = None


def _seen() -> tuple[bool, int]:
    try:
        tty = sys.stdout.isatty()
    except (AttributeError, ValueError):  # a closed or replaced stdout
        tty = False
    return tty, shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns if tty else DEFAULT_WIDTH


def remember_terminal() -> None:
    """Note what standard output is, for a child about to be forked to write through a pipe."""
    global _terminal
    _terminal = _seen()


def forget_terminal() -> None:
    global _terminal
    _terminal = None


def stdout_is_terminal() -> bool:
    """Whether output goes to a terminal (the parent's, in a limited child)."""
    return (_terminal or _seen())[0]


def output_width() -> int:
    """The width text output fits: ``COLUMNS``, else the terminal's (standard output a tty), else 80."""
    columns = os.environ.get("COLUMNS", "").strip()
    if columns.isdigit() and int(columns) > 0:
        return max(int(columns), MIN_WIDTH)
    tty, size = _terminal or _seen()
    if tty:
        return max(size, MIN_WIDTH) if size > 0 else DEFAULT_WIDTH
    return DEFAULT_WIDTH


def console(width: int, color: bool = False) -> Console:
    """A rich console writing to a buffer (``export_text`` gives what it printed), ``width`` wide."""
    import io

    return Console(file=io.StringIO(), force_terminal=color, no_color=not color, width=width, highlight=False,
                   soft_wrap=True, markup=False, emoji=False)


_WORD = re.compile(r"\S+")


def _breaks(text: str, width: int) -> list[int]:
    """Where to break ``text`` (offsets of the words that start a new line) so that each line is at most
    ``width`` cells, breaking only between words; a longer word stays whole on its own line."""
    breaks: list[int] = []
    start = 0  # the offset of the current line's first word
    for m in _WORD.finditer(text):
        if m.start() > start and cell_len(text[start:m.end()]) > width:
            breaks.append(m.start())
            start = m.start()
    return breaks


def hang(text: Text | str, width: int, indent: int = 0, hanging: int = 2) -> list[Text]:
    """``text`` wrapped to ``width`` at word boundaries: the first line indented by ``indent`` spaces, the
    following ones by ``indent + hanging``; styles are kept. Spaces at the breaks are dropped."""
    if isinstance(text, str):
        text = Text(text)
    out: list[Text] = []
    pad = indent
    for line in text.split("\n", allow_blank=True):
        first = True
        rest = line
        while True:
            room = max(width - pad, 1)
            plain = rest.plain
            breaks = _breaks(plain, room)
            cut = breaks[0] if breaks else len(plain)
            head = rest[:cut]
            head.rstrip()
            out.append(Text(" " * pad) + head)
            if not breaks:
                break
            rest = rest[cut:]
            if first:
                pad, first = indent + hanging, False
        pad = indent
    return out


def wrap(text: str, width: int, indent: int = 0, hanging: int = 2) -> list[str]:
    """:func:`hang` for plain text: the lines as strings."""
    return [line.plain.rstrip() for line in hang(text, width, indent, hanging)]


_CARETS = re.compile(r"^ *\^+ *$")


def wrap_lines(lines: list[str], width: int, hanging: int = 2) -> list[str]:
    """Each line wrapped to ``width``, continuation lines indented ``hanging`` more than its own indent.

    A line of source that a line of carets underlines (a diagnostic) is kept whole, so that the
    carets still point at what they mean.
    """
    out: list[str] = []
    for n, line in enumerate(lines):
        body = line.lstrip(" ")
        if cell_len(line) <= width or not body or (n + 1 < len(lines) and _CARETS.match(lines[n + 1])):
            out.append(line)
        else:
            out += wrap(body, width, len(line) - len(body), hanging)
    return out


def printed(con: Console) -> str:
    """What a :func:`console` printed, each line's trailing spaces dropped, with a final newline."""
    text = con.file.getvalue()  # type: ignore[attr-defined]
    return "\n".join(line.rstrip() for line in text.splitlines()) + "\n"


_ITEM = re.compile(r"^\s*(\d+[.)]|\(\w{1,4}\)|[-*•])\s")


def reflow(lines: list[str], width: int, indent: int = 0, marker: str = "") -> list[str]:
    """Lines of prose (a treaty's text, a comment whose lines start with ``marker``) indented by ``indent``:
    as they are if they fit ``width``; else each paragraph (up to a blank line or a numbered or lettered
    item) joined and wrapped again, ``marker`` before each line."""
    pad = " " * indent
    if all(cell_len(pad + line) <= width for line in lines):
        return [pad + line for line in lines]
    out: list[str] = []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            text = " ".join(part.strip() for part in paragraph)
            out.extend(pad + marker + line for line in wrap(text, width - indent - len(marker), 0, 0))
            paragraph.clear()

    for line in lines:
        body = line.removeprefix(marker.rstrip()).removeprefix(" ") if marker else line
        if not body.strip():
            flush()
            out.append((pad + marker).rstrip())
            continue
        if _ITEM.match(body):
            flush()
        paragraph.append(body)
    flush()
    return out
