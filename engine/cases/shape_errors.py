"""Mistakes in the shape of a scenario, in the project's words, each where it stands.

pydantic checks the shape and words its findings for programmers ("Input should be a valid
date", "Field required", a path through the union members it tried). Here each finding becomes
a located message about the YAML as written, and a few patterns that pydantic sees as several
unrelated errors are said once, as what they are:

- an unknown key beside a missing one (`date:` where `on:` is required): the unknown key, with
  "did you mean `on`?", and not the missing key as well;
- an atom with commas, unquoted in a {flow mapping}: YAML ended the value at the first comma and
  read the rest as keys (`un_security_council)`); the message says to quote it, and the hint
  gives the line as it should be;
- a union (a date, or a list of dates; a date, or `immediately`): one message, about the member
  the value was meant for.
"""

from __future__ import annotations

import difflib
import functools
import re
import types
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from ..errors import Diagnostic, Span, did_you_mean
from .yamlsource import Path, YamlDocument, show_path

#: Keys written for another one, beyond what difflib finds close (`date` for `on`).
_SYNONYMS = {"date": "on", "dates": "on", "day": "on", "when": "on", "on_date": "on", "time": "on",
             "citation": "cite", "reference": "cite", "ref": "cite", "title": "cite", "link": "url",
             "type": "kind", "label": "name", "asof": "as_of", "as_at": "as_of", "date_of": "as_of",
             "state": "status", "certainty": "status", "src": "source", "sources": "source",
             "comment": "note", "notes": "note", "description": "note", "atom": "event", "statement": "fact"}

#: pydantic's bound errors: (its context key, our wording before the bound)
_BOUNDS = {"greater_than_equal": ("ge", "must be at least"), "less_than_equal": ("le", "must be at most"),
           "greater_than": ("gt", "must be more than"), "less_than": ("lt", "must be less than"),
           "string_too_long": ("max_length", "must have at most this many characters:"),
           "string_too_short": ("min_length", "must have at least this many characters:")}

#: What a type error expected, in words.
_EXPECTED = {"string_type": "text", "dict_type": "a mapping (KEY: value)", "model_type": "a mapping (KEY: value)",
             "model_attributes_type": "a mapping (KEY: value)", "list_type": "a list", "bool_type": "true or false",
             "bool_parsing": "true or false", "int_type": "a whole number", "int_parsing": "a whole number",
             "int_from_float": "a whole number", "float_type": "a number", "float_parsing": "a number"}

_DATE = "a date (YYYY-MM-DD)"
_CONTAINERS = ("a list", "a mapping (KEY: value)")


@dataclass(frozen=True)
class _Piece:
    """What one of pydantic's errors says: what was expected (a phrase, joined with a union's other
    members), or a message of its own; and a hint."""

    path: Path
    given: Any
    expected: str | None = None
    message: str | None = None
    hint: str | None = None
    choice: tuple[str, ...] = ()  # the values of an enum or literal


def shape_diagnostics(err: ValidationError, doc: YamlDocument, root: type[BaseModel],
                      prefix: Path = ()) -> list[Diagnostic]:
    """Located diagnostics for what pydantic found validating ``doc.data`` at ``prefix`` as ``root``."""
    data = _at(doc.data, prefix)
    errors = [(tuple(e["loc"]), e) for e in err.errors()]
    out: list[Diagnostic] = []
    unknown: dict[Path, list[str]] = {}
    missing: dict[Path, list[str]] = {}
    pieces: list[_Piece] = []
    for loc, e in errors:
        kind = e["type"]
        if kind == "extra_forbidden":
            path = _data_path(loc, data)
            unknown.setdefault(path[:-1], []).append(str(path[-1]))
        elif kind == "missing":
            missing.setdefault(_data_path(loc[:-1], data), []).append(str(loc[-1]))
        else:
            pieces.append(_piece(kind, e, _data_path(loc, data)))

    def span(path: Path, key: bool = False) -> Span:
        return doc.span((*prefix, *path), key=key)

    covered: set[tuple[Path, str]] = set()  # missing keys said as "did you mean" of an unknown one
    for where in sorted(set(unknown) | set(missing), key=_order):
        keys, absent = unknown.get(where, []), missing.get(where, [])
        mapping = _at(data, where)
        cut = _cut_values(mapping, keys, functools.partial(_alone, doc, (*prefix, *where))) \
            if isinstance(mapping, dict) else []
        for value_key, tail in cut:
            out.append(_cut_diagnostic(doc, (*prefix, *where), value_key, tail, mapping))
        lone = {k for _, tail in cut for k in tail}
        keys = [k for k in keys if k not in lone]
        fields = _fields_at(root, where)
        for key in keys:
            meant = _meant(key, keys, absent)
            if meant is not None:
                covered.add((where, meant))
            hint = f"did you mean `{meant}`?" if meant else _near(key, tuple(sorted(fields - {key})))
            out.append(Diagnostic(span((*where, key), key=True), f"{show_path((*prefix, *where))}: unknown key "
                                                                   f"`{key}`", hint))
        for key in absent:
            if (where, key) not in covered and not (cut and key in ("event", "fact")):
                out.append(Diagnostic(span(where), f"{show_path((*prefix, *where))}: missing key `{key}`"))
    out += _said_pieces(pieces, span, prefix, [(*w, k) for w, ks in (unknown | missing).items() for k in ks])
    unique = {(d.span, d.message): d for d in out}
    return sorted(unique.values(), key=Diagnostic.sort_key)


