"""`treaty serve` figures (issue 16): the first page after start, a toggle answered at the server, and
20 clients toggling at once for 30 s with every answer checked against a fresh evaluation.

    python benchmarks/serve.py            # prints the figures (benchmarks/run.py adds them to RESULTS.md)
"""

from __future__ import annotations

import json
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KZ = "scenarios/kazakhstan-2022.yaml"
ATTACK = "armed_attack(foreign_trained_gangs, kazakhstan)"
STATUSES = ("established", "alleged", "disputed", "denied")
TOGGLED = (ATTACK, "requested(kazakhstan, russia, assistance)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _post(url: str, body: dict) -> dict:
    req = urllib.request.Request(url, json.dumps(body).encode(), {"content-type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read())


def measure(row: Callable[..., None], cold_check: float) -> None:
    """Start `treaty serve` as a user would, and time it."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "engine", "serve", KZ, "--port", str(port)], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            try:
                with urllib.request.urlopen(base + "/", timeout=1) as r:
                    r.read()
                break
            except OSError:
                if time.perf_counter() - started > 30:
                    raise
                time.sleep(0.01)
        _post(base + "/api/solve", {"scenario": KZ})  # the page's first answer
        first = time.perf_counter() - started
        row("`treaty serve` Kazakhstan: first page and its first answer, from the command's start", f"{first:.2f} s",
            f"{cold_check:.3f} s `treaty check`", first / cold_check, "≤ 1 s")
        # a toggle at the server: one fact's status changed, answered on the kept grounding
        times = []
        for n in range(60):
            body = {"scenario": KZ, "statuses": {ATTACK: STATUSES[n % 4]}}
            t = time.perf_counter()
            _post(base + "/api/solve", body)
            times.append(time.perf_counter() - t)
        times = times[4:]  # the first toggles ground the case's sweep
        median, p95 = statistics.median(times), statistics.quantiles(times, n=20)[18]
        row("`treaty serve`: a toggle of one contested fact, Kazakhstan, answered over loopback (56 toggles)",
            f"median {1000 * median:.0f} ms, p95 {1000 * p95:.0f} ms", f"{cold_check:.3f} s `treaty check`",
            median / cold_check, "≤ 50 ms (median and p95)")
        load(row, base)
    finally:
        proc.terminate()
        proc.wait(10)


def load(row: Callable[..., None], base: str, clients: int = 20, seconds: float = 30.0) -> None:
    """20 clients toggling at once; every answer equal to a fresh evaluation of the same statuses."""
    from engine import load_rules
    from engine.language.load import default_rules_dir
    from engine.pipeline import analyse

    rules = load_rules(default_rules_dir())
    combos = [(a, b) for a in STATUSES for b in STATUSES]
    fresh = {c: json.loads(json.dumps(analyse(rules, str(ROOT / KZ), assume=dict(zip(TOGGLED, c, strict=True)),
                                              explainable=False).document["conclusions"], default=str))
             for c in combos}  # as the JSON the server sends reads back
    for doc in fresh.values():
        _same_paths(doc)
    times: list[float] = []
    wrong: list[tuple] = []
    lock = threading.Lock()
    end = time.perf_counter() + seconds

    def client(seed: int) -> None:
        rnd = random.Random(seed)
        while time.perf_counter() < end:
            c = rnd.choice(combos)
            t = time.perf_counter()
            doc = _post(base + "/api/solve", {"scenario": KZ, "statuses": dict(zip(TOGGLED, c, strict=True))})
            took = time.perf_counter() - t
            _same_paths(doc["conclusions"])
            with lock:
                times.append(took)
                if doc["conclusions"] != fresh[c]:
                    wrong.append(c)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    p95 = statistics.quantiles(times, n=20)[18]
    row(f"`treaty serve`: {clients} clients toggling at once for {seconds:.0f} s over loopback",
        f"{len(times)} answers, {len(wrong)} differ from a fresh check; median {1000 * statistics.median(times):.0f} "
        f"ms, p95 {1000 * p95:.0f} ms", "—", "—", "every answer equal to a fresh check")


def _same_paths(conclusions: list[dict]) -> None:
    """Rule files named alike (the server reads them relative to its directory, this process absolute)."""
    for c in conclusions:
        c["basis"]["file"] = Path(c["basis"]["file"]).name


if __name__ == "__main__":
    def _print(what: str, figure: str, floor: str, ratio: float | str, target: str) -> None:
        r = f"{ratio:.2f}" if isinstance(ratio, float) else ratio
        print(f"| {what} | {figure} | {floor} | {r} | {target} |", flush=True)

    measure(_print, cold_check=0.3)
