"""Answer sets -> typed findings: the public result that the CLI, explanations and tests build on."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any, Literal

import clingo
from pydantic import BaseModel, ConfigDict, Field

from . import ast
from .dates import LAST_DAY, to_day
from .errors import Diagnostic, TreatyError
from .facts import ScenarioFacts
from .solve import Solution

FINDINGS_SCHEMA = "treaty-engine/findings/3"

Kind = Literal["obligation", "permission", "prohibition", "notification"]
StatusName = Literal["pending", "active", "discharged", "discharged_late", "overdue", "ended", "depends"]
KIND_ORDER = {"obligation": 0, "notification": 1, "permission": 2, "prohibition": 3}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Basis(_Model):
    """Where a conclusion comes from: the instrument, the article (and its wording), the rule."""

    instrument: str
    instrument_title: str
    article: str
    article_heading: str | None
    version: str | None = Field(description="the wording applied, for articles with several versions in time")
    rule: str
    rule_title: str | None
    file: str
    line: int
    references: list[str] = Field(description='"in accordance with" references, e.g. "un_charter article 51"')


class Due(_Model):
    kind: Literal["immediately", "within", "by"]
    date: dt.date = Field(description="the last day on which performing the duty counts as in time (the "
                                      "earliest of dates, when it differs by reading)")
    dates: list[dt.date] = Field(description="the last day in each reading: more than one when the date of "
                                             "what triggers the duty differs by reading")
    allowance_days: int | None = Field(None, description='for "immediately": the days allowed (an assumption)')
    within_days: int | None = None


class Until(_Model):
    event: str = Field(description="the event that ends it (a predicate of the rules)")
    meaning: str | None
    ended_on: list[dt.date] = Field(description="when it ended, in the readings where it did")


class Dependence(_Model):
    """A contested fact that must be settled one way for something to follow: accepted or rejected."""

    label: str = Field(description="the contested fact's label (contested[].label), or one of its dates")
    id: str = Field(description="the contested fact's id (contested[].id)")
    on: dt.date | None = Field(description="for a fact sources date differently: the date meant, else null")
    accepted: bool = Field(description="true: the fact must be accepted; false: it must be rejected")

    @property
    def text(self) -> str:
        return f"{self.label} is {'accepted' if self.accepted else 'rejected'}"


def conditions_text(deps: Sequence[Dependence], q: Callable[[str], str] = str) -> str:
    """``X is accepted and Y is rejected``: the wording every output uses."""
    return " and ".join(f"{q(d.label)} is {'accepted' if d.accepted else 'rejected'}" for d in deps)


def holds_text(c: Conclusion, q: Callable[[str], str] = str) -> str:
    if c.holds == "all":
        return "holds in every reading"
    return f"holds only if {conditions_text(c.depends_on, q)}" if c.depends_on else "holds in some readings"


def status_text(c: Conclusion, q: Callable[[str], str] = str) -> str:
    """Its status; when the readings differ, each status with what it needs beyond what the conclusion does."""
    if len(c.statuses) <= 1:
        return c.status
    own = set(c.depends_on)
    parts = []
    for s in c.statuses:
        extra = [d for d in c.status_depends_on.get(s, []) if d not in own]
        parts.append(f"{s} in some readings" + (f" (if {conditions_text(extra, q)})" if extra else ""))
    return "; ".join(parts)


def dates_text(days: Sequence[dt.date]) -> str:
    """``2022-01-05``, or ``2022-01-05 or 2022-01-06`` when the date differs by reading."""
    return " or ".join(d.isoformat() for d in days)


def from_text(c: Conclusion) -> str:
    """``from 2022-01-05`` (``from 2022-01-05 or 2022-01-06`` when the trigger date differs by reading)."""
    return f"from {dates_text(c.trigger_dates or [c.triggered_on])}"


def ended_text(c: Conclusion) -> str:
    """``ended DATE`` (``in some readings`` when in others it is not ended), or nothing."""
    if c.until is None or not c.until.ended_on:
        return ""
    some = " in some readings" if "ended" in c.statuses and len(c.statuses) > 1 else ""
    return f"ended {', '.join(d.isoformat() for d in c.until.ended_on)}{some}"


class Conclusion(_Model):
    id: str = Field(description="stable: rule/bearer/action/counterparty/triggered_on")
    kind: Kind
    bearer: str
    action: str
    beneficiary: str | None = Field(description="whom an obligation, permission or prohibition concerns")
    recipient: str | None = Field(description="whom a notification goes to")
    basis: Basis
    triggered_on: dt.date = Field(description="the day it arises (the earliest of trigger_dates)")
    trigger_dates: list[dt.date] = Field(description="the day it arises in each reading: more than one when sources "
                                                     "disagree on the date of the facts that trigger it")
    due: Due | None
    until: Until | None
    status: StatusName = Field(description='"depends" when the readings disagree; see statuses')
    statuses: list[StatusName] = Field(description="its status in each reading where it holds (deduplicated)")
    discharged_on: list[dt.date]
    holds: Literal["all", "some"]
    depends_on: list[Dependence] = Field(
        description="contested facts accepted (or rejected) in every reading where it holds")
    status_depends_on: dict[StatusName, list[Dependence]] = Field(
        description="for each of its statuses: the contested facts accepted (or rejected) in every reading "
                    "where it has that status")


class ContestedFact(_Model):
    label: str
    id: str
    fact: str
    on: list[dt.date]
    status: str
    source: str
    note: str | None


class ScenarioInfo(_Model):
    title: str
    file: str
    as_of: dt.date


class Assumptions(_Model):
    immediately_days: int = Field(description='days allowed for "immediately" when judging compliance')
    assumed: dict[str, str] = Field(description="statuses overridden with --assume")


class Findings(_Model):
    """What the treaties require, permit and forbid in a scenario, and how firmly it follows."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    schema_: str = Field(FINDINGS_SCHEMA, alias="schema")
    scenario: ScenarioInfo
    assumptions: Assumptions
    readings: int = Field(description="how many readings of the contested facts there are")
    contested: list[ContestedFact]
    left_out: list[str] = Field(description="events after the as-of date, not taken into account")
    conclusions: list[Conclusion]

    # ---- queries for test code and scripts ----------------------------------------
    def get(self, id: str) -> Conclusion:
        """The conclusion with this id (KeyError if there is none)."""
        index = self.__dict__.get("_by_id")
        if index is None:  # built on first use; the model is frozen, so it never goes stale
            index = {c.id: c for c in self.conclusions}
            self.__dict__["_by_id"] = index
        return index[id]

    def select(self, kind: str | None = None, **fields: object) -> list[Conclusion]:
        """Conclusions whose fields equal the ones given, e.g. ``select("obligation", bearer="russia")``.

        Besides the conclusion's own fields, ``rule``, ``instrument``, ``article`` and ``version`` match
        its basis; dates may be given as ``date`` objects or ``"YYYY-MM-DD"``.
        """
        def value(c: Conclusion, name: str) -> object:
            if name in ("rule", "instrument", "article", "version"):
                return getattr(c.basis, name)
            if name not in Conclusion.model_fields:
                raise TypeError(f"conclusions have no field `{name}`")
            v = getattr(c, name)
            return v.isoformat() if isinstance(v, dt.date) and isinstance(fields[name], str) else v

        return [c for c in self.conclusions
                if (kind is None or c.kind == kind) and all(value(c, k) == v for k, v in fields.items())]

    def obligations(self, **fields: object) -> list[Conclusion]:
        return self.select("obligation", **fields)

    def permissions(self, **fields: object) -> list[Conclusion]:
        return self.select("permission", **fields)

    def prohibitions(self, **fields: object) -> list[Conclusion]:
        return self.select("prohibition", **fields)

    def notifications(self, **fields: object) -> list[Conclusion]:
        return self.select("notification", **fields)

    def holds(self, kind: str | None = None, **fields: object) -> Literal["all", "some", "none"]:
        """How firmly a conclusion with these fields follows: ``all`` readings, ``some``, or ``none``.

        With several matching conclusions, the firmest counts.
        """
        found = self.select(kind, **fields)
        if any(c.holds == "all" for c in found):
            return "all"
        return "some" if found else "none"

    @classmethod
    def from_document(cls, doc: dict[str, Any]) -> Findings:
        """Findings from their JSON data as :func:`findings_document` writes it, trusted: nothing is
        validated (``Findings.model_validate`` checks data from elsewhere)."""
        day = _Dates()
        bases: dict[int, Basis] = {}
        conclusions = []
        for c in doc["conclusions"]:
            b = c["basis"]
            basis = bases.get(id(b))
            if basis is None:
                basis = bases[id(b)] = Basis.model_construct(**b)
            due, until = c["due"], c["until"]
            conclusions.append(Conclusion.model_construct(**{
                **c, "basis": basis, "triggered_on": day[c["triggered_on"]],
                "trigger_dates": [day[d] for d in c["trigger_dates"]],
                "depends_on": [_dependence(d, day) for d in c["depends_on"]],
                "status_depends_on": {k: [_dependence(d, day) for d in v] for k, v in c["status_depends_on"].items()},
                "due": None if due is None else Due.model_construct(**{**due, "date": day[due["date"]],
                                                                       "dates": [day[d] for d in due["dates"]]}),
                "until": None if until is None else Until.model_construct(
                    **{**until, "ended_on": [day[d] for d in until["ended_on"]]}),
                "discharged_on": [day[d] for d in c["discharged_on"]]}))
        sc = doc["scenario"]
        return cls.model_construct(
            schema_=doc["schema"], scenario=ScenarioInfo.model_construct(**{**sc, "as_of": day[sc["as_of"]]}),
            assumptions=Assumptions.model_construct(**doc["assumptions"]), readings=doc["readings"],
            contested=[ContestedFact.model_construct(**{**f, "on": [day[d] for d in f["on"]]})
                       for f in doc["contested"]],
            left_out=list(doc["left_out"]), conclusions=conclusions)

    def to_json(self) -> str:
        from .jsonout import pretty

        return pretty(self.model_dump(mode="json", by_alias=True)) + "\n"


