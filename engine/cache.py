"""A cache of compiled rule bases, keyed by the content of the rule files.

Entries live in the user's cache directory (``TREATY_CACHE_DIR`` overrides it, ``TREATY_NO_CACHE=1``
turns the cache off). An entry is written whole or not at all (temporary file, then rename), so
concurrent runs never see half an entry; an entry that cannot be read, or whose files have changed
since, is ignored and rebuilt.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

from .files import write_atomically_bytes

if TYPE_CHECKING:
    from .load import Rules

FORMAT = 3  # bump when the pickled classes change shape


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


def key(sources: dict[str, str]) -> str:
    """The cache key of a set of top-level rule files (display name -> text)."""
    from . import __version__

    h = hashlib.sha256()
    for part in (__version__, str(FORMAT), _code_digest(), *(f"{n}\0{digest(t)}" for n, t in sorted(sources.items()))):
        h.update(part.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()


#: The engine's own files that decide what a rule base compiles to: a change to any of them is a miss.
_COMPILER_FILES = ("grammar.lark", "parse.py", "ast.py", "check.py", "vocabulary.py", "compile.py", "load.py",
                   "dates.py", "errors.py")


@functools.cache
def _code_digest() -> str:
    package = files("engine")
    return digest("".join(package.joinpath(name).read_text(encoding="utf-8") for name in _COMPILER_FILES))


@dataclass
class Entry:
    rules: Rules
    files: dict[str, tuple[str, str]]  # display name -> (path on disk, sha256 of its text)


def load(k: str) -> Rules | None:
    """The cached rule base for key ``k``, if there is one and none of its files changed."""
    from .load import read_source

    directory = cache_dir()
    if directory is None:
        return None
    path = directory / f"{k}.pickle"
    try:
        with open(path, "rb") as fh:
            entry = pickle.load(fh)
        if not isinstance(entry, Entry):
            raise TypeError("not an entry")
        for _, (real, sha) in entry.files.items():
            if digest(read_source(Path(real))) != sha:
                return None  # an included file changed: rebuild (and overwrite this entry)
        return entry.rules
    except FileNotFoundError:
        return None
    except Exception:  # a corrupt, truncated or foreign entry: drop it and rebuild
        try:
            path.unlink()
        except OSError:
            pass
        return None


def store(k: str, rules: Rules, real_paths: dict[str, str]) -> None:
    """Keep a rule base for next time; a cache that cannot be written is simply not used."""
    directory = cache_dir()
    if directory is None:
        return
    entry = Entry(rules, {name: (real_paths[name], digest(text)) for name, text in rules.base.texts.items()
                          if name in real_paths})
    try:
        directory.mkdir(parents=True, exist_ok=True)
        write_atomically_bytes(directory / f"{k}.pickle", pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL))
    except OSError:
        pass
