"""Scenario files: pydantic models of ``scenarios/*.yaml`` and loading with located errors."""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from ..errors import Diagnostic, Span, TreatyError
from .shape_errors import shape_diagnostics
from .yamlsource import YamlDocument, load_yaml

SCENARIO_SCHEMA = "treaty-engine/scenario/1"

#: Identifiers of entities, sources and facts: safe as clingo constants.
Ident = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,63}$")]


def _no_number(value: Any) -> Any:
    """A date is written YYYY-MM-DD: a number is not one (pydantic would read it as seconds since 1970)."""
    if isinstance(value, bool | int | float):
        raise PydanticCustomError("date_type", "expected a date")
    return value


#: A date as a scenario writes it: YYYY-MM-DD (unquoted, or quoted text), never a number.
Day = Annotated[date, BeforeValidator(_no_number)]

#: A whole number written in digits: not `true`, `2.0`, `"2"` (all of which pydantic would take).
Whole = Annotated[int, Field(strict=True)]


class Status(StrEnum):
    """How firmly a fact is established. Alleged and disputed facts are contested: both readings count."""

    established = "established"
    alleged = "alleged"
    disputed = "disputed"
    denied = "denied"

    @property
    def contested(self) -> bool:
        return self in (Status.alleged, Status.disputed)


class EntityKind(StrEnum):
    state = "state"
    organisation = "organisation"
    body = "body"
    group = "group"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(_Model):
    """A citation that facts can name as their source."""

    cite: str = Field(min_length=1, description="the citation: publisher, title, date")
    url: str | None = None
    file: str | None = Field(None, description="a local copy, relative to the project (e.g. seeds/...)")
    note: str | None = None


class Entity(_Model):
    kind: EntityKind
    name: str = Field(min_length=1, description="display name")
    note: str | None = None


class Fact(_Model):
    """A fact without a date, for predicates declared ``input`` without ``event``."""

    fact: str = Field(min_length=1)
    status: Status
    source: Ident
    note: str | None = None
    id: Ident | None = Field(None, description="a name for --assume and depends_on (default: the fact as written)")
    together_with: Ident | None = Field(
        None, description="the id of another fact or event this one stands or falls with: it takes that one's status, "
                          "and in every reading both hold or neither (a contested ground they share)")


class Event(_Model):
    """A dated event in the rules' vocabulary: ``requested(kazakhstan, russia, assistance)``."""

    event: str = Field(min_length=1)
    on: Day | Annotated[list[Day], Field(min_length=1)] = Field(
        description="the date; a list when sources disagree (exactly one is right)")
    status: Status
    source: Ident
    note: str | None = None
    id: Ident | None = Field(None, description="a name for --assume and depends_on (default: the event as written)")
    together_with: Ident | None = Field(
        None, description="the id of another fact or event this one stands or falls with: it takes that one's status, "
                          "and in every reading both hold or neither (a contested ground they share)")

    @property
    def dates(self) -> list[date]:
        return sorted(set(self.on)) if isinstance(self.on, list) else [self.on]


class Settings(_Model):
    immediately_days: Whole = Field(
        0, ge=0, le=366,
        description='how many days after its trigger a duty due "immediately" may be performed and still count '
                    "as performed in time (an interpretation, shown as an assumption in the findings)")


Kind = Literal["obligation", "permission", "prohibition", "notification"]
StatusName = Literal["pending", "active", "discharged", "discharged_late", "overdue", "ended", "depends"]


