"""`treaty lsp` on broken input: the same messages as the command line for every golden file, and a
fuzz over stdio (the goldens, then random edits and requests) with no crash and no handler failing."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from engine.errors import TreatyError, report
from engine.files import read_utf8
from engine.lsp.client import StdioClient
from engine.lsp.documents import Workspace

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
GOLDENS = sorted((GOLDEN / "rules_bad").glob("*.rules")) + sorted((GOLDEN / "scenarios_bad").glob("*.yaml"))


def kind(path: Path) -> str:
    return "rules" if path.suffix == ".rules" else "scenario"


def test_every_golden_file_gets_the_messages_the_command_line_gives(monkeypatch: pytest.MonkeyPatch) -> None:
    """The server's diagnostics, rendered as the CLI renders them, are the golden `.expected` files, byte for
    byte (files the CLI cannot read as text, binary garbage or bad UTF-8, are an editor's to decode)."""
    monkeypatch.chdir(ROOT)
    ws = Workspace()
    compared = 0
    for path in GOLDENS:
        relative = path.relative_to(ROOT)
        try:
            text = read_utf8(relative)
        except TreatyError:
            continue
        doc = ws.open(path.as_uri(), relative, text, name=str(relative), kind=kind(path))
        assert doc is not None and doc.diagnostics, relative
        got = report(TreatyError(doc.diagnostics, {str(relative): doc.text})) + "\n"
        assert got == path.with_suffix(".expected").read_text(encoding="utf-8"), relative
        compared += 1
    assert compared >= 125


_POOL = ["(", ")", '"', '"""', ":", ",", ".", " on ", "rule x:\n", "\n", "- ", "{", "}", "[", "]", "not ", "\t",
         "é", "😀", "\x00", "\r", "event: ", "status: ", "&a ", "*a", "!!python/object:os.system ", "9" * 30]


def _utf16(line: str, i: int) -> int:
    return len(line[:i].encode("utf-16-le", "surrogatepass")) // 2


class Model:
    """The fuzzer's copy of a document's text, and the protocol's positions in it."""

    def __init__(self, text: str) -> None:
        self.text = text

    def place(self, offset: int) -> tuple[int, int]:
        before = self.text[:offset].split("\n")
        line = self.text.split("\n")[len(before) - 1]
        return len(before) - 1, _utf16(line, len(before[-1]))

    def edit(self, rnd: random.Random) -> tuple[tuple[int, int], tuple[int, int], str]:
        n = len(self.text)
        a = rnd.randrange(n + 1)
        b = min(n, a + rnd.choice([0, 0, 1, 3, 10, 80]))
        op = rnd.random()
        if op < 0.4:
            new = rnd.choice(_POOL)
        elif op < 0.7 and n:
            s = rnd.randrange(n)
            new = self.text[s:s + rnd.randrange(1, 60)]  # a piece of the text, elsewhere
        else:
            new = ""
        start, end = self.place(a), self.place(b)
        self.text = self.text[:a] + new + self.text[b:]
        return start, end, new


def test_fuzz_the_server_with_the_goldens_and_random_edits(tmp_path: Path) -> None:
    seed = int(os.environ.get("TREATY_FUZZ_SEED", "17"))
    files = int(os.environ.get("TREATY_FUZZ_EXAMPLES", "25"))
    rnd = random.Random(seed)
    with StdioClient.start(cwd=ROOT) as client:
        flagged = []
        for path in GOLDENS:  # every broken-input golden, as an editor would show it (under scenarios/: a scenario)
            text = path.read_bytes().decode("utf-8", "replace")
            if not client.open(tmp_path / "scenarios" / path.name, text):
                flagged.append(path.name)
        assert flagged == ["invalid_utf8.rules", "invalid_utf8.yaml"]  # each is found broken (but for bad bytes,
        # which the editor decodes)
        shipped = [ROOT / "rules" / "cst.rules", ROOT / "rules" / "rio_treaty.rules",
                   ROOT / "scenarios" / "kazakhstan-2022.yaml", ROOT / "scenarios" / "kuwait-1990.yaml"]
        sample = shipped + rnd.sample(GOLDENS, max(0, files - len(shipped)))
        for path in sample:
            target = tmp_path / "scenarios" / ("edited-" + path.name)
            model = Model(path.read_bytes().decode("utf-8", "replace"))
            client.open(target, model.text)
            for _ in range(6):
                start, end, new = model.edit(rnd)
                client.edit(target, start, end, new)
                line = rnd.randrange(model.text.count("\n") + 2)
                for method in ("textDocument/hover", "textDocument/completion", "textDocument/definition"):
                    client.request(method, client.at(target, line, rnd.randrange(40)))
            diags = client.diagnostics(target, client.versions[client.uri(target)])
            uri = {"uri": client.uri(target)}
            client.request("textDocument/documentSymbol", {"textDocument": uri})
            client.request("textDocument/codeLens", {"textDocument": uri})
            client.request("textDocument/codeAction", {"textDocument": uri, "range": diags[0]["range"] if diags else
                                                       {"start": {"line": 0, "character": 0},
                                                        "end": {"line": 0, "character": 0}},
                                                       "context": {"diagnostics": diags}})
            client.close(target)
        published = [m["params"] for m in client.notifications if m.get("method") == "textDocument/publishDiagnostics"]
        internal = [d["message"] for p in published for d in p["diagnostics"] if "internal error" in d["message"]]
        assert internal == [], f"seed {seed}"
        assert client.logged(1) == [], f"seed {seed}"
        assert len(published) >= len(GOLDENS) + len(sample)
    assert client.proc.returncode == 0, client.stderr()
    assert "Traceback" not in client.stderr()
