"""Defence in depth: the compiled program has only what the compiler writes (:func:`check_inert`, issue 11)."""

from __future__ import annotations

import re

from ..errors import visible

#: The directives the compiler writes; any other (``#include``, ``#script``, ``#program``, ``#const``,
#: ``#theory``...) would read a file, run code or change the program's meaning.
_DIRECTIVES = frozenset({"#defined", "#external", "#show", "#count"})

#: What the scan stops at: a string (clingo's escapes), a comment, a directive, or a character the
#: compiler never writes outside strings and comments (``@`` calls a script, ``&`` a theory atom,
#: anything not printable ASCII makes clingo's lexer fail byte by byte).
_SCAN = re.compile(r'"(?:[^"\\\n]|\\.)*"|%[^\n]*|#[A-Za-z_]*|[@&]|[^\x20-\x7e\n]')


def check_inert(text: str) -> None:
    """Refuse a program with a directive, block comment or character the compiler does not write.

    The compiler makes every line from the parsed rules, so this never fires on its own output; it
    is the second wall should a change of the compiler let rule-file text through (issue 11).
    A lexical scan (no file is read, unlike clingo's parser, which follows ``#include``), about a
    millisecond on the shipped rule base.
    """
    for m in _SCAN.finditer(text):
        token = m.group()
        first = token[0]
        if first == '"' or (first == "%" and not token.startswith("%*")):
            continue
        if first == "#" and token in _DIRECTIVES:
            continue
        line = text.count("\n", 0, m.start()) + 1
        raise AssertionError(f"compiled program line {line}: {visible(token[:40])!s} is not written by the compiler")
    _check_statements(text)


#: The kinds of statement the compiler writes (clingo.ast names; ``Comment`` from clingo 5.8 on;
#: ``ShowTerm`` in the support program).
_STATEMENTS = frozenset({"Rule", "Defined", "External", "ShowSignature", "ShowTerm", "Comment"})


def _check_statements(text: str) -> None:
    """Every statement clingo reads is of a kind the compiler writes, and comes from this text.

    Safe to parse only after the scan above: clingo's parser follows ``#include`` (reading the file).
    About 4 ms on the shipped rule base, once per compilation (the result is cached).
    """
    import clingo.ast  # (only when compiling: a rule base from the cache needs no parser)

    found: list[clingo.ast.AST] = []
    try:
        clingo.ast.parse_string(text, found.append, logger=lambda code, message: None)
    except RuntimeError:
        return  # not a program at all: test_ground reports clingo's errors, located in the rule files
    for i, statement in enumerate(found):
        kind = statement.ast_type.name
        where = statement.location.begin
        if i == 0 and kind == "Program" and statement.name == "base" and not statement.parameters:
            continue  # the implicit `#program base.` clingo puts first
        if kind not in _STATEMENTS or where.filename != "<string>":
            raise AssertionError(f"compiled program line {where.line}: a {kind} statement is not written by the "
                                 "compiler")
