"""A cache of compiled rule bases, keyed by the content and the place of every rule file read.

Entries live in the user's cache directory (``TREATY_CACHE_DIR`` overrides it, ``TREATY_NO_CACHE=1``
turns the cache off). An entry is written whole or not at all (temporary file, then rename), so
concurrent runs never see half an entry.

An entry is data, never code (issue 11): JSON whose objects are rebuilt only as the engine's own
classes (:func:`classes`, found from the type annotations of :class:`Entry`), each field checked
against its annotation as it is read. Anything else in the directory (corrupt, truncated, foreign,
of another format, a field of the wrong type, an entry filed under another key) is a miss: the rule
base is compiled again and the entry replaced. An entry is also a miss unless every file it was
compiled from, named or included, still has the same text at the same resolved path.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import os
import types
import typing
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from importlib.resources import files
from pathlib import Path
from typing import Any

from ..errors import Span
from ..files import write_atomically_bytes
from . import ast
from .compile import AspProgram, SourceMap
from .rulebase import Interval, RuleBase
from .ruleset import Rules, read_source

FORMAT = 7  # bump when the classes of an entry change shape (4: JSON, was pickle; 5: the support program; 6: notices;
# 7: a party's other names)
SUFFIX = ".json"


def cache_dir() -> Path | None:
    if os.environ.get("TREATY_NO_CACHE"):
        return None
    override = os.environ.get("TREATY_CACHE_DIR")
    if override:
        return Path(override)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("treaty-engine"))


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def key(sources: list[tuple[str, str, str]]) -> str:
    """The cache key of the rule files named: (display name, resolved path, text) of each.

    The resolved path is part of it: the same names and texts in another directory may include other
    files (issue 11, point 3). The included files are checked when the entry is read.
    """
    from .. import __version__

    h = hashlib.sha256()
    for part in (__version__, str(FORMAT), _code_digest(),
                 *sorted(f"{name}\0{real}\0{digest(text)}" for name, real, text in sources)):
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\0")
    return h.hexdigest()


#: The engine's own files, beside the rule language's package, that decide what a rule base compiles to.
_SHARED_FILES = ("dates.py", "errors.py")


@functools.cache
def _code_digest() -> str:
    """A digest of the code that makes an entry: every file of the rule language's package
    (engine/language/) and the shared modules it uses; a change to any of them is a miss."""
    package = files("engine")
    language = package.joinpath("language")
    names = sorted(p.name for p in language.iterdir() if p.name.endswith((".py", ".lark")))
    return digest("".join([*(language.joinpath(n).read_text(encoding="utf-8") for n in names),
                           *(package.joinpath(n).read_text(encoding="utf-8") for n in _SHARED_FILES)]))


@dataclass(frozen=True)
class Entry:
    """What one cache file holds."""

    key: str  # the key it was stored under: an entry copied to another key's name is a miss
    files: tuple[tuple[str, str, str], ...]  # every file read: (display name, resolved path, sha256 of its text)
    base: RuleBase
    program: AspProgram
    paths: tuple[str, ...]


# ---- a serialisation that can only make the engine's own classes --------------------------------
#
# Scalars are JSON scalars, dates their day numbers, tuples and lists JSON arrays, dicts arrays of
# [key, value] pairs, and an object of a whitelisted class ["ClassName", field, ...] the first time
# it is met, ["@", n] after (n-th object met): the rule base shares nodes (a rule is in its file and
# in the table of rules; the compiler relies on it being the same object), and sharing keeps the
# entry small. Reading is driven by the annotations, so a value of the wrong type is an error; the
# readers are plain functions made per class and type from the annotations: nothing is evaluated.


class BadEntry(Exception):
    """The entry is not one this version wrote."""


def _fail(what: str) -> typing.NoReturn:
    raise BadEntry(what)


_HINTS: dict[type, list[tuple[str, Any]]] = {}


def _fields(cls: type) -> list[tuple[str, Any]]:
    """(name, type) of each field, from :func:`typing.get_type_hints` (once per class)."""
    if cls not in _HINTS:
        hints = typing.get_type_hints(cls)
        _HINTS[cls] = [(f.name, hints[f.name]) for f in dataclasses.fields(cls) if f.init]
    return _HINTS[cls]


@functools.cache
def classes() -> dict[str, type]:
    """Every dataclass reachable from :class:`Entry`'s annotations: the only classes an entry can make."""
    found: dict[str, type] = {}

    def walk(tp: Any) -> None:
        if dataclasses.is_dataclass(tp) and isinstance(tp, type):
            if tp.__name__ in found:
                return
            found[tp.__name__] = tp
            for _, hint in _fields(tp):
                walk(hint)
        for arg in typing.get_args(tp):
            walk(arg)

    walk(Entry)
    own = {Entry, RuleBase, Interval, AspProgram, SourceMap, Span} | {
        c for c in vars(ast).values() if isinstance(c, type) and dataclasses.is_dataclass(c)}
    assert set(found.values()) <= own, found
    # objects are made as pickle makes them, without __init__: nothing may need to run after it
    assert not any(hasattr(c, "__post_init__") for c in found.values()), found
    return found


_MEMO_REF = "@"

Decoder = Callable[[Any, list[Any]], Any]


@functools.cache
def _decoder(tp: Any) -> Decoder:
    """A function reading a JSON value as type ``tp`` (raising :class:`BadEntry` otherwise)."""
    if tp is str or tp is int or tp is bool:
        def scalar(v: Any, memo: list[Any]) -> Any:
            return v if type(v) is tp else _fail(f"not a {tp.__name__}")
        return scalar
    if tp is type(None):
        return lambda v, memo: None if v is None else _fail("not null")
    if tp is date:
        return lambda v, memo: date.fromordinal(v) if type(v) is int and 0 < v <= date.max.toordinal() else \
            _fail("not a day")
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        return _READERS[tp]
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin is typing.Literal:
        return lambda v, memo: v if type(v) is str and v in args else _fail("not one of the words")
    if origin is types.UnionType or origin is typing.Union:
        return _union_decoder(args)
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        item = _decoder(args[0])
        return lambda v, memo: tuple([item(x, memo) for x in v]) if type(v) is list else _fail("not a tuple")
    if origin is tuple:
        return _fixed_tuple_reader(args)
    if origin is list:
        item = _decoder(args[0])
        return lambda v, memo: [item(x, memo) for x in v] if type(v) is list else _fail("not a list")
    if origin is dict:
        k, d = _decoder(args[0]), _decoder(args[1])

        def mapping(v: Any, memo: list[Any]) -> Any:
            if type(v) is not list or not all(type(p) is list and len(p) == 2 for p in v):
                _fail("not a table")
            return {k(p[0], memo): d(p[1], memo) for p in v}
        return mapping
    raise TypeError(f"the cache cannot hold {tp!r}")  # pragma: no cover - a class of the engine changed


def _union_decoder(args: tuple[Any, ...]) -> Decoder:
    members: tuple[type, ...] = tuple(a for a in args if isinstance(a, type) and dataclasses.is_dataclass(a))
    others = [_decoder(a) for a in args if a not in members]
    by_name = {c.__name__: _decoder(c) for c in members}
    assert not ({int, date} <= set(args)), args  # a day number must not be read as a number, or the reverse

    def union(v: Any, memo: list[Any]) -> Any:
        if type(v) is list and v and type(v[0]) is str and members:
            if v[0] == _MEMO_REF:
                return _reference(v, memo, members)
            read = by_name.get(v[0])
            if read is not None:
                return read(v, memo)
        for read in others:
            try:
                return read(v, memo)
            except BadEntry:
                continue
        _fail("none of the types")
    return union


def _reference(v: list[Any], memo: list[Any], classes: tuple[type, ...]) -> Any:
    if len(v) != 2 or type(v[1]) is not int or not 0 <= v[1] < len(memo):
        _fail("not a reference")
    obj = memo[v[1]]
    if type(obj) not in classes:  # also an object still being read: its place holds None
        _fail("a reference to the wrong kind of object")
    return obj


_SCALARS = (str, int, bool, type(None))


def _scalar_types(tp: Any) -> frozenset[type] | None:
    """The exact JSON types a value of scalar type ``tp`` may hold (``str | None``: str, NoneType), else
    None. Exact: a bool is not an int here."""
    members = typing.get_args(tp) if typing.get_origin(tp) in (types.UnionType, typing.Union) else (tp,)
    return frozenset(members) if all(m in _SCALARS for m in members) else None


#: How the items of a JSON array of fixed length are read (see :func:`_plan`).
Plan = tuple[list[tuple[int, frozenset[type]]], list[tuple[int, Decoder]]]


def _plan(hints: list[Any], first: int) -> Plan:
    """How to read items ``first, first + 1, ...`` of a JSON array, of types ``hints``: (checks, decoded).

    ``checks`` holds (index in the array, allowed exact types) of each scalar item: checked in place, with
    no call (a bool is not an int here). ``decoded`` holds (index among the items read, decoder of its type)
    of every other item, in the order of the items: the order fixes the numbers of the objects met, which
    references use.
    """
    checks: list[tuple[int, frozenset[type]]] = []
    decoded: list[tuple[int, Decoder]] = []
    for i, tp in enumerate(hints):
        allowed = _scalar_types(tp)
        if allowed is None:
            decoded.append((i, _decoder(tp)))
        else:
            checks.append((first + i, allowed))
    return checks, decoded


def _fixed_tuple_reader(args: tuple[Any, ...]) -> Decoder:
    """A tuple of fixed length (the source map's (first column, end column, span))."""
    size = len(args)
    checks, decoded = _plan(list(args), 0)

    def read(v: Any, memo: list[Any]) -> Any:
        if type(v) is not list or len(v) != size:
            _fail("not a tuple of this length")
        for i, allowed in checks:
            if type(v[i]) not in allowed:
                _fail("an item of a tuple")
        items = v.copy()
        for i, dec in decoded:
            items[i] = dec(items[i], memo)
        return tuple(items)
    return read


_new = object.__new__
_set = object.__setattr__


def _object_reader(cls: type) -> tuple[Decoder, Callable[[Plan], None]]:
    """The reader of one class (``[name, field, ...]`` or a reference), and the function giving it the
    :func:`_plan` of its fields, once every class has its reader (a Term holds Terms).

    Each value is checked before it is set; the object is made without ``__init__`` (as pickle made it),
    its place in ``memo`` taken before its fields are read and filled after, so a reference to an object
    still being read fails.
    """
    name = cls.__name__
    names = tuple(field for field, _ in _fields(cls))
    size = len(names) + 1
    only = (cls,)
    not_this = f"not a {name}"
    bad_field = f"a field of {name}"
    checks: list[tuple[int, frozenset[type]]] = []
    decoded: list[tuple[int, Decoder]] = []

    def plan(made: Plan) -> None:
        nonlocal checks, decoded
        checks, decoded = made

    if hasattr(cls, "__slots__"):
        def make(values: list[Any]) -> Any:
            obj: Any = _new(cls)
            for field, value in zip(names, values):  # noqa: B905 - as long: the length is checked
                _set(obj, field, value)
            return obj
    else:
        def make(values: list[Any]) -> Any:
            obj: Any = _new(cls)
            # as pickle does: the instance's dictionary at once (frozen classes refuse setattr)
            _set(obj, "__dict__", dict(zip(names, values)))  # noqa: B905 - as long: the length is checked
            return obj

    def read(v: Any, memo: list[Any]) -> Any:
        if type(v) is not list or len(v) != size or v[0] != name:
            if type(v) is list and len(v) == 2 and v[0] == _MEMO_REF:
                return _reference(v, memo, only)
            _fail(not_this)
        for i, allowed in checks:
            if type(v[i]) not in allowed:
                _fail(bad_field)
        slot = len(memo)
        memo.append(None)
        values = v[1:]
        for i, dec in decoded:
            values[i] = dec(values[i], memo)
        obj = make(values)
        memo[slot] = obj
        return obj
    return read, plan


#: The reader of each class of :func:`classes`, made by :func:`_entry_decoder`.
_READERS: dict[type, Decoder] = {}


@functools.cache
def _entry_decoder() -> Decoder:
    # every class gets its reader first, then the readers get the decoders of their fields' types,
    # which may name any class (a Term holds Terms)
    plans: list[tuple[type, Callable[[Plan], None]]] = []
    for cls in classes().values():
        _READERS[cls], plan = _object_reader(cls)
        plans.append((cls, plan))
    for cls, plan in plans:
        plan(_plan([hint for _, hint in _fields(cls)], 1))
    return _READERS[Entry]


def encode(obj: Any) -> Any:
    """``obj`` as JSON values (see above); only objects of :func:`classes` are accepted."""
    memo: dict[int, int] = {}
    known = classes()

    def enc(o: Any) -> Any:
        t = type(o)
        if t is str or t is int or t is bool or o is None:
            return o
        if t is date:
            return o.toordinal()
        if t is tuple or t is list:
            return [enc(x) for x in o]
        if t is dict:
            return [[enc(k), enc(v)] for k, v in o.items()]
        if known.get(t.__name__) is t:
            seen = memo.get(id(o))
            if seen is not None:
                return [_MEMO_REF, seen]
            memo[id(o)] = len(memo)
            return [t.__name__, *[enc(getattr(o, name)) for name, _ in _fields(t)]]
        raise TypeError(f"the cache cannot hold a {t.__name__}")

    return enc(obj)


def decode(value: Any) -> Entry:
    """An entry from JSON values; :class:`BadEntry` (or another exception) if it is not one."""
    entry = _entry_decoder()(value, [])
    assert isinstance(entry, Entry)
    return entry


# ---- reading and writing entries ---------------------------------------------------------------


#: Rule bases this process read from the cache, by key, with the entry's stamp (modification time and
#: size) when it was read: asked again while the entry is unchanged, the same rule base is given
#: without decoding it again (a notebook or a test suite loads the same base many times).
_READ: dict[str, tuple[tuple[int, int], tuple[tuple[str, str, str], ...], Rules]] = {}
_READ_MAX = 8


def load(k: str) -> Rules | None:
    """The cached rule base for key ``k``, if there is one and none of the files it read changed."""
    import orjson

    directory = cache_dir()
    if directory is None:
        return None
    path = directory / f"{k}{SUFFIX}"
    try:
        st = path.stat()
        stamp = (st.st_mtime_ns, st.st_size)
        kept = _READ.get(k)
        if kept is not None and kept[0] == stamp:
            return kept[2] if _unchanged(kept[1]) else None
        data = path.read_bytes()
    except OSError:
        return None
    try:
        entry = decode(orjson.loads(data))
        if entry.key != k:
            raise BadEntry("filed under another key")
    except Exception:  # a corrupt, truncated, foreign or ill-typed entry: a miss, and rebuilt
        try:
            path.unlink()
        except OSError:
            pass
        return None
    if not _unchanged(entry.files):
        return None  # a file read changed, moved or went: rebuild (and overwrite this entry)
    rules = Rules(entry.base, entry.program, entry.paths)
    _READ[k] = (stamp, tuple(entry.files), rules)
    while len(_READ) > _READ_MAX:
        del _READ[next(iter(_READ))]
    return rules


def _unchanged(files: Iterable[tuple[str, str, str]]) -> bool:
    """Whether every file an entry read is where it was, with the same text."""
    for _, real, sha in files:
        source = Path(real)
        try:
            if not source.is_file() or digest(read_source(source)) != sha:
                return False
        except Exception:  # unreadable now: the full load will say why
            return False
    return True


def store(k: str, rules: Rules, real_paths: dict[str, str]) -> None:
    """Keep a rule base for next time; a cache that cannot be written is simply not used."""
    import orjson

    directory = cache_dir()
    if directory is None:
        return
    read = tuple((name, real_paths[name], digest(text)) for name, text in rules.base.texts.items()
                 if name in real_paths)
    if len(read) != len(real_paths):  # a file read whose text is not kept cannot be checked later
        return
    try:
        data = orjson.dumps(encode(Entry(k, read, rules.base, rules.program, rules.paths)))
    except (TypeError, ValueError):  # e.g. a file name that is not UTF-8 (JSON cannot hold it): not kept
        return
    try:
        directory.mkdir(parents=True, exist_ok=True)
        write_atomically_bytes(directory / f"{k}{SUFFIX}", data, last_step=False)
        for old in directory.glob("*.pickle"):  # entries of the pickle format (before format 4): never read
            old.unlink(missing_ok=True)
    except OSError:
        pass
