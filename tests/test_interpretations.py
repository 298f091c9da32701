"""Interpretations (issue 13): contested questions of law as named positions that rules read and
readings take, shown beside contested facts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers import run

from engine import TreatyError, evaluate, load_rules

ROOT = Path(__file__).resolve().parent.parent

RULES = '''source s1 "ICJ, Nicaragua (Merits), I.C.J. Reports 1986, p. 14, para. 195"
source s2 "UN Security Council resolution 1368 (2001)"
instrument charter "Charter" in force 1945-10-24 source s1

input event armed_attack(by: entity, against: state) "an armed attack by the first against the second"
input event uses_force(by: state, against: state) "the first used force against the second"

interpretation non_state "Does the right cover an armed attack by a non-state group?"
  position state_only "Only an attack by a State engages it" source s1
  position includes_non_state "An attack by a non-state group engages it too" source s1, s2
  default DEFAULT

article 51 "Self-defence"
  text en authentic source s1 """Nothing shall impair the inherent right of self-defence."""

rule sd_state "Against a State":
  permission V use_force against A
  when armed_attack(A, V) on D, state(A), party(V, charter) on D
  from D.

rule sd_group "Against a group, on the broad reading":
  permission V use_force against A
  when armed_attack(A, V) on D, group(A), reading non_state is includes_non_state, party(V, charter) on D
  from D.

parties source s1
party kazakhstan joined 1992-03-02
party russia joined 1945-10-24
'''


def rules_file(tmp_path: Path, default: str = "open", replace: tuple[str, str] = ("", "")) -> Path:
    path = tmp_path / "t.rules"
    path.write_text(RULES.replace("DEFAULT", default).replace(*replace), encoding="utf-8")
    return path


def messages(path: Path) -> list[str]:
    with pytest.raises(TreatyError) as exc:
        load_rules([str(path)])
    return [f"{d.span.line}:{d.span.column}: {d.message}" + (f" ({d.hint})" if d.hint else "")
            for d in exc.value.diagnostics]


def test_an_interpretation_is_parsed_with_its_positions_sources_and_default(tmp_path: Path) -> None:
    rb = load_rules([str(rules_file(tmp_path, "state_only"))]).base
    interp = rb.interpretations["non_state"]
    assert interp.question == "Does the right cover an armed attack by a non-state group?"
    assert [(p.id, p.sources) for p in interp.positions] == [("state_only", ("s1",)),
                                                             ("includes_non_state", ("s1", "s2"))]
    assert interp.default == "state_only"
    assert load_rules([str(rules_file(tmp_path))]).base.interpretations["non_state"].default is None


def test_a_reading_condition_compiles_to_the_position_atom(tmp_path: Path) -> None:
    text = load_rules([str(rules_file(tmp_path))]).program.text
    line = next(x for x in text.splitlines() if x.startswith("te_concl(permission,sd_group,"))
    assert "te_position(non_state,includes_non_state)" in line


@pytest.mark.parametrize(("replace", "expected"), [
    (("reading non_state is includes_non_state", "reading non_stat is includes_non_state"),
     "23:51: unknown interpretation `non_stat` (did you mean `non_state`?)"),
    (("reading non_state is includes_non_state", "reading non_state is include_non_state"),
     "23:64: `include_non_state` is not a position of interpretation `non_state` "
     "(did you mean `includes_non_state`?)"),
    (("reading non_state is includes_non_state,", "reading non_state is includes_non_state, "
                                                   "reading non_state is state_only,"),
     "23:84: rule `sd_group` requires two positions of interpretation `non_state` (`includes_non_state` at "),
    (("source s1, s2", "source s1, s3"), "10:90: unknown source `s3`"),
    (('  position state_only "Only an attack by a State engages it" source s1\n', ""),
     "8:16: interpretation `non_state` has one position (a contested question has two positions or more"),
])
def test_mistakes_in_interpretations_are_located_errors(tmp_path: Path, replace: tuple[str, str],
                                                        expected: str) -> None:
    found = messages(rules_file(tmp_path, replace=replace))
    assert any(m.startswith(expected) for m in found), found


def test_a_default_must_be_a_position_or_open(tmp_path: Path) -> None:
    assert messages(rules_file(tmp_path, "state_onl")) == [
        "11:11: `state_onl` is not a position of `non_state` (did you mean `state_only`?)"]


def test_an_interpretation_no_rule_reads_is_an_error(tmp_path: Path) -> None:
    path = rules_file(tmp_path, replace=("reading non_state is includes_non_state, ", ""))
    assert messages(path) == ["8:16: no rule reads interpretation `non_state` (require a position in a rule: "
                              "`reading non_state is state_only`, or remove it)"]


SCENARIO = '''title: Attacks by a group and by a state
as_of: 2020-01-10
sources:
  s: {cite: "test"}
entities:
  gang: {kind: group, name: A gang}
  zstate: {kind: state, name: Z}
events:
  - {event: "armed_attack(gang, kazakhstan)", on: 2020-01-01, status: established, source: s}
  - {event: "armed_attack(zstate, russia)", on: 2020-01-02, status: alleged, source: s}
'''


def case(tmp_path: Path, default: str = "open", extra: str = "") -> tuple[Path, Path]:
    rules = rules_file(tmp_path, default)
    scenario = tmp_path / "case.yaml"
    scenario.write_text(SCENARIO + extra, encoding="utf-8")
    return rules, scenario


def test_an_open_interpretation_is_a_choice_and_conclusions_say_which_position_they_need(tmp_path: Path) -> None:
    rules, scenario = case(tmp_path)
    f = evaluate(load_rules([str(rules)]), str(scenario))
    assert f.readings == 4  # the alleged attack (2) times the two positions
    group = f.get("sd_group/kazakhstan/use_force/gang/2020-01-01")
    assert group.holds == "some"
    assert [(d.kind, d.id, d.position, d.accepted) for d in group.depends_on] == [
        ("interpretation", "non_state", "includes_non_state", True)]
    state = f.get("sd_state/russia/use_force/zstate/2020-01-02")  # a fact's dependence, no interpretation
    assert [(d.kind, d.id, d.accepted) for d in state.depends_on] == [("fact", "armed_attack(zstate, russia)", True)]
    [interp] = f.interpretations
    assert (interp.id, interp.position, interp.set_by, [p.id for p in interp.positions]) == (
        "non_state", None, "rules", ["state_only", "includes_non_state"])


@pytest.mark.parametrize(("position", "holds"), [("state_only", "none"), ("includes_non_state", "all")])
def test_a_position_taken_decides_the_conclusion(tmp_path: Path, position: str, holds: str) -> None:
    rules, scenario = case(tmp_path)
    rb = load_rules([str(rules)])
    by_option = evaluate(rb, str(scenario), interpret={"non_state": position})
    assert by_option.holds("permission", bearer="kazakhstan") == holds
    assert by_option.readings == 2 and by_option.interpretations[0].set_by == "option"
    _, in_file = case(tmp_path / "b" if (tmp_path / "b").mkdir() is None else tmp_path,
                      extra=f"interpretations: {{non_state: {position}}}\n")
    by_file = evaluate(rb, str(in_file))
    assert by_file.holds("permission", bearer="kazakhstan") == holds
    assert by_file.interpretations[0].set_by == "scenario"
    # the rules' own default decides when nothing else does
    default_rules, _ = case(tmp_path / "c" if (tmp_path / "c").mkdir() is None else tmp_path, default=position)
    assert evaluate(load_rules([str(default_rules)]), str(scenario)).holds("permission", bearer="kazakhstan") == holds


@pytest.fixture(autouse=True)
def _whole_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each line whole: the wrapping of text to the terminal is tests/test_width.py's."""
    monkeypatch.setenv("COLUMNS", "1000")


