"""The explorer's one page, from a Jinja2 template with autoescaping (text from scenarios is escaped)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..outputs.templating import render

if TYPE_CHECKING:
    from .cases import Cases


def render_page(cases: Cases) -> str:
    return render("page.html.j2", "engine.serve",
                  cases=[{"id": c.id, "title": c.loaded.scenario.title} for c in cases.cases.values()])
