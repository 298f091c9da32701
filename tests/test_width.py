"""Text output fits the terminal (issue 14, point 6): `COLUMNS`, else the terminal's width, else 80;
lines broken between words with hanging indents, never wider than the width (a word longer than
the whole line aside)."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
from helpers import run
from rich.text import Text

from engine.outputs import width as w

ROOT = Path(__file__).resolve().parent.parent
KZ = "scenarios/kazakhstan-2022.yaml"
RUSSIA = "cst_4_2_assist_2010/russia/provide_assistance/kazakhstan/2022-01-05"

#: Every command whose text output is for people, with arguments that make long lines.
COMMANDS = {
    "check": ("check", KZ),
    "check --ids": ("check", KZ, "--ids"),
    "explain": ("explain", KZ, RUSSIA),
    "why-not": ("explain", KZ, "--why-not", "obligation(uzbekistan, provide_assistance, kazakhstan)"),
    "show cst": ("show", "cst"),
    "show un_charter 51": ("show", "un_charter", "51"),
    "compare": ("compare", KZ, f"{KZ}::attack_denied", "scenarios/armenia-2022-cst.yaml"),
    "diff": ("diff", KZ, f"{KZ}::attack_denied"),
    "vocabulary": ("vocabulary",),
    "interpretations": ("interpretations",),
    "instruments": ("instruments",),
    "test": ("test", "failing.yaml"),
}


@pytest.fixture
def failing(tmp_path: Path) -> Path:
    """The Kazakhstan case with an expectation that fails: a long message for `treaty test`."""
    text = (ROOT / KZ).read_text(encoding="utf-8")
    path = tmp_path / "failing.yaml"
    path.write_text(text[:text.index("\nexpect:")] + "\nexpect:\n  - {kind: obligation, bearer: russia, action: "
                    "provide_assistance, holds: none}\n", encoding="utf-8")
    return path


def too_wide(text: str, columns: int) -> list[str]:
    """The lines wider than ``columns`` that are more than one word (after their indent)."""
    from rich.cells import cell_len

    return [line for line in text.splitlines() if cell_len(line) > columns and len(line.split()) > 1]


@pytest.mark.parametrize(("name", "columns"), [(name, 80) for name in COMMANDS]
                         + [(name, 100) for name in ("check", "explain", "why-not", "show cst", "test")])
def test_no_line_is_wider_than_columns(name: str, columns: int, monkeypatch: pytest.MonkeyPatch,
                                      failing: Path) -> None:
    monkeypatch.chdir(failing.parent if name == "test" else ROOT)  # (a case's name is one line, however long)
    monkeypatch.setenv("COLUMNS", str(columns))
    code, out, err = run(*COMMANDS[name])
    assert code == (1 if name == "test" else 0), err
    assert out.count("\n") > 3
    assert too_wide(out, columns) == []


def test_the_width_is_columns_else_the_terminal_else_80(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.setattr(sys, "stdout", io.StringIO())  # piped: the same on every machine
    assert w.output_width() == 80
    monkeypatch.setenv("COLUMNS", "132")
    assert w.output_width() == 132
    monkeypatch.setenv("COLUMNS", "12")
    assert w.output_width() == w.MIN_WIDTH
    monkeypatch.setenv("COLUMNS", "wide")
    assert w.output_width() == 80

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("COLUMNS")
    monkeypatch.setattr(sys, "stdout", Terminal())
    monkeypatch.setattr(w.shutil, "get_terminal_size", lambda fallback: __import__("os").terminal_size((111, 40)))
    assert w.output_width() == 111


def test_wrapping_breaks_between_words_with_a_hanging_indent_and_keeps_long_words_whole() -> None:
    text = ("holds only if armed_attack(foreign_trained_gangs, kazakhstan) on 2022-01-05 is accepted, see "
            "https://example.org/a/very/long/address/that/no/line/of/thirty/columns/can/hold and so on")
    lines = w.wrap(text, 30, indent=4, hanging=2)
    assert lines[0] == "    holds only if"
    assert all(line.startswith("      ") for line in lines[1:])
    assert " ".join(line.strip() for line in lines) == text  # no word broken, none lost
    assert [line.strip() for line in lines if len(line) > 30] == [  # alone on their lines, whole
        "armed_attack(foreign_trained_gangs,",
        "https://example.org/a/very/long/address/that/no/line/of/thirty/columns/can/hold"]
    styled = Text("plain ")
    styled.append("red words that wrap", style="red")
    first, second = w.hang(styled, 20, 2)
    assert (first.plain, second.plain) == ("  plain red words", "    that wrap")
    assert second.spans and second.spans[0].style == "red"


def test_a_diagnostic_keeps_its_source_line_whole_under_its_carets() -> None:
    lines = ["x.yaml:3:9: error: " + "word " * 30, "  " + "a" * 100, "           ^^^"]
    out = w.wrap_lines(lines, 80)
    assert out[-2:] == lines[-2:] and len(out) > 3


def test_treaty_test_keeps_each_case_on_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    deep = tmp_path / ("a_rather_long_directory_name_" * 3)
    deep.mkdir()
    scenario = deep / "kazakhstan.yaml"
    scenario.write_text((ROOT / KZ).read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setenv("COLUMNS", "80")
    code, out, err = run("test", str(scenario), "-k", "attack_denied")
    assert code == 0, err
    assert out.splitlines()[0] == f"PASS {scenario}::attack_denied"  # however long: `grep PASS` finds it


def test_the_kazakhstan_check_at_80_and_at_100_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    """Before (issue 14): one line per conclusion, 211 characters wide; now a block each."""
    monkeypatch.setenv("COLUMNS", "100")
    code, out, _ = run("check", KZ)
    lines = out.splitlines()
    at = lines.index("  Russian Federation: provide assistance → Kazakhstan · cst art. 4(2) [2010]")
    assert lines[at + 1:at + 4] == [
        "    from 2022-01-05 · due 2022-01-08 (immediately) · discharged 2022-01-06",
        "    holds only if armed_attack(foreign_trained_gangs, kazakhstan) on 2022-01-05 is accepted and",
        "      reading cst_aggression_non_state=any_armed_attack is taken"]
    consent = lines.index("  Russian Federation: use force on territory of → Kazakhstan · un_charter art. 2(4)")
    assert lines[consent + 1] == ("    from 2022-01-05 · until consent_ended · active · holds in every reading")
    monkeypatch.setenv("COLUMNS", "80")  # the article no longer fits the first line: it starts the second
    lines = run("check", KZ)[1].splitlines()
    consent = lines.index("  Russian Federation: use force on territory of → Kazakhstan")
    assert lines[consent + 1] == ("    un_charter art. 2(4) · from 2022-01-05 · until consent_ended · active")


def test_a_limited_child_writes_for_the_parents_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Commands run in a forked child whose standard output is a pipe: the width and the colours are
    those of the terminal the parent writes to."""
    from click.testing import CliRunner

    from engine.tools.cli import treaty

    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    parent = __import__("os").getpid()  # the parent writes to a terminal 97 columns wide; the child to a pipe
    monkeypatch.setattr(w, "_seen", lambda: (__import__("os").getpid() == parent, 97))
    result = CliRunner().invoke(treaty, ["check", KZ], color=True)  # (under the default limits: a child)
    assert result.exit_code == 0, result.stderr
    assert "\x1b[" in result.stdout  # coloured
    plain = __import__("re").sub(r"\x1b\[[0-9;]*m", "", result.stdout)
    assert 80 < max(len(line) for line in plain.splitlines()) <= 97
    assert w._terminal is None  # forgotten once the child is done
