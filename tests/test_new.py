"""`treaty new` writes a scenario skeleton that `treaty check` and `treaty test` accept as it stands,
and docs/tutorial.md ("Your first scenario") runs as written, its output as shown."""

from __future__ import annotations

import re
import shlex
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import run

from engine import Rules, analyse
from engine.outputs.skeleton import skeleton
from engine.tools.cli import treaty
from engine.tools.testing import Case, run_case

ROOT = Path(__file__).resolve().parent.parent
TUTORIAL = ROOT / "docs" / "tutorial.md"
DAY = date(2024, 3, 1)


def _passes(rules: Rules, path: Path) -> None:
    """`treaty check` would exit 0 (no error, no warning) and `treaty test` passes."""
    analysis = analyse(rules, path)
    assert not analysis.facts.warnings, analysis.facts.warnings
    outcome = run_case(Case(str(path), None), rules)
    assert (outcome.status, outcome.lines) == ("passed", [])


def test_the_skeleton_of_every_instrument_and_of_a_set_passes_check_and_test(rules: Rules, tmp_path: Path) -> None:
    sets = [[i] for i in sorted(rules.base.instruments)] + [["nato", "ANZUS"]]
    for names in sets:
        text = skeleton(rules, names, DAY)
        assert text == skeleton(rules, list(reversed(names)), DAY)  # deterministic, in any order
        path = tmp_path / f"{'-'.join(names).lower()}.yaml"
        path.write_text(text, encoding="utf-8")
        _passes(rules, path)
        assert f"# Written by `treaty new {' '.join(sorted(set(_ids(rules, names))))}` for:" in text
    text = skeleton(rules, ["anzus"], DAY, title="ANZUS: a case")
    for line in ('title: "ANZUS: a case"', "instruments: [anzus, un_charter]",
                 '#   - {event: "armed_attack(BY, AGAINST)", on: 2024-03-01, status: established, source: s1}',
                 '#   - {fact: "anzus_obligations_suspended(BY, TOWARDS)", status: established, source: s1}',
                 "#   anzus (3): australia, new_zealand, united_states",
                 "  un_security_council: {kind: body, name: \"UN Security Council\"}  # name: how reports name it",
                 "#   #   ABOUT: one of: armed_attack, measures, self_defence_measures"):
        assert line in text.splitlines(), line
    assert "nato_consultations_held" not in text  # read by NATO's rules, not ANZUS's


def _ids(rules: Rules, names: list[str]) -> list[str]:
    from engine.outputs.show import _instrument

    return [_instrument(rules, n) for n in names]


