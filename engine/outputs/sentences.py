"""A plain sentence for each conclusion, for the reports (issue 14, point 6):

    The Russian Federation had to provide assistance to Kazakhstan from 5 January 2022, immediately
    (by 8 January 2022 under the 3-day reading); it did on 6 January 2022 — if the alleged armed
    attack by ... against Kazakhstan on 5 January 2022 is accepted and ...

Every part comes from the findings' fields (kind, bearer, action, counterparty, dates, due, status,
what it depends on) and the rule base's declarations (the word a rule puts before the
counterparty, the roles of a predicate's arguments, an interpretation's question and positions),
never from notes or other free text. Names are the entities' display names (ids with ``--ids``);
the renderer quotes the sentence like any other text from the input.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from ..language import ast
from ..language.load import Rules
from ..reasoning.findings import Conclusion, ContestedFact, Dependence, Findings
from .common import Names

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
_VERB = {"obligation": "had to", "notification": "had to", "permission": "was permitted to",
         "prohibition": "was forbidden to"}
#: Roles of a predicate's arguments that read as words before the argument (``armed attack by X against Y``).
PREPOSITIONS = frozenset({"by", "against", "of", "for", "to", "in", "about", "concerning", "on", "from", "with",
                          "at", "towards", "over", "into"})
#: Names that read with "the" before them in a sentence (``the Russian Federation``, ``the UN Security Council``).
_THE = re.compile(r"\b(Federation|Republic|Kingdom|States|Netherlands|Emirates|Council|Secretary-General|Assembly|"
                  r"Organi[sz]ation|Union|Committee|Commission|Court|Forces)\b")


def day_text(d: dt.date) -> str:
    """``5 January 2022``."""
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def days_text(days: Sequence[dt.date]) -> str:
    """``5 January 2022``, or ``5 January 2022 or 6 January 2022`` when it differs by reading."""
    return " or ".join(day_text(d) for d in days)


class Sentences:
    """The sentences of one findings' conclusions."""

    def __init__(self, f: Findings, names: Names, rules: Rules | None = None) -> None:
        self.f = f
        self.names = names
        self.rb = rules.base if rules is not None else None
        self.facts = {fact.id: fact for fact in f.contested}
        self.interpretations = {i.id: i for i in f.interpretations}

    # -- names
    def who(self, ident: str) -> str:
        """An entity in a sentence: its name, with ``the`` where names of its sort take one."""
        name = self.names.entity(ident)
        if self.names.ids or name.lower().startswith("the ") or not _THE.search(name):
            return name
        return f"the {name}"

    def action(self, c: Conclusion) -> str:
        """``provide assistance to Kazakhstan``, with the word the rule puts before the counterparty."""
        words = self.names.action(c.action)
        party = c.beneficiary or c.recipient
        if not party:
            return words
        word = "to" if c.kind == "notification" else "towards"
        rule = self.rb.rules.get(c.basis.rule) if self.rb is not None else None
        head = getattr(rule, "head", None)
        if getattr(head, "counterparty_word", None):
            word = head.counterparty_word  # type: ignore[union-attr]
        if re.search(r"[ _](of|to|on|with|against|for|towards)\)?$", c.action):  # use_force_on_territory_of
            return f"{words} {self.who(party)}"
        return f"{words} {word} {self.who(party)}"

    # -- the parts
    def due(self, c: Conclusion) -> str:
        if c.due is None:
            return ""
        by = f"by {days_text(c.due.dates or [c.due.date])}"
        if c.due.kind == "immediately":
            return f", immediately ({by} under the {c.due.allowance_days}-day reading)"
        if c.due.kind == "within":
            return f", within {c.due.within_days} days ({by})"
        return f", {by}"

    def until(self, c: Conclusion) -> str:
        return "" if c.until is None else f" until {c.until.event.replace('_', ' ')}"

    def status(self, c: Conclusion, status: str, dated: bool = True) -> str:
        """What became of it: ``it did on 6 January 2022``, ``it had not done so by 20 January 2022 (overdue)``;
        without ``dated`` (one of several statuses), ``it did in time``, ``it did late``, ``it ended``."""
        as_of = day_text(self.f.scenario.as_of)
        if not dated and status in ("discharged", "discharged_late"):
            return "it did in time" if status == "discharged" else "it did late"
        done = f" on {days_text(c.discharged_on)}" if dated and c.discharged_on else ""
        ended = f" on {days_text(c.until.ended_on)}" if dated and c.until is not None and c.until.ended_on else ""
        return {"discharged": f"it did{done}", "discharged_late": f"it did, late{',' if done else ''}{done}",
                "overdue": f"it had not done so by {as_of} (overdue)",
                "pending": f"it had not done so yet on {as_of} (pending)",
                "active": f"it was still in effect on {as_of}", "ended": f"it ended{ended}"}.get(status, status)

    def statuses(self, c: Conclusion) -> str:
        if len(c.statuses) <= 1:
            return self.status(c, c.status)
        own = set(c.depends_on)
        parts = []
        for s in c.statuses:
            extra = [d for d in c.status_depends_on.get(s, []) if d not in own]
            parts.append(self.status(c, s, dated=False) + (f" {self.conditions(extra)}" if extra else
                                                           " in the other readings"))
        dates = f" (it did on {days_text(c.discharged_on)})" if c.discharged_on else ""
        return ", ".join(parts) + dates

    def fact(self, fact: ContestedFact) -> str:
        """A contested fact in words: ``armed attack by X against Kazakhstan``, its arguments by name."""
        try:
            from ..language.atoms import parse_atom

            atom = parse_atom(fact.fact, "<fact>")
        except Exception:  # noqa: BLE001 - not an atom we can read: as written
            return fact.fact
        decl = self.rb.predicates.get(atom.name) if self.rb is not None else None
        roles = [p.role for p in decl.params] if decl is not None else []
        words, aside = [atom.name.replace("_", " ")], []
        for i, term in enumerate(atom.args):
            value = self.term(term)
            role = roles[i] if i < len(roles) else None
            if role in PREPOSITIONS:
                words.append(f"{role} {value}")
            else:
                aside.append(f"{role}: {value}" if role else value)
        return " ".join(words) + (f" ({', '.join(aside)})" if aside else "")

    def term(self, t: ast.Term) -> str:
        if isinstance(t, ast.Const):
            name = self.who(t.name)
            return name if name != t.name else t.name.replace("_", " ")
        if isinstance(t, ast.Compound):
            return f"{t.name.replace('_', ' ')} ({', '.join(self.term(a) for a in t.args)})"
        value = getattr(t, "value", None)
        return str(value) if value is not None else str(getattr(t, "name", t))

    def dependence(self, d: Dependence) -> str:
        if d.kind == "interpretation":
            gloss = self.gloss(d.id, d.position or "")
            return f"the reading {d.label} is {'taken' if d.accepted else 'not taken'}" + (f" ({gloss})" if gloss
                                                                                         else "")
        fact = self.facts.get(d.id)
        if fact is None:
            return f"{d.label} is {'accepted' if d.accepted else 'rejected'}"
        said = self.fact(fact)
        if d.on is not None:
            return f"the {said} was {'' if d.accepted else 'not '}on {day_text(d.on)}"
        when = f" on {day_text(fact.on[0])}" if len(fact.on) == 1 else ""
        status = f"{fact.status} " if fact.status in ("alleged", "disputed") else ""
        return f"the {status}{said}{when} is {'accepted' if d.accepted else 'rejected'}"

    def gloss(self, interpretation: str, position: str) -> str:
        """A position in a few words: its statement up to the first colon, parenthesis or semicolon; a bare
        ``Yes`` or ``No`` after the question it answers."""
        i = self.interpretations.get(interpretation)
        p = next((p for p in i.positions if p.id == position), None) if i is not None else None
        if i is None or p is None:
            return ""
        short = re.split(r":|;| \(", p.statement, maxsplit=1)[0].strip().rstrip(".")
        return f"{i.question} {short}" if len(short.split()) <= 2 else short

    def conditions(self, deps: Sequence[Dependence]) -> str:
        return "if " + " and if ".join(self.dependence(d) for d in deps)

    def sentence(self, c: Conclusion) -> str:
        """The conclusion as one sentence."""
        subject = self.who(c.bearer)
        text = (f"{subject[:1].upper()}{subject[1:]} {_VERB[c.kind]} {self.action(c)} from "
                f"{days_text(c.trigger_dates or [c.triggered_on])}{self.due(c)}{self.until(c)}; {self.statuses(c)}")
        if c.holds == "all":
            return text + " — in every reading."
        if not c.depends_on:
            return text + " — in some readings only."
        return f"{text} — {self.conditions(c.depends_on)}."
