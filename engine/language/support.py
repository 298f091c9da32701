"""The support program (:func:`compile_support`): what a derivation (engine/reasoning/derivation.py) reads of
the rule instances of a model, and how its two parts are added to a control holding the main program
(:func:`support_part`, :func:`links_part`).
"""

from __future__ import annotations

from .emit import AspProgram, SourceMap, _Emitter
from .rule_compiler import _defeat, _RuleCompiler, _rules_by_file
from .rulebase import RuleBase

#: The support program's own statements of what it is (facts: see engine/reasoning/derivation.py).
SUPPORT_GROUNDED = "te_support_grounded"
LINKS_GROUNDED = "te_support_links_grounded"


def compile_support(rb: RuleBase) -> tuple[str, str, SourceMap]:
    """The support program of a checked rule base, its links' part, and where each of their lines
    came from (the links' lines numbered after the support program's).

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

    The program is ground only to explain (after the main one, in the same control: multi-shot);
    a check never reads it. Its ``te_fired`` (``te_link``) atoms are shown, as flat ``te_step`` terms
    (:func:`_shown`), only while the external ``te_explaining`` (``te_explaining_links``) is true,
    as it is only for a derivation's solve: the consequences a check computes on the same control
    later (a batch's sweep) are unchanged. Rule-file text reaches it only as the main program's does.
    """
    em = _Emitter()
    em.line("% treaty-engine: the support program of the compiled rule base, ground only to explain")
    em.line("% (engine/reasoning/derivation.py).")
    em.line("% te_fired(Rule, Head, Body, Atoms, InForce): the rule fired with this body.")
    em.line(f"{SUPPORT_GROUNDED}.")
    em.line()
    rc = _RuleCompiler(rb, em, support=True)
    _rules_by_file(rb, rc, em)
    if rb.priorities:
        em.line("% ---- priorities: which higher conclusion defeats which candidate")
        for prio in rb.priorities:
            parts = _defeat(prio, "K")
            em.put(f"te_fired(te_priority({prio.higher},{prio.lower}),te_defeated({prio.lower},B,A,P,D),("
                   + ",".join(term for _, term in parts) + "),(" + ",".join(term for _, term in parts[:2])
                   + "),none) :- " + ",".join(body for body, _ in parts) + ".", prio.span)
            em.end(prio.span)
    em.line()
    em.line("% what a derivation reads: the rule instances of a model, shown only while explaining")
    em.line("#external te_explaining.")
    for line in _shown("te_fired", "te_explaining", rc.sizes["te_fired"] | ({2} if rb.priorities else set())):
        em.line(line)
    links = rc.links
    links.line()
    links.line("% what explains a conclusion's deadline, discharge and end, shown only while explaining them")
    links.line(f"{LINKS_GROUNDED}.")
    links.line("#external te_explaining_links.")
    for show in _shown("te_link", "te_explaining_links", rc.sizes["te_link"]):
        links.line(show)
    offset = len(em.lines)
    for number, pieces in links.map.pieces.items():
        em.map.pieces[number + offset] = pieces
    return "\n".join(em.lines) + "\n", "\n".join(links.lines) + "\n", em.map


def _shown(pred: str, external: str, sizes: set[int]) -> list[str]:
    """The show statements of a support predicate: while ``external`` is true, each of its atoms as
    ``te_step(pred, Rule, Head, Body, InForce, Atom1, ..., AtomN)``, a flat term (one per number of
    body atoms N), so that a derivation reads a rule instance's head and atoms in one step."""
    out = []
    for n in sorted(sizes):
        atoms = [f"A{i}" for i in range(1, n + 1)]
        tup = "(" + ",".join(atoms) + ("," if n == 1 else "") + ")"
        out.append(f"#show te_step({','.join([pred, 'R', 'H', 'B', 'F', *atoms])}) : "
                   f"{pred}(R,H,B,{tup},F), {external}.")
    return out


def support_part(program: AspProgram) -> str:
    """The support program as it is added to a control holding the main program: after as many
    empty lines as the main program has, so that clingo's line numbers tell the two apart
    (:func:`~engine.language.clingo_messages.map_clingo_message`)."""
    return "\n" * program.text.count("\n") + program.support


def links_part(program: AspProgram) -> str:
    """The support program's links' part as it is added to a control (after the support program's
    lines, as :func:`support_part` puts those after the main program's)."""
    return "\n" * (program.text.count("\n") + program.support.count("\n")) + program.support_links
