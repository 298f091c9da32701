"""Fast JSON output is the very text the standard library would write."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from engine.jsonout import pretty
from engine.pipeline import analyse

ROOT = Path(__file__).resolve().parent.parent
#: every instrument family and the awkward shapes (several dates, ties, notices aside): the writer's property,
#: not a case's; every case of the casebook is run by tests/test_rule_cases.py
SCENARIOS = [ROOT / "scenarios" / f"{name}.yaml" for name in (
    "kazakhstan-2022", "falklands-1982", "czechoslovakia-1968", "kursk-2024", "iraq-syria-2014", "anzus-2001",
    "france-2015-teu-42-7", "korea-1950")]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_the_json_of_every_case(rules, scenario: Path, monkeypatch: pytest.MonkeyPatch):
    """One analysis per case of a sample (each check below once had its own): the fast JSON writer is the standard
    library's text; the document is what the typed findings dump; atoms decoded one by one or in small
    batches give the very same findings."""
    import re

    import engine.reasoning.findings as findings
    import engine.reasoning.printed as printed
    from engine.reasoning.findings import Findings

    analysis = analyse(rules, str(scenario))
    doc = analysis.document
    # the standard library's text, for the findings and the explanations (of a sample of conclusions:
    # every one of them made this the slowest test of the suite)
    explainer = analysis.explainer()
    typed = analysis.findings.model_dump(mode="json", by_alias=True)
    docs = [typed] + [explainer.why(c["id"]).model_dump(mode="json", by_alias=True)
                      for c in typed["conclusions"][::max(1, len(typed["conclusions"]) // 4)]]
    for d in docs:
        assert pretty(d) == json.dumps(d, indent=2, sort_keys=True, ensure_ascii=False)
    # JSON output is written from the document without typed objects; the two must never drift
    validated = Findings.model_validate(doc)  # the schema accepts it as it stands
    assert validated.model_dump(mode="json", by_alias=True) == doc
    assert Findings.from_document(doc) == validated
    assert analysis.findings == validated
    # the careful path (strings, nested terms) and batch edges must give the very same findings
    monkeypatch.setattr(printed, "_CHUNK", 7)
    assert findings.findings_document(analysis.facts, analysis.solution) == doc
    monkeypatch.setattr(printed, "_SIMPLE_ATOM", re.compile(r"(?!)(\w+)\(([^()]*)\)"))  # never matches
    assert findings.findings_document(analysis.facts, analysis.solution) == doc


def test_awkward_values_match_too():
    doc = {"b": [], "a": {}, "é": "日本語 \u2028 \"q\" \\ \n\t\x01", "n": [0, -1, 2**31 - 1, None, True, False, 0.5],
           "nested": [{"z": 1, "y": [{}]}]}
    assert pretty(doc) == json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False)


def test_letting_the_grounding_go_changes_no_finding_and_says_so_if_asked_why(rules):
    kz = str(ROOT / "scenarios" / "kazakhstan-2022.yaml")
    kept = analyse(rules, kz)
    let_go = analyse(rules, kz, explainable=False)
    assert let_go.solution.ctl is None and kept.solution.ctl is not None
    assert let_go.document == kept.document
    cid = kept.document["conclusions"][0]["id"]
    with pytest.raises(RuntimeError, match="let its grounding go"):
        let_go.explainer().why(cid)
