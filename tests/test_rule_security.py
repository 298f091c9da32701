"""Rule files are inert (issue 11, point 1): nothing in a rule file becomes ASP text except what the
compiler makes from the parsed rules; includes stay inside the rule base; no message shows the text
of a file that is not a rule file; a rule base clingo rejects fails `treaty lint` with a located error.
"""

from __future__ import annotations

import os
from pathlib import Path

import clingo
import clingo.ast
import pytest
from helpers import run

from engine import Rules, TreatyError, load_rules

ROOT = Path(__file__).resolve().parent.parent
BASE = (ROOT / "tests" / "golden" / "ok_base.rules").read_text(encoding="utf-8")
SECRET = "secret_payload_42"  # the payload file's content: a valid ASP fact, so an injection would pass silently


def program_statements(text: str) -> list[clingo.ast.AST]:
    """The statements clingo reads from a compiled program (following any #include, to catch one)."""
    out: list[clingo.ast.AST] = []
    clingo.ast.parse_string(text, out.append)
    return out


def assert_inert(program: str) -> None:
    """Only the compiler's own kinds of statement, all from the program text itself."""
    statements = program_statements(program)
    allowed = {clingo.ast.ASTType.Rule, clingo.ast.ASTType.Defined, clingo.ast.ASTType.External,
               clingo.ast.ASTType.ShowSignature, clingo.ast.ASTType.Comment}
    assert statements[0].ast_type == clingo.ast.ASTType.Program  # the implicit `#program base.`
    for s in statements[1:]:
        assert s.ast_type in allowed, str(s)
        assert s.location.begin.filename == "<string>", str(s)
    assert SECRET not in program
    for line in program.split("\n"):  # a comment is one line: no line break of any kind inside it
        if line.startswith("%"):
            assert line.isprintable(), repr(line)


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "secret.lp").write_text(f"{SECRET}.\n", encoding="utf-8")
    return tmp_path


def _rules_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


PAYLOADS = {  # each would make clingo read the secret file (or run code) if it ended its comment
    "newline": 'x\n#include "{secret}".\n#script (python)\nopen("{marker}", "w").write("x")\n#end.\n%*\n*%\n%',
    # (a raw \r would be read as a line break, ending the string: file names test it)
    "other line breaks": 'x *% %*\u2028#include "{secret}".\u2029#program base.\x85#const y=1.\x0b\x0c*%',
}

#: Where a quoted string of the rule language can carry a payload (place -> how to put it in the base file).
PLACES = {
    "rule title": lambda s: BASE.replace('rule assist "Assist at request":', f"rule assist {s}:"),
    "rule title of a fact": lambda s: BASE.replace("rule all:", f"rule all {s}:"),
    "article heading": lambda s: BASE.replace('article 5 "Collective defence"', f"article 5 {s}"),
    "version": lambda s: BASE.replace('article 5 "Collective defence"', f'article 5 "Collective defence" version {s}'),
    "instrument title": lambda s: BASE.replace('instrument tr "Test Treaty"', f"instrument tr {s}"),
    "constraint title": lambda s: BASE + f"constraint c1 {s}: when asked(A, B) on D, asked(B, A) on D.\n",
    "string term": lambda s: BASE.replace("obligation M assist to V", f"obligation M assist({s}) to V"),
    "source citation": lambda s: BASE.replace('source s1 "A test source"', f"source s1 {s}"),
    "party name and note": lambda s: BASE.replace('party alpha "Alpha"', f"party alpha {s}").replace(
        'joined 2000-02-01\nparty beta', f"joined 2000-02-01 note {s}\nparty beta"),
    "predicate meaning": lambda s: BASE.replace('"a request for help"', s),
}


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
@pytest.mark.parametrize("place", PLACES.values(), ids=PLACES.keys())
def test_quoted_text_never_becomes_program_text(here: Path, place, payload: str) -> None:
    marker = here / "marker"
    text = place(_rules_string(payload.format(secret=here / "secret.lp", marker=marker)))
    (here / "t.rules").write_text(text, encoding="utf-8")
    code, out, err = run("lint", "t.rules")
    assert SECRET not in out + err and "secret.lp:" not in err
    assert code in (0, 2), err
    if code == 0:
        rules = load_rules("t.rules")
        assert_inert(rules.program.text)
        code, out, err = run("compile", "t.rules")
        assert code == 0 and out == rules.program.text
    assert not marker.exists()


NAMES = ['a\n#include "secret.lp".\n%.rules', 'b %* #include "secret.lp". *%.rules', 'c\r#include "secret.lp".\r.rules',
         'd\u2028#include "secret.lp".\u2029.rules', "e\"'%#program.rules"]


