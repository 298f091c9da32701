"""What changes between two evaluations (`treaty diff A B`): the conclusions that appear, disappear or
change (how firmly they hold, their status, dates, what they depend on), beside the inputs that
differ (facts and their statuses, positions of the law, settings). For a class: flip one fact and
see what moves."""

from __future__ import annotations

from typing import Any

from ..reasoning.findings import Conclusion, Findings
from ..reasoning.findings_text import conditions_text
from .common import visible
from .width import DEFAULT_WIDTH, wrap_lines


def statuses(items: Any) -> dict[str, str]:
    """Each fact or event of a scenario (its text, with its dates) -> its status."""
    return {it.label(): it.status.value for it in items}


def diff(a_name: str, a: Findings, a_facts: dict[str, str], b_name: str, b: Findings,
         b_facts: dict[str, str]) -> dict[str, Any]:
    """The differences as data: inputs (fact -> status in A and in B; positions; settings) and
    conclusions (added, removed, changed with each field that differs)."""
    inputs: list[dict[str, Any]] = []
    for label in sorted(set(a_facts) | set(b_facts)):
        if a_facts.get(label) != b_facts.get(label):
            inputs.append({"what": label, "a": a_facts.get(label), "b": b_facts.get(label)})
    pa = {i.id: i.position or "open" for i in a.interpretations}
    pb = {i.id: i.position or "open" for i in b.interpretations}
    for name in sorted(set(pa) | set(pb)):
        if pa.get(name) != pb.get(name):
            inputs.append({"what": f"reading {name}", "a": pa.get(name), "b": pb.get(name)})
    for field, va, vb in (("as of", a.scenario.as_of, b.scenario.as_of),
                          ('"immediately" allows (days)', a.assumptions.immediately_days,
                           b.assumptions.immediately_days)):
        if va != vb:
            inputs.append({"what": field, "a": str(va), "b": str(vb)})
    ca = {c.id: c for c in a.conclusions}
    cb = {c.id: c for c in b.conclusions}
    changed = []
    for cid in sorted(set(ca) & set(cb)):
        fields = {k: (x, y) for k, (x, y) in _compared(ca[cid], cb[cid]).items() if x != y}
        if fields:
            changed.append({"id": cid, "fields": {k: {"a": x, "b": y} for k, (x, y) in fields.items()}})
    return {"a": a_name, "b": b_name, "inputs": inputs,
            "added": [_said(cb[i]) for i in sorted(set(cb) - set(ca))],
            "removed": [_said(ca[i]) for i in sorted(set(ca) - set(cb))], "changed": changed}


def _compared(x: Conclusion, y: Conclusion) -> dict[str, tuple[Any, Any]]:
    def due(c: Conclusion) -> str | None:
        return None if c.due is None else " or ".join(d.isoformat() for d in c.due.dates)

    def holds(c: Conclusion) -> str:
        return "all" if c.holds == "all" else f"some (if {conditions_text(c.depends_on)})" if c.depends_on \
            else c.holds
    return {"holds": (holds(x), holds(y)), "status": (x.status, y.status), "due": (due(x), due(y)),
            "discharged on": (", ".join(d.isoformat() for d in x.discharged_on),
                              ", ".join(d.isoformat() for d in y.discharged_on))}


def _said(c: Conclusion) -> dict[str, str]:
    return {"id": c.id, "holds": c.holds, "status": c.status}


def render_text(d: dict[str, Any], width: int = DEFAULT_WIDTH, labels: dict[str, str] | None = None) -> str:
    """The differences as text no wider than ``width``; ``labels`` names conclusions for people (by id
    otherwise)."""
    said = labels or {}

    def name(cid: str) -> str:
        return said.get(cid, cid)

    out = [f"A: {d['a']}", f"B: {d['b']}", ""]
    if d["inputs"]:
        out.append("What differs in the inputs:")
        out += [f"  {i['what']}: {i['a'] or '—'} → {i['b'] or '—'}" for i in d["inputs"]]
    else:
        out.append("The inputs are the same.")
    for title, key in (("Only in B (appears)", "added"), ("Only in A (disappears)", "removed")):
        if d[key]:
            out += ["", f"{title}: {len(d[key])}"]
            out += [f"  {name(c['id'])}  ({c['status']}; holds {c['holds']})" for c in d[key]]
    if d["changed"]:
        out += ["", f"Changed: {len(d['changed'])}"]
        for c in d["changed"]:
            out.append(f"  {name(c['id'])}")
            out += [f"    {k}: {v['a'] or '—'} → {v['b'] or '—'}" for k, v in c["fields"].items()]
    if not (d["added"] or d["removed"] or d["changed"]):
        out += ["", "The conclusions are the same."]
    return "\n".join(wrap_lines([visible(line) for line in out], width, hanging=4)) + "\n"