def test_the_outputs_say_the_position_a_conclusion_needs(tmp_path: Path) -> None:
    rules, scenario = case(tmp_path)
    code, out, err = run("check", str(scenario), "--rules", str(rules))
    assert code == 0, err
    assert "4 readings of 1 contested fact and 1 open interpretation" in out
    lines = out.splitlines()
    at = next(i for i, x in enumerate(lines) if x.startswith("  kazakhstan: use force → A gang"))  # no name: the id
    assert lines[at + 2] == "    holds only if reading non_state=includes_non_state is taken"
    assert "  non_state  open  (the rules' default)" in out
    code, out, err = run("explain", str(scenario), "sd_group/kazakhstan/use_force/gang/2020-01-01", "--rules",
                         str(rules))
    assert code == 0, err
    assert "It holds only in the readings where reading non_state=includes_non_state is taken." in out
    assert ("✓ on the reading non_state=includes_non_state: An attack by a non-state group engages it too "
            "(Does the right cover an armed attack by a non-state group? open: a reading takes one position)") in out


def test_unknown_interpretations_and_positions_are_located_errors(tmp_path: Path) -> None:
    rules, scenario = case(tmp_path, extra="interpretations: {non_stat: open}\n")
    code, out, err = run("check", str(scenario), "--rules", str(rules))
    assert (code, out) == (2, "")
    assert err.startswith(f"{scenario}:11:19: error: unknown interpretation `non_stat`\n")
    assert "hint: did you mean `non_state`?" in err
    rules, scenario = case(tmp_path)
    code, _, err = run("check", str(scenario), "--rules", str(rules), "--interpret", "non_state=state")
    assert code == 2
    assert err.splitlines()[:2] == ["error: --interpret: `state` is not a position of interpretation `non_state`",
                                    "  hint: did you mean `state_only`?"]
    code, _, err = run("check", str(scenario), "--rules", str(rules), "--interpret", "non_state")
    assert code == 2 and "write NAME=POSITION" in err


