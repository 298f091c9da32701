"""The explorer's one page, from a Jinja2 template with autoescaping (text from scenarios is escaped)."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import jinja2

    from .cases import Cases


@cache
def _environment() -> jinja2.Environment:
    import jinja2

    return jinja2.Environment(loader=jinja2.PackageLoader("engine.serve", "templates"),
                              autoescape=jinja2.select_autoescape(default=True, default_for_string=True),
                              undefined=jinja2.StrictUndefined)


def render_page(cases: Cases) -> str:
    return _environment().get_template("page.html.j2").render(
        cases=[{"id": c.id, "title": c.loaded.scenario.title} for c in cases.cases.values()])
