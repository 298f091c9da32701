"""One self-contained HTML file: findings, explanations and the articles cited (no network, no assets)."""

from __future__ import annotations

from html import escape

from ..cases.scenario import Scenario
from ..language.load import Rules
from ..reasoning.explain import Explanation, Node
from ..reasoning.findings import Conclusion, Dependence, Findings, conditions_text, dates_text
from ..reasoning.findings_text import readings_text
from .common import (
    Names,
    basis_text,
    counterparty,
    due_text,
    holds_text,
    http_url,
    notice_lines,
    sections,
    status_text,
    until_text,
)
from .common import label as conclusion_label
from .sentences import Sentences

CSS = """
body{font:16px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;
color:#222;background:#fff;overflow-wrap:break-word}
h1{font-size:1.6rem;margin-bottom:.2rem} h2{margin-top:2.2rem;border-bottom:2px solid #ddd}
.meta{color:#555} table{border-collapse:collapse;width:100%;margin:.6rem 0} th,td{border:1px solid #ddd;
padding:.3rem .5rem;text-align:left;vertical-align:top;white-space:normal;overflow-wrap:break-word}
th{background:#f4f4f8} table.findings{font-size:.9rem}
table.findings td:last-child{overflow-wrap:anywhere;min-width:10rem}
.some{color:#7a1fa2} .all{color:#1b5e20} .status-discharged{color:#1b5e20} .status-overdue,
.status-discharged_late{color:#b00020;font-weight:bold} .status-pending{color:#8d6e00}
p.said{margin:.2rem 0 .4rem} details{margin:.4rem 0;border:1px solid #e3e3ea;border-radius:6px;padding:.3rem .6rem}
summary{cursor:pointer;font-weight:600} ul.tree{list-style:none;padding-left:1.3rem;margin:.2rem 0}
ul.tree li{margin:.15rem 0} .ok::before{content:"\\2713  ";color:#1b5e20} .no::before{content:"\\2717  ";
color:#b00020} .contested{border-left:3px dashed #b00020;padding-left:.4rem} .rule{color:#334;font-size:.92rem}
blockquote{margin:.3rem 0 .3rem 1rem;padding-left:.6rem;border-left:3px solid #ccd;color:#333;font-style:italic}
.article{white-space:pre-wrap;font-family:Georgia,serif;background:#fafafa;padding:.6rem;border:1px solid #eee}
.label{color:#555;font-size:.9rem} code{background:#f4f4f4;padding:0 .2rem}
figure.timeline{margin:.6rem 0} figure.timeline svg{max-width:100%;height:auto;display:block}
@media print,(max-width:760px){
table.findings,table.findings tbody,table.findings tr,table.findings td{display:block;width:auto}
table.findings thead{display:none} table.findings tr{border:1px solid #ddd;margin:.5rem 0;padding:.2rem 0}
table.findings td{border:none;padding:.1rem .5rem} table.findings td::before{content:attr(data-label) ": ";
color:#555;font-size:.9rem}}
@media print{
body{max-width:none;margin:0;padding:0;font-size:11pt;color:#000;background:none}
*{background:none!important;box-shadow:none!important}
summary{cursor:auto;list-style:none} summary::-webkit-details-marker{display:none}
details{border:none;padding:0} details::details-content{content-visibility:visible;display:block}
tr,li,blockquote,.article,details summary{break-inside:avoid}
h2,h3{break-after:avoid} a{color:#000;text-decoration:none}
a[href^="http"]:not(.url)::after{content:" <" attr(href) ">";font-size:.85em}}
"""


def _node(n: Node) -> str:
    cls = ["ok" if n.holds else "no"] + (["contested"] if n.contested else [])
    parts = [f'<li class="{" ".join(cls)}" data-kind="{n.kind}">{escape(n.text)}']
    if n.status:
        parts.append(f' <span class="label">({escape(n.status)}'
                     + (f", source: {escape(n.source_cite or n.source or '')}" if n.source else "") + ")</span>")
    if n.note and n.kind == "fact":
        parts.append(f'<div class="label">note: {escape(" ".join(n.note.split()))}</div>')
    if n.rule is not None:
        r = n.rule
        version = f", {escape(r.version)} wording" if r.version else ""
        parts.append(f'<div class="rule">rule <code>{escape(r.id)}</code>: {escape(r.instrument)} article '
                     f'<a href="#art-{escape(r.instrument)}-{escape(r.article)}-{escape(r.version or "")}">'
                     f"{escape(r.article)}</a>{version} ({escape(r.file)}:{r.line})</div>")
        if r.quote is not None:
            parts.append(f"<blockquote>{escape(r.quote.text)}</blockquote>")
    if n.children:
        parts.append('<ul class="tree">' + "".join(_node(c) for c in n.children) + "</ul>")
    parts.append("</li>")
    return "".join(parts)


