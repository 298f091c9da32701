"""Why-not from clingo (engine/reasoning/why_not.py): the closest instance of each candidate rule (issue 12, point 4).

The property: for a conclusion that does not hold in every reading, when the closest instance of
its best candidate rule has nothing that fails and nothing left unchecked, stating its missing facts
(as established; `_` any entity, "some date" any date) makes the conclusion hold, unless the facts
stated bring about a higher conclusion that displaces it by a priority (judged, as the answer says,
against the reading examined). A short budget runs with the suite; a longer one is

    TREATY_FUZZ_EXAMPLES=500 python -m pytest tests/test_why_not.py -q
"""

from __future__ import annotations

import ast as pyast
import copy
import re
from datetime import date, timedelta
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from test_derivation import DAY0, PROPERTY, STATES, cases, small_rules

from engine.pipeline import analyse
from engine.reasoning.explanations import Node, WhyNot
from engine.reasoning.why_not import WhyNotFinder

ROOT = Path(__file__).resolve().parent.parent


def why_not(a, pattern: str) -> WhyNot:
    return WhyNotFinder(a.explainer()).why_not(pattern)


def nodes(tree: list[Node]) -> list[Node]:
    out: list[Node] = []
    for n in tree:
        out += [n, *nodes(n.children)]
    return out


# ---- the example -------------------------------------------------------------------------

SEPTEMBER_11 = {"title": "an attack outside the Pacific area", "as_of": "2001-10-01",
                "sources": {"s": {"cite": "test source"}},
                "entities": {"al_qaeda": {"kind": "group", "name": "Al-Qaeda"}},
                "events": [{"event": "armed_attack(al_qaeda, united_states)", "on": "2001-09-11",
                            "status": "established", "source": "s"}],
                # ANZUS reads "armed attack" as Article 51 does: a group's attack counts only on the broad
                # reading (issue 13); taken here, the question is where the attack was, not who made it
                "interpretations": {"art51_non_state": "includes_non_state"}}


def test_an_established_attack_is_never_listed_as_missing(rules) -> None:
    """ANZUS Article IV needs an attack in the Pacific area: what is missing is where the attack
    was, on the day it happened, not the attack itself, which is established."""
    w = why_not(analyse(rules, SEPTEMBER_11), "obligation(australia, _, united_states)")
    assert w.holds == "none"
    everything = [m for c in w.candidates for m in c.missing] + [n.text for c in w.candidates for n in
                                                                   nodes(c.conditions)]
    assert not [t for t in everything if "missing" in t and "armed_attack(" in t]
    assert not [m for c in w.candidates for m in c.missing if m.startswith("armed_attack(")]
    # (Australia is also a party to the Manila Pact, whose Article IV is a candidate too)
    best = next(c for c in w.candidates if c.rule.id == "anzus_iv_act")
    assert best.failing == []
    assert best.missing == ["attack_location(united_states, pacific_area) on 2001-09-11"]
    texts = [n.text for n in best.conditions]
    # the derived event's date is the attack's, so the membership on it is judged, not left open
    assert texts[0] == "missing: anzus_armed_attack_in_pacific_area(united_states) on 2001-09-11"
    assert texts[1].startswith("australia is a party to anzus on 2001-09-11")
    assert "rules that can never apply" not in texts and len(w.left_out) == 21


def test_whether_a_derived_fact_holds_is_asked_of_the_solver_in_every_reading() -> None:
    """crisis(alpha) needs the alleged resolution *rejected*: a reading preferring every contested
    fact true has no crisis, yet it holds in some readings (and a certain alarm of beta's, a
    party that day, in all of them)."""
    day = DAY0.isoformat()
    sc = {"title": "derived", "as_of": "2002-03-01", "sources": {"s": {"cite": "test source"}},
          "entities": {s: {"kind": "state", "name": s.title()} for s in STATES},
          "events": [{"event": "alarm(alpha)", "on": day, "status": "established", "source": "s"},
                     {"event": "resolved(alpha)", "on": day, "status": "alleged", "source": "s"},
                     {"event": "alarm(beta)", "on": day, "status": "established", "source": "s"}],
          "facts": []}
    ex = analyse(small_rules(), sc).explainer()
    assert ex.why_not("crisis(alpha)").holds == "some"
    assert ex.why_not("crisis(beta)").holds == "all"
    assert ex.why_not("crisis(gamma)").holds == "none"


