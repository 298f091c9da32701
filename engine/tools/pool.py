"""Worker processes for a batch: each file's failure is its own, and a stop loses nothing finished.

``concurrent.futures`` could not keep the limits: a worker over the memory bound broke or
deadlocked the whole pool, and a stopped command left workers running. Here the coordinator forks
its workers (they inherit the rule base, the jobs and the memory bound: ``RLIMIT_AS`` is per
process, so ``--max-memory`` bounds each worker), hands them files one at a time over a pipe, and
watches them:

- a worker that dies while checking a file (the memory bound, a crash) makes that file's error
  result, naming it, and a fresh worker takes the next file;
- a stop (the time limit, Ctrl-C, SIGTERM) only raises a flag; the coordinator then kills its
  workers, gives every result that was finished, and raises :class:`~engine.tools.batch.Stopped`;
- workers die with the coordinator (``PR_SET_PDEATHSIG``) and are in its process group, which the
  limits' parent kills as a whole.
"""

from __future__ import annotations

import os
import signal
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from .. import limits
from .jobs import Job, Options, Result, Stopped, _internal_result, _memory_result, run_job

_HEADER = 8  # bytes of a result's length before its JSON
_QUEUED = 1  # files a worker holds (more would wait behind a slow one that another worker could take)


class StopFlag:
    """While open, a stop signal only takes note (``signum``) and wakes :meth:`wait`.

    In the limited child the signals are the limits' (time up, stop); in a process without
    limits they are Ctrl-C and SIGTERM themselves.
    """

    def __init__(self) -> None:
        self.signum: int | None = None
        self._r, self._w = os.pipe()
        os.set_blocking(self._w, False)
        self._previous: dict[int, Any] = {}

    @property
    def fd(self) -> int:
        return self._r

    def _note(self, signum: int, frame: Any = None) -> None:
        if self.signum is None:
            self.signum = signum
        try:
            os.write(self._w, b"!")
        except OSError:
            pass

    def wait(self, seconds: float) -> None:
        limits.readable([self._r], seconds)

    def __enter__(self) -> StopFlag:
        if limits.in_limited_child():
            limits.on_stop(self._note)
        else:
            for signum in (signal.SIGINT, signal.SIGTERM):
                try:
                    self._previous[signum] = signal.signal(signum, self._note)
                except ValueError:  # not the main thread: signals keep their handlers
                    pass
        return self

    def __exit__(self, *exc: object) -> None:
        limits.on_stop(None)
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)
        os.close(self._r)
        os.close(self._w)


@dataclass
class _Worker:
    pid: int
    to_fd: int  # job numbers go out here
    from_fd: int  # results come back here
    jobs: deque[int] = field(default_factory=deque)  # sent, in order; the first is being checked
    retired: bool = False
    buf: bytearray = field(default_factory=bytearray)


def run_pool(jobs: Sequence[Job], options: Options, workers: int) -> Iterator[Result]:
    """Every job's result, in order, checked by up to ``workers`` worker processes."""
    pool = _Pool(jobs, options, max(1, min(workers, len(jobs))))
    try:
        with StopFlag() as stop:
            yield from pool.results(stop)
    finally:
        pool.kill_all()


