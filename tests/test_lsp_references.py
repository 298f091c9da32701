"""`treaty lsp` where a scenario refers to its own facts (flow-style `assume`, `remove`, `together_with`),
to articles (`basis:`, `because:`), and where one rule file includes another; and what it does not do
(prose is not code; an unfinished analysis is never half shown)."""

from __future__ import annotations

import json
import re
import time
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


FRANCE = ROOT / "scenarios" / "france-2015-teu-42-7.yaml"
GRENADA = ROOT / "scenarios" / "grenada-1983.yaml"
KUWAIT = ROOT / "scenarios" / "kuwait-1990.yaml"


def test_a_fact_is_named_only_by_the_keys_that_name_facts_and_within_its_variant(client: StdioClient) -> None:
    client.open(FRANCE)
    line, col = find(FRANCE, r"^  - event: armed_attack\(isil, france\)", "isil")
    value = hover(client, FRANCE, (line, col))
    assert value is not None and "ISIL/Daesh" in value  # the entity, on the event's own line
    value = hover(client, FRANCE, (line + 2, 6))  # `status: alleged` of the scenario's own event
    assert value is not None and value.startswith("**event** `armed_attack(isil, france)` on 2015-11-13")
    line, col = find(FRANCE, r'add_events:', "add_events")
    line += 1
    value = hover(client, FRANCE, (line, lines(FRANCE)[line].index("on: 2021") + 1))
    assert value is not None and value.startswith("**event** `armed_attack(isil, france)` on 2021-11-13")
    client.open(GRENADA)
    line, col = find(GRENADA, r'depends_on: \["invited\(grenada, united_states\) on 1983-10-24"', "invited")
    loc = client.request("textDocument/definition", client.at(GRENADA, line, col + 3))
    assert loc["range"]["start"]["line"] == find(GRENADA, r"^  - event: invited\(grenada, united_states\)$",
                                                 "event")[0]


def test_prose_that_names_a_fact_or_an_article_is_prose(client: StdioClient, tmp_path: Path) -> None:
    text = (ROOT / "tests" / "golden" / "ok_scenario.yaml").read_text(encoding="utf-8")
    text = text.replace("title: A small test case", "title: A small test case\ndescription: >\n"
                        "  The request requested(kazakhstan, russia, assistance) under un_charter 51.")
    path = tmp_path / "scenarios" / "prose.yaml"
    client.open(path, text)
    n = text.split("\n").index("  The request requested(kazakhstan, russia, assistance) under un_charter 51.")
    line = text.split("\n")[n]
    assert hover(client, path, (n, line.index("un_charter 51") + 12)) is None  # not Article 51's text
    got = hover(client, path, (n, line.index("requested") + 2))  # the word's meaning, not the scenario's event
    assert got is not None and got.startswith("```treaty\nrequested(by: state, of: entity, what: help)")
    loc = client.request("textDocument/definition", client.at(path, n, line.index("requested") + 2))
    assert loc["uri"] == client.uri(ROOT / "rules" / "un_charter.rules")


def test_the_last_event_covers_all_its_lines(client: StdioClient) -> None:
    client.open(KUWAIT)
    n = find(KUWAIT, r"^    id: res_678_authorisation", "id")[0]
    value = hover(client, KUWAIT, (n, 6))
    assert value is not None and value.startswith("**event** `council_authorised_force(")


def test_a_yaml_file_that_is_not_a_scenario_is_left_alone(client: StdioClient, tmp_path: Path) -> None:
    form = tmp_path / ".github" / "ISSUE_TEMPLATE" / "bug.yml"
    assert client.open(form, "name: Bug\ntitle: '[bug] '\nlabels: [bug]\nbody:\n  - type: textarea\n") == []
    assert client.request("textDocument/hover", client.at(form, 1, 2)) is None


def test_a_definition_is_not_given_where_the_text_has_moved_since_it_parsed(client: StdioClient) -> None:
    text = CST.read_text(encoding="utf-8")
    client.open(CST, text)
    moved = "# a\n" * 10 + text + "\nbogus\n"
    assert client.change(CST, moved)  # a syntax error at the end: the last parse is the old text's
    n = moved.split("\n").index("rule cst_4_1_all_1992 \"Aggression by a state against a State Party is against all\":")
    n += 1
    loc = client.request("textDocument/definition", client.at(CST, n, 5))  # aggression_against_all(V) on D
    assert loc is None  # (its declaration's place is that of the text before the ten lines were added)
    client.change(CST, text)  # parsed again: the place is right again
    n = line_of_text(text, 'rule cst_4_1_all_1992 "Aggression') + 1
    loc = client.request("textDocument/definition", client.at(CST, n, 5))
    assert loc["range"]["start"]["line"] == line_of_text(text, "derived event aggression_against_all")


def line_of_text(text: str, starts: str) -> int:
    return next(i for i, x in enumerate(text.split("\n")) if x.startswith(starts))


def test_closing_an_included_file_with_unsaved_edits_clears_its_includers(client: StdioClient, tmp_path: Path) -> None:
    included = tmp_path / "base.rules"
    text = (ROOT / "tests" / "golden" / "ok_base.rules").read_text(encoding="utf-8")
    included.write_text(text, encoding="utf-8")
    top = tmp_path / "top.rules"
    assert client.open(top, 'include "base.rules"\n') == []
    client.open(included, text)
    client.change(included, text + "\nbogus\n")

    def top_diagnostics(nonempty: bool):
        def found():
            for m in reversed(client.notifications):
                if m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == client.uri(top):
                    return m["params"]["diagnostics"] if bool(m["params"]["diagnostics"]) == nonempty else None
            return None
        return client.wait_for(found, "the includer's diagnostics")

    assert top_diagnostics(True)[0]["message"].startswith(f"in {included}:")
    client.close(included)  # its edits are gone: the disk's text is clean
    assert top_diagnostics(False) == []


def test_a_rule_file_closed_while_it_is_analysed_leaves_nothing_behind(client: StdioClient, tmp_path: Path) -> None:
    x = tmp_path / "x.rules"
    x.write_text((ROOT / "tests" / "golden" / "ok_base.rules").read_text(encoding="utf-8"), encoding="utf-8")
    unsaved = "# a long comment\n" * 100_000 + x.read_text(encoding="utf-8") + "bogus\n"
    client.open(x, unsaved, wait=False)
    time.sleep(0.1)  # its analysis has begun (it takes about 0.3 s)
    client.close(x)  # before it ends
    assert client.open(tmp_path / "y.rules", 'include "x.rules"\n') == []  # x as saved: clean
