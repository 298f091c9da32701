"""Limits that hold everywhere (issue 11, points 6-10): --jobs under a memory bound and a time limit,
Ctrl-C and SIGTERM leaving no process behind, a batch that loses nothing, and the options' bounds."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from helpers import run
from test_robustness import BLOWUP

ROOT = Path(__file__).resolve().parent.parent

RUNAWAY = '''source s "A source"
instrument t "Test" in force 2000-01-01 source s
derived n(x: number) "a number"
article 1 "One"
  text en authentic source s """Count for ever."""
rule seed: n(0).
rule grow: n(Y) when n(X), Y = X + 1.
'''

SIZES = [3, 4, 160, 5, 6, 7, 8]  # the third file's grounding needs gigabytes and minutes
HEAVY = "f2.yaml"


def _scenario(n: int) -> dict:
    states = [f"s{i}" for i in range(n)]
    return {"title": "blow-up", "as_of": "2022-01-20", "sources": {"s": {"cite": "x"}},
            "entities": {s: {"kind": "state", "name": s} for s in states},
            "events": [{"event": f"a({s})", "on": "2022-01-05", "status": "established", "source": "s"}
                       for s in states]}


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(rules, directory of seven scenarios), the third of which blows up."""
    d = tmp_path_factory.mktemp("batch")
    (d / "rules").mkdir()
    (d / "rules" / "blow.rules").write_text(BLOWUP, encoding="utf-8")
    (d / "sc").mkdir()
    for i, n in enumerate(SIZES):
        (d / "sc" / f"f{i}.yaml").write_text(yaml.safe_dump(_scenario(n)), encoding="utf-8")
    return d / "rules", d / "sc"


