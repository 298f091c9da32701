"""A small client of ``treaty lsp`` over stdio (JSON-RPC with ``Content-Length`` headers), for
scripts, tests and benchmarks: start the server, open documents, ask, and read what it publishes.

    with StdioClient.start() as client:
        diags = client.open("rules/cst.rules")
        client.request("textDocument/hover", client.at("rules/cst.rules", 120, 10))
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any


class ServerGone(RuntimeError):
    """The server's process ended (or never answered)."""


class StdioClient:
    def __init__(self, proc: subprocess.Popen) -> None:
        self.proc = proc
        self._next = 0
        self._lock = threading.Condition()
        self._responses: dict[int, dict] = {}
        self.notifications: list[dict] = []
        self.versions: dict[str, int] = {}
        self._stderr = ""
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    @classmethod
    def start(cls, args: Sequence[str] = (), cwd: str | Path | None = None, root: str | Path | None = None,
              command: Sequence[str] | None = None) -> StdioClient:
        """Start ``treaty lsp ARGS`` (this Python's engine; or ``command``) and initialise it."""
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        errors = tempfile.TemporaryFile()  # (a pipe nobody reads could fill and stop the server)
        proc = subprocess.Popen([*(command or (sys.executable, "-m", "engine", "lsp")), *args], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=errors, cwd=cwd, env=env)
        proc.stderr = errors
        client = cls(proc)
        root_uri = Path(root or cwd or Path.cwd()).resolve().as_uri()
        client.request("initialize", {"processId": os.getpid(), "rootUri": root_uri, "capabilities": {
            "textDocument": {"hover": {"contentFormat": ["markdown", "plaintext"]},
                             "completion": {"completionItem": {"snippetSupport": True}},
                             "documentSymbol": {"hierarchicalDocumentSymbolSupport": True},
                             "publishDiagnostics": {"versionSupport": True}}}})
        client.notify("initialized", {})
        return client

    # ---- the wire ----------------------------------------------------------------------------------

    def _send(self, message: dict) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        assert self.proc.stdin is not None
        try:
            self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError) as exc:
            raise ServerGone(f"the server has gone ({exc})") from None

    def _read(self) -> None:
        out = self.proc.stdout
        assert out is not None
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    with self._lock:
                        self._lock.notify_all()
                    return
                if line in (b"\r\n", b"\n"):
                    break
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            message = json.loads(out.read(length or 0))
            if "id" in message and "method" in message:  # a request of the server's: answered with nothing
                self._send({"id": message["id"], "result": None})
                continue
            with self._lock:
                if "id" in message:
                    self._responses[message["id"]] = message
                else:
                    self.notifications.append(message)
                self._lock.notify_all()

    def _wait(self, done: Callable[[], Any], timeout: float, what: str) -> Any:
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                found = done()
                if found is not None:
                    return found
                if self.proc.poll() is not None:
                    raise ServerGone(f"the server exited ({self.proc.returncode}) while waiting for {what}")
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"no {what} within {timeout} s")
                self._lock.wait(min(left, 0.5))

    def wait_for(self, found: Callable[[], Any], what: str, timeout: float = 30.0) -> Any:
        """Wait until ``found()`` (called with what the server sent so far) gives something other than None."""
        return self._wait(found, timeout, what)

    def request(self, method: str, params: Any, timeout: float = 30.0) -> Any:
        """Send a request and wait for its answer (its ``result``; an ``error`` raises RuntimeError)."""
        self._next += 1
        n = self._next
        self._send({"id": n, "method": method, "params": params})
        message = self._wait(lambda: self._responses.pop(n, None), timeout, f"answer to {method}")
        if "error" in message:
            raise RuntimeError(f"{method}: {message['error']}")
        return message.get("result")

    def notify(self, method: str, params: Any) -> None:
        self._send({"method": method, "params": params})

    # ---- documents ---------------------------------------------------------------------------------

    @staticmethod
    def uri(path: str | Path) -> str:
        return Path(path).resolve().as_uri()

    def diagnostics(self, path: str | Path, version: int | None = None, timeout: float = 30.0) -> list[dict]:
        """The diagnostics published for a document (for that version, if given), waiting for them."""
        uri = self.uri(path)

        def found() -> list[dict] | None:
            for m in reversed(self.notifications):
                p = m.get("params") or {}
                if m.get("method") == "textDocument/publishDiagnostics" and p.get("uri") == uri and (
                        version is None or p.get("version") == version):
                    return p["diagnostics"]
            return None

        return self._wait(found, timeout, f"diagnostics of {uri}")

    def open(self, path: str | Path, text: str | None = None, language: str | None = None,
             wait: bool = True) -> list[dict] | None:
        """Open a document (its text from the disk unless given) and wait for its diagnostics."""
        text = Path(path).read_text(encoding="utf-8") if text is None else text
        uri = self.uri(path)
        self.versions[uri] = 1
        with self._lock:  # what was published while it was open before is not about this text
            self.notifications = [m for m in self.notifications if (m.get("params") or {}).get("uri") != uri]
        language = language or ("treaty-rules" if str(path).endswith(".rules") else "yaml")
        self.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": language, "version": 1,
                                                              "text": text}})
        return self.diagnostics(path, 1) if wait else None

    def change(self, path: str | Path, text: str, wait: bool = True) -> list[dict] | None:
        """Replace the whole text of an open document and wait for the new diagnostics."""
        uri = self.uri(path)
        self.versions[uri] += 1
        version = self.versions[uri]
        self.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                               "contentChanges": [{"text": text}]})
        return self.diagnostics(path, version) if wait else None

    def edit(self, path: str | Path, start: tuple[int, int], end: tuple[int, int], text: str) -> int:
        """An incremental change (0-based lines and characters); the new version."""
        uri = self.uri(path)
        self.versions[uri] += 1
        rng = {"start": {"line": start[0], "character": start[1]}, "end": {"line": end[0], "character": end[1]}}
        self.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": self.versions[uri]},
                                               "contentChanges": [{"range": rng, "text": text}]})
        return self.versions[uri]

    def close(self, path: str | Path) -> None:
        self.notify("textDocument/didClose", {"textDocument": {"uri": self.uri(path)}})

    def at(self, path: str | Path, line: int, character: int) -> dict:
        """Request parameters for a place in a document (0-based line and character)."""
        return {"textDocument": {"uri": self.uri(path)}, "position": {"line": line, "character": character}}

    def logged(self, kind: int | None = None) -> list[str]:
        """The messages the server logged (``kind`` 1: errors)."""
        with self._lock:
            return [m["params"]["message"] for m in self.notifications if m.get("method") == "window/logMessage"
                    and (kind is None or m["params"]["type"] == kind)]

    def stderr(self) -> str:
        """What the server wrote on standard error (so far, or until it ended)."""
        err = self.proc.stderr
        if err is None or err.closed:
            return self._stderr
        err.seek(0)
        return err.read().decode("utf-8", "replace")

    # ---- the end -----------------------------------------------------------------------------------

    def shutdown(self, timeout: float = 10.0) -> int:
        """Ask the server to end, and wait for it; its exit code."""
        try:
            self.request("shutdown", None, timeout)
            self.notify("exit", None)
        except (ServerGone, TimeoutError):
            pass
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return self.proc.wait()
        finally:
            self._stderr = self.stderr()
            for stream in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
                if stream is not None:
                    stream.close()

    def __enter__(self) -> StdioClient:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.proc.poll() is None:
            self.shutdown()
