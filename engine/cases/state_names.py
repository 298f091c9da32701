"""Other names of the states the rule base knows: ISO 3166 codes and the names ISO gives them
(``us``, ``usa``, ``united_states_of_america``, ``gb``, ``uk``), from pycountry's copy of the
standard, each resolved to the rule base's own id (``united_states``, ``united_kingdom``).

A scenario that names a known state by one of them means that state; one that *declares* a new
state entity under such a name gets a warning, since the new entity is party to nothing
(issue 14: `usa: {kind: state}` silently left the United States out of every treaty), and so does
one that declares a state whose id or name looks like a misspelling of a known state's
(`unted_states`, `Untied States`: "did you mean `united_states`?").
"""

from __future__ import annotations

import difflib
import re
import unicodedata

from ..language.load import Rules

#: ISO 3166-1 codes "exceptionally reserved" for a state at its request (not in pycountry's list
#: of assigned codes): the United Kingdom's `UK` beside its assigned `GB`.
_EXCEPTIONALLY_RESERVED = {"uk": "gb"}

def snake(text: str) -> str:
    """``Côte d'Ivoire`` -> ``cote_divoire``: a name as the rule files write ids."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"_+", "_", re.sub(r"[^a-z0-9]+", "_", plain.lower().replace("'", ""))).strip("_")


def aliases(rules: Rules) -> dict[str, str]:
    """Other names of the rule base's states -> their ids (none that is itself an id of the rule base)."""
    if rules.state_aliases is None:
        rules.state_aliases = _aliases(rules)
    return rules.state_aliases


def _aliases(rules: Rules) -> dict[str, str]:
    import pycountry  # (only when a scenario names an entity the rule base does not know)

    ids = {p.entity for p in rules.base.parties}
    names = {p.entity: p.name for p in rules.base.parties if p.name}
    out: dict[str, str] = {}
    for entity in sorted(ids):
        country = None
        for candidate in (names.get(entity), entity.replace("_", " ")):
            if not candidate:
                continue
            try:
                country = pycountry.countries.lookup(candidate)
                break
            except LookupError:
                continue
        codes: set[str] = set()
        spelled = {snake(n) for p in rules.base.parties if p.entity == entity for n in p.also}  # the rule files'
        if country is not None:
            codes = {country.alpha_2.lower(), country.alpha_3.lower()}
            codes |= {k for k, v in _EXCEPTIONALLY_RESERVED.items() if v in codes}
            spelled |= {snake(n) for n in (country.name, getattr(country, "common_name", None),
                                           getattr(country, "official_name", None)) if n}
        for alias in sorted(codes | spelled):
            if alias not in ids and alias not in out:
                out[alias] = entity
    return out


#: How like a known state's id or name a declared state's must be to be taken for a misspelling of it:
#: difflib's ratio at least LIKE, the same first letter and at most TYPOS letters changed, added, dropped
#: or swapped (`unted_states`, `united_state`, `untied_states`; not `somaliland` beside `somalia`,
#: `west_germany` beside `east_germany`, `prussia` beside `russia`).
LIKE = 0.85
TYPOS = 2


def like(rules: Rules, *names: str) -> str | None:
    """The id of the known state whose id or name in the rule base looks like a misspelling of one of
    ``names`` (not ISO's codes and names: `republic_of_china` is not a misspelt `republic_of_ghana`)."""
    ids = {p.entity for p in rules.base.parties}
    spelled = {snake(p.name): p.entity for p in rules.base.parties if p.name}
    candidates = {k: v for k, v in {**spelled, **{i: i for i in ids}}.items() if len(k) > 3}
    found = sorted((-difflib.SequenceMatcher(None, name, close).ratio(), candidates[close])
                   for name in names if name
                   for close in difflib.get_close_matches(name, candidates, n=3, cutoff=LIKE)
                   if close[0] == name[0] and _typos(name, close) <= TYPOS)
    return found[0][1] if found else None


def _typos(a: str, b: str) -> int:
    """Letters changed, added, dropped or swapped with the next one to make ``b`` of ``a`` (optimal string
    alignment distance)."""
    before: list[int] = []
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            current[j] = min(row[j] + 1, current[j - 1] + 1, row[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], before[j - 2] + 1)
        before, row = row, current
    return row[-1]


__all__ = ["aliases", "like", "snake"]
