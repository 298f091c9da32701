"""Scenario -> clingo symbols, checked against the rules' vocabulary (``scenario_to_facts``).

Scenario text never reaches the ASP program as text: every fact becomes a
:class:`clingo.Symbol` built through the API, after its names were validated.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date

import clingo

from ..dates import to_day
from ..errors import Diagnostic, TreatyError, did_you_mean
from ..language import ast
from ..language.atoms import parse_atom
from ..language.load import Rules
from ..language.vocabulary import BUILTINS, ENTITY_KINDS, a_kind, undeclared_symbol
from .readings import check_together, in_play, leader, together
from .scenario import EntityKind, LoadedScenario, Status
from .state_names import aliases, like, snake
from .yamlsource import Path


@dataclass(frozen=True)
class FactItem:
    """One fact or event of a scenario, ready for the solver."""

    id: str
    text: str  # canonical: requested(kazakhstan, russia, assistance)
    predicate: str
    status: Status
    dates: tuple[date, ...]  # empty for a fact without date; several when sources disagree
    source: str
    note: str | None
    symbols: tuple[clingo.Symbol, ...]  # one per date (one for a fact without date)
    path: Path  # where it stands in the YAML document
    cut: bool = False  # some of its possible dates lie after the as-of date
    together_with: str | None = None  # the id of the fact it stands or falls with (it takes that one's status)

    @property
    def contested(self) -> bool:
        return self.status.contested

    def label(self, on: date | None = None) -> str:
        if on is not None:
            return f"{self.text} on {on.isoformat()}"
        if len(self.dates) == 1:
            return f"{self.text} on {self.dates[0].isoformat()}"
        if self.dates:
            return f"{self.text} on one of {', '.join(d.isoformat() for d in self.dates)}"
        return self.text


@dataclass
class ScenarioFacts:
    """What the solver needs from a scenario: its facts as symbols, entity kinds and settings."""

    loaded: LoadedScenario
    rules: Rules
    items: list[FactItem]
    kinds: list[clingo.Symbol]
    as_of: date
    immediately_days: int
    assumed: dict[str, Status]
    left_out: list[FactItem]  # events after the as-of date
    #: each interpretation of the rules -> the position the reading takes (None: open, a choice)
    positions: dict[str, str | None] = field(default_factory=dict)
    #: the interpretations set by --interpret (or a variant), and to what
    interpreted: dict[str, str] = field(default_factory=dict)
    #: what the scenario may not mean as written (a new state named like a known one): said on stderr
    warnings: list[Diagnostic] = field(default_factory=list)

    @property
    def contested(self) -> list[FactItem]:
        return [i for i in self.items if i.contested]

    @property
    def first_day(self) -> date:
        """The case's first day: its earliest dated fact (the as-of date if none is dated)."""
        return min((d for it in self.items for d in it.dates), default=self.as_of)


def term_text(t: ast.Term) -> str:
    if isinstance(t, ast.Const):
        return t.name
    if isinstance(t, ast.Number | ast.Days):
        return str(t.value)
    if isinstance(t, ast.DateLit):
        return t.value.isoformat()
    if isinstance(t, ast.Str):
        return str(clingo.String(t.value))
    if isinstance(t, ast.Compound):
        return f"{t.name}({', '.join(term_text(a) for a in t.args)})"
    raise AssertionError(t)


def atom_text(a: ast.Atom) -> str:
    return f"{a.name}({', '.join(term_text(t) for t in a.args)})" if a.args else a.name


# Symbols are values: the few names and days of a scenario are made once, not once per fact
# (each is a call across clingo's boundary; issue 7's profile).
_constant = functools.lru_cache(maxsize=1 << 16)(clingo.Function)
_number = functools.lru_cache(maxsize=1 << 16)(clingo.Number)


def term_symbol(t: ast.Term) -> clingo.Symbol:
    if isinstance(t, ast.Const):
        return _constant(t.name)
    if isinstance(t, ast.Number | ast.Days):
        return _number(t.value)
    if isinstance(t, ast.DateLit):
        return _number(to_day(t.value))
    if isinstance(t, ast.Str):
        return clingo.String(t.value)
    if isinstance(t, ast.Compound):
        return clingo.Function(t.name, [term_symbol(a) for a in t.args])
    raise AssertionError(t)