def test_no_python_reimplementation_of_rule_matching_is_left() -> None:
    """Issue 12: explanations come from clingo; `grep -rn "def unify\\|def matches" engine/` finds none."""
    found = []
    for path in sorted((ROOT / "engine").rglob("*.py")):
        tree = pyast.parse(path.read_text(encoding="utf-8"))
        found += [f"{path.relative_to(ROOT)}: {n.name}" for n in pyast.walk(tree)
                  if isinstance(n, pyast.FunctionDef) and n.name in ("unify", "matches")]
        found += [f"{path.relative_to(ROOT)}: imports {n.module}" for n in pyast.walk(tree)
                  if isinstance(n, pyast.ImportFrom) and (n.module or "").split(".")[-1] in ("match", "terms")]
    assert not found


# ---- the property ---------------------------------------------------------------------------------

#: The conclusions of the small rule base (tests/test_derivation.py): kind and action.
HEADS = [("obligation", "help"), ("obligation", "help_more"), ("prohibition", "strike"),
         ("permission", "strike"), ("notification", "report")]
_MISSING = re.compile(r"(?P<atom>[a-z_]+\((?P<args>[^()]*)\))(?: on (?P<on>.+))?\Z")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")


def _add(scenario: dict, atom: str, on: str | None) -> None:
    """State ``atom`` (on ``on``) as established: a new entry, or the entry that says it already,
    contested or on dates sources disagree on, made to say it for certain (on that date)."""
    key = atom.replace(" ", "")
    if on is None:
        for f in scenario["facts"]:
            if f["fact"].replace(" ", "") == key:
                f["status"] = "established"
                return
        scenario["facts"].append({"fact": atom, "status": "established", "source": "s",
                                  "id": f"added{len(scenario['facts'])}"})
        return
    for e in scenario["events"]:
        dates = e["on"] if isinstance(e["on"], list) else [e["on"]]
        if e["event"].replace(" ", "") == key and on in dates:
            if len(dates) == 1:
                e["status"] = "established"
                return
            rest = [d for d in dates if d != on]
            e["on"] = rest if len(rest) > 1 else rest[0]
    scenario["events"].append({"event": atom, "on": on, "status": "established", "source": "s",
                               "id": f"added{len(scenario['events'])}"})


def _state(scenario: dict, missing: list[str], data: st.DataObject) -> None:
    """The missing facts, stated: `_` as any entity, "some date" as any date, a variable's name
    (a value two missing facts share) as one value for all."""
    named: dict[str, str] = {}

    def value(text: str, is_date: bool) -> str:
        text = text.strip()
        if text == "_" or text == "some date":
            return data.draw(st.integers(0, 20).map(lambda n: (DAY0 + timedelta(days=n)).isoformat())
                             if is_date else st.sampled_from(STATES))
        if text[:1].isupper():
            if text not in named:
                named[text] = value("_", is_date)
            return named[text]
        return text

    for m in missing:
        found = _MISSING.match(m)
        assert found is not None, m
        name = found["atom"].split("(")[0]
        args = [value(a, False) for a in found["args"].split(",")]
        on = value(found["on"], True) if found["on"] is not None else None
        assert on is None or _DATE.match(on), m
        _add(scenario, f"{name}({', '.join(args)})", on)


