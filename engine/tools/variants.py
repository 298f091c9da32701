"""Variants of a scenario as scenarios of their own: applied for `treaty test` and named on the
command line as ``FILE::VARIANT`` (check, explain, report, compare)."""

from __future__ import annotations

from pathlib import Path

from ..cases.facts import atom_text
from ..cases.scenario import LoadedScenario
from ..errors import Diagnostic, TreatyError, did_you_mean
from ..language.atoms import parse_atom


def split_variant(spec: str) -> tuple[str, str | None]:
    """``FILE::VARIANT`` -> (FILE, VARIANT); a name that is a file (or has no ``::``) -> (it, None)."""
    file, sep, variant = spec.rpartition("::")
    if not sep or not file or Path(spec).exists():
        return spec, None
    return file, variant


def load_variant(loaded: LoadedScenario, name: str) -> tuple[LoadedScenario, dict]:
    """The scenario as its variant ``name`` changes it, and the variant's assumptions (``FILE::VARIANT``
    on the command line); an unknown variant is a located error with a hint."""
    variants = loaded.scenario.variants
    if name not in variants:
        hint = did_you_mean(name, variants) or (
            "its variants are: " + ", ".join(f"`{v}`" for v in variants) if variants else "it has no `variants:`")
        raise TreatyError([Diagnostic(None, f"no variant `{name}` in {loaded.file}", hint)])
    changed, assume, _ = apply_variant(loaded, name)
    return changed, assume


def apply_variant(loaded: LoadedScenario, name: str) -> tuple[LoadedScenario, dict, tuple]:
    """The scenario as the variant changes it, and the variant's assumptions and where they stand."""
    sc = loaded.scenario
    v = sc.variants[name]
    base = ("variants", name)
    removed: set[str] = set()
    problems = []
    ids = {}
    entries: list[tuple[str, int, str, str | None]] = [("facts", i, f.fact, f.id) for i, f in enumerate(sc.facts)]
    entries += [("events", i, e.event, e.id) for i, e in enumerate(sc.events)]
    for kind, i, text, given_id in entries:
        try:
            canonical = atom_text(parse_atom(text.strip(), loaded.file))
        except TreatyError:
            canonical = text
        ids[(kind, i)] = {given_id or canonical, canonical}
    for k, wanted in enumerate(v.remove):
        try:
            wanted_text = atom_text(parse_atom(wanted.strip(), loaded.file))
        except TreatyError:
            wanted_text = wanted
        hits = {key for key, names in ids.items() if wanted in names or wanted_text in names}
        if not hits:
            problems.append(Diagnostic(loaded.doc.span((*base, "remove", k)), f"remove: no fact or event `{wanted}`",
                                       did_you_mean(wanted, [n for names in ids.values() for n in names])))
        removed.update(f"{kind}:{i}" for kind, i in hits)
    if problems:
        raise TreatyError(problems, {loaded.file: loaded.doc.text})
    origin: dict[tuple, tuple] = {}
    out: dict[str, list] = {"facts": [], "events": []}
    lists: tuple[tuple[str, list, list], ...] = (("facts", list(sc.facts), list(v.add_facts)),
                                                 ("events", list(sc.events), list(v.add_events)))
    for kind, old, added in lists:
        for i, entry in enumerate(old):
            if f"{kind}:{i}" not in removed:
                origin[(kind, len(out[kind]))] = (kind, i)
                out[kind].append(entry)
        for j, entry in enumerate(added):
            origin[(kind, len(out[kind]))] = (*base, f"add_{kind}", j)
            out[kind].append(entry)
    for name in v.interpretations:
        origin[("interpretations", name)] = (*base, "interpretations", name)
    changed = sc.model_copy(update={"facts": out["facts"], "events": out["events"], "as_of": v.as_of or sc.as_of,
                                    "settings": v.settings or sc.settings, "expect": v.expect,
                                    "interpretations": {**sc.interpretations, **v.interpretations},
                                    "expect_error": v.expect_error, "variants": {}})
    return LoadedScenario(changed, loaded.doc, origin, variant=name), dict(v.assume), (*base, "assume")