class _FactChecker:
    def __init__(self, loaded: LoadedScenario, rules: Rules) -> None:
        self.loaded = loaded
        self.rules = rules
        self.doc = loaded.doc
        self.diags: list[Diagnostic] = []
        sc = loaded.scenario
        self.entities: dict[str, str] = {k: v.kind.value for k, v in sc.entities.items()}
        self.known_states = {p.entity for p in rules.base.parties}

    def error(self, path: Path, message: str, hint: str | None = None, key: bool = False) -> None:
        self.diags.append(Diagnostic(self.span(path, key=key), message, hint))

    def span(self, path: Path, key: bool = False):  # -> Span, in the document (variants map their paths)
        return self.doc.span(self.loaded.where(path), key=key)

    def entity_kind(self, name: str) -> str | None:
        if name in self.entities:
            return self.entities[name]
        return "state" if name in self.known_states else None

    def _resolved(self, atom: ast.Atom, decl: ast.PredicateDecl) -> ast.Atom:
        """The atom with each entity argument that names a known state by another of its names (an
        ISO 3166 code, ISO's name: `usa`, `uk`) written as the rule base's id (`united_states`)."""
        args = list(atom.args)
        for i, (t, p) in enumerate(zip(atom.args, decl.params, strict=True)):
            if (p.kind in ENTITY_KINDS or p.kind == "entity") and isinstance(t, ast.Const) \
                    and self.entity_kind(t.name) is None:
                known = aliases(self.rules).get(t.name)
                if known is not None:
                    args[i] = ast.Const(known, t.span)
        return atom if args == list(atom.args) else ast.Atom(atom.name, tuple(args), atom.span, atom.name_span)

    def unlike_known_states(self) -> list[Diagnostic]:
        """Warnings: a state the scenario declares that is party to nothing in the rule base while a
        state it knows goes by that id or name (`usa: {kind: state}` beside `united_states`), or by one
        it looks like a misspelling of (`unted_states`)."""
        out = []
        names = aliases(self.rules)
        for ident, entity in self.loaded.scenario.entities.items():
            if entity.kind.value != "state" or ident in self.known_states:
                continue
            spelled = snake(entity.name)
            known = names.get(ident) or (spelled if spelled in self.known_states else names.get(spelled))
            message = f"`{ident}` is declared as a new state, a party to no instrument of the rule base"
            if known is not None:  # another name of a known state
                message += f"; the rule base knows {_name_of(self.rules, known)} as `{known}`"
                meant = ""
            else:  # a name like a known state's: a misspelling?
                known = like(self.rules, ident, spelled)
                if known is None:
                    continue
                meant = f"did you mean `{known}` ({_name_of(self.rules, known)})? "
            out.append(Diagnostic(self.span(("entities", ident), key=True), message,
                                  f"{meant}write `{known}` (and drop this declaration) if it is that state; "
                                  "`--strict` makes this an error", severity="warning"))
        return out

    def check_arg(self, t: ast.Term, kind: str, pred: str, role: str) -> None:
        def bad(message: str, hint: str | None = None) -> None:
            self.diags.append(Diagnostic(t.span, message, hint))

        if isinstance(t, ast.Var | ast.Anon):
            bad(f"a scenario states facts: `{getattr(t, 'name', '_')}` is a variable",
                "name the entity (lower-case), e.g. `kazakhstan`")
            return
        reserved = _reserved_name(t)
        if reserved is not None:  # the engine's own names (te_any stands for anything in its derivations)
            bad(f"`{reserved}`: names that start with `te_` are the engine's own", "choose another name")
            return
        if isinstance(t, ast.Arith):
            bad("a scenario states facts: no arithmetic here")
            return
        if kind in ENTITY_KINDS or kind == "entity":
            if not isinstance(t, ast.Const):
                bad(f"`{pred}` needs an entity as its {role}")
                return
            actual = self.entity_kind(t.name)
            if actual is None:
                names = list(self.entities) + sorted(self.known_states)
                bad(f"unknown entity `{t.name}`",
                    did_you_mean(t.name, names) or "declare it under `entities:` with its kind and name")
            elif kind != "entity" and actual != kind:
                bad(f"`{t.name}` is {a_kind(actual)}, but argument `{role}` of `{pred}` is {a_kind(kind)}")
        elif kind == "instrument":
            if not (isinstance(t, ast.Const) and t.name in self.rules.base.instruments):
                name = t.name if isinstance(t, ast.Const) else ""
                bad(f"unknown instrument `{name}`", did_you_mean(name, self.rules.base.instruments))
        elif kind == "date" and not isinstance(t, ast.DateLit):
            bad(f"the {role} of `{pred}` is a date (YYYY-MM-DD)")
        elif kind == "number" and not isinstance(t, ast.Number):
            bad(f"the {role} of `{pred}` is a number")
        elif kind == "text" and not isinstance(t, ast.Str):
            bad(f'the {role} of `{pred}` is a quoted "text"')
        elif kind == "symbol" and not isinstance(t, ast.Const | ast.Compound):
            bad(f"the {role} of `{pred}` is a name such as `assistance`")
        elif kind in self.rules.base.symbol_kinds:
            vocabulary = self.rules.base.symbol_kinds[kind]
            symbol = t.name if isinstance(t, ast.Const) else None
            if symbol not in vocabulary:
                bad(*undeclared_symbol(symbol, kind, vocabulary, role, pred))

    def item(self, path: Path, text: str, dated: bool, status: Status, source: str, note: str | None,
             given_id: str | None, dates: list[date]) -> FactItem | None:
        # Places in the document are costly to work out and only messages need them: check first
        # without; only if something is wrong, check again with them, so that the messages point there.
        before = len(self.diags)
        found = self._item(path, text, dated, status, source, note, given_id, dates, located=False)
        if len(self.diags) == before:
            return found
        del self.diags[before:]
        return self._item(path, text, dated, status, source, note, given_id, dates, located=True)

    def _item(self, path: Path, text: str, dated: bool, status: Status, source: str, note: str | None,
              given_id: str | None, dates: list[date], located: bool) -> FactItem | None:
        line, col = self.doc.text_origin(self.loaded.where(path)) if located else (1, 1)
        try:
            atom = parse_atom(text.strip(), self.doc.file, line, col + (len(text) - len(text.lstrip())), exact=located)
        except TreatyError as err:
            self.diags.extend(err.diagnostics)
            return None
        before = len(self.diags)
        decl = self.rules.base.predicates.get(atom.name)
        if decl is None:
            if atom.name in BUILTINS:
                hint = ("parties and their dates come from the rule files; entity kinds from `entities:`"
                        if atom.name not in ("obligation", "permission", "prohibition", "notification")
                        else "conclusions are what the engine finds, not what a scenario states")
                self.diags.append(Diagnostic(atom.name_span, f"`{atom.name}` cannot be stated by a scenario", hint))
            else:
                inputs = [n for n, d in self.rules.base.predicates.items() if not d.derived]
                self.diags.append(Diagnostic(atom.name_span, f"unknown predicate `{atom.name}`",
                                             did_you_mean(atom.name, inputs) or "see `treaty compile` for the inputs"))
            return None
        if decl.derived:
            self.diags.append(Diagnostic(atom.name_span, f"`{atom.name}` is concluded by the rules, not stated",
                                         "a scenario states the inputs the rules start from"))
            return None
        if decl.event and not dated:
            self.diags.append(Diagnostic(atom.name_span, f"`{atom.name}` is an event: list it under `events:` "
                                                         "with `on: YYYY-MM-DD`"))
            return None
        if not decl.event and dated:
            self.diags.append(Diagnostic(atom.name_span, f"`{atom.name}` is not an event: list it under `facts:` "
                                                         "without a date"))
            return None
        if len(atom.args) != decl.arity:
            self.diags.append(Diagnostic(atom.span, f"`{atom.name}` takes {decl.arity} argument"
                                                    f"{'s' if decl.arity != 1 else ''}, not {len(atom.args)}",
                                         f"`{atom.name}({decl.shape})`"))
            return None
        atom = self._resolved(atom, decl)
        for t, p in zip(atom.args, decl.params, strict=True):
            self.check_arg(t, p.kind, atom.name, p.role or p.kind)
        if source not in self.loaded.scenario.sources:
            self.error((*path[:-1], "source"), f"unknown source `{source}`",
                       did_you_mean(source, self.loaded.scenario.sources) or "declare it under `sources:`")
        if len(self.diags) > before:
            return None
        args = [term_symbol(t) for t in atom.args]
        if dated:
            symbols = tuple(clingo.Function(atom.name, [*args, _number(to_day(d))]) for d in dates)
        else:
            symbols = (clingo.Function(atom.name, args),)
        canonical = atom_text(atom)
        return FactItem(given_id or canonical, canonical, atom.name, status, tuple(dates), source, note,
                        symbols, path[:-1])


