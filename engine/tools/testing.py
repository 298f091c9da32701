"""Running the expectations of scenario files: ``treaty test`` and the pytest plugin share this."""

from __future__ import annotations

import functools
import json
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import ValidationError

from ..cases.scenario import ExpectError, LoadedScenario, read_scenario_text, scenario_from_yaml, scenarios_under
from ..cases.shape_errors import shape_diagnostics
from ..cases.yamlsource import load_yaml
from ..errors import Diagnostic, Span, TreatyError, render_all
from ..language.load import Rules
from ..pipeline import Analysis, analyse
from .expect import check_expectation, describe
from .variants import apply_variant

if TYPE_CHECKING:
    from .coverage import CaseCoverage

RESULTS_SCHEMA = "treaty-engine/test-results/1"
Status = Literal["passed", "failed", "error", "skipped"]


@dataclass(frozen=True)
class Case:
    """One scenario file's own expectations, or one of its variants."""

    file: str
    variant: str | None

    @property
    def name(self) -> str:
        return f"{self.file}::{self.variant}" if self.variant else self.file


@dataclass
class Outcome:
    case: Case
    status: Status
    lines: list[str] = field(default_factory=list)
    seconds: float = 0.0
    code: int = 0  # for an error: the exit code it alone would give (2 bad input, 3 a limit, 70 a bug)
    #: the rules the case exercised (``run_case(..., coverage=True)`` on a case evaluated; None otherwise)
    coverage: CaseCoverage | None = None


def scenario_files(paths: Iterable[str | Path]) -> list[Path]:
    out: list[Path] = []
    problems = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            out += scenarios_under(path)
        elif path.is_file():
            out.append(path)
        else:
            problems.append(Diagnostic(Span(str(p), 0, 0), "no such file or directory"))
    if problems:
        raise TreatyError(problems)
    return out


def cases_of(path: Path) -> list[Case]:
    """The cases a file holds: its own expectations and each variant. None if it has no expectations.

    A file whose YAML cannot be read gives one case, which will report the error.
    """
    try:
        data = load_yaml(read_scenario_text(path), str(path)).data
    except TreatyError:
        return [Case(str(path), None)]
    if not isinstance(data, dict):
        return []
    cases = []
    if data.get("expect") or data.get("expect_error"):
        cases.append(Case(str(path), None))
    variants = data.get("variants")
    if isinstance(variants, dict):
        cases += [Case(str(path), str(name)) for name in variants]
    return cases


def collect(paths: Iterable[str | Path], keyword: str | None = None) -> list[Case]:
    cases = [c for f in scenario_files(paths) for c in cases_of(f)]
    if keyword:
        cases = [c for c in cases if keyword.lower() in c.name.lower()]
    return cases


def _error_matches(expected: ExpectError, diags: list[Diagnostic]) -> bool:
    return any(expected.message in d.message
               and (expected.line is None or (d.span is not None and d.span.line == expected.line))
               and (expected.column is None or (d.span is not None and d.span.column == expected.column))
               for d in diags)


def _expect_error(case: Case, expected: ExpectError, run: Callable[[], object]) -> Outcome:
    try:
        run()
    except TreatyError as err:
        if _error_matches(expected, err.diagnostics):
            return Outcome(case, "passed")
        return Outcome(case, "failed", [f'expected an error containing "{expected.message}"'
                                        + (f" at line {expected.line}" if expected.line else "") + ", got:"]
                       + ["  " + ln for ln in render_all(err.diagnostics, err.texts).splitlines()])
    return Outcome(case, "failed", [f'expected an error containing "{expected.message}", but the scenario was '
                                    "accepted"])


def run_case(case: Case, rules: Rules, interpret: dict[str, str] | None = None, coverage: bool = False) -> Outcome:
    """Run one case (``interpret``: positions taken over the file's own, a what-if of the law);
    never raises for the user's mistakes (they make an ``error`` outcome). With ``coverage``, a case
    evaluated also says which rules it exercised (:mod:`engine.tools.coverage`)."""
    start = time.perf_counter()
    try:
        outcome = _run(case, rules, interpret or {}, coverage)
    except TreatyError as err:  # raised where no step above catches it (e.g. while explaining)
        outcome = Outcome(case, "error", render_all(err.diagnostics, err.texts).splitlines(), code=err.exit_code)
    except Exception as exc:  # a limit or a bug: this case's own error; the other cases still run
        from .jobs import _contained

        result = _contained(case.file, exc)
        assert result.error is not None
        outcome = Outcome(case, "error", result.error.splitlines(), code=result.code)
    outcome.seconds = time.perf_counter() - start
    return outcome


