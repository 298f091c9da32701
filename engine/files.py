"""Reading input files and writing output files safely.

Inputs are regular files only: a FIFO or a device named as a rule or scenario file is refused
at once (opening a FIFO for reading would wait for a writer until the time limit).

Outputs are checked before any work (:func:`check_output`) and written whole or not at all
(:func:`write_atomically`): a temporary file beside the target, then one rename. Ctrl-C, SIGTERM
and the limits' stop signals are held from before the temporary file's creation until the rename
or its removal, so no temporary file outlives the command and an interrupted command has written
nothing.
"""

from __future__ import annotations

import contextlib
import os
import signal
import stat
import tempfile
import threading
from collections.abc import Iterable
from pathlib import Path

from .errors import Diagnostic, Span, TreatyError


def _stopping_signals() -> frozenset[int]:
    """The signals that would stop the command now: Ctrl-C, SIGTERM, and the signals by which a
    limited child is told to stop or that its time is up, unless this process ignores them (the
    limited child ignores Ctrl-C: its parent handles it)."""
    from .limits import STOP, TIME_UP

    return frozenset(s for s in (signal.SIGINT, signal.SIGTERM, STOP, TIME_UP)
                     if signal.getsignal(s) is not signal.SIG_IGN)


class CannotWrite(TreatyError, OSError):
    """A write that failed (disk full, permission, ...): exit 2 with the reason.

    Also an :class:`OSError`, so that callers for whom a failed write is not an error (the rule
    cache) can keep catching ``OSError``.
    """


