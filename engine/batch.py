"""Many scenarios at once: rules loaded once per process, results in input order, failures isolated.

Runs in this process, on a pool of processes (``jobs``), or on a Dask distributed cluster
(``executor="dask://HOST:PORT"``, with the ``dask`` extra). Scenario texts are read here and
shipped to the workers, so workers need the engine and the rule files, not the scenario files.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from .errors import Diagnostic, Span, TreatyError, report


@dataclass(frozen=True)
class Job:
    name: str
    text: str | None  # None: the file could not be read (error holds why)
    error: str | None = None


@dataclass(frozen=True)
class Options:
    rules: tuple[str, ...] = ()
    as_of: date | None = None
    assume: tuple[tuple[str, str], ...] = ()
    explain: bool = False


@dataclass(frozen=True)
class Result:
    name: str
    findings: dict | None  # the findings as JSON data (with explanations when asked)
    error: str | None  # the rendered diagnostics, when the scenario could not be evaluated

    @property
    def ok(self) -> bool:
        return self.error is None

    def jsonl(self) -> str:
        """One line of JSON: keys sorted, no spaces, UTF-8 as is (written by orjson in C: the
        standard library's encoder took a tenth of the time of a small scenario's check)."""
        import orjson

        doc: dict[str, Any] = {"file": self.name, "ok": self.ok}
        if self.ok:
            doc["findings"] = self.findings
        else:
            doc["error"] = self.error
        return orjson.dumps(doc, option=orjson.OPT_SORT_KEYS).decode("utf-8")


def scenario_paths(paths: Iterable[str]) -> list[str]:
    """Files as given; directories expanded to their scenario files (sorted, recursively)."""
    from .scenario import scenarios_under

    out: list[str] = []
    problems = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            found = [str(f) for f in scenarios_under(path)]
            if not found:
                problems.append(Diagnostic(Span(p, 0, 0), "no scenario files (*.yaml) in this directory"))
            out += found
        else:
            out.append(p)
    if problems:
        raise TreatyError(problems)
    return out


def read_jobs(paths: Sequence[str]) -> list[Job]:
    from .scenario import read_scenario_text

    jobs = []
    for p in paths:
        try:
            jobs.append(Job(p, read_scenario_text(Path(p))))
        except TreatyError as err:
            jobs.append(Job(p, None, report(err)))
    return jobs


_RULES: dict[tuple[str, ...], Any] = {}


def _rules(paths: tuple[str, ...]) -> Any:
    from .load import load_rules

    if paths not in _RULES:
        _RULES[paths] = load_rules(list(paths) or None)
    return _RULES[paths]


_REUSE: dict[tuple[str, ...], Any] = {}  # rule paths -> pipeline.Reuse, one per process


def run_job(job: Job, options: Options) -> Result:
    """Evaluate one scenario; the user's mistakes become an error result, never an exception."""
    if job.text is None:
        return Result(job.name, None, job.error)
    from .pipeline import Reuse, analyse
    from .scenario import scenario_from_yaml
    from .yamlsource import load_yaml

    reuse = _REUSE.setdefault(options.rules, Reuse())
    try:
        doc = load_yaml(job.text, job.name)
        loaded = scenario_from_yaml(doc)
        doc.data = None  # validated into the scenario: only messages need the document now (its text)
        analysis = analyse(_rules(options.rules), loaded, as_of=options.as_of, assume=dict(options.assume),
                           reuse=reuse, explainable=options.explain)
    except TreatyError as err:
        return Result(job.name, None, report(err))
    findings = analysis.document
    if options.explain:
        explainer = analysis.explainer()
        for c in findings["conclusions"]:
            c["explanation"] = explainer.why(c["id"]).model_dump(mode="json", by_alias=True)
    return Result(job.name, findings, None)


def _init_worker(rules: tuple[str, ...]) -> None:
    _rules(rules)  # load (or read from the cache) once per worker process


def run(jobs: Sequence[Job], options: Options, workers: int = 1, executor: str | None = None,
        progress: Callable[[Result], None] | None = None) -> Iterator[Result]:
    """Results in the order of ``jobs``."""
    if executor is not None:
        yield from _run_dask(jobs, options, executor, progress)
        return
    if workers <= 1 or len(jobs) <= 1:
        for job in jobs:
            result = run_job(job, options)
            if progress:
                progress(result)
            yield result
        return
    from concurrent.futures import ProcessPoolExecutor  # only for --jobs: start-up pays nothing otherwise

    with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker, initargs=(options.rules,)) as pool:
        chunk = max(1, len(jobs) // (workers * 8))
        for result in pool.map(run_job, jobs, [options] * len(jobs), chunksize=chunk):
            if progress:
                progress(result)
            yield result


def _run_dask(jobs: Sequence[Job], options: Options, executor: str, progress: Callable[[Result], None] | None
              ) -> Iterator[Result]:
    if not executor.startswith("dask://"):
        raise TreatyError([Diagnostic(None, f"--executor: `{executor}` is not a Dask address",
                                      "write dask://HOST:PORT (the scheduler of a Dask distributed cluster)")])
    try:
        from distributed import Client
    except ImportError:
        raise TreatyError([Diagnostic(None, "--executor dask:// needs Dask distributed",
                                      "install it with: pip install 'treaty-engine[dask]'")]) from None
    address = "tcp://" + executor.removeprefix("dask://")
    try:
        client = Client(address, timeout="10s")
    except (OSError, TimeoutError) as exc:
        raise TreatyError([Diagnostic(None, f"cannot reach the Dask scheduler at {address}: {exc}")]) from None
    try:
        futures = client.map(run_job, list(jobs), options=options, pure=False)
        for future in futures:
            result = future.result()
            if progress:
                progress(result)
            yield result
    finally:
        client.close()


def default_workers() -> int:
    return os.cpu_count() or 1
