"""Synthetic but well-formed worlds for benchmarks, written as real rule and scenario files.

A world has N states (real UN Member ids, so as the shipped rule base spells them), T instruments
built on the pattern of CST Article 4 (an attack against one is against all; assistance at the
victim's request, due immediately, discharged by measures; measures reported to the Security
Council), E dated events and K contested (alleged) ones.

    python benchmarks/world.py OUT_DIR --states 193 --instruments 8 --events 10000 --contested 0
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

COMMON = '''# Vocabulary of the synthetic worlds (benchmarks only).
input event bench_attack(by: state, against: state) "an armed attack by the first against the second"
input event bench_request(by: state, of: state) "the first asked the second for assistance"
input event bench_measures(by: state, for: state, basis: symbol) "the first took measures for the second on the basis"
input event bench_informed(by: state, body: body) "the first informed the body of its measures"
'''

INSTRUMENT = '''include "bench_common.rules"

source bench{i} "Synthetic benchmark instrument {i} (treaty-engine benchmarks; not a real treaty)"

instrument bench_t{i} "Synthetic collective-defence treaty {i}"
  signed 1990-01-01
  in force 1990-01-01
  authentic en
  source bench{i}

parties source bench{i}
{parties}

derived event bench_t{i}_attack_against_all(victim: state) "an armed attack on a party counts against all (synthetic)"

article 1 "Attack against all"
  text en authentic source bench{i} """An armed attack against one Party is an attack against them all. (synthetic)"""

rule bench_t{i}_all "An armed attack on a Party is against all":
  bench_t{i}_attack_against_all(V) on D
  when bench_attack(_, V) on D,
       party(V, bench_t{i}) on D.

article 2 "Assistance at the request of the victim"
  text en authentic source bench{i} """At its request, made within 30 days, the other Parties immediately assist the
    Party attacked. (synthetic)"""

rule bench_t{i}_assist "At the victim's request the other Parties immediately assist":
  obligation M provide_assistance to V
  when bench_t{i}_attack_against_all(V) on A,
       bench_request(V, M) on D,
       A <= D,
       D <= A + 30 days,
       party(M, bench_t{i}) on D,
       M != V
  from D
  due immediately
  discharged by bench_measures(M, V, bench_t{i}).

article 3 "Reports"
  text en authentic source bench{i} """Measures taken are immediately reported to the Security Council. (synthetic)"""

rule bench_t{i}_report "Measures are immediately reported to the Security Council":
  notification M report_measures to un_security_council
  when bench_measures(M, _, bench_t{i}) on D,
       party(M, bench_t{i}) on D
  from D
  due immediately
  discharged by bench_informed(M, un_security_council).
'''


def member_ids() -> list[str]:
    """State ids as the shipped rule base spells them (UN Members admitted by 1995)."""
    text = (ROOT / "rules" / "un_charter.rules").read_text(encoding="utf-8")
    ids = re.findall(r'^party (\w+) "[^"]*" joined (\d{4})-\d\d-\d\d(?! left)(?:(?! left).)*$', text, re.M)
    return sorted({i for i, year in ids if int(year) <= 1995})


def write_world(out: Path, states: int = 193, instruments: int = 8, events: int = 1000, contested: int = 0,
                seed: int = 1) -> tuple[Path, Path]:
    """Write ``out/rules/*.rules`` and ``out/scenario.yaml``; return their paths."""
    rng = random.Random(seed)
    ids = member_ids()
    chosen = ids[:states] if states <= len(ids) else ids
    rules = out / "rules"
    if rules.exists():
        shutil.rmtree(rules)
    rules.mkdir(parents=True)
    (rules / "bench_common.rules").write_text(COMMON, encoding="utf-8")
    for i in range(instruments):
        members = sorted(rng.sample(chosen, k=max(2, len(chosen) // 2)))
        parties = "\n".join(f"party {m} joined 1990-01-01" for m in members)
        (rules / f"bench_t{i}.rules").write_text(INSTRUMENT.format(i=i, parties=parties), encoding="utf-8")
    start = date(2000, 1, 1)
    lines = ["title: Synthetic world", f"as_of: {start + timedelta(days=7300)}",
             "sources: {s: {cite: \"synthetic events (treaty-engine benchmarks)\"}}",
             "entities:", "  un_security_council: {kind: body, name: UN Security Council}"]
    lines += [f"  {s}: {{kind: state, name: {s}}}" for s in chosen]
    lines.append("events:")
    # incidents: an attack, requests within days, measures, reports (so conclusions grow with E, not E^2)
    n = 0
    while n < events:
        day = start + timedelta(days=rng.randrange(7200))
        attacker, victim = rng.sample(chosen, 2)
        incident = [(f"bench_attack({attacker}, {victim})", day)]
        for helper in rng.sample([s for s in chosen if s != victim], 3):
            asked = day + timedelta(days=rng.randrange(10))
            incident.append((f"bench_request({victim}, {helper})", asked))
            incident.append((f"bench_measures({helper}, {victim}, bench_t{rng.randrange(instruments)})",
                             asked + timedelta(days=rng.randrange(5))))
        incident.append((f"bench_informed({incident[-1][0].split('(')[1].split(',')[0]}, un_security_council)",
                         day + timedelta(days=rng.randrange(15))))
        for event, on in incident[: events - n]:
            status = "alleged" if n < contested else "established"
            lines.append(f'  - {{event: "{event}", on: {on}, status: {status}, source: s, id: e{n}}}')
            n += 1
    scenario = out / "scenario.yaml"
    scenario.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return rules, scenario


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("out", type=Path)
    ap.add_argument("--states", type=int, default=193)
    ap.add_argument("--instruments", type=int, default=8)
    ap.add_argument("--events", type=int, default=1000)
    ap.add_argument("--contested", type=int, default=0)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    rules, scenario = write_world(a.out, a.states, a.instruments, a.events, a.contested, a.seed)
    print(f"wrote {rules} and {scenario}")


if __name__ == "__main__":
    main()