def _kind(mode: int) -> str | None:
    """What a file that is not a regular file is, in words; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    for test, name in ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
                       (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return name
    return "not a regular file"


def read_utf8(path: Path) -> str:
    """A file's text, UTF-8 (a byte-order mark is allowed), within the file-size bound.

    Every failure is a located :class:`TreatyError`: not a regular file, unreadable, too large,
    or the line and column of the first byte that is not UTF-8.
    """
    from . import limits

    name = str(path)

    def not_regular(kind: str) -> TreatyError:
        return TreatyError([Diagnostic(Span(name, 0, 0), f"cannot read: it is {kind}, not a regular file",
                                       "name a rule or scenario file")])

    try:
        # stat first: opening a FIFO for reading blocks until someone writes to it
        kind = _kind(os.stat(path).st_mode)
        if kind:
            raise not_regular(kind)
        # O_NONBLOCK in case the file was swapped for a FIFO since; the descriptor decides
        with os.fdopen(os.open(path, os.O_RDONLY | os.O_NONBLOCK), "rb") as fh:
            st = os.fstat(fh.fileno())
            kind = _kind(st.st_mode)
            if kind:
                raise not_regular(kind)
            limits.check_size(name, st.st_size)
            data = fh.read(limits.max_file_bytes + 1)  # a file still growing is bounded too
            limits.check_size(name, len(data))
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
    """The path to write ``what`` to, checked before any work is done; refused with exit 2.

    Refused: a file that was read as input, however it is named (compared by resolved path and
    by device and inode, which catches hard links and bind mounts) — pass the resolved path of
    every rule and scenario file read; a directory, FIFO, device or socket; a directory that does
    not exist or in which no file can be created (tried with a real temporary file: ``os.access``
    says yes to root on a read-only file system). A symlink is followed: the file it points to is
    written and the link kept, so a link to an input is refused like the input. Returns the
    resolved path, to pass to :func:`write_atomically`.
    """

    def refuse(message: str, hint: str | None = None) -> TreatyError:
        return TreatyError([Diagnostic(Span(output, 0, 0), message, hint)])

    there = f"cannot write the {what} there"
    try:
        target = Path(output).resolve()
        try:
            st: os.stat_result | None = os.stat(target)
        except (FileNotFoundError, NotADirectoryError):  # a new file (or no such directory: said below)
            st = None
        for p in inputs:
            source = Path(p).resolve()
            same = source == target
            if not same and st is not None:
                with contextlib.suppress(OSError):
                    read = os.stat(source)
                    same = (read.st_dev, read.st_ino) == (st.st_dev, st.st_ino)
            if same:
                raise refuse(f"refusing to overwrite an input file with the {what}", "name another file")
    except (OSError, RuntimeError) as exc:  # RuntimeError: a symlink loop (Python < 3.13)
        raise refuse(f"{there}: {getattr(exc, 'strerror', None) or exc}") from None
    if st is not None and _kind(st.st_mode):
        raise refuse(f"{there}: it is {_kind(st.st_mode)}", "name a regular file")
    if not target.parent.is_dir():
        raise refuse(f"{there}: no such directory", "create the directory first, or name another file")
    try:  # the test that does not lie: create a file where the temporary file will be made
        fd, probe = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise refuse(f"{there}: {exc.strerror or exc}", "choose a directory you can write to") from None
    return target


def _before_rename() -> None:
    """Nothing: the moment just before a written file is renamed into place (tests widen it)."""


#: The signals noted (not yet acted on) by the write in progress; tests can wait on it.
_noted: list[int] = []


class _Held:
    """Ctrl-C, SIGTERM and the limits' stop signals, noted instead of acted on while a file is written.

    Their Python handlers are swapped for one that notes the signal, and put back afterwards.
    Blocking them with ``pthread_sigmask`` would not do: it holds a signal only in the thread that
    blocks it, and the kernel gives a process's signal to any thread that does not (clingo's,
    an executor's), after which Python runs the handler in the main thread all the same. Python
    runs every handler in the main thread, between bytecodes, so swapping handlers is the one
    place that sees them all; it is possible in the main thread only (where the CLI writes, and a
    forked child's only thread), elsewhere the write is simply not guarded.
    """

    def __init__(self) -> None:
        self.saved: dict[int, object] = {}  # signal -> the handler it had
        self.holding = False
        _noted.clear()

    def __enter__(self) -> _Held:
        if threading.current_thread() is threading.main_thread():
            self.holding = True
            try:
                for signum in _stopping_signals():
                    old = signal.getsignal(signum)
                    if old is not None:  # None: a handler set outside Python, left alone
                        self.saved[signum] = old
                        signal.signal(signum, self._note)
            except BaseException:  # a signal acted on before it could be noted: nothing was written
                self.release()
                raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

    @staticmethod
    def _note(signum: int, frame: object) -> None:
        _noted.append(signum)

    def release(self) -> None:
        if self.holding:
            self.holding = False
            for signum, old in self.saved.items():
                signal.signal(signum, old)  # type: ignore[arg-type]

    def deliver(self) -> None:
        """Act on the signals noted, as their own handlers would have (once released)."""
        for signum in dict.fromkeys(_noted):
            old = self.saved.get(signum)
            if callable(old):
                old(signum, None)  # e.g. KeyboardInterrupt, or the limited child's stop
            elif old == signal.SIG_DFL:
                signal.raise_signal(signum)  # e.g. SIGTERM's default: the process ends here


def write_atomically(path: Path, text: str, *, last_step: bool = True, replace: bool = True) -> None:
    """Write the whole file or nothing: see :func:`write_atomically_bytes`."""
    write_atomically_bytes(path, text.encode("utf-8"), last_step=last_step, replace=replace)


def write_atomically_bytes(path: Path, data: bytes, *, last_step: bool = True, replace: bool = True) -> None:
    """Write the whole file or nothing: a temporary file beside it, then one rename.

    Without ``replace`` the last step is a hard link, which fails if anything is at ``path`` by
    then: a file that appeared after the caller checked is never replaced (:class:`CannotWrite`).

    A failed write (a full disk, no permission) raises :class:`CannotWrite` (exit 2) and leaves
    the old file as it was and no temporary file. An existing file keeps its permission bits; a
    new one gets the umask's, as any new file would (not ``mkstemp``'s 0600).

    Ctrl-C, SIGTERM and the limits' stop signals are held (:class:`_Held`) from before the
    temporary file is created until the rename is done or the temporary file removed. One that
    came before the rename stops it: the temporary file is removed, then the signal is acted on
    as it would have been (``KeyboardInterrupt`` if its handler returns), and nothing was written.
    One that comes during the rename is too late to stop the write: when ``last_step`` (an
    output file, the command's last work) it is set aside and the command finishes normally
    (exit 130 would say that nothing was written); otherwise (the rule cache) it is acted on once
    the write is done.
    """
    path = Path(path)
    stopped = False
    with _Held() as held:
        tmp: str | None = None
        try:
            mode = _mode_for(path)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.chmod(tmp, mode)
            _before_rename()
            if _noted:
                stopped = True  # interrupted while writing: the temporary file goes, nothing is written
            elif replace:
                os.replace(tmp, path)
                tmp = None
            else:
                os.link(tmp, path)  # (the temporary name is removed below)
        except FileExistsError:
            raise CannotWrite([Diagnostic(Span(str(path), 0, 0), "refusing to overwrite a file that appeared "
                                          "while this one was written", "name a new file")]) from None
        except OSError as exc:
            err = CannotWrite([Diagnostic(Span(str(path), 0, 0), f"cannot write {path}: {exc.strerror or exc}")])
            err.errno, err.strerror, err.filename = exc.errno, exc.strerror, str(path)
            raise err from None
        finally:
            if tmp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
    if _noted and last_step and not stopped:
        return  # the file is in place: the command finishes
    held.deliver()
    if stopped:
        raise KeyboardInterrupt


def _mode_for(path: Path) -> int:
    """The permission bits to give the new file: the old file's, or those of a new file."""
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
