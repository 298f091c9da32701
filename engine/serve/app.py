"""The explorer's web application (Starlette): one page, a JSON API over the engine, the timeline.

It serves only the scenarios and rules it was given (no path from the browser reaches the file
system), writes no file, and needs nothing from the network (no CDN, no external font or script).
A user's mistake in a request is a 4xx JSON error, never a traceback.
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from ..errors import TreatyError
from ..outputs.common import Names
from .cases import BadRequest, Cases

STATIC = {"app.js": "text/javascript; charset=utf-8", "app.css": "text/css; charset=utf-8"}


@cache
def _static(name: str) -> str:
    return files("engine.serve").joinpath("static", name).read_text(encoding="utf-8")


def _error(status: int, message: str, hint: str | None = None) -> JSONResponse:
    return JSONResponse({"error": message, **({"hint": hint} if hint else {})}, status_code=status)


#: The largest request body read (a toggle is a few hundred bytes).
MAX_BODY = 1_000_000


async def _body(request: Request) -> dict[str, Any]:
    raw = b""
    async for chunk in request.stream():  # read no more than the bound, whatever the header says
        raw += chunk
        if len(raw) > MAX_BODY:
            raise BadRequest(f"the request body is larger than {MAX_BODY:,} bytes", 413)
    try:
        body = json.loads(raw or b"{}")
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadRequest(f"the request body is not JSON: {exc}") from None
    if not isinstance(body, dict):
        raise BadRequest("the request body is a JSON object: {\"scenario\": ..., \"statuses\": {...}}")
    return body


#: The time limit of one request (seconds): a case that takes longer is answered 503, the work going on.
DEFAULT_TIMEOUT = 30.0


def create_app(cases: Cases, timeout: float = DEFAULT_TIMEOUT) -> Starlette:
    """The application over these cases (tests drive it with Starlette's test client)."""
    import asyncio

    from starlette.concurrency import run_in_threadpool

    from ..outputs.timeline import timeline_svg

    async def solved(body: dict[str, Any], explainable: bool) -> Any:
        """The analysis, within the request's time limit (the solve runs in a worker thread)."""
        try:
            return await asyncio.wait_for(run_in_threadpool(cases.analyse, body, explainable), timeout)
        except TimeoutError:
            raise BadRequest(f"the time limit of {timeout:g} s was reached while solving {body.get('scenario')}",
                             503, "the answer is still being worked out: ask again shortly, or start the server "
                                  "with a longer --request-timeout") from None

    def guarded(handler: Any) -> Any:
        async def run(request: Request) -> Response:
            try:
                return await handler(request)
            except BadRequest as exc:
                return _error(exc.status, str(exc), exc.hint)
            except TreatyError as exc:  # the scenario, a status or a position of the law: said as the CLI says it
                lines = [d.message + (f" (hint: {d.hint})" if d.hint else "") for d in exc.diagnostics]
                return _error(422, "; ".join(lines))
        return run

    async def page(request: Request) -> Response:
        from .page import render_page

        return HTMLResponse(render_page(cases))

    async def static(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in STATIC:
            return _error(404, f"no such file: {name}")
        return Response(_static(name), media_type=STATIC[name])

    async def scenarios(request: Request) -> Response:
        return JSONResponse([{"id": c.id, "title": c.loaded.scenario.title, "variants": c.variants}
                             for c in cases.cases.values()])

    def picture(analysis: Any) -> str:
        return timeline_svg(analysis.facts, analysis.findings, Names.of(analysis.findings))

    async def solve(request: Request) -> Response:
        body = await _body(request)
        analysis = await solved(body, explainable=False)
        doc = dict(analysis.document)
        doc["facts"] = [{"id": it.id, "label": it.label(), "status": it.status.value, "source": it.source,
                         "together_with": it.together_with} for it in analysis.facts.items]
        if body.get("timeline") is True:  # the page's picture from the same solve, not from a second one
            doc["timeline"] = picture(analysis)
        return JSONResponse(doc)

    async def why(request: Request) -> Response:
        body = await _body(request)
        analysis = await solved(body, explainable=True)
        cid = body.get("id")
        if not isinstance(cid, str) or cid not in {c.id for c in analysis.findings.conclusions}:
            raise BadRequest(f"no conclusion {cid!r} in this case", 404)
        return JSONResponse(analysis.explainer().why(cid).model_dump(mode="json", by_alias=True))

    async def why_not(request: Request) -> Response:
        body = await _body(request)
        pattern = body.get("pattern")
        if not isinstance(pattern, str) or not pattern.strip():
            raise BadRequest("`pattern` is a conclusion pattern: obligation(uzbekistan, provide_assistance, _)")
        analysis = await solved(body, explainable=True)
        return JSONResponse(analysis.explainer().why_not(pattern).model_dump(mode="json", by_alias=True))

    async def timeline(request: Request) -> Response:
        analysis = await solved(await _body(request), explainable=False)
        return Response(picture(analysis), media_type="image/svg+xml")

    async def no_icon(request: Request) -> Response:  # browsers ask for one: no 404 in their console
        return Response(status_code=204)

    routes = [Route("/", page), Route("/favicon.ico", no_icon), Route("/static/{name}", static),
              Route("/api/scenarios", guarded(scenarios)),
              Route("/api/solve", guarded(solve), methods=["POST"]), Route("/api/why", guarded(why), methods=["POST"]),
              Route("/api/why-not", guarded(why_not), methods=["POST"]),
              Route("/api/timeline", guarded(timeline), methods=["POST"])]
    return Starlette(routes=routes)
