"""Closed vocabularies (issue 14): the symbols rules compare or match are declared, and a scenario or
rule that uses an undeclared one is a located error with a hint, never a silently different answer."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import run

from engine import TreatyError, load_rules

RULES = '''source s1 "Source one"
instrument tr "Test" in force 2000-01-01 source s1

symbols area "an area a treaty names"
  symbol pacific_area "the Pacific Area"
  symbol europe "Europe"

input event armed_attack(by: entity, against: state) "an armed attack"
input event attack_location(against: state, area: area) "where the attack took place"

article 1 "One"
  text en authentic source s1 """One."""

rule r1 "attack in the Pacific":
  obligation M act to V
  when armed_attack(_, V) on D, attack_location(V, pacific_area) on D, party(M, tr) on D
  from D.

parties source s1
party kazakhstan joined 2000-01-01
party russia joined 2000-01-01
'''

SCENARIO = '''title: t
as_of: 2020-01-10
sources: {s: {cite: "x"}}
entities: {z: {kind: state, name: Z}}
events:
  - {event: "armed_attack(z, kazakhstan)", on: 2020-01-01, status: established, source: s}
  - {event: "attack_location(kazakhstan, AREA)", on: 2020-01-01, status: established, source: s}
'''


def files(tmp_path: Path, area: str = "pacific_area", rules: tuple[str, str] = ("", "")) -> tuple[Path, Path]:
    r, s = tmp_path / "t.rules", tmp_path / "s.yaml"
    r.write_text(RULES.replace(*rules), encoding="utf-8")
    s.write_text(SCENARIO.replace("AREA", area), encoding="utf-8")
    return r, s


def test_a_declared_symbol_is_accepted_and_the_rule_applies(tmp_path: Path) -> None:
    r, s = files(tmp_path)
    code, out, err = run("check", str(s), "--rules", str(r), "--format", "json")
    assert code == 0, err
    assert '"action": "act"' in out
    assert load_rules([str(r)]).base.symbol_kinds == {"area": {"pacific_area": "the Pacific Area",
                                                               "europe": "Europe"}}


def test_a_misspelt_symbol_in_a_scenario_is_a_located_error_not_a_different_answer(tmp_path: Path) -> None:
    r, s = files(tmp_path, "pacific_aera")
    code, out, err = run("check", str(s), "--rules", str(r))
    assert (code, out) == (2, "")
    assert err.splitlines()[0] == (f"{s}:7:42: error: `pacific_aera` is not a declared area (the area of "
                                   "`attack_location`)")
    assert "  hint: did you mean `pacific_area`?" in err.splitlines()
    r, s = files(tmp_path, "south_atlantic")  # an area no rule names
    code, _, err = run("check", str(s), "--rules", str(r))
    assert code == 2 and "hint: the rules declare: `europe`, `pacific_area`" in err


@pytest.mark.parametrize(("replace", "expected"), [
    (("attack_location(V, pacific_area)", "attack_location(V, pacifc_area)"),
     "16:52: `pacifc_area` is not a declared `area` (did you mean `pacific_area`?)"),
    (("area: area)", "area: aera)"), "9:51: unknown argument kind `aera` (did you mean `area`?)"),
    (('  symbol europe "Europe"', '  symbol europe "Europe"\n  symbol europe "Europe again"'),
     "7:10: duplicate symbol `europe` of `area`; first declared at"),
    (('symbols area "an area a treaty names"', 'symbols symbol "an area a treaty names"'),
     "4:9: `symbol` is a built-in kind"),
])
def test_mistakes_in_vocabularies_are_located_errors(tmp_path: Path, replace: tuple[str, str],
                                                     expected: str) -> None:
    r, _ = files(tmp_path, rules=replace)
    with pytest.raises(TreatyError) as exc:
        load_rules([str(r)])
    found = [f"{d.span.line}:{d.span.column}: {d.message}" + (f" ({d.hint})" if d.hint else "")
             for d in exc.value.diagnostics]
    assert any(m.startswith(expected) for m in found), found


ROOT = Path(__file__).resolve().parent.parent


def test_the_vocabulary_section_of_the_scenario_docs_is_what_treaty_vocabulary_writes() -> None:
    code, out, err = run("vocabulary", "--format", "markdown")
    assert code == 0, err
    docs = (ROOT / "docs" / "scenarios.md").read_text(encoding="utf-8")
    start = docs.index("tests/test_vocabulary.py fails if it differs -->\n") + len(
        "tests/test_vocabulary.py fails if it differs -->\n")
    assert docs[start:docs.index("<!-- end of the generated vocabulary -->")] == out


def test_treaty_vocabulary_lists_inputs_readers_symbols_and_known_entities() -> None:
    import json

    code, out, err = run("vocabulary", "--format", "json")
    assert code == 0, err
    v = json.loads(out)
    attack = next(p for p in v["inputs"] if p["name"] == "armed_attack")
    assert (attack["event"], [a["kind"] for a in attack["params"]]) == (True, ["entity", "state"])
    # read by the Charter directly and, through what the Charter's rules derive from it, by the treaties
    assert {"un_charter", "cst", "north_atlantic_treaty"} <= set(attack["read_by"])
    suspended = next(p for p in v["inputs"] if p["name"] == "anzus_obligations_suspended")
    assert (suspended["event"], suspended["read_by"]) == (False, ["anzus"])
    assert not any(p["name"] == "aggression_against_all" for p in v["inputs"])  # derived: not stated
    russia = next(e for e in v["entities"] if e["id"] == "russia")
    assert {"cst", "un_charter"} <= set(russia["parties_to"])
    code, text, _ = run("vocabulary")
    assert code == 0 and text.splitlines()[0].startswith("Inputs a scenario may state")


USA = '''title: ANZUS with a new name
as_of: 2001-09-20
sources: {s: {cite: "x"}}
entities:
  usa: {kind: state, name: United States}
  al_qaeda: {kind: group, name: al-Qaeda}
events:
  - {event: "armed_attack(al_qaeda, usa)", on: 2001-09-11, status: established, source: s}
'''


def test_a_known_state_by_its_iso_code_is_that_state(tmp_path: Path) -> None:
    s = tmp_path / "s.yaml"
    s.write_text(USA.replace("  usa: {kind: state, name: United States}\n", "").replace("usa)", "us)"),
                 encoding="utf-8")
    code, out, err = run("check", str(s), "--format", "json")
    assert (code, err) == (0, "")
    assert '"id": "un_51_individual/united_states/use_force/al_qaeda/2001-09-11"' in out  # printed as the rules' id


def test_a_new_state_named_like_a_known_one_is_a_warning_and_an_error_under_strict(tmp_path: Path) -> None:
    s = tmp_path / "s.yaml"
    s.write_text(USA, encoding="utf-8")
    code, _, err = run("check", str(s))
    assert code == 0
    assert err.splitlines()[0] == (f"{s}:5:3: warning: `usa` is declared as a new state, a party to no instrument "
                                   "of the rule base; the rule base knows United States as `united_states`")
    code, out, err = run("check", str(s), "--strict")
    assert (code, out) == (2, "")
    assert err.splitlines()[0].startswith(f"{s}:5:3: error: `usa` is declared as a new state")
    assert "  hint: write `united_states` (and drop this declaration) if it is that state" in err.splitlines()
    code, _, err = run("explain", str(s), "--strict")
    assert code == 2 and "error: `usa` is declared as a new state" in err


@pytest.mark.parametrize(("declared", "line"), [
    ("unted_states: {kind: state, name: Unted States}", "`unted_states` is declared"),
    ("united_state: {kind: state, name: United State}", "`united_state` is declared"),
    ("amerika: {kind: state, name: Untied States}", "`amerika` is declared"),  # by its name
])
def test_a_new_state_named_like_a_known_one_gets_a_did_you_mean(tmp_path: Path, declared: str, line: str) -> None:
    ident = declared.split(":")[0]
    s = tmp_path / "s.yaml"
    s.write_text(USA.replace("usa: {kind: state, name: United States}", declared).replace("usa)", f"{ident})"),
                 encoding="utf-8")
    code, _, err = run("check", str(s))
    assert code == 0
    assert err.splitlines()[:4] == [
        f"{s}:5:3: warning: {line} as a new state, a party to no instrument of the rule base",
        f"    {declared}", "    ^",
        "  hint: did you mean `united_states` (United States)? write `united_states` (and drop this declaration) if "
        "it is that state; `--strict` makes this an error"]
    code, out, err = run("check", str(s), "--strict")
    assert (code, out) == (2, "")
    assert err.splitlines()[0] == f"{s}:5:3: error: {line} as a new state, a party to no instrument of the rule base"
    assert "--strict" not in err


@pytest.mark.parametrize("declared", [
    "al_qaeda2: {kind: group, name: Unted States}",  # not a state
    "somaliland: {kind: state, name: Somaliland}",  # like `somalia`, but not a misspelling of it
    "republic_of_china: {kind: state, name: Republic of China}",
    "prussia: {kind: state, name: Prussia}",
    "united_states: {kind: state, name: Unted States}",  # the known state itself, party to its treaties
])
def test_no_warning_for_states_unlike_a_known_one_nor_for_what_is_not_a_state(tmp_path: Path, declared: str) -> None:
    s = tmp_path / "s.yaml"
    s.write_text(USA.replace("usa: {kind: state, name: United States}", declared).replace("usa)", "united_states)"),
                 encoding="utf-8")
    code, _, err = run("check", str(s), "--strict")
    assert (code, err) == (0, "")


@pytest.mark.parametrize(("named", "known"), [("usa", "united_states"), ("uk", "united_kingdom"),
                                              ("gb", "united_kingdom"), ("united_states_of_america", "united_states")])
def test_a_known_state_by_another_name_is_printed_as_the_rule_bases_id(tmp_path: Path, named: str,
                                                                     known: str) -> None:
    s = tmp_path / "s.yaml"
    s.write_text(USA.replace("  usa: {kind: state, name: United States}\n", "").replace("usa)", f"{named})"),
                 encoding="utf-8")
    code, out, err = run("check", str(s), "--format", "json")
    assert (code, err) == (0, "")
    assert f'"id": "un_51_individual/{known}/use_force/al_qaeda/2001-09-11"' in out
    assert f"/{named}/" not in out


def test_report_writes_to_standard_output_with_dash_and_in_markdown(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    scenario = str(ROOT / "tests" / "golden" / "ok_scenario.yaml")
    code, out, err = run("report", scenario, "-o", "-")
    assert code == 0, err
    assert out.startswith("<!DOCTYPE html>") and not (tmp_path / "-").exists()  # no file named `-`
    code, out, err = run("report", scenario, "-o", "-", "--format", "markdown")
    assert code == 0, err
    assert out.startswith("# A small test case\n") and "## Why each conclusion holds" in out
    assert ("\n### cst_4_2_assist_2010/russia/provide_assistance/kazakhstan/2022-01-05\n\nRussia had to provide "
            "assistance to Kazakhstan from 5 January 2022") in out
    assert "\n\n```text\nWhy: Russia must provide assistance (Kazakhstan)" in out


def test_the_scenario_schema_knows_the_vocabulary_and_the_shipped_scenarios_fit_it(tmp_path: Path) -> None:
    import json

    import jsonschema

    from engine.cases.yamlsource import load_yaml

    target = tmp_path / "scenario.schema.json"
    code, out, err = run("schema", "scenario", "-o", str(target))
    assert (code, out, err) == (0, "", "")
    schema = json.loads(target.read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert "pacific_area" in schema["$defs"]["Vocabulary"]["properties"]["area"]["enum"]
    validator = jsonschema.Draft202012Validator(schema)
    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        doc = _as_editor(load_yaml(path.read_text(encoding="utf-8"), path.name).data)
        assert not list(validator.iter_errors(doc)), path.name
    golden = ROOT / "tests" / "golden" / "ok_scenario.yaml"
    bad = _as_editor(load_yaml(golden.read_text(encoding="utf-8"), golden.name).data)
    bad["events"][0]["event"] = "armed_atack(gangs, kazakhstan)"  # a misspelt predicate
    assert [e.validator for e in validator.iter_errors(bad)] == ["pattern"]


def _as_editor(data):  # an editor's YAML 1.2 reads 2022-01-05 as a string
    import datetime

    if isinstance(data, dict):
        return {k: _as_editor(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_as_editor(v) for v in data]
    return data.isoformat() if isinstance(data, datetime.date) else data


def test_scenario_messages_are_in_the_projects_words_not_pydantics(tmp_path: Path) -> None:
    s = tmp_path / "s.yaml"
    s.write_text('title: ""\nas_of: 2020-01-01\nsources: {s: {cite: "x"}}\nsettings: {immediately_days: -3}\n'
                 "description: [1]\n", encoding="utf-8")
    code, out, err = run("check", str(s))
    assert (code, out) == (2, "")
    said = [line for line in err.splitlines() if ": error: " in line]
    assert said == [f"{s}:1:8: error: title: must not be empty",
                    f"{s}:4:30: error: settings.immediately_days: must be at least 0, not `-3`",
                    f"{s}:5:14: error: description: expected text, not `[1]`"]
    assert "Input should" not in err


LEFT_OUT = '''title: SEATO consultations, Charter only
as_of: 1962-06-30
instruments: [un_charter]
sources: {s: {cite: "x"}}
events:
  - {event: "seato_consultations_held(thailand)", on: 1962-05-16, status: established, source: s}
  - {event: "seato_consultations_held(laos)", on: 1962-05-17, status: established, source: s}
'''


def test_a_fact_only_instruments_left_out_read_is_a_warning(tmp_path: Path) -> None:
    """Issue 15: a case that applies only some instruments (`instruments:`) and states a fact only the
    others read would change nothing, silently; it is said, once per predicate, at its first fact."""
    s = tmp_path / "s.yaml"
    s.write_text(LEFT_OUT, encoding="utf-8")
    code, _, err = run("check", str(s))
    assert code == 0
    assert [line for line in err.splitlines() if "warning" in line] == [
        f"{s}:6:5: warning: `seato_consultations_held` is read only by `manila_pact`, which this case does not "
        "apply (`instruments:`): the fact changes nothing"]
    assert "  hint: add `manila_pact` to `instruments:`, or drop the fact" in err.splitlines()
    s.write_text(LEFT_OUT.replace("[un_charter]", "[un_charter, manila_pact]"), encoding="utf-8")
    assert run("check", str(s))[2] == ""


TURKEY = '''title: Turkey by its former name
as_of: 2016-12-31
sources: {s: {cite: "x"}}
entities:
  isil: {kind: group, name: ISIL}
events:
  - {event: "armed_attack(isil, turkey)", on: 2016-01-12, status: established, source: s}
'''


def test_a_state_by_a_former_name_its_party_line_gives_is_that_state(tmp_path: Path) -> None:
    """Issue 15: ISO's list knows Türkiye only by its current name, so `turkey` (the Treaty's and the
    Charter's name for it until 2022) was a new state, a party to nothing: a Member attacked got the
    customary right of a non-Member, with no word said. Party lines now give other names (`also`)."""
    s = tmp_path / "s.yaml"
    s.write_text(TURKEY, encoding="utf-8")
    code, out, err = run("check", str(s), "--format", "json")
    assert (code, err) == (0, "")
    assert '"id": "un_51_individual/turkiye/use_force/isil/2016-01-12"' in out
    s.write_text(TURKEY.replace("  isil: {kind: group, name: ISIL}\n",
                                "  isil: {kind: group, name: ISIL}\n  turkey: {kind: state, name: Turkey}\n"),
                 encoding="utf-8")
    code, _, err = run("check", str(s))
    assert code == 0 and err.splitlines()[0] == (
        f"{s}:6:3: warning: `turkey` is declared as a new state, a party to no instrument of the rule base; the rule "
        "base knows Türkiye as `turkiye`")
