"""Every benchmark, each figure beside its floor measured in the same run; a Markdown table.

    python benchmarks/run.py            # prints the table and writes benchmarks/RESULTS.md
    python benchmarks/run.py --quick    # smaller worlds, for a try-out (not written to RESULTS.md)

Floors: (a) clingo alone on the already-compiled program and facts (benchmarks/floor_a.py);
(b) xclingo explaining the same program and facts (benchmarks/xclingo_floor.py, needs the
`bench` extra). Worlds come from benchmarks/world.py.
"""

from __future__ import annotations

import argparse
import copy
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import clingo  # noqa: E402
import yaml  # noqa: E402
from derivation import derive_all, median_s  # noqa: E402
from world import write_world  # noqa: E402

from engine import load_rules, load_scenario  # noqa: E402
from engine.cases.facts import scenario_to_facts  # noqa: E402
from engine.pipeline import analyse  # noqa: E402
from engine.reasoning.deriver import Deriver  # noqa: E402
from engine.reasoning.solve import STATUS_PROGRAM, Sweep, scenario_program  # noqa: E402
from engine.tools import batch  # noqa: E402
from engine.tools import jobs as batch_jobs  # noqa: E402

PY = sys.executable
KZ_RUSSIA = "cst_4_2_assist_2010/russia/provide_assistance/kazakhstan/2022-01-05"
KZ = ROOT / "scenarios" / "kazakhstan-2022.yaml"