def _reserved_name(t: ast.Term) -> str | None:
    """The first name in a term that starts with ``te_`` (reserved for the engine), or None."""
    if isinstance(t, ast.Const | ast.Compound) and t.name.startswith("te_"):
        return t.name
    if isinstance(t, ast.Compound):
        return next((n for n in map(_reserved_name, t.args) if n is not None), None)
    return None


def _name_of(rules: Rules, entity: str) -> str:
    return next((p.name for p in rules.base.parties if p.entity == entity and p.name), entity)


def scenario_to_facts(loaded: LoadedScenario, rules: Rules, as_of: date | None = None,
                      assume: Mapping[str, Status] | None = None, assume_at: Path | None = None,
                      interpret: Mapping[str, str] | None = None) -> ScenarioFacts:
    """Check a scenario against the rules' vocabulary and turn it into symbols.

    ``as_of`` overrides the scenario's date; ``assume`` overrides facts' statuses by id (what-ifs);
    ``assume_at`` is where the assumptions stand in the document (a variant's), for messages;
    ``interpret`` sets interpretations (NAME -> POSITION or ``open``) over the scenario's own.
    """
    sc = loaded.scenario
    checker = _FactChecker(loaded, rules)
    positions = _positions(checker, rules, sc.interpretations, interpret or {})
    if sc.instruments is not None:
        for i, name in enumerate(sc.instruments):
            if name not in rules.base.instruments:
                checker.error(("instruments", i), f"unknown instrument `{name}`",
                              did_you_mean(name, rules.base.instruments) or "load the rule file that declares it")
    items: list[FactItem] = []
    for i, f in enumerate(sc.facts):
        item = checker.item(("facts", i, "fact"), f.fact, False, f.status, f.source, f.note, f.id, [])
        if item:
            items.append(replace(item, together_with=f.together_with))
    for i, e in enumerate(sc.events):
        item = checker.item(("events", i, "event"), e.event, True, e.status, e.source, e.note, e.id, e.dates)
        if item:
            items.append(replace(item, together_with=e.together_with))
    seen: dict[str, FactItem] = {}
    for item in items:
        if item.id in seen:
            checker.error((*item.path, "id"), f"two facts are called `{item.id}`; first at "
                                              f"{checker.span(seen[item.id].path)}",
                          "give one of them an `id:`")
        seen.setdefault(item.id, item)
    check_together(checker.error, seen)
    assumed: dict[str, Status] = {}
    for key, status in (assume or {}).items():
        match = seen.get(key) or next((it for it in items if it.text == _normalise(key)), None)
        if match is not None and match.together_with is not None:
            where = (loaded.doc.span((*assume_at, key), key=True) if assume_at is not None else None)
            checker.diags.append(Diagnostic(where, f"{'assume' if assume_at is not None else '--assume'}: `{key}` "
                                                   f"stands or falls with `{match.together_with}` (together_with)",
                                            f"assume `{match.together_with}` instead: both follow it"))
            continue
        if match is None:
            hint = did_you_mean(key, list(seen) + [it.text for it in items])
            if assume_at is None:
                checker.diags.append(Diagnostic(None, f"--assume: no fact or event `{key}` in {loaded.file}", hint))
            else:
                checker.diags.append(Diagnostic(loaded.doc.span((*assume_at, key), key=True),
                                                f"assume: no fact or event `{key}` in the scenario", hint))
            continue
        assumed[match.id] = status
    if checker.diags:
        raise TreatyError(checker.diags, {loaded.file: loaded.doc.text})
    items = together([replace(it, status=assumed[it.id]) if it.id in assumed else it for it in items])
    day = as_of or sc.as_of
    kept, left_out = [], []
    for it in items:
        if it.dates and min(it.dates) > day:
            left_out.append(it)
            continue
        if it.dates and max(it.dates) > day:  # keep only the possible dates up to the as-of date
            keep = tuple(d for d in it.dates if d <= day)
            it = replace(it, dates=keep, symbols=it.symbols[: len(keep)], cut=True)
        kept.append(it)
    # a fact that stands or falls with one whose dates may fall after the as-of date may not hold yet either
    by_id = {it.id: it for it in kept}
    kept = [replace(it, cut=True) if not it.cut and leader(it, by_id).cut else it for it in kept]
    kinds = [clingo.Function("te_kind", [clingo.Function(name), clingo.Function(ent.kind.value)])
             for name, ent in sorted(sc.entities.items())]
    used = rules.restricted(sc.instruments) if sc.instruments is not None else rules
    warnings = checker.unlike_known_states() + _read_by_no_applied_instrument(checker, rules, sc.instruments, kept)
    facts = ScenarioFacts(loaded, used, kept, kinds, day, sc.settings.immediately_days, assumed, left_out, positions,
                          dict(interpret or {}), warnings)
    if any(p is None for p in positions.values()):  # (in_play leaves the positions taken as they are)
        named = {str(a) for it in kept for sym in it.symbols for a in sym.arguments
                 if a.type == clingo.SymbolType.Function}
        stated: dict[str, list[tuple[str, ...]]] = {}
        for it in kept:
            stated.setdefault(it.predicate, []).extend(tuple(str(a) for a in sym.arguments) for sym in it.symbols)
        facts.positions = in_play(used, positions, facts.first_day, day, stated, named)
    return facts


