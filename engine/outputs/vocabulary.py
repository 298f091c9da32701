"""What a scenario may state, read from the rule base (`treaty vocabulary`): the input predicates with
their argument kinds and meanings and the instruments whose rules read them, the closed
vocabularies with their symbols, and the entities the party lists name."""

from __future__ import annotations

import json
from typing import Any

from ..language.load import Rules
from ..language.vocabulary import ENTITY_KINDS
from .common import md_cell, md_code, visible
from .width import DEFAULT_WIDTH, wrap


def vocabulary(rules: Rules) -> dict[str, Any]:
    """The vocabulary as data (sorted, so that the same rule base always gives the same output)."""
    rb = rules.base
    readers = rules.readers
    inputs = []
    for name in sorted(rb.predicates):
        decl = rb.predicates[name]
        if decl.derived:
            continue
        inputs.append({
            "name": name, "event": decl.event, "meaning": decl.meaning or "",
            "params": [{"role": p.role or p.kind, "kind": p.kind} for p in decl.params],
            "read_by": sorted(readers.get(name, set())), "file": decl.span.file})
    symbols = [{"kind": kind, "symbols": [{"name": n, "meaning": m} for n, m in sorted(table.items())]}
               for kind, table in sorted(rb.symbol_kinds.items())]
    names: dict[str, str] = {}
    for p in rb.parties:
        if p.name and p.entity not in names:
            names[p.entity] = p.name
    entities = [{"id": e, "name": names.get(e, e),
                 "parties_to": sorted({p.instrument for p in rb.parties if p.entity == e})}
                for e in sorted({p.entity for p in rb.parties})]
    return {"inputs": inputs, "symbols": symbols, "entities": entities}


def _shape(p: dict[str, Any]) -> str:
    return f"{p['name']}({', '.join(a['role'] for a in p['params'])})"


def _kinds(p: dict[str, Any]) -> str:
    return ", ".join(a["kind"] for a in p["params"])


def render_text(v: dict[str, Any], width: int = DEFAULT_WIDTH) -> str:
    """The vocabulary as text no wider than ``width``."""
    out = wrap("Inputs a scenario may state (events under `events:` with `on:`, facts under `facts:`)", width) + [""]
    for p in v["inputs"]:
        what = "event" if p["event"] else "fact"
        read = ", ".join(p["read_by"]) or "no rule yet"
        out += wrap(f"{_shape(p)}  [{what}; {_kinds(p)}; read by {read}]", width, 2, 4)
        out += wrap(p["meaning"], width, 6, 0)
    out += ["", *wrap("Closed vocabularies (an argument of such a kind takes only these symbols)", width), ""]
    for k in v["symbols"]:
        out.append(f"  {k['kind']}:")
        for s in k["symbols"]:
            out += wrap(f"{s['name']}  {s['meaning']}", width, 4, min(len(s["name"]) + 2, width // 3))
    out += ["", *wrap(f"Entities the rule base knows ({len(v['entities'])}; a scenario declares any other under "
                      "`entities:`)", width), ""]
    out += wrap(", ".join(e["id"] for e in v["entities"]), width, 2, 0)
    return "\n".join(visible(line.rstrip()) for line in out) + "\n"


def render_markdown(v: dict[str, Any]) -> str:
    """The vocabulary as the Markdown section of docs/scenarios.md (generated: tests/test_vocabulary.py)."""
    out = ["| predicate | event or fact | argument kinds | read by | meaning |", "|---|---|---|---|---|"]
    for p in v["inputs"]:
        out.append(f"| {md_code(_shape(p))} | {'event' if p['event'] else 'fact'} | {md_cell(_kinds(p))} | "
                   f"{md_cell(', '.join(p['read_by']) or '—')} | {md_cell(p['meaning'])} |")
    out += ["", "| kind | symbol | meaning |", "|---|---|---|"]
    for k in v["symbols"]:
        for s in k["symbols"]:
            out.append(f"| {md_code(k['kind'])} | {md_code(s['name'])} | {md_cell(s['meaning'])} |")
    kinds = ", ".join(f"`{k}`" for k in sorted(ENTITY_KINDS))
    out += ["", f"Entities: the {len(v['entities'])} parties of the rule base's instruments are known by their ids "
                f"(`treaty vocabulary` lists them); a scenario declares any other under `entities:` with a kind "
                f"({kinds})."]
    return "\n".join(out) + "\n"


def render_json(v: dict[str, Any]) -> str:
    return json.dumps(v, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def schema_vocabulary(doc: dict[str, Any], rules: Rules) -> None:
    """The scenario JSON Schema told the rule base's vocabulary (in place): an `event:` and a `fact:`
    must start with one of its event or fact predicates; the predicates' shapes, the closed
    vocabularies and the known states are listed for editors (as examples and descriptions: a
    scenario may still declare entities of its own)."""
    v = vocabulary(rules)
    defs = doc.setdefault("$defs", {})
    for model, field, event in (("Event", "event", True), ("Fact", "fact", False)):
        shapes = [p for p in v["inputs"] if p["event"] == event]
        prop = defs.get(model, {}).get("properties", {}).get(field)
        if prop is None:
            continue
        names = "|".join(sorted(p["name"] for p in shapes)) or "(?!)"
        prop["pattern"] = rf"^\s*({names})\s*\("
        prop["examples"] = [_shape(p) for p in shapes]
        prop["description"] = (f"one of the rule base's {'events' if event else 'facts'}: "
                               + "; ".join(f"{_shape(p)}: {p['meaning']}" for p in shapes))
    defs["Vocabulary"] = {
        "description": "the rule base's closed vocabularies (kind -> symbols) and known states, for editors",
        "type": "object",
        "properties": {
            **{k["kind"]: {"enum": [s["name"] for s in k["symbols"]]} for k in v["symbols"]},
            "known_states": {"enum": [e["id"] for e in v["entities"]]}}}