def _run(case: Case, rules: Rules, interpret: dict[str, str], coverage: bool = False) -> Outcome:
    path = Path(case.file)
    try:
        doc = load_yaml(read_scenario_text(path), case.file)
    except TreatyError as err:
        return Outcome(case, "error", render_all(err.diagnostics, err.texts).splitlines(), code=err.exit_code)
    raw = doc.data if isinstance(doc.data, dict) else {}
    if case.variant is None and isinstance(raw.get("expect_error"), dict):
        try:
            expected = ExpectError.model_validate(raw["expect_error"])
        except ValidationError as exc:
            diags = shape_diagnostics(exc, doc, ExpectError, ("expect_error",))
            return Outcome(case, "error", render_all(diags, {doc.file: doc.text}).splitlines(), code=2)
        return _expect_error(case, expected, lambda: analyse(rules, scenario_from_yaml(doc), interpret=interpret))
    try:
        loaded = scenario_from_yaml(doc)
    except TreatyError as err:
        return Outcome(case, "error", render_all(err.diagnostics, err.texts).splitlines(), code=err.exit_code)
    sc = loaded.scenario
    assume: dict = {}
    assume_at: tuple | None = None
    if case.variant is not None:
        if case.variant not in sc.variants:  # pragma: no cover - collected from the same file
            return Outcome(case, "error", [f"{case.file}: no variant `{case.variant}`"])
        variant = sc.variants[case.variant]
        if variant.skip:
            return Outcome(case, "skipped", [variant.skip])
        try:
            loaded, assume, assume_at = apply_variant(loaded, case.variant)
        except TreatyError as err:
            return Outcome(case, "error", render_all(err.diagnostics, err.texts).splitlines(), code=err.exit_code)
        if variant.expect_error is not None:
            changed, statuses, where = loaded, assume, assume_at
            return _expect_error(case, variant.expect_error,
                                 lambda: _analyse(rules, changed, statuses, where, interpret))
    elif sc.skip:
        return Outcome(case, "skipped", [sc.skip])
    try:
        analysis = _analyse(rules, loaded, assume, assume_at, interpret)
    except TreatyError as err:
        return Outcome(case, "error", render_all(err.diagnostics, err.texts).splitlines(), code=err.exit_code)
    exercised = None
    if coverage:
        from .coverage import case_coverage

        exercised = case_coverage(analysis)
    outcome = _check(case, loaded, analysis)
    outcome.coverage = exercised
    return outcome


def _analyse(rules: Rules, loaded: LoadedScenario, assume: dict, assume_at: tuple | None,
             interpret: dict | None = None) -> Analysis:
    from ..cases.facts import scenario_to_facts
    from ..reasoning.findings import findings_document

    facts = scenario_to_facts(loaded, rules, assume=assume, assume_at=assume_at, interpret=interpret)
    solution = _reuse().groundings.solve(facts)  # variants that only change statuses share one grounding
    return Analysis(facts, solution, findings_document(facts, solution))


@functools.cache
def _reuse():  # -> pipeline.Reuse, one per process
    from ..pipeline import Reuse

    return Reuse()


def _check(case: Case, loaded: LoadedScenario, analysis: Analysis) -> Outcome:
    explainer = None

    def ex():  # the explainer, made only when an expectation asks for reasons or a why-not
        nonlocal explainer
        if explainer is None:
            explainer = analysis.explainer()
        return explainer

    from ..outputs.explanation import why_not_text

    lines: list[str] = []
    prefix = ("variants", case.variant) if case.variant else ()
    for i, e in enumerate(loaded.scenario.expect):
        problems = check_expectation(e, analysis.findings, lambda cid: ex().why(cid),
                                     lambda pattern: why_not_text(ex().why_not(pattern)))
        if problems:
            where = loaded.doc.span((*prefix, "expect", i))
            lines.append(f"{where}: expect[{i}]: {describe(e)}")
            lines += ["  " + p for p in problems]
    return Outcome(case, "failed" if lines else "passed", lines)


def summary_line(outcomes: list[Outcome]) -> str:
    passed = sum(o.status == "passed" for o in outcomes)
    failed = sum(o.status in ("failed", "error") for o in outcomes)
    skipped = sum(o.status == "skipped" for o in outcomes)
    return f"{passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else "")


def exit_code(outcomes: list[Outcome]) -> int:
    """The worst seen: a bug (70), a limit (3), a file that cannot be read (2), a failed expectation (1)."""
    from .jobs import worst

    return worst((o.code or 2) if o.status == "error" else 1 if o.status == "failed" else 0 for o in outcomes)


def results_json(outcomes: list[Outcome], coverage: dict | None = None) -> str:
    """The results as JSON; with ``coverage`` (:func:`engine.tools.coverage.coverage_data`), under the
    key ``coverage``."""
    doc: dict = {"schema": RESULTS_SCHEMA,
                 "cases": [{"name": o.case.name, "file": o.case.file, "variant": o.case.variant, "status": o.status,
                            "messages": o.lines} for o in outcomes],
                 "summary": {s: sum(o.status == s for o in outcomes) for s in ("passed", "failed", "error", "skipped")}}
    if coverage is not None:
        doc["coverage"] = coverage
    return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def junit_xml(outcomes: list[Outcome]) -> str:
    suite = ET.Element("testsuite", {
        "name": "treaty", "tests": str(len(outcomes)),
        "failures": str(sum(o.status == "failed" for o in outcomes)),
        "errors": str(sum(o.status == "error" for o in outcomes)),
        "skipped": str(sum(o.status == "skipped" for o in outcomes)),
        "time": f"{sum(o.seconds for o in outcomes):.3f}"})
    for o in outcomes:
        tc = ET.SubElement(suite, "testcase", {"classname": o.case.file, "name": o.case.variant or "scenario",
                                               "time": f"{o.seconds:.3f}"})
        text = "\n".join(o.lines)
        if o.status == "failed":
            ET.SubElement(tc, "failure", {"message": o.lines[0] if o.lines else "failed"}).text = text
        elif o.status == "error":
            ET.SubElement(tc, "error", {"message": o.lines[0] if o.lines else "error"}).text = text
        elif o.status == "skipped":
            ET.SubElement(tc, "skipped", {"message": text})
    root = ET.Element("testsuites")
    root.append(suite)
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
