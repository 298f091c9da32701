"""Rule file text -> typed AST (:mod:`engine.language.ast`), with located syntax errors."""

from __future__ import annotations

import functools
from importlib.resources import files
from typing import Any

from lark import Lark, Token, Tree, UnexpectedCharacters, UnexpectedInput, UnexpectedToken

from ..errors import Diagnostic, Span, TreatyError
from . import ast
from .ast_builder import KEYWORDS, Builder, shift


@functools.cache
def parser() -> Lark:
    """The LALR parser, built once per process (and cached on disk by Lark)."""
    grammar = files("engine.language").joinpath("grammar.lark").read_text(encoding="utf-8")
    return Lark(grammar, parser="lalr", propagate_positions=True, maybe_placeholders=True, cache=True,
                start=["start", "atom"])


# ---- syntax errors ------------------------------------------------------------

#: How each terminal is named in a message.
_TOKEN_NAMES = {
    "NAME": "a name", "VAR": "a variable", "ANON": "`_`", "INT": "a number", "DATE": "a date (YYYY-MM-DD)",
    "STRING": "a quoted string", "LONG_STRING": 'a """text block"""', "ARTREF": "an article number",
    "CMP": "a comparison", "ADDOP": "`+` or `-`", "DOT": "`.`", "COMMA": "`,`", "COLON": "`:`",
    "LPAR": "`(`", "RPAR": "`)`", "$END": "the end of the file", "EVENT": "`event`",
}

#: Keywords that open a construct, and how a message names the construct.
_CONSTRUCTS = {
    "RULE": "rule", "CONSTRAINT": "constraint", "ARTICLE": "article", "INSTRUMENT": "instrument", "PARTY": "party",
    "INPUT": "input declaration", "DERIVED": "derived declaration", "PRIORITY": "priority",
    "SOURCE": "source", "PARTIES": "parties", "TEXT": "text block",
}
_CLAUSES = {
    "WHEN": "the conditions", "UNLESS": "the `unless` conditions", "DUE": "the deadline",
    "DISCHARGED": "the `discharged by` clause", "UNTIL": "the `until` clause", "FROM": "the `from` clause",
    "ACCORDANCE": "the `in accordance with` reference",
}
_ITEM_START = {"INCLUDE", "RULE", "CONSTRAINT", "ARTICLE", "INSTRUMENT", "PARTY", "INPUT", "DERIVED", "PRIORITY",
               "SOURCE", "PARTIES", "$END"}
_ALSO_ATTRIBUTE = {"SOURCE"}  # `source` opens a declaration but is also an attribute


def _describe(term: str) -> str:
    if term in _TOKEN_NAMES:
        return _TOKEN_NAMES[term]
    pattern = parser().get_terminal(term).pattern if term in _terminal_names() else None
    if pattern is not None and pattern.type == "str":
        return f"`{pattern.value}`"
    return term.lower()


@functools.cache
def _terminal_names() -> frozenset[str]:
    return frozenset(t.name for t in parser().terminals)


def _expected_list(expected: set[str]) -> str:
    next_item = bool(expected & _ITEM_START) and bool(expected - _ITEM_START)
    if next_item:  # inside a declaration whose end is open: name what may continue it
        expected = expected - (_ITEM_START - _ALSO_ATTRIBUTE)
    names = sorted({_describe(t) for t in expected if t not in {"COMMENT", "WS"}})
    if next_item:
        names.append("the next declaration")
    if len(names) > 8:
        names = names[:8] + ["..."]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " or " + names[-1]


def _where(state: Any) -> tuple[str | None, str | None]:
    """(construct, clause) being parsed, read off the parser's value stack."""
    if state is None:
        return None, None
    stack = list(getattr(state, "value_stack", []))
    clause = None
    for i in range(len(stack) - 1, -1, -1):
        item = stack[i]
        if isinstance(item, Token):
            if clause is None and item.type in _CLAUSES:
                clause = _CLAUSES[item.type]
            if item.type in _CONSTRUCTS:
                name = _CONSTRUCTS[item.type]
                nxt = stack[i + 1] if i + 1 < len(stack) else None
                if isinstance(nxt, Token) and nxt.type in {"NAME", "ARTREF"}:
                    name += f" `{nxt.value}`"
                return name, clause
        elif isinstance(item, Tree) and item.data in {"when", "unless"} and clause is None:
            clause = _CLAUSES["WHEN" if item.data == "when" else "UNLESS"]
    return None, clause


