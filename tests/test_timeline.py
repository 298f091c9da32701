"""The timeline picture (issue 16, point 3): `treaty timeline SCENARIO -o FILE.svg`, and in the HTML report."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from helpers import run

from engine.outputs.common import Names
from engine.outputs.timeline import timeline_svg
from engine.pipeline import analyse

ROOT = Path(__file__).resolve().parent.parent
KZ = str(ROOT / "scenarios" / "kazakhstan-2022.yaml")
SVG = "{http://www.w3.org/2000/svg}"


def groups(root: ET.Element, cls: str) -> list[ET.Element]:
    return [g for g in root.iter(f"{SVG}g") if cls in (g.get("class") or "").split()]


@pytest.fixture(scope="module")
def kazakhstan(rules):
    a = analyse(rules, KZ, explainable=False)
    return a, timeline_svg(a.facts, a.findings, Names.of(a.findings))


def test_every_conclusion_is_a_bar_coloured_by_how_firmly_it_holds(kazakhstan):
    a, svg = kazakhstan
    root = ET.fromstring(svg)
    bars = groups(root, "conclusion")
    assert [g.get("data-id") for g in bars] == [c.id for c in a.findings.conclusions]
    holds = {g.get("data-id"): "all" if "all" in g.get("class").split() else "some" for g in bars}
    assert holds == {c.id: c.holds for c in a.findings.conclusions}
    # the five CST Article 4(2) duties hold only in some readings: hatched, not solid
    some = [g for g in bars if g.get("data-id").startswith("cst_4_2_assist_2010/")]
    assert len(some) == 5 and all(g.find(f"{SVG}rect").get("fill") == "url(#some-readings)" for g in some)


def test_deadlines_and_what_became_of_them_are_marked(kazakhstan):
    a, svg = kazakhstan
    root = ET.fromstring(svg)
    by_id = {g.get("data-id"): g for g in groups(root, "conclusion")}
    for c in a.findings.conclusions:
        g = by_id[c.id]
        due = [ln for ln in g.iter(f"{SVG}line") if ln.get("class") == "due"]
        assert len(due) == (len(set(c.due.dates)) if c.due else 0), c.id
        marks = {t.get("class") for t in g.iter(f"{SVG}text") if (t.get("class") or "").startswith("mark")}
        assert ("mark overdue" in marks) == ("overdue" in c.statuses), c.id
        assert ("mark in-time" in marks) == ("discharged" in c.statuses), c.id
    overdue = [c for c in a.findings.conclusions if "overdue" in c.statuses]
    assert overdue and all(c.kind == "notification" for c in overdue)  # the late Art. 51 reports


def test_the_dated_events_are_drawn_and_the_contested_ones_marked(kazakhstan):
    a, svg = kazakhstan
    root = ET.fromstring(svg)
    events = groups(root, "event")
    assert len(events) == len([it for it in a.facts.items if it.dates])
    alleged = [g for g in events if "alleged" in g.get("class").split()]
    assert alleged and all(c.get("stroke-dasharray") for g in alleged for c in g.iter(f"{SVG}circle"))


def test_the_same_case_gives_the_same_bytes(rules, kazakhstan):
    a = analyse(rules, KZ, explainable=False)
    assert timeline_svg(a.facts, a.findings, Names.of(a.findings)) == kazakhstan[1]


def test_text_from_the_scenario_is_escaped_never_markup(tmp_path: Path):
    doc = {"title": "</text><script>alert(1)</script> & <b>", "as_of": "2022-01-20", "sources": {"s": {"cite": "x"}},
           "entities": {"gangs": {"kind": "group", "name": "<img src=x onerror=alert(1)>"}},
           "events": [{"event": "armed_attack(gangs, kazakhstan)", "on": "2022-01-05", "status": "alleged",
                       "source": "s"}]}
    s = tmp_path / "s.yaml"
    s.write_text(yaml.safe_dump(doc), encoding="utf-8")
    code, out, err = run("timeline", str(s), "-o", "-")
    assert (code, err) == (0, "")
    root = ET.fromstring(out)  # still one well-formed document
    assert root.find(f"{SVG}title").text == doc["title"]
    assert "<script" not in out and "<img" not in out and "&lt;script&gt;" in out


def test_the_command_writes_a_file_and_never_over_an_input(tmp_path: Path):
    target = tmp_path / "kz.svg"
    code, out, _ = run("timeline", KZ, "-o", str(target))
    assert code == 0 and out == f"wrote {target}: 42 conclusions on the timeline\n"
    assert ET.parse(target).getroot().tag == f"{SVG}svg"
    code, _, err = run("timeline", KZ, "-o", KZ)
    assert code == 2 and "refusing to overwrite an input file with the timeline" in err


def test_the_html_report_shows_the_timeline(tmp_path: Path):
    target = tmp_path / "kz.html"
    assert run("report", KZ, "-o", str(target))[0] == 0
    html = target.read_text(encoding="utf-8")
    assert '<h2 id="timeline">Timeline</h2>' in html and html.count("<svg ") == 1
