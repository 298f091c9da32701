"""Limits that hold: a time limit and a memory bound on a command, and the stage that was running.

The command runs in a forked child under ``RLIMIT_AS``, in a process group of its own (with any
workers it starts); the parent relays its output, waits at most the time limit, and says what was
running when a limit was reached (exit 3). Ctrl-C and SIGTERM reach only the parent, which stops
the child the same way (exit 130 and 143). A stopped child has a short grace to finish what it is
doing (a batch reports what it finished, a write completes its rename or removes its temporary
file); then the whole group is killed, so no process outlives the command.
"""

from __future__ import annotations

import io
import os
import select
import signal
import sys
import time
from collections.abc import Callable, Iterable
from typing import Any

_STAGE_FD: int | None = None  # in the child: where to report the stage
_OUT_OF_MEMORY = "\0out of memory"  # said on the stage pipe by a child that caught MemoryError
_STOPPABLE, _UNSTOPPABLE = "\0stoppable", "\0unstoppable"  # said by a child that will (not) report when stopped

#: The hint after "out of memory" when no bound of ours was set (here, and in the CLI's own process).
OUT_OF_MEMORY_HINT = "  hint: run with --max-memory MB to stop earlier, or make the input smaller"

#: Defaults of the limits (each has a command-line option).
DEFAULT_TIMEOUT = 600.0  # seconds
DEFAULT_MAX_MEMORY = 4096  # MB
DEFAULT_MAX_FILE_MB = 32
#: The smallest memory bound accepted: below it Python and clingo cannot start (measured: the
#: Kazakhstan check needs about 55 MB of address space; a bound of 50 MB failed while starting).
MIN_MEMORY_MB = 128
#: How long a stopped child may take before its group is killed: to finish a write it was making
#: (renamed or removed), or, for a batch, to report what it finished.
GRACE = 1.0
BATCH_GRACE = 2.0

#: The largest rule or scenario file read, in bytes (set from --max-file-size).
max_file_bytes = DEFAULT_MAX_FILE_MB * 1_000_000

#: In the limited child: the memory bound of each process (MB, 0: none) and the time limit.
memory_bound_mb = 0
time_limit = 0.0

#: Signals the parent sends its child: the time limit was reached, or stop (Ctrl-C, SIGTERM).
TIME_UP = signal.SIGUSR1
STOP = signal.SIGTERM

_on_stop: Callable[[int], None] | None = None  # a batch that reports what it finished, when stopped


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


def quiet_stage() -> None:
    """In a batch's worker: say nothing on the stage pipe (the batch says which files are running)."""
    global _STAGE_FD
    _STAGE_FD = None


def on_stop(callback: Callable[[int], None] | None) -> None:
    """While ``callback`` is set, a stop (time limit, Ctrl-C, SIGTERM) calls it instead of ending the
    process at once: a batch uses this to stop its workers and report what they finished.
    ``callback`` is called in a signal handler with the signal number; it must only take note."""
    global _on_stop
    _on_stop = callback
    stage(_STOPPABLE if callback is not None else _UNSTOPPABLE)


def _child_stop(signum: int, frame: Any) -> None:
    if _on_stop is not None:
        _on_stop(signum)
        return
    sys.exit(143)


def die_with_parent() -> None:
    """Have the kernel kill this process when its parent dies (Linux), so that no worker outlives
    a command whose process was killed outright."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: the process group is still killed as a whole
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


class _Terminated(BaseException):
    """SIGTERM reached the parent: stop the child as Ctrl-C would, and exit 143."""


def _terminated(signum: int, frame: Any) -> None:
    raise _Terminated


def _child(fn: Callable[[], Any], memory_mb: int, timeout: float, st_w: int, out_w: int, err_w: int) -> int:
    """The limited child's side: run ``fn`` and return its exit code (never raise)."""
    global _STAGE_FD, memory_bound_mb, time_limit
    code = 0
    try:
        _STAGE_FD = st_w
        memory_bound_mb, time_limit = memory_mb, timeout
        signal.signal(STOP, _child_stop)
        signal.signal(TIME_UP, _child_stop)
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
        die_with_parent()
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
        except BaseException:  # a bug of ours that escaped the command's own handling (e.g. TREATY_DEBUG)
            import traceback

            traceback.print_exc()
            code = 70
    except BaseException:  # even setting up failed: still never a code 0
        code = 70
    return code


def readable(fds: Iterable[int], timeout: float | None) -> list[int]:
    """The descriptors among ``fds`` ready to read (or at their end) within ``timeout`` seconds:
    select's answer by poll(2), which has no limit on descriptor numbers (select fails at 1,024,
    which a long-lived process that runs many commands can reach)."""
    poller = select.poll()
    wanted = list(fds)
    for fd in wanted:
        poller.register(fd, select.POLLIN)
    ready = {fd for fd, _ in poller.poll(None if timeout is None else max(0, int(timeout * 1000)))}
    return [fd for fd in wanted if fd in ready]


