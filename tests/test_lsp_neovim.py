"""`treaty lsp` under a client that is not ours: Neovim's own (Debian's `neovim`, installed by .ci/run),
headless: the diagnostics of a broken rule file with their range, completion and a hover with Article 4's
text, as Neovim reads them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = """
local client = vim.lsp.start_client({cmd = {%(python)s, "-m", "engine", "lsp"}, name = "treaty", root_dir = %(root)s})
vim.cmd("edit " .. %(root)s .. "/tests/golden/rules_bad/unknown_predicate.rules")
vim.lsp.buf_attach_client(0, client)
vim.wait(20000, function() return #vim.diagnostic.get(0) > 0 end)
local out = {}
for _, d in ipairs(vim.diagnostic.get(0)) do
  table.insert(out, string.format("diagnostic %%d:%%d-%%d:%%d %%s", d.lnum, d.col, d.end_lnum, d.end_col, d.message))
end
local c = vim.lsp.get_client_by_id(client)
local at = {textDocument = {uri = vim.uri_from_bufnr(0)}, position = {line = 18, character = 8}}
local got = c.request_sync("textDocument/completion", at, 10000, 0).result
for _, item in ipairs(got.items or got) do
  if item.label == "asked" then table.insert(out, "completion: asked") end
end
vim.cmd("edit " .. %(root)s .. "/rules/cst.rules")
vim.lsp.buf_attach_client(0, client)
local line = vim.fn.search([[^article 4(2) .* version "1992"]]) - 1
local h = nil
vim.wait(20000, function()  -- until the file is analysed
  h = c.request_sync("textDocument/hover", {textDocument = {uri = vim.uri_from_bufnr(0)},
    position = {line = line, character = 9}}, 10000, 0).result
  return h ~= nil and h ~= vim.NIL
end, 100)
table.insert(out, "hover: " .. vim.split(h.contents.value, "\\n")[1])
vim.fn.writefile(out, %(out)s)
vim.cmd("qa!")
"""


def test_neovims_own_client_gets_diagnostics_completion_and_hover(tmp_path: Path) -> None:
    nvim = shutil.which("nvim")
    if nvim is None:
        if os.environ.get("CI") == "true":
            pytest.fail("Neovim (Debian's neovim) is needed: .ci/run installs it")
        pytest.skip("Neovim (Debian's neovim) is not installed")
    out = tmp_path / "out.txt"
    script = tmp_path / "check.lua"

    def lua(s: str) -> str:
        return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'

    script.write_text(SCRIPT % {"python": lua(sys.executable), "root": lua(str(ROOT)), "out": lua(str(out))},
                      encoding="utf-8")
    subprocess.run([nvim, "--headless", "-u", "NONE", "-c", f"luafile {script}"], cwd=ROOT, timeout=120,
                   capture_output=True, check=True)
    assert out.read_text(encoding="utf-8").split("\n")[:-1] == [
        "diagnostic 18:7-18:11 unknown predicate `askd`\nhint: did you mean `asked`?".replace("\n", "\x00"),
        "completion: asked",
        "hover: **Collective Security Treaty, Article 4(2)** — Assistance, including military, in collective defence "
        '(version "1992")']
