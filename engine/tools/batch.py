"""Many scenarios at once: rules loaded once per process, results in input order, failures isolated.

Runs in this process, on a pool of processes (``jobs``), or on a Dask distributed cluster
(``executor="dask://HOST:PORT"``, with the ``dask`` extra). Scenario texts are read here and
shipped to the workers, so workers need the engine and the rule files, not the scenario files.
A job and its running are :mod:`engine.tools.jobs`.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from ..errors import Diagnostic, TreatyError
from .jobs import (
    Job,
    Options,
    Result,
    Stopped,
    _internal_result,
    read_jobs,
    run_job,
    scenario_paths,
    worst,
)
from .pool import run_pool


def run(jobs: Sequence[Job], options: Options, workers: int = 1, executor: str | None = None,
        progress: Callable[[Result], None] | None = None) -> Iterator[Result]:
    """Results in the order of ``jobs``.

    In a command run under limits, or with ``workers`` > 1, the files are checked by worker
    processes (see :mod:`engine.tools.pool`): a file that crashes or exhausts its worker's memory is its
    own error result, and a stop (time limit, Ctrl-C, SIGTERM) gives every finished result, then
    raises :class:`Stopped`.
    """
    from .. import limits

    if executor is not None:
        results = _run_dask(jobs, options, executor)
    elif len(jobs) > 1 and (workers > 1 or limits.in_limited_child()):
        results = run_pool(jobs, options, workers)
    else:
        results = (run_job(job, options, contain=len(jobs) > 1) for job in jobs)
    for result in results:
        if progress:
            progress(result)
        yield result


def _run_dask(jobs: Sequence[Job], options: Options, executor: str) -> Iterator[Result]:
    import re

    m = re.fullmatch(r"dask://([A-Za-z0-9._-]+|\[[0-9A-Fa-f:.]+\]):([0-9]{1,5})", executor)
    if m is None or not 0 < int(m.group(2)) < 65536:
        raise TreatyError([Diagnostic(None, f"--executor: `{executor}` is not a Dask address",
                                      "write dask://HOST:PORT (the scheduler of a Dask distributed cluster)")])
    try:
        from distributed import Client
    except ImportError:
        raise TreatyError([Diagnostic(None, "--executor dask:// needs Dask distributed",
                                      "install it with: pip install 'treaty-engine[dask]'")]) from None
    address = f"tcp://{m.group(1)}:{m.group(2)}"
    try:
        client = Client(address, timeout="10s")
    except (OSError, TimeoutError, ValueError) as exc:
        raise TreatyError([Diagnostic(None, f"cannot reach the Dask scheduler at {address}: {exc}")]) from None
    from .. import limits
    from .pool import StopFlag, run_isolated

    # each task runs under the command's limits on its worker, so that a stop ends running tasks too
    deadline = time.time() + limits.time_limit if limits.time_limit else None
    futures: list[Any] = []
    try:
        with StopFlag() as stop:
            futures = client.map(run_isolated, list(jobs), options=options, deadline=deadline,
                                 memory_mb=limits.memory_bound_mb, pure=False)
            for i, future in enumerate(futures):
                limits.stage(f"checking {jobs[i].name} on the Dask cluster")
                while not future.done():
                    if stop.signum is not None:
                        finished = [n for n in range(i, len(futures)) if futures[n].status == "finished"]
                        done = [_dask_result(jobs[n], futures[n]) for n in finished]
                        client.cancel(futures[i:])  # queued tasks never start; running ones end by the deadline
                        yield from done
                        raise Stopped(stop.signum, [jobs[i].name], len(futures) - i - len(done))
                    stop.wait(0.05)
                yield _dask_result(jobs[i], future)
    finally:
        if futures:
            client.cancel(futures)
        client.close()


def _dask_result(job: Job, future: Any) -> Result:
    try:
        return future.result()
    except Exception as exc:  # the worker died, or the result could not come back
        return _internal_result(job.name, exc)


def default_workers() -> int:
    return os.cpu_count() or 1


__all__ = ["Job", "Options", "Result", "Stopped", "default_workers", "read_jobs", "run", "run_job", "scenario_paths",
           "worst"]