@functools.lru_cache(maxsize=1024)
def _near(name: str, candidates: tuple[str, ...]) -> str | None:
    """did_you_mean, once per name and candidates (the same mistakes recur in a long file)."""
    return did_you_mean(name, candidates)


def _order(path: Path) -> tuple:
    return tuple((0, p, "") if isinstance(p, int) else (1, 0, p) for p in path)


def _meant(key: str, unknown: list[str], absent: list[str]) -> str | None:
    """The missing key an unknown one stands for: close to it, a known synonym, or the only pair."""
    close = difflib.get_close_matches(key, absent, n=1, cutoff=0.6)
    if close:
        return close[0]
    if _SYNONYMS.get(key.lower()) in absent:
        return _SYNONYMS[key.lower()]
    return absent[0] if len(unknown) == 1 and len(absent) == 1 else None


_ABSENT = object()


def _child(data: Any, part: str | int) -> Any:
    """The value at a key or index of the data, or _ABSENT."""
    if isinstance(data, dict):
        return data.get(part, _ABSENT)
    if isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
        return data[part]
    return _ABSENT


def _at(data: Any, path: Path) -> Any:
    for part in path:
        data = _child(data, part)
        if data is _ABSENT:
            return None
    return data


def _data_path(loc: tuple, data: Any) -> Path:
    """The parts of pydantic's location that are keys and items of the data: not the union members it tried
    (`function-before[...]`, `list[...]`, `str`) nor the `[key]` of a mapping's key."""
    out: list[str | int] = []
    for part in loc:
        value = _child(data, part)
        if value is not _ABSENT:
            data = value
            out.append(part)
    return tuple(out)


def _members(t: Any) -> Iterator[Any]:
    origin = get_origin(t)
    if origin is Annotated:
        yield from _members(get_args(t)[0])
    elif origin is Union or origin is types.UnionType:
        for a in get_args(t):
            yield from _members(a)
    else:
        yield t


def _fields_at(root: type[BaseModel], path: Path) -> set[str]:
    """The keys the models that may stand at ``path`` take."""
    kinds: list[Any] = [root]
    for part in path:
        step: list[Any] = []
        for t in kinds:
            for m in _members(t):
                if isinstance(m, type) and issubclass(m, BaseModel):
                    if isinstance(part, str) and part in m.model_fields:
                        step.append(m.model_fields[part].annotation)
                elif get_origin(m) is dict and isinstance(part, str):
                    step.append(get_args(m)[1])
                elif get_origin(m) is list and isinstance(part, int):
                    step.append(get_args(m)[0])
        kinds = step
    return {f for t in kinds for m in _members(t) if isinstance(m, type) and issubclass(m, BaseModel)
            for f in m.model_fields}


# --- an atom cut at its commas in a {flow mapping} -------------------------------------------------------------

def _alone(doc: YamlDocument, mapping: Path, key: str) -> bool:
    """Whether ``key`` of the mapping at ``mapping`` was written without a colon (`{note: said, we are}`)."""
    path = (*mapping, key)
    where = doc.key_places.get(path)
    if where is None:
        return False
    written = doc.line(where.line)[where.column - 1:]
    return written.startswith(key) and written[len(key):].lstrip()[:1] in (",", "}")


def _cut_values(mapping: dict, unknown: list[str], alone: Callable[[str], bool]) -> list[tuple[str, list[str]]]:
    """(the key of a value YAML cut at a comma, the keys it made of the rest), for each such value.

    In `{event: reported(russia, un_security_council), on: ...}` YAML reads `reported(russia` as the
    value and `un_security_council)` as a key without a value; in `{on: 2022-01-05, 2022-01-06}` the
    second date becomes such a key.
    """
    out: list[tuple[str, list[str]]] = []
    items = list(mapping.items())
    for i, (key, value) in enumerate(items):
        tail: list[str] = []
        if isinstance(value, str) and value.count("(") > value.count(")"):
            depth = value.count("(") - value.count(")")
            for k, v in items[i + 1:]:
                if v is not None or depth <= 0:
                    break
                tail.append(k)
                depth += k.count("(") - k.count(")")
        elif isinstance(value, str):  # text cut at a comma: the rest stands alone, without a colon
            for k, v in items[i + 1:]:
                if v is not None or k not in unknown or not alone(k):
                    break
                tail.append(k)
        elif key == "on" and isinstance(value, date):
            for k, v in items[i + 1:]:
                if v is not None or not re.fullmatch(r"\d{4}-\d\d?-\d\d?", k):
                    break
                tail.append(k)
        if tail and any(k in unknown for k in tail):
            out.append((key, tail))
    return out


