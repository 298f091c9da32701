"""Reports for people (issue 14, point 6): display names in text, Markdown and HTML (ids in JSON and
with --ids), a plain sentence per conclusion in the report, and an HTML report that reads at 1024 px
and prints."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from helpers import run

from engine import evaluate
from engine.outputs.common import Names
from engine.outputs.sentences import Sentences

ROOT = Path(__file__).resolve().parent.parent
KZ = str(ROOT / "scenarios" / "kazakhstan-2022.yaml")
NATO = str(ROOT / "scenarios" / "nato-2001-article5.yaml")
RUSSIA = "cst_4_2_assist_2010/russia/provide_assistance/kazakhstan/2022-01-05"


@pytest.fixture(scope="module")
def kazakhstan(rules):
    return evaluate(rules, KZ)


def test_the_json_keeps_ids_and_carries_the_names(kazakhstan) -> None:
    doc = json.loads(kazakhstan.to_json())
    assert doc["schema"] == "treaty-engine/findings/5"
    assert doc["names"] == {
        "armenia": "Armenia", "belarus": "Belarus",
        "csto_collective_security_council": "CSTO Collective Security Council",
        "foreign_trained_gangs": "Terrorist gangs trained abroad (as alleged)", "kazakhstan": "Kazakhstan",
        "kyrgyzstan": "Kyrgyzstan", "russia": "Russian Federation", "tajikistan": "Tajikistan",
        "un_secretary_general": "UN Secretary-General", "un_security_council": "UN Security Council"}
    assert doc["conclusions"][0]["bearer"] == "armenia"  # ids where programs match


def test_a_party_with_no_scenario_entity_is_named_by_the_rule_files(rules) -> None:
    f = evaluate(rules, NATO)
    assert f.names["united_states"] == "United States" and f.names["united_kingdom"] == "United Kingdom"
    assert "al_qaeda" in f.names  # the scenario's entities
    code, out, _ = run("check", NATO)
    assert code == 0 and "  United States: use force → " in out and "united_states:" not in out


@pytest.mark.parametrize("command", [("check",), ("check", "--format", "markdown"), ("explain", RUSSIA),
                                     ("compare", "--format", "markdown")])
def test_ids_instead_of_names_with_ids(command: tuple[str, ...]) -> None:
    name, *rest = command
    code, named, _ = run(name, KZ, *rest)
    assert code == 0
    code, ids, _ = run(name, KZ, *rest, "--ids")
    assert code == 0
    assert "provide assistance" in named and "provide_assistance" in ids
    if name != "compare":  # (its rows name actions, not entities)
        assert "Russian Federation" in named and "Russian Federation" not in ids


def test_report_and_diff_take_ids_too(tmp_path: Path) -> None:
    code, html, _ = run("report", KZ, "-o", "-", "--ids")
    assert code == 0 and "<td data-label=\"Bearer\">russia</td>" in html
    code, html, _ = run("report", KZ, "-o", "-")
    assert code == 0 and "<td data-label=\"Bearer\">Russian Federation</td>" in html
    code, out, _ = run("diff", KZ, f"{KZ}::attack_denied", "--ids")
    assert code == 0 and RUSSIA in out


def test_names_from_a_scenario_are_shown_not_obeyed(tmp_path: Path) -> None:
    text = Path(KZ).read_text(encoding="utf-8").replace(
        "russia: {kind: state, name: Russian Federation}",
        'russia: {kind: state, name: "Rus\\e[2Jsia <b>[x](javascript:alert(1))</b> & co"}')
    path = tmp_path / "kz.yaml"
    path.write_text(text, encoding="utf-8")
    code, out, _ = run("check", str(path))
    assert code == 0 and "\x1b" not in out and "Rus\\x1b[2Jsia <b>" in out
    code, md, _ = run("check", str(path), "--format", "markdown")
    assert code == 0 and "| Rus\\x1b\\[2Jsia &lt;b&gt;\\[x\\](javascript:alert(1))&lt;/b&gt; &amp; co |" in md
    code, _, _ = run("report", str(path), "-o", str(tmp_path / "r.html"))
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert code == 0 and "<b>[x]" not in html
    assert "Rus\x1b[2Jsia &lt;b&gt;[x](javascript:alert(1))&lt;/b&gt; &amp; co" in html


# ---- a sentence per conclusion ---------------------------------------------------------------------

SENTENCES = {
    RUSSIA: "The Russian Federation had to provide assistance to Kazakhstan from 5 January 2022, immediately (by "
            "8 January 2022 under the 3-day reading); it did on 6 January 2022 — if the alleged armed attack by "
            "Terrorist gangs trained abroad (as alleged) against Kazakhstan on 5 January 2022 is accepted and if "
            "the reading cst_aggression_non_state=any_armed_attack is taken (Is an armed attack by a non-state "
            "group that no State sent 'aggression' under Article 4 of the CST (2010 wording)? Yes).",
    "cst_4_3_inform/russia/report_measures/un_security_council/2022-01-06":
        "The Russian Federation had to report measures to the UN Security Council from 6 January 2022, "
        "immediately (by 9 January 2022 under the 3-day reading); it did on 7 January 2022 — in every reading.",
    "un_51_report_collective/russia/report_measures/un_security_council/2022-01-06":
        "The Russian Federation had to report measures to the UN Security Council from 6 January 2022, "
        "immediately (by 9 January 2022 under the 3-day reading); it had not done so by 20 January 2022 "
        "(overdue) — if the alleged armed attack by Terrorist gangs trained abroad (as alleged) against "
        "Kazakhstan on 5 January 2022 is accepted and if the reading art51_non_state=includes_non_state is "
        "taken (An armed attack by a non-state group engages Article 51 too).",
    "cst_4_3_charter/armenia/adhere_to_un_charter/kazakhstan/2022-01-07":  # (Armenia's unit was sent on the 7th)
        "Armenia had to adhere to un charter to Kazakhstan from 7 January 2022; it had not done so yet on "
        "20 January 2022 (pending) — in every reading.",
    "un_consent_force_on_territory/belarus/use_force_on_territory_of/kazakhstan/2022-01-05":
        "Belarus was permitted to use force on territory of Kazakhstan from 5 January 2022 until consent "
        "ended; it was still in effect on 20 January 2022 — in every reading.",
    "un_51_collective/tajikistan/use_force/foreign_trained_gangs/2022-01-05":
        "Tajikistan was permitted to use force against Terrorist gangs trained abroad (as alleged) from 5 January "
        "2022 until security council measures necessary; it was still in effect on 20 January 2022 — if the "
        "alleged armed attack by Terrorist gangs trained abroad (as alleged) against Kazakhstan on 5 January 2022 "
        "is accepted and if the reading art51_non_state=includes_non_state is taken (An armed attack by a "
        "non-state group engages Article 51 too).",
}


@pytest.mark.parametrize("cid", list(SENTENCES))
def test_the_kazakhstan_conclusions_in_a_sentence(kazakhstan, rules, cid: str) -> None:
    said = Sentences(kazakhstan, Names.of(kazakhstan), rules)
    assert said.sentence(kazakhstan.get(cid)) == SENTENCES[cid]


def test_a_status_that_turns_on_the_date_says_which_date(rules, tmp_path: Path) -> None:
    from test_disputed_dates import DISPUTED, case

    f = evaluate(rules, case(DISPUTED, {"event": "informed(poland, un_security_council, armed_attack)",
                                        "on": "2022-01-06"}))
    [report] = f.select("notification", bearer="poland")
    assert Sentences(f, Names.of(f), rules).sentence(report) == (
        "Poland had to report armed attack to the UN Security Council from 5 January 2022 or 6 January 2022, "
        "immediately (by 5 January 2022 or 6 January 2022 under the 0-day reading); it did in time if the armed "
        "attack by the Russian Federation against Poland was on 6 January 2022, it did late if the armed attack "
        "by the Russian Federation against Poland was on 5 January 2022 (it did on 6 January 2022) — in every "
        "reading.")


def test_the_report_says_each_conclusion_in_a_sentence() -> None:
    code, html, _ = run("report", KZ, "-o", "-")
    assert code == 0
    summaries = re.findall(r"<summary>(.*?)</summary>", html)
    assert len(summaries) == 42
    from html import unescape

    assert SENTENCES[RUSSIA] in [unescape(s) for s in summaries]  # (escaped as the template escapes: &#39; for ')
    code, md, _ = run("report", KZ, "-o", "-", "--format", "markdown")
    assert code == 0 and f"\n### {RUSSIA}\n\n{SENTENCES[RUSSIA]}\n\n```text\nWhy: Russian Federation" in md


def test_the_docs_quote_the_sentence_as_the_report_says_it() -> None:
    docs = " ".join((ROOT / "docs" / "findings.md").read_text(encoding="utf-8").replace("\n> ", " ").split())
    assert SENTENCES[RUSSIA] in docs


# ---- the HTML report at 1024 px and on paper -------------------------------------------------------


def test_the_html_report_wraps_its_tables_and_has_a_print_stylesheet() -> None:
    from engine.outputs.html import CSS

    code, html, _ = run("report", KZ, "-o", "-")
    assert code == 0
    assert "nowrap" not in CSS and "overflow-wrap:anywhere" in CSS  # cells wrap, long ids too
    narrow = CSS[CSS.index("@media print,(max-width:760px)"):CSS.index("@media print{")]
    # a card each below 760 px and on paper (tests/test_browser.py prints the report at A4 width)
    assert "table.findings td::before{content:attr(data-label)" in narrow
    print_css = CSS[CSS.index("@media print{"):]
    for rule in ("background:none", "break-inside:avoid",
                 'a[href^="http"]:not(.url)::after{content:" <" attr(href) ">"', "details::details-content",
                 "summary::-webkit-details-marker{display:none}"):
        assert rule in print_css, rule
    assert '<td data-label="Holds" class="some">' not in html  # (the label comes last)
    assert re.search(r'<td class="some" data-label="Holds"><a href="#', html)
