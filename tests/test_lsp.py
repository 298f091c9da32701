"""`treaty lsp` driven over stdio by a real client (engine/lsp/client.py: JSON-RPC with Content-Length
headers), on the shipped files and the broken-input goldens (issue 17)."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import run

from engine.lsp.client import StdioClient

ROOT = Path(__file__).resolve().parent.parent
CST = ROOT / "rules" / "cst.rules"
LAW = ROOT / "rules" / "customary_law.rules"
KZ = ROOT / "scenarios" / "kazakhstan-2022.yaml"
BAD_RULES = ROOT / "tests" / "golden" / "rules_bad" / "unknown_predicate.rules"
BAD_SCENARIO = ROOT / "tests" / "golden" / "scenarios_bad" / "bad_status.yaml"


@pytest.fixture(scope="module")
def client() -> Iterator[StdioClient]:
    c = StdioClient.start(cwd=ROOT)
    yield c
    assert c.shutdown() == 0
    assert c.logged(1) == []  # no handler failed


def line_of(path: Path, pattern: str) -> int:
    """The 0-based line of the first line matching ``pattern``."""
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines()) if re.search(pattern, line))


def rng(l1: int, c1: int, l2: int, c2: int) -> dict:
    return {"start": {"line": l1, "character": c1}, "end": {"line": l2, "character": c2}}


def apply(text: str, edits: list[dict]) -> str:
    """A workspace edit's text edits applied to a text (on one line each, as the quick fixes are)."""
    lines = text.split("\n")
    for e in sorted(edits, key=lambda e: (e["range"]["start"]["line"], e["range"]["start"]["character"]),
                    reverse=True):
        s, t = e["range"]["start"], e["range"]["end"]
        assert s["line"] == t["line"]
        line = lines[s["line"]]
        lines[s["line"]] = line[: s["character"]] + e["newText"] + line[t["character"]:]
    return "\n".join(lines)


# ---- diagnostics, with exact ranges, and the quick fix of a did-you-mean -------------------------


def test_a_broken_rule_file_has_its_diagnostic_and_the_quick_fix_mends_it(client: StdioClient) -> None:
    text = BAD_RULES.read_text(encoding="utf-8")
    diags = client.open(BAD_RULES, text)
    assert diags == [{"range": rng(18, 7, 18, 11), "severity": 1, "source": "treaty",
                      "message": "unknown predicate `askd`\nhint: did you mean `asked`?", "data": {"replace": "asked"}}]
    actions = client.request("textDocument/codeAction", {
        "textDocument": {"uri": client.uri(BAD_RULES)}, "range": diags[0]["range"],
        "context": {"diagnostics": diags}})
    assert [(a["title"], a["kind"], a["isPreferred"]) for a in actions] == [("Change to `asked`", "quickfix", True)]
    # a file that has never checked clean still completes what it declares
    got = [i["label"] for i in client.request("textDocument/completion", client.at(BAD_RULES, 18, 9))["items"]]
    assert {"asked", "attacked", "helped", "all_attacked"} <= set(got)
    edits = actions[0]["edit"]["changes"][client.uri(BAD_RULES)]
    assert edits == [{"range": rng(18, 7, 18, 11), "newText": "asked"}]
    fixed = apply(text, edits)
    assert "       asked(V, M) on D," in fixed.split("\n")
    assert client.change(BAD_RULES, fixed) == []  # the file is clean once the fix is applied
    client.close(BAD_RULES)
    assert BAD_RULES.read_text(encoding="utf-8") == text  # nothing written


def test_a_broken_scenario_has_its_diagnostic_and_the_quick_fix_mends_it(client: StdioClient) -> None:
    text = BAD_SCENARIO.read_text(encoding="utf-8")
    diags = client.open(BAD_SCENARIO, text)
    assert diags == [{"range": rng(13, 12, 13, 20), "severity": 1, "source": "treaty", "data": {"replace": "alleged"},
                      "message": "events[0].status: `alledged` is not one of: established, alleged, disputed, denied"
                                 "\nhint: did you mean `alleged`?"}]
    actions = client.request("textDocument/codeAction", {
        "textDocument": {"uri": client.uri(BAD_SCENARIO)}, "range": diags[0]["range"],
        "context": {"diagnostics": diags}})
    fixed = apply(text, actions[0]["edit"]["changes"][client.uri(BAD_SCENARIO)])
    assert "    status: alleged" in fixed.split("\n")
    assert client.change(BAD_SCENARIO, fixed) == []
    client.close(BAD_SCENARIO)


