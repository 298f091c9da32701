"""`treaty lsp` figures (issue 17), measured over stdio as an editor sees them: diagnostics after an edit
(the largest shipped rule file; the Kazakhstan scenario, its `check` included), hover and completion,
beside the cold `treaty lint` and `treaty check` of the same files.

    python benchmarks/lsp.py            # prints the figures (benchmarks/run.py adds them to RESULTS.md)
"""

from __future__ import annotations

import datetime
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from engine.lsp.client import StdioClient  # noqa: E402

CHARTER = ROOT / "rules" / "un_charter.rules"  # the largest rule file (934 lines)
RIO = ROOT / "rules" / "rio_treaty.rules"  # the largest with what it includes (555 + 934 lines)
CST = ROOT / "rules" / "cst.rules"
KZ = ROOT / "scenarios" / "kazakhstan-2022.yaml"


def _cold(cmd: list[str], runs: int = 7) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def _p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20)[18]


def _ms(times: list[float]) -> str:
    return f"median {1000 * statistics.median(times):.0f} ms, p95 {1000 * _p95(times):.0f} ms"


def _edits(client: StdioClient, path: Path, line: int, column: int, pairs: int = 15, old: str = "",
           new: str = "x", clean: bool = True) -> list[float]:
    """Time from each edit sent to its diagnostics received: ``old`` at the place typed over with ``new``,
    then back, ``pairs`` times (``clean``: every text is free of problems, so the whole analysis runs)."""
    times = []
    for _ in range(pairs):
        for was, now in ((old, new), (new, old)):
            t = time.perf_counter()
            version = client.edit(path, (line, column), (line, column + len(was)), now)
            diagnostics = client.diagnostics(path, version)
            times.append(time.perf_counter() - t)
            assert diagnostics == [] or not clean, diagnostics
    return times


def _typing(client: StdioClient, path: Path, line: int, column: int, n: int = 30) -> list[float]:
    """Time from each keystroke to its diagnostics, ``n`` letters typed at a place: every text a new one."""
    times = []
    for k in range(n):
        t = time.perf_counter()
        version = client.edit(path, (line, column + k), (line, column + k), "abcdefghij"[k % 10])
        assert client.diagnostics(path, version) == []
        times.append(time.perf_counter() - t)
    version = client.edit(path, (line, column), (line, column + n), "")
    client.diagnostics(path, version)
    return times


def _line(path: Path, starts: str) -> int:
    return next(n for n, x in enumerate(path.read_text(encoding="utf-8").split("\n")) if x.startswith(starts))


def measure(row: Callable[..., None], cold_check: float | None = None) -> None:
    py = sys.executable
    cold_lint = _cold([py, "-m", "engine", "lint", str(CHARTER)])
    if cold_check is None:
        cold_check = _cold([py, "-m", "engine", "check", str(KZ)])
    with StdioClient.start(cwd=ROOT) as client:
        t = time.perf_counter()
        client.open(KZ)  # the first scenario: the rule base loaded (from the compiled-rule cache), then the check
        first = time.perf_counter() - t
        row("`treaty lsp`: the Kazakhstan scenario opened in a new server, to its diagnostics (rule base loaded, "
            "then checked)", f"{1000 * first:.0f} ms", f"{cold_check:.3f} s `treaty check` (cold)", first / cold_check,
            "—")
        for path in (CHARTER, RIO, CST):
            client.open(path)
        # letters typed one by one into a comment: every text new (no parse kept), valid, so the file is
        # parsed, checked, compiled and ground at every key
        n = _line(CHARTER, "# ")
        times = _typing(client, CHARTER, n, 2)
        row("`treaty lsp`: diagnostics after a keystroke, un_charter.rules (934 lines, the largest): 30 letters "
            "typed into a comment, every text new and valid", _ms(times), f"{cold_lint:.3f} s `treaty lint` (cold)",
            statistics.median(times) / cold_lint, "≤ 150 ms")
        n = _line(RIO, "# ")
        times = _typing(client, RIO, n, 2)
        row("`treaty lsp`: the same, rio_treaty.rules (555 lines, and un_charter.rules, which it includes)",
            _ms(times), "—", "—", "(≤ 150 ms)")
        n = _line(CHARTER, "rule un_2_4_no_force")
        times = _edits(client, CHARTER, n, 5, old="u", new="", clean=False)
        row("`treaty lsp`: the same, a rule's id mistyped and mended, 30 times (errors found, then none)", _ms(times),
            "—", "—", "(≤ 150 ms)")
        # the first event's date moved a day at a time: every text new, and its facts (the case ground again)
        n = _line(KZ, "    on: 2022-01-05")
        times = []
        for k in range(30):  # 2021-12-07 ... 2022-01-05: every one new
            day = (datetime.date(2021, 12, 7) + datetime.timedelta(days=k)).isoformat()
            t = time.perf_counter()
            version = client.edit(KZ, (n, 8), (n, 18), day)
            client.diagnostics(KZ, version)
            times.append(time.perf_counter() - t)
        version = client.edit(KZ, (n, 8), (n, 18), "2022-01-05")
        client.diagnostics(KZ, version)
        row("`treaty lsp`: diagnostics after an edit, Kazakhstan scenario, its `check` included: the attack's date "
            "moved day by day, 30 times (every text new, and its facts)", _ms(times),
            f"{cold_check:.3f} s `treaty check` (cold)", statistics.median(times) / cold_check, "≤ 300 ms")
        n = _line(KZ, "    status: alleged")
        times = _edits(client, KZ, n, len("    status: "), old="alleged", new="denied")
        row("`treaty lsp`: the same, the attack alleged <-> denied, 30 times (the case's grounding kept: a what-if)",
            _ms(times), "—", "—", "(≤ 300 ms)")
        n = _line(KZ, "title: ")
        times = _typing(client, KZ, n, len("title: "))
        row("`treaty lsp`: the same, 30 letters typed into the title (the facts unchanged)", _ms(times), "—", "—",
            "(≤ 300 ms)")
        places = [(CST, _line(CST, "article 4(2)"), 9), (CST, _line(CST, "rule cst_4_2_assist_2010"), 8),
                  (CST, _line(CST, "input event assistance_provided"), 15),
                  (KZ, _line(KZ, "  - event: armed_attack(foreign_trained_gangs"), 30)]
        times = []
        for _ in range(25):
            for path, line, col in places:
                t = time.perf_counter()
                assert client.request("textDocument/hover", client.at(path, line, col))
                times.append(time.perf_counter() - t)
        row("`treaty lsp`: hover (an article, a rule, a predicate, a scenario's entity; 100 requests)", _ms(times),
            "—", "—", "≤ 50 ms")
        n = _line(KZ, "  - event: threat_to_security")
        places = [(KZ, n, 11), (KZ, n, 30), (KZ, n + 2, 12), (CST, _line(CST, "  when threat_to_security"), 7)]
        times = []
        for _ in range(25):
            for path, line, col in places:
                t = time.perf_counter()
                assert client.request("textDocument/completion", client.at(path, line, col))["items"]
                times.append(time.perf_counter() - t)
        row("`treaty lsp`: completion (predicates, entities, statuses, in a scenario and a rule file; 100 requests)",
            _ms(times), "—", "—", "≤ 50 ms")


if __name__ == "__main__":
    def _print(what: str, figure: str, floor: str, ratio: float | str, target: str) -> None:
        r = f"{ratio:.2f}" if isinstance(ratio, float) else ratio
        print(f"| {what} | {figure} | {floor} | {r} | {target} |", flush=True)

    measure(_print)
