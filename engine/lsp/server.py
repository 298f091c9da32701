"""The language server: pygls over stdio, each request answered from the documents' last analysis.

Analyses run one at a time on a thread of their own, newest text first: an edit made while a
document is being analysed makes that analysis's answer moot, and only the latest is published.
A handler that fails says so in the client's log and answers nothing; the server goes on.
"""

from __future__ import annotations

import asyncio
import functools
import itertools
import re
import traceback
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from ..errors import Diagnostic
from . import rule_features, scenario_features
from .documents import Document, RuleDocument, ScenarioDocument, Workspace, kind_hint
from .text import Lines, normalised

_SEVERITY = {"error": lsp.DiagnosticSeverity.Error, "warning": lsp.DiagnosticSeverity.Warning,
             "hint": lsp.DiagnosticSeverity.Hint, "note": lsp.DiagnosticSeverity.Information}
#: Seconds of quiet after an edit of a rule file before the open files that include it are analysed again.
PAUSE = 0.25
_DID_YOU_MEAN = re.compile(r"did you mean `([^`]+)`")


class TreatyServer(LanguageServer):
    def __init__(self, rules_paths: tuple[str, ...] = ()) -> None:
        from importlib.metadata import PackageNotFoundError, version

        try:
            v = version("treaty-engine")
        except PackageNotFoundError:  # pragma: no cover - a checkout never installed
            v = "0"
        super().__init__("treaty-lsp", v, text_document_sync_kind=lsp.TextDocumentSyncKind.Incremental)
        self.ws = Workspace(rules_paths)
        self.analyser = ThreadPoolExecutor(max_workers=1, thread_name_prefix="treaty-analysis")
        self._wanted: dict[str, int] = {}
        self._ticket = itertools.count()
        self._propagation: dict[str, asyncio.TimerHandle] = {}

    def log(self, message: str, kind: lsp.MessageType = lsp.MessageType.Error) -> None:
        self.window_log_message(lsp.LogMessageParams(type=kind, message=message))

    # ---- analysis -------------------------------------------------------------------------------

    def is_open(self, uri: str) -> bool:
        return unquote(uri) in self.workspace.text_documents

    async def refresh(self, uri: str, propagate: bool = True) -> None:
        """Analyse the document's current text (on the analysis thread) and publish its diagnostics; then,
        for a rule file, the open rule files that include it (``propagate``, once the typing pauses)."""
        if not self.is_open(uri):
            return
        text_doc = self.workspace.get_text_document(uri)
        text, version = text_doc.source, text_doc.version
        ticket = next(self._ticket)
        self._wanted[uri] = ticket
        loop = asyncio.get_running_loop()
        diagnostics = await loop.run_in_executor(self.analyser, self._analyse, uri, text, version, ticket,
                                                 kind_hint(text_doc.language_id, document_path(uri), text))
        if not self.is_open(uri):  # closed while it was analysed: forget what the analysis kept
            self.ws.close(uri)
            return
        if diagnostics is None or self._wanted.get(uri) != ticket:
            return
        self.text_document_publish_diagnostics(
            lsp.PublishDiagnosticsParams(uri=uri, version=version, diagnostics=diagnostics))
        doc = self.ws.docs.get(uri)
        if isinstance(doc, ScenarioDocument) and self._lens_refresh():
            self.workspace_code_lens_refresh(None)  # the counts over contested facts may have changed
        if isinstance(doc, RuleDocument) and propagate:
            self.includers_later(uri, doc.path)

    def includers_later(self, uri: str, path: Path) -> None:
        """Analyse again, once the typing pauses, the open rule files that read this one."""
        waiting = self._propagation.pop(uri, None)
        if waiting is not None:
            waiting.cancel()
        loop = asyncio.get_running_loop()
        self._propagation[uri] = loop.call_later(PAUSE, lambda: asyncio.ensure_future(self._includers(uri, path)))

    async def _includers(self, uri: str, path: Path) -> None:
        self._propagation.pop(uri, None)
        edited = path.resolve()
        for other, odoc in list(self.ws.docs.items()):
            if other != uri and isinstance(odoc, RuleDocument) and edited in odoc.reads:
                await self.refresh(other, propagate=False)

    def _analyse(self, uri: str, text: str, version: int | None, ticket: int, kind: str | None = None
                 ) -> list[lsp.Diagnostic] | None:
        if self._wanted.get(uri) != ticket:
            return None  # a newer text is waiting
        path = document_path(uri)
        try:
            doc = self.ws.open(uri, path, text, version, kind=kind)
        except Exception as exc:  # a bug of ours: said in the document and in the log, never fatal
            self.log(f"treaty lsp: analysing {uri} failed: {type(exc).__name__}: {exc}\n{traceback.format_exc()}")
            lines = Lines.of(normalised(text))
            return [lsp.Diagnostic(range=lines.range(None), severity=lsp.DiagnosticSeverity.Error, source="treaty",
                                   message=f"internal error while analysing this file: {type(exc).__name__}: {exc} "
                                           "(a bug in treaty-engine: the server's log has the details)")]
        if doc is None:
            return []
        return [to_lsp(d, doc.lines) for d in doc.diagnostics]

    def _lens_refresh(self) -> bool:
        """Whether the client asks to be told when code lenses change."""
        workspace = self.client_capabilities.workspace
        lens = workspace.code_lens if workspace else None
        return bool(lens and lens.refresh_support)

    def view(self, uri: str) -> Document | None:
        """The document's last analysis, seen with its current text (the analysis may lag an edit behind)."""
        doc = self.ws.docs.get(uri)
        if doc is None:
            return None
        current = normalised(self.workspace.get_text_document(uri).source)
        return doc if current == doc.text else replace(doc, text=current, lines=Lines.of(current))


