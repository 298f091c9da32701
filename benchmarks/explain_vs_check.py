"""How long explaining every conclusion takes, next to `treaty check` alone.

Run: python benchmarks/explain_vs_check.py [SCENARIO] [--runs N]
Prints a Markdown table: medians of N runs, in-process (rules loaded once) and as cold processes.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from run import median_in_process  # noqa: E402  (benchmarks/run.py, beside this file)

from engine import load_rules  # noqa: E402
from engine.pipeline import analyse  # noqa: E402


def median_ms(fn, runs: int) -> float:
    return 1000 * median_in_process(fn, runs)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("scenario", nargs="?", default=str(ROOT / "scenarios" / "kazakhstan-2022.yaml"))
    ap.add_argument("--runs", type=int, default=9)
    args = ap.parse_args()
    rules = load_rules()
    a = analyse(rules, args.scenario)
    n = len(a.findings.conclusions)

    def check() -> None:
        analyse(rules, args.scenario)

    def explain_all() -> None:
        analyse(rules, args.scenario).explainer().why_all()

    def why_not() -> None:
        analyse(rules, args.scenario).explainer().why_not("obligation(uzbekistan, provide_assistance, kazakhstan)")

    cmd = [sys.executable, "-m", "engine"]
    rows = [
        ("check (in process, rules loaded)", median_ms(check, args.runs)),
        (f"check + explain all {n} conclusions (in process)", median_ms(explain_all, args.runs)),
        ("check + one why-not (in process)", median_ms(why_not, args.runs)),
        ("`treaty check` (cold process)", median_ms(lambda: subprocess.run([*cmd, "check", args.scenario],
                                                                           capture_output=True, check=True),
                                                    args.runs)),
        (f"`treaty explain` all {n} (cold process)", median_ms(lambda: subprocess.run(
            [*cmd, "explain", args.scenario], capture_output=True, check=True), args.runs)),
    ]
    base = rows[0][1]
    print(f"| what ({Path(args.scenario).name}, median of {args.runs}) | ms | × check in process |")
    print("|---|---:|---:|")
    for label, ms in rows:
        print(f"| {label} | {ms:.1f} | {ms / base:.2f} |")


if __name__ == "__main__":
    main()
