"""The streaming YAML reader builds exactly what PyYAML's safe loader builds, or steps aside."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.cases.yamlsource import _FastLoader, _load_streaming, _Unusual, load_yaml
from engine.errors import TreatyError

ROOT = Path(__file__).resolve().parent.parent
FILES = sorted((ROOT / "scenarios").glob("*.yaml")) + sorted((ROOT / "tests" / "golden").rglob("*.yaml"))

AWKWARD = [
    "a: 1\nb: -2\nc: 0x1f\nd: 1.5\ne: .inf\nf: true\ng: no\nh: ~\ni: null\nj: ''\n",
    "on: 2022-01-05\nwhen: 2022-01-05 10:00:00\nquoted: '2022-01-05'\nplain: 2022-1-5\n",
    "list: [1, two, 'three', {four: 4}, [5]]\nempty_list: []\nempty_map: {}\n",
    "- a\n- - b\n  - c\n- {d: e}\n",
    'text: "line\\nnext \\u00e9 \\t tab"\nfolded: >\n  one\n  two\nliteral: |\n  keep\n   this\n',
    "日本語: ✓\n'quoted key': 1\n\"double\": 2\n",
    "big: 123456789012345678901234567890\nneg_zero: -0\noctal: 0o17\nold_octal: 017\nsexagesimal: 1:30\n",
]

UNUSUAL = [
    "a: &x 1\nb: *x\n",          # anchors and aliases
    "a: !!str 1\n",              # an explicit tag
    "a: 1\na: 2\n",              # a repeated key
    "? [1, 2]\n: complex key\n",  # a key that is not a scalar
    "a: 1\n---\nb: 2\n",         # several documents
    "a: =\n",                   # YAML's "value" type, which no safe constructor builds
    "a: <<\n",                  # the merge key, as a value
]


def safe_load(text: str):
    return yaml.load(text, Loader=_FastLoader)  # noqa: S506 - the safe loader, as the engine's fast path was


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_every_shipped_and_golden_file_reads_the_same(path: Path):
    text = path.read_bytes().decode("utf-8", errors="replace")
    try:
        expected = repr(safe_load(text))
    except (yaml.YAMLError, ValueError, TypeError, RecursionError, _Unusual):
        expected = None
    try:
        got = repr(_load_streaming(text))
    except (yaml.YAMLError, ValueError, TypeError, RecursionError, _Unusual):
        got = None
    if path.parent.name == "scenarios":
        assert got is not None  # the shipped scenarios take the fast path
    if got is not None:  # where the streaming reader answers, it answers the same (types included)
        assert got == expected


@pytest.mark.parametrize("text", AWKWARD)
def test_awkward_scalars_and_shapes_read_the_same(text: str):
    assert repr(_load_streaming(text)) == repr(safe_load(text))


@pytest.mark.parametrize("text", UNUSUAL)
def test_anything_unusual_is_left_to_the_careful_path(text: str):
    with pytest.raises(_Unusual):
        _load_streaming(text)


def test_a_repeated_key_still_gets_its_located_message():
    from engine.errors import TreatyError

    with pytest.raises(TreatyError) as caught:
        load_yaml("title: x\ntitle: y\n", "s.yaml")
    assert caught.value.diagnostics[0].span.line == 2


SCALARS = st.one_of(st.integers(-10**6, 10**6), st.booleans(), st.none(), st.text(max_size=20),
                    st.dates().map(lambda d: d), st.floats(allow_nan=False, allow_infinity=False))
DATA = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(min_size=1, max_size=8), inner, max_size=4)), max_leaves=20)


@settings(max_examples=200, deadline=None)
@given(DATA, st.booleans())
def test_any_dumped_data_reads_the_same(data, flow: bool):
    text = yaml.safe_dump({"root": data}, default_flow_style=flow, allow_unicode=True)
    try:
        got = repr(_load_streaming(text))
    except _Unusual:
        return
    assert got == repr(safe_load(text))


TOKENS = ["a", "b", ": ", ":", "- ", "\n", "  ", "'", '"', "[", "]", "{", "}", ",", "=", "<<", "&x ", "*x", "!!str ",
          "!t ", "? ", "---", "...", "|", ">", "~", "1", "0x1f", "2022-01-05", "2022-02-30", ".inf", "yes", "#c", "\t",
          "%YAML 1.1\n", "\\", "é"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), max_size=30).map("".join))
def test_token_soup_reads_the_same_or_steps_aside(text: str):
    try:
        got = repr(_load_streaming(text))
    except (_Unusual, yaml.YAMLError, ValueError, TypeError, RecursionError):
        return  # load_yaml then takes the careful path, which locates a message
    assert got == repr(safe_load(text))


@pytest.mark.parametrize("nesting", ["flow", "block"])
@pytest.mark.parametrize("parser", ["libyaml", "pure-python"])
def test_nesting_bound_is_ours_whatever_the_parser(nesting: str, parser: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # libyaml builds differ: some stop at level 1000 with their own message, some have no limit
    # at all; the message and its place must not depend on which one a wheel carries.
    import engine.cases.yamlsource as ys

    if parser == "pure-python":
        monkeypatch.setattr(ys, "_Loader", yaml.SafeLoader)
    if nesting == "flow":
        text, where = "title: t\nfacts: " + "[" * 1500 + "]" * 1500 + "\n", (2, 107)  # [ no. 100 opens level 101
    else:
        text = "title: t\n" + "".join("  " * i + f"k{i}:\n" for i in range(150))
        where = (102, 201)  # the key k100 opens level 101
    with pytest.raises(TreatyError) as caught:
        load_yaml(text, "deep.yaml")
    (diag,) = caught.value.diagnostics
    assert diag.message == "the document is nested more than 100 levels deep"
    assert (diag.span.line, diag.span.column) == where


#: YAML 1.1 surprises, read as YAML 1.2's core schema reads them (issue 11): text unless decimal
#: digits (a whole number), true/false, null, a number with a point or exponent, or a date.
CORE = ("a: 1:30\nb: yes\nc: no\nd: on\ne: 010\nf: 0x1f\ng: 1_000\nh: true\ni: 12\nj: -3\nk: 2.5\n"
        "l: 2022-01-05\nm: ~\nn: Off\no: 0o17\np: 1:30.5\nq: +7\n")
CORE_DATA = {"a": "1:30", "b": "yes", "c": "no", "d": "on", "e": 10, "f": "0x1f", "g": "1_000", "h": True, "i": 12,
             "j": -3, "k": 2.5, "l": date(2022, 1, 5), "m": None, "n": "Off", "o": "0o17", "p": "1:30.5", "q": 7}


@pytest.mark.parametrize("path", ["fast", "careful"])
def test_plain_scalars_are_read_as_yaml_1_2_reads_them(path: str) -> None:
    text = CORE if path == "fast" else "anchor: &x 1\n" + CORE  # an anchor sends it the careful way
    data = load_yaml(text, "core.yaml").data
    data.pop("anchor", None)
    assert data == CORE_DATA
    assert all(type(data[k]) is type(v) for k, v in CORE_DATA.items())  # 10, not True; "no", not False


@pytest.mark.parametrize("prefix", ["", "note: é ü ✓ 日本\n", "a: b\r\n"])
def test_a_control_character_is_reported_where_it_stands(prefix: str) -> None:
    text = prefix + "title: t\nsources:\n  s1: {cite: 'ab\0cd'}\n"
    with pytest.raises(TreatyError) as caught:
        load_yaml(text, "nul.yaml")
    (diag,) = caught.value.diagnostics
    line = prefix.count("\n") + 3
    assert (diag.span.line, diag.span.column) == (line, 17), diag
    assert "U+0000" in diag.message


def test_a_number_too_long_to_read_is_said_to_be_one() -> None:
    with pytest.raises(TreatyError) as caught:
        load_yaml("title: t\ndays: " + "7" * 5000 + "\n", "long.yaml")
    (diag,) = caught.value.diagnostics
    assert (diag.span.line, diag.span.column) == (2, 7)
    assert diag.message == "days: the number `77777777777777777777…` (5000 digits) is too large"
