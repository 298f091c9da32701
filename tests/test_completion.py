"""Shell completion (issue 14, point 7): scenario arguments complete FILE::VARIANT, and `treaty explain
SCENARIO <TAB>` the ids of that scenario's conclusions; a mistake completes nothing, never an error."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.shell_completion import ShellComplete

from engine.tools.cli import treaty

ROOT = Path(__file__).resolve().parent.parent
KZ = "scenarios/kazakhstan-2022.yaml"
VARIANTS = ["any_notice_counts_as_report", "attack_denied", "attack_established", "immediately_means_the_same_day",
            "non_state_attacks_count", "protest_suppression_reading", "security_council_acts",
            "security_council_supersedes", "state_attacks_only"]


def complete(*words: str) -> list[tuple[str, str]]:
    """(value, type) of what ``treaty WORDS...`` completes, the last word being the one under the cursor."""
    *args, incomplete = words
    shell = ShellComplete(treaty, {}, "treaty", "_TREATY_COMPLETE")
    return [(item.value, item.type) for item in shell.get_completions(args, incomplete)]


@pytest.fixture(autouse=True)
def _at_the_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


@pytest.mark.parametrize("command", [("check",), ("explain",), ("report",), ("compare",), ("diff",),
                                     ("diff", KZ)])
def test_scenario_arguments_complete_the_variants_of_the_file_after_two_colons(command: tuple[str, ...]) -> None:
    assert complete(*command, f"{KZ}::") == [(f"{KZ}::{v}", "plain") for v in VARIANTS]
    assert complete(*command, f"{KZ}::attack_") == [(f"{KZ}::attack_denied", "plain"),
                                                     (f"{KZ}::attack_established", "plain")]
    assert complete(*command, "scenarios/kaz") == [("scenarios/kaz", "file")]  # the shell completes files


def test_a_file_that_cannot_be_read_completes_no_variant(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: [unclosed\n", encoding="utf-8")
    assert complete("check", f"{bad}::") == []
    assert complete("check", "missing.yaml::") == []


def test_explain_completes_the_conclusion_ids_of_the_scenario() -> None:
    ids = [value for value, _ in complete("explain", KZ, "")]
    assert len(ids) == 42 and "cst_4_2_assist_2010/russia/provide_assistance/kazakhstan/2022-01-05" in ids
    assert [v for v, _ in complete("explain", KZ, "cst_4_2_assist_2010/r")] == [
        "cst_4_2_assist_2010/russia/provide_assistance/kazakhstan/2022-01-05"]
    # a variant, and the command line's what-ifs, change what there is to explain
    assert not [v for v, _ in complete("explain", f"{KZ}::attack_denied", "") if "provide_assistance" in v]
    assert not [v for v, _ in complete("explain", KZ, "--assume",
                                       "armed_attack(foreign_trained_gangs, kazakhstan)=denied", "")
                if "provide_assistance" in v]
    # a second id after the first
    assert len(complete("explain", KZ, "cst_4_2_assist_2010/russia/provide_assistance/kazakhstan/2022-01-05",
                        "un_51_collective/")) == 5  # (Kazakhstan's own is un_51_individual)


def test_explain_completes_nothing_for_a_scenario_it_cannot_evaluate(tmp_path: Path) -> None:
    assert complete("explain", "missing.yaml", "") == []
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: x\nas_of: 2022-01-01\nsources: {}\nevents:\n  - {event: 'nope(a)', on: 2022-01-01}\n",
                   encoding="utf-8")
    assert complete("explain", str(bad), "") == []
    assert complete("explain", KZ, "--rules", str(bad), "") == []


def shell(words: str, kind: str = "bash_complete") -> list[str]:
    """What ``treaty`` answers a shell (``_TREATY_COMPLETE`` with ``COMP_WORDS`` and ``COMP_CWORD``, as
    bash and zsh ask), the last word being the one under the cursor."""
    from click.testing import CliRunner

    result = CliRunner().invoke(treaty, [], prog_name="treaty", env={
        "_TREATY_COMPLETE": kind, "COMP_WORDS": words, "COMP_CWORD": str(len(words.split()) - 1)})
    return result.output.splitlines()


def test_completion_through_the_shell_protocol() -> None:
    assert shell(f"treaty check {KZ}::attack_d") == [f"plain,{KZ}::attack_denied"]
    assert shell(f"treaty check {KZ}::attack_d", "zsh_complete") == ["plain", f"{KZ}::attack_denied", "_"]


def test_bash_which_cuts_words_at_colons_gets_the_piece_it_replaces() -> None:
    # bash splits `FILE::VARIANT` (and ids with a colon) into words at the colons (COMP_WORDBREAKS), and
    # replaces only the last piece
    assert shell(f"treaty check {KZ} :: attack_d") == ["plain,attack_denied"]
    assert shell(f"treaty explain {KZ} :: attack_d") == ["plain,attack_denied"]
    assert shell(f"treaty explain {KZ} :: attack_established cst_4_2_assist_2010/r") == [
        "plain,cst_4_2_assist_2010/russia/provide_assistance/kazakhstan/2022-01-05"]
    assert shell("treaty explain scenarios/nato-2001-article5.yaml nato_5_assist/germany/assist : act") == [
        "plain,action_it_deems_necessary/united_states/2001-09-11"]