def _read_by_no_applied_instrument(checker: _FactChecker, rules: Rules, applied: list[str] | None,
                                   items: list[FactItem]) -> list[Diagnostic]:
    """Warnings: a fact that only instruments the scenario leaves out of `instruments:` read, so that it
    changes nothing (one per predicate, at its first fact). A fact no rule reads at all is not one."""
    if applied is None:
        return []
    readers = rules.readers
    out: list[Diagnostic] = []
    seen: set[str] = set()
    for it in items:
        by = readers.get(it.predicate, set())
        if it.predicate in seen or not by or by & set(applied):
            continue
        seen.add(it.predicate)
        names = ", ".join(f"`{i}`" for i in sorted(by))
        out.append(Diagnostic(checker.span(it.path), f"`{it.predicate}` is read only by {names}, which this case "
                                                     "does not apply (`instruments:`): the fact changes nothing",
                              f"add {names} to `instruments:`, or drop the fact", severity="warning"))
    return out


def check_interpret(rules: Rules, given: Mapping[str, str]) -> None:
    """Refuse positions given by option (``--interpret``) that the rules do not declare."""
    problems = [Diagnostic(None, f"--interpret: {problem}", hint) for name, position in given.items()
                for problem, hint in [_position_problem(rules, name, position)] if problem is not None]
    if problems:
        raise TreatyError(problems)


