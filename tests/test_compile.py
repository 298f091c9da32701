"""The compiler: ASP text with article comments, a source map, and clingo's messages mapped back."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import clingo
import pytest

from engine import TreatyError, load_rules
from engine.language.compile import ClingoMessages

HEADER = '''source s "A source"
instrument t "Test" in force 2000-01-01 source s
article 1 "One"
  text en authentic source s """One."""
'''


def write(tmp_path: Path, body: str, name: str = "t.rules") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def test_each_rule_is_preceded_by_a_comment_naming_its_article_and_line(rules):
    text = rules.program.text
    lines = text.splitlines()
    i = next(n for n, line in enumerate(lines) if line.startswith("te_concl(obligation,cst_4_2_assist_2010,"))
    comment = lines[i - 1]
    assert comment.startswith("% ") and comment.endswith(
        'cst article 4(2) (version "2010") Assistance at the victim\'s request, immediately -- rule '
        "cst_4_2_assist_2010: At the victim's request the other States Parties immediately assist")
    path, line = comment[2:].split(" ", 1)[0].rsplit(":", 1)
    source_line = Path(path).read_text(encoding="utf-8").splitlines()[int(line) - 1]
    assert source_line.startswith("rule cst_4_2_assist_2010 ")


def test_versions_compile_to_day_number_bounds(rules):
    text = rules.program.text
    in_force_2010 = date(2012, 12, 19).toordinal()
    rule_1992 = next(ln for ln in text.splitlines() if ln.startswith("te_concl(obligation,cst_4_2_assist_1992,"))
    rule_2010 = next(ln for ln in text.splitlines() if ln.startswith("te_concl(obligation,cst_4_2_assist_2010,"))
    assert f"D<{in_force_2010}" in rule_1992
    assert f"D>={in_force_2010}" in rule_2010


def test_the_source_map_points_generated_text_back_to_the_rule_file(rules):
    lines = rules.program.text.splitlines()
    n = next(i for i, ln in enumerate(lines) if ln.startswith("te_concl(obligation,cst_4_2_assist_2010,")) + 1
    col = lines[n - 1].index("assistance_requested(") + 1
    span = rules.program.source_map.lookup(n, col)
    assert span is not None and span.file.endswith("cst.rules")
    src = Path(span.file).read_text(encoding="utf-8").splitlines()[span.line - 1]
    assert src[span.column - 1:].startswith("assistance_requested(V, M) on D")


def test_strings_from_rule_files_are_escaped_for_clingo(tmp_path):
    path = write(tmp_path, 'input p(x: text)\nderived q(x: text)\nrule r: q(X) when p(X), X != "a\\"). :- b(".\n')
    program = load_rules(path).program.text
    assert 'X!="a\\"). :- b("' in program


def test_operation_undefined_is_an_error_located_in_the_rule_file(tmp_path):
    path = write(tmp_path, "input event p(x: term)\nderived event q(x: term)\n"
                           "rule r: q(Y) on D when p(X) on D, Y = X + 1.\n")
    rules = load_rules(path)  # grounds cleanly on its own: no facts, no instances
    messages = ClingoMessages(rules.program)
    ctl = clingo.Control(logger=messages)
    ctl.add("base", [], rules.program.text)
    with ctl.backend() as b:
        atom = clingo.Function("p", [clingo.Function("abc"), clingo.Number(date(2001, 1, 1).toordinal())])
        b.add_rule([b.add_atom(atom)])
    ctl.ground([("base", [])])
    [diag] = messages.diagnostics
    assert (diag.span.file, diag.span.line, diag.span.column) == (str(path), 7, 39)
    assert diag.message == "clingo: operation undefined: (X+1)"


def test_every_problem_of_every_file_is_reported(tmp_path):
    a = write(tmp_path, "rule r: q(X) when p(X).\n", "a.rules")
    b = tmp_path / "b.rules"
    b.write_text('instrument x "X"\nparty y joined 2000-01-01\n', encoding="utf-8")
    with pytest.raises(TreatyError) as err:
        load_rules(tmp_path)
    got = [(d.span.file, d.span.line, d.span.column, d.message) for d in err.value.diagnostics]
    assert got == [(str(a), 5, 9, "unknown predicate `q`"), (str(a), 5, 19, "unknown predicate `p`"),
                   (str(b), 2, 1, "party `y` of `x` has no source")]


def test_syntax_errors_of_every_file_are_reported_before_stopping(tmp_path):
    (tmp_path / "a.rules").write_text("rule r q.\n", encoding="utf-8")
    (tmp_path / "b.rules").write_text("party y joined 2000-02-30\n", encoding="utf-8")
    with pytest.raises(TreatyError) as err:
        load_rules(tmp_path)
    got = [(Path(d.span.file).name, d.span.line, d.span.column, d.message) for d in err.value.diagnostics]
    assert got == [("a.rules", 1, 8, "unexpected `q` in rule `r`: expected `:` or a quoted string"),
                   ("b.rules", 1, 1, "party outside an instrument"),
                   ("b.rules", 1, 16, "no such date: `2000-02-30`")]
