"""Safe YAML loading that remembers where every value stands, for located error messages.

Only the standard YAML types are built (no tags that construct objects); duplicate keys are
errors; anchors cannot multiply the document beyond a bound.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

from ..errors import Diagnostic, Span, TreatyError
from .yaml_errors import context_note, said

_STANDARD = {
    "tag:yaml.org,2002:" + t for t in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
}

#: libyaml's parser where it is installed (several times faster), the pure-Python one otherwise.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: Bound on the number of values a document may expand to (anchors and aliases included).
MAX_NODES = 200_000

#: Bound on nesting. A scenario is a few levels deep; the bound is ours, not the parser's,
#: because libyaml's own limit (and its message) differs between the builds PyYAML wheels carry.
MAX_DEPTH = 100

Path = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Place:
    """Where a value stands: 1-based line and column, and the scalar style (None for plain)."""

    line: int
    column: int
    style: str | None = None


@dataclass
class YamlDocument:
    """A parsed document. Where each value stands is worked out on first need (messages only)."""

    file: str
    text: str
    data: Any
    _places: dict[Path, Place] | None = None
    _key_places: dict[Path, Place] | None = None
    _lines: list[str] | None = None

    def line(self, number: int) -> str:
        """The text of a line (1-based; '' beyond the text)."""
        if self._lines is None:
            self._lines = self.text.splitlines()
        return self._lines[number - 1] if 0 < number <= len(self._lines) else ""

    def _locate(self) -> None:
        if self._places is None:
            # the text was read before (streaming, within MAX_DEPTH): no need to bound its depth again
            located = _load_located(self.text, self.file, depth_checked=True) if self.text else None
            self._places = located._places if located else {}
            self._key_places = located._key_places if located else {}

    @property
    def places(self) -> dict[Path, Place]:
        self._locate()
        assert self._places is not None
        return self._places

    @property
    def key_places(self) -> dict[Path, Place]:
        self._locate()
        assert self._key_places is not None
        return self._key_places

    def place(self, path: Path) -> Place:
        """The place of the value at ``path``, or of its nearest enclosing value."""
        p = tuple(path)
        places = self.places
        while p and p not in places:
            p = p[:-1]
        return places.get(p, Place(1, 1))

    def span(self, path: Path, key: bool = False) -> Span:
        where = self.key_places.get(tuple(path)) if key else None
        where = where or self.place(path)
        return Span(self.file, where.line, where.column)

    def text_origin(self, path: Path) -> tuple[int, int]:
        """Line and column of the first character of the string value at ``path``."""
        where = self.place(path)
        quoted = where.style in {'"', "'"}
        return where.line, where.column + (1 if quoted else 0)


def show_path(path: Path) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "scenario"


class _Unusual(Exception):
    """Something the fast path leaves to the careful one (which says exactly what and where)."""


class _CoreLoader(_Loader):  # type: ignore[misc, valid-type]
    """Plain scalars read as YAML 1.2's core schema does (plus dates), not as YAML 1.1 did.

    YAML 1.1 reads `1:30` as 90 (base 60), `010` as 8 (octal), `0x1f`, `1_000` as numbers and
    `yes`, `no`, `on`, `off` as true and false: a scenario meant none of these (`no` is a name,
    `1:30` is not a number of days). Here only decimal digits are whole numbers, only
    true/false are booleans, and everything else a plain scalar can be is text, which the
    scenario's schema then accepts or refuses where it stands.
    """

    yaml_implicit_resolvers: dict[str | None, list[tuple[str, re.Pattern[str]]]] = {}


def _construct_int(loader: Any, node: yaml.ScalarNode) -> int:
    # decimal as written (YAML 1.1's constructor reads a leading 0 as octal); a number too long for
    # Python's int() (over 4300 digits) is a ValueError, which the careful path words
    return int(node.value)


_CoreLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)
for _tag, _pattern, _first in (
        ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
        ("tag:yaml.org,2002:int", r"^[-+]?[0-9]+$", "-+0123456789"),
        ("tag:yaml.org,2002:float", r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
                                    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$", "-+0123456789."),
):
    _CoreLoader.add_implicit_resolver(_tag, re.compile(_pattern), list(_first))
# null, dates and times, and the special `<<`, `=`, `!`, `&`, `*` as YAML 1.1 has them (the
# careful path refuses the special ones with a message of its own)
for _first_char, _resolvers in _Loader.yaml_implicit_resolvers.items():
    for _tag, _regexp in _resolvers:
        if _tag.rsplit(":", 1)[1] in ("null", "timestamp", "merge", "value", "yaml"):
            _CoreLoader.add_implicit_resolver(_tag, _regexp, [_first_char] if _first_char else [None])


class _FastLoader(_CoreLoader):
    def construct_mapping(self, node: Any, deep: bool = False) -> dict:
        # keys as written (YAML 1.1 would read `on:` as true), and no key twice
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.value in out:
                raise _Unusual
            out[str(key_node.value)] = self.construct_object(value_node, deep=deep)
        return out


_STR = "tag:yaml.org,2002:str"


def _load_streaming(text: str) -> Any:
    """The data of a plain document, built from libyaml's event stream.

    ``yaml.load`` composes the whole node tree (two marks per value) before it builds anything;
    for a scenario of 10^5 events that tree held about 500 MB. Here only the data is kept. Any
    feature beyond plain mappings, sequences and scalars (tags, anchors, aliases, complex or
    repeated keys, several documents) is left to the careful path.
    """
    helper = _FastLoader("")  # for the resolver and the scalar constructors only
    constructors = helper.yaml_constructors
    root: Any = None
    done = False
    stack: list[Any] = []  # open lists and dicts; a dict's key waits in ``keys``
    plain: dict[str, Any] = {}  # plain scalar -> its value, each resolved once
    keys: list[str | None] = []

    def add(value: Any) -> None:
        nonlocal root, done
        if not stack:
            root, done = value, True
            return
        top = stack[-1]
        if type(top) is list:
            top.append(value)
        else:
            top[keys[-1]] = value
            keys[-1] = None

    event: Any
    for event in yaml.parse(text, Loader=_Loader):
        kind = type(event)
        if kind is yaml.ScalarEvent:
            if event.anchor is not None or event.tag is not None:
                raise _Unusual
            if stack and type(stack[-1]) is dict and keys[-1] is None:  # a key, as written
                if event.value in stack[-1]:
                    raise _Unusual
                keys[-1] = event.value
                continue
            if not event.implicit[0]:  # quoted: a string as written
                add(event.value)
                continue
            value = plain.get(event.value, plain)  # plain scalars recur (statuses, dates, names)
            if value is plain:
                tag = helper.resolve(yaml.ScalarNode, event.value, event.implicit)
                if tag == _STR:
                    value = event.value
                else:
                    construct = constructors.get(tag)
                    if construct is None:  # e.g. a bare `=` (YAML's "value" type), which the safe loader refuses
                        raise _Unusual
                    value = construct(helper, yaml.ScalarNode(tag, event.value))
                if len(plain) < 65536:
                    plain[event.value] = value  # values of plain scalars are immutable: shared safely
            add(value)
        elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
            if event.anchor is not None or event.tag is not None or done or \
                    (stack and type(stack[-1]) is dict and keys[-1] is None):
                raise _Unusual
            stack.append({} if kind is yaml.MappingStartEvent else [])
            keys.append(None)
            if len(stack) > MAX_DEPTH:
                raise _Unusual
        elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            value = stack.pop()
            keys.pop()
            add(value)
        elif kind is yaml.AliasEvent or (kind is yaml.DocumentStartEvent and done):
            raise _Unusual
    return root


_ANCHOR = re.compile(r"(?:^|[\s\[{,:-])&[^\s]")


def load_yaml(text: str, file: str) -> YamlDocument:
    """Parse YAML text into plain Python data; places are worked out when a message needs them.

    The fast path lets libyaml build the data; documents with anchors, duplicate keys, tags,
    impossible dates or syntax errors take the careful path, which locates every value.
    """
    if "&" not in text or not _ANCHOR.search(text):  # the plain test first: the pattern is slow
        try:
            data = _load_streaming(text)
            if isinstance(data, dict | list):
                return YamlDocument(file, text, data)
        except (_Unusual, yaml.YAMLError, ValueError, TypeError, RecursionError):
            pass
    return _load_located(text, file)


def _check_depth(text: str, file: str) -> None:
    """Refuse a document nested more than MAX_DEPTH levels, at the bracket or key that goes too deep.

    libyaml's scanner reads ahead within a flow collection, so a build with its own nesting limit
    may stop (at level 1000) before it has handed over the event at level MAX_DEPTH + 1; the place
    is then found by PyYAML's pure-Python parser, which has no such limit. Only such documents pay.
    """
    try:
        _first_too_deep(text, file, _Loader)
    except yaml.YAMLError as exc:
        if "nesting" in str(getattr(exc, "problem", "") or exc) and _Loader is not yaml.SafeLoader:
            try:
                _first_too_deep(text, file, yaml.SafeLoader)
            except yaml.YAMLError:
                pass
        # any other syntax error is reported, with its place, by the parse that follows


def _first_too_deep(text: str, file: str, loader: Any) -> None:
    depth = 0
    event: Any
    for event in yaml.parse(text, Loader=loader):
        kind = type(event)
        if kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
            depth += 1
            if depth > MAX_DEPTH:
                m = event.start_mark
                line, col = (m.line + 1, m.column + 1) if m is not None else (1, 1)
                raise TreatyError([Diagnostic(
                    Span(file, line, col),
                    f"the document is nested more than {MAX_DEPTH} levels deep",
                    "a scenario is a few levels deep: keys, lists of facts and events")], {file: text})
        elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            depth -= 1


def _load_located(text: str, file: str, depth_checked: bool = False) -> YamlDocument:
    """The careful path: compose the node tree, check it, and keep the place of every value."""
    if not depth_checked:
        _check_depth(text, file)
    loader = _CoreLoader(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            raise TreatyError([_syntax_error(exc, text, file)], {file: text}) from None
        except yaml.reader.ReaderError as exc:
            raise TreatyError([_unreadable(exc, text, file)], {file: text}) from None
        except yaml.YAMLError:
            raise TreatyError([Diagnostic(Span(file, 1, 1), "invalid YAML: the text cannot be read",
                                          "check the quoting, the brackets and the indentation")],
                              {file: text}) from None
        except RecursionError:
            raise TreatyError([Diagnostic(Span(file, 1, 1), "the document is nested too deeply",
                                          "a scenario is a few levels deep: keys, lists of facts and events")],
                              {file: text}) from None
        doc = YamlDocument(file, text, None, {}, {})
        if node is None:
            raise TreatyError([Diagnostic(Span(file, 0, 0), "the file is empty")], {file: text})
        builder = _Builder(doc, loader)
        try:
            doc.data = builder.build(node, ())
        except RecursionError:
            raise TreatyError([Diagnostic(Span(file, 1, 1), "the document is nested too deeply",
                                          "a scenario is a few levels deep: keys, lists of facts and events")],
                              {file: text}) from None
        if builder.diags:
            raise TreatyError(builder.diags, {file: text})
        return doc
    finally:
        loader.dispose()


def _syntax_error(exc: yaml.MarkedYAMLError, text: str, file: str) -> Diagnostic:
    """A YAML syntax error in the project's words, where it stands, with where its construct began."""
    mark, ctx = exc.problem_mark or exc.context_mark, exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    words = said(exc.problem or "", exc.context or "", text, line, col,
                 ctx.line + 1 if ctx else None, ctx.column + 1 if ctx else None)
    notes: tuple[str, ...] = ()
    if ctx is not None and words.at_context:
        line, col = ctx.line + 1, ctx.column + 1
    elif ctx is not None and words.with_note and (ctx.line, ctx.column) != (line - 1, col - 1):
        note = context_note(exc.context or "")
        notes = (f"{note} {file}:{ctx.line + 1}:{ctx.column + 1}",) if note else ()
    return Diagnostic(Span(file, line, col), f"invalid YAML: {words.message}", words.hint, notes=notes)


