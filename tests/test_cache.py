"""The compiled-rule cache: a hit, a miss after an edit, a corrupt, planted or ill-typed entry ignored
and replaced (never run), and rules that never come from another directory's rule base."""

from __future__ import annotations

import json
import os
import pickle
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from engine import load_rules
from engine.language import cache

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def rule_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TREATY_CACHE_DIR", str(tmp_path / "cache"))
    d = tmp_path / "rules"
    d.mkdir()
    shutil.copy(ROOT / "rules" / "cst.rules", d)
    shutil.copy(ROOT / "rules" / "un_charter.rules", d)
    return d


def entries(tmp_path: Path) -> list[Path]:
    return sorted(p for p in (tmp_path / "cache").glob("*") if not p.name.startswith("."))


def test_a_second_load_comes_from_the_cache(rule_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    first = load_rules(rule_dir)
    assert len(entries(tmp_path)) == 1
    calls = []
    monkeypatch.setattr("engine.language.load.parse_files", lambda *a, **k: calls.append(a) or pytest.fail("parsed"))
    second = load_rules(rule_dir)
    assert calls == [] and second.program.text == first.program.text
    assert sorted(second.base.rules) == sorted(first.base.rules)


def test_editing_a_rule_file_or_an_included_one_misses(rule_dir: Path, tmp_path: Path):
    load_rules(rule_dir / "cst.rules")
    assert len(entries(tmp_path)) == 1
    charter = rule_dir / "un_charter.rules"  # included by cst.rules, not named on the command line
    charter.write_text(charter.read_text(encoding="utf-8").replace(
        'rule un_51_individual "The attacked Member may defend itself, until the Security Council acts":',
        'rule un_51_self "The attacked Member may defend itself, until the Security Council acts":'), encoding="utf-8")
    text = charter.read_text(encoding="utf-8")
    charter.write_text(text.replace("priority un_51_individual over", "priority un_51_self over"), encoding="utf-8")
    rules = load_rules(rule_dir / "cst.rules")
    assert "un_51_self" in rules.base.rules and "un_51_individual" not in rules.base.rules
    edited = rule_dir / "cst.rules"
    edited.write_text(edited.read_text(encoding="utf-8") + "\n# a comment\n", encoding="utf-8")
    load_rules(rule_dir / "cst.rules")
    assert len(entries(tmp_path)) == 2  # a new key for the new top-level content


def test_a_rule_base_read_once_is_given_again_until_a_file_or_the_entry_changes(rule_dir: Path, tmp_path: Path):
    load_rules(rule_dir / "cst.rules")  # built and stored
    read = load_rules(rule_dir / "cst.rules")  # read from the cache
    assert load_rules(rule_dir / "cst.rules") is read  # the same rule base, not decoded again
    charter = rule_dir / "un_charter.rules"  # an included file edited: a miss, whatever this process read
    charter.write_text(charter.read_text(encoding="utf-8").replace(
        '"The attacked Member may defend itself, until the Security Council acts"', '"Self-defence"'),
        encoding="utf-8")
    rebuilt = load_rules(rule_dir / "cst.rules")
    assert rebuilt is not read and rebuilt.base.rules["un_51_individual"].title == "Self-defence"
    again = load_rules(rule_dir / "cst.rules")
    assert again.base.rules["un_51_individual"].title == "Self-defence"
    [entry] = [e for e in entries(tmp_path) if e.stat().st_mtime_ns == max(x.stat().st_mtime_ns
                                                                            for x in entries(tmp_path))]
    entry.write_bytes(b"{}")  # the entry spoilt after it was read: read again from the disk, a miss, rebuilt
    assert load_rules(rule_dir / "cst.rules") is not again
    assert json.loads(entry.read_bytes())[1] == entry.stem  # (an entry: ["Entry", its key, ...])


def test_a_corrupt_entry_is_ignored_and_replaced(rule_dir: Path, tmp_path: Path):
    load_rules(rule_dir)
    [entry] = entries(tmp_path)
    good = entry.read_bytes()
    entry.write_bytes(b"\x80\x05not a pickle at all")
    rules = load_rules(rule_dir)
    assert "cst_4_2_assist_2010" in rules.base.rules
    assert entry.exists() and entry.read_bytes() == good


def test_errors_are_never_cached(rule_dir: Path, tmp_path: Path):
    bad = rule_dir / "cst.rules"
    bad.write_text(bad.read_text(encoding="utf-8").replace("party(M, cst) on D,", "party(M, cts) on D,", 1),
                   encoding="utf-8")
    from engine import TreatyError

    for _ in range(2):
        with pytest.raises(TreatyError):
            load_rules(rule_dir)
    assert entries(tmp_path) == []


def test_the_cache_can_be_turned_off(rule_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("TREATY_NO_CACHE", "1")
    load_rules(rule_dir)
    assert cache.cache_dir() is None and entries(tmp_path) == []


class _WritesAFile:
    """A pickle that, when loaded, writes a marker file (as a planted entry could run any code)."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):  # noqa: ANN204
        return (Path.write_text, (self.marker, "ran"))


def test_a_planted_entry_runs_nothing(rule_dir: Path, tmp_path: Path):
    first = load_rules(rule_dir)
    [entry] = entries(tmp_path)
    marker = tmp_path / "marker"
    entry.write_bytes(pickle.dumps(_WritesAFile(marker)))
    rules = load_rules(rule_dir)
    assert not marker.exists()
    assert rules.program.text == first.program.text
    assert load_rules(rule_dir).program.text == first.program.text  # and the entry was replaced by a good one
    assert not marker.exists()


def test_an_entry_of_the_wrong_shape_is_a_miss(rule_dir: Path, tmp_path: Path):
    """Today's `Entry(rules="x")` (exit 70 on every run) and the like: read, found wrong, rebuilt."""
    from engine import Rules

    load_rules(rule_dir)
    [entry] = entries(tmp_path)

    @dataclass
    class Entry:  # the shape of the old pickled entry, with a string for the rules
        rules: object
        files: dict

    Entry.__module__, Entry.__qualname__ = "engine.language.cache", "Entry"
    import engine.language.cache

    had = getattr(engine.language.cache, "Entry", None)
    engine.language.cache.Entry = Entry  # type: ignore[attr-defined, misc]
    try:
        planted = pickle.dumps(Entry("x", {}))
    finally:
        if had is not None:
            engine.language.cache.Entry = had  # type: ignore[attr-defined, misc]
    entry.write_bytes(planted)
    rules = load_rules(rule_dir)
    assert isinstance(rules, Rules) and "cst_4_2_assist_2010" in rules.base.rules


def _mutations(value: object, path: tuple = ()):  # noqa: ANN202
    """Ways to give an entry's JSON the wrong types: each scalar swapped, each list emptied or cut."""
    if isinstance(value, list):
        yield path, []
        if value:
            yield path, value[:-1]
        for i, item in enumerate(value):
            yield from _mutations(item, (*path, i))
    elif isinstance(value, str):
        yield path, 7
    elif isinstance(value, bool) or value is None:
        yield path, "x"
    elif isinstance(value, int):
        yield path, "7"


def _replaced(value: object, path: tuple, new: object) -> object:
    if not path:
        return new
    assert isinstance(value, list)
    return [_replaced(v, path[1:], new) if i == path[0] else v for i, v in enumerate(value)]


def test_entries_with_fields_of_the_wrong_type_are_a_miss(rule_dir: Path, tmp_path: Path):
    import random

    first = load_rules(rule_dir / "un_charter.rules")
    [entry] = entries(tmp_path)
    good = json.loads(entry.read_bytes())
    candidates = list(_mutations(good))
    random.Random(11).shuffle(candidates)
    for path, new in [*candidates[:15], ((), {"rules": "x"}), ((), "x"), ((), None)]:
        entry.write_text(json.dumps(_replaced(good, path, new)), encoding="utf-8")
        rules = load_rules(rule_dir / "un_charter.rules")
        assert rules.program.text == first.program.text, path
        assert sorted(rules.base.rules) == sorted(first.base.rules)


def test_an_entry_filed_under_another_key_is_a_miss(rule_dir: Path, tmp_path: Path):
    load_rules(rule_dir / "un_charter.rules")
    [charter_entry] = entries(tmp_path)
    cst = load_rules(rule_dir / "cst.rules")
    [cst_entry] = [e for e in entries(tmp_path) if e != charter_entry]
    cst_entry.write_bytes(charter_entry.read_bytes())
    assert sorted(load_rules(rule_dir / "cst.rules").base.rules) == sorted(cst.base.rules)


def _two_directories(tmp_path: Path) -> tuple[Path, Path]:
    base = (ROOT / "tests" / "golden" / "ok_base.rules").read_text(encoding="utf-8")
    main = 'include "inc.rules"\n' + base.replace("source s1", "source sx", 1)
    dirs = []
    for name, citation in (("one", "Source of directory one"), ("two", "Source of directory two")):
        d = tmp_path / name
        d.mkdir()
        (d / "main.rules").write_text(main, encoding="utf-8")
        (d / "inc.rules").write_text(f'source s1 "{citation}"\n', encoding="utf-8")
        dirs.append(d)
    return dirs[0], dirs[1]


def test_two_directories_with_the_same_main_file_get_their_own_rules(rule_dir: Path, tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch):
    one, two = _two_directories(tmp_path)
    for _ in range(2):  # compiled, then from the cache
        for d, citation in ((one, "Source of directory one"), (two, "Source of directory two")):
            monkeypatch.chdir(d)
            rules = load_rules("main.rules")
            assert rules.base.sources["s1"].citation == citation
            assert rules.paths == (str(d.resolve() / "main.rules"), str(d.resolve() / "inc.rules"))


def test_an_included_file_moved_away_is_a_miss(rule_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    one, _ = _two_directories(tmp_path)
    monkeypatch.chdir(one)
    load_rules("main.rules")
    os.replace(one / "inc.rules", one / "inc.rules.bak")
    from engine import TreatyError

    with pytest.raises(TreatyError):
        load_rules("main.rules")


def test_a_rule_file_whose_name_is_not_utf8_loads_and_is_simply_not_cached(rule_dir: Path, tmp_path: Path,
                                                                            monkeypatch: pytest.MonkeyPatch):
    name = os.fsdecode(b"odd\xff.rules")
    shutil.copy(rule_dir / "un_charter.rules", tmp_path / name)
    monkeypatch.chdir(tmp_path)
    for _ in range(2):
        rules = load_rules(name)
        assert "un_51_individual" in rules.base.rules and "odd\\udcff.rules" in rules.program.text
    assert entries(tmp_path) == []


def test_an_entry_holds_data_only(rule_dir: Path, tmp_path: Path):
    """What an entry makes is plain data and the engine's own classes, nothing else."""
    import dataclasses
    from datetime import date

    load_rules(rule_dir / "un_charter.rules")
    [entry] = entries(tmp_path)
    made = cache.decode(json.loads(entry.read_bytes()))
    kinds: set[type] = set()
    todo: list[object] = [made]
    while todo:
        o = todo.pop()
        kinds.add(type(o))
        if dataclasses.is_dataclass(o):
            todo.extend(getattr(o, f.name) for f in dataclasses.fields(o))
        elif isinstance(o, tuple | list):
            todo.extend(o)
        elif isinstance(o, dict):
            todo.extend(o.keys())
            todo.extend(o.values())
    plain = {str, int, bool, type(None), date, tuple, list, dict}
    assert kinds - plain <= set(cache.classes().values())
    assert {c.__module__ for c in cache.classes().values()} <= {
        "engine.language.ast", "engine.language.rulebase", "engine.language.emit", "engine.errors",
        "engine.language.cache"}


def test_the_cache_reader_evaluates_nothing():
    """No exec, eval or compile call in engine/language/cache.py: an entry is read by plain functions (issue 11)."""
    import ast

    tree = ast.parse((ROOT / "engine" / "language" / "cache.py").read_text(encoding="utf-8"))
    calls = [(node.lineno, node.func.id) for node in ast.walk(tree) if isinstance(node, ast.Call)
             and isinstance(node.func, ast.Name) and node.func.id in {"exec", "eval", "compile"}]
    assert calls == []


def test_entries_of_the_pickle_format_are_removed_unread(rule_dir: Path, tmp_path: Path, monkeypatch):
    import pickle

    (tmp_path / "cache").mkdir()
    old = tmp_path / "cache" / ("0" * 64 + ".pickle")
    old.write_bytes(pickle.dumps({"an": "old entry"}))
    monkeypatch.setattr(pickle, "load", lambda *a, **k: pytest.fail("a pickle was read"))
    monkeypatch.setattr(pickle, "loads", lambda *a, **k: pytest.fail("a pickle was read"))
    load_rules(rule_dir)
    assert not old.exists()
