"""Parsing: a typed, frozen AST where every node knows its file, line and column."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from engine.language import ast
from engine.language.parse import parse_text, parser

SRC = '''source s "A source"
instrument anzus "Security Treaty between Australia, New Zealand and the United States"
  signed 1951-09-01 in force 1952-04-29
  amended 2000-01-01 in force 2001-01-01 "An imaginary protocol"
  authentic en
  source s
parties source s
party australia "Australia" joined 1952-04-29
input event armed_attack(by: entity, against: state) "an armed attack"
article IV "Common danger" in force 1952-04-29
  text en authentic source s """
    Each Party recognizes ...
      (indented)"""
rule iv_act "Act to meet the common danger":
  obligation M act_to_meet(common_danger) to V
  when armed_attack(_, V) on D, party(M, anzus) on D, party(V, anzus) on D, M != V, D >= 1952-04-29 + 0 days
  from D
  due within 30 days.
'''


def test_the_parser_is_built_once():
    assert parser() is parser()


def test_every_node_is_frozen_and_located():
    f = parse_text(SRC, "anzus.rules")
    [rule] = f.rules
    assert (rule.span.file, rule.span.line, rule.span.column) == ("anzus.rules", 14, 1)
    assert (rule.id_span.line, rule.id_span.column) == (14, 6)
    with pytest.raises(dataclasses.FrozenInstanceError):
        rule.id = "other"  # type: ignore[misc]
    head = rule.head
    assert isinstance(head, ast.DeonticHead)
    assert (head.kind, head.counterparty_word) == ("obligation", "to")
    assert isinstance(head.action, ast.Compound) and head.action.name == "act_to_meet"
    cond = rule.conditions[0]
    assert isinstance(cond, ast.Literal) and (cond.span.line, cond.span.column) == (16, 8)
    assert isinstance(cond.atom.args[0], ast.Anon)
    last = rule.conditions[-1]
    assert isinstance(last, ast.Comparison) and isinstance(last.right, ast.Arith)
    assert isinstance(last.right.left, ast.DateLit) and last.right.left.value == date(1952, 4, 29)
    assert rule.due == ast.Deadline("within", 30, None, rule.due.span)
    assert (rule.instrument, rule.article, rule.version) == ("anzus", "IV", None)


def test_declarations_keep_their_context_and_text():
    f = parse_text(SRC, "anzus.rules")
    [inst] = f.instruments
    assert inst.signed == date(1951, 9, 1) and inst.in_force is not None
    assert inst.amendments[0].title == "An imaginary protocol"
    [party] = f.parties
    assert (party.instrument, party.entity, party.source, party.left) == ("anzus", "australia", "s", None)
    [art] = f.articles
    assert art.texts[0].text == "Each Party recognizes ...\n  (indented)"
    [decl] = f.predicates
    assert decl.event and [p.role for p in decl.params] == ["by", "against"]


def test_string_escapes_are_decoded():
    f = parse_text('source s "say \\"hi\\" \\\\ there"\n', "x.rules")
    assert f.sources[0].citation == 'say "hi" \\ there'


@pytest.mark.parametrize("text", ["requested(kazakhstan, russia, assistance)", "armed_attack(a,b)",
                                  "x(2022-01-05, 12, abc)", "p(a)", " q( a ,b )"])
def test_the_fast_path_for_scenario_facts_builds_what_the_grammar_builds(text: str):
    from engine.language.ast_builder import Builder
    from engine.language.atoms import _simple_atom

    fast = _simple_atom(text.strip(), "f.yaml", 3, 10)
    full = Builder("f.yaml", text.strip(), 3, 10).atom(parser().parse(text.strip(), start="atom"))
    assert fast is not None and fast == full


@pytest.mark.parametrize("text", ['p("a string")', "p(f(x))", "p(X)", "p(_)", "p(2022-02-30)", "p(99999999999)",
                                  "p(not)", "p(a) on 2022-01-01"])
def test_anything_else_goes_to_the_full_parser(text: str):
    from engine.language.atoms import _simple_atom

    assert _simple_atom(text, "f.yaml", 1, 1) is None