def run_limited(fn: Callable[[], Any], timeout: float, memory_mb: int, echo_out: Callable[[str], None],
                echo_err: Callable[[str], None]) -> int:
    """Run ``fn`` in a child process; return its exit code (3 at a limit, 130 when interrupted,
    143 when terminated)."""
    out_r, out_w = os.pipe()
    err_r, err_w = os.pipe()
    st_r, st_w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        code = 70
        try:
            os.setpgid(0, 0)
            for fd in (out_r, err_r, st_r):
                os.close(fd)
            code = _child(fn, memory_mb, timeout, st_w, out_w, err_w)
        finally:
            try:
                sys.stdout.flush()
            finally:
                os._exit(code)
    try:
        os.setpgid(pid, pid)  # also here: whichever runs first, the group exists before any signal
    except OSError:  # the child was quicker (it set its group, or has even exited)
        pass
    for fd in (out_w, err_w, st_w):
        os.close(fd)
    running = "starting"
    deadline = time.monotonic() + timeout if timeout else None
    streams = {out_r: echo_out, err_r: echo_err}
    buffers = {out_r: b"", err_r: b""}
    open_fds = [out_r, err_r, st_r]
    memory_hit = False
    stoppable = False

    def pump(wait: float) -> None:
        nonlocal running, memory_hit, stoppable
        for fd in readable(open_fds, wait):
            chunk = os.read(fd, 65536)
            if not chunk:  # the child closed it: close ours (a process running many commands ran out of them)
                open_fds.remove(fd)
                os.close(fd)
                continue
            if fd == st_r:
                lines = [ln for ln in chunk.decode(errors="replace").split("\n") if ln]
                memory_hit = memory_hit or _OUT_OF_MEMORY in lines
                for ln in lines:
                    if ln in (_STOPPABLE, _UNSTOPPABLE):
                        stoppable = ln == _STOPPABLE
                lines = [ln for ln in lines if not ln.startswith("\0")]
                running = lines[-1] if lines else running
                continue
            data = buffers[fd] + chunk
            text, _, rest = data.rpartition(b"\n")
            buffers[fd] = rest
            if text:
                streams[fd](text.decode("utf-8", "replace") + "\n")

    def flush() -> None:
        for fd, rest in buffers.items():
            if rest:
                streams[fd](rest.decode("utf-8", "replace"))
            buffers[fd] = b""

    try:
        previous: Any = signal.signal(signal.SIGTERM, _terminated)
    except ValueError:  # not the main thread: SIGTERM keeps its handler
        previous = None
    try:
        try:
            while open_fds:
                wait = 0.05 if deadline is None else max(0.0, min(0.05, deadline - time.monotonic()))
                pump(wait)
                if deadline is not None and time.monotonic() >= deadline and open_fds:
                    ended = _stop(pid, TIME_UP, pump, open_fds, BATCH_GRACE if stoppable else GRACE)
                    flush()
                    if ended in (0, 1, 2):  # it finished within the grace (a write it was making is done)
                        return ended
                    echo_err(f"treaty: the time limit of {timeout:g} s was reached while {running}\n"
                             "  hint: raise it with --timeout SECONDS, or make the input smaller\n")
                    return 3
            _, status = os.waitpid(pid, 0)
        except (KeyboardInterrupt, _Terminated) as stop:
            ended = _stop(pid, STOP, pump, open_fds, BATCH_GRACE if stoppable else GRACE)
            flush()
            if ended in (0, 1, 2):  # it had finished (a write it was making is complete): say so
                return ended
            echo_err("treaty: interrupted\n" if isinstance(stop, KeyboardInterrupt) else "treaty: terminated\n")
            return 130 if isinstance(stop, KeyboardInterrupt) else 143
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
        _kill_group(pid)
        for fd in open_fds:
            os.close(fd)
    flush()
    code = os.waitstatus_to_exitcode(status)
    if memory_mb and (memory_hit or code == -signal.SIGKILL or _bad_alloc(code)):
        echo_err(f"treaty: the memory bound of {memory_mb} MB was reached while {running}\n"
                 "  hint: raise it with --max-memory MB, or make the input smaller\n")
        return 3
    if memory_hit or code == -signal.SIGKILL:  # no bound of ours: the system's (SIGKILL: its OOM killer)
        echo_err(f"treaty: out of memory while {running}\n{OUT_OF_MEMORY_HINT}\n")
        return 3
    if code < 0:
        echo_err(f"treaty: internal error: the engine stopped on {signal_name(-code)} while {running}\n"
                 "  hint: this is a bug; please report it with the command and its input\n")
        return 70
    return code


def signal_name(signum: int) -> str:
    return signal.Signals(signum).name if signum in signal.valid_signals() else f"signal {signum}"


def _bad_alloc(code: int) -> bool:
    """How clingo's native code may end when an allocation fails under RLIMIT_AS."""
    return code in (-signal.SIGABRT, -signal.SIGSEGV)


def _stop(pid: int, signum: int, pump: Callable[[float], None], open_fds: list[int], grace: float) -> int | None:
    """Ask the child to stop, relay what it still says for up to ``grace`` seconds, then kill its
    group. Returns the child's exit code if it ended by itself within the grace."""
    try:
        os.kill(pid, signum)
    except ProcessLookupError:
        pass
    end = time.monotonic() + grace
    while time.monotonic() < end:
        if open_fds:
            pump(0.02)
        try:
            done, status = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            return None
        if done:
            while open_fds:  # what it wrote before exiting
                pump(0.0)
            return os.waitstatus_to_exitcode(status)
        if not open_fds:
            time.sleep(0.02)
    _kill_group(pid)
    return None


def _kill_group(pid: int) -> None:
    """Kill the child's whole process group (the child and its workers) and reap the child."""
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass
