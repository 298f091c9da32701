"""The rule cases (tests/rule_cases/: hypothetical facts, one file per instrument) together with the casebook
(scenarios/) exercise every rule of the shipped rule base, and their expectations hold."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from helpers import run

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("COLUMNS", "1000")  # each line whole


def test_the_casebook_and_the_rule_cases_exercise_every_rule():
    code, out, err = run("test", "scenarios/", "tests/rule_cases/", "--coverage", "--fail-under", "100")
    assert code == 0, out[-3000:] + err
    lines = out.splitlines()
    coverage = next(ln for ln in lines if re.match(r"\d+ of \d+ rules exercised", ln))
    exercised, total = map(int, re.match(r"(\d+) of (\d+)", coverage).groups())
    assert exercised == total and "(100.0%)" in coverage and "not exercised" not in coverage, coverage
    assert not any(ln.startswith(("FAIL", "ERROR")) for ln in lines)
    assert not any(ln.startswith("SKIP tests/rule_cases/") for ln in lines)  # no rule case is skipped
    assert re.fullmatch(r"\d+ passed, 0 failed(, \d+ skipped)?", lines[-1]), lines[-1]
    # every case of every project file is run, and passes (the casebook's disagreements with the sources,
    # if any, would be skipped variants, each saying why: issue 15)
    cases = [ln for ln in lines if ln.split(" ", 1)[0] in ("PASS", "SKIP", "FAIL", "ERROR")]
    for case in ("PASS scenarios/armenia-2022-cst.yaml::attack_denied", "PASS scenarios/kazakhstan-2022.yaml",
                 "PASS scenarios/kazakhstan-2022.yaml::immediately_means_the_same_day",
                 "PASS scenarios/nato-2001-article5.yaml::attack_outside_the_treaty_area",
                 "PASS scenarios/france-2015-teu-42-7.yaml::after_brexit"):
        assert case in cases
    assert sorted({ln.split()[1].split("::")[0] for ln in cases}) == sorted(
        [f"scenarios/{p.name}" for p in (ROOT / "scenarios").glob("*.yaml")]
        + [f"tests/rule_cases/{p.name}" for p in (ROOT / "tests" / "rule_cases").glob("*.yaml")])


def test_a_rule_case_concludes_what_the_manila_pact_requires():
    code, out, _ = run("check", "tests/rule_cases/seato.yaml", "--format", "json")
    assert code == 0
    found = {(c["basis"]["rule"], c["bearer"], c["beneficiary"], c["holds"], c["status"])
             for c in json.loads(out)["conclusions"] if c["kind"] == "obligation"}
    # An armed attack on Thailand in the treaty area: Pakistan (a Party in 1962) must act to meet the common
    # danger and has not; the United States is bound only under its Understanding (communist aggression).
    assert ("seato_iv_1_act", "pakistan", "thailand", "all", "pending") in found
    assert ("seato_understanding_act", "united_states", "thailand", "all", "pending") in found
    assert not any(rule == "seato_iv_1_act" and bearer in ("united_states", "thailand") and towards == "thailand"
                   for rule, bearer, towards, *_ in found)
