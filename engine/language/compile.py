"""Checked rule base -> ASP text, with a source map back to the rule files.

Every emitted rule is preceded by a comment naming its article and ``file:line``, so an
educator can show the logic behind a clause (``treaty compile``). Scenario data never
passes through here: it reaches clingo as symbols (see the cookbook, section 8).

Nothing of a rule file reaches the program as text except what this module makes from the parsed
rules (issue 11): names are identifiers the grammar admits (never the keyword ``not``), quoted text
becomes clingo strings, and text in comments is made visible (:func:`visible`), so a line break in a
title cannot end its comment. :func:`check_inert` verifies the result before clingo reads it.

The compiler is in parts: the emitter and source map (:mod:`engine.language.emit`), the rule compiler
(:mod:`engine.language.conditions`: terms and conditions; :mod:`engine.language.rule_compiler`: whole rules), the
support program (:mod:`engine.language.support`), the scan (:mod:`engine.language.inert`) and clingo's messages
(:mod:`engine.language.clingo_messages`). This module writes the main program (:func:`compile_rules`) and
keeps every name the compiler had here importable from it.
"""

from __future__ import annotations

import clingo as clingo  # (tests patch clingo through this module)

from ..dates import FOREVER, to_day
from ..errors import Diagnostic as Diagnostic
from ..errors import Span as Span
from ..errors import TreatyError as TreatyError
from ..errors import visible
from . import ast as ast
from .clingo_messages import _LOCATION as _LOCATION
from .clingo_messages import ClingoMessages, test_ground
from .clingo_messages import map_clingo_message as map_clingo_message
from .emit import AspProgram, SourceMap, _asp_string, _Emitter
from .inert import _DIRECTIVES as _DIRECTIVES
from .inert import _SCAN as _SCAN
from .inert import _STATEMENTS as _STATEMENTS
from .inert import _check_statements as _check_statements
from .inert import check_inert
from .rule_compiler import LINKS_PART as LINKS_PART
from .rule_compiler import SUPPORT_PART as SUPPORT_PART
from .rule_compiler import _defeat, _RuleCompiler, _rules_by_file
from .rulebase import Interval, RuleBase
from .rulebase import variables as variables
from .support import LINKS_GROUNDED as LINKS_GROUNDED
from .support import SUPPORT_GROUNDED as SUPPORT_GROUNDED
from .support import compile_support, links_part, part_text, rules_behind, support_part
from .vocabulary import BUILTINS
from .vocabulary import DEONTIC_KINDS as DEONTIC_KINDS
from .vocabulary import ENTITY_KINDS as ENTITY_KINDS

#: Predicates the compiled program shows: the conclusions and what follows from them.
SHOWN = ("te_concl/6", "te_notice/2")


def notice_variables(notice: ast.Constraint) -> list[str]:
    """The variables a notice reports, in order of name: those its positive conditions bind."""
    positive = [c for c in notice.conditions if isinstance(c, ast.Literal) and not c.negated]
    return sorted({v.name for c in positive for t in (*c.atom.args, c.on) for v in variables(t)})


def compile_rules(rb: RuleBase) -> AspProgram:
    """The ASP program for a checked rule base."""
    em = _Emitter()
    em.line("% treaty-engine: compiled rule base. Dates are day numbers (proleptic Gregorian ordinals).")
    em.line("% Scenario facts are added by the engine as clingo symbols, never as text.")
    em.line()
    em.line("% ---- instruments, parties and the articles the rules cite")
    for inst in sorted(rb.instruments.values(), key=lambda i: i.id):
        em.put(f"te_instrument({inst.id},{_asp_string(inst.title)}).", inst.span)
        em.end()
    for p in sorted(rb.parties, key=lambda p: (p.instrument, p.entity, p.joined)):
        end = to_day(p.left) if p.left else FOREVER
        em.put(f"te_party({p.entity},{p.instrument},{to_day(p.joined)},{end}).", p.span)
        em.end()
    em.line("% every party to a treaty in the rule base is a state (organisations are declared by scenarios)")
    em.line("te_kind(S,state) :- te_party(S,_,_,_).")
    for rid in sorted(rb.rules):
        r = rb.rules[rid]
        version = _asp_string(r.version) if r.version else "none"
        em.put(f"te_rule({rid},{r.instrument},{_asp_string(r.article)},{version}).", r.id_span)
        em.end()
        for ref in r.references:
            em.put(f"te_ref({rid},{ref.instrument},{_asp_string(ref.article)}).", ref.span)
            em.end()
    em.line()
    em.line("% ---- vocabulary: inputs come from scenarios")
    inputs: dict[str, int] = {}
    for name in sorted(rb.predicates):
        decl = rb.predicates[name]
        arity = decl.arity + (1 if decl.event else 0)
        if not decl.derived:
            inputs[name] = arity
            em.put(f"#defined {name}/{arity}.", decl.span)
            em.end()
    for extra in ("te_party/4", "te_notice/2", "te_kind/2", "te_concl/6", "te_cand/5", "te_defeated/5", "te_until/6",
                  "te_position/2"):
        em.line(f"#defined {extra}.")
    em.line()
    rc = _RuleCompiler(rb, em)
    _rules_by_file(rb, rc, em)
    if rb.constraints:
        em.line("% ---- constraints: conditions that can never all hold (te_check makes each one answerable)")
    if rb.notices:
        em.line("% ---- notices: said to the user where their conditions hold, with the values of their variables")
    for what, table in (("constraint", rb.constraints), ("notice", rb.notices)):
        for cid in sorted(table):
            c = table[cid]
            em.comment(f"{c.span.file}:{c.span.line} {c.instrument} article {c.article} -- {what} {cid}"
                       + (f": {c.title}" if c.title else ""))
            if what == "constraint":
                em.line(f"#external te_check({cid}).")
                em.put(f":- te_check({cid})")
            else:
                em.put(f"te_notice({cid},te_args({','.join(notice_variables(c)) or 'none'})) :- ")
            rc.body(c, None, Interval(None, None), "," if what == "constraint" else "")  # type: ignore[arg-type]
            em.put(".")
            em.end(c.span)
    if rb.priorities:
        em.line("% ---- priorities: the higher rule's conclusion defeats the lower one's for the same bearer,")
        em.line("% ---- action and counterparty while it is in force on the lower one's date: triggered on or")
        em.line("% ---- before it, and not ended (by its until event) on or before it")
        for prio in rb.priorities:
            em.put(f"te_defeated({prio.lower},B,A,P,D) :- "
                   + ",".join(body for body, _ in _defeat(prio, "_", rb)) + ".", prio.span)
            em.end(prio.span)
    em.line()
    em.line("% narrow output: only the conclusions (the engine adds what it decodes; the rest stays inside)")
    for shown in SHOWN:
        em.line(f"#show {shown}.")
    support, links, support_map, support_lines, links_lines = compile_support(rb)
    program = AspProgram("\n".join(em.lines) + "\n", em.map, inputs, support, links, support_map, support_lines,
                         links_lines)
    check_inert(program.text)
    check_inert(program.support)
    check_inert(program.support_links)
    return program


__all__ = ["AspProgram", "ClingoMessages", "SHOWN", "SourceMap", "check_inert", "compile_rules", "compile_support",
           "links_part", "part_text", "rules_behind", "support_part", "test_ground", "visible", "BUILTINS"]
