"""Pretty, deterministic JSON, fast: keys sorted, two-space indent, UTF-8 as is.

The output is byte-identical to ``json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False)``
(the suite checks this on every shipped scenario), but it is written by orjson in C:
``json.dumps`` with an indent falls back to pure Python, which took longer than clingo's
grounding and solving together on large scenarios (issue 7's profile).
"""

from __future__ import annotations

from typing import Any

import orjson


def pretty(doc: Any) -> str:
    """``doc`` (dicts with string keys, lists, strings, ints, floats, booleans, None) as JSON text."""
    return pretty_bytes(doc).decode("utf-8")


def pretty_bytes(doc: Any) -> bytes:
    """The same, as UTF-8 bytes: for output, without a second copy as text (large findings)."""
    return orjson.dumps(doc, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS)
