"""Literate views of the rule base: an article's text beside the rules that encode it; the instruments."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import Diagnostic, TreatyError, did_you_mean
from ..language import ast
from ..language.load import Rules


@dataclass
class RuleSource:
    rule: ast.Rule
    text: str  # the rule as written, with the comment lines just above it


@dataclass
class ArticleView:
    article: ast.Article
    in_force: str
    rules: list[RuleSource]


def _rule_source(rules: Rules, rule: ast.Rule) -> str:
    lines = rules.base.texts[rule.span.file].splitlines()
    start, end = rule.span.line - 1, (rule.span.end_line or rule.span.line)
    while start > 0 and lines[start - 1].lstrip().startswith("#"):
        start -= 1
    return "\n".join(lines[start:end])


def _instrument(rules: Rules, name: str) -> str:
    """An instrument named as the rule base does, in any case (`ANZUS`, `Cst`)."""
    rb = rules.base
    if name in rb.instruments:
        return name
    folded = {i.lower(): i for i in rb.instruments}
    folded.update({a.lower(): i.id for i in rb.instruments.values() for a in i.aliases})
    if name.lower() in folded:
        return folded[name.lower()]
    raise TreatyError([Diagnostic(None, f"unknown instrument `{name}`", did_you_mean(name.lower(), folded)
                                  or f"loaded: {', '.join(sorted(rb.instruments))}")])


_ROMAN = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
          (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]


def _roman(n: int) -> str:
    out = ""
    for value, letters in _ROMAN:
        while n >= value:
            out, n = out + letters, n - value
    return out


def _numbered_as_the_instrument(rules: Rules, instrument: str, ref: str) -> str:
    """``4`` for an instrument numbered in Roman numerals is ``IV`` (and ``iv`` is ``IV``); ``IV`` for
    one numbered in Arabic is ``4``: an article asked for as a reader would write it."""
    import re

    refs = {k[1] for k in rules.base.articles if k[0] == instrument}
    found = re.match(r"([0-9]+|[ivxlcdmIVXLCDM]+)(.*)", ref)
    if found is None:
        return ref
    head, rest = found.groups()
    roman_here = any(re.match(r"[IVXLC]+(\(|$)", r) for r in refs)
    if head.isdigit() and roman_here:
        return _roman(int(head)) + rest
    if not head.isdigit() and not roman_here:
        values = {letters: value for value, letters in _ROMAN}
        total, prev = 0, 0
        for ch in reversed(head.upper()):
            v = values.get(ch, 0)
            total, prev = (total - v, prev) if v < prev else (total + v, v)
        return (str(total) if total else head) + rest
    return head.upper() + rest if roman_here else ref


def articles(rules: Rules, instrument: str, ref: str | None = None) -> list[ArticleView]:
    """The articles of an instrument (those numbered ``ref`` or its paragraphs), with their rules."""
    rb = rules.base
    instrument = _instrument(rules, instrument)
    if ref is not None:
        ref = _numbered_as_the_instrument(rules, instrument, ref)
    keys = [k for k in rb.articles if k[0] == instrument and (ref is None or k[1] == ref or k[1].startswith(ref + "("))]
    if not keys:
        refs = sorted({k[1] for k in rb.articles if k[0] == instrument})
        raise TreatyError([Diagnostic(None, f"`{instrument}` has no article {ref} in the rule base",
                                      did_you_mean(ref or "", refs) or f"its articles here: {', '.join(refs)}")])
    interval = rb.article_in_force

    def order(k: tuple) -> tuple:
        start = interval[k].start
        return (_ref_key(k[1]), start.isoformat() if start else "")

    out = []
    for key in sorted(keys, key=order):
        art = rb.articles[key]
        iv = interval[key]
        when = (f"in force from {iv.start.isoformat()}" if iv.start else "") + (
            f" until {iv.end.isoformat()}" if iv.end else "")
        rules_here = [RuleSource(r, _rule_source(rules, r)) for r in rb.rules.values()
                      if (r.instrument, r.article, r.version) == key]
        out.append(ArticleView(art, when.strip(), rules_here))
    return out


def _ref_key(ref: str) -> tuple:
    head = ref.split("(")[0]
    number = int("".join(ch for ch in head if ch.isdigit()) or 0)
    return (number, ref)


def instrument_header(rules: Rules, instrument: str) -> list[str]:
    inst = rules.base.instruments[instrument]
    facts = []
    if inst.signed:
        facts.append(f"signed {inst.signed.isoformat()}")
    if inst.in_force:
        facts.append(f"in force {inst.in_force.start.isoformat()}" + (
            f" to {inst.in_force.end.isoformat()}" if inst.in_force.end else ""))
    for am in inst.amendments:
        facts.append(f"amended {am.signed.isoformat()}" + (f" (in force {am.in_force.isoformat()})"
                                                           if am.in_force else ""))
    if inst.authentic:
        facts.append("authentic: " + ", ".join(inst.authentic))
    lines = [f"{inst.title} ({inst.id})", " · ".join(facts)]
    if inst.source and inst.source in rules.base.sources:
        lines.append(f"source: {rules.base.sources[inst.source].citation}")
    parties = [p for p in rules.base.parties if p.instrument == instrument]
    lines.append(f"{len({p.entity for p in parties})} parties ({inst.span.file})")
    return lines


#: What a party's note says when a date of the party list is the earliest possible, not a known one.
UNCONFIRMED = "not confirmed"


def party_lines(rules: Rules, instrument: str) -> list[str]:
    """The instrument's parties, one line each (name, id, dates); a party whose dates its note says
    are not confirmed is marked, with the note, so that the reader sees which dates are guesses."""
    rb = rules.base
    out = ["Parties:"]
    for p in sorted((p for p in rb.parties if p.instrument == instrument), key=lambda p: (p.entity, p.joined)):
        dates = f"joined {p.joined.isoformat()}" + (f", left {p.left.isoformat()}" if p.left else "")
        line = f"  {p.name or p.entity} ({p.entity}): {dates}"
        if p.note and UNCONFIRMED in p.note:
            out += [line + " — a date not confirmed:", f"    {p.note}"]
        else:
            out.append(line)
    return out


@dataclass
class InstrumentRow:
    id: str
    title: str
    in_force: str
    articles: list[str]
    parties: int
    current_parties: int
    rules: int
    file: str


def instruments(rules: Rules, today: str | None = None) -> list[InstrumentRow]:
    """Every loaded instrument: its articles, parties (in all, and still parties) and rules."""
    rb = rules.base
    out = []
    for inst in sorted(rb.instruments.values(), key=lambda i: i.id):
        parties = [p for p in rb.parties if p.instrument == inst.id]
        current = {p.entity for p in parties if p.left is None}
        refs = sorted({k[1] for k in rb.articles if k[0] == inst.id}, key=_ref_key)
        out.append(InstrumentRow(inst.id, inst.title, inst.in_force.start.isoformat() if inst.in_force else "",
                                 refs, len({p.entity for p in parties}), len(current),
                                 sum(1 for r in rb.rules.values() if r.instrument == inst.id), inst.span.file))
    return out


def interpretations(rules: Rules) -> list[dict]:
    """Every interpretation the rules declare: its question, default, and each position with its
    statement, the citations of its sources and the rules that require it."""
    rb = rules.base
    readers: dict[tuple[str, str], list[str]] = {}
    for rule, i, p in rb.readings():
        readers.setdefault((i, p), []).append(rule)
    return [{"id": i.id, "question": i.question, "default": i.default, "file": i.span.file, "line": i.span.line,
             "positions": [{"id": p.id, "statement": p.statement,
                            "sources": [rb.sources[s].citation for s in p.sources if s in rb.sources],
                            "rules": sorted(readers.get((i.id, p.id), []))} for p in i.positions]}
            for i in sorted(rb.interpretations.values(), key=lambda i: i.id)]


def render_instruments(rows: list[InstrumentRow], width: int) -> str:
    """The instruments as a table if it fits ``width``, else a block each: its id and title, then the rest."""
    from .common import visible
    from .width import wrap

    grid = [["instrument", "title", "in force", "parties (now)", "rules", "articles"]]
    grid += [[visible(x) for x in (r.id, r.title, r.in_force, f"{r.parties} ({r.current_parties})", str(r.rules),
                                   ", ".join(r.articles))] for r in rows]
    widths = [max(len(g[i]) for g in grid) for i in range(len(grid[0]))]
    out: list[str] = []
    if sum(widths) + 2 * (len(widths) - 1) <= width:
        for n, g in enumerate(grid):
            out.append("  ".join(c.ljust(widths[i]) for i, c in enumerate(g)).rstrip())
            if n == 0:
                out.append("  ".join("-" * w for w in widths))
        return "\n".join(out) + "\n"
    for r, (ident, title, in_force, _, count, refs) in zip(rows, grid[1:], strict=True):
        out += wrap(f"{ident}: {title}", width, 0, 4)
        out += wrap(" · ".join(filter(None, [f"in force {in_force}" if in_force else "",
                                             f"{r.parties} parties ({r.current_parties} now)", f"{count} rules",
                                             f"articles {refs}" if refs else ""])), width, 2, 2)
    return "\n".join(out) + "\n"
