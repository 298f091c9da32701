"""The engine's templates (Jinja2, autoescaped): the report, the timeline and the explorer's page.

Every text a template is given is escaped there; only what is marked as markup (the engine's own
CSS, a timeline drawn from its own template) goes in as it is.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import jinja2


@cache
def environment(package: str) -> jinja2.Environment:
    """The templates of a package's ``templates/`` directory, loaded once."""
    import jinja2

    return jinja2.Environment(loader=jinja2.PackageLoader(package, "templates"),
                              autoescape=jinja2.select_autoescape(default=True, default_for_string=True),
                              undefined=jinja2.StrictUndefined, keep_trailing_newline=True)


def render(name: str, package: str = "engine.outputs", **context: Any) -> str:
    return environment(package).get_template(name).render(**context)