def test_an_error_found_as_you_type_goes_when_it_is_mended(client: StdioClient) -> None:
    """Incremental edits, as an editor sends them: a typo in an event's predicate, then its mending."""
    path = ROOT / "tests" / "golden" / "ok_scenario.yaml"
    text = path.read_text(encoding="utf-8")
    assert client.open(path, text) == []
    n = line_of(path, r"event: requested\(")
    col = text.split("\n")[n].index("requested")
    version = client.edit(path, (n, col + 3), (n, col + 4), "")  # requested -> reqested
    [d] = client.diagnostics(path, version)
    assert d["range"]["start"] == {"line": n, "character": col}
    assert d["message"].startswith("unknown predicate `reqested`") and d["data"] == {"replace": "requested"}
    version = client.edit(path, (n, col + 3), (n, col + 3), "u")
    assert client.diagnostics(path, version) == []
    client.close(path)


def test_warnings_of_check_are_warnings(client: StdioClient, tmp_path: Path) -> None:
    """What `treaty check` says on standard error (a new state named like a known one) is a warning here."""
    path = ROOT / "tests" / "golden" / "ok_scenario.yaml"
    text = path.read_text(encoding="utf-8").replace("  russia: {kind: state, name: Russia}",
                                                    "  russia: {kind: state, name: Russia}\n"
                                                    "  kazakstan: {kind: state, name: Kazakstan}")
    scratch = tmp_path / "scenario.yaml"
    scratch.write_text(text, encoding="utf-8")
    code, _, err = run("check", str(scratch))
    diags = client.open(scratch, text)
    assert code == 0 and "warning:" in err
    assert [d["severity"] for d in diags] == [2]
    assert diags[0]["message"].split("\n")[0] in err
    client.close(scratch)


# ---- hover ----------------------------------------------------------------------------------------


def test_hover_on_an_article_shows_its_text_authentic_and_translated(client: StdioClient) -> None:
    client.open(CST)
    n = line_of(CST, r'^article 4\(2\) .* version "1992"')
    hover = client.request("textDocument/hover", client.at(CST, n, 9))
    value = hover["contents"]["value"]
    assert hover["contents"]["kind"] == "markdown"
    assert value.startswith("**Collective Security Treaty, Article 4(2)** — Assistance, including military, in "
                            'collective defence (version "1992")')
    assert "*[ru, authentic]* — source `cst_ru_1992_art4`" in value
    assert "> В случае совершения акта агрессии против любого из государств - участников все остальные" in value
    assert "*[en, translation: the CSTO's own English rendering, in a news item of 2020]*" in value
    assert "> collective defense in accordance with the Article 51 of the UN Charter." in value


def hover_text(client: StdioClient, path: Path, pattern: str, column: int) -> str:
    """The hover over a column of the first line matching ``pattern``."""
    client.open(path)
    return client.request("textDocument/hover", client.at(path, line_of(path, pattern), column))["contents"]["value"]


def test_hover_on_a_rule_shows_its_title_and_its_articles_text(client: StdioClient) -> None:
    value = hover_text(client, CST, r"^rule cst_4_2_assist_2010 ", 8)
    assert value.startswith("**rule `cst_4_2_assist_2010`** — At the victim's request the other States Parties "
                            "immediately assist")
    assert "Article 4(2)** — Assistance at the victim's request, immediately" in value
    assert "*[en, translation: working translation by the treaty-engine authors, not official]*" in value


def test_hover_on_a_predicate_an_entity_and_a_scenario_fact(client: StdioClient) -> None:
    value = hover_text(client, CST, r"^input event assistance_provided", 14)
    assert value.startswith("```treaty\nassistance_provided(by: entity, to: state)\n```\ninput event")
    assert "the first provided assistance (of any kind, military included) to the second" in value
    assert "Read by: `cst`" in value

    client.open(KZ)
    n = line_of(KZ, r"event: armed_attack\(foreign_trained_gangs, kazakhstan\)")
    line = KZ.read_text(encoding="utf-8").split("\n")[n]
    value = client.request("textDocument/hover", client.at(KZ, n, line.index("kazakhstan")))["contents"]["value"]
    assert value.startswith("**Kazakhstan** (`kazakhstan`) — state")
    assert "- party to *Collective Security Treaty* from 1994-04-20" in value
    value = client.request("textDocument/hover", client.at(KZ, n + 2, 6))["contents"]["value"]  # `status: alleged`
    findings = json.loads(run("check", str(KZ), "--format", "json")[1])
    fact = "armed_attack(foreign_trained_gangs, kazakhstan)"
    depending = [c for c in findings["conclusions"] if any(d["id"] == fact for d in c["depends_on"])]
    assert value.startswith(f"**event** `{fact}` on 2022-01-05\n\nstatus: **alleged** (contested")
    assert "source `aboutlyrics`: " in value
    assert f"{len(depending)} conclusions depend on it:" in value and len(depending) >= 5