class _Pool:
    def __init__(self, jobs: Sequence[Job], options: Options, size: int) -> None:
        self.jobs = jobs
        self.options = options
        self.size = size
        self.workers: dict[int, _Worker] = {}  # by from_fd
        # a file that could not be read is already its result: no worker needed
        self.pending: deque[int] = deque(i for i, job in enumerate(jobs) if job.text is not None)
        self.said = ""  # the stage said last
        self.spawned = 0

    # the coordinator -----------------------------------------------------------------------------
    def results(self, stop: StopFlag) -> Iterator[Result]:
        done: dict[int, Result] = {i: run_job(job, self.options) for i, job in enumerate(self.jobs) if job.text is None}
        following = 0  # the next result to give, in order
        while following < len(self.jobs):
            if stop.signum is not None:
                break
            self._keep_busy()
            ready = limits.readable([*self.workers, stop.fd], 1.0)
            for fd in ready:
                if fd in self.workers:
                    self._receive(self.workers[fd], done)
            self._keep_busy()  # before the results are given: the workers go on meanwhile
            while following in done:
                yield done.pop(following)
                following += 1
        else:
            return
        self._drain(done)  # results already sent are finished work: none is lost to the stop
        running = [self.jobs[w.jobs[0]].name for w in self.workers.values() if w.jobs]
        self.kill_all()
        for n in sorted(done):  # finished, but waiting for an earlier file: given now
            yield done[n]
        raise Stopped(stop.signum, running, len(self.jobs) - following - len(done))

    def _keep_busy(self) -> None:
        """Every worker has a file to check as long as there are files; workers with nothing left
        are told to end."""
        pending = self.pending
        while pending and len([w for w in self.workers.values() if not w.retired]) < self.size:
            if self.spawned >= len(self.jobs) + self.size:  # workers die as they start: no endless forking
                raise RuntimeError("the worker processes end as soon as they start")
            self._send(self._spawn(), pending.popleft())
        for worker in list(self.workers.values()):
            if pending and not worker.retired and len(worker.jobs) < _QUEUED:
                self._send(worker, pending.popleft())
        if not pending:
            for worker in list(self.workers.values()):
                if not worker.jobs:  # nothing more for it to do
                    self._retire(worker)
        running = "checking " + ", ".join(self.jobs[w.jobs[0]].name for w in self.workers.values() if w.jobs)
        if running != self.said:
            limits.stage(running)
            self.said = running

    def _drain(self, done: dict[int, Result], patience: float = 1.0) -> None:
        """Read every result the workers have already begun to send: a result larger than a pipe
        holds comes in parts, so a worker midway through one is given up to ``patience`` seconds."""
        import time

        end = time.monotonic() + patience
        while self.workers:
            midway = any(w.buf for w in self.workers.values())
            wait = max(0.0, end - time.monotonic()) if midway else 0.0
            ready = limits.readable(list(self.workers), min(wait, 0.1))
            if not ready and (not midway or time.monotonic() >= end):
                return
            for fd in ready:
                if fd in self.workers:
                    self._receive(self.workers[fd], done)

    def _receive(self, worker: _Worker, done: dict[int, Result]) -> None:
        chunk = os.read(worker.from_fd, 1 << 20)
        if not chunk:  # the worker has ended: after its result, or while checking a file
            self._reap(worker, done)
            return
        worker.buf += chunk
        while len(worker.buf) >= _HEADER:
            size = int.from_bytes(worker.buf[:_HEADER], "little")
            if len(worker.buf) < _HEADER + size:
                break

            frame = bytes(worker.buf[_HEADER:_HEADER + size])
            del worker.buf[:_HEADER + size]
            n = worker.jobs.popleft()
            done[n] = _from_frame(frame)
            if done[n].code == 3:  # the worker ends after this (see _work): its queue goes back
                worker.retired = True
                self.pending.extendleft(reversed(worker.jobs))
                worker.jobs.clear()

    def _reap(self, worker: _Worker, done: dict[int, Result]) -> None:
        del self.workers[worker.from_fd]
        os.close(worker.from_fd)
        os.close(worker.to_fd)
        _, status = os.waitpid(worker.pid, 0)
        if not worker.jobs:
            return
        n = worker.jobs.popleft()  # the file it was checking when it died; those queued go back
        self.pending.extendleft(reversed(worker.jobs))
        name = self.jobs[n].name
        code = os.waitstatus_to_exitcode(status)
        if code == 3 or (limits.memory_bound_mb and code in (-signal.SIGKILL, -signal.SIGABRT, -signal.SIGSEGV)):
            done[n] = _memory_result(name)
        else:
            how = f"on {limits.signal_name(-code)}" if code < 0 else f"with exit code {code}"
            done[n] = _internal_result(name, RuntimeError(f"the worker checking it stopped {how}"))

    def _spawn(self) -> _Worker:
        to_r, to_w = os.pipe()
        from_r, from_w = os.pipe()
        self.spawned += 1
        pid = os.fork()
        if pid == 0:
            code = 70
            try:
                for w in self.workers.values():  # the other workers' pipes are not this one's
                    os.close(w.to_fd)
                    os.close(w.from_fd)
                os.close(to_w)
                os.close(from_r)
                code = _work(to_r, from_w, self.jobs, self.options)
            finally:
                os._exit(code)
        os.close(to_r)
        os.close(from_w)
        worker = _Worker(pid, to_w, from_r)
        self.workers[from_r] = worker
        return worker

    def _send(self, worker: _Worker, n: int) -> None:
        try:
            os.write(worker.to_fd, n.to_bytes(4, "little", signed=True))
        except BrokenPipeError:  # it died since its last result (its end is read later): the file waits
            worker.retired = True
            self.pending.appendleft(n)
            return
        worker.jobs.append(n)

    def _retire(self, worker: _Worker) -> None:
        if worker.retired:
            return
        worker.retired = True
        try:
            os.write(worker.to_fd, (-1).to_bytes(4, "little", signed=True))
        except OSError:
            pass

    def kill_all(self) -> None:
        for worker in list(self.workers.values()):
            try:
                os.kill(worker.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            try:
                os.waitpid(worker.pid, 0)
            except ChildProcessError:
                pass
            os.close(worker.from_fd)
            os.close(worker.to_fd)
        self.workers.clear()


# a worker ------------------------------------------------------------------------------------------
def _work(job_fd: int, result_fd: int, jobs: Sequence[Job], options: Options) -> int:
    """A worker's life: take a job number, send its result, until told to stop (-1) or orphaned."""

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # stops are the coordinator's to decide
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(limits.TIME_UP, signal.SIG_DFL)
    limits.quiet_stage()  # (first: on_stop would say on the stage pipe that the batch is unstoppable)
    limits.on_stop(None)
    limits.die_with_parent()
    if os.getppid() == 1:  # the coordinator died before the line above took effect
        return 0
    while True:
        raw = _read_exactly(job_fd, 4)
        if raw is None:
            return 0
        n = int.from_bytes(raw, "little", signed=True)
        if n < 0:
            return 0
        result = run_job(jobs[n], options)
        payload = _frame(result)
        _write_all(result_fd, len(payload).to_bytes(_HEADER, "little") + payload)
        if result.code == 3:  # a memory bound was reached: the next file gets a fresh process
            return 0


def _frame(result: Result) -> bytes:
    """A result for the pipe: its name, error and code as one line of JSON, then the findings as
    JSON (keys sorted, so that they can be written out as they come)."""
    import orjson

    meta = orjson.dumps({"name": result.name, "error": result.error, "code": result.code,
                         "warnings": result.warnings})
    data = b"" if result.findings is None else orjson.dumps(result.findings, option=orjson.OPT_SORT_KEYS)
    return meta + b"\n" + data


def _from_frame(frame: bytes) -> Result:
    import orjson

    meta, _, data = frame.partition(b"\n")  # orjson writes no raw line break inside a document
    doc = orjson.loads(meta)
    return Result(doc["name"], None, doc["error"], doc["code"], data or None, doc.get("warnings"))


def _read_exactly(fd: int, n: int) -> bytes | None:
    data = b""
    while len(data) < n:
        chunk = os.read(fd, n - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


# one file under limits of its own (a task on a Dask worker) -------------------------------------------
def run_isolated(job: Job, options: Options, deadline: float | None, memory_mb: int) -> Result:
    """Check one file in a child process bounded by ``memory_mb`` and ending by ``deadline`` (seconds
    since the epoch): on a Dask worker, a command's time limit then ends the cluster's work too (a
    cancelled Dask task that is already running would otherwise run on)."""
    import time

    from .jobs import _rules

    _rules(options.rules)  # loaded once in the worker's own process, and inherited by each child
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        code = 70
        try:
            os.close(r)
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            limits.die_with_parent()
            if memory_mb:
                import resource

                limits.memory_bound_mb = memory_mb
                resource.setrlimit(resource.RLIMIT_AS, (memory_mb << 20, memory_mb << 20))
            _write_all(w, _frame(run_job(job, options)))
            code = 0
        finally:
            os._exit(code)
    os.close(w)
    data = bytearray()
    timed_out = False
    try:
        while True:
            wait = None if deadline is None else max(0.0, deadline - time.time())
            ready = limits.readable([r], wait)
            if not ready:
                timed_out = True
                break
            chunk = os.read(r, 1 << 20)
            if not chunk:
                break
            data += chunk
    finally:
        os.close(r)
        if timed_out:
            os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
    if timed_out:
        return Result(job.name, None, f"{job.name}: error: the time limit was reached while checking it\n"
                                      "  hint: raise it with --timeout SECONDS, or make it smaller", 3)
    code = os.waitstatus_to_exitcode(status)
    if code == 0 and data:
        return _from_frame(bytes(data))
    if memory_mb and code in (-signal.SIGKILL, -signal.SIGABRT, -signal.SIGSEGV, 70):
        limits.memory_bound_mb = memory_mb
        return _memory_result(job.name)
    how = f"on {limits.signal_name(-code)}" if code < 0 else f"with exit code {code}"
    return _internal_result(job.name, RuntimeError(f"the process checking it stopped {how}"))