def _processes() -> list[tuple[str, list[str]]]:
    """(pid, the fields of /proc/PID/stat after the command's name) of every live process."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if fields[0] != "Z":  # zombies are gone but for their exit status
            found.append((stat.parent.name, fields))
    return found


def _session(sid: int) -> list[str]:
    """The live processes of a session: what a command left behind."""
    return [pid for pid, fields in _processes() if int(fields[3]) == sid]


def _start(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "engine", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, cwd=ROOT, start_new_session=True)


def _finish(proc: subprocess.Popen, timeout: float = 30) -> tuple[int, list[dict], str]:
    out, err = proc.communicate(timeout=timeout)
    time.sleep(0.2)  # let the kernel finish killing what was killed
    assert _session(proc.pid) == [], "a process of the command outlived it"
    return proc.returncode, [json.loads(line) for line in out.splitlines()], err


def _names(docs: list[dict]) -> list[str]:
    return [Path(d["file"]).name for d in docs]


def test_a_worker_over_the_memory_bound_costs_only_its_file(batch):
    rules, sc = batch
    proc = _start("check", str(sc), "--rules", str(rules), "--jobs", "2", "--max-memory", "400", "--timeout", "60",
                  "--format", "jsonl")
    code, docs, err = _finish(proc)
    assert code == 3
    assert _names(docs) == [f"f{i}.yaml" for i in range(7)]  # every file reported, in order
    assert [d["ok"] for d in docs] == [True, True, False, True, True, True, True]
    assert docs[2]["error"] == (f"{sc / HEAVY}: error: the memory bound of 400 MB was reached while checking it\n"
                                "  hint: raise it with --max-memory MB (each worker of --jobs has that bound), "
                                "or make it smaller")
    assert err.endswith("1 of 7 scenarios could not be evaluated\n")


def test_a_time_limit_with_jobs_ends_in_time_and_gives_every_finished_result(batch):
    rules, sc = batch
    start = time.monotonic()
    proc = _start("check", str(sc), "--rules", str(rules), "--jobs", "2", "--max-memory", "0", "--timeout", "3",
                  "--format", "jsonl")
    code, docs, err = _finish(proc)
    assert time.monotonic() - start < 3 + 2.5  # the limit, the batch's grace, and starting Python
    assert code == 3
    assert _names(docs) == ["f0.yaml", "f1.yaml", "f3.yaml", "f4.yaml", "f5.yaml", "f6.yaml"]
    assert err == (f"1 of 7 scenarios were not finished (stopped while checking {sc / HEAVY})\n"
                   f"treaty: the time limit of 3 s was reached while checking {sc / HEAVY}\n"
                   "  hint: raise it with --timeout SECONDS, or make the input smaller\n")


def test_sigterm_ends_the_limited_child_too(batch):
    rules, sc = batch
    proc = _start("check", str(sc / HEAVY), "--rules", str(rules), "--max-memory", "0")
    time.sleep(2.0)
    proc.send_signal(signal.SIGTERM)  # to treaty alone: it must end the child that is grounding
    code, _, err = _finish(proc)
    assert (code, err) == (143, "treaty: terminated\n")


@pytest.mark.parametrize("command", [["show", "t"], ["instruments"]])
def test_show_and_instruments_run_under_the_limits(tmp_path: Path, command: list[str]):
    (tmp_path / "grow.rules").write_text(RUNAWAY, encoding="utf-8")
    start = time.monotonic()
    code, out, err = run(*command, "--rules", str(tmp_path / "grow.rules"), "--timeout", "1")
    assert time.monotonic() - start < 5
    assert (code, out) == (3, "")
    assert err.startswith("treaty: the time limit of 1 s was reached while grounding the rules on their own\n")


def _one_file_breaks(monkeypatch: pytest.MonkeyPatch, broken: str) -> None:
    import engine.tools.jobs

    evaluate = engine.tools.jobs._evaluate

    def flaky(job, options):
        if job.name.endswith(broken):
            raise ValueError("a bug of ours")
        return evaluate(job, options)

    monkeypatch.setattr(engine.tools.jobs, "_evaluate", flaky)


@pytest.mark.parametrize("how", [["--timeout", "0", "--max-memory", "0"], [], ["--jobs", "2"]],
                         ids=["in-process", "limited", "jobs"])
def test_one_internal_error_does_not_lose_the_batch(batch, monkeypatch: pytest.MonkeyPatch, how: list[str]):
    rules, sc = batch
    _one_file_breaks(monkeypatch, "f1.yaml")
    files = [str(sc / f"f{i}.yaml") for i in (0, 1, 3)]
    code, out, err = run("check", *files, "--rules", str(rules), "--format", "jsonl", *how)
    assert code == 70  # the worst seen
    docs = [json.loads(line) for line in out.splitlines()]
    assert [d["ok"] for d in docs] == [True, False, True]
    assert docs[1]["error"] == (f"{files[1]}: internal error: ValueError: a bug of ours\n"
                                "  hint: this is a bug in treaty-engine; please report it with this file "
                                "(TREATY_DEBUG=1 shows the traceback)")


def test_the_exit_code_of_a_batch_is_the_worst_seen(batch, tmp_path: Path):
    rules, sc = batch
    (tmp_path / "bad.yaml").write_text("title: [\n", encoding="utf-8")
    (tmp_path / "big.yaml").write_text(yaml.safe_dump(_scenario(3)) + "#" * 2000 + "\n", encoding="utf-8")
    small = str(sc / "f0.yaml")
    assert run("check", small, str(tmp_path / "bad.yaml"), "--rules", str(rules))[0] == 2
    # the file-size limit is a limit (3), in a batch as for one file
    code, _, err = run("check", small, str(tmp_path / "big.yaml"), "--rules", str(rules), "--max-file-size", "0.002")
    assert code == 3 and "error: the file is too large" in err
    code, _, _ = run("check", str(tmp_path / "bad.yaml"), str(tmp_path / "big.yaml"), "--rules", str(rules),
                     "--max-file-size", "0.002")
    assert code == 3


@pytest.mark.parametrize("limited", [True, False])
def test_treaty_debug_shows_the_traceback_and_exits_70(monkeypatch: pytest.MonkeyPatch, limited: bool):
    import engine.pipeline

    def broken(*args, **kwargs):
        raise ValueError("a bug of ours")

    monkeypatch.setattr(engine.pipeline, "analyse", broken)
    monkeypatch.setenv("TREATY_DEBUG", "1")
    limits = [] if limited else ["--timeout", "0", "--max-memory", "0"]
    code, out, err = run("explain", "scenarios/kazakhstan-2022.yaml", *limits)
    assert (code, out) == (70, "")
    assert err.startswith("Traceback (most recent call last):\n")
    assert err.endswith("ValueError: a bug of ours\ninternal error: ValueError: a bug of ours\n"
                        "  this is a bug in treaty-engine; please report it with the traceback above\n")


@pytest.mark.parametrize(("option", "value", "message"), [
    ("--max-memory", "50", "Invalid value for '--max-memory': 50 MB is too little for the engine to start: "
                           "give at least 128 MB, or 0 for no bound"),
    ("--max-file-size", "inf", "Invalid value for '--max-file-size': inf is not in the range 0.001<=x<=1000000."),
    ("--max-file-size", "nan", "Invalid value for '--max-file-size': 'nan' is not a finite number."),
    ("--timeout", "nan", "Invalid value for '--timeout': 'nan' is not a finite number."),
])
def test_limits_that_cannot_work_are_refused(option: str, value: str, message: str):
    code, out, err = run("check", "scenarios/kazakhstan-2022.yaml", option, value)
    assert (code, out) == (2, "")
    assert err.endswith(f"Error: {message}\n")


@pytest.mark.parametrize("address", ["dask://host:notaport", "dask://:8786", "dask://host:99999", "dask://a b:1"])
def test_a_malformed_dask_address_is_a_usage_error(address: str):
    code, out, err = run("check", "scenarios/kazakhstan-2022.yaml", "--executor", address)
    assert (code, out) == (2, "")
    assert err == (f"error: --executor: `{address}` is not a Dask address\n"
                   "  hint: write dask://HOST:PORT (the scheduler of a Dask distributed cluster)\n1 error\n")


def test_ctrl_c_while_starting_is_exit_130_without_a_traceback(monkeypatch: pytest.MonkeyPatch,
                                                               capsys: pytest.CaptureFixture):
    import engine.tools.cli

    def interrupted() -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(engine.tools.cli, "_collect_less", interrupted)
    monkeypatch.setattr(sys, "argv", ["treaty", "check", "scenarios/kazakhstan-2022.yaml"])
    with pytest.raises(SystemExit) as exit_:
        engine.tools.cli.main()
    assert exit_.value.code == 130
    assert capsys.readouterr().err == "treaty: interrupted\n"


def test_a_time_limit_on_dask_cancels_the_clusters_work(batch):
    distributed = pytest.importorskip("distributed")
    rules, sc = batch
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0",
                                  silence_logs=40) as cluster:
        address = cluster.scheduler_address.removeprefix("tcp://")
        start = time.monotonic()
        proc = _start("check", str(sc), "--rules", str(rules), "--max-memory", "0", "--timeout", "3",
                      "--format", "jsonl", "--executor", f"dask://{address}")
        code, docs, err = _finish(proc)
        assert time.monotonic() - start < 3 + 3
        assert code == 3 and all(d["ok"] for d in docs) and HEAVY not in _names(docs)
        assert "treaty: the time limit of 3 s was reached while checking " in err and "on the Dask cluster" in err
        with distributed.Client(cluster) as client:
            workers = list(client.run(os.getpid).values())
            assert not any(client.processing().values())  # nothing queued or running for the command
            before = sum(_cpu(pid) for pid in workers)
            time.sleep(1.0)
            busy = sum(_cpu(pid) for pid in workers) - before
            assert busy < 0.5, f"the cluster's workers still work ({busy:.2f} s of CPU in 1 s)"
            assert [p for p in _children(workers)] == []  # no task's process left either


def _cpu(pid: int) -> float:
    """Seconds of CPU a process has used (user and system)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:  # it has ended meanwhile
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _children(parents: list[int]) -> list[str]:
    return [pid for pid, fields in _processes() if int(fields[1]) in parents]


