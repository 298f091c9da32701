"""Interpretations (issue 13): contested questions of law as named positions that rules read and
readings take, shown beside contested facts."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine import TreatyError, load_rules

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
