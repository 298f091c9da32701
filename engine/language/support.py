"""The support program (:func:`compile_support`): what a derivation (engine/reasoning/derivation.py) reads of
the rule instances of a model, and how its two parts are added to a control holding the main program
(:func:`support_part`, :func:`links_part`), whole or rule by rule (:func:`part_text`).
"""

from __future__ import annotations

from collections.abc import Iterable

from . import ast
from .emit import AspProgram, SourceMap, _Emitter
from .rule_compiler import _defeat, _RuleCompiler, _rules_by_file, shown
from .rulebase import RuleBase

#: The support program's own statements of what it is (facts: see engine/reasoning/derivation.py).
SUPPORT_GROUNDED = "te_support_grounded"
LINKS_GROUNDED = "te_support_links_grounded"


Lines = dict[str, tuple[int, ...]]


def compile_support(rb: RuleBase) -> tuple[str, str, SourceMap, Lines, Lines]:
    """The support program of a checked rule base, its links' part, where each of their lines came
    from (the links' lines numbered after the support program's), and each rule's lines in each
    (what :func:`part_text` grounds of one rule).

    For every rule the main program has, one rule with the same body (written by the same code)
    deriving ``te_fired(Rule, Head, Body, Atoms, InForce)`` instead of the head: the rule's id (the
    priority's ``te_priority(Higher, Lower)``), the ground head, the ground body as a tuple of terms,
    the atoms of the model its positive conditions matched (the body's atoms, ``te_party_on``
    unwrapped: what a derivation follows, without reading the body term by term) and the rule's
    in-force bounds ``te_in_force(D, From, To)`` or ``none``. A term of the body is

    - an atom that matched, as itself (its anonymous arguments named, so ground);
    - ``te_party_on(te_party(E, I, From, To), D)``: a party-list entry whose period covers day D;
    - ``te_not(A)``: no atom of the model matches A, where ``te_any`` matches anything (a negated
      condition; ``te_not(te_party_on(te_party(E, I, te_any, te_any), D))``: E is not a party to I
      on D; ``te_not(te_by(te_until(...), D))``: no until event on or before D;
      ``te_not(te_from(E, D))``: no event E on or after D);
    - ``te_cmp(L, Op, R)``: a comparison, L and R evaluated, Op a string.

    A conclusion's deadline, discharge and end (``te_due``, ``te_discharged``, ``te_until``: atoms that
    no condition reads, so that no derivation of another atom passes through them) are supported by
    ``te_link(...)`` atoms of the same shape, in a part of their own (``support_links``), ground only
    when they are explained; so is the *absence* of a discharge or end, ``te_no(te_discharged(Key))``
    (``te_no(te_until(Key))``), whose body ends with the discharging (ending) literal negated.

    The program is ground only to explain (after the main one, in the same control: multi-shot),
    and only the rules an explanation can pass through (:func:`rules_behind`, :func:`part_text`);
    a check never reads it. Each rule's ``te_fired`` (``te_link``) atoms are shown, as flat
    ``te_step`` terms (:func:`~engine.language.rule_compiler.shown`), only while the external
    ``te_explaining`` (``te_explaining_links``) is true, as it is only for a derivation's solve: the
    consequences a check computes on the same control later (a batch's sweep) are unchanged.
    Rule-file text reaches it only as the main program's does.
    """
    em = _Emitter()
    em.line("% treaty-engine: the support program of the compiled rule base, ground only to explain")
    em.line("% (engine/reasoning/derivation.py).")
    em.line("% te_fired(Rule, Head, Body, Atoms, InForce): the rule fired with this body.")
    em.line(f"{SUPPORT_GROUNDED}.")
    em.line("#external te_explaining.")
    em.line()
    rc = _RuleCompiler(rb, em, support=True)
    links = rc.links
    links.line("% what explains a conclusion's deadline, discharge and end, shown only while explaining them")
    links.line(f"{LINKS_GROUNDED}.")
    links.line("#external te_explaining_links.")
    _rules_by_file(rb, rc, em)
    if rb.priorities:
        em.line("% ---- priorities: which higher conclusion defeats which candidate (ground with the lower rule)")
        for prio in rb.priorities:
            first = len(em.lines)
            parts = _defeat(prio, "K", rb)
            who = f"te_priority({prio.higher},{prio.lower})"
            em.put(f"te_fired({who},te_defeated({prio.lower},B,A,P,D),("
                   + ",".join(term for _, term in parts) + "),(" + ",".join(term for _, term in parts[:2])
                   + "),none) :- " + ",".join(body for body, _ in parts) + ".", prio.span)
            em.end(prio.span)
            em.line(shown("te_fired", who, 2))
            rc.owned.setdefault(prio.lower, []).extend(range(first, len(em.lines)))
    offset = len(em.lines)
    for number, pieces in links.map.pieces.items():
        em.map.pieces[number + offset] = pieces
    owned = {r: tuple(lines) for r, lines in rc.owned.items()}
    owned_links = {r: tuple(lines) for r, lines in rc.owned_links.items()}
    return "\n".join(em.lines) + "\n", "\n".join(links.lines) + "\n", em.map, owned, owned_links


