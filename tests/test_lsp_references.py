"""`treaty lsp` where a scenario refers to its own facts (flow-style `assume`, `remove`, `together_with`),
to articles (`basis:`, `because:`), and where one rule file includes another; and what it does not do
(prose is not code; an unfinished analysis is never half shown)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import run

from engine.lsp.client import StdioClient

ROOT = Path(__file__).resolve().parent.parent
KZ = ROOT / "scenarios" / "kazakhstan-2022.yaml"
AFG = ROOT / "scenarios" / "afghanistan-1979.yaml"
CZ = ROOT / "scenarios" / "czechoslovakia-1968.yaml"
CST = ROOT / "rules" / "cst.rules"


@pytest.fixture(scope="module")
def client() -> Iterator[StdioClient]:
    c = StdioClient.start(cwd=ROOT)
    yield c
    assert c.shutdown() == 0
    assert c.logged(1) == []


def lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").split("\n")


def find(path: Path, pattern: str, word: str) -> tuple[int, int]:
    """The 0-based line of the first line matching ``pattern`` and the column of ``word`` in it."""
    n = next(i for i, line in enumerate(lines(path)) if re.search(pattern, line))
    return n, lines(path)[n].index(word)


def hover(client: StdioClient, path: Path, at: tuple[int, int]) -> str | None:
    got = client.request("textDocument/hover", client.at(path, *at))
    return got["contents"]["value"] if got else None


def labels(client: StdioClient, path: Path, at: tuple[int, int]) -> list[str]:
    return [i["label"] for i in client.request("textDocument/completion", client.at(path, *at))["items"]]


def test_a_fact_named_in_a_flow_style_assume_is_that_fact(client: StdioClient) -> None:
    client.open(AFG)
    at = find(AFG, r"^    assume: \{karmal_invitation: established\}", "karmal_invitation")
    value = hover(client, AFG, (at[0], at[1] + 3))
    assert value is not None and value.startswith("**event** `invited(afghanistan, russia)` on 1979-12-27\n\n"
                                                  "status: **disputed**")
    findings = json.loads(run("check", str(AFG), "--format", "json")[1])
    assert not any("karmal_invitation" in {d["id"] for d in c["depends_on"]} for c in findings["conclusions"])
    assert value.endswith("no conclusion depends on it")
    loc = client.request("textDocument/definition", client.at(AFG, at[0], at[1] + 3))
    statement = next(i for i, line in enumerate(lines(AFG)) if "id: karmal_invitation" in line)
    first = max(i for i in range(statement) if lines(AFG)[i].lstrip().startswith("- "))
    assert loc["range"]["start"]["line"] == first
    got = labels(client, AFG, (at[0], len("    assume: {")))
    assert {"karmal_invitation", "karmal_installed_by_ussr"} <= set(got)
    assert labels(client, AFG, (at[0], len("    assume: {karmal_invitation: "))) == [
        "established", "alleged", "disputed", "denied"]


def test_facts_that_stand_or_fall_together_share_their_dependents(client: StdioClient) -> None:
    client.open(CZ)
    findings = json.loads(run("check", str(CZ), "--format", "json")[1])
    n = sum(1 for c in findings["conclusions"]
            if "allied_armed_attack" in {d["id"] for d in c["depends_on"]}
            | {d["id"] for ds in c["status_depends_on"].values() for d in ds})
    assert n > 0
    lenses = client.request("textDocument/codeLens", {"textDocument": {"uri": client.uri(CZ)}})
    by_line = {lens["range"]["start"]["line"]: lens["command"]["title"] for lens in lenses}
    for invader in ("poland", "hungary", "bulgaria"):
        line, col = find(CZ, rf'event: "armed_attack\({invader}, czechoslovakia\)"', "armed_attack")
        assert by_line[line] == f"{n} conclusions depend on this disputed fact"
        assert f"{n} conclusions depend on it:" in hover(client, CZ, (line, col + 2))
    # together_with: the fact it names, where that fact is stated
    line, col = find(CZ, r"together_with: allied_armed_attack\}", "allied_armed_attack")
    loc = client.request("textDocument/definition", client.at(CZ, line, col + 4))
    leader = next(i for i, x in enumerate(lines(CZ)) if "id: allied_armed_attack" in x)
    assert loc["range"]["start"]["line"] <= leader and "armed_attack(" in lines(CZ)[loc["range"]["start"]["line"]]


def test_articles_in_flow_style_expectations_and_in_because(client: StdioClient) -> None:
    client.open(KZ)
    line, col = find(KZ, r"\{kind: notification, basis: cst 4\(3\), holds: all", "4(3)")
    value = hover(client, KZ, (line, col + 2))
    assert value is not None and value.startswith("**Collective Security Treaty, Article 4(3)**")
    line, col = find(KZ, r"because: \[cst_4_1_all_2010_non_state, cst 4\(2\)\]", "cst 4(2)")
    assert "Article 4(2)** — Assistance at the victim's request" in hover(client, KZ, (line, col + 1))
    got = labels(client, KZ, (line, len(lines(KZ)[line].split("[")[0]) + 1))
    assert {"cst_4_2_assist_2010", "cst 4(2)"} <= set(got)
    line, col = find(KZ, r"interpretations: \{art51_non_state: includes_non_state", "includes_non_state")
    from engine import load_rules

    positions = [p.id for p in load_rules().base.interpretations["art51_non_state"].positions]
    assert labels(client, KZ, (line, col)) == ["open", *positions] and "includes_non_state" in positions
    assert "art51_non_state" in labels(client, KZ, (line, lines(KZ)[line].index("{") + 1))


def test_prose_is_not_code(client: StdioClient) -> None:
    client.open(CST)
    line, col = find(CST, r"^    including military assistance\[\.\.\.\]", "assistance")
    assert hover(client, CST, (line, col + 2)) is None  # an article's text: not the symbol `assistance`
    line, col = find(CST, r"^# Article 4 operates", "Article")
    assert labels(client, CST, (line, col)) == []
    client.open(KZ)
    line, col = find(KZ, r"^  # Consent: the deployment", "deployment")
    assert labels(client, KZ, (line, col)) == []


def test_a_problem_in_an_included_file_is_shown_at_the_include_that_leads_to_it(client: StdioClient,
                                                                                 tmp_path: Path) -> None:
    base = (ROOT / "tests" / "golden" / "ok_base.rules").read_text(encoding="utf-8")
    (tmp_path / "a.rules").write_text(base, encoding="utf-8")
    (tmp_path / "b.rules").write_text("input event broken(x: state\n", encoding="utf-8")
    top = tmp_path / "top.rules"
    diags = client.open(top, 'include "a.rules"\ninclude "b.rules"\n')
    [d] = diags
    assert d["range"]["start"]["line"] == 1  # the second include, the one that leads to the broken file
    assert d["message"].startswith(f"in {tmp_path / 'b.rules'}:1:")


def test_editing_an_included_file_shows_its_problems_in_the_files_that_include_it(client: StdioClient,
                                                                                  tmp_path: Path) -> None:
    included = tmp_path / "base.rules"
    text = (ROOT / "tests" / "golden" / "ok_base.rules").read_text(encoding="utf-8")
    included.write_text(text, encoding="utf-8")
    top = tmp_path / "top.rules"
    assert client.open(top, 'include "base.rules"\n') == []
    assert client.open(included, text) == []
    client.change(included, text.replace("input event asked(", "input event askd("))  # unsaved
    [d] = client.wait_for(lambda: next((m["params"]["diagnostics"] for m in reversed(client.notifications)
                                        if m.get("method") == "textDocument/publishDiagnostics"
                                        and m["params"]["uri"] == client.uri(top) and m["params"]["diagnostics"]),
                                       None), "the includer's diagnostics")
    assert d["range"]["start"]["line"] == 0 and "unknown predicate `asked`" in d["message"]
    assert included.read_text(encoding="utf-8") == text  # nothing saved


def test_an_analysis_under_way_never_shows_half(client: StdioClient) -> None:
    """Requests answered while the scenario is analysed again see the last analysis whole."""
    text = KZ.read_text(encoding="utf-8")
    client.open(KZ, text)
    uri = {"textDocument": {"uri": client.uri(KZ)}}
    before = client.request("textDocument/codeLens", uri)
    assert before
    for n in range(8):
        client.change(KZ, text.replace("title: Kazakhstan", f"title: Kazakhstan {n}"), wait=False)
        assert client.request("textDocument/codeLens", uri) == before
    client.diagnostics(KZ, client.versions[client.uri(KZ)])
    assert client.request("textDocument/codeLens", uri) == before


def test_a_lone_surrogate_is_a_text_like_any_other(client: StdioClient, tmp_path: Path) -> None:
    path = tmp_path / "odd.rules"
    diags = client.open(path, 'source x "\ud800" (\n')
    assert diags and diags[0]["severity"] == 1
