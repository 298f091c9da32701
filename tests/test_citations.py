"""What the rule base tells a reader about its sources and parties is public citation (issue 14).

The report and `treaty show` print each source's citation and each party's note. They cite public
references (title, series, volume, page, URL) and say in the reader's terms what is not confirmed
("date of effect not confirmed: the earliest possible under Art. 25"), never a path to a private
file or a note of how the rule files were written ("not retrieved", "as transcribed by"). The
rule files' `#` comments are for their authors and may say more.
"""

from __future__ import annotations

import re

import pytest

from engine import Rules

#: What a citation or a note must not say.
PRIVATE = re.compile(r"shared/|retrieved|transcribed by|as transcribed|\.txt\b|seeds/|treaty-engine authors|"
                     r"see the comment", re.IGNORECASE)


def _said(rules: Rules) -> list[tuple[str, str]]:
    """(where, text) of every citation, address and party note the rule base exposes."""
    base = rules.base
    out = [(f"source {s.id}", s.citation) for s in base.sources.values()]
    out += [(f"source {s.id} url", s.url) for s in base.sources.values() if s.url]
    out += [(f"party {p.entity} of {p.instrument}", p.note) for p in base.parties if p.note]
    return out


def test_sources_and_party_notes_are_public_citations(rules: Rules) -> None:
    said = _said(rules)
    assert len(said) > 150  # (every source, every note)
    assert [(where, text) for where, text in said if PRIVATE.search(text)] == []


@pytest.mark.parametrize(("entity", "instrument", "words"), [
    ("bolivia", "rio_treaty", "date of effect not confirmed: the earliest possible under Art. 25"),
    ("ecuador", "rio_treaty", "date of effect not confirmed: the earliest possible under Art. 25"),
    ("haiti", "rio_treaty", "date of deposit not confirmed: by 1948-12-03, when the Treaty entered into force"),
])
def test_an_unconfirmed_date_is_said_in_the_readers_terms(rules: Rules, entity: str, instrument: str,
                                                          words: str) -> None:
    [note] = [p.note for p in rules.base.parties if p.entity == entity and p.instrument == instrument and p.note]
    assert words in note