def _unreadable(exc: yaml.reader.ReaderError, text: str, file: str) -> Diagnostic:
    """A character YAML does not allow (NUL and other control characters), at its place.

    The reader stops at the first character it cannot take, so the first occurrence of that
    character is the place; its position is not used, since libyaml counts it in bytes of the
    UTF-8 text and the pure-Python reader in characters.
    """
    char = exc.character if isinstance(exc.character, int) else None
    at = text.find(chr(char)) if char is not None else -1
    if at < 0:
        at = max(0, min(exc.position, len(text)))
    line = text.count("\n", 0, at) + 1
    column = at - (text.rfind("\n", 0, at) + 1) + 1
    shown = f"U+{char:04X}" if char is not None else "the character"
    return Diagnostic(Span(file, line, column), f"invalid YAML: the character {shown} is not allowed in a YAML file",
                      "a scenario is plain text: remove the character, or write it as an escape such as "
                      '\\u0000 in a "double-quoted" string')


def _shown_number(digits: str) -> str:
    return digits if len(digits) <= 24 else f"{digits[:20]}…"


def _why_no_date(text: str) -> str:
    """Why a date-shaped value names no day: no year 0, no month 13; otherwise that dates must exist."""
    found = re.match(r"\s*(\d{4})-(\d{1,2})-", text)
    if found is None:  # a date and a time of day
        return "dates are written YYYY-MM-DD and must exist"
    year, month = (int(g) for g in found.groups())
    if year < 1:
        return "there is no year 0: the first day a date can name is 0001-01-01"
    if not 1 <= month <= 12:
        return f"there is no month {month}: dates are written YYYY-MM-DD (year, month, day), e.g. 2022-01-06"
    return "dates are written YYYY-MM-DD and must exist"  # (a day the month does not have: 2022-02-30)


