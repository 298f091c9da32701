"""Derivations from the solver (engine/reasoning/derivation.py) against the check alone and today's explanations.

    python benchmarks/derivation.py [DIR] [--events 10000] [--contested 8] [--runs 3]

Writes the synthetic world (benchmarks/world.py) to DIR (a temporary directory if not given), then
prints medians of RUNS in-process runs (rules loaded once, scenario read once):

- the check alone: ``analyse``;
- the check and the derivation of every conclusion: the support program ground once, one model
  per reading needed (``Deriver.derive`` for each te_concl of the brave consequences);
- the check and today's explanations of every conclusion (``explainer().why_all()``);
- how much of the check, and of the check and derivations, is CPython's cycle collector (with the
  default thresholds it scans the whole heap again and again while a run builds its objects; the
  command line tunes it, an in-process caller keeps its own settings);

and the same on Kazakhstan for one conclusion (Russia's CST Article 4(2) duty). The targets of
issue 12: every conclusion of the 10^4-event world explained in <= 2x its check; one explanation on
Kazakhstan <= 50 ms more than its check.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import clingo  # noqa: E402
from world import write_world  # noqa: E402

from engine import load_rules, load_scenario  # noqa: E402
from engine.pipeline import analyse  # noqa: E402
from engine.reasoning.deriver import Deriver  # noqa: E402

KZ = ROOT / "scenarios" / "kazakhstan-2022.yaml"


def median_s(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


class Collector:
    """The time CPython's cycle collector takes (``spent``, from the moment it is made)."""

    def __init__(self) -> None:
        self.spent = self._start = 0.0
        gc.callbacks.append(self._tick)

    def _tick(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._start = time.perf_counter()
        else:
            self.spent += time.perf_counter() - self._start

    def close(self) -> None:
        gc.callbacks.remove(self._tick)


def conclusions(a) -> list[clingo.Symbol]:
    return [s for s in a.solution.brave if s.name == "te_concl"]


def derive_all(a, read: bool = False) -> tuple[int, int]:
    """Derive every conclusion (``read``: and read what a why-tree shows of each node: its rule, its
    ground body and its in-force bounds); (derivations, readings solved for)."""
    deriver = Deriver.of(a.solution)
    found = deriver.derive_all(conclusions(a))
    assert all(d is not None for d in found.values())
    shown = []
    if read:
        for d in found.values():
            for node in d.order:  # type: ignore[union-attr]
                shown.append((node.rule, node.body, node.in_force))
    return len(found), len({id(d.reading) for d in found.values() if d is not None})


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("out", nargs="?", type=Path)
    ap.add_argument("--events", type=int, default=10_000)
    ap.add_argument("--contested", type=int, default=8)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--kz-runs", type=int, default=9)
    ap.add_argument("--skip-explain", action="store_true", help="leave out today's explanations (slow)")
    args = ap.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="treaty-derivation-bench-"))
    rules_dir, scenario_path = write_world(out, events=args.events, contested=args.contested)
    rules = load_rules(rules_dir)
    scenario = load_scenario(scenario_path)

    first = analyse(rules, scenario)
    n = len(conclusions(first))
    _, readings = derive_all(first)
    check = median_s(lambda: analyse(rules, scenario), args.runs)
    derived = median_s(lambda: derive_all(analyse(rules, scenario)), args.runs)
    derived_read = median_s(lambda: derive_all(analyse(rules, scenario), read=True), args.runs)
    collector = Collector()  # in the same runs again: the collector's part of the check, and of the whole
    check_gc, read_gc = [], []
    for _ in range(args.runs):
        collector.spent = 0.0
        analyse(rules, scenario)
        check_gc.append(collector.spent)
        collector.spent = 0.0
        derive_all(analyse(rules, scenario), read=True)
        read_gc.append(collector.spent)
    collector.close()

    # the parts of one derivation run, on one analysis
    a = analyse(rules, scenario)
    deriver = Deriver.of(a.solution)
    ground = median_s(deriver.ground, 1)
    targets = conclusions(a)
    solve_and_walk = median_s(lambda: deriver.derive_all(targets), 1)
    walk = median_s(lambda: deriver.derive_all(targets), 1)  # the readings found are kept

    rows = [(f"check ({args.events} events, {args.contested} contested; {n} conclusions)", check),
            (f"check + derive all {n} ({readings} readings solved)", derived),
            (f"check + derive all {n}, reading each node's rule, body and bounds", derived_read)]
    if not args.skip_explain:
        def explain_all() -> None:
            b = analyse(rules, scenario)
            b.explainer().why_all()  # (each conclusion's why(), its readings staged at once)
        rows.append((f"check + explain.py why_all() {len(first.findings.conclusions)}",
                     median_s(explain_all, args.runs)))

    kz_rules = load_rules()
    kz = load_scenario(KZ)
    target = clingo.parse_term("te_concl(obligation,cst_4_2_assist_2010,russia,provide_assistance,kazakhstan,738160)")
    kz_check = median_s(lambda: analyse(kz_rules, kz), args.kz_runs)

    def kz_one() -> None:
        d = Deriver.of(analyse(kz_rules, kz).solution).derive(target)
        assert d is not None

    def kz_explain() -> None:
        b = analyse(kz_rules, kz)
        [c] = [c for c in b.findings.obligations(bearer="russia") if c.basis.rule == "cst_4_2_assist_2010"]
        b.explainer().why(c.id)

    kz_derive = median_s(kz_one, args.kz_runs)
    kz_why = median_s(kz_explain, args.kz_runs)

    print(f"| what (median of {args.runs}; Kazakhstan: of {args.kz_runs}) | ms | x check |")
    print("|---|---:|---:|")
    for label, s in rows:
        print(f"| {label} | {1000 * s:.0f} | {s / check:.2f} |")
    print(f"| of which (check; check + derive all, reading each node): CPython's cycle collector | "
          f"{1000 * statistics.median(check_gc):.0f}; {1000 * statistics.median(read_gc):.0f} | |")
    print(f"| of which: ground the support program once | {1000 * ground:.0f} | |")
    print(f"| of which: solve {readings} readings, stage them, walk {n} derivations | {1000 * solve_and_walk:.0f} | |")
    print(f"| of which: walk {n} derivations in readings already staged | {1000 * walk:.0f} | |")
    print(f"| Kazakhstan: check | {1000 * kz_check:.1f} | 1.00 |")
    print(f"| Kazakhstan: check + derive Russia's CST 4(2) duty | {1000 * kz_derive:.1f} | {kz_derive / kz_check:.2f} "
          f"(+{1000 * (kz_derive - kz_check):.1f} ms) |")
    print(f"| Kazakhstan: check + explain.py why() of it | {1000 * kz_why:.1f} | {kz_why / kz_check:.2f} "
          f"(+{1000 * (kz_why - kz_check):.1f} ms) |")


if __name__ == "__main__":
    main()
