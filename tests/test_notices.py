"""Notices (issue 15): where the rules cannot decide what a text requires from the case as stated,
they say so instead of concluding nothing in silence. The Rio Treaty sorts an armed attack into
Article 3 or Article 6 by its place; an attack with no place it sorts engaged neither, silently."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from helpers import run

from engine import TreatyError, evaluate, load_rules

NOTICE = "rio_3_3_place_unstated"


def attack_on_brazil(*places: str, status: str = "established") -> dict:
    events = [{"event": "armed_attack(atlantis, brazil)", "on": "1990-06-01", "status": status, "source": "s"}]
    events += [{"event": f"attack_location(brazil, {p})", "on": "1990-06-01", "status": "established", "source": "s"}
               for p in places]
    return {"title": "Rio notice", "as_of": "1990-06-30", "sources": {"s": {"cite": "x"}},
            "entities": {"atlantis": {"kind": "state", "name": "A made-up attacker"}}, "events": events}


def test_an_attack_with_no_place_engages_no_article_and_says_so(rules):
    f = evaluate(rules, attack_on_brazil())
    assert [c for c in f.conclusions if c.basis.instrument == "rio_treaty"] == []
    [n] = f.notices
    assert (n.id, n.instrument, n.article, n.values, n.holds) == (
        NOTICE, "rio_treaty", "3(3)", {"A": "atlantis", "D": "1990-06-01", "V": "brazil"}, "all")


@pytest.mark.parametrize(("place", "article"), [("rio_article_4_region", "3(1)"), ("rio_outside_article_3_areas", "6")])
def test_a_place_article_3_3_sorts_gives_its_article_and_no_notice(rules, place: str, article: str):
    f = evaluate(rules, attack_on_brazil(place))
    assert f.notices == []
    assert article in {c.basis.article for c in f.conclusions if c.basis.instrument == "rio_treaty"}


def test_a_place_only_another_treaty_names_is_no_place_for_article_3_3(rules):
    assert [n.id for n in evaluate(rules, attack_on_brazil("europe")).notices] == [NOTICE]


def test_a_contested_attack_gives_a_notice_in_some_readings(rules):
    [n] = evaluate(rules, attack_on_brazil(status="alleged")).notices
    assert n.holds == "some"


def test_the_cli_says_the_notice_in_text_and_json(tmp_path: Path):
    s = tmp_path / "s.yaml"
    s.write_text(yaml.safe_dump(attack_on_brazil(), sort_keys=False), encoding="utf-8")
    code, out, err = run("check", str(s))
    assert (code, err) == (0, "")
    text = " ".join(out.split())
    assert ("notice: An armed attack on an American State with no place that Article 3(3) sorts: neither "
            "Article 3") in text
    assert "(rio_treaty art. 3(3); A=atlantis, D=1990-06-01, V=brazil), in every reading [rio_3_3_place_unstated]" \
        in text
    code, out, _ = run("check", str(s), "--format", "json")
    assert [n["id"] for n in json.loads(out)["notices"]] == [NOTICE]
    s.write_text(yaml.safe_dump(attack_on_brazil("rio_article_4_region"), sort_keys=False), encoding="utf-8")
    assert "notices" not in json.loads(run("check", str(s), "--format", "json")[1])  # absent when there are none


BASE = '''source s "A source"
instrument t "Test" in force 2000-01-01 source s
parties source s
party alpha "Alpha" joined 2000-01-01
input event incident(at: state) "an incident"
'''


@pytest.mark.parametrize(("text", "message"), [
    (BASE + 'notice n1 "x":\n  when incident(S) on D.\n', "notice `n1` is outside an article"),
    (BASE + 'article 1 "A"\n  text en authentic source s """T."""\nrule n1: incident(S) on D when incident(S) on D.\n'
            'notice n1 "x":\n  when incident(S) on D.\n', "duplicate id `n1`"),
])
def test_a_misplaced_or_duplicate_notice_is_an_error(tmp_path: Path, text: str, message: str):
    (tmp_path / "t.rules").write_text(text, encoding="utf-8")
    with pytest.raises(TreatyError) as err:
        load_rules(tmp_path / "t.rules")
    assert message in str(err.value)