@pytest.mark.parametrize("name", NAMES, ids=range(len(NAMES)))
def test_a_rule_files_name_never_becomes_program_text(here: Path, name: str) -> None:
    (here / name).write_text(BASE + 'constraint c1 "c": when asked(A, B) on D, asked(B, A) on D.\n',
                             encoding="utf-8")
    rules = load_rules(name)
    assert_inert(rules.program.text)
    code, out, err = run("compile", name)
    assert code == 0 and SECRET not in out + err
    code, out, err = run("lint", str(here))  # the directory: the name comes from the directory listing
    assert code == 0 and SECRET not in out + err


def test_comments_show_control_characters_visibly(here: Path) -> None:
    (here / "t.rules").write_text(BASE.replace('rule assist "Assist at request":',
                                               'rule assist "one\\ntwo\u2028three\ttab":'), encoding="utf-8")
    text = load_rules("t.rules").program.text
    assert "-- rule assist: one\\ntwo\\u2028three\\ttab" in text


# ---- identifiers: only what clingo reads as a name ---------------------------------------------

KEYWORD_CASES = {
    "rule id": BASE.replace("rule all:", "rule not:"),
    "party": BASE.replace("party beta", "party not"),
    "predicate": BASE.replace("input event helped", "input event not").replace("helped(M, V)", "not(M, V)"),
    "compound": BASE.replace("obligation M assist to V", "obligation M not(V) to V"),
    "instrument": BASE.replace("instrument tr", "instrument not"),
    "source": BASE.replace("s1", "not"),
    "constraint": BASE + "constraint not: when asked(A, B) on D, asked(B, A) on D.\n",
}


@pytest.mark.parametrize("text", KEYWORD_CASES.values(), ids=KEYWORD_CASES.keys())
def test_the_keyword_not_is_refused_as_a_name_with_a_located_message(here: Path, text: str) -> None:
    (here / "t.rules").write_text(text, encoding="utf-8")
    code, out, err = run("lint", "t.rules")
    assert code == 2, out
    assert "clingo" not in err
    assert "t.rules:" in err and "`not` is a keyword" in err and "hint:" in err


def test_a_dated_fact_without_conditions_compiles(here: Path) -> None:
    """`rule seed: tick(alpha) on 2001-01-01.` (issue 11, point 10) compiled to `tick(alpha,730486)730486>=...`."""
    text = BASE.replace('derived event all_attacked', 'derived event tick(x: state) "t"\nderived event all_attacked')
    (here / "t.rules").write_text(text + "rule seed: tick(alpha) on 2001-01-01.\n", encoding="utf-8")
    code, out, err = run("lint", "t.rules")
    assert (code, err) == (0, "")
    rules = load_rules("t.rules")
    assert_inert(rules.program.text)
    ctl = clingo.Control(["--warn=none"])
    ctl.add("base", [], rules.program.text)
    ctl.ground([("base", [])])
    assert "tick(alpha,730486)" in {str(a.symbol) for a in ctl.symbolic_atoms}


def test_a_deontic_rule_without_conditions_or_dates_compiles(here: Path) -> None:
    text = BASE.replace(" in force 2000-02-01", "") + "rule plain: obligation alpha act to beta from 2001-01-01.\n"
    (here / "t.rules").write_text(text, encoding="utf-8")
    code, out, err = run("lint", "t.rules")
    assert (code, err) == (0, "")


def test_a_deadline_too_far_is_a_located_error(here: Path) -> None:
    (here / "t.rules").write_text(BASE.replace("due immediately", "due within 99999999999 days"), encoding="utf-8")
    code, out, err = run("lint", "t.rules")
    assert code == 2 and "t.rules:23:14:" in err and "too large" in err


def test_a_program_clingo_rejects_fails_lint_with_a_located_error(here: Path, monkeypatch: pytest.MonkeyPatch):
    """clingo may stop without logging a message: that is still a failure, never a clean lint."""
    (here / "t.rules").write_text(BASE, encoding="utf-8")
    from engine.language import compile as compiler

    real = compiler.clingo.Control

    class Failing(real):  # type: ignore[misc, valid-type]
        def ground(self, *args, **kwargs):  # noqa: ANN002, ANN003
            raise RuntimeError("<block>:14:1-20: error: something clingo did not like")

    monkeypatch.setattr(compiler.clingo, "Control", Failing)
    code, out, err = run("lint", "t.rules")
    assert code == 2 and "something clingo did not like" in err
    assert "t.rules:" in err


# ---- includes stay inside the rule base, and never echo another file -------------------------


def _main_including(target: str) -> str:
    return BASE.replace("# base:", f'include "{target}"\n# base:', 1)