def render_html(findings: Findings, explanations: dict[str, Explanation], scenario: Scenario, rules: Rules,
                names: Names | None = None, timeline: str | None = None) -> str:
    """The report as one HTML page; entities by display name (``Names(ids=True)``: by id)."""
    f = findings
    names = names or Names.of(f)
    said = Sentences(f, names, rules)
    out = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
           f"<title>{escape(f.scenario.title)}</title>", f"<style>{CSS}</style></head><body>",
           f"<h1>{escape(f.scenario.title)}</h1>",
           f'<p class="meta"><code>{escape(f.scenario.file)}</code>, as of {f.scenario.as_of.isoformat()}; '
           f"{escape(readings_text(f))}; "
           f'assumption: "immediately" allows {f.assumptions.immediately_days} days.</p>']
    for fact_id, status in f.assumptions.assumed.items():
        out.append(f'<p class="meta">Assumed: <code>{escape(fact_id)}</code> is {escape(status)}.</p>')
    out += [f'<p class="notice"><strong>{escape(line)}</strong></p>' for line in notice_lines(f)]
    if scenario.description:
        out.append(f"<p>{escape(' '.join(scenario.description.split()))}</p>")
    if f.interpretations:
        out.append('<h2 id="interpretations">Interpretations (contested questions of law)</h2><ul>')
        for i in f.interpretations:
            taken = "open: conclusions that need a position say so" if i.position is None else \
                f"position taken: <code>{escape(i.position)}</code>"
            out.append(f"<li><code>{escape(i.id)}</code>: {escape(i.question)} ({taken})<ul>")
            for p in i.positions:
                out.append(f"<li><code>{escape(p.id)}</code>: {escape(p.statement)} "
                           f"<small>({escape('; '.join(p.sources))})</small></li>")
            out.append("</ul></li>")
        out.append("</ul>")
    out.append('<h2 id="sources">Sources</h2><ul>')
    for sid, src in sorted(scenario.sources.items()):
        # only http(s) URLs are links: a javascript: or data: URL from a scenario would run in the reader's browser
        url = http_url(src.url)
        link = f' <a class="url" href="{escape(url)}">{escape(url)}</a>' if url else \
            f" {escape(src.url)}" if src.url else ""
        local = f" (<code>{escape(src.file)}</code>)" if src.file else ""
        out.append(f"<li><code>{escape(sid)}</code>: {escape(src.cite)}{link}{local}</li>")
    out.append("</ul>")
    if timeline is not None:  # drawn by the engine from its template, with every text escaped (outputs/timeline.py)
        out += ['<h2 id="timeline">Timeline</h2>', f'<figure class="timeline">{timeline}</figure>']
    out.append('<h2 id="findings">Findings</h2>')
    for _, title, rows in sections(f):
        out.append(f'<h3>{title} ({len(rows)})</h3><table class="findings"><thead><tr>'
                   + "".join(f"<th>{h}</th>" for h in _COLUMNS) + "</tr></thead><tbody>")
        for c in rows:
            cells = [escape(names.entity(c.bearer)), escape(names.action(c.action)), escape(counterparty(c, names)),
                     escape(basis_text(c)), dates_text(c.trigger_dates), escape(due_text(c) or until_text(c)),
                     escape(status_text(c)), f'<a href="#{escape(c.id)}">{escape(holds_text(c))}</a>']
            classes = {6: f' class="status-{escape(c.status)}"', 7: f' class="{c.holds}"'}
            out.append("<tr>" + "".join(f'<td{classes.get(i, "")} data-label="{_COLUMNS[i]}">{cell}</td>'
                                        for i, cell in enumerate(cells)) + "</tr>")
        out.append("</tbody></table>")
    out.append('<h2 id="explanations">Why each conclusion holds</h2>')
    for c in f.conclusions:
        e = explanations[c.id]
        reading = f'<p class="label">The reading shown takes as true: {escape("; ".join(e.reading))}.</p>' \
            if e.reading else ""
        out.append(f'<details id="{escape(c.id)}" data-conclusion="{escape(c.id)}"><summary>'
                   f'{escape(said.sentence(c))}</summary>{reading}'
                   f'<ul class="tree">{_node(e.tree)}</ul></details>')
    out.append('<h2 id="contested">Contested facts and what depends on them</h2>')
    if not f.contested:
        out.append("<p>None: every fact of this scenario is established or denied.</p>")
    for fact in f.contested:
        dependent = [(c, how) for c in f.conclusions if (how := _how_it_depends(c, fact.id, fact.label))]
        out.append(f'<div class="contested" data-fact="{escape(fact.id)}"><p><b>{escape(fact.label)}</b> '
                   f'<span class="label">({escape(fact.status)}, source {escape(fact.source)})</span></p>')
        if fact.note:
            out.append(f'<p class="label">{escape(" ".join(fact.note.split()))}</p>')
        if dependent:
            out.append("<ul>" + "".join(f'<li><a href="#{escape(c.id)}">{escape(conclusion_label(c, names))}</a>: '
                                        f"{escape(how)}</li>" for c, how in dependent) + "</ul>")
        else:
            out.append('<p class="label">No conclusion depends on it alone.</p>')
        out.append("</div>")
    out.append('<h2 id="articles">The articles cited</h2>')
    rb = rules.base
    cited = sorted({(c.basis.instrument, c.basis.article, c.basis.version or "") for c in f.conclusions})
    for node_rule in _rules_in_trees(explanations):
        r = rb.rules[node_rule]
        cited = sorted(set(cited) | {(r.instrument, r.article, r.version or "")})
    for inst, ref, version in cited:
        art = rb.articles[(inst, ref, version or None)]
        title = rb.instruments[inst].title
        heading = f" — {escape(art.heading)}" if art.heading else ""
        wording = f' (version "{escape(version)}")' if version else ""
        out.append(f'<h3 id="art-{escape(inst)}-{escape(ref)}-{escape(version)}" data-article="{escape(inst)} '
                   f'{escape(ref)}">{escape(title)}, article {escape(ref)}{wording}{heading}</h3>')
        for t in art.texts:
            label = "authentic text" if t.authentic else f"translation: {t.translation}"
            text_source = rb.sources.get(t.source) if t.source else None
            cite = f"; source: {escape(text_source.citation)}" if text_source else ""
            out.append(f'<p class="label">{escape(t.language)}, {escape(label)}{cite}</p>'
                       f'<div class="article" lang="{escape(t.language)}">{escape(t.text)}</div>')
    out.append('<p class="meta">Made by treaty-engine. Every conclusion above can be traced to the rule files '
               "named beside it.</p></body></html>")
    return "\n".join(out) + "\n"