def _finished(state: Any) -> bool:
    """True when the construct on the stack has ended with its full stop (only a lookahead reduces it)."""
    stack = list(getattr(state, "value_stack", []))
    return bool(stack) and isinstance(stack[-1], Token) and stack[-1].value == "."


def _end_position(text: str) -> tuple[int, int]:
    stripped = text.rstrip()
    lines = stripped.splitlines() or [""]
    return len(lines), len(lines[-1]) + 1


def syntax_error(exc: UnexpectedInput, text: str, path: str, whole: str = "file") -> Diagnostic:
    """A friendly diagnostic for a Lark parse error (``whole``: what ended early, the file or an atom)."""
    hint = None
    if isinstance(exc, UnexpectedToken):
        token = exc.token
        expected = set(exc.accepts or exc.expected)
        construct, clause = _where(exc.state)
        inside = f" in {clause} of {construct}" if clause and construct else (f" in {construct}" if construct else "")
        if construct and _finished(exc.state):
            inside = f" after {construct}"
        if token.type == "$END":
            line, col = _end_position(text)
            span = Span(path, line, col)
            found = f"end of the {whole}"
        else:
            span = Span(path, token.line, token.column, token.end_line, token.end_column)
            found = f"`{token.value}`"
        if construct and construct.startswith("rule") and "DOT" in expected and (token.type in _ITEM_START):
            message = f"{construct} is not finished: expected `.` at its end"
            span = Span(path, *_previous_token_end(exc))
            hint = "every rule ends with `.`"
        elif token.type == "NAME" and token.value == "and" and "COMMA" in expected:
            message = f"unexpected `and`{inside}"
            hint = "conditions are separated by `,`"
        elif token.type == "LPAR" and _previous_type(exc) == "VAR":
            name = _last_value(exc)
            message = f"`{name}` starts with a capital letter, so it is a variable, not a predicate"
            hint = f"write `{name[0].lower()}{name[1:]}(...)`: predicate names start with a lower-case letter"
        elif token.type == "VAR" and "NAME" in expected and "VAR" not in expected:
            message = f"unexpected variable `{token.value}`{inside}: expected {_expected_list(expected)}"
            hint = "names of predicates, instruments and constants start with a lower-case letter"
        elif token.value in {"obligation", "permission", "prohibition"} and "RULE" in expected:
            message = f"unexpected `{token.value}`{inside}: a deontic head belongs to a rule"
            hint = f"write `rule NAME: {token.value} ...` inside an article"
        else:
            message = f"unexpected {found}{inside}: expected {_expected_list(expected)}"
        return Diagnostic(span, message, hint)
    if isinstance(exc, UnexpectedCharacters):
        span = Span(path, exc.line, exc.column, exc.line, exc.column + 1)
        pos = exc.pos_in_stream or 0
        char = text[pos] if pos < len(text) else ""
        construct, clause = _where(exc.state)
        inside = f" in {clause} of {construct}" if clause and construct else (f" in {construct}" if construct else "")
        if char == '"':
            return Diagnostic(span, f"unterminated string{inside}",
                              'a "string" ends on the line it starts; write longer text as """text"""')
        shown = repr(char)[1:-1] if not char.isprintable() else char
        expected = set(exc.allowed or ())
        tail = f": expected {_expected_list(expected)}" if expected else ""
        if char == "\t":
            hint = None
        return Diagnostic(span, f"unexpected character `{shown}`{inside}{tail}", hint)
    return Diagnostic(Span(path, getattr(exc, "line", 1), getattr(exc, "column", 1)), str(exc))


