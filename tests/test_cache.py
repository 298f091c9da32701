"""The compiled-rule cache: a hit, a miss after an edit, and a corrupt entry ignored."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from engine import cache, load_rules

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
    return sorted((tmp_path / "cache").glob("*.pickle"))


def test_a_second_load_comes_from_the_cache(rule_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    first = load_rules(rule_dir)
    assert len(entries(tmp_path)) == 1
    calls = []
    monkeypatch.setattr("engine.load.parse_files", lambda *a, **k: calls.append(a) or pytest.fail("parsed"))
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


def test_a_corrupt_entry_is_ignored_and_replaced(rule_dir: Path, tmp_path: Path):
    load_rules(rule_dir)
    [entry] = entries(tmp_path)
    entry.write_bytes(b"\x80\x05not a pickle at all")
    rules = load_rules(rule_dir)
    assert "cst_4_2_assist_2010" in rules.base.rules
    assert entry.exists() and entry.read_bytes()[:1] == b"\x80" and len(entry.read_bytes()) > 1000


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
