"""Why-not patterns such as ``obligation(australia, _, united_states)``, checked before any search.

A pattern that cannot name a conclusion (the wrong number of arguments, an entity where the
action goes, a name nobody declared) is the user's mistake: a located error (exit 2) with the
pattern as its source line, not "no rule can conclude it" (exit 0), which reads as a legal answer.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Mapping

from ..errors import Diagnostic, Span, TreatyError, did_you_mean
from ..language import ast
from ..language.check import RuleBase
from ..language.vocabulary import ENTITY_KINDS, undeclared_symbol

#: The name a pattern's messages give as the file (``--why-not:1:17: error: ...``).
SOURCE = "--why-not"


def known_states(atom: ast.Atom, entities: Collection[str], aliases: Mapping[str, str]) -> ast.Atom:
    """The pattern with a state named by its ISO 3166 code or name (``usa``, ``uk``) written as the
    rule base's id, as a scenario's would be (a name the scenario or rule base uses is left alone)."""
    def known(term: ast.Term) -> ast.Term:
        if isinstance(term, ast.Const) and term.name not in entities and term.name in aliases:
            return ast.Const(aliases[term.name], term.span)
        return term

    return dataclasses.replace(atom, args=tuple(known(t) for t in atom.args))


def deontic_arguments(atom: ast.Atom, text: str, rb: RuleBase, entities: Collection[str]) -> list[ast.Term]:
    """(bearer, action, counterparty) of a pattern ``KIND(bearer, action[, counterparty])``.

    Raises a located :class:`TreatyError` when the pattern cannot name a conclusion of that kind.
    """
    kind = atom.name
    problems: list[Diagnostic] = []
    if len(atom.args) not in (2, 3):
        problems.append(Diagnostic(atom.span, f"`{kind}` takes a bearer, an action and a counterparty, "
                                              f"not {len(atom.args)} argument{'s' if len(atom.args) != 1 else ''}",
                                   f"write {kind}(BEARER, ACTION, COUNTERPARTY); `_` stands for anything"))
        raise TreatyError(problems, {SOURCE: text})
    actions = _actions(rb, kind)
    bearer, action, *rest = atom.args
    problems += _entity(bearer, entities, "bearer")
    for term in rest:
        problems += _entity(term, entities, "counterparty")
    name = _name(action)
    if name is not None and actions is not None and name not in actions:
        if name in entities:
            example = f"{kind}({_text(bearer, text)}, _, {name})"
            problems.append(Diagnostic(_span(action), f"`{name}` is an entity, not an action that a rule concludes "
                                                       f"as {_a(kind)}",
                                       f"the action comes second: {example} asks about any action towards {name}"))
        else:
            hint = did_you_mean(name, actions) or ("the actions are: " + ", ".join(f"`{a}`" for a in sorted(actions))
                                                   if actions else f"no rule concludes {_a(kind)}")
            problems.append(Diagnostic(_span(action), f"no rule concludes {_a(kind)} to `{name}`", hint))
    if problems:
        raise TreatyError(problems, {SOURCE: text})
    return list(atom.args) + ([ast.Anon(atom.span)] if len(atom.args) == 2 else [])


def derived_arguments(atom: ast.Atom, text: str, rb: RuleBase, decl: ast.PredicateDecl,
                      entities: Collection[str]) -> None:
    """Check a pattern ``derived(a, b, ...)`` against the predicate's declaration: as many arguments
    as it has, each a known entity or a declared symbol where the declaration says so (``_`` for any).

    Raises a located :class:`TreatyError` when the pattern cannot name what the rules derive.
    """
    if len(atom.args) != decl.arity:
        kinds = ", ".join(p.role or p.kind for p in decl.params)
        raise TreatyError([Diagnostic(atom.span, f"`{decl.name}` takes {decl.arity} argument"
                                                 f"{'s' if decl.arity != 1 else ''} ({kinds}), not {len(atom.args)}",
                                      f"write {decl.name}({kinds.upper()}); `_` stands for anything")],
                          {SOURCE: text})
    problems: list[Diagnostic] = []
    for term, param in zip(atom.args, decl.params, strict=True):
        role = param.role or param.kind
        if param.kind in ENTITY_KINDS or param.kind == "entity":
            problems += _entity(term, entities, f"`{role}` argument of `{decl.name}`")
        elif param.kind in rb.symbol_kinds and isinstance(term, ast.Const) and term.name not in rb.symbol_kinds[
                param.kind]:
            said = undeclared_symbol(term.name, param.kind, rb.symbol_kinds[param.kind], role, decl.name)
            problems.append(Diagnostic(term.span, *said))
    if problems:
        raise TreatyError(problems, {SOURCE: text})


def _actions(rb: RuleBase, kind: str) -> set[str] | None:
    """The names of the actions the rules of this kind conclude; None if a rule's action is a variable."""
    out: set[str] = set()
    for rule in rb.rules.values():
        head = rule.head
        if isinstance(head, ast.DeonticHead) and head.kind == kind:
            name = _name(head.action)
            if name is None:
                return None
            out.add(name)
    return out


def _entity(term: ast.Term, entities: Collection[str], role: str) -> list[Diagnostic]:
    if isinstance(term, ast.Const) and term.name not in entities and term.name != "none":
        return [Diagnostic(term.span, f"unknown entity `{term.name}` as the {role}",
                           did_you_mean(term.name, entities) or "the entities are those of the scenario and the "
                                                                  "parties of the rule base")]
    return []


def _name(term: ast.Term) -> str | None:
    if isinstance(term, ast.Const | ast.Compound):
        return term.name
    return None


def _span(term: ast.Term) -> Span:
    return term.span


def _text(term: ast.Term, text: str) -> str:
    span = term.span
    if span.end_column is not None and span.end_line == span.line == 1:
        return text[span.column - 1:span.end_column - 1]
    return "BEARER"


def _a(kind: str) -> str:
    return f"an {kind}" if kind[0] in "aeiou" else f"a {kind}"
