"""Limits that hold: a time limit and a memory bound on a command, and the stage that was running.

The command runs in a forked child under ``RLIMIT_AS``; the parent relays its output, waits at
most the time limit, and says what was running when a limit was reached (exit 3). Ctrl-C ends
the child the same way (exit 130). Writes the child was making are atomic, so nothing is left
half-written: it either finishes its rename or removes its temporary file.
"""

from __future__ import annotations

import io
import os
import select
import signal
import sys
import time
from collections.abc import Callable
from typing import Any

_STAGE_FD: int | None = None  # in the child: where to report the stage
_OUT_OF_MEMORY = "\0out of memory"  # said on the stage pipe by a child that caught MemoryError

#: The hint after "out of memory" when no bound of ours was set (here, and in the CLI's own process).
OUT_OF_MEMORY_HINT = "  hint: run with --max-memory MB to stop earlier, or make the input smaller"

#: Defaults of the limits (each has a command-line option).
DEFAULT_TIMEOUT = 600.0  # seconds
DEFAULT_MAX_MEMORY = 4096  # MB
DEFAULT_MAX_FILE_MB = 32

#: The largest rule or scenario file read, in bytes (set from --max-file-size).
max_file_bytes = DEFAULT_MAX_FILE_MB * 1_000_000


def check_size(path: str, size: int) -> None:
    """A located error if a file is larger than the bound."""
    if size > max_file_bytes:
        from .errors import Diagnostic, ExitCode, Span, TreatyError

        raise TreatyError([Diagnostic(Span(path, 0, 0), f"the file is too large ({size:,} bytes; the limit is "
                                                        f"{max_file_bytes:,})", "raise it with --max-file-size MB")],
                          exit_code=ExitCode.LIMIT)


def in_limited_child() -> bool:
    """True in the child process that :func:`run_limited` started."""
    return _STAGE_FD is not None


def stage(name: str) -> None:
    """Say what the engine is doing now (loading rules, grounding, solving, ...), for limit messages."""
    if _STAGE_FD is not None:
        try:
            os.write(_STAGE_FD, (name + "\n").encode())
        except OSError:
            pass


class _PipeBytes:
    """The binary side of a :class:`_PipeWriter` (``sys.stdout.buffer``), for output written as bytes."""

    def __init__(self, fd: int) -> None:
        self.fd = fd

    def write(self, data: bytes) -> int:
        view = memoryview(data)
        while view:
            n = os.write(self.fd, view)
            view = view[n:]
        return len(data)

    def flush(self) -> None:
        pass


class _PipeWriter(io.TextIOBase):
    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.buffer = _PipeBytes(fd)

    def write(self, s: str) -> int:
        self.buffer.write(s.encode("utf-8", "surrogateescape"))
        return len(s)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False


def run_limited(fn: Callable[[], Any], timeout: float, memory_mb: int, echo_out: Callable[[str], None],
                echo_err: Callable[[str], None]) -> int:
    """Run ``fn`` in a child process; return its exit code (3 at a limit, 130 when interrupted)."""
    global _STAGE_FD
    out_r, out_w = os.pipe()
    err_r, err_w = os.pipe()
    st_r, st_w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        code = 0
        try:
            for fd in (out_r, err_r, st_r):
                os.close(fd)
            _STAGE_FD = st_w
            signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
            signal.signal(signal.SIGINT, signal.default_int_handler)
            if memory_mb:
                import resource

                limit = memory_mb * 1024 * 1024
                resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
            sys.stdout = _PipeWriter(out_w)
            sys.stderr = _PipeWriter(err_w)
            try:
                fn()
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
            except MemoryError:
                os.write(st_w, (_OUT_OF_MEMORY + "\n").encode())
                code = 3
            except KeyboardInterrupt:
                code = 130
        finally:
            try:
                sys.stdout.flush()
            finally:
                os._exit(code)
    for fd in (out_w, err_w, st_w):
        os.close(fd)
    running = "starting"
    deadline = time.monotonic() + timeout if timeout else None
    streams = {out_r: echo_out, err_r: echo_err}
    buffers = {out_r: b"", err_r: b""}
    open_fds = [out_r, err_r, st_r]
    memory_hit = False

    def pump(wait: float) -> None:
        nonlocal running, memory_hit
        ready, _, _ = select.select(open_fds, [], [], wait)
        for fd in ready:
            chunk = os.read(fd, 65536)
            if not chunk:
                open_fds.remove(fd)
                continue
            if fd == st_r:
                lines = [ln for ln in chunk.decode(errors="replace").split("\n") if ln]
                memory_hit = memory_hit or _OUT_OF_MEMORY in lines
                lines = [ln for ln in lines if ln != _OUT_OF_MEMORY]
                running = lines[-1] if lines else running
                continue
            data = buffers[fd] + chunk
            text, _, rest = data.rpartition(b"\n")
            buffers[fd] = rest
            if text:
                streams[fd](text.decode("utf-8", "replace") + "\n")

    try:
        while open_fds:
            wait = 0.05 if deadline is None else max(0.0, min(0.05, deadline - time.monotonic()))
            pump(wait)
            if deadline is not None and time.monotonic() >= deadline and open_fds:
                _stop(pid)
                _drain(pump, open_fds)
                echo_err(f"treaty: the time limit of {timeout:g} s was reached while {running}\n"
                         "  hint: raise it with --timeout SECONDS, or make the input smaller\n")
                return 3
        _, status = os.waitpid(pid, 0)
    except KeyboardInterrupt:
        _stop(pid)
        _drain(pump, open_fds)
        echo_err("treaty: interrupted\n")
        return 130
    for fd, rest in buffers.items():
        if rest:
            streams[fd](rest.decode("utf-8", "replace"))
    code = os.waitstatus_to_exitcode(status)
    if memory_mb and (memory_hit or code == -signal.SIGKILL or _bad_alloc(code)):
        echo_err(f"treaty: the memory bound of {memory_mb} MB was reached while {running}\n"
                 "  hint: raise it with --max-memory MB, or make the input smaller\n")
        return 3
    if memory_hit or code == -signal.SIGKILL:  # no bound of ours: the system's (SIGKILL: its OOM killer)
        echo_err(f"treaty: out of memory while {running}\n{OUT_OF_MEMORY_HINT}\n")
        return 3
    if code < 0:
        name = signal.Signals(-code).name if -code in signal.valid_signals() else f"signal {-code}"
        echo_err(f"treaty: internal error: the engine stopped on {name} while {running}\n"
                 "  hint: this is a bug; please report it with the command and its input\n")
        return 70
    return code


def _bad_alloc(code: int) -> bool:
    """How clingo's native code may end when an allocation fails under RLIMIT_AS."""
    return code in (-signal.SIGABRT, -signal.SIGSEGV)


def _stop(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGTERM)
        for _ in range(20):  # up to a second to finish a rename or remove a temporary file
            done, _ = os.waitpid(pid, os.WNOHANG)
            if done:
                return
            time.sleep(0.05)
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass


def _drain(pump: Callable[[float], None], open_fds: list[int]) -> None:
    for _ in range(20):
        if not open_fds:
            return
        pump(0.01)