def run_process(cmd: list[str], runs: int, timeout: float = 900) -> tuple[float, int]:
    """Median wall time of a command (stdout discarded) and its peak resident memory in MB."""
    times, peak = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT)
        _, status, usage = os.wait4(proc.pid, 0)
        times.append(time.perf_counter() - start)
        if os.waitstatus_to_exitcode(status) not in (0,):
            raise SystemExit(f"failed: {' '.join(cmd)}\n{proc.stderr.read().decode() if proc.stderr else ''}")
        peak = max(peak, usage.ru_maxrss // 1024)
    return statistics.median(times), peak


def floor_files(rules_path: str | None, scenario: Path, out: Path) -> tuple[str, str]:
    rules = load_rules(rules_path)
    facts = scenario_to_facts(load_scenario(scenario), rules)
    program, facts_text = out / "program.lp", out / "facts.lp"
    program.write_text(rules.program.text + STATUS_PROGRAM, encoding="utf-8")
    (out / "rules.lp").write_text(rules.program.text, encoding="utf-8")  # what xclingo explains
    facts_text.write_text(scenario_program(facts)[0], encoding="utf-8")
    return str(program), str(facts_text)


median_in_process = median_s  # the median of in-process runs, as benchmarks/derivation.py times them


def whatifs(n: int, seed: int) -> list[dict[str, str]]:
    rules = load_rules()
    ids = [it.id for it in scenario_to_facts(load_scenario(KZ), rules).items]
    rng = random.Random(seed)
    return [{i: rng.choice(["established", "alleged", "disputed", "denied"]) for i in rng.sample(ids, 3)}
            for _ in range(n)]


def whatif_jobs(ws: list[dict[str, str]], out: Path) -> list[batch.Job]:
    """The Kazakhstan scenario written once per what-if, with the statuses it changes."""
    from engine.cases.facts import _normalise

    out.mkdir(parents=True, exist_ok=True)
    base = yaml.load(KZ.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)  # every scalar as written
    for key in ("variants", "expect"):
        base.pop(key, None)
    paths = []
    for n, w in enumerate(ws):
        doc = copy.deepcopy(base)
        for section, field in (("facts", "fact"), ("events", "event")):
            for entry in doc.get(section, []):
                fid = entry.get("id") or _normalise(" ".join(entry[field].split()))
                if fid in w:
                    entry["status"] = w[fid]
        doc["settings"] = {k: int(v) for k, v in doc.get("settings", {}).items()}
        path = out / f"whatif-{n:04}.yaml"
        path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")
        paths.append(str(path))
    return batch.read_jobs(paths)


def floor_sweep(chunk: list[dict[str, str]]) -> int:
    """clingo alone: the same grounding, brave and cautious solves under assumptions, nothing decoded."""
    rules = load_rules()
    sweep = Sweep(scenario_to_facts(load_scenario(KZ), rules))
    literals = [[(sa, v) for sa, v in _assumptions(sweep, w)] for w in chunk]
    ctl = sweep.ctl
    for assumptions in literals:
        for mode in ("brave", "cautious"):
            ctl.configuration.solve.enum_mode = mode
            ctl.solve(assumptions=assumptions)
    return len(chunk)


def _assumptions(sweep: Sweep, w: dict[str, str]) -> list[tuple[clingo.Symbol, bool]]:
    out = []
    for idx, item in enumerate(sweep.facts.items):
        status = w.get(item.id, item.status.value)
        if status == "denied":
            out += [(s, False) for s in item.symbols]
        elif status == "established":
            out.append((item.symbols[0], True) if len(item.symbols) == 1 else
                       (clingo.Function("te_exactly_one", [clingo.Number(idx)]), True))
        n = sweep.occurrence[idx]
        out.append((clingo.Function("te_contested", [clingo.Number(n)]), status in ("alleged", "disputed")))
    return out


def machine() -> str:
    mem = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) // 1024 // 1024} GiB"
    except OSError:
        pass
    system = f"{platform.system()} {platform.release()}"
    return (f"{os.cpu_count()} cores, {mem} memory, {platform.processor() or platform.machine()}, "
            f"Python {platform.python_version()}, clingo {clingo.__version__}, {system}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    sizes = [100, 1000] if args.quick else [100, 1000, 10_000, 100_000]
    rows: list[tuple[str, str, str, str, str]] = []
    notes: list[str] = []
    tmp = Path(tempfile.mkdtemp(prefix="treaty-bench-"))
    started = time.perf_counter()

    def row(what: str, figure: str, floor: str, ratio: float | str, target: str) -> None:
        r = f"{ratio:.2f}" if isinstance(ratio, float) else ratio
        rows.append((what, figure, floor, r, target))
        print(f"| {what} | {figure} | {floor} | {r} | {target} |", flush=True)

    # an installed package has its bytecode compiled; a checkout run under PYTHONDONTWRITEBYTECODE
    # would otherwise compile the engine's modules again in every cold process it times
    subprocess.run([PY, "-m", "compileall", "-q", str(ROOT / "engine")], check=True, capture_output=True)
    print("| what | figure | floor (same run) | ratio | target |\n|---|---:|---:|---:|---|", flush=True)
    # 1. the headline scenario, cold process (the compiled-rule cache warm, as after a first run)
    run_process([PY, "-m", "engine", "check", str(KZ)], 1)
    kz_dir = tmp / "kz"
    kz_dir.mkdir()
    program, facts = floor_files(None, KZ, kz_dir)
    check, _ = run_process([PY, "-m", "engine", "check", str(KZ)], 9)
    floor, _ = run_process([PY, str(ROOT / "benchmarks" / "floor_a.py"), program, facts], 9)
    row("`treaty check` Kazakhstan, cold process (median of 9)", f"{check:.3f} s", f"{floor:.3f} s (a)",
        check / floor, "≤ 0.30 s and ≤ 3× (a)")
    # paired: each explain timed right after a check, so that the machine's drift cancels out
    pairs = [(run_process([PY, "-m", "engine", "check", str(KZ)], 1)[0],
              run_process([PY, "-m", "engine", "explain", str(KZ), KZ_RUSSIA], 1)[0]) for _ in range(21)]
    extra = statistics.median(e - c for c, e in pairs)
    row("`treaty explain` one conclusion (Russia's CST 4(2) duty), Kazakhstan, cold process (median of 21 "
        "differences, each explain run after a check)", f"+{1000 * extra:.0f} ms", f"{check:.3f} s `treaty check`",
        (check + extra) / check, "≤ 50 ms more than the check")
    # the classroom explorer: first page, a toggle, 20 clients at once (benchmarks/serve.py)
    from serve import measure

    measure(row, check)
    # the language server: diagnostics after an edit, hover, completion (benchmarks/lsp.py)
    import lsp

    lsp.measure(row, check)
    # 2. worlds of 193 states and 8 instruments
    previous = None
    peak_at_max = 0
    world_rules, world_scenario = {}, {}
    for events in sizes:
        d = tmp / f"w{events}"
        rules_dir, scenario = write_world(d, 193, 8, events, 0, seed=events)
        world_rules[events], world_scenario[events] = rules_dir, scenario
        program, facts = floor_files(str(rules_dir), scenario, d)
        runs = 5 if events <= 10_000 else 3
        cmd = [PY, "-m", "engine", "check", str(scenario), "--rules", str(rules_dir), "--format", "json"]
        run_process(cmd, 1)  # fills the compiled-rule cache
        check, peak = run_process(cmd, runs)
        floor, floor_peak = run_process([PY, str(ROOT / "benchmarks" / "floor_a.py"), program, facts], runs)
        growth = f"; ×{check / previous:.1f} for ×10 events" if previous else ""
        row(f"`treaty check`, 193 states, 8 instruments, E = {events:,} events", f"{check:.2f} s{growth}",
            f"{floor:.2f} s (a)", check / floor, "≤ 1.5× (a); ≤ ×12 per ×10 E")
        previous = check
        peak_at_max, floor_peak_at_max = peak, floor_peak
    row(f"peak memory at E = {sizes[-1]:,}", f"{peak_at_max} MB", f"{floor_peak_at_max} MB (a)",
        peak_at_max / floor_peak_at_max, "≤ 500 MB")
    # 3. contested facts
    times = {}
    for k in (0, 8, 16, 24):
        d = tmp / f"k{k}"
        rules_dir, scenario = write_world(d, 193, 8, 1000, k, seed=7)
        rules = load_rules(str(rules_dir))
        times[k] = median_in_process(lambda rules=rules, scenario=scenario: analyse(rules, scenario), 5)
    row("K = 24 contested facts (E = 1,000; 2^24 readings), in process", f"{times[24]:.3f} s",
        f"{times[0]:.3f} s at K = 0", times[24] / times[0], "≤ 2× K = 0")
    # 4. what-ifs: 1,000 scenario files of the Kazakhstan case in other statuses, as `treaty check DIR`
    #    reads them (files read, validated, solved, findings as JSON data), rules loaded once
    ws = whatifs(1000, 5)
    jobs = whatif_jobs(ws, tmp / "whatifs")
    options = batch.Options()
    t_floor = median_in_process(lambda: floor_sweep(ws), 3)

    def check_all(workers: int) -> None:
        batch_jobs._REUSE.clear()  # no facts or grounding kept from an earlier run
        results = list(batch.run(jobs, options, workers=workers))
        assert all(r.ok for r in results), [r.error for r in results if not r.ok][:1]

    t_one = median_in_process(lambda: check_all(1), 3)
    row("1,000 Kazakhstan what-if files, one core (`treaty check DIR` in process)", f"{1000 / t_one:.0f} /s",
        f"{1000 / t_floor:.0f} /s clingo alone", t_one / t_floor, "≥ 200 /s")
    t_two = median_in_process(lambda: check_all(2), 3)  # the pool's start-up included
    row("the same with `--jobs 2`", f"{1000 / t_two:.0f} /s", f"{1000 / t_one:.0f} /s one core", t_one / t_two,
        "≥ 1.7× one core")
    # 5. explanations of a world of 10,000 events
    e = 10_000 if not args.quick else 1000
    rules = load_rules(str(world_rules[e]))
    t_check = median_in_process(lambda: analyse(rules, world_scenario[e]), 3)
    explained: list[int] = []

    def explain_all() -> None:
        a = analyse(rules, world_scenario[e])
        a.explainer().why_all()  # as `treaty explain` without ids, `report` and `check --explain` do
        explained.append(len(a.findings.conclusions))

    t_explain = median_in_process(explain_all, 3)
    n = explained[-1]
    row(f"check + explain all {n:,} conclusions, E = {e:,}", f"{t_explain:.2f} s", f"{t_check:.2f} s check alone",
        t_explain / t_check, "≤ 2× check")
    # issue 12: the derivations read from the solver (engine/reasoning/derivation.py), which explanations move onto
    t_derive = median_in_process(lambda: derive_all(analyse(rules, world_scenario[e]), read=True), 3)
    row(f"check + derive all {n:,} conclusions from the solver's support atoms, E = {e:,}", f"{t_derive:.2f} s",
        f"{t_check:.2f} s check alone", t_derive / t_check, "≤ 2× check")
    kz_rules, kz = load_rules(), load_scenario(KZ)
    target = clingo.parse_term("te_concl(obligation,cst_4_2_assist_2010,russia,provide_assistance,kazakhstan,738160)")
    t_kz = median_in_process(lambda: analyse(kz_rules, kz), 9)
    t_kz_derive = median_in_process(lambda: Deriver.of(analyse(kz_rules, kz).solution).derive(target), 9)
    row("Kazakhstan: check + derive one conclusion (Russia's CST 4(2) duty), in process",
        f"+{1000 * (t_kz_derive - t_kz):.1f} ms", f"{1000 * t_kz:.1f} ms check alone", t_kz_derive / t_kz,
        "≤ 50 ms more than the check")
    d = tmp / f"w{e}"
    program, facts = str(d / "rules.lp"), str(d / "facts.lp")
    limit = 300
    try:
        out = subprocess.run([PY, str(ROOT / "benchmarks" / "xclingo_floor.py"), program, facts], capture_output=True,
                             text=True, timeout=limit, check=True).stdout.split()
        xc, plain = float(out[1]), float(out[2])
        row(f"the same explanations by xclingo, E = {e:,} (floor b)", f"{t_explain:.2f} s", f"{xc:.2f} s (b)",
            f"{xc / t_explain:.1f}× faster", "≥ 10× faster than (b)")
        ours, theirs = t_explain - t_check, xc - plain
        row(f"explaining alone: ours over our check, xclingo's over plain clingo's {plain:.2f} s, E = {e:,}",
            f"{ours:.2f} s", f"{theirs:.2f} s (b)", f"{theirs / ours:.1f}× faster", "≥ 10× faster than (b)")
    except subprocess.TimeoutExpired:
        row(f"the same explanations by xclingo, E = {e:,} (floor b)", f"{t_explain:.2f} s", f"> {limit} s (b)",
            f"> {limit / t_explain:.0f}× faster", "≥ 10× faster than (b)")
    except (subprocess.CalledProcessError, FileNotFoundError) as exc:
        notes.append(f"xclingo floor not measured: {exc}")
        row(f"the same explanations by xclingo, E = {e:,} (floor b)", f"{t_explain:.2f} s", "not measured", "—",
            "≥ 10× faster than (b)")
    elapsed = time.perf_counter() - started
    print(f"\nmachine: {machine()}; the whole run took {elapsed:.0f} s")
    for note in notes:
        print(note)
    if not args.quick:
        table = ["| what | figure | floor (same run) | ratio | target |", "|---|---:|---:|---:|---|"]
        table += [f"| {' | '.join(r)} |" for r in rows]
        (ROOT / "benchmarks" / "RESULTS.md").write_text(
            "# Benchmark results\n\n"
            "Produced by `python benchmarks/run.py` (every figure beside its floor, measured in the same run).\n\n"
            f"Machine: {machine()}. Run on {time.strftime('%Y-%m-%d')}, {elapsed:.0f} s in all.\n\n"
            + "\n".join(table) + "\n" + "".join(f"\n{n}\n" for n in notes), encoding="utf-8")


if __name__ == "__main__":
    main()
