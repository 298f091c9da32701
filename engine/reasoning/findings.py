"""Answer sets -> typed findings: the public result that the CLI, explanations and tests build on.

Findings are built here from a solution; their typed model is :mod:`engine.reasoning.findings_model`, the
wording every output shares is :mod:`engine.reasoning.findings_text` (both importable from here).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import clingo

from ..cases.facts import ScenarioFacts
from ..dates import LAST_DAY, to_day
from ..errors import Diagnostic, TreatyError
from ..language import ast
from ..language.compile import notice_variables
from ..language.rulebase import RuleBase
from .encoding import Marker
from .findings_model import (
    FINDINGS_SCHEMA,
    KIND_ORDER,
    Assumptions,
    Basis,
    Conclusion,
    ContestedFact,
    Dependence,
    Due,
    Findings,
    Kind,
    ScenarioInfo,
    StatusName,
    Until,
)
from .findings_text import conditions_text, dates_text, ended_text, from_text, holds_text, status_text
from .ids import conclusion_id
from .printed import _decode_in_order, _split
from .solve import Solution

__all__ = ["FINDINGS_SCHEMA", "KIND_ORDER", "Assumptions", "Basis", "Conclusion", "ContestedFact", "Decoded",
           "Dependence", "Due", "Findings", "Kind", "ScenarioInfo", "StatusName", "Until", "conditions_text",
           "dates_text", "ended_text", "findings_document", "findings_from_solution", "from_text", "holds_text",
           "status_text"]


class _AfterCalendar(Exception):
    """A day number that no date names: a deadline (or a date the rules work out) after 9999-12-31."""


class _Days(dict[int, str]):
    """ISO text of a clingo day number, worked out once per day (a scenario has few distinct days)."""

    def __missing__(self, day: int) -> str:
        if not 0 < day <= LAST_DAY:
            raise _AfterCalendar(day)
        text = self[day] = dt.date.fromordinal(day).isoformat()
        return text


def _after_calendar(facts: ScenarioFacts, rule: ast.Rule, kind: str, bearer: str, action: str, trigger: int,
                    deadline: bool) -> TreatyError:
    """The user's error, located at the event that triggered the conclusion (or at the rule): the
    engine reads dates up to 9999-12-31, and a deadline after it cannot be written, nor judged."""
    loaded = facts.loaded
    what = f"`{kind} {bearer} {action}` (rule `{rule.id}`)"
    due = rule.due
    if deadline and due is not None:
        message = f"{what} falls due after 9999-12-31, the last day a date can name"
        hint = ("is the year right? \"immediately\" allows it "
                f"{facts.immediately_days} days here (settings.immediately_days)" if due.kind == "immediately"
                else f"is the year right? the rule allows it {due.days} days")
        notes: tuple[str, ...] = (f"{due.span}: the rule's deadline",)
    else:
        message = f"{what} falls on a day after 9999-12-31, the last day a date can name"
        hint, notes = "is the year right?", (f"{rule.span}: rule `{rule.id}`",)
    on = [it for it in facts.items if any(to_day(d) == trigger for d in it.dates)]
    span = loaded.doc.span(loaded.where((*on[0].path, "on"))) if on else None
    if span is None:
        span, notes = (due.span if deadline and due is not None else rule.span), ()
    return TreatyError([Diagnostic(span, message, hint, notes=notes)],
                       {**facts.rules.texts, loaded.file: loaded.doc.text})


#: Shown atoms by predicate: each with the text of its arguments, as clingo prints them.
Decoded = dict[str, list[tuple[clingo.Symbol, str]]]


def _decode(symbols: Sequence[clingo.Symbol], skip: str = "") -> tuple[Decoded, set[str]]:
    """Shown atoms by predicate, with the text of their arguments (see :func:`_decode_in_order`),
    and the argument texts of the ``skip`` atoms (looked up, not decoded)."""
    out: Decoded = defaultdict(list)
    skipped: set[str] = set()
    for sym, (name, args) in zip(symbols, _decode_in_order(symbols), strict=True):
        if name != skip:
            out[name].append((sym, args))
        else:
            skipped.add(args)
    return out, skipped


def _merge_date_alternatives(conclusions: list[dict[str, Any]], symbols: dict[str, clingo.Symbol],
                             solution: Solution) -> list[dict[str, Any]]:
    """One conclusion per duty when only the date of what triggers it differs by reading (issue 12).

    Sources may disagree on the date of an event (``on: [d1, d2]``); each reading takes one date, so
    the grounding has one conclusion per date, each holding in some readings only. Conclusions of
    the same rule, bearer, action and counterparty that each need one date of the same facts, and
    otherwise the same, are one duty if the solver confirms it: no reading that meets what they
    all need lacks every one of them. The merged conclusion holds as that says (in every reading
    when they need nothing else), with the trigger dates, deadlines, statuses and discharges of
    all of them; its id is that of the earliest.
    """
    groups: dict[tuple, list[dict[str, Any]]] = defaultdict(list)
    for c in conclusions:
        if c["holds"] != "some":
            continue
        dated = frozenset(d["id"] for d in c["depends_on"] if d["accepted"] and d["on"] is not None)
        if dated:
            groups[(c["kind"], c["basis"]["rule"], c["bearer"], c["action"], c["beneficiary"], c["recipient"],
                    dated)].append(c)
    merged: dict[str, dict[str, Any]] = {}  # member id -> the conclusion it becomes part of
    for members in groups.values():
        if len(members) < 2:
            continue
        common = [d for d in members[0]["depends_on"] if not (d["accepted"] and d["on"] is not None)
                  and all(d in m["depends_on"] for m in members[1:])]
        if not _union_holds(solution, [symbols[m["id"]] for m in members], common):
            continue
        whole = _merged(sorted(members, key=lambda m: m["triggered_on"]), common)
        merged.update({m["id"]: whole for m in members})
    if not merged:
        return conclusions
    out, seen = [], set()
    for c in conclusions:
        whole = merged.get(c["id"], c)
        if id(whole) not in seen:
            seen.add(id(whole))
            out.append(whole)
    return out


def _union_holds(solution: Solution, members: list[clingo.Symbol], common: list[dict[str, Any]]) -> bool:
    """True if no reading that meets ``common`` lacks every one of ``members`` (asked of the solver)."""
    ctl = solution.ctl
    if ctl is None:  # let go: the conclusions stay as they are, each with its date (still true)
        return False
    numbers = {marker_key(m): n for n, m in solution.markers.items()}
    assumptions: list[Any] = [(sym, False) for sym in members]
    for d in common:
        key = (d["kind"], d["id"], d["position"] if d["kind"] == "interpretation" else d["on"])
        assumptions.append((clingo.Function("te_true", [clingo.Number(numbers[key])]), d["accepted"]))
    return not solution.satisfiable(assumptions)


def _merged(members: list[dict[str, Any]], common: list[dict[str, Any]]) -> dict[str, Any]:
    first = members[0]
    statuses = sorted({s for m in members for s in m["statuses"]})
    by_status = {}
    for s in statuses:
        having = [m["status_depends_on"][s] for m in members if s in m["status_depends_on"]]
        if len(having) == len(members):  # in every reading of the duty: what all of them need there
            by_status[s] = [d for d in having[0] if all(d in h for h in having[1:])]
        else:
            by_status[s] = having[0] if len(having) == 1 else [d for d in having[0] if all(d in h for h in having[1:])]
    due = first["due"]
    if due is not None:
        dates = sorted({d for m in members if m["due"] is not None for d in m["due"]["dates"]})
        due = {**due, "date": dates[0], "dates": dates}
    until = first["until"]
    if until is not None:
        until = {**until, "ended_on": sorted({d for m in members for d in m["until"]["ended_on"]})}
    return {**first, "trigger_dates": sorted({d for m in members for d in m["trigger_dates"]}), "due": due,
            "until": until, "statuses": statuses, "status": statuses[0] if len(statuses) == 1 else "depends",
            "discharged_on": sorted({d for m in members for d in m["discharged_on"]}),
            "holds": "some" if common else "all", "depends_on": common, "status_depends_on": by_status}


def marker_key(m: Marker) -> tuple[str, str, str | None]:
    """A marker as its dependences name it: (kind, id, the position or the date)."""
    if m.reading is not None:
        return ("interpretation", m.reading[0], m.reading[1])
    assert m.item is not None
    return ("fact", m.item.id, None if m.on is None else m.on.isoformat())


def _dependence(m: Marker, accepted: bool) -> dict[str, Any]:
    kind, ident, third = marker_key(m)
    if kind == "interpretation":
        return {"kind": kind, "label": m.label, "id": ident, "on": None, "position": third, "accepted": accepted}
    return {"kind": kind, "label": m.label, "id": ident, "on": third, "position": None, "accepted": accepted}


def interpretations_document(facts: ScenarioFacts) -> list[dict[str, Any]]:
    """Each interpretation of the rules: its question, positions with their sources, and the position
    the reading takes (None: open) and who set it (the rules' default, the scenario, an option)."""
    rb = facts.rules.base
    own = facts.loaded.scenario.interpretations
    out = []
    for name, position in sorted(facts.positions.items()):
        interp = rb.interpretations[name]
        set_by = "option" if name in facts.interpreted else "scenario" if name in own else "rules"
        out.append({
            "id": name, "question": interp.question, "position": position, "set_by": set_by,
            "default": interp.default,
            "positions": [{"id": p.id, "statement": p.statement,
                           "sources": [rb.sources[s].citation for s in p.sources if s in rb.sources]}
                          for p in interp.positions]})
    return out


def findings_from_solution(facts: ScenarioFacts, solution: Solution) -> Findings:
    """The typed findings of a solved scenario."""
    return Findings.from_document(findings_document(facts, solution))


def findings_document(facts: ScenarioFacts, solution: Solution) -> dict[str, Any]:
    """Decode the consequences into the findings as JSON data (what ``Findings.model_dump(mode="json",
    by_alias=True)`` gives), sorted so that the same input gives the same output.

    JSON output is written from this directly: building typed objects and dumping them again
    cost more than solving on large scenarios (issue 7); :class:`Findings` is made from it on demand.
    """
    from ..limits import stage

    stage(f"reading the conclusions of {facts.loaded.file}")
    rb = facts.rules.base
    # te_counter atoms (#conclusions not facts x #contested facts) are only looked up, for the
    # conclusions that hold in some readings: kept as argument texts, not decoded (issue 7)
    brave, counters = _decode(list(solution.brave), skip="te_counter" if solution.markers else "")
    counters |= solution.counters
    # with nothing contested there is one reading: what holds in some holds in all
    cautious = None if not solution.markers else solution.cautious
    iso = _Days()

    def per_key(name: str) -> dict[str, list[str]]:
        # te_deadline(R,B,A,P,D, X) and the like: keyed by the conclusion's arguments, as printed;
        # the last argument is a number or a name, so the last comma divides them
        out: dict[str, list[str]] = defaultdict(list)
        for _, text in brave.get(name, []):
            head, _, last = text.rpartition(",")
            out[head].append(last)
        return out

    deadlines, done, ends, statuses = (per_key(n) for n in ("te_deadline", "te_done", "te_ends", "te_status"))
    markers = solution.markers

    def dependence(sym: clingo.Symbol, key: str, what: str) -> list[dict[str, Any]]:
        """What the conclusion (``what`` = concl) or one of its statuses needs of the contested facts: those
        without a reading that has it with the fact false (accepted), or with the fact true (rejected)."""
        def countered(i: int, truth: int) -> bool:
            return f"{key},{what},{i},{truth}" in counters

        accepted = [i for i in markers if not countered(i, 0)]
        rejected = [i for i in markers if not countered(i, 1)]
        # said once: another date of an event accepted excludes this one; the event rejected, each of its
        # dates; a position of an interpretation taken, the others
        on_date = {(markers[i].item.id, markers[i].on) for i in accepted  # type: ignore[union-attr]
                   if markers[i].on is not None}
        taken = {m.reading[0] for m in (markers[i] for i in accepted) if m.reading is not None}
        whole = {m.item.id for m in (markers[i] for i in rejected) if m.item is not None and m.on is None}

        def said(m: Marker) -> bool:
            if m.reading is not None:
                return m.reading[0] not in taken
            assert m.item is not None
            return m.on is None or m.item.id not in whole and not any(
                item == m.item.id and on != m.on for item, on in on_date)
        rejected = [i for i in rejected if said(markers[i])]
        out = [_dependence(markers[i], truth) for truth, numbers in ((True, accepted), (False, rejected))
               for i in numbers]
        return sorted(out, key=lambda d: (d["kind"] != "fact", d["label"], not d["accepted"]))

    conclusions: list[dict[str, Any]] = []
    symbols: dict[str, clingo.Symbol] = {}  # conclusion id -> its te_concl atom
    bases: dict[str, dict[str, Any]] = {}
    try:
        for sym, text in brave.get("te_concl", []):
            kind, _, key = text.partition(",")  # te_concl(Kind, R,B,A,P,D): the kind is a name
            r, bearer, action, party, trigger = _split(key)
            rule = rb.rules[r]
            basis = bases.get(r)
            if basis is None:  # one per rule, shared by its conclusions
                art = rb.article_of(rule)
                inst = rb.instruments[rule.instrument]
                basis = bases[r] = {
                    "instrument": inst.id, "instrument_title": inst.title, "article": rule.article,
                    "article_heading": art.heading, "version": rule.version, "rule": rule.id, "rule_title": rule.title,
                    "file": rule.span.file, "line": rule.span.line,
                    "references": [f"{ref.instrument} article {ref.article}" for ref in rule.references]}
            due = None
            if rule.due is not None and deadlines.get(key):
                last = sorted({int(d) for d in deadlines[key]})
                due = {"kind": rule.due.kind, "date": iso[last[0]], "dates": [iso[d] for d in last],
                       "allowance_days": facts.immediately_days if rule.due.kind == "immediately" else None,
                       "within_days": rule.due.days}
            until = None
            if rule.until is not None:
                decl = rb.predicates.get(rule.until.atom.name)
                until = {"event": rule.until.atom.name, "meaning": decl.meaning if decl else None,
                         "ended_on": [iso[d] for d in sorted({int(d) for d in ends.get(key, [])})]}
            states = sorted(set(statuses.get(key, [])))
            holds = "all" if cautious is None or sym in cautious else "some"
            depends = dependence(sym, key, "concl") if holds == "some" else []
            if len(states) > 1:
                by_status = {s: dependence(sym, key, s) for s in states}
            else:
                by_status = {s: depends for s in states}
            party_name = None if party == "none" else party
            trig = iso[int(trigger)]
            cid = conclusion_id(rule.id, bearer, action, party, trig)
            symbols[cid] = sym
            conclusions.append({
                "id": cid, "kind": kind, "bearer": bearer, "action": action,
                "beneficiary": None if kind == "notification" else party_name,
                "recipient": party_name if kind == "notification" else None, "basis": basis, "triggered_on": trig,
                "trigger_dates": [trig],
                "due": due, "until": until, "status": states[0] if len(states) == 1 else "depends", "statuses": states,
                "discharged_on": [iso[d] for d in sorted({int(d) for d in done.get(key, [])})], "holds": holds,
                "depends_on": depends, "status_depends_on": by_status})
    except _AfterCalendar as beyond:
        late = rule.due is not None and beyond.args[0] in {int(d) for d in deadlines.get(key, [])}
        raise _after_calendar(facts, rule, kind, bearer, action, int(trigger), late) from None
    conclusions = _merge_date_alternatives(conclusions, symbols, solution)
    # ISO dates sort as the dates do
    conclusions.sort(key=lambda c: (KIND_ORDER[c["kind"]], c["basis"]["instrument"], c["basis"]["article"],
                                    c["basis"]["rule"], c["bearer"], c["action"],
                                    c["beneficiary"] or c["recipient"] or "", c["triggered_on"]))
    sc = facts.loaded.scenario
    contested_items = {m.item.id: m.item for m in solution.markers.values() if m.item is not None}
    contested = [{"label": it.label(), "id": it.id, "fact": it.text, "on": [d.isoformat() for d in it.dates],
                  "status": it.status.value, "source": it.source, "note": it.note}
                 for it in sorted(contested_items.values(), key=lambda i: (i.text, i.dates))]
    doc = {
        "schema": FINDINGS_SCHEMA,
        "scenario": {"title": sc.title, "file": facts.loaded.file, "as_of": facts.as_of.isoformat()},
        "assumptions": {"immediately_days": facts.immediately_days,
                        "assumed": {k: v.value for k, v in sorted(facts.assumed.items())}},
        "readings": solution.readings, "contested": contested, "interpretations": interpretations_document(facts),
        "left_out": sorted(it.label() for it in facts.left_out), "conclusions": conclusions,
        "names": _names(facts, conclusions, contested_items.values())}
    notices = _notices(rb, brave.get("te_notice", []), cautious, iso)
    if notices:  # said only where there are some: findings without notices are as before
        doc["notices"] = notices
    return doc


def _notices(rb: RuleBase, shown: list[tuple[clingo.Symbol, str]], cautious: frozenset[clingo.Symbol] | None,
             iso: _Days) -> list[dict[str, Any]]:
    """The rule base's notices whose conditions hold in some reading, with the values of their variables
    (dates as ISO dates), and whether they hold in every reading."""
    out = []
    for sym, _ in shown:
        nid, args = sym.arguments
        notice = rb.notices[nid.name]
        kinds = rb.rule_var_kinds.get(notice.id, {})
        values = {}
        for name, value in zip(notice_variables(notice), args.arguments, strict=False):
            values[name] = iso[value.number] if kinds.get(name) == "date" and value.type == clingo.SymbolType.Number \
                else str(value)
        out.append({"id": notice.id, "title": notice.title, "instrument": notice.instrument,
                    "article": notice.article, "file": notice.span.file, "line": notice.span.line,
                    "values": values, "holds": "all" if cautious is None or sym in cautious else "some"})
    return sorted(out, key=lambda n: (n["id"], sorted(n["values"].items())))


def _names(facts: ScenarioFacts, conclusions: list[dict[str, Any]], items: Any) -> dict[str, str]:
    """The display names of the entities the findings name (issue 14): the scenario's, else the rule base's."""
    known = {p.entity: p.name for p in reversed(facts.rules.base.parties) if p.name}
    known.update({k: e.name for k, e in facts.loaded.scenario.entities.items()})
    named = {c[k] for c in conclusions for k in ("bearer", "beneficiary", "recipient") if c[k]}
    named |= {str(a) for it in items for sym in it.symbols for a in sym.arguments}
    return {k: known[k] for k in sorted(named) if k in known}