def _cut_diagnostic(doc: YamlDocument, where: Path, key: str, tail: list[str], mapping: dict) -> Diagnostic:
    value = mapping[key]
    shown = value.isoformat() if isinstance(value, date) else str(value)
    whole = ", ".join([shown, *tail])
    dates = isinstance(value, date)
    start = doc.places.get((*where, key))
    last = doc.key_places.get((*where, tail[-1]))
    line = doc.line(start.line) if start else ""
    fixed = None
    if start is not None and last is not None and start.line == last.line and start.style in (None, "") \
            and line[last.column - 1:last.column - 1 + len(tail[-1])] == tail[-1]:
        end = last.column - 1 + len(tail[-1])
        written = line[start.column - 1:end]
        fixed = line[:start.column - 1] + (f"[{written}]" if dates else _quoted(written)) + line[end:]
    if dates:
        message = (f"{show_path((*where, key))}: the dates {whole} must be in brackets: YAML read "
                   f"{', '.join(f'`{k}`' for k in tail)} as {'a key' if len(tail) == 1 else 'keys'}")
        hint = f"write the list in brackets: {fixed.strip()}" if fixed else f"write the list in brackets: [{whole}]"
    else:
        what = key if key in ("event", "fact") else "value"
        read = f"{', '.join(f'`{k}`' for k in tail)} as {'a key' if len(tail) == 1 else 'keys'}"
        message = (f"{show_path((*where, key))}: the {what} `{whole}` must be quoted: inside {{…}} a comma ends an "
                   f"unquoted value, so YAML read {read}")
        hint = f"quote it: {fixed.strip()}" if fixed else f"quote it: {_quoted(whole)}"
    if start is None:
        return Diagnostic(doc.span(where), message, hint)
    end_column = last.column + len(tail[-1]) if last is not None and last.line == start.line else None
    return Diagnostic(Span(doc.file, start.line, start.column, start.line if end_column else None, end_column),
                      message, hint)


def _quoted(text: str) -> str:
    if '"' not in text:
        return f'"{text}"'
    if "'" not in text:
        return f"'{text}'"
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


# --- values of the wrong type or out of bounds ----------------------------------------------------------------

def shown(value: Any, limit: int = 60) -> str:
    """A value as YAML writes it (`true`, `2022-01-06`, `[a, b]`), not as Python prints it."""
    if isinstance(value, bool):
        text = str(value).lower()
    elif value is None:
        text = "null"
    elif isinstance(value, date | datetime):
        text = value.isoformat(sep=" ") if isinstance(value, datetime) else value.isoformat()
    elif isinstance(value, list):
        text = "[" + ", ".join(shown(v, limit) for v in value) + "]"
    elif isinstance(value, dict):
        text = "{" + ", ".join(f"{k}: {shown(v, limit)}" for k, v in value.items()) + "}"
    else:
        text = str(value)
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _piece(kind: str, e: Any, path: Path) -> _Piece:
    given, ctx = e["input"], e.get("ctx") or {}
    if kind == "string_pattern_mismatch":
        return _Piece(path, given, message=f"`{shown(given)}` is not a valid identifier",
                      hint="use lower-case letters, digits and `_`, starting with a letter (at most 64)")
    if kind == "too_short" and path[-1:] == ("on",):
        return _Piece(path, given, message="an event needs a date: the list of dates is empty",
                      hint="write `on: YYYY-MM-DD`, or a list of the dates sources give: [YYYY-MM-DD, ...]")
    if kind.startswith("date"):
        return _Piece(path, given, expected=_DATE, hint=date_hint(given, path))
    if kind in ("int_type", "int_parsing", "int_from_float"):
        hint = ("quoted, a number is text: write it without quotes" if isinstance(given, str)
                and given.strip().isdigit() else "write it in digits, such as `2`")
        return _Piece(path, given, expected="a whole number", hint=hint)
    if kind == "string_too_short" and ctx.get("min_length") == 1:
        return _Piece(path, given, message="must not be empty")
    if kind in _BOUNDS:
        return _Piece(path, given, message=f"{_BOUNDS[kind][1]} {ctx.get(_BOUNDS[kind][0])}, not `{shown(given)}`")
    if kind in ("enum", "literal_error"):
        values = tuple(re.findall(r"'([^']*)'", str(ctx.get("expected", ""))))
        near = _near(shown(given), values) if isinstance(given, str | bool) else None
        return _Piece(path, given, expected="one of: " + ", ".join(values) if len(values) > 1 else
                      f"`{values[0]}`" if values else "another value", hint=near, choice=values)
    if kind in _EXPECTED:
        return _Piece(path, given, expected=_EXPECTED[kind])
    if kind in ("value_error", "assertion_error"):
        return _Piece(path, given, message=str(e["msg"]).removeprefix("Value error, ").removeprefix(
            "Assertion failed, "))
    return _Piece(path, given, message=f"`{shown(given)}` is not a value this key takes")