def test_treaty_interpretations_lists_questions_positions_sources_and_readers(tmp_path: Path) -> None:
    code, out, err = run("interpretations", "--rules", str(rules_file(tmp_path)))
    assert code == 0, err
    assert out.splitlines() == [
        "non_state: Does the right cover an armed attack by a non-state group?",
        f"  default: open  ({tmp_path / 't.rules'}:8)",
        "  state_only: Only an attack by a State engages it",
        "      source: ICJ, Nicaragua (Merits), I.C.J. Reports 1986, p. 14, para. 195",
        "  includes_non_state: An attack by a non-state group engages it too",
        "      source: ICJ, Nicaragua (Merits), I.C.J. Reports 1986, p. 14, para. 195",
        "      source: UN Security Council resolution 1368 (2001)",
        "      read by: sd_group"]


def test_expectations_match_a_position_needed(tmp_path: Path) -> None:
    rules, scenario = case(tmp_path, extra='''expect:
  - {kind: permission, bearer: kazakhstan, holds: some, depends_on: [{reading: "non_state=includes_non_state"}]}
variants:
  state_only:
    interpretations: {non_state: state_only}
    expect:
      - {kind: permission, bearer: kazakhstan, holds: none}
  wrong:
    expect:
      - {kind: permission, bearer: kazakhstan, depends_on: [{not_reading: "non_state=includes_non_state"}]}
''')
    code, out, err = run("test", str(scenario), "--rules", str(rules))
    assert code == 1, err
    lines = out.splitlines()
    assert lines[0].startswith("PASS") and lines[1].startswith("PASS ") and "state_only" in lines[1]
    assert lines[2].startswith("FAIL ") and "wrong" in lines[2]
    assert "reading non_state=includes_non_state is not taken" in out


def test_why_not_says_the_position_a_rule_needs_and_how_to_take_it(tmp_path: Path) -> None:
    rules, scenario = case(tmp_path)
    code, out, err = run("explain", str(scenario), "--rules", str(rules), "--interpret", "non_state=state_only",
                         "--why-not", "permission(kazakhstan, use_force, gang)")
    assert code == 0, err
    assert ("  ✗ fails: reading non_state=includes_non_state is not taken (the reading takes non_state=state_only; "
            "--interpret non_state=includes_non_state or non_state=open)") in out.splitlines()
    assert "missing: reading" not in out  # no fact a scenario could state makes it hold


