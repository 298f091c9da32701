"""Writing output files safely."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from .errors import Diagnostic, Span, TreatyError


def read_utf8(path: Path) -> str:
    """A file's text, UTF-8 (a byte-order mark is allowed), within the file-size bound.

    Every failure is a located :class:`TreatyError`: unreadable, too large, or the line and
    column of the first byte that is not UTF-8.
    """
    from .limits import check_size

    name = str(path)
    try:
        check_size(name, path.stat().st_size)
        data = path.read_bytes()
    except OSError as exc:
        raise TreatyError([Diagnostic(Span(name, 0, 0), f"cannot read: {exc.strerror or exc}")]) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before[before.rfind(b"\n") + 1:].decode("utf-8", "replace")) + 1
        raise TreatyError([Diagnostic(Span(name, line, col), f"invalid UTF-8 (byte 0x{data[exc.start]:02x})",
                                      "save the file as UTF-8")]) from None


def check_output(output: str, inputs: Iterable[str | Path], what: str) -> Path:
    """The path to write ``what`` to, refused (exit 2) if it is an input or cannot be written there."""
    target = Path(output)
    if target.resolve() in {Path(p).resolve() for p in inputs}:
        raise TreatyError([Diagnostic(Span(output, 0, 0), f"refusing to overwrite an input file with the {what}",
                                      "name another file")])
    if target.is_dir() or not target.parent.resolve().is_dir():
        raise TreatyError([Diagnostic(Span(output, 0, 0), f"cannot write the {what} there: "
                                      + ("it is a directory" if target.is_dir() else "no such directory"))])
    return target


def write_atomically(path: Path, text: str) -> None:
    """Write the whole file or nothing: a temporary file beside it, then one rename."""
    write_atomically_bytes(path, text.encode("utf-8"))


def write_atomically_bytes(path: Path, data: bytes) -> None:
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent or ".")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # as an ordinary new file would be, not mkstemp's 0600
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
