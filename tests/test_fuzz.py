"""Property-based fuzzing: mutated and generated rule files and scenarios give a result or our error.

A short budget runs with the suite; a longer one is

    TREATY_FUZZ_EXAMPLES=2000 python -m pytest tests/test_fuzz.py -q

(the counts of the last long run are in the issue notes).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine import Rules, TreatyError, load_rules
from engine.language.compile import visible
from engine.language.load import parse_files
from engine.language.parse import parse_text
from engine.pipeline import evaluate

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = int(os.environ.get("TREATY_FUZZ_EXAMPLES", "25"))  # bounded in the suite; raise it for a long run
BOUND = 10.0  # seconds: every input must be answered within this
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))

CST = (ROOT / "rules" / "cst.rules").read_text(encoding="utf-8")
CHARTER = (ROOT / "rules" / "un_charter.rules").read_text(encoding="utf-8")
KZ = (ROOT / "scenarios" / "kazakhstan-2022.yaml").read_text(encoding="utf-8")
PIECES = ["(", ")", ",", ".", ":", '"', '"""', "#", "\n", " ", "_", "X", "=", "!=", "<=", "+", "-", "2022-02-30",
          "99999999999", "rule", "when", "not", "unless", "from", "due", "immediately", "obligation", "article",
          "party", "on", "in force", "\t", "\x00", "é", "{", "}", "[", "]", "&a", "*a", "!!python/object:os.system"]


@st.composite
def mutated(draw: st.DrawFn, text: str) -> str:
    """A real file with a few random edits: deletions, insertions of grammar pieces, duplicated lines."""
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(text)))
        j = min(len(text), i + draw(st.integers(0, 40)))
        kind = draw(st.sampled_from(["delete", "insert", "replace", "duplicate"]))
        piece = draw(st.one_of(st.sampled_from(PIECES), st.text(max_size=6)))
        if kind == "delete":
            text = text[:i] + text[j:]
        elif kind == "insert":
            text = text[:i] + piece + text[i:]
        elif kind == "replace":
            text = text[:i] + piece + text[j:]
        else:
            text = text[:i] + text[i:j] + text[i:]
    return text


NAMES = st.sampled_from(["p", "q", "armed_attack", "requested", "party", "state", "obligation", "te_x", "not"])
TERMS = st.sampled_from(["X", "Y", "D", "_", "a", "b", "2022-01-05", "3", '"s"', "f(X)", "D + 3 days", "cst"])


@st.composite
def generated_rule_file(draw: st.DrawFn) -> str:
    """Rule files built from the grammar's constructs, mostly well-formed, sometimes not."""
    lines = ['source s "x"', 'instrument t "T" in force 2000-01-01 source s',
             "input event p(a: state, b: state) \"p\"", "derived event q(a: state) \"q\"",
             'article 1 "One"', '  text en authentic source s """One."""']
    for n in range(draw(st.integers(1, 4))):
        conds = []
        for _ in range(draw(st.integers(1, 4))):
            if draw(st.booleans()):
                args = ", ".join(draw(st.lists(TERMS, min_size=0, max_size=3)))
                neg = "not " if draw(st.integers(0, 4)) == 0 else ""
                on = f" on {draw(TERMS)}" if draw(st.booleans()) else ""
                conds.append(f"{neg}{draw(NAMES)}({args}){on}")
            else:
                conds.append(f"{draw(TERMS)} {draw(st.sampled_from(['=', '!=', '<', '<=']))} {draw(TERMS)}")
        if draw(st.booleans()):
            head = f"obligation {draw(TERMS)} act to {draw(TERMS)}"
            tail = f" from {draw(TERMS)}" + (" due immediately" if draw(st.booleans()) else "")
        else:
            head, tail = f"q({draw(TERMS)}) on {draw(TERMS)}", ""
        lines.append(f"rule r{n}: {head} when {', '.join(conds)}{tail}.")
    if draw(st.booleans()):
        lines.append("priority r0 over r1")
    return "\n".join(lines) + "\n"


def load(tmp_path: Path, text: str) -> Rules | TreatyError:
    (tmp_path / "f.rules").write_text(text, encoding="utf-8", errors="surrogatepass")
    start = time.monotonic()
    try:
        return load_rules(tmp_path / "f.rules", cache=False)
    except TreatyError as err:
        return err
    finally:
        assert time.monotonic() - start < BOUND


@FUZZ
@given(text=mutated(CST))
def test_mutated_rule_files_give_rules_or_our_error(tmp_path_factory: pytest.TempPathFactory, text: str) -> None:
    d = tmp_path_factory.mktemp("fuzz")
    (d / "un_charter.rules").write_text(CHARTER, encoding="utf-8")
    load(d, text)


@FUZZ
@given(text=generated_rule_file())
def test_generated_rule_files_give_rules_or_our_error(tmp_path_factory: pytest.TempPathFactory, text: str) -> None:
    result = load(tmp_path_factory.mktemp("gen"), text)
    assert isinstance(result, Rules | TreatyError)