def _dependence(d: dict[str, Any], day: _Dates) -> Dependence:
    return Dependence.model_construct(**{**d, "on": None if d["on"] is None else day[d["on"]]})


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


class _Dates(dict[str, dt.date]):
    def __missing__(self, text: str) -> dt.date:
        day = self[text] = dt.date.fromisoformat(text)
        return day


def _split(args: str) -> list[str]:
    """The top-level arguments of a printed clingo term's argument list."""
    if '"' not in args and "(" not in args:
        return args.split(",")
    out, depth, start, quoted, escaped = [], 0, 0, False, False
    for i, ch in enumerate(args):
        if quoted:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                quoted = False
        elif ch == '"':
            quoted = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "," and depth == 0:
            out.append(args[start:i])
            start = i + 1
    out.append(args[start:])
    return out


#: A printed atom whose arguments are constants and numbers (no strings, no nested terms).
_SIMPLE_ATOM = re.compile(r"(\w+)\(([^()\"]*)\)")

#: Shown atoms by predicate: each with the text of its arguments, as clingo prints them.
Decoded = dict[str, list[tuple[clingo.Symbol, str]]]

#: Atoms printed per call across clingo's boundary: few calls, and a bounded text each.
_CHUNK = 16_384


def _decode_in_order(symbols: Sequence[clingo.Symbol]) -> list[tuple[str, str]]:
    """(name, the text of the arguments) of each atom, in order.

    Crossing clingo's boundary costs more than anything done with the text: atoms are printed
    many at a time, as a tuple, and split here; arguments stay one text until a conclusion needs
    them apart. Where an atom carries a string or a nested term, each atom of its batch is
    printed on its own.
    """
    out: list[tuple[str, str]] = []
    for start in range(0, len(symbols), _CHUNK):
        chunk = symbols[start:start + _CHUNK]
        text = str(clingo.Tuple_(chunk))
        inner = text[1:-2] if len(chunk) == 1 else text[1:-1]  # a 1-tuple prints as "(a,)"
        found = _SIMPLE_ATOM.findall(inner)
        if len(found) == len(chunk) and _SIMPLE_ATOM.sub("", inner) == "," * (len(chunk) - 1):
            out += found
            continue
        for sym in chunk:
            printed = str(sym)
            i = printed.find("(")
            out.append((printed[:i], printed[i + 1:-1]) if i > 0 else (printed, ""))
    return out


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
    numbers = {(m.item.id, None if m.on is None else m.on.isoformat()): n for n, m in solution.markers.items()}
    assumptions: list[Any] = list(solution.assumptions)
    assumptions += [(sym, False) for sym in members]
    for d in common:
        assumptions.append((clingo.Function("te_true", [clingo.Number(numbers[(d["id"], d["on"])])]), d["accepted"]))
    conf = ctl.configuration.solve
    mode, models = conf.enum_mode, conf.models  # type: ignore[union-attr]
    try:
        conf.enum_mode, conf.models = "auto", "1"  # type: ignore[union-attr]
        return bool(ctl.solve(assumptions=assumptions).unsatisfiable)
    finally:
        conf.enum_mode, conf.models = mode, models  # type: ignore[union-attr]


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