def document_path(uri: str) -> Path:
    fs = to_fs_path(uri)
    return Path(fs) if fs else Path(uri.rsplit("/", 1)[-1] or "untitled")


def to_lsp(d: Diagnostic, lines: Lines) -> lsp.Diagnostic:
    message = d.message + "".join(f"\nnote: {n}" for n in d.notes) + (f"\nhint: {d.hint}" if d.hint else "")
    m = _DID_YOU_MEAN.search(d.hint or "")
    return lsp.Diagnostic(range=lines.range(d.span), severity=_SEVERITY.get(d.severity, lsp.DiagnosticSeverity.Error),
                          source="treaty", message=message, data={"replace": m.group(1)} if m else None)


def quick_fixes(uri: str, diagnostics: list[lsp.Diagnostic]) -> list[lsp.CodeAction]:
    """The did-you-mean hints of the diagnostics, as edits."""
    actions = []
    for d in diagnostics:
        data = d.data if isinstance(d.data, dict) else {}
        word = data.get("replace")
        if word is None:
            m = _DID_YOU_MEAN.search(d.message)
            word = m.group(1) if m else None
        if not word:
            continue
        edit = lsp.WorkspaceEdit(changes={uri: [lsp.TextEdit(range=d.range, new_text=word)]})
        actions.append(lsp.CodeAction(title=f"Change to `{word}`", kind=lsp.CodeActionKind.QuickFix, diagnostics=[d],
                                      edit=edit, is_preferred=True))
    return actions


# ---- the server and its handlers ------------------------------------------------------------------


def _guarded(fn: Callable[..., Any]) -> Callable[..., Any]:
    """A handler whose exceptions are logged to the client and answered with nothing."""
    def report(ls: TreatyServer, exc: Exception) -> None:
        ls.log(f"treaty lsp: {fn.__name__} failed: {type(exc).__name__}: {exc}\n{traceback.format_exc()}")

    if asyncio.iscoroutinefunction(fn):
        @functools.wraps(fn)
        async def run_async(ls: TreatyServer, params: Any) -> Any:
            try:
                return await fn(ls, params)
            except Exception as exc:
                report(ls, exc)
                return None
        return run_async

    @functools.wraps(fn)
    def run(ls: TreatyServer, params: Any) -> Any:
        try:
            return fn(ls, params)
        except Exception as exc:
            report(ls, exc)
            return None
    return run