def _said_pieces(pieces: list[_Piece], span: Any, prefix: Path, keys: list[Path]) -> list[Diagnostic]:
    """One diagnostic per place: a union's members said together, a wrong shape said once (``keys``: the
    places of unknown and missing keys, said already)."""
    out: list[Diagnostic] = []
    by_path: dict[Path, list[_Piece]] = {}
    for p in pieces:
        by_path.setdefault(p.path, []).append(p)
    above = {q[:n] for q in [*by_path, *keys] for n in range(len(q))}  # the places that have errors below them
    for path, group in by_path.items():
        if path in above:  # the value has the shape of one member (a list of dates): its items say what is wrong
            group = [p for p in group if p.message is not None]
            if not group:
                continue
        where = show_path((*prefix, *path))
        messages = list(dict.fromkeys(p.message for p in group if p.message is not None))
        hint = next((p.hint for p in group if p.hint and (p.message is not None or not messages)), None)
        if messages:
            out += [Diagnostic(span(path), f"{where}: {m}", hint) for m in messages]
            continue
        given = group[0].given
        if not isinstance(given, list | dict) and any(not p.expected or p.expected not in _CONTAINERS for p in group):
            group = [p for p in group if p.expected not in _CONTAINERS]  # a scalar: meant for a scalar member
        if len(group) == 1 and group[0].choice:
            text = f"`{shown(given)}` is not one of: {', '.join(group[0].choice)}"
        else:
            expected = " or ".join(dict.fromkeys(("a list of dates" if p.expected == "a list" and path[-1:] == ("on",)
                                                  else p.expected) for p in group if p.expected))
            text = f"expected {expected}, " + ("found no value" if given is None else f"not `{shown(given)}`")
        out.append(Diagnostic(span(path), f"{where}: {text}", hint))
    return out


# --- dates -------------------------------------------------------------------------------------------------

_FORMATS = ("%d %B %Y", "%d %b %Y", "%B %d %Y", "%b %d %Y", "%d %B, %Y", "%B %d, %Y", "%b %d, %Y", "%Y/%m/%d",
            "%Y.%m.%d", "%Y %m %d", "%d.%m.%Y", "%Y%m%d")


def guess_date(value: Any) -> date | None:
    """The day a value that is not written YYYY-MM-DD most likely names (`6 January 2022`), or None."""
    if isinstance(value, datetime):
        return value.date()
    return _guessed(value) if isinstance(value, str) and any(c.isdigit() for c in value) else None


@functools.lru_cache(maxsize=1024)
def _guessed(value: str) -> date | None:  # (a file with many bad dates writes the same few again and again)
    text = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", value.strip(), flags=re.IGNORECASE)
    text = re.sub(r"\b(the|of)\b", " ", text, flags=re.IGNORECASE)
    text = re.sub(r"\s+", " ", text).strip()
    for fmt in _FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    found = re.fullmatch(r"(\d{1,2})[/-](\d{1,2})[/-](\d{4})", text)  # D/M/Y or M/D/Y: only when one is possible
    if found:
        a, b, year = (int(g) for g in found.groups())
        readings = set()
        for day, month in ((a, b), (b, a)):
            try:
                readings.add(date(year, month, day))
            except ValueError:
                pass
        if len(readings) == 1:
            return readings.pop()
    return None


def date_hint(given: Any, path: Path) -> str:
    """How to write a date: the day it seems to name, as YYYY-MM-DD; a list only where sources disagree."""
    guess = guess_date(given)
    head = (f"write `{guess.isoformat()}`: dates are written YYYY-MM-DD" if guess is not None
            else "dates are written YYYY-MM-DD, e.g. 2022-01-06")
    if path[-1:] == ("on",):
        return head + "; a list of dates, [YYYY-MM-DD, ...], only when sources disagree on the date"
    return head


__all__ = ["date_hint", "guess_date", "shape_diagnostics", "shown"]