# ---- completion -----------------------------------------------------------------------------------


def labels(result: dict) -> list[str]:
    return [i["label"] for i in result["items"]]


def test_completion_of_predicates_with_placeholders_and_of_entities(client: StdioClient) -> None:
    text = KZ.read_text(encoding="utf-8")
    client.open(KZ, text)
    n = line_of(KZ, r"^  - event: threat_to_security\(kazakhstan\)")
    version = client.edit(KZ, (n, 11), (n, len(text.split("\n")[n])), "")  # `  - event: ` and nothing after
    client.diagnostics(KZ, version)
    items = client.request("textDocument/completion", client.at(KZ, n, 11))["items"]
    requested = next(i for i in items if i["label"] == "requested")
    assert requested["insertText"] == "requested(${1:by}, ${2:of}, ${3:what})"
    assert requested["insertTextFormat"] == 2  # a snippet
    assert "armed_attack" in labels({"items": items}) and "party" not in labels({"items": items})  # inputs only
    version = client.edit(KZ, (n, 11), (n, 11), "requested(kazakhstan, ")
    client.diagnostics(KZ, version)
    got = labels(client.request("textDocument/completion", client.at(KZ, n, 11 + len("requested(kazakhstan, "))))
    assert {"foreign_trained_gangs", "kazakhstan", "russia", "armenia", "assistance"} <= set(got)
    n_status = line_of(KZ, r"^    status: alleged")
    got = labels(client.request("textDocument/completion", client.at(KZ, n_status, 12)))
    assert got == ["established", "alleged", "disputed", "denied"]
    client.close(KZ)


def test_completion_in_a_rule_file(client: StdioClient) -> None:
    client.open(LAW)
    n = line_of(LAW, r"^priority cil_individual over cil_no_force")
    got = labels(client.request("textDocument/completion", client.at(LAW, n, len("priority cil_individual over "))))
    assert "cil_no_force" in got and "un_2_4_no_force" in got
    n = line_of(CST, r"^  obligation M hold_joint_consultations towards V")
    client.open(CST)
    got = labels(client.request("textDocument/completion", client.at(CST, n + 1, 7)))
    assert {"threat_to_security", "party", "armed_attack"} <= set(got)


# ---- go to definition, outline, code lens ---------------------------------------------------------


def test_go_to_definition_of_a_rule_id_in_a_priority(client: StdioClient) -> None:
    client.open(LAW)
    n = line_of(LAW, r"^priority cil_collective_for_non_member over un_2_4_no_force")
    text = LAW.read_text(encoding="utf-8").split("\n")[n]
    loc = client.request("textDocument/definition", client.at(LAW, n, text.index("un_2_4_no_force") + 2))
    charter = ROOT / "rules" / "un_charter.rules"
    target = line_of(charter, r"^rule un_2_4_no_force\b")
    assert loc == {"uri": client.uri(charter), "range": rng(target, 5, target, 5 + len("un_2_4_no_force"))}


def test_go_to_definition_of_a_predicate_a_source_and_a_scenario_entity(client: StdioClient) -> None:
    client.open(CST)
    n = line_of(CST, r"^  when threat_to_security\(V\) on D,")
    loc = client.request("textDocument/definition", client.at(CST, n, 9))
    decl = line_of(CST, r"^input event threat_to_security")
    assert loc["uri"] == client.uri(CST) and loc["range"]["start"]["line"] == decl
    client.open(KZ)
    n = line_of(KZ, r"^  - event: armed_attack\(foreign_trained_gangs")
    loc = client.request("textDocument/definition", client.at(KZ, n, 26))
    assert loc["range"]["start"]["line"] == line_of(KZ, r"^  foreign_trained_gangs:")
    loc = client.request("textDocument/definition", client.at(KZ, n + 3, 14))  # `source: aboutlyrics`
    assert loc["range"]["start"]["line"] == line_of(KZ, r"^  aboutlyrics:")