def _features(doc: Document) -> Any:
    return rule_features if isinstance(doc, RuleDocument) else scenario_features


def make_server(rules_paths: tuple[str, ...] = ()) -> TreatyServer:
    server = TreatyServer(rules_paths)

    @server.feature(lsp.INITIALIZED)
    @_guarded
    def initialized(ls: TreatyServer, params: lsp.InitializedParams) -> None:
        ls.analyser.submit(ls.ws.names)  # the scenarios' rule base, loaded before anyone waits for it

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    @_guarded
    async def did_open(ls: TreatyServer, params: lsp.DidOpenTextDocumentParams) -> None:
        await ls.refresh(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    @_guarded
    async def did_change(ls: TreatyServer, params: lsp.DidChangeTextDocumentParams) -> None:
        await ls.refresh(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
    @_guarded
    async def did_save(ls: TreatyServer, params: lsp.DidSaveTextDocumentParams) -> None:
        uri = params.text_document.uri
        if isinstance(ls.ws.docs.get(uri), RuleDocument):  # the scenarios' rule base may have changed
            ls.ws.forget_rules(document_path(uri))
            for other, doc in list(ls.ws.docs.items()):
                if isinstance(doc, ScenarioDocument):
                    await ls.refresh(other)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    @_guarded
    def did_close(ls: TreatyServer, params: lsp.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        ls._wanted.pop(uri, None)
        doc = ls.ws.docs.get(uri)
        ls.ws.close(uri)
        ls.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=uri, diagnostics=[]))
        if isinstance(doc, RuleDocument):  # its unsaved text is gone: those that include it read the disk again
            ls.includers_later(uri, doc.path)

    @server.feature(lsp.TEXT_DOCUMENT_HOVER)
    @_guarded
    def hover(ls: TreatyServer, params: lsp.HoverParams) -> lsp.Hover | None:
        doc = ls.view(params.text_document.uri)
        return _features(doc).hover(ls.ws, doc, params.position) if doc else None

    @server.feature(lsp.TEXT_DOCUMENT_COMPLETION, lsp.CompletionOptions(trigger_characters=["(", ",", ":"]))
    @_guarded
    def completion(ls: TreatyServer, params: lsp.CompletionParams) -> lsp.CompletionList | None:
        doc = ls.view(params.text_document.uri)
        return _features(doc).completion(ls.ws, doc, params.position) if doc else None

    @server.feature(lsp.TEXT_DOCUMENT_DEFINITION)
    @_guarded
    def definition(ls: TreatyServer, params: lsp.DefinitionParams) -> lsp.Location | None:
        doc = ls.view(params.text_document.uri)
        return _features(doc).definition(ls.ws, doc, params.position) if doc else None

    @server.feature(lsp.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    @_guarded
    def document_symbol(ls: TreatyServer, params: lsp.DocumentSymbolParams) -> list[lsp.DocumentSymbol] | None:
        doc = ls.view(params.text_document.uri)
        return _features(doc).symbols(doc) if doc else None

    @server.feature(lsp.TEXT_DOCUMENT_CODE_LENS)
    @_guarded
    def code_lens(ls: TreatyServer, params: lsp.CodeLensParams) -> list[lsp.CodeLens] | None:
        doc = ls.ws.docs.get(params.text_document.uri)
        return scenario_features.code_lenses(doc) if isinstance(doc, ScenarioDocument) else []

    @server.feature(lsp.TEXT_DOCUMENT_CODE_ACTION,
                    lsp.CodeActionOptions(code_action_kinds=[lsp.CodeActionKind.QuickFix]))
    @_guarded
    def code_action(ls: TreatyServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction] | None:
        return quick_fixes(params.text_document.uri, list(params.context.diagnostics))

    return server


def serve_stdio(rules_paths: tuple[str, ...] = ()) -> None:
    """Run the server on standard input and output until the client says exit."""
    make_server(rules_paths).start_io()