def _holds(a, pattern: str) -> bool:
    """Whether the conclusion (on that date, for an id) holds in some reading."""
    if "/" in pattern:
        rule, bearer, action, party, on = pattern.split("/")
        day = date.fromisoformat(on).toordinal()
        return any(s.name == "te_concl" and [str(x) for x in s.arguments[1:]] == [rule, bearer, action, party, str(day)]
                   for s in a.solution.brave)
    kind, rest = pattern.split("(", 1)
    bearer, action, party = (x.strip() for x in rest.rstrip(")").split(","))
    return any(c.kind == kind and c.bearer == bearer and c.action == action
               and party in ("_", c.beneficiary or c.recipient) for c in a.findings.conclusions)


@st.composite
def patterns(draw: st.DrawFn) -> str:
    kind, action = draw(st.sampled_from(HEADS))
    bearer, party = draw(st.sampled_from(STATES)), draw(st.sampled_from([*STATES, "_"]))
    return f"{kind}({bearer}, {action}, {party})"


@PROPERTY
@given(cases(), st.lists(patterns(), min_size=1, max_size=3), st.data())
def test_stating_the_missing_facts_makes_the_conclusion_hold(case: tuple[dict, list[bool]], drawn: list[str],
                                                             data: st.DataObject) -> None:
    scenario, _ = case
    a = analyse(small_rules(), copy.deepcopy(scenario))
    some = sorted(c.id for c in a.findings.conclusions if c.holds == "some")[:2]
    for pattern in [*some, *drawn]:
        w = why_not(a, pattern)
        assert pattern not in some or w.holds == "some"
        if w.holds == "all" or not w.candidates:
            continue
        best = w.candidates[0]
        assert best.missing == sorted(best.missing) and best.failing == [n.text.removeprefix("fails: ") for n in
                                                                          best.conditions if not n.holds
                                                                          and n.kind != "missing"
                                                                          and n.kind != "unchecked"]
        if best.failing or any(n.kind == "unchecked" for n in nodes(best.conditions)):
            continue
        if not best.missing:  # an instance that holds in the reading examined (another than those tried)
            assert w.holds != "none" and "/" not in pattern, (pattern, w)
            continue
        more = copy.deepcopy(scenario)
        _state(more, best.missing, data)
        after = analyse(small_rules(), more)
        if not _holds(after, pattern):
            # a priority is judged against the higher conclusions of the reading examined: the facts
            # stated may bring about one that displaces it (a state striking itself may strike back)
            again = why_not(after, pattern).candidates[0]
            assert (again.rule.id, again.missing) == (best.rule.id, []), (pattern, best.missing, w)
            # (displaced itself, or a conclusion it reads is: "prohibition(...) ...: displaced by rule r_defence")
            assert [f for f in again.failing if "displaced by rule" in f], (pattern, again.failing)


def test_a_date_the_reading_gives_binds_the_missing_fact(rules) -> None:
    """Kazakhstan's request to Uzbekistan would be dated: the other requests and the attack give the day."""
    from engine.cases.scenario import scenario_from_yaml
    from engine.cases.yamlsource import load_yaml

    path = ROOT / "scenarios" / "kazakhstan-2022.yaml"
    # the aggression gives the day only on the broad reading of the CST's "aggression" (the gangs were sent
    # by no State; the interpretation is open in the scenario: issue 13), so the reading takes it
    a = analyse(rules, scenario_from_yaml(load_yaml(path.read_text(encoding="utf-8"), str(path))),
                interpret={"cst_aggression_non_state": "any_armed_attack"})
    w = why_not(a, "obligation(uzbekistan, provide_assistance, kazakhstan)")
    best = w.candidates[0]
    # a request for assistance: of one kind the rules count (un_assistance_kinds), on the day
    assert best.missing == ["requested(kazakhstan, uzbekistan, military_assistance) on 2022-01-05"]
    assert [f.split(" (")[0] for f in best.failing] == ["uzbekistan is not a party to cst on 2022-01-05"]