def test_outline_of_a_rule_file_and_of_a_scenario(client: StdioClient) -> None:
    client.open(CST)
    symbols = client.request("textDocument/documentSymbol", {"textDocument": {"uri": client.uri(CST)}})
    [cst] = [s for s in symbols if s["name"] == "cst"]
    articles = [a["name"] for a in cst["children"]]
    assert articles[:4] == ['Article 2(2) (version "1992")', 'Article 2(2) (version "2010")',
                            'Article 4(1) (version "1992")', 'Article 4(1) (version "2010")']
    art42 = next(a for a in cst["children"] if a["name"] == 'Article 4(2) (version "2010")')
    assert "cst_4_2_assist_2010" in [r["name"] for r in art42["children"]]
    client.open(KZ)
    symbols = client.request("textDocument/documentSymbol", {"textDocument": {"uri": client.uri(KZ)}})
    by_name = {s["name"]: s for s in symbols}
    events = [e["name"] for e in by_name["events"]["children"]]
    assert events[:2] == ["armed_attack(foreign_trained_gangs, kazakhstan)", "threat_to_security(kazakhstan)"]
    assert len(events) == KZ.read_text(encoding="utf-8").split("\nevents:")[1].split("\nsettings:")[0].count("event:")
    import yaml

    variants = list(yaml.safe_load(KZ.read_text(encoding="utf-8"))["variants"])
    assert [v["name"] for v in by_name["variants"]["children"]] == variants
    assert variants[:2] == ["attack_established", "attack_denied"]


def test_code_lens_counts_the_conclusions_that_depend_on_each_contested_fact(client: StdioClient) -> None:
    client.open(KZ)
    lenses = client.request("textDocument/codeLens", {"textDocument": {"uri": client.uri(KZ)}})
    findings = json.loads(run("check", str(KZ), "--format", "json")[1])
    expected = []
    for fact in findings["contested"]:
        n = sum(1 for c in findings["conclusions"]
                if fact["id"] in {d["id"] for d in c["depends_on"]}
                | {d["id"] for ds in c["status_depends_on"].values() for d in ds})
        what = f"this {fact['status']} fact" if fact["status"] != "established" else "this fact's disputed date"
        expected.append(f"{n} conclusion{'s' if n != 1 else ''} depend{'s' if n == 1 else ''} on {what}")
    assert [lens["command"]["title"] for lens in lenses] == expected
    assert expected[0] == "16 conclusions depend on this alleged fact"  # the attack: every CST 4(2) duty, ...
    assert lenses[0]["range"]["start"]["line"] == line_of(KZ, r"^  - event: armed_attack\(foreign_trained_gangs")


# ---- robustness -----------------------------------------------------------------------------------


def test_a_file_over_the_size_limit_is_not_analysed(tmp_path: Path) -> None:
    big = tmp_path / "big.rules"
    text = "# a comment\n" * 200
    with StdioClient.start(["--max-file-size", "0.001"], cwd=ROOT) as c:
        [d] = c.open(big, text)
        assert d["message"].startswith("the file is too large (2,400 bytes; the limit is 1,000): not analysed")
        assert d["range"] == rng(0, 0, 0, 1)
        assert c.request("textDocument/hover", c.at(big, 0, 3)) is None


def test_a_handler_that_fails_is_logged_and_the_server_goes_on() -> None:
    """A bug in hover (put there by this test) answers nothing and says why in the client's log."""
    boom = ("import sys; import engine.lsp.rule_features as f\n"
            "def hover(*a): raise ZeroDivisionError('planted by the test')\n"
            "f.hover = hover\n"
            "from engine.tools.cli import main; sys.argv = ['treaty', 'lsp']; main()")
    with StdioClient.start(command=[sys.executable, "-c", boom], cwd=ROOT) as c:
        c.open(CST)
        assert c.request("textDocument/hover", c.at(CST, 100, 3)) is None
        [logged] = c.logged(1)
        assert logged.startswith("treaty lsp: hover failed: ZeroDivisionError: planted by the test")
        assert c.request("textDocument/documentSymbol", {"textDocument": {"uri": c.uri(CST)}})  # still serving
    assert c.proc.returncode == 0


