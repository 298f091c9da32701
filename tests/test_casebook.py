"""docs/casebook.md: the shipped cases side by side (issue 15). Everything in it but the one line per
case saying what the case teaches is generated here from the scenario files and the engine's answers
(`treaty compare` for the table); the test fails when the document differs, and
`pytest tests/test_casebook.py --update-golden` rewrites it."""

from __future__ import annotations

import re
from pathlib import Path

from helpers import run

from engine import evaluate
from engine.cases.scenario import load_scenario
from engine.outputs.common import md_text, summary

ROOT = Path(__file__).resolve().parent.parent
CASEBOOK = ROOT / "docs" / "casebook.md"

#: What each case teaches: the question a class would ask of it (the one hand-written line per case).
TEACHES = {
    "korea-1950": "What the Charter says when neither the victim nor the attacker is a Member; force on a "
                  "Council recommendation.",
    "suez-1956": "Self-defence claimed against raids of contested gravity; an ultimatum and intervention by "
                 "permanent members.",
    "hungary-1956": "An invitation by a government without control, after the previous one withdrew its consent.",
    "cuba-1962": "What a regional treaty can do with no armed attack (Rio Treaty Arts 6 and 8, not Art. 3).",
    "czechoslovakia-1968": "Whether Warsaw Pact Article 4, or an invitation the government denies, justifies an "
                           "invasion by the allies.",
    "afghanistan-1979": "An 'invitation' by the government that the intervening forces installed.",
    "falklands-1982": "Who was attacked and where decides the clause (NATO Art. 6, Rio Art. 3(3)), not who "
                      "owns the islands.",
    "grenada-1983": "Consent of a Governor-General against collective self-defence with no state attacked.",
    "nicaragua-1984": "Collective self-defence with no armed attack, no request at the time and no report "
                      "(ICJ, 1986).",
    "kuwait-1990": "Whether the Council's measures end self-defence when the same resolution affirms the right.",
    "anzus-2001": "How ANZUS Article IV reaches New York through Article V's 'metropolitan territory'.",
    "afghanistan-2001": "Self-defence against a non-state group and against the state said to harbour it.",
    "nato-2001-article5": "NATO Article 5 invoked for the first time, against a non-state attacker.",
    "georgia-2008": "Two competing claims of self-defence, and how far a right of self-defence reaches.",
    "crimea-2014": "Whether an ousted president's letter can be his state's consent.",
    "iraq-syria-2014": "The same campaign on consent in Iraq and on collective self-defence in Syria.",
    "france-2015-teu-42-7": "The EU's mutual assistance clause invoked after attacks by a non-state group.",
    "nagorno-karabakh-2020": "Why CST Article 4 never engaged for Armenia: fighting outside its territory, no "
                             "request.",
    "kazakhstan-2022": "Collective defence at the victim's request, against an alleged external aggression "
                       "(the headline case).",
    "armenia-2022-cst": "A CSTO member attacked on its own territory, and what the other members owed.",
    "kyrgyzstan-tajikistan-2022": "What the CST says when one member is accused of attacking another.",
    "israel-2023": "Whether Article 51 covers an attack by a non-state group from territory the state occupies.",
    "iran-israel-2024": "Whether a strike on a consulate building is an armed attack on the sending state.",
    "kursk-2024": "Whether the Russia-DPRK Treaty bound the DPRK, and from when.",
}


#: how a case file marks a disagreement with the sources that it has not mended (issue 15)
FINDING = re.compile(r"ENGINE (DISAGREES|CANNOT EXPRESS)")
#: ... and one it has: "formerly ENGINE DISAGREES", "both were ENGINE DISAGREES findings"
MENDED = re.compile(r"\b(formerly|were|was)\b[^.;:]{0,30}ENGINE", re.IGNORECASE)


def commented_disagreements(text: str) -> list[tuple[int, str]]:
    """The comment lines of a case file that mark a disagreement not mended, with their line numbers: a
    disagreement kept as a comment (no skipped variant) is listed in the casebook too, not missed."""
    return [(n, line.lstrip("# ").strip()) for n, line in enumerate(text.splitlines(), 1)
            if line.lstrip().startswith("#") and FINDING.search(line) and not MENDED.search(line)]


def test_a_disagreement_said_only_in_a_comment_is_found():
    text = ("title: t\n# ENGINE DISAGREES: the rules give Egypt a right\n"
            "# formerly ENGINE DISAGREES, mended\n# both were ENGINE DISAGREES findings\n"
            "description: >\n  ENGINE DISAGREES in a text, not a comment\n")
    assert commented_disagreements(text) == [(2, "ENGINE DISAGREES: the rules give Egypt a right")]


def casebook_text(rules) -> str:
    files = sorted((ROOT / "scenarios").glob("*.yaml"))
    out = ["# Casebook", "",
           "Twenty-four historical cases, each written from its sources before it was run: every fact with its",
           "status and source, contested facts contested, open questions of law left open. Each file's",
           "`expect:` blocks state the outcome the sources support; where the engine does not reach it, the",
           "expectation is kept in a variant marked `skip:` with the reason, or in a comment marked `ENGINE",
           "DISAGREES` (each listed below, under its case), a finding for the rules, not an expectation bent to",
           "fit; the comments of each file say what the case changed in the rules and what they still cannot",
           "express. `treaty test scenarios/` runs them all.", "",
           "This page is generated by `tests/test_casebook.py` (`--update-golden` rewrites it) from the",
           "scenario files and `treaty compare`; only the line saying what each case teaches is written by",
           "hand.", "", "## The cases", ""]
    for path in files:
        name = path.stem
        sc = load_scenario(str(path)).scenario
        f = evaluate(rules, str(path))
        out += [f"### {md_text(sc.title)}", "", f"`scenarios/{path.name}` · as of {sc.as_of.isoformat()}", "",
                f"*Teaches:* {TEACHES[name]}", "", f"*The engine:* {summary(f)}", ""]
        skipped = [(v, variant.skip) for v, variant in sorted(sc.variants.items()) if variant.skip]
        if skipped:
            out += ["*Known disagreements with the sources* (skipped variants):", ""]
            out += [f"- `{v}`: {md_text(reason or '')}" for v, reason in skipped]
            out.append("")
        noted = commented_disagreements(path.read_text(encoding="utf-8"))
        if noted:
            out += ["*Known disagreements with the sources* (said in the file's comments):", ""]
            out += [f"- line {n}: {md_text(line)}" for n, line in noted]
            out.append("")
    code, table, err = run("compare", *(str(p.relative_to(ROOT)) for p in files), "--format", "markdown")
    assert code == 0, err
    out += ["## Side by side", "", "`treaty compare scenarios/*.yaml --format markdown`:", "", table.rstrip("\n"), ""]
    return "\n".join(out)


def test_the_casebook_is_what_the_cases_and_the_engine_say(rules, monkeypatch, update_golden: bool) -> None:
    monkeypatch.chdir(ROOT)
    assert sorted(TEACHES) == sorted(p.stem for p in (ROOT / "scenarios").glob("*.yaml")), \
        "every case says what it teaches (TEACHES), and no other"
    text = casebook_text(rules)
    if update_golden:
        CASEBOOK.write_text(text, encoding="utf-8")
    assert CASEBOOK.read_text(encoding="utf-8") == text
