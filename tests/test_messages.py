"""Every mistake in a scenario is said in the project's words, where it stands (issue 14, point 8).

No message of pydantic ("Input should be ...", "Field required") or of the YAML parsers ("mapping
values are not allowed here", "while scanning a simple key") reaches a user, whichever parser
(libyaml or PyYAML's own) read the file; every error is located ``file:line:col``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from helpers import run

from engine.cases.yamlsource import _syntax_error
from engine.errors import render

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = sorted((ROOT / "tests" / "golden" / "scenarios_bad").glob("*.yaml"))

#: Words of pydantic and of libyaml / PyYAML that must not reach a user.
FOREIGN = ("Input should be", "Field required", "Extra inputs are not permitted", "validation error", "pydantic",
           "Value error,", "[type=", "For further information", "datetime.date(", "function-before", "function-after",
           "String should", "Assertion failed",
           "mapping values are not allowed", "could not find expected", "did not find expected", "while parsing",
           "while scanning", "cannot start any token", "found a tab character", "found undefined", "<block end>",
           "<scalar>", "<stream end>", "<block mapping start>", "found unexpected", "expected a single document",
           "but found", "but got", "node content", "simple key", "plain scalar", "quoted scalar", "flow mapping",
           "flow sequence", "block collection", "block mapping", "control characters are not allowed",
           "special characters are not allowed", "unknown escape character", "duplicate anchor;",
           "second occurrence", "hexdecimal", "incompatible YAML document", "document indicator")

BASE = '''title: A small test case
as_of: 2022-01-20
sources:
  s1: {cite: "A test source"}
entities:
  gangs: {kind: group, name: Gangs}
events:
  - event: armed_attack(gangs, kazakhstan)
    on: 2022-01-05
    status: alleged
    source: s1
  - {event: "requested(kazakhstan, russia, assistance)", on: 2022-01-05, status: established, source: s1}
settings:
  immediately_days: 2
'''

#: (what is broken, the text it replaces, by what): each a scenario with one mistake.
BROKEN = [
    ("unknown escape", "title: A small test case", 'title: "A \\q case"'),
    ("bad hex escape", "title: A small test case", 'title: "A \\xZZ case"'),
    ("undefined alias", "title: A small test case", "title: *case"),
    ("duplicate anchor", "gangs: {kind: group, name: Gangs}", "gangs: {kind: &k group, name: &k Gangs}"),
    ("two documents", "settings:", "---\nsettings:"),
    ("text after a quoted value", "title: A small test case", 'title: "A small" test case'),
    ("list item in a mapping", "settings:\n  immediately_days: 2", "settings:\n  immediately_days: 2\n- x"),
    ("list item after a key", "title: A small test case", "title: - a"),
    ("empty anchor", "title: A small test case", "title: & x"),
    ("bad tag", "title: A small test case", "title: !<x"),
    ("directive", "title: A small test case", "%FOO bar\n---\ntitle: A small test case"),
    ("block scalar header", "title: A small test case", "title: |0\n  x"),
    ("document marker in quotes", "title: A small test case", 'title: "A small\n---\n case"'),
    ("closing bracket alone", "title: A small test case", "title: ]"),
    ("backtick", "title: A small test case", "title: `x`"),
    ("tab", "    status: alleged", "\tstatus: alleged"),
    ("unclosed list", "on: 2022-01-05\n    status: alleged", "on: [2022-01-05\n    status: alleged"),
    ("colon in a flow mapping", '{cite: "A test source"}', "{cite: A test: source}"),
    ("source not a mapping", 's1: {cite: "A test source"}', "s1: A test source"),
    ("settings not a mapping", "settings:\n  immediately_days: 2", "settings: 3"),
    ("event not a mapping", "  - event: armed_attack(gangs, kazakhstan)\n    on: 2022-01-05\n    status: alleged\n"
                            "    source: s1", "  - armed_attack(gangs, kazakhstan)"),
    ("dates as a mapping", "on: 2022-01-05\n    status: alleged", "on: {first: 2022-01-05}\n    status: alleged"),
    ("date with a time", "on: 2022-01-05\n    status: alleged", "on: 2022-01-05 10:00:00\n    status: alleged"),
    ("no year 0", "as_of: 2022-01-20", "as_of: 0000-01-20"),
    ("as_of empty", "as_of: 2022-01-20", "as_of:"),
    ("title a list", "title: A small test case", "title: [a, b]"),
    ("entity kind a number", "kind: group", "kind: 3"),
    ("expectation shape", "settings:", "expect:\n  - {kind: oblig, holds: maybe, due: soon, count: -1, "
                                      "status_depends_on: {pendin: [x]}, depends_on: [{foo: x}, {}]}\nsettings:"),
    ("variant shape", "settings:", "variants:\n  v: {assume: {x: maybe}, add_events: [{event: x}], as_of: soon}\n"
                                   "settings:"),
    ("expect_error shape", "settings:", "expect_error: {message: '', line: 0}\nsettings:"),
    ("unknown key in an entry", "    status: alleged", "    status: alleged\n    stauts: alleged"),
    ("fact key under events", "  - event: armed_attack(gangs, kazakhstan)",
     "  - fact: armed_attack(gangs, kazakhstan)"),
    ("a note cut at its comma", 'on: 2022-01-05, status: established, source: s1}',
     "on: 2022-01-05, status: established, source: s1, note: Tokayev said, we are attacked}"),
]


def _lines_are_ours(err: str, name: str) -> None:
    for phrase in FOREIGN:
        assert phrase not in err, (phrase, err)
    errors = [line for line in err.splitlines() if ": error: " in line]
    assert errors, err
    for line in errors:  # located: file:line:col (a file as a whole only when it is empty)
        assert re.match(rf"{re.escape(name)}:\d+:\d+: error: ", line) or line == f"{name}: error: the file is empty", \
            line


@pytest.mark.parametrize("path", GOLDEN, ids=[p.stem for p in GOLDEN])
def test_the_golden_mistakes_are_said_in_our_words_and_located(path: Path) -> None:
    # read from the golden file, which tests/test_golden.py proves is what `treaty check` says (exit 2,
    # nothing on standard output): running every case again here cost the suite 10 s
    name = str(path.relative_to(ROOT))
    _lines_are_ours(path.with_suffix(".expected").read_text(encoding="utf-8"), name)


@pytest.mark.parametrize(("what", "old", "new"), BROKEN, ids=[b[0] for b in BROKEN])
def test_more_mistakes_are_said_in_our_words_and_located(what: str, old: str, new: str, tmp_path: Path) -> None:
    assert old in BASE, what
    s = tmp_path / "s.yaml"
    s.write_text(BASE.replace(old, new, 1), encoding="utf-8")
    code, out, err = run("check", str(s))
    assert (code, out) == (2, ""), err
    _lines_are_ours(err, str(s))


def test_the_base_of_the_mistakes_is_valid(tmp_path: Path) -> None:
    s = tmp_path / "s.yaml"
    s.write_text(BASE, encoding="utf-8")
    code, _, err = run("check", str(s))
    assert (code, err) == (0, "")


YAML_MISTAKES = [
    'title: "A \\q case"', 'title: "A \\xZZ case"', "title: *case", 'title: "A small" test case', "title: - a",
    "title: & x", "title: !<x", "title: |0\n  x", 'title: "A small\n---\n case"', "title: ]", "title: `x`",
    "title: Article 4: x\n", "title: t\nas_of 2022-01-01\nsources: {}\n", "events:\n  - a\n  b: c\n",
    "a: {b: c: d}\n", "on: [2022-01-01, 2022-01-02\nstatus: x\n", "a: 1\n---\nb: 2\n", "a: &x 1\nb: &x 2\n",
    "%YAML 2.0\n---\na: 1\n", 'a: "x\n', "title: t\n\tas_of: 1\n", "- a: 1\n b: 2\n", "a: {b, c: d\n",
]


@pytest.mark.parametrize("text", YAML_MISTAKES)
@pytest.mark.parametrize("loader", ["libyaml", "pure"])
def test_either_parsers_words_become_ours(text: str, loader: str) -> None:
    """libyaml words its errors one way and PyYAML's pure-Python parser another: both are recognised."""
    chosen = getattr(yaml, "CSafeLoader", None) if loader == "libyaml" else yaml.SafeLoader
    if chosen is None:
        pytest.skip("libyaml is not installed")
    with pytest.raises(yaml.MarkedYAMLError) as caught:
        yaml.load(text, Loader=chosen)  # noqa: S506 - a safe loader
    said = render(_syntax_error(caught.value, text, "s.yaml"), {"s.yaml": text})
    for phrase in FOREIGN:
        assert phrase not in said, (phrase, said)
    assert re.match(r"s\.yaml:\d+:\d+: error: invalid YAML: ", said)
    assert "the text cannot be read here" not in said, said  # recognised, not the fallback


