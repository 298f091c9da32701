"""A commented scenario skeleton for one instrument or a set of them (`treaty new`).

The skeleton is valid as it stands (`treaty check` reads it, `treaty test` passes it) and says in
comments what a case under these instruments may state: each input predicate their rules read
(its arguments, event or fact, meaning, and the symbols of closed vocabularies, all taken from
the rule base's vocabulary, :mod:`engine.outputs.vocabulary`), the parties the rule base knows,
and how expectations are written.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterable
from datetime import date
from typing import Any

from ..errors import TreatyError
from ..language import ast
from ..language.load import Rules
from ..language.support import rules_behind
from ..language.vocabulary import ENTITY_KINDS
from .show import _instrument
from .vocabulary import vocabulary

#: The identifier of the placeholder source.
SOURCE = "s1"
_WIDTH = 100


def skeleton(rules: Rules, names: Iterable[str], as_of: date, title: str | None = None) -> str:
    """The YAML text of a new scenario for the instruments ``names`` (as `treaty show` accepts them:
    ids or aliases, in any case), judged at ``as_of``. The same arguments give the same text."""
    found, problems = set(), []
    for name in names:
        try:
            found.add(_instrument(rules, name))
        except TreatyError as err:  # every unknown name is said, not only the first
            problems += err.diagnostics
    if problems:
        raise TreatyError(problems)
    chosen = sorted(found)
    rb = rules.base
    v = vocabulary(rules)
    inputs = [p for p in v["inputs"] if set(p["read_by"]) & set(chosen)]
    out = _header(rules, chosen)
    out += ["", f"title: {json.dumps(title or 'A new case under ' + ' and '.join(chosen), ensure_ascii=False)}",
            "# description: >", "#   Free text for the reader of this file (the findings do not show it).",
            f"as_of: {as_of.isoformat()}  # the day the case is judged at: later events are left out"]
    applied = _applied(rb, chosen)
    more = [i for i in applied if i not in chosen]
    because = (f"; {' and '.join(more)} because the rules of {' and '.join(chosen)} read what theirs conclude"
               if more else "")
    out += ["", *_comment(f"The rules of these instruments apply (remove the line to apply every instrument "
                          f"loaded){because}."), f"instruments: [{', '.join(applied)}]"]
    out += ["", "sources:", "  # Every fact and event names one of these by its identifier.", f"  {SOURCE}:",
            '    cite: "Publisher, title, date"  # replace with the real citation',
            "    # url: https://...", "    # file: seeds/...  (a local copy, relative to the project)"]
    out += _entities(rules, chosen, as_of)
    events = [p for p in inputs if p["event"]]
    facts = [p for p in inputs if not p["event"]]
    symbols = {k["kind"]: [s["name"] for s in k["symbols"]] for k in v["symbols"]}
    if events:
        out += ["", _heading("Events: what happened, and when"),
                "# Each entry states one atom, the day it happened (`on:`; a list of days when sources disagree,",
                "# exactly one of them being right), a status and a source. Statuses: established (true in",
                "# every reading); alleged or disputed (true in some readings only: the findings say what turns",
                "# on them); denied (false, kept for the record). Uncomment `events:` and the entries you need,",
                "# and replace the CAPITALS. The events the rules of these instruments read:", "#", "# events:"]
        for p in events:
            out += _entry(p, symbols, rb, f'on: {as_of.isoformat()}, ')
    if facts:
        out += ["", _heading("Facts: statements without a date"),
                "# As events, without `on:`. Uncomment `facts:` and the entries you need. The facts the rules",
                "# of these instruments read:", "#", "# facts:"]
        for p in facts:
            out += _entry(p, symbols, rb, "")
    out += _rest(rules, chosen, applied)
    return "\n".join(line.rstrip() for line in out) + "\n"


def _header(rules: Rules, chosen: list[str]) -> list[str]:
    insts = rules.base.instruments
    out = ["# A scenario for treaty-engine: one case, written in the vocabulary of the rules.",
           f"# Written by `treaty new {' '.join(chosen)}` for:"]
    for i in chosen:
        out += _comment(f"{i}: {insts[i].title} ({insts[i].span.file})", "  ", "    ")
    return out + [
        "# As it stands the file is valid: `treaty check FILE` reads it and `treaty test FILE` passes.",
        "# Fill it in: the sources, the events (and facts) of the case, each with a status and a source,",
        "# then what you expect under `expect:`. docs/scenarios.md describes every key; docs/tutorial.md",
        "# walks through a first case."]


def _heading(title: str) -> str:
    return f"# ---- {title} ".ljust(_WIDTH, "-")


def _comment(text: str, first: str = "", rest: str = "") -> list[str]:
    """``text`` as comment lines of at most 100 characters (``first`` and ``rest`` indent them)."""
    return textwrap.wrap(text, _WIDTH, initial_indent="# " + first, subsequent_indent="# " + rest,
                         break_on_hyphens=False, break_long_words=False)


def _applied(rb: Any, chosen: list[str]) -> list[str]:
    """The chosen instruments and those whose rules derive what theirs read (ANZUS reads the armed
    attack the UN Charter's rules derive): a scenario restricted to fewer would lose conclusions.
    (Not the instruments whose conclusions a rule reads as a condition: a case applies them only if
    it chooses to.)"""
    ids = [r.id for r in rb.rules.values() if r.instrument in chosen]
    return sorted(set(chosen) | {rb.rules[r].instrument for r in rules_behind(rb, ids, conclusions=False)})


def _literals(r: ast.Rule) -> list[ast.Literal]:
    return [c for c in r.conditions if isinstance(c, ast.Literal)] + [x for x in (r.discharged, r.until) if x]


def _entities(rules: Rules, chosen: list[str], as_of: date) -> list[str]:
    rb = rules.base
    out = ["", _heading("Entities"),
           "# Known states need no declaration: every party of the rule base is one, by its id (ISO names and",
           f"# codes work too). The parties of these instruments (* not a party on {as_of.isoformat()}):"]
    for i in chosen:
        entries = [p for p in rb.parties if p.instrument == i]
        on_day = {p.entity for p in entries if p.joined <= as_of and (p.left is None or as_of < p.left)}
        ids = sorted({p.entity for p in entries})
        listed = ", ".join(e if e in on_day else e + "*" for e in ids)
        out += _comment(f"{i} ({len(ids)}): {listed}", "  ", "    ")
    out += _comment("Declare every other actor: a body (an organ such as the UN Security Council), an "
                    "organisation, a non-state group, a state party to none of the instruments. Kinds: "
                    f"{', '.join(sorted(ENTITY_KINDS))}.")
    bodies = _bodies(rb, chosen)
    example = "#   attackers: {kind: group, name: The attackers (as the sources name them)}"
    if not bodies:
        return out + ["# entities:", example]
    out += ["# The rules of these instruments name these bodies:", "entities:"]
    out += [f"  {b}: {{kind: body, name: {json.dumps(_display(b))}}}  # name: how reports name it" for b in bodies]
    return out + [example.replace("#   ", "  # ", 1)]


def _display(ident: str) -> str:
    """A display name to start from: ``un_security_council`` → ``UN Security Council``."""
    return " ".join(w.upper() if len(w) <= 2 else w.capitalize() for w in ident.split("_"))


def _bodies(rb: Any, chosen: list[str]) -> list[str]:
    """The constants the chosen instruments' rules name where a body is meant (`informed(_,
    un_security_council, measures)`, a notification `to un_security_council`) and that no party is."""
    parties = {p.entity for p in rb.parties}
    found = set()
    for r in rb.rules.values():
        if r.instrument not in chosen:
            continue
        if isinstance(r.head, ast.DeonticHead) and r.head.kind == "notification" and \
                isinstance(r.head.counterparty, ast.Const):
            found.add(r.head.counterparty.name)
        for lit in _literals(r):
            decl = rb.predicates.get(lit.atom.name)
            if decl is None or len(decl.params) != len(lit.atom.args):
                continue
            found |= {a.name for a, p in zip(lit.atom.args, decl.params, strict=True)
                      if p.kind == "body" and isinstance(a, ast.Const)}
    return sorted(found - parties)


def _argument(kind: str, symbols: dict[str, list[str]], rb: Any) -> str:
    """What an argument of this kind takes, in words."""
    if kind in symbols:
        return "one of: " + ", ".join(symbols[kind])
    if kind == "instrument":
        return "an instrument: " + ", ".join(sorted(rb.instruments))
    return {"entity": "any entity (a known state, or one declared under `entities:`)",
            "state": "a state (a party, or a state declared under `entities:`)",
            "date": "a date, YYYY-MM-DD", "number": "a whole number", "text": '"quoted text"',
            "symbol": "a name (lower-case letters, digits and _)",
            "term": "a name, or name(arguments)"}.get(kind, f"a {kind} declared under `entities:`")


def _entry(p: dict[str, Any], symbols: dict[str, list[str]], rb: Any, on: str) -> list[str]:
    """One input predicate: its shape, kinds and meaning as comments, and an example entry."""
    roles = [a["role"] for a in p["params"]]
    shape = f"{p['name']}({', '.join(a['role'] + ': ' + a['kind'] for a in p['params'])})"
    what = "event: dated, under `events:`" if p["event"] else "fact: no date, under `facts:`"
    out = ["#", f"#   # {shape}  [{what}]"]
    for a in p["params"]:
        out += _comment(f"{a['role'].upper()}: {_argument(a['kind'], symbols, rb)}", "  #   ", "  #     ")
    if p["meaning"]:
        out += _comment(p["meaning"], "  #   ", "  #   ")
    atom = f"{p['name']}({', '.join(r.upper() for r in roles)})" if roles else p["name"]
    key = "event" if p["event"] else "fact"
    out.append(f'#   - {{{key}: "{atom}", {on}status: established, source: {SOURCE}}}')
    return out


def _rest(rules: Rules, chosen: list[str], applied: list[str]) -> list[str]:
    """Settings, interpretations and the expectations."""
    rb = rules.base
    read = sorted({i for rule, i, _ in rb.readings() if rb.rules[rule].instrument in applied})
    questions = []
    for name in read:
        i = rb.interpretations[name]
        positions = ", ".join(p.id + (" (default)" if p.id == i.default else "") for p in i.positions)
        questions += _comment(f"{name}: open  # positions: {positions}" + ("" if i.default else "; default: open"),
                              "  ", "      # ")
    example = _example_expectation(rules, chosen)
    return [
        "", _heading("Settings and questions of law"),
        "# settings:", '#   immediately_days: 3  # a duty due "immediately" counts as done in time within 3 days',
        *(["# The contested questions of law these rules read: a position for this case, or `open` (each",
           "# reading then takes one); `treaty interpretations` says what each means.", "# interpretations:"]
          + questions if questions else []),
        "", _heading("Expectations: what `treaty test` checks"),
        "# Each entry names conclusions by the fields given (kind, bearer, action, beneficiary or recipient,",
        "# basis, triggered_on) and says what must be true of them (holds: all, some or none; status; due;",
        "# depends_on; because; count). For example:", *example,
        "# A file that states nothing has no conclusion, and the expectation below says so: once you state",
        "# the events, `treaty test` lists what follows; replace it with what you expect.",
        "expect:", "  - {kind: obligation, holds: none}"]


def _example_expectation(rules: Rules, chosen: list[str]) -> list[str]:
    """An expectation about the first deontic rule of the chosen instruments, as a comment."""
    rb = rules.base
    for r in sorted(rb.rules.values(), key=lambda r: (r.instrument, r.span.file, r.span.line)):
        if r.instrument in chosen and isinstance(r.head, ast.DeonticHead):
            bearer = next((p.entity for p in rb.parties if p.instrument == r.instrument), "BEARER")
            return ["#   - kind: " + r.head.kind, f"#     bearer: {bearer}", f"#     basis: {r.instrument} {r.article}",
                    "#     holds: all", "#     status: pending"]
    return ["#   - kind: obligation", "#     bearer: BEARER", "#     holds: all"]
