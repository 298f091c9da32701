"""The VS Code extension (editors/vscode/): its TextMate grammar, run by VS Code's own tokenizer
(vscode-textmate with vscode-oniguruma, from the npm registry, pinned in tests/textmate/package-lock.json)
on every shipped rule file, and its manifest."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pygments.token import Comment, String

from engine.lsp.rule_features import keywords
from engine.tools.highlight import TreatyLexer

ROOT = Path(__file__).resolve().parent.parent
EXT = ROOT / "editors" / "vscode"
GRAMMAR = EXT / "syntaxes" / "treaty-rules.tmLanguage.json"
SHIPPED = sorted((ROOT / "rules").glob("*.rules"))


def _missing(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI must have it)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def tokenise(tmp_path_factory: pytest.TempPathFactory):  # -> Callable[[list[Path]], dict]
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        _missing("Node.js and npm are needed to run VS Code's TextMate tokenizer")
    work = tmp_path_factory.mktemp("textmate")
    for name in ("package.json", "package-lock.json", "tokenise.js"):
        shutil.copy(ROOT / "tests" / "textmate" / name, work / name)
    done = subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts"], cwd=work, capture_output=True,
                          text=True, timeout=300)
    if done.returncode != 0:
        _missing(f"npm ci failed: {done.stderr.strip()[-300:]}")

    def run(files: list[Path]) -> dict:
        out = subprocess.run([node, "tokenise.js", str(GRAMMAR), "source.treaty-rules", *map(str, files)], cwd=work,
                             capture_output=True, text=True, timeout=120, check=True)
        return json.loads(out.stdout)

    return run


def _pygments_classes(text: str) -> list[str]:
    """Each character's class by the engine's Pygments lexer: c(omment), s(tring) or -."""
    out = ["-"] * len(text)
    for pos, tok, value in TreatyLexer().get_tokens_unprocessed(text):
        if tok in Comment or tok in String:
            out[pos:pos + len(value)] = ("c" if tok in Comment else "s") * len(value)
    return out


def _textmate_classes(tokens: list[list[list]], lines: list[str]) -> list[str]:
    out = []
    for line, toks in zip(lines, tokens, strict=True):
        chars = ["-"] * len(line)
        for start, end, scopes in toks:
            kind = "c" if "comment." in scopes else "s" if "string." in scopes else "-"
            chars[start:end] = kind * (min(end, len(line)) - start)
        out.extend(chars + ["-"])  # the line break
    return out


def test_the_grammar_tokenises_every_shipped_rule_file_with_no_region_left_open(tokenise, tmp_path: Path) -> None:
    broken = tmp_path / "unterminated.rules"
    broken.write_text('article 1 "A"\n  text en authentic source s """An attack on one\n\nrule r:\n  p(X).\n',
                      encoding="utf-8")
    result = tokenise([*SHIPPED, broken])
    for f in SHIPPED:
        text = f.read_text(encoding="utf-8")
        assert all(ord(ch) < 0x10000 for ch in text)  # (JavaScript's indices are UTF-16 units: the same here)
        got = result[str(f)]
        assert got["open"] == 1, f"{f.name}: a region is left open at the end"
        lines = text.split("\n")
        mine, theirs = _textmate_classes(got["tokens"], lines), _pygments_classes(text + "\n")
        for n, line in enumerate(lines):  # comments and strings where the engine's lexer has them, line by line
            start = sum(len(x) + 1 for x in lines[:n])
            assert "".join(mine[start:start + len(line)]) == "".join(theirs[start:start + len(line)]), \
                f"{f.name}:{n + 1}: {line}"
        heads = [(n, m.group(1)) for n, line in enumerate(lines) if (m := re.match(r"^rule ([a-z]\w*)", line))]
        assert heads
        for n, rule_id in heads:
            [scope] = [s for a, b, s in got["tokens"][n] if a == 5]
            assert scope.endswith("entity.name.function.rule.treaty"), (f.name, rule_id)
    assert result[str(broken)]["open"] > 1  # an unterminated """ is seen as one (the check above can fail)


def test_every_keyword_of_the_language_is_a_keyword_of_the_grammar(tokenise, tmp_path: Path) -> None:
    words = keywords()
    sample = tmp_path / "keywords.rules"
    sample.write_text("\n".join(words) + "\n", encoding="utf-8")
    tokens = tokenise([sample])[str(sample)]["tokens"]
    for word, line in zip(words, tokens, strict=False):
        [(start, end, scope)] = line
        assert (start, end) == (0, len(word)) and re.search(r"\b(keyword|storage)\.", scope), (word, scope)


def test_the_extension_manifest_names_its_files() -> None:
    manifest = json.loads((EXT / "package.json").read_text(encoding="utf-8"))
    [language] = manifest["contributes"]["languages"]
    [grammar] = manifest["contributes"]["grammars"]
    assert language["extensions"] == [".rules"] and grammar["language"] == language["id"] == "treaty-rules"
    assert (EXT / grammar["path"]).resolve() == GRAMMAR
    assert json.loads(GRAMMAR.read_text(encoding="utf-8"))["scopeName"] == grammar["scopeName"]
    assert (EXT / language["configuration"]).is_file()
    assert json.loads((EXT / language["configuration"]).read_text(encoding="utf-8"))["comments"]["lineComment"] == "#"
    assert manifest["contributes"]["configuration"]["properties"]["treaty.command"]["default"] == ["treaty", "lsp"]
    assert (EXT / manifest["main"]).is_file()
    node = shutil.which("node")
    if node is None:
        _missing("Node.js is needed to check the extension's script")
    assert subprocess.run([node, "--check", str(EXT / manifest["main"])]).returncode == 0
