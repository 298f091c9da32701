"""The findings, typed: the public result that the CLI, explanations and tests build on.

:func:`engine.reasoning.findings.findings_document` writes them as JSON data from the answer sets;
:meth:`Findings.from_document` makes the typed result from that data.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_serializer

FINDINGS_SCHEMA = "treaty-engine/findings/5"

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
    """What must be settled one way for something to follow: a contested fact accepted or rejected
    (``kind: fact``), or a position of an open interpretation taken or not (``kind: interpretation``)."""

    kind: Literal["fact", "interpretation"] = Field(
        description="fact: a contested fact of the case; interpretation: a contested question of law")
    label: str = Field(description="the contested fact's label (contested[].label), or one of its dates; for an "
                                   "interpretation, INTERPRETATION=POSITION")
    id: str = Field(description="the contested fact's id (contested[].id), or the interpretation's "
                                "(interpretations[].id)")
    on: dt.date | None = Field(description="for a fact sources date differently: the date meant, else null")
    position: str | None = Field(description="for an interpretation: the position meant, else null")
    accepted: bool = Field(description="true: the fact must be accepted (the position taken); false: the fact "
                                       "rejected (the position not taken)")

    @property
    def text(self) -> str:
        if self.kind == "interpretation":
            return f"reading {self.label} is {'taken' if self.accepted else 'not taken'}"
        return f"{self.label} is {'accepted' if self.accepted else 'rejected'}"


class InterpretationPosition(_Model):
    id: str
    statement: str
    sources: list[str] = Field(description="the citations of its sources")


class InterpretationTaken(_Model):
    """A contested question of law, and the position the readings take (null: open, a choice)."""

    id: str
    question: str
    position: str | None = Field(description="the position taken; null: open (conclusions may depend on it)")
    set_by: Literal["rules", "scenario", "option"] = Field(description="rules: the rule files' default; scenario: "
                                                                       "its `interpretations:`; option: --interpret")
    default: str | None = Field(description="the rule files' default (null: open)")
    positions: list[InterpretationPosition]


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


class Notice(_Model):
    """A notice of the rule base (``notice ID: when ...``) whose conditions hold: something the rules
    cannot decide from the case as stated, said instead of concluding nothing in silence."""

    id: str
    title: str | None
    instrument: str
    article: str
    file: str
    line: int
    values: dict[str, str] = Field(description="the values of the notice's variables (dates as ISO dates)")
    holds: str = Field(description="`all`: in every reading; `some`: in some readings only")


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
    readings: int = Field(description="how many readings of the contested facts and open interpretations there are")
    contested: list[ContestedFact]
    interpretations: list[InterpretationTaken] = Field(
        default_factory=list, description="the contested questions of law the rules declare, and the position taken")
    left_out: list[str] = Field(description="events after the as-of date, not taken into account")
    conclusions: list[Conclusion]
    names: dict[str, str] = Field(
        default_factory=dict, description="the display name of each entity the conclusions and contested facts "
                                          "name that has one (id -> name): the scenario's entities, else the rule "
                                          "base's parties")
    notices: list[Notice] = Field(
        default_factory=list, description="the rule base's notices whose conditions hold (absent from JSON if none)")

    @model_serializer(mode="wrap")
    def _without_empty_notices(self, handler: Any) -> dict[str, Any]:
        """As findings_document writes them: no `notices` key when there are none."""
        doc = handler(self)
        if not doc.get("notices"):
            doc.pop("notices", None)
        return doc

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
            interpretations=[InterpretationTaken.model_construct(**{**i, "positions": [
                InterpretationPosition.model_construct(**p) for p in i["positions"]]})
                for i in doc.get("interpretations", [])],
            left_out=list(doc["left_out"]), conclusions=conclusions, names=dict(doc.get("names", {})),
            notices=[Notice.model_construct(**n) for n in doc.get("notices", [])])

    def to_json(self) -> str:
        from ..jsonout import pretty

        return pretty(self.model_dump(mode="json", by_alias=True)) + "\n"


def _dependence(d: dict[str, Any], day: _Dates) -> Dependence:
    return Dependence.model_construct(**{**d, "on": None if d["on"] is None else day[d["on"]]})


class _Dates(dict[str, dt.date]):
    def __missing__(self, text: str) -> dt.date:
        day = self[text] = dt.date.fromisoformat(text)
        return day