def test_an_absolute_include_is_refused_without_showing_the_file(here: Path) -> None:
    elsewhere = here / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "x.rules").write_text("root:x:0:0:TOPSECRET:/root:/bin/bash\n", encoding="utf-8")
    (here / "base").mkdir()
    (here / "base" / "main.rules").write_text(_main_including(str(elsewhere / "x.rules")), encoding="utf-8")
    code, out, err = run("lint", "base/main.rules")
    assert code == 2 and "TOPSECRET" not in err
    assert err.startswith("base/main.rules:1:1: error:") and "outside" in err and "hint:" in err


def test_an_include_leaving_the_directory_is_refused_unless_named(here: Path) -> None:
    (here / "shared").mkdir()
    (here / "shared" / "inc.rules").write_text("# shared: nothing but a comment and a source\nsource s9 \"x\"\n",
                                                encoding="utf-8")
    (here / "base").mkdir()
    (here / "base" / "main.rules").write_text(_main_including("../shared/inc.rules"), encoding="utf-8")
    code, out, err = run("lint", "base/main.rules")
    assert code == 2 and "base/main.rules:1:1:" in err and "outside" in err
    assert run("lint", "base/main.rules", "shared/inc.rules")[0] == 0  # named by the user: allowed
    assert run("lint", "base/main.rules", "shared")[0] == 0  # in a directory the user named: allowed
    assert run("lint", ".")[0] == 0  # the whole tree named


def test_a_symlinked_include_is_judged_by_where_it_leads(here: Path) -> None:
    (here / "outside.rules").write_text("TOPSECRET line\n", encoding="utf-8")
    (here / "base").mkdir()
    os.symlink(here / "outside.rules", here / "base" / "inc.rules")
    (here / "base" / "main.rules").write_text(_main_including("inc.rules"), encoding="utf-8")
    code, out, err = run("lint", "base/main.rules")
    assert code == 2 and "TOPSECRET" not in err and "outside" in err


def test_an_include_of_a_file_that_is_not_a_rule_file_is_refused_unshown(here: Path) -> None:
    (here / "notes.txt").write_text("root:x:0:0:TOPSECRET:/root\n", encoding="utf-8")
    (here / "main.rules").write_text(_main_including("notes.txt"), encoding="utf-8")
    code, out, err = run("lint", "main.rules")
    assert code == 2 and "TOPSECRET" not in err and "root" not in err
    assert "main.rules:1:1:" in err and ".rules" in err


def test_a_named_file_that_is_not_a_rule_file_is_never_shown(here: Path) -> None:
    (here / "passwd").write_text("root:x:0:0:TOPSECRET:/root\n", encoding="utf-8")
    code, out, err = run("lint", "passwd")
    assert code == 2 and "TOPSECRET" not in err and "root" not in err
    assert "passwd:1:" in err


def test_rules_paths_name_every_file_read(here: Path) -> None:
    (here / "inc.rules").write_text('source s9 "x"\n', encoding="utf-8")
    (here / "main.rules").write_text(_main_including("inc.rules"), encoding="utf-8")
    for _ in range(2):  # compiled, then from the cache
        rules = load_rules("main.rules")
        assert isinstance(rules, Rules)
        assert rules.paths == (str((here / "main.rules").resolve()), str((here / "inc.rules").resolve()))
    assert rules.restricted(["tr"]).paths == rules.paths


def test_errors_of_included_rule_files_still_show_their_lines(here: Path) -> None:
    (here / "inc.rules").write_text('source s9 "x\n', encoding="utf-8")
    (here / "main.rules").write_text(_main_including("inc.rules"), encoding="utf-8")
    with pytest.raises(TreatyError) as err:
        load_rules("main.rules")
    assert 'source s9 "x' in str(err.value)


@pytest.mark.parametrize("text", [
    'p.\n#include "secret.lp".\n', "#script (python)\nimport os\n#end.\n", "#program step(t).\np.\n",
    "#const n=1.\n", "p. %* hidden *%\n", "p(@f(1)).\n", "&t{ p }.\n", "p. :~ q. [1]\n", "p.\n\u00e9.\n",
    "#heuristic p. [1,true]\n", "#theory t { }.\n", 'p("unterminated\n#include "x".\n',
], ids=range(12))
def test_the_compiled_program_is_checked_for_statements_the_compiler_never_writes(text: str) -> None:
    """The second wall (issue 11): should rule-file text ever reach the program, it is refused unread."""
    from engine.language.compile import check_inert

    with pytest.raises(AssertionError, match="not written by the compiler"):
        check_inert(text)
    check_inert(load_rules().program.text)  # the compiler's own program passes