def _position_problem(rules: Rules, name: str, position: str) -> tuple[str | None, str | None]:
    """What is wrong with taking ``position`` (or ``open``) of interpretation ``name``, and a hint."""
    interps = rules.base.interpretations
    interp = interps.get(name)
    if interp is None:
        return f"unknown interpretation `{name}`", did_you_mean(name, interps) or (
            "the interpretations are: " + ", ".join(f"`{n}`" for n in sorted(interps)) if interps else
            "the rule files declare no interpretation")
    if position != "open" and interp.position(position) is None:
        ids = [p.id for p in interp.positions]
        return (f"`{position}` is not a position of interpretation `{name}`",
                did_you_mean(position, [*ids, "open"]) or f"its positions are {', '.join(ids)}, or `open`")
    return None, None


def _positions(checker: _FactChecker, rules: Rules, own: Mapping[str, str], given: Mapping[str, str]
               ) -> dict[str, str | None]:
    """The position each interpretation of the rules takes: the rule files' default, then the
    scenario's ``interpretations:``, then ``interpret`` (None: open)."""
    interps = rules.base.interpretations
    out: dict[str, str | None] = {name: i.default for name, i in sorted(interps.items())}
    for where, chosen in (("scenario", own), ("option", given)):
        for name, position in chosen.items():
            problem, hint = _position_problem(rules, name, position)
            if problem is None:
                out[name] = None if position == "open" else position
            elif where == "scenario":
                checker.error(("interpretations", name), problem, hint, key=name not in interps)
            else:
                checker.diags.append(Diagnostic(None, f"--interpret: {problem}", hint))
    return out


