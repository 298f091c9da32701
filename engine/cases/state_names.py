"""Other names of the states the rule base knows: ISO 3166 codes and the names ISO gives them
(``us``, ``usa``, ``united_states_of_america``, ``gb``, ``uk``), from pycountry's copy of the
standard, each resolved to the rule base's own id (``united_states``, ``united_kingdom``).

A scenario that names a known state by one of them means that state; one that *declares* a new
state entity under such a name gets a warning, since the new entity is party to nothing
(issue 14: `usa: {kind: state}` silently left the United States out of every treaty).
"""

from __future__ import annotations

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
        if country is None:
            continue
        codes = {country.alpha_2.lower(), country.alpha_3.lower()}
        codes |= {k for k, v in _EXCEPTIONALLY_RESERVED.items() if v in codes}
        spelled = {snake(n) for n in (country.name, getattr(country, "common_name", None),
                                      getattr(country, "official_name", None)) if n}
        for alias in sorted(codes | spelled):
            if alias not in ids and alias not in out:
                out[alias] = entity
    return out


__all__ = ["aliases", "snake"]