_COLUMNS = ("Bearer", "Action", "Towards", "Basis", "From", "Due / until", "Status", "Holds")


def _how_it_depends(c: Conclusion, fact_id: str, label: str) -> str:
    """How a conclusion depends on one contested fact (``it``, or one of its dates), in the findings' words:
    ``holds only if it is rejected``, ``active if it is rejected, ended if it is accepted``; empty if not."""
    def said(deps: list[Dependence]) -> str:
        return conditions_text([d for d in deps if d.id == fact_id], lambda x: "it" if x == label else x)

    parts = []
    if said(c.depends_on):
        parts.append(f"holds only if {said(c.depends_on)}")
    if len(c.statuses) > 1:
        by_status = [(s, said([d for d in c.status_depends_on.get(s, []) if d not in c.depends_on]))
                     for s in c.statuses]
        if any(words for _, words in by_status):
            parts.append(", ".join(f"{s} if {words}" if words else f"{s} otherwise" for s, words in by_status))
    return "; ".join(parts)


def _rules_in_trees(explanations: dict[str, Explanation]) -> set[str]:
    found: set[str] = set()

    def walk(n: Node) -> None:
        if n.rule is not None:
            found.add(n.rule.id)
        for c in n.children:
            walk(c)

    for e in explanations.values():
        walk(e.tree)
    return found
