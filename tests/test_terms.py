"""Terms as plain Python values answer as clingo's own symbols do (engine/terms.py)."""

from __future__ import annotations

import clingo
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine import terms

names = st.from_regex(r"[a-z][a-z0-9_]{0,6}", fullmatch=True)
symbols = st.recursive(
    st.one_of(st.integers(-(2**31), 2**31 - 1).map(clingo.Number), names.map(clingo.Function),
              st.text(max_size=6).map(clingo.String), st.sampled_from([clingo.Infimum, clingo.Supremum])),
    lambda inner: st.one_of(
        st.tuples(names, st.lists(inner, min_size=1, max_size=3)).map(lambda t: clingo.Function(t[0], t[1])),
        st.lists(inner, min_size=1, max_size=3).map(lambda args: clingo.Function("", args)),
        names.map(lambda n: clingo.Function(n, [], False))),
    max_leaves=8)


def same(term: terms.Sym, sym: clingo.Symbol) -> None:
    assert term.type == sym.type and str(term) == str(sym)
    if sym.type == clingo.SymbolType.Number:
        assert term.number == sym.number
    elif sym.type == clingo.SymbolType.String:
        assert term.string == sym.string
    elif sym.type == clingo.SymbolType.Function:
        assert (term.name, term.positive, len(term.arguments)) == (sym.name, sym.positive, len(sym.arguments))
        for t, s in zip(term.arguments, sym.arguments, strict=True):
            same(t, s)


@settings(max_examples=300, deadline=None)
@given(symbols, symbols)
def test_read_from_clingos_text_a_term_answers_as_the_symbol(a: clingo.Symbol, b: clingo.Symbol):
    ta, tb = terms.from_clingo(a), terms.from_clingo(b)
    same(ta, a)
    assert terms.to_clingo(ta) == a
    assert (ta == tb) == (a == b) and (ta != tb) == (a != b)
    assert (hash(ta) == hash(tb)) or a != b
    assert (ta < tb) == (a < b) and (ta <= tb) == (a <= b) and (ta > tb) == (a > b) and (ta >= tb) == (a >= b)


@pytest.mark.parametrize("build, sym", [
    (lambda: terms.number(-7), clingo.Number(-7)),
    (lambda: terms.constant("russia"), clingo.Function("russia")),
    (lambda: terms.string('say "hi"\n\\'), clingo.String('say "hi"\n\\')),
    (lambda: terms.function("f", (terms.constant("a"), terms.number(2))),
     clingo.Function("f", [clingo.Function("a"), clingo.Number(2)])),
    (lambda: terms.function("", (terms.number(1),)), clingo.Function("", [clingo.Number(1)])),
])
def test_terms_built_in_python_print_and_compare_as_clingos(build, sym: clingo.Symbol):
    term = build()
    same(term, sym)
    assert term == terms.from_clingo(sym) and hash(term) == hash(terms.from_clingo(sym))


def test_an_atom_is_taken_apart_once():
    atom = clingo.Function("requested", [clingo.Function("kazakhstan"), clingo.Function("russia"), clingo.Number(5)])
    assert terms.atom_of(atom) is terms.atom_of(atom)
    assert terms.args_of(atom) == (terms.constant("kazakhstan"), terms.constant("russia"), terms.number(5))