def _previous_token(exc: UnexpectedToken) -> Token | None:
    for item in reversed(list(getattr(exc.state, "value_stack", []))):
        tok = item if isinstance(item, Token) else _last_token(item)
        if tok is not None:
            return tok
    return None


def _previous_type(exc: UnexpectedToken) -> str | None:
    tok = _previous_token(exc)
    return tok.type if tok is not None else None


def _last_value(exc: UnexpectedToken) -> str:
    tok = _previous_token(exc)
    return str(tok) if tok is not None else ""


def _previous_token_end(exc: UnexpectedToken) -> tuple[int, int]:
    stack = list(getattr(exc.state, "value_stack", []))
    for item in reversed(stack):
        tok = item if isinstance(item, Token) else _last_token(item)
        if tok is not None and tok.end_line is not None and tok.end_column is not None:
            return tok.end_line, tok.end_column
    return exc.token.line or 1, exc.token.column or 1


def _last_token(tree: Any) -> Token | None:
    if isinstance(tree, Token):
        return tree
    if isinstance(tree, Tree):
        for child in reversed(tree.children):
            tok = _last_token(child)
            if tok is not None:
                return tok
    return None


def parse_atom_with_lark(text: str, path: str, line: int = 1, column: int = 1) -> ast.Atom:
    """One atom of any form, by the full parser (:func:`engine.language.atoms.parse_atom` tries the
    common form first)."""
    deep = _too_deep(text, path, line, column)
    if deep is not None:
        raise TreatyError([deep])
    try:
        tree = parser().parse(text, start="atom")
    except UnexpectedInput as exc:
        d = syntax_error(exc, text, path, "text")
        assert d.span is not None
        raise TreatyError([Diagnostic(shift(d.span, line, column), d.message, d.hint)]) from None
    b = Builder(path, text, line, column)
    atom = b.atom(tree)
    if b.diags:
        raise TreatyError(b.diags)
    return atom


#: Deepest nesting of parentheses accepted in a term (deeper is surely a mistake, and would exhaust the stack).
MAX_NESTING = 64


def _too_deep(text: str, path: str, line: int = 1, column: int = 1) -> Diagnostic | None:
    depth, ln, col, quoted, comment = 0, 1, 0, False, False
    for ch in text:
        col += 1
        if ch == "\n":
            ln, col, comment = ln + 1, 0, False
            continue
        if comment:
            continue
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch == "#":
            comment = True
        elif not quoted and ch == "(":
            depth += 1
            if depth > MAX_NESTING:
                return Diagnostic(shift(Span(path, ln, col, ln, col + 1), line, column),
                                  f"terms are nested more than {MAX_NESTING} deep", "is a `)` missing?")
        elif not quoted and ch == ")":
            depth = max(0, depth - 1)
    return None


def parse_text(text: str, path: str) -> ast.RuleFile:
    """Parse one rule file. Raises :class:`TreatyError` with every problem found."""
    deep = _too_deep(text, path)
    if deep is not None:
        raise TreatyError([deep], {path: text})
    if not text.strip():
        raise TreatyError([Diagnostic(Span(path, 0, 0), "the file is empty",
                                      "a rule file declares at least an instrument, a source or a predicate")])
    try:
        tree = parser().parse(text, start="start")
    except UnexpectedInput as exc:
        raise TreatyError([syntax_error(exc, text, path)], {path: text}) from None
    b = Builder(path, text)
    b.keyword_names(tree)
    b.build(tree)
    if b.diags:
        raise TreatyError(b.diags, {path: text})
    return ast.RuleFile(path, tuple(b.includes), tuple(b.sources), tuple(b.instruments), tuple(b.parties),
                        tuple(b.articles), tuple(b.predicates), tuple(b.rules), tuple(b.priorities),
                        tuple(b.constraints), tuple(b.interpretations), tuple(b.symbol_kinds), tuple(b.notices))


__all__ = ["KEYWORDS", "MAX_NESTING", "parse_atom_with_lark", "parse_text", "parser", "shift", "syntax_error"]
