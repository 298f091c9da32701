"""One self-contained HTML file: findings, explanations and the articles cited (no network, no assets)."""

from __future__ import annotations

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


def render_html(findings: Findings, explanations: dict[str, Explanation], scenario: Scenario, rules: Rules,
                names: Names | None = None, timeline: str | None = None) -> str:
    """The report as one HTML page; entities by display name (``Names(ids=True)``: by id). Rendered from
    templates/report.html.j2 with autoescaping: every text from a scenario or a rule file is escaped
    there, and only the engine's own CSS and timeline (itself drawn from an autoescaped template) go in
    as they are."""
    from markupsafe import Markup

    from .templating import render

    f = findings
    names = names or Names.of(f)
    said = Sentences(f, names, rules)
    rb = rules.base
    sources = []
    for sid, src in sorted(scenario.sources.items()):
        # only http(s) URLs are links: a javascript: or data: URL from a scenario would run in the reader's browser
        sources.append({"id": sid, "cite": src.cite, "link": http_url(src.url), "url": src.url, "file": src.file})
    sections_ = [{"title": title, "rows": [
        {"id": c.id, "status": c.status, "holds": c.holds,
         "cells": [names.entity(c.bearer), names.action(c.action), counterparty(c, names), basis_text(c),
                   dates_text(c.trigger_dates), due_text(c) or until_text(c), status_text(c), holds_text(c)]}
        for c in rows]} for _, title, rows in sections(f)]
    contested = []
    for fact in f.contested:
        dependent = [{"id": c.id, "label": conclusion_label(c, names), "how": how}
                     for c in f.conclusions if (how := _how_it_depends(c, fact.id, fact.label))]
        contested.append({"id": fact.id, "label": fact.label, "status": fact.status, "source": fact.source,
                          "note": " ".join(fact.note.split()) if fact.note else None, "dependent": dependent})
    cited = sorted({(c.basis.instrument, c.basis.article, c.basis.version or "") for c in f.conclusions}
                   | {(rb.rules[r].instrument, rb.rules[r].article, rb.rules[r].version or "")
                      for r in _rules_in_trees(explanations)})
    articles = []
    for inst, ref, version in cited:
        art = rb.articles[(inst, ref, version or None)]
        texts = []
        for t in art.texts:
            text_source = rb.sources.get(t.source) if t.source else None
            texts.append({"language": t.language, "text": t.text,
                          "label": "authentic text" if t.authentic else f"translation: {t.translation}",
                          "cite": text_source.citation if text_source else None})
        articles.append({"instrument": inst, "ref": ref, "version": version, "heading": art.heading,
                         "title": rb.instruments[inst].title, "texts": texts})
    return render("report.html.j2",
        title=f.scenario.title, css=Markup(CSS), file=f.scenario.file, as_of=f.scenario.as_of.isoformat(),
        readings=readings_text(f), immediately_days=f.assumptions.immediately_days,
        assumed=list(f.assumptions.assumed.items()), notices=notice_lines(f),
        description=" ".join(scenario.description.split()) if scenario.description else None,
        interpretations=f.interpretations, sources=sources,
        timeline=Markup(timeline) if timeline is not None else None, columns=_COLUMNS, sections=sections_,
        explanations=[{"id": c.id, "sentence": said.sentence(c), "reading": explanations[c.id].reading,
                       "tree": explanations[c.id].tree} for c in f.conclusions],
        contested=contested, articles=articles)


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
