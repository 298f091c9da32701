"""Explanations as an indented text tree, JSON, Mermaid or DOT graph text."""

from __future__ import annotations

from ..jsonout import pretty
from ..reasoning.explain import Explanation, Node, WhyNot
from ..reasoning.findings import Conclusion, conditions_text
from .common import Names, visible
from .width import wrap_lines

_MARK = {True: "✓", False: "✗"}


def _node_line(n: Node) -> str:
    mark = "·" if n.kind == "unchecked" else _MARK[n.holds]
    text = n.text
    if n.kind == "fact" and n.status:
        text += f" — {n.status}" + (", contested" if n.contested and n.status == "established" else "")
        if n.source:
            text += f", source {n.source}" + (f" ({n.source_cite})" if n.source_cite else "")
    elif n.kind == "membership" and n.source:
        text += f" — source {n.source}"
    return f"{mark} {text}"


def _rule_lines(n: Node, pad: str) -> list[str]:
    r = n.rule
    if r is None:
        return []
    version = f", {r.version} wording" if r.version else ""
    title = f" \"{r.title}\"" if r.title else ""
    out = [f"{pad}  by rule {r.id}{title}: {r.instrument} article {r.article}{version} ({r.file}:{r.line})"]
    if r.quote is not None:
        label = "authentic" if r.quote.label == "authentic" else f"{r.quote.label}"
        out.append(f"{pad}  text ({r.quote.language}, {label}): \"{r.quote.text}\"")
    return out


def _tree_lines(n: Node, depth: int = 0) -> list[str]:
    pad = "  " * depth
    lines = [pad + _node_line(n)]
    lines += _rule_lines(n, pad)
    if n.note and n.kind == "fact":
        lines.append(f"{pad}  note: {' '.join(n.note.split())}")
    for child in n.children:
        lines += _tree_lines(child, depth + 1)
    return lines


def summary_text(c: Conclusion, names: Names) -> str:
    """What an explanation explains, its entities named as ``names`` says: ``Russian Federation must provide
    assistance (Kazakhstan), from 2022-01-05, due ...; status discharged (2022-01-06)`` (the explanation's own
    summary, worded by :mod:`engine.reasoning.explain`, of the conclusion with its names in place of ids)."""
    from ..reasoning.findings_text import conclusion_summary as _summary

    named = {k: names.entity(v) for k in ("bearer", "beneficiary", "recipient") if (v := getattr(c, k))}
    return _summary(c.model_copy(update={**named, "action": names.action(c.action)}))


def _fitted(lines: list[str], width: int | None) -> str:
    """The lines, control characters shown (not obeyed), wrapped to ``width`` if given."""
    lines = [visible(line) for line in lines]
    return "\n".join(lines if width is None else wrap_lines(lines, width)) + "\n"


def explanation_text(e: Explanation, width: int | None = None, summary: str | None = None) -> str:
    """The explanation as an indented tree (control characters from the input shown, not obeyed), each line
    wrapped to ``width`` (none: as long as it is); ``summary`` says what it explains in other words
    (:func:`summary_text`, with display names)."""
    lines = [f"Why: {summary or e.summary}"]
    if e.holds == "all":
        lines.append("It holds in every reading of the contested facts and questions of law.")
    elif e.depends_on:
        lines.append(f"It holds only in the readings where {conditions_text(e.depends_on)}.")
    else:
        lines.append("It holds in some readings only; no one contested fact or position of the law decides which.")
    if e.reading:
        lines.append("The reading shown takes as true: " + "; ".join(e.reading) + ".")
    lines += [f"Assumption: {a}." for a in e.assumptions]
    lines.append("")
    lines += _tree_lines(e.tree)
    return _fitted(lines, width)