def findings_from_solution(facts: ScenarioFacts, solution: Solution) -> Findings:
    """The typed findings of a solved scenario."""
    return Findings.from_document(findings_document(facts, solution))


def findings_document(facts: ScenarioFacts, solution: Solution) -> dict[str, Any]:
    """Decode the consequences into the findings as JSON data (what ``Findings.model_dump(mode="json",
    by_alias=True)`` gives), sorted so that the same input gives the same output.

    JSON output is written from this directly: building typed objects and dumping them again
    cost more than solving on large scenarios (issue 7); :class:`Findings` is made from it on demand.
    """
    from .limits import stage

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
        # said once: another date of an event accepted excludes this one; the event rejected, each of its dates
        on_date = {(markers[i].item.id, markers[i].on) for i in accepted if markers[i].on is not None}
        whole = {markers[i].item.id for i in rejected if markers[i].on is None}
        rejected = [i for i in rejected if markers[i].on is None or markers[i].item.id not in whole and not any(
            item == markers[i].item.id and on != markers[i].on for item, on in on_date)]
        out = [{"label": m.label, "id": m.item.id, "on": None if m.on is None else m.on.isoformat(), "accepted": truth}
               for truth, numbers in ((True, accepted), (False, rejected)) for m in (markers[i] for i in numbers)]
        return sorted(out, key=lambda d: (d["label"], not d["accepted"]))

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
            symbols[f"{rule.id}/{bearer}/{action}/{party}/{trig}"] = sym
            conclusions.append({
                "id": f"{rule.id}/{bearer}/{action}/{party}/{trig}", "kind": kind, "bearer": bearer, "action": action,
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
    contested_items = {m.item.id: m.item for m in solution.markers.values()}
    contested = [{"label": it.label(), "id": it.id, "fact": it.text, "on": [d.isoformat() for d in it.dates],
                  "status": it.status.value, "source": it.source, "note": it.note}
                 for it in sorted(contested_items.values(), key=lambda i: (i.text, i.dates))]
    return {
        "schema": FINDINGS_SCHEMA,
        "scenario": {"title": sc.title, "file": facts.loaded.file, "as_of": facts.as_of.isoformat()},
        "assumptions": {"immediately_days": facts.immediately_days,
                        "assumed": {k: v.value for k, v in sorted(facts.assumed.items())}},
        "readings": solution.readings, "contested": contested,
        "left_out": sorted(it.label() for it in facts.left_out), "conclusions": conclusions}