class Dependence(_Model):
    """What a conclusion needs (exactly one key): a contested fact accepted or rejected, or a position
    of an interpretation taken (``reading: INTERPRETATION=POSITION``) or not taken (``not_reading``)."""

    accepted: str | None = Field(None, description="the fact (or its label, with a date) must be accepted")
    rejected: str | None = Field(None, description="the fact (or its label, with a date) must be rejected")
    reading: str | None = Field(None, description="INTERPRETATION=POSITION: the reading must take that position")
    not_reading: str | None = Field(None, description="INTERPRETATION=POSITION: the reading must not take it")

    @model_validator(mode="after")
    def _one(self) -> Dependence:
        given = [v for v in (self.accepted, self.rejected, self.reading, self.not_reading) if v is not None]
        if len(given) != 1:
            raise ValueError("write one of `accepted: FACT`, `rejected: FACT`, `reading: INTERPRETATION=POSITION` "
                             "or `not_reading: INTERPRETATION=POSITION`")
        if self.reading is not None or self.not_reading is not None:
            if not re.fullmatch(r"[a-z][A-Za-z0-9_]*=[a-z][A-Za-z0-9_]*", given[0]):
                raise ValueError(f"`{given[0]}`: write INTERPRETATION=POSITION, e.g. art51_non_state=state_only")
        else:
            _whole_fact(given[0])
        return self

    @property
    def fact(self) -> str:
        return next(v for v in (self.accepted, self.rejected, self.reading, self.not_reading) if v is not None)

    def __str__(self) -> str:
        if self.reading is not None:
            return f"reading {self.reading} is taken"
        if self.not_reading is not None:
            return f"reading {self.not_reading} is not taken"
        return f"{self.fact} is {'accepted' if self.accepted is not None else 'rejected'}"


def _whole_fact(item: str) -> None:
    if item.count("(") != item.count(")"):
        raise ValueError(f"`{item}` is cut in two: in a [flow list] a comma separates items, so quote each "
                         'fact: ["armed_attack(a, b)"]')


#: An expected dependence: a fact (accepted), or `{accepted: FACT}` / `{rejected: FACT}`.
DependsOn = list[str | Dependence]


class Expectation(_Model):
    """A conclusion that must hold (or, with ``holds: none``, must not), matched on the fields given."""

    kind: Kind | None = None
    bearer: str | None = None
    action: str | None = None
    beneficiary: str | None = None
    recipient: str | None = None
    holds: Literal["all", "some", "none"] | None = Field(
        None, description="all: in every reading; some: only in some; none: in no reading")
    status: StatusName | None = None
    due: Day | Literal["immediately"] | None = Field(None, description='the due date, or "immediately"')
    triggered_on: Day | None = None
    basis: str | None = Field(None, description='a rule id, or "INSTRUMENT ARTICLE" such as "cst 4(2)"')
    depends_on: DependsOn | None = Field(
        None, description="the contested facts it depends on (all of them): a fact, meaning it must be accepted, "
                          "or {accepted: FACT} / {rejected: FACT}")
    status_depends_on: dict[StatusName, DependsOn] | None = Field(
        None, description="for each status it has in some readings: the contested facts that status depends on "
                          "(all of them, those the conclusion depends on included)")
    because: list[str] | None = Field(None, description="rule ids or articles that must appear in its explanation")
    count: Whole | None = Field(None, ge=0, description="how many conclusions must match (default: at least one)")
    id: str | None = None

    @field_validator("depends_on")
    @classmethod
    def _whole_facts(cls, items: DependsOn | None) -> DependsOn | None:
        for item in items or []:
            if isinstance(item, str):
                _whole_fact(item)
        return items


class ExpectError(_Model):
    """The scenario must be rejected with a diagnostic containing ``message`` (at ``line``, if given)."""

    message: str = Field(min_length=1)
    line: Whole | None = Field(None, ge=1)
    column: Whole | None = Field(None, ge=1)


class Variant(_Model):
    """A what-if on the scenario: statuses changed, events added or removed, each with its expectations."""

    description: str | None = None
    assume: dict[str, Status] = Field(default_factory=dict, description="fact id (or text) -> status")
    add_events: list[Event] = Field(default_factory=list)
    add_facts: list[Fact] = Field(default_factory=list)
    remove: list[str] = Field(default_factory=list, description="ids (or texts) of facts and events to drop")
    as_of: Day | None = None
    settings: Settings | None = None
    interpretations: dict[Ident, Ident] = Field(
        default_factory=dict, description="interpretation -> position (or `open`), over the scenario's own")
    expect: list[Expectation] = Field(default_factory=list)
    expect_error: ExpectError | None = None
    skip: str | None = Field(None, description="skip this variant, for this reason")


