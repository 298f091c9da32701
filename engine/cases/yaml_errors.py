"""YAML syntax errors in the project's words.

libyaml and PyYAML's pure-Python parser word their errors for YAML's implementers ("mapping
values are not allowed in this context", "while scanning a simple key", "expected <block end>,
but found '<scalar>'"). A scenario's author gets instead what went wrong in terms of the file
(a colon, a quote, a bracket, the indentation), where, and what to write. Both parsers' wordings
are recognised; anything not recognised gets a plain message, never the parser's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Said:
    """What a YAML error says: the message (after "invalid YAML: "), a hint, and where it is best shown
    (None: where the parser stopped)."""

    message: str
    hint: str | None = None
    at_context: bool = False  # shown where the construct that failed begins (an unclosed quote)
    with_note: bool = True  # a note says where the construct the parser was reading begins


_QUOTE_IT = 'if it is part of the text, quote the text ("...")'
_TABS = "YAML is indented with spaces, not tabs"
_ESCAPES = "in double quotes, write a backslash as `\\\\`; or use single quotes, where `\\` is plain text"


def _char_at(lines: list[str], line: int, column: int) -> str:
    """The character at a 1-based place of the text ('' past the end of a line)."""
    if 1 <= line <= len(lines):
        text = lines[line - 1]
        if 1 <= column <= len(text):
            return text[column - 1]
    return ""


def _shown_char(ch: str) -> str:
    return {"": "the end of the line", "\t": "a tab", " ": "a space", "`": "a backquote (`)"}.get(ch, f"`{ch}`")


def _rest_of_line(lines: list[str], line: int, column: int, limit: int = 40) -> str:
    if not 1 <= line <= len(lines):
        return ""
    text = lines[line - 1][column - 1:].rstrip()
    return text if len(text) <= limit else text[:limit] + "…"


def said(problem: str, context: str, text: str, line: int, column: int,
         context_line: int | None = None, context_column: int | None = None) -> Said:
    """The project's words for a parser's ``problem`` (and ``context``) at ``line``:``column``."""
    lines = text.splitlines()
    ch = _char_at(lines, line, column)
    p, c = problem.lower(), context.lower()
    if "tab character" in p or (ch == "\t" and "cannot start any token" in p):
        return Said("a tab in the indentation", _TABS, with_note=False)
    if "mapping values are not allowed" in p or "found unexpected ':'" in p:
        return Said("a `: ` (colon and space) where no key can start",
                    f"a colon followed by a space starts a key: {_QUOTE_IT}; if it starts a key, check the "
                    "indentation of the line")
    if "could not find expected ':'" in p:
        where = _rest_of_line(lines, context_line, context_column) if context_line and context_column else ""
        return Said(f"expected `key: value`, found no `:` after `{where}`" if where else "expected `key: value`",
                    "write the key, a colon and a space, then the value; text that goes on over several lines "
                    "is indented below its key", at_context=bool(where))
    if "expected a single document" in c or "another document" in p:
        return Said("a second YAML document (a `---` line): a scenario file holds one",
                    "remove the `---` line, or put the second document in a file of its own")
    if "duplicate anchor" in c or "duplicate anchor" in p:
        return Said("this anchor (`&name`) is defined a second time", "give each anchor its own name")
    if "undefined alias" in p:
        name = re.match(r"\*([^\s,\[\]{}]*)", _rest_of_line(lines, line, column, 200))
        shown = f"`*{name.group(1)}`" if name and name.group(1) else "this alias"
        return Said(f"{shown} names no anchor (`&name`) defined before it",
                    f"an alias repeats a value marked with `&name` above it; {_QUOTE_IT}")
    if "alphabetic or numeric" in p and ("anchor" in c or "alias" in c):
        return Said("an anchor (`&`) or alias (`*`) without a name", _QUOTE_IT)
    if "cannot start any token" in p:
        return Said(f"a value cannot start with {_shown_char(ch)}", _QUOTE_IT)
    if re.search(r"expected ',' or '\}'", p):
        return Said("expected `,` or `}`: the {…} mapping is not closed, or a value in it is not quoted",
                    "close the mapping with `}`; inside {…}, quote a value that has `,`, `:`, `{` or `}` in it")
    if re.search(r"expected ',' or '\]'", p):
        return Said("expected `,` or `]`: the […] list is not closed, or an item in it is not quoted",
                    "close the list with `]`; inside […], quote an item that has `,`, `:`, `[` or `]` in it")
    if "block collection" in c and ("'-' indicator" in p or "<block end>" in p):
        return Said("this line is neither the next item of the list above (`- ...`) nor indented less than it",
                    "the items of a list start with `- ` in the same column; the keys of an item are indented "
                    "past its `- `")
    if "block mapping" in c and ("expected key" in p or "<block end>" in p):
        before = lines[line - 1][:column - 1].rstrip() if 1 <= line <= len(lines) else ""
        if before.endswith(('"', "'")) and ":" in before:
            return Said("text after a quoted value", "put the whole value inside the quotes")
        return Said("expected a key (`key: value`) in the column of the keys above",
                    "the keys of a mapping start in the same column; a list under a key goes on the lines "
                    "below it")
    if "sequence entries are not allowed" in p:
        return Said("a list item (`- `) cannot start here",
                    "put the items on the lines below the key, indented, each starting with `- `; or write "
                    "the list in brackets: [a, b]")
    if "mapping keys are not allowed" in p:
        return Said("a `? ` key cannot start here", "write keys as `key: value`")
    if "node content" in p:
        return Said(f"expected a value, found {_shown_char(ch)}", _QUOTE_IT)
    if "end of stream" in p and "quoted" in c:
        return Said("a quoted text is not closed before the end of the file",
                    "close it with the quote it opens with", at_context=True)
    if "document indicator" in p or "document separator" in p:
        return Said("a `---` or `...` line inside a quoted text", "close the quote before it, or indent the line",
                    at_context=True)
    if "unknown escape" in p:
        escape = ch if ch == "\\" else "\\"
        after = _char_at(lines, line, column + 1) if ch == "\\" else ch
        return Said(f"`{escape}{after}` is not an escape YAML knows", _ESCAPES)
    if "hexdecimal" in p or "hexadecimal" in p or "unicode character escape" in p:
        return Said("an escape `\\x`, `\\u` or `\\U` needs 2, 4 or 8 hexadecimal digits", _ESCAPES)
    if "tag" in c or "tag" in p:
        return Said("a YAML tag (`!...`) that cannot be read", _QUOTE_IT)
    if "directive" in c or "directive" in p or "yaml document" in p or "version" in p:
        return Said("a YAML directive (a line starting with `%`) that cannot be read",
                    "a scenario needs no directive: remove the line")
    if "block scalar" in c:
        return Said("the header of a block text (`|` or `>`) cannot be read",
                    "write `|` or `>` alone after the key, and the text indented on the lines below")
    if "comment or line break" in p:
        return Said("unexpected text after the value", "a value may be followed on its line only by a comment "
                                                      "(`# ...`)")
    if "document start" in p or "document end" in p:
        return Said("unexpected text after the end of the document", "check the indentation of this line")
    return Said("the text cannot be read here", "check the quoting, the brackets and the indentation around "
                                                "this place")


#: What a parser's context names, as a note: "the {…} mapping starts at FILE:LINE:COL".
_CONTEXTS = (
    ("flow mapping", "the {…} mapping starts at"),
    ("flow sequence", "the […] list starts at"),
    ("block mapping", "the mapping starts at"),
    ("block collection", "the list starts at"),
    ("simple key", "the key starts at"),
    ("quoted scalar", "the quoted text starts at"),
    ("block scalar", "the block text starts at"),
    ("plain scalar", "the value starts at"),
    ("duplicate anchor", "the anchor is first defined at"),
    ("single document", "the first document starts at"),
    ("anchor", "the anchor starts at"),
    ("alias", "the alias starts at"),
    ("tag", "the tag starts at"),
    ("directive", "the directive starts at"),
    ("node", "the value starts at"),
)


def context_note(context: str) -> str | None:
    """What the parser was reading, in the project's words ("the […] list starts at"), or None."""
    c = context.lower()
    return next((said for key, said in _CONTEXTS if key in c), None)


__all__ = ["Said", "context_note", "said"]