def test_a_stop_loses_no_result_a_worker_has_already_sent():
    """The consumer is slow (printing) while the workers finish; then Ctrl-C: what they sent is given."""
    from engine.tools import batch
    from engine.tools import jobs as batch_jobs

    jobs = batch.read_jobs(sorted(str(p) for p in (ROOT / "scenarios").glob("*.yaml")))
    batch_jobs._rules(())
    got: list[str] = []
    with pytest.raises(batch.Stopped) as stopped:
        for result in batch.run(jobs, batch.Options(), workers=2):
            got.append(result.name)
            if len(got) == 1:
                _until_the_workers_rest()
                os.kill(os.getpid(), signal.SIGINT)
    # every file a worker had been given was finished and is given; only those never sent are not
    assert stopped.value.running == [] and len(got) >= 3
    assert stopped.value.unfinished == len(jobs) - len(got)
    assert got == [job.name for job in jobs][:len(got)]


def test_ctrl_c_and_sigterm_on_a_limited_batch_are_said_once(batch):
    rules, sc = batch
    for sig, word, code in ((signal.SIGINT, "interrupted", 130), (signal.SIGTERM, "terminated", 143)):
        proc = _start("check", str(sc), "--rules", str(rules), "--jobs", "2", "--max-memory", "0",
                      "--format", "jsonl")
        time.sleep(2.0)  # the six light cases are done by then (about 1.5 s with two workers)
        os.killpg(proc.pid, sig) if sig == signal.SIGINT else proc.send_signal(sig)
        got, docs, err = _finish(proc)
        assert got == code
        assert err == f"1 of 7 scenarios were not finished (stopped while checking {sc / HEAVY})\ntreaty: {word}\n"
        assert len(docs) == 6  # what was finished is given (the Ctrl-C case was once a test of its own)
        assert HEAVY not in _names(docs) and {"f0.yaml", "f1.yaml"} <= set(_names(docs))


def _until_the_workers_rest(limit: float = 30.0) -> None:
    """Wait until this process's children (the workers) have used no CPU for half a second."""
    end = time.monotonic() + limit
    before = None
    while time.monotonic() < end:
        workers = [int(pid) for pid, fields in _processes() if int(fields[1]) == os.getpid()]
        now = sum(_cpu(pid) for pid in workers)
        if before is not None and now == before:
            return
        before = now
        time.sleep(0.5)


def test_commands_run_in_process_leave_no_descriptor_open_and_high_descriptors_are_read() -> None:
    """A long-lived process (pytest, a notebook) runs many commands: each once leaked the three pipes
    from its limited child, until select() failed at descriptor 1,024."""
    import os
    import resource

    from helpers import run

    from engine.limits import readable

    def count() -> int:
        return len(os.listdir("/proc/self/fd"))

    run("lint")
    before = count()
    for _ in range(5):
        assert run("lint")[0] == 0
    assert count() == before
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft <= 1500:
        pytest.skip(f"descriptors are limited to {soft} here")
    r, w = os.pipe()
    high = os.dup2(r, 1500)
    try:
        os.write(w, b"x")
        assert readable([high], 1.0) == [high]
    finally:
        for fd in (r, w, high):
            os.close(fd)