class _Builder:
    def __init__(self, doc: YamlDocument, loader: Any) -> None:
        self.doc = doc
        self.loader = loader
        self.count = 0
        self.diags: list[Diagnostic] = []

    def error(self, node: yaml.Node, message: str, hint: str | None = None) -> None:
        m = node.start_mark
        self.diags.append(Diagnostic(Span(self.doc.file, m.line + 1, m.column + 1), message, hint))

    def build(self, node: yaml.Node, path: Path) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            if self.count == MAX_NODES + 1:
                self.error(node, f"the document expands to more than {MAX_NODES} values",
                           "aliases (*name) may not multiply the document")
            return None
        m = node.start_mark
        self.doc.places[path] = Place(m.line + 1, m.column + 1, getattr(node, "style", None))
        if node.tag in ("tag:yaml.org,2002:value", "tag:yaml.org,2002:merge") and isinstance(node, yaml.ScalarNode):
            self.error(node, f"{show_path(path)}: a bare `{node.value}` has a special meaning in YAML",
                       f"quote it: '{node.value}'")
            return None
        if node.tag not in _STANDARD:
            self.error(node, f"{show_path(path)}: the YAML tag `{node.tag}` is not allowed",
                       "scenario files hold plain values: strings, numbers, dates, lists and mappings")
            return None
        if isinstance(node, yaml.MappingNode):
            out: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    self.error(key_node, f"{show_path(path)}: keys must be plain names")
                    continue
                key = str(key_node.value)
                if key in out:
                    self.error(key_node, f"{show_path(path)}: duplicate key `{key}`")
                    continue
                km = key_node.start_mark
                self.doc.key_places[(*path, key)] = Place(km.line + 1, km.column + 1)
                out[key] = self.build(value_node, (*path, key))
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        try:
            return self.loader.construct_object(node, deep=True)
        except ValueError:
            if node.tag == "tag:yaml.org,2002:int":  # beyond what Python reads as a number
                digits = node.value.lstrip("+-")
                self.error(node, f"{show_path(path)}: the number `{_shown_number(node.value)}` "
                                 f"({len(digits)} digits) is too large",
                           "no value in a scenario needs more than a few digits")
            else:
                self.error(node, f"{show_path(path)}: no such date: `{node.value}`", _why_no_date(node.value))
            return None