def test_saving_a_rule_file_reloads_the_rule_base_scenarios_are_checked_against(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    base = rules / "base.rules"
    base.write_text((ROOT / "tests" / "golden" / "ok_base.rules").read_text(encoding="utf-8"), encoding="utf-8")
    scenario = tmp_path / "scenarios" / "case.yaml"
    scenario.parent.mkdir()
    scenario.write_text("title: A case\nas_of: 2005-06-01\nsources:\n  s1: {cite: A source}\nevents:\n"
                        "  - {event: 'attacked(beta, alpha)', on: 2005-01-01, status: established, source: s1}\n",
                        encoding="utf-8")
    assert run("check", str(scenario), "--rules", str(rules))[0] == 0
    with StdioClient.start(["--rules", str(rules)], cwd=tmp_path) as c:
        assert c.open(scenario) == []
        c.open(base)
        base.write_text(base.read_text(encoding="utf-8").replace("attacked", "assaulted"), encoding="utf-8")
        c.notify("textDocument/didSave", {"textDocument": {"uri": c.uri(base)}})
        [d] = c.wait_for(lambda: next((m["params"]["diagnostics"] for m in reversed(c.notifications)
                                       if m.get("method") == "textDocument/publishDiagnostics"
                                       and m["params"]["uri"] == c.uri(scenario) and m["params"]["diagnostics"]),
                                      None), "the scenario's new diagnostics")
        assert d["message"].split("\n")[0] == "unknown predicate `attacked`"  # the rule file as saved


def test_completion_and_hover_in_a_scenarios_expectations_and_readings(client: StdioClient) -> None:
    client.open(KZ)
    n = line_of(KZ, r"^    basis: cst 4\(2\)")
    got = labels(client.request("textDocument/completion", client.at(KZ, n, len("    basis: "))))
    assert {"cst_4_2_assist_2010", "cst 4(2)", "un_charter 51"} <= set(got)
    value = client.request("textDocument/hover", client.at(KZ, n, len("    basis: cst 4(")))["contents"]["value"]
    assert "**Collective Security Treaty, Article 4(2)** — Assistance, including military" in value
    assert "**Collective Security Treaty, Article 4(2)** — Assistance at the victim's request, immediately" in value
    n = line_of(KZ, r"^  cst_aggression_non_state: open")
    got = labels(client.request("textDocument/completion", client.at(KZ, n, len("  cst_aggression_non_state: "))))
    assert got == ["open", "state_aggression_only", "any_armed_attack"]
    got = labels(client.request("textDocument/completion", client.at(KZ, n, 2)))
    assert {"cst_aggression_non_state", "art51_non_state", "armed_attack_gravity"} <= set(got)


def test_rule_files_complete_symbols_instruments_and_articles_and_find_sources_and_states(client: StdioClient) -> None:
    text = CST.read_text(encoding="utf-8")
    client.open(CST, text)
    n = line_of(CST, r"^  when attack_location\(V, outside_own_territory\) on D,")
    got = labels(client.request("textDocument/completion", client.at(CST, n, len("  when attack_location(V, "))))
    assert {"outside_own_territory", "kazakhstan", "cst"} <= set(got)  # a declared area, a party, an instrument
    n = line_of(CST, r"^  in accordance with un_charter article 51\.")
    got = labels(client.request("textDocument/completion", client.at(CST, n, len("  in accordance with "))))
    assert {"un_charter", "cst", "csto"} <= set(got)  # (csto: the CST's alias)
    got = labels(client.request("textDocument/completion",
                                client.at(CST, n, len("  in accordance with un_charter article "))))
    assert got == ["2(4)", "42", "51"]
    value = client.request("textDocument/hover", client.at(CST, n, len("  in accordance with un_charter article 5")))
    assert value["contents"]["value"].startswith("**Charter of the United Nations, Article 51**")
    edited = text.split("\n")
    edited[n] = "  in accordance with cst article "
    client.change(CST, "\n".join(edited))
    got = labels(client.request("textDocument/completion", client.at(CST, n, len(edited[n]))))
    assert got == ["2(2)", "4(1)", "4(2)", "4(3)"]  # each once, whatever its versions
    client.change(CST, text)
    # a source named in a text block's header, and a state, to where they are declared
    n = line_of(CST, r'^  text ru authentic source cst_ru_1992_art4 """')
    loc = client.request("textDocument/definition", client.at(CST, n, len("  text ru authentic source cst_")))
    assert loc["range"]["start"]["line"] == line_of(CST, r"^source cst_ru_1992_art4 ")
    n = line_of(CST, r"^party kazakhstan ")
    loc = client.request("textDocument/definition", client.at(CST, n, 8))
    charter = ROOT / "rules" / "un_charter.rules"  # its first party entry: in the Charter's list, which cst includes
    assert loc["uri"] in (client.uri(CST), client.uri(charter))
    first = line_of(Path(loc["uri"].removeprefix("file://")), r"^party kazakhstan ")
    assert loc["range"]["start"]["line"] == first
