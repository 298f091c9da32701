"""A duty discharged only after it ended is ended, not discharged (issue 15: ANZUS 2001 on the reading
that resolution 1373 ended the Article IV undertaking on 28 September; Australia acted on 17 October)."""

from __future__ import annotations

import json
from pathlib import Path

from helpers import run

from engine import evaluate

ROOT = Path(__file__).resolve().parent.parent
ANZUS = ROOT / "scenarios" / "anzus-2001.yaml"
ID = "anzus_iv_act/australia/act_to_meet_common_danger:constitutional_processes/united_states/2001-09-11"


def test_measures_after_the_end_do_not_discharge_and_the_explanation_says_so(rules, monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    textual = evaluate(rules, str(ANZUS), interpret={"art51_non_state": "includes_non_state",
                                                     "sc_measures_end_self_defence": "any_measures"})
    duty = textual.get(ID)
    assert (duty.status, duty.discharged_on, [d.isoformat() for d in duty.until.ended_on]) == (
        "ended", [], ["2001-09-28"])
    # on the default reading the Council's measures end nothing and the same measures discharge it
    default = evaluate(rules, str(ANZUS), interpret={"art51_non_state": "includes_non_state"})
    assert (default.get(ID).status, [d.isoformat() for d in default.get(ID).discharged_on]) == (
        "discharged", ["2001-10-17"])
    code, out, err = run("explain", f"{ANZUS.relative_to(ROOT)}::textual_reading_of_the_councils_measures", ID,
                         "--format", "json")
    assert code == 0, err
    texts = [c["text"] for c in json.loads(out)["tree"]["children"]]
    assert any(t.startswith("came after its end, so did not discharge it: measures_taken(australia") for t in texts)
    assert any(t.startswith("ended by: security_council_measures_necessary(united_states) on 2001-09-28")
               for t in texts)
