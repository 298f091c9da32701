"""One file of a batch: what a job is, how it is run (rules loaded once per process), and its result.

What :mod:`engine.tools.batch` runs in this process and :mod:`engine.tools.pool`'s workers run in theirs.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ..errors import Diagnostic, Span, TreatyError, as_errors, render_all, report


@dataclass(frozen=True)
class Job:
    name: str  # as given: a file, or FILE::VARIANT
    text: str | None  # None: the file could not be read (error holds why)
    error: str | None = None
    code: int = 0  # the exit code of that error
    variant: str | None = None  # a variant of the file's to evaluate instead of the file itself

    @property
    def file(self) -> str:
        from .variants import split_variant

        return split_variant(self.name)[0]




@dataclass(frozen=True)
class Options:
    rules: tuple[str, ...] = ()
    as_of: date | None = None
    assume: tuple[tuple[str, str], ...] = ()
    explain: bool = False
    interpret: tuple[tuple[str, str], ...] = ()
    strict: bool = False  # warnings are errors


@dataclass(frozen=True)
class Result:
    name: str
    data: dict | None  # the findings as JSON data (with explanations when asked), or None
    error: str | None  # the rendered diagnostics, when the scenario could not be evaluated
    code: int = 0  # the exit code this file alone would give (2 bad input, 3 a limit, 70 a bug)
    #: the findings as JSON (keys sorted), as a worker process sent them: decoded only when asked
    #: for (a batch's coordinator shares the cores with its workers; decoding every result cost it
    #: a quarter of a core)
    data_json: bytes | None = None
    #: the rendered warnings (what the scenario may not mean as written), for standard error
    warnings: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def findings(self) -> dict | None:
        if self.data is None and self.data_json is not None:
            import orjson

            object.__setattr__(self, "data", orjson.loads(self.data_json))
        return self.data

    def jsonl(self) -> str:
        """One line of JSON: keys sorted, no spaces, UTF-8 as is (written by orjson in C: the
        standard library's encoder took a tenth of the time of a small scenario's check)."""
        import orjson

        if self.ok and self.data is None and self.data_json is not None:  # passed through as it came
            return (b'{"file":' + orjson.dumps(self.name) + b',"findings":' + self.data_json + b',"ok":true}'
                    ).decode("utf-8")
        doc: dict[str, Any] = {"file": self.name, "ok": self.ok}
        if self.ok:
            doc["findings"] = self.findings
        else:
            doc["error"] = self.error
        return orjson.dumps(doc, option=orjson.OPT_SORT_KEYS).decode("utf-8")


#: How bad each exit code is: a batch exits with the worst code of its files.
_SEVERITY = {0: 0, 1: 1, 2: 2, 3: 3, 70: 4}


def worst(codes: Iterable[int]) -> int:
    """The exit code of a batch: the worst of its files' (70 > 3 > 2 > 1 > 0)."""
    return max(codes, key=lambda c: _SEVERITY.get(c, 4), default=0)


class Stopped(Exception):
    """The batch was stopped (time limit, Ctrl-C, SIGTERM) before every file was checked; the
    results it had were given first."""

    def __init__(self, signum: int, running: list[str], unfinished: int) -> None:
        super().__init__(signum, running, unfinished)
        self.signum = signum
        self.running = running
        self.unfinished = unfinished


def scenario_paths(paths: Iterable[str]) -> list[str]:
    """Files as given; directories expanded to their scenario files (sorted, recursively)."""
    from ..cases.scenario import scenarios_under

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
    from ..cases.scenario import read_scenario_text

    jobs = []
    from .variants import split_variant

    for p in paths:
        file, variant = split_variant(p)
        try:
            jobs.append(Job(p, read_scenario_text(Path(file)), variant=variant))
        except TreatyError as err:
            jobs.append(Job(p, None, report(err), int(err.exit_code), variant))
    return jobs


_RULES: dict[tuple[str, ...], Any] = {}


def _rules(paths: tuple[str, ...]) -> Any:
    from ..language.load import load_rules

    if paths not in _RULES:
        _RULES[paths] = load_rules(list(paths) or None)
    return _RULES[paths]


_REUSE: dict[tuple[str, ...], Any] = {}  # rule paths -> pipeline.Reuse, one per process


def run_job(job: Job, options: Options, contain: bool = True) -> Result:
    """Evaluate one scenario. Whatever goes wrong with it (the user's mistake, a limit, a bug of
    ours) becomes its own error result, never an exception: the files after it are still checked.

    Without ``contain`` (a single file) only the user's mistakes are a result: running out of
    memory and bugs reach the command, which says what was running then.
    """
    if job.text is None:
        return Result(job.name, None, job.error, job.code or 2)
    try:
        return _evaluate(job, options)
    except TreatyError as err:
        return Result(job.name, None, report(err), int(err.exit_code))
    except Exception as exc:
        if not contain:
            raise
        return _contained(job.name, exc)


def _contained(name: str, exc: Exception) -> Result:
    """The result of a file whose check raised something other than our error."""
    if isinstance(exc, MemoryError) or "bad_alloc" in str(exc):  # (clingo's way of running out of memory)
        return _memory_result(name)
    return _internal_result(name, exc)


def _evaluate(job: Job, options: Options) -> Result:
    from ..cases.scenario import scenario_from_yaml
    from ..cases.yamlsource import load_yaml
    from ..pipeline import Reuse, analyse

    assert job.text is not None
    reuse = _REUSE.setdefault(options.rules, Reuse())
    doc = load_yaml(job.text, job.file)
    loaded = scenario_from_yaml(doc)
    doc.data = None  # validated into the scenario: only messages need the document now (its text)
    assume = dict(options.assume)
    if job.variant is not None:
        from .variants import load_variant

        loaded, own = load_variant(loaded, job.variant)
        assume = {**own, **assume}  # --assume over the variant's own
    analysis = analyse(_rules(options.rules), loaded, as_of=options.as_of, assume=assume,
                       reuse=reuse, explainable=options.explain, interpret=dict(options.interpret))
    findings = analysis.document
    warned = analysis.facts.warnings
    if warned and options.strict:
        raise TreatyError(as_errors(warned), {loaded.file: loaded.doc.text})
    if options.explain:
        explained = analysis.explainer().why_all(c["id"] for c in findings["conclusions"])
        for c, e in zip(findings["conclusions"], explained, strict=True):
            c["explanation"] = e.model_dump(mode="json", by_alias=True)
    return Result(job.name, findings, None,
                  warnings=render_all(warned, {loaded.file: loaded.doc.text}) if warned else None)


def _memory_result(name: str) -> Result:
    from .. import limits

    _REUSE.clear()  # what was kept for reuse may be half-built, and is the memory to give back
    if limits.memory_bound_mb:
        message = f"{name}: error: the memory bound of {limits.memory_bound_mb} MB was reached while checking it"
        hint = "  hint: raise it with --max-memory MB (each worker of --jobs has that bound), or make it smaller"
    else:
        message, hint = f"{name}: error: out of memory while checking it", limits.OUT_OF_MEMORY_HINT
    return Result(name, None, f"{message}\n{hint}", 3)


def _internal_result(name: str, exc: BaseException) -> Result:
    text = f"{name}: internal error: {type(exc).__name__}: {exc}\n" \
           "  hint: this is a bug in treaty-engine; please report it with this file"
    if os.environ.get("TREATY_DEBUG"):
        import traceback

        text += "\n" + "".join(traceback.format_exception(exc)).rstrip("\n")
    else:
        text += " (TREATY_DEBUG=1 shows the traceback)"
    return Result(name, None, text, 70)