def why_not_text(w: WhyNot, width: int | None = None) -> str:
    holds = {"none": "It holds in no reading.", "some": "It holds in some readings only.",
             "all": "It holds in every reading."}[w.holds]
    lines = [f"Why not: {w.pattern}", holds]
    if w.reading:
        lines.append("The reading examined takes as true: " + "; ".join(w.reading) + ".")
    if not w.candidates:
        lines.append("No rule can conclude it." if not w.left_out else "No rule that applies to it can conclude it.")
    for c in w.candidates:
        r = c.rule
        version = f", {r.version} wording" if r.version else ""
        lines += ["", f"Rule {r.id}: {r.instrument} article {r.article}{version} ({r.file}:{r.line})"]
        for n in c.conditions:
            lines += _tree_lines(n, 1)
        if c.missing and not c.failing:
            lines.append("  It would hold if the scenario also stated: " + "; ".join(c.missing) + ".")
        elif c.missing:
            lines.append("  Missing: " + "; ".join(c.missing) + ".")
        if c.failing:
            lines.append("  It cannot hold while: " + "; ".join(c.failing) + ".")
    if w.left_out:
        lines += ["", f"Left out ({len(w.left_out)} rules that can never apply to it):"]
        lines += [f"  {why}" for why in w.left_out]
    return _fitted(lines, width)


def to_json(models: list[Explanation | WhyNot]) -> str:
    """One explanation as an object; several as a list."""
    data = [m.model_dump(mode="json", by_alias=True) for m in models]
    return pretty(data[0] if len(data) == 1 else data) + "\n"


# ---- graphs -------------------------------------------------------------------------


def _graph(roots: list[Node]) -> tuple[list[tuple[str, Node]], list[tuple[str, str]]]:
    nodes: list[tuple[str, Node]] = []
    edges: list[tuple[str, str]] = []

    def walk(n: Node) -> str:
        nid = f"n{len(nodes)}"
        nodes.append((nid, n))
        for child in n.children:
            edges.append((nid, walk(child)))
        return nid

    for r in roots:
        walk(r)
    return nodes, edges


def _label(n: Node) -> str:
    text = n.text
    if n.rule is not None:
        text += f"\n{n.rule.id}: {n.rule.instrument} art. {n.rule.article}"
    if n.status:
        text += f"\n{n.status}" + (f", {n.source}" if n.source else "")
    return text


def _roots(model: Explanation | WhyNot) -> list[Node]:
    if isinstance(model, Explanation):
        return [model.tree]
    return [Node(kind="missing", holds=False, text=f"why not {model.pattern}: rule {c.rule.id}",
                 children=c.conditions) for c in model.candidates]


def mermaid(models: list[Explanation | WhyNot]) -> str:
    nodes, edges = _graph([r for m in models for r in _roots(m)])
    lines = ["graph TD"]
    for nid, n in nodes:
        # entity codes: a label is text, never HTML, nor (with a backtick) a Markdown string
        label = (_label(n).replace("&", "#amp;").replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")
                 .replace("`", "#96;").replace("\n", "<br/>"))
        lines.append(f'  {nid}["{label}"]')
    for a, b in edges:
        lines.append(f"  {a} --> {b}")
    lines += ["  classDef contested stroke:#b00,stroke-width:2px,stroke-dasharray: 5 5",
              "  classDef fails fill:#fdd,stroke:#b00", "  classDef rule fill:#eef,stroke:#336"]
    for cls, ids in (("contested", [i for i, n in nodes if n.contested]),
                     ("fails", [i for i, n in nodes if not n.holds]),
                     ("rule", [i for i, n in nodes if n.rule is not None and n.holds])):
        if ids:
            lines.append(f"  class {','.join(ids)} {cls}")
    return "\n".join(lines) + "\n"


def _dot_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def dot(models: list[Explanation | WhyNot]) -> str:
    nodes, edges = _graph([r for m in models for r in _roots(m)])
    lines = ["digraph explanation {", "  rankdir=TB;", '  node [shape=box, fontname="Helvetica"];']
    for nid, n in nodes:
        attrs = [f"label={_dot_string(_label(n))}"]
        if n.rule is not None:
            attrs.append('style="rounded,filled" fillcolor="#eeeeff"')
        if n.contested:
            attrs.append('style=dashed color="#bb0000" penwidth=2')
        if not n.holds:
            attrs.append('color="#bb0000" fontcolor="#bb0000"')
        lines.append(f"  {nid} [{' '.join(attrs)}];")
    for a, b in edges:
        lines.append(f"  {a} -> {b};")
    lines.append("}")
    return "\n".join(lines) + "\n"