def test_new_writes_to_standard_output_or_a_new_file_and_its_output_passes(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = run("new", "csto", "UN", "--date", "2022-01-05", "--title", "A case")
    assert (code, err) == (0, "")
    assert run("new", "un_charter", "cst", "--date", "2022-01-05", "--title", "A case", "-o", "-")[1] == out
    assert run("new", "cst", "un", "--date", "2022-01-05", "--title", "A case", "-o", "case.yaml") == (0, "", "")
    assert Path("case.yaml").read_text(encoding="utf-8") == out
    assert run("check", "case.yaml", "--timeout", "0", "--max-memory", "0")[0] == 0
    assert run("test", "case.yaml") == (0, "PASS case.yaml\n1 passed, 0 failed\n", "")


def test_an_existing_file_is_never_overwritten(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("mine.yaml").write_text("title: my own case\n", encoding="utf-8")
    assert run("new", "nato", "-o", "mine.yaml") == (
        2, "", "mine.yaml: error: refusing to overwrite an existing file\n"
               "  hint: name a new file, or remove this one first\n1 error in 1 file\n")
    assert Path("mine.yaml").read_text(encoding="utf-8") == "title: my own case\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.yaml"]  # no temporary file left


def test_a_file_that_appears_while_the_skeleton_is_written_is_not_replaced(tmp_path: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from engine import files

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(files, "_before_rename", lambda: Path("case.yaml").write_text("theirs\n", encoding="utf-8"))
    assert run("new", "nato", "--date", "2024-03-01", "-o", "case.yaml") == (
        2, "", f"{tmp_path / 'case.yaml'}: error: refusing to overwrite a file that appeared while this one was "
               "written\n  hint: name a new file\n1 error in 1 file\n")
    assert Path("case.yaml").read_text(encoding="utf-8") == "theirs\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["case.yaml"]  # no temporary file left


def test_an_unknown_instrument_is_an_error_with_a_hint() -> None:
    assert run("new", "anzuss") == (
        2, "", "error: unknown instrument `anzuss`\n  hint: did you mean `anzus`?\n1 error\n")
    code, out, err = run("new", "nato", "nonesuch", "--date", "2001-09-14")
    assert (code, out) == (2, "")
    assert err.startswith("error: unknown instrument `nonesuch`\n  hint: loaded: anzus, arab_league_jdec, cst, ")
    assert run("new", "nato", "--date", "2001-02-30")[0] == 2


# ---- the tutorial -------------------------------------------------------------------------------
#
# In the section "Your first scenario", each fenced block preceded by a `<!-- tutorial: ... -->`
# line is a step, run in document order in an empty directory:
#   run [, exit N]            a ```console block: each `$ treaty ...` line is run, and what it prints
#                             must be the lines below it; the last command exits N (default 0), the
#                             others 0
#   write FILE                a ```yaml block: written as FILE
#   replace the expect: block of FILE   the block replaces FILE's lines from `expect:` on
#   excerpt of FILE           the block stands in FILE as it is, lines in a row
# `pytest --update-golden` rewrites the output shown in the console blocks.

STEP = re.compile(r"^<!-- tutorial: (?P<what>.*?) -->\n```(?P<lang>\w+)\n(?P<body>.*?)^```\n", re.S | re.M)


def _section(text: str) -> tuple[int, int]:
    start = text.index("## Your first scenario")
    end = text.find("\n## ", start + 1)
    return start, len(text) if end < 0 else end


def _commands(body: str) -> list[tuple[str, str]]:
    """(command, the output shown under it) for each `$ ` line of a console block."""
    out: list[tuple[str, str]] = []
    for line in body.splitlines(keepends=True):
        if line.startswith("$ "):
            out.append((line[2:].rstrip("\n"), ""))
        else:
            assert out, f"output before any command: {line!r}"
            out[-1] = (out[-1][0], out[-1][1] + line)
    return out


def _normal(text: str, where: Path) -> str:
    text = text.replace(f"{where}/", "").replace(str(where), ".")
    return "".join(line.rstrip() + "\n" for line in text.splitlines())


def _run_tutorial(where: Path) -> tuple[str, list[str]]:
    """Run the tutorial's steps in ``where``; the tutorial with the outputs as they are now, and
    what differs from the one written."""
    text = TUTORIAL.read_text(encoding="utf-8")
    start, end = _section(text)
    steps = list(STEP.finditer(text, start, end))
    assert len(steps) >= 8, "the tutorial's steps are not found"
    problems: list[str] = []
    pieces, last = [], 0
    runner = CliRunner()
    for step in steps:
        what, lang, body = step["what"], step["lang"], step["body"]
        if what.startswith("run"):
            assert lang == "console", what
            exit_code = int(what.split("exit", 1)[1]) if "exit" in what else 0
            shown = ""
            commands = _commands(body)
            for n, (command, output) in enumerate(commands):
                args = shlex.split(command)
                assert args[0] == "treaty", command
                result = runner.invoke(treaty, args[1:])
                actual = _normal(result.stdout + result.stderr, where)
                want = exit_code if n == len(commands) - 1 else 0
                if result.exit_code != want:
                    problems.append(f"`{command}` exited {result.exit_code}, not {want}:\n{actual}")
                if actual != output:
                    problems.append(f"`{command}` printed:\n{actual}\nnot, as the tutorial shows:\n{output}")
                shown += f"$ {command}\n{actual}"
            pieces += [text[last:step.start("body")], shown]
            last = step.end("body")
            continue
        assert lang == "yaml", what
        name = what.split()[-1]
        path = where / name
        if what.startswith("write "):
            path.write_text(body, encoding="utf-8")
        elif what.startswith("replace the expect: block of "):
            current = path.read_text(encoding="utf-8")
            path.write_text(current[:current.index("\nexpect:\n") + 1] + body, encoding="utf-8")
        elif what.startswith("excerpt of "):
            if body not in path.read_text(encoding="utf-8"):
                problems.append(f"{name} does not hold, as the tutorial shows:\n{body}")
        else:
            raise AssertionError(f"unknown tutorial step: {what}")
    return "".join(pieces) + text[last:], problems


def test_the_tutorial_runs_as_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, update_golden: bool) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "80")  # text output is wrapped to COLUMNS when it is set
    updated, problems = _run_tutorial(tmp_path)
    if update_golden:
        TUTORIAL.write_text(updated, encoding="utf-8")
        return
    assert problems == []
