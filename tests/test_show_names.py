"""`treaty show` takes instruments in any case and by alias, and articles in Arabic or Roman numerals
(issue 14, point 7)."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import run


@pytest.mark.parametrize(("args", "heading"), [
    (("anzus", "4"), "Article IV "), (("ANZUS", "iv"), "Article IV "), (("cst", "IV"), "Article 4"),
    (("Un_Charter", "51"), "Article 51 "),
])
def test_instruments_in_any_case_and_articles_in_either_numbering(args: tuple[str, str], heading: str) -> None:
    code, out, err = run("show", *args)
    assert code == 0, err
    assert any(line.startswith(heading) for line in out.splitlines()), out[:400]


def test_an_alias_declared_in_the_rule_file_names_the_instrument(tmp_path: Path) -> None:
    rules = tmp_path / "t.rules"
    rules.write_text('''source s1 "Source one"
instrument north_atlantic_treaty "The North Atlantic Treaty" in force 1949-08-24 source s1 alias nato, nat
article 5 "Collective defence"
  text en authentic source s1 """An armed attack against one or more of them ..."""
''', encoding="utf-8")
    code, out, err = run("show", "NATO", "5", "--rules", str(rules))
    assert code == 0, err
    assert out.splitlines()[0] == "The North Atlantic Treaty (north_atlantic_treaty)"
    rules.write_text(rules.read_text(encoding="utf-8") + 'instrument nat "Another" in force 1950-01-01 source s1\n',
                     encoding="utf-8")
    code, _, err = run("lint", str(rules))
    assert code == 2 and "alias `nat` of `north_atlantic_treaty` already names `nat`" in err


@pytest.mark.parametrize(("alias", "instrument"), [("nato", "north_atlantic_treaty"), ("CSTO", "cst"),
                                                   ("rio", "rio_treaty"), ("charter", "un_charter")])
def test_the_shipped_instruments_answer_to_their_common_names(alias: str, instrument: str) -> None:
    code, out, err = run("show", alias)
    assert code == 0, err
    assert out.splitlines()[0].endswith(f"({instrument})")


def test_shell_completion_offers_instruments_with_aliases_and_their_articles() -> None:
    import os
    import subprocess
    import sys

    def complete(words: str) -> list[str]:
        env = {**os.environ, "COMP_WORDS": words, "COMP_CWORD": str(len(words.split(" ")) - 1),
               "_TREATY_COMPLETE": "bash_complete"}
        out = subprocess.run([sys.executable, "-m", "engine"], env=env, capture_output=True, text=True,
                             cwd=Path(__file__).resolve().parent.parent).stdout
        return [line.split(",", 1)[1] for line in out.splitlines()]

    assert complete("treaty show na") == ["nato"]
    assert complete("treaty show anzus ") == ["IV", "V"]


def test_a_misspelt_alias_gets_a_did_you_mean() -> None:
    assert run("show", "natoo") == (2, "", "error: unknown instrument `natoo`\n  hint: did you mean `nato`?\n1 error\n")


def test_show_lists_the_parties_and_marks_the_dates_not_confirmed() -> None:
    """`treaty show INSTRUMENT` names every party with its dates; a date its note says is only the
    earliest possible (the Rio denunciations) is marked there, with the note (issue 15)."""
    code, out, _ = run("show", "rio")
    assert code == 0
    lines = out.splitlines()
    assert "  Brazil (brazil): joined 1948-12-03" in lines
    [bolivia] = [i for i, line in enumerate(lines) if line.startswith("  Bolivia (bolivia):")]
    assert lines[bolivia] == "  Bolivia (bolivia): joined 1950-09-26, left 2014-06-05 — a date not confirmed:"
    assert "date of effect not confirmed" in " ".join(lines[bolivia + 1:bolivia + 5])
    assert "Parties:" not in run("show", "rio", "3")[1]  # an article alone: its text and rules
    assert "signed 1955-05-14 · in force 1955-06-05 to 1991-07-01 ·" in run("show", "warsaw")[1]  # and its end
