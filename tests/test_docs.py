"""The documentation stays true: every rule-language example in the docs parses."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from engine.language.parse import parse_text

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "docs" / "rule-language.md", ROOT / "README.md"]
BLOCK = re.compile(r"^```rules\n(.*?)^```", re.S | re.M)


def blocks() -> list[tuple[str, str]]:
    out = []
    for doc in DOCS:
        for i, m in enumerate(BLOCK.finditer(doc.read_text(encoding="utf-8"))):
            out.append((f"{doc.name}#{i + 1}", m.group(1)))
    return out


def test_the_reference_has_examples():
    assert len([b for b in blocks() if b[0].startswith("rule-language")]) >= 15


@pytest.mark.parametrize(("where", "text"), blocks(), ids=[b[0] for b in blocks()])
def test_every_rules_example_parses(where: str, text: str) -> None:
    parse_text(text, where)


def _console_block(readme: str, command: str) -> str:
    start = readme.index(f"$ {command}\n") + len(command) + 3
    return readme[start: readme.index("```", start)]


@pytest.mark.parametrize("command", [
    "treaty check scenarios/kazakhstan-2022.yaml",
    "treaty explain scenarios/kazakhstan-2022.yaml cst_4_2_assist_2010/russia/provide_assistance/kazakhstan/2022-01-05",
    "treaty lint rules/",
    "treaty lint tests/golden/rules_bad/unknown_predicate.rules",
    "treaty explain scenarios/kazakhstan-2022.yaml --why-not 'obligation(uzbekistan, provide_assistance, kazakhstan)'",
])
def test_readme_examples_show_real_output(command: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from engine.tools.cli import treaty

    monkeypatch.chdir(ROOT)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    import shlex

    result = CliRunner().invoke(treaty, shlex.split(command)[1:])
    assert _console_block(readme, command) == result.stdout + result.stderr


PYTHON = re.compile(r"^```python\n(.*?)^```", re.S | re.M)


def test_readme_python_examples_run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(ROOT)
    blocks = PYTHON.findall((ROOT / "README.md").read_text(encoding="utf-8"))
    assert len(blocks) >= 2
    for block in blocks:
        namespace: dict = {}
        exec(compile(block, "README.md", "exec"), namespace)  # noqa: S102 - our own documentation
        for name, fn in sorted(namespace.items()):
            if name.startswith("test_") and callable(fn):
                fn()


def test_every_test_the_guarantees_name_exists():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Guarantees"):readme.index("## Layout")]
    named = set(re.findall(r"\b(test_\w+)\b", section)) - {name for name in re.findall(r"\b(test_\w+)\.py", section)}
    defined = set()
    for path in (ROOT / "tests").glob("test_*.py"):
        defined |= set(re.findall(r"^def (test_\w+)", path.read_text(encoding="utf-8"), re.M))
    assert len(named) >= 25
    assert sorted(named - defined) == []


def test_rule_scenario_and_seed_files_cite_public_references_only():
    """Output quotes sources and notes from these files: none may point at the project's private notes."""
    files = [*(ROOT / "rules").glob("*.rules"), *(ROOT / "scenarios").glob("*.yaml"), *(ROOT / "seeds").iterdir()]
    assert [str(f.relative_to(ROOT)) for f in files if "shared/" in f.read_text(encoding="utf-8")] == []