def test_a_bad_expect_error_under_treaty_test_is_said_in_our_words(tmp_path: Path) -> None:
    s = tmp_path / "s.yaml"
    s.write_text(BASE + "expect_error: {message: '', line: zero}\n", encoding="utf-8")
    code, out, err = run("test", str(s))
    assert code == 2
    for phrase in FOREIGN:
        assert phrase not in out + err
    assert f"{s}:15:25: error: expect_error.message: must not be empty" in out + err
    assert f"{s}:15:35: error: expect_error.line: expected a whole number, not `zero`" in out + err


def test_an_unknown_key_for_a_missing_one_is_one_error_with_a_did_you_mean(tmp_path: Path) -> None:
    s = tmp_path / "s.yaml"
    s.write_text(BASE.replace("  - {event: \"requested", "  - {when: 2022-01-05, event: \"requested").replace(
        "assistance)\", on: 2022-01-05, ", "assistance)\", "), encoding="utf-8")
    code, _, err = run("check", str(s))
    assert code == 2
    assert [line for line in err.splitlines() if "error" in line] == [
        f"{s}:12:6: error: events[1]: unknown key `when`", "1 error in 1 file"]
    assert "  hint: did you mean `on`?" in err.splitlines()


@pytest.mark.parametrize(("given", "hint"), [
    ("6 January 2022", "write `2022-01-06`: dates are written YYYY-MM-DD"),
    ("January 6th, 2022", "write `2022-01-06`: dates are written YYYY-MM-DD"),
    ("2022/01/06", "write `2022-01-06`: dates are written YYYY-MM-DD"),
    ("25/12/2021", "write `2021-12-25`: dates are written YYYY-MM-DD"),
    ("06/01/2022", "dates are written YYYY-MM-DD, e.g. 2022-01-06"),  # day first or month first: not guessed
    ("yesterday", "dates are written YYYY-MM-DD, e.g. 2022-01-06"),
])
def test_a_date_in_another_format_gets_a_hint_in_ours(given: str, hint: str) -> None:
    from engine.cases.shape_errors import date_hint

    assert date_hint(given, ("as_of",)) == hint
    assert date_hint(given, ("events", 0, "on")) == hint + ("; a list of dates, [YYYY-MM-DD, ...], only when "
                                                            "sources disagree on the date")
