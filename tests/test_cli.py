"""The `treaty` command line: lint and compile, exit codes, and bad paths as messages."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from helpers import run

from engine.tools.cli import treaty

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def test_lint_of_the_rule_base_is_clean():
    assert run("lint", "rules/") == (
        0, "rules/: 14 files, 15 instruments, 45 articles, 149 rules, 329 party entries: no problems\n", "")


def test_every_rule_file_lints_clean_on_its_own():
    for path in sorted((ROOT / "rules").glob("*.rules")):
        code, out, err = run("lint", str(path.relative_to(ROOT)))
        assert (code, err) == (0, ""), path
        assert out.endswith(": no problems\n")


def test_lint_without_paths_reads_the_shipped_rule_base():
    code, out, _ = run("lint")
    assert code == 0 and out.startswith("default rule base: 14 files")


def test_compile_prints_the_program_with_article_comments():
    code, out, _ = run("compile", "rules/")
    assert code == 0
    assert "% rules/cst.rules:" in out and "cst article 4(2)" in out
    assert "% rules/un_charter.rules:" in out and "un_charter article 51" in out
    assert "#show te_concl/6." in out


def test_compile_output_is_deterministic():
    assert run("compile", "rules/") == run("compile", "rules/")


def test_missing_path_is_an_error_not_a_traceback():
    assert run("lint", "nope/") == (2, "", "nope/: error: no such file or directory\n1 error in 1 file\n")


def test_a_directory_without_rule_files_is_an_error(tmp_path):
    code, out, err = run("lint", str(tmp_path))
    assert code == 2
    assert err == f"{tmp_path}: error: no rule files (*.rules) in this directory\n1 error in 1 file\n"


def test_invalid_utf8_is_located(tmp_path):
    bad = tmp_path / "bad.rules"
    bad.write_bytes(b'source s "ok"\nsource t "caf\xe9"\n')
    code, _, err = run("lint", str(bad))
    assert code == 2
    assert err.splitlines()[0] == f"{bad}:2:14: error: invalid UTF-8 (byte 0xe9)"


def test_byte_order_mark_and_crlf_line_endings_are_accepted(tmp_path):
    text = (ROOT / "tests" / "golden" / "ok_base.rules").read_text(encoding="utf-8")
    path = tmp_path / "crlf.rules"
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    code, out, err = run("lint", str(path))
    assert (code, err) == (0, "")


def test_an_unknown_option_is_a_usage_error():
    code, _, err = run("lint", "--frobnicate")
    assert code == 2 and "No such option '--frobnicate'" in err


@pytest.mark.parametrize("command", ["lint", "compile", "check", "schema"])
def test_every_command_has_help_with_an_example(command):
    code, out, _ = run(command, "--help")
    assert code == 0 and ("Example:" in out or "Examples:" in out) and f"treaty {command}" in out


def test_every_command_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in treaty.commands:
        assert f"treaty {name}" in readme, name


def test_end_to_end_as_a_subprocess(tmp_path):
    ok = subprocess.run([sys.executable, "-m", "engine", "lint", "rules/"], capture_output=True, text=True, cwd=ROOT)
    assert ok.returncode == 0 and ok.stdout.endswith("no problems\n")
    bad = subprocess.run([sys.executable, "-m", "engine", "lint", "tests/golden/rules_bad/wrong_arity.rules"],
                         capture_output=True, text=True, cwd=ROOT)
    assert bad.returncode == 2
    assert bad.stderr == (ROOT / "tests/golden/rules_bad/wrong_arity.expected").read_text(encoding="utf-8")


def test_check_of_a_missing_scenario_is_an_error():
    assert run("check", "nope.yaml") == (2, "", "nope.yaml: error: no such file\n1 error in 1 file\n")


def test_check_rejects_a_bad_as_of_date_and_a_bad_assumption():
    code, _, err = run("check", "scenarios/kazakhstan-2022.yaml", "--as-of", "2022-02-30")
    assert code == 2 and "Invalid value for '--as-of': no such date: 2022-02-30 (write YYYY-MM-DD)" in err
    code, _, err = run("check", "scenarios/kazakhstan-2022.yaml", "--assume", "x=maybe")
    assert code == 2 and "`maybe` is not a status; use one of: established, alleged, disputed, denied" in err
    code, _, err = run("check", "scenarios/kazakhstan-2022.yaml", "--format", "yaml")
    assert code == 2 and "'yaml' is not one of 'text', 'json', 'markdown'" in err


def test_check_with_other_rules():
    code, out, err = run("check", "scenarios/kazakhstan-2022.yaml", "--rules", "rules/un_charter.rules",
                         "--format", "json")
    assert code == 2
    assert "unknown predicate `threat_to_security`" in err  # the CST vocabulary is not loaded