def test_the_html_report_lists_the_interpretations_with_their_sources(tmp_path: Path) -> None:
    rules, scenario = case(tmp_path)
    target = tmp_path / "r.html"
    code, _, err = run("report", str(scenario), "--rules", str(rules), "-o", str(target))
    assert code == 0, err
    html = target.read_text(encoding="utf-8")
    assert '<h2 id="interpretations">Interpretations (contested questions of law)</h2>' in html
    assert ("<li><code>includes_non_state</code>: An attack by a non-state group engages it too <small>(ICJ, "
            "Nicaragua (Merits), I.C.J. Reports 1986, p. 14, para. 195; UN Security Council resolution 1368 "
            "(2001))</small></li>") in html
    assert "4 readings of 1 contested fact and 1 open interpretation" in html


def test_the_shipped_rule_base_declares_its_contested_law_with_sources_and_the_docs_list_it(rules) -> None:
    interps = rules.base.interpretations
    assert len(interps) >= 6
    for interp in interps.values():
        assert len(interp.positions) >= 2
        for p in interp.positions:
            assert p.sources and all(s in rules.base.sources for s in p.sources), (interp.id, p.id)
    table = (ROOT / "docs" / "interpretations.md").read_text(encoding="utf-8")
    for interp in interps.values():
        default = "open" if interp.default is None else f"`{interp.default}`"
        assert re.search(rf"^\| `{interp.id}` \| .* \| {re.escape(default)} \|$", table, re.M), interp.id


def test_kazakhstan_shows_the_consent_basis_and_both_kinds_of_dependence() -> None:
    code, out, err = run("check", str(ROOT / "scenarios" / "kazakhstan-2022.yaml"), "--ids")
    assert code == 0, err
    lines = out.splitlines()
    consent = [i for i, x in enumerate(lines) if "use_force_on_territory_of → kazakhstan" in x]
    assert len(consent) == 5 and all(lines[i + 1].endswith("holds in every reading") for i in consent)
    duty = lines.index("  russia: provide_assistance → kazakhstan · cst art. 4(2) [2010]")
    assert lines[duty + 2] == ("    holds only if armed_attack(foreign_trained_gangs, kazakhstan) on 2022-01-05 is "
                               "accepted and reading cst_aggression_non_state=any_armed_attack is taken")
    report = lines.index("  russia: report_measures → un_security_council · un_charter art. 51")
    assert lines[report + 1].endswith(" · overdue")  # the letters invoked Articles 2 and 4, not Article 51


def test_treaty_test_runs_a_files_expectations_under_another_position_of_the_law() -> None:
    scenario = str(ROOT / "scenarios" / "kazakhstan-2022.yaml")
    code, out, _ = run("test", scenario, "-k", "attack_established", "--interpret", "art51_non_state=state_only")
    # on the state-only reading the gangs' attack gives no Article 51 permission: the variant's expectation fails
    assert code == 1 and out.splitlines()[0] == f"FAIL {scenario}::attack_established"
    code, out, err = run("test", scenario, "--interpret", "art51=x")
    assert (code, out) == (2, "")
    assert err.startswith("error: --interpret: unknown interpretation `art51`\n")


def test_an_open_interpretation_read_only_by_rules_out_of_force_on_the_cases_days_is_not_in_play(
        tmp_path: Path) -> None:
    """A treaty in force from 2024 (as the Russia-DPRK Treaty) cannot matter in a case of 2020: its open
    question would double the case's readings for nothing, so it is not part of them (issue 15)."""
    rules, scenario = case(tmp_path)
    text = rules.read_text(encoding="utf-8")
    rules.write_text(text.replace("in force 1945-10-24", "in force 2024-12-04"), encoding="utf-8")
    f = evaluate(load_rules([str(rules)]), str(scenario))
    assert (f.readings, f.interpretations, f.conclusions) == (2, [], [])  # the alleged attack's two readings
    rules.write_text(text.replace("in force 1945-10-24", "in force 2019-12-04"), encoding="utf-8")
    f = evaluate(load_rules([str(rules)]), str(scenario))
    assert f.readings == 4 and [i.id for i in f.interpretations] == ["non_state"]