@FUZZ
@given(text=st.text(max_size=300))
def test_any_text_parses_or_is_our_error(text: str) -> None:
    try:
        parse_text(text, "any.rules")
    except TreatyError:
        pass


# ---- rule files that try to write the program (issue 11) -------------------------------------

#: Pieces of ASP that would change the program if they escaped a comment or a string.
ASP_PIECES = ["\n", "\r", "\u2028", "\u2029", "\x85", "\x0b", "\x0c", "#include \"f.lp\".", "#script (python)",
              "#end.", "#program base.", "#const n=1.", "#external e.", "%*", "*%", "%", "\"", "\\", ":-", ".",
              "@f(1)", "&a{}", "te_concl(obligation,x,a,b,c,1).", "not", "\x00", "é", "🙂"]
HOSTILE_TEXT = st.lists(st.one_of(st.sampled_from(ASP_PIECES), st.text(max_size=4)), max_size=8).map("".join)
FEW = settings(FUZZ, max_examples=max(10, EXAMPLES // 2))


def quoted(text: str) -> str:
    """``text`` as a quoted string of the rule language (its escapes; other characters raw)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


BASE = (ROOT / "tests" / "golden" / "ok_base.rules").read_text(encoding="utf-8")
HOSTILE_PLACES = [
    lambda s: BASE.replace('rule assist "Assist at request":', f"rule assist {s}:"),
    lambda s: BASE.replace('article 5 "Collective defence"', f"article 5 {s}"),
    lambda s: BASE.replace('article 5 "Collective defence"', f'article 5 "Collective defence" version {s}'),
    lambda s: BASE.replace('instrument tr "Test Treaty"', f"instrument tr {s}"),
    lambda s: BASE + f"constraint c1 {s}: when asked(A, B) on D, asked(B, A) on D.\n",
    lambda s: BASE.replace("obligation M assist to V", f"obligation M assist({s}) to V"),
    lambda s: BASE.replace("# base:", f"include {s}\n# base:", 1),
]


def inert_or_located(result: Rules | TreatyError) -> None:
    """The property: a located diagnostic, or a program of the compiler's own statements reading no file."""
    if isinstance(result, TreatyError):
        assert result.diagnostics and all(d.span is not None for d in result.diagnostics), result
        return
    from test_rule_security import assert_inert

    assert_inert(result.program.text)


@FEW
@given(text=HOSTILE_TEXT, place=st.sampled_from(HOSTILE_PLACES))
def test_asp_in_quoted_text_stays_text(tmp_path_factory: pytest.TempPathFactory, text: str, place) -> None:
    d = tmp_path_factory.mktemp("hostile")
    (d / "f.lp").write_text("secret_payload_42.\n", encoding="utf-8")  # what an escaped #include would read
    inert_or_located(load(d, place(quoted(text))))


FILE_NAME = HOSTILE_TEXT.map(lambda t: t.replace("/", "_").replace("\x00", "_")[:80] + ".rules")


@FEW
@given(name=FILE_NAME)
def test_a_rule_files_name_stays_text(tmp_path_factory: pytest.TempPathFactory, name: str) -> None:
    d = tmp_path_factory.mktemp("named")
    (d / "f.lp").write_text("secret_payload_42.\n", encoding="utf-8")
    try:
        (d / name).write_text(BASE + 'constraint c1 "c": when asked(A, B) on D, asked(B, A) on D.\n',
                              encoding="utf-8")
    except (OSError, UnicodeEncodeError):  # a name the file system refuses (too long, lone surrogate)
        return
    start = time.monotonic()
    try:
        result: Rules | TreatyError = load_rules(d / name, cache=False)
    except TreatyError as err:
        result = err
    assert time.monotonic() - start < BOUND
    inert_or_located(result)
    if isinstance(result, Rules):
        assert f"% ==== {visible(str(d / name))}" in result.program.text


@pytest.fixture(scope="module")
def shipped() -> Rules:
    return load_rules()


@FUZZ
@given(text=mutated(KZ))
def test_mutated_scenarios_give_findings_or_our_error(shipped: Rules, text: str) -> None:
    from engine.cases.scenario import scenario_from_yaml
    from engine.cases.yamlsource import load_yaml

    start = time.monotonic()
    try:
        evaluate(shipped, scenario_from_yaml(load_yaml(text, "fuzz.yaml")))
    except TreatyError:
        pass
    assert time.monotonic() - start < BOUND


def test_a_file_tree_of_broken_files_is_reported_not_raised(tmp_path: Path) -> None:
    (tmp_path / "a.rules").write_bytes(b"\xff\xfe\x00garbage")
    (tmp_path / "b.rules").write_text("rule (", encoding="utf-8")
    with pytest.raises(TreatyError) as err:
        parse_files([tmp_path])
    assert [d.span.file for d in err.value.diagnostics] == [str(tmp_path / "a.rules"), str(tmp_path / "b.rules")]