def rules_behind(rb: RuleBase, rule_ids: Iterable[str], conclusions: bool = True) -> set[str]:
    """The rules whose support an explanation of these rules' conclusions can read: the rules
    themselves and, again and again, those that derive a predicate one of them reads (in a
    condition, or as what discharges or ends a conclusion), and (``conclusions``) those that
    conclude a kind of conclusion one of them reads (``permission(M, use_force, A) on R``: every
    permission rule)."""
    deriving: dict[str, list[str]] = {}  # by predicate; a condition on a conclusion (`permission(...)`) by kind
    for rule in rb.rules.values():
        if isinstance(rule.head, ast.AtomHead):
            deriving.setdefault(rule.head.atom.name, []).append(rule.id)
        elif conclusions:
            deriving.setdefault(rule.head.kind, []).append(rule.id)
    out: set[str] = set()
    todo = [r for r in rule_ids if r in rb.rules]
    while todo:
        rid = todo.pop()
        if rid in out:
            continue
        out.add(rid)
        rule = rb.rules[rid]
        read = [c for c in rule.conditions if isinstance(c, ast.Literal)]
        read += [lit for lit in (rule.discharged, rule.until) if lit is not None]
        for lit in read:
            todo.extend(deriving.get(lit.atom.name, ()))
    return out


def part_text(program: AspProgram, links: bool, rules: Iterable[str] | None, header: bool) -> str:
    """What a control is given to ground of the support program (``links``: of its links' part): the
    lines of these rules (every rule's: None), with the lines no rule owns (the part's own facts and
    external) if ``header``; every other line left empty, so that clingo numbers each line as in the
    whole (see :func:`support_part`)."""
    text = program.support_links if links else program.support
    owned = program.links_lines if links else program.support_lines
    before = program.text.count("\n") + (program.support.count("\n") if links else 0)
    lines = text.split("\n")
    if rules is None and header:
        keep = range(len(lines))
    else:
        keep_set: set[int] = set()
        if header:
            keep_set.update(range(len(lines)))
            for numbers in owned.values():
                keep_set.difference_update(numbers)
        for rule in (owned if rules is None else rules):
            keep_set.update(owned.get(rule, ()))
        keep = keep_set  # type: ignore[assignment]
    return "\n" * before + "\n".join(line if i in keep else "" for i, line in enumerate(lines))


def support_part(program: AspProgram) -> str:
    """The support program as it is added to a control holding the main program: after as many
    empty lines as the main program has, so that clingo's line numbers tell the two apart
    (:func:`~engine.language.clingo_messages.map_clingo_message`)."""
    return "\n" * program.text.count("\n") + program.support


def links_part(program: AspProgram) -> str:
    """The support program's links' part as it is added to a control (after the support program's
    lines, as :func:`support_part` puts those after the main program's)."""
    return "\n" * (program.text.count("\n") + program.support.count("\n")) + program.support_links