class CheckedFacts:
    """Facts checked once for scenarios that differ from an earlier one only in statuses.

    Checking every fact against the vocabulary costs as much as solving a small scenario; a
    batch of what-ifs of one case states the same facts again and again. A scenario whose
    entities, sources, facts and events (statuses aside), instruments, dates and settings are
    those of one checked before takes that one's facts, each in its own status.
    """

    def __init__(self, size: int = 4) -> None:
        from ..recent import Recent

        self._recent: Recent[LoadedScenario] = Recent(size, _statements)

    def facts(self, loaded: LoadedScenario, rules: Rules, as_of: date | None = None,
              assume: Mapping[str, Status] | None = None, interpret: Mapping[str, str] | None = None
              ) -> ScenarioFacts:
        if assume or interpret:  # what-ifs given by option are applied by the full check
            return scenario_to_facts(loaded, rules, as_of=as_of, assume=assume, interpret=interpret)
        sc = loaded.scenario
        cheap = (id(rules), as_of, sc.as_of, len(sc.facts), len(sc.events), len(sc.entities), len(sc.sources))
        entry = self._recent.find(cheap, loaded)
        if entry is None:
            facts = scenario_to_facts(loaded, rules, as_of=as_of)
            self._recent.add(cheap, loaded, facts)
            return facts
        known: ScenarioFacts = entry.value
        status: dict[Path, Status] = {("facts", i): f.status for i, f in enumerate(sc.facts)}
        status.update({("events", i): e.status for i, e in enumerate(sc.events)})

        def restated(items: list[FactItem]) -> list[FactItem]:
            return together([it if it.status == status[it.path] else replace(it, status=status[it.path])
                             for it in items])

        both = restated(known.items + known.left_out)
        return replace(known, loaded=loaded, items=both[:len(known.items)], left_out=both[len(known.items):],
                       assumed={})


def _statements(loaded: LoadedScenario) -> str:
    """What the check of a scenario's facts depends on, statuses aside, as text."""
    import orjson

    sc = loaded.scenario
    doc = sc.model_dump(mode="json", include={"entities", "sources", "facts", "events", "instruments", "as_of",
                                              "settings", "interpretations"},
                        exclude={"facts": {"__all__": {"status"}}, "events": {"__all__": {"status"}}})
    return orjson.dumps(doc, option=orjson.OPT_SORT_KEYS).decode()


def _normalise(text: str) -> str:
    try:
        return atom_text(parse_atom(text.strip(), "--assume"))
    except TreatyError:
        return text


__all__ = ["CheckedFacts", "EntityKind", "FactItem", "ScenarioFacts", "check_interpret", "scenario_to_facts"]