class Scenario(_Model):
    """A case: its sources, entities, facts and dated events, each with a status and a source."""

    title: str = Field(min_length=1)
    description: str | None = None
    as_of: Day = Field(description="the date the case is judged at; later events are left out")
    sources: dict[Ident, Source]
    instruments: list[Ident] | None = Field(None, description="the instruments to apply (default: all loaded)")
    entities: dict[Ident, Entity] = Field(default_factory=dict)
    facts: list[Fact] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    settings: Settings = Settings()
    interpretations: dict[Ident, Ident] = Field(
        default_factory=dict, description="interpretation -> the position this case takes, or `open` (a choice, "
                                          "like a contested fact); default: the rule files' own default")
    expect: list[Expectation] = Field(default_factory=list, description="conclusions that must (not) hold")
    expect_error: ExpectError | None = None
    variants: dict[Ident, Variant] = Field(default_factory=dict, description="named what-ifs")
    skip: str | None = Field(None, description="skip this scenario's own expectations, for this reason")


class LoadedScenario:
    """A validated scenario and the YAML document it came from (for locating later errors).

    ``origin`` maps paths of this scenario to where they stand in the document, for scenarios
    derived from another one (variants: their added events stand under ``variants:``).
    """

    def __init__(self, scenario: Scenario, doc: YamlDocument, origin: dict[tuple, tuple] | None = None,
                 variant: str | None = None) -> None:
        self.scenario = scenario
        self.doc = doc
        self.origin = origin or {}
        self.variant = variant

    def where(self, path: tuple) -> tuple:
        """The document path of a path of this scenario."""
        for n in range(len(path), 0, -1):
            if path[:n] in self.origin:
                return self.origin[path[:n]] + tuple(path[n:])
        return tuple(path)

    @property
    def file(self) -> str:
        return self.doc.file


def scenario_from_yaml(doc: YamlDocument) -> LoadedScenario:
    if not isinstance(doc.data, dict):
        raise TreatyError([Diagnostic(Span(doc.file, 1, 1), "a scenario is a mapping of keys such as `title:`")],
                          {doc.file: doc.text})
    try:
        scenario = Scenario.model_validate(doc.data)
    except ValidationError as err:
        raise TreatyError(shape_diagnostics(err, doc, Scenario), {doc.file: doc.text}) from None
    return LoadedScenario(scenario, doc)


SCENARIO_SUFFIXES = (".yaml", ".yml")


def scenarios_under(directory: Path) -> list[Path]:
    """The scenario files in a directory and below it, sorted."""
    return sorted(f for f in directory.rglob("*") if f.suffix in SCENARIO_SUFFIXES and f.is_file())


def read_scenario_text(path: Path) -> str:
    name = str(path)
    if not path.exists():
        raise TreatyError([Diagnostic(Span(name, 0, 0), "no such file")])
    if path.is_dir():
        raise TreatyError([Diagnostic(Span(name, 0, 0), "is a directory, not a scenario file")])
    from ..files import read_utf8
    from ..limits import stage

    stage(f"reading {name}")
    return read_utf8(path)


def load_scenario(path: str | Path) -> LoadedScenario:
    """Read and validate a scenario file. Raises :class:`TreatyError` with located diagnostics."""
    p = Path(path)
    text = read_scenario_text(p)
    return scenario_from_yaml(load_yaml(text, str(path)))


def scenario_from_dict(data: dict[str, Any], name: str = "<scenario>") -> LoadedScenario:
    """A scenario built in code (errors name the key paths; there are no lines to point at)."""
    doc = YamlDocument(name, "", data)
    return scenario_from_yaml(doc)
