"""Hostile input is data; limits hold; contradictions are explained; interruptions leave nothing behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from helpers import run

from engine import TreatyError, load_rules
from engine.pipeline import analyse, evaluate

ROOT = Path(__file__).resolve().parent.parent

TALK = '''source s "A source"
instrument t "Test" in force 2000-01-01 source s
parties source s
party alpha "Alpha" joined 2000-01-01
party beta "Beta" joined 2000-01-01
input event statement(by: state, says: text) "a statement, quoted"
article 1 "One"
  text en authentic source s """Every other party answers a statement."""
rule answer: obligation M respond(S) to V when statement(V, S) on D, party(M, t) on D, M != V from D.
'''

HOSTILE = ['x). :- y(', '#include "/etc/passwd".', '#script (python) import os; os.system("touch /tmp/pwned") #end.',
           'a"b\\\\c\nnewline\ttab', "\x01\x7f\x1b[31m control", "日本語 ✓ 🙂", "%*comment*% p.", ""]


@pytest.fixture(scope="module")
def talk(tmp_path_factory: pytest.TempPathFactory):
    d = tmp_path_factory.mktemp("talk")
    (d / "talk.rules").write_text(TALK, encoding="utf-8")
    return load_rules(d)


def talking(text: str) -> dict:
    return {"title": "hostile", "as_of": "2022-01-20", "sources": {"s": {"cite": text or "x"}},
            "entities": {"alpha": {"kind": "state", "name": text or "x", "note": text}},
            "events": [{"event": f"statement(alpha, {yaml_string(text)})", "on": "2022-01-05",
                        "status": "established", "source": "s", "note": text}]}


def yaml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t") + '"'


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_strings_with_asp_syntax_are_carried_as_data(talk, text: str):
    findings = evaluate(talk, talking(text))
    assert [(c.bearer, c.beneficiary) for c in findings.conclusions] == [("beta", "alpha")]
    import clingo

    action = clingo.parse_term(findings.conclusions[0].action)
    assert action.name == "respond" and action.arguments[0].string == text  # the very same string, back
    assert not Path("/tmp/pwned").exists()


def test_a_nul_character_is_refused_rather_than_cut_short(talk):
    # clingo's strings end at NUL: carrying "a\x00b" would silently become "a"
    with pytest.raises(TreatyError) as caught:
        evaluate(talk, talking("before\x00after"))
    assert [d.message for d in caught.value.diagnostics] == ["a quoted text cannot contain the NUL character"]


def test_a_scenario_cannot_change_what_it_does_not_state(talk):
    plain = evaluate(talk, talking("hello"))
    hostile = evaluate(talk, talking('x). obligation(beta, anything, alpha). :- y('))
    assert len(plain.conclusions) == len(hostile.conclusions) == 1
    assert plain.conclusions[0].basis == hostile.conclusions[0].basis


def test_names_that_are_not_identifiers_are_refused(tmp_path: Path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump({"title": "x", "as_of": "2022-01-01", "sources": {"s": {"cite": "x"}},
                                   "entities": {"x). :- y(": {"kind": "state", "name": "X"}}}), encoding="utf-8")
    code, _, err = run("check", str(bad))
    assert code == 2 and "`x). :- y(` is not a valid identifier" in err


def test_the_html_report_escapes_what_scenarios_say(tmp_path: Path):
    scenario = ROOT / "scenarios" / "kazakhstan-2022.yaml"
    hostile = tmp_path / "kz.yaml"
    hostile.write_text(scenario.read_text(encoding="utf-8").replace(
        "Tokayev appealed to the heads of state of the CSTO members for help.",
        "<script>alert(1)</script> & </details>"), encoding="utf-8")
    out = tmp_path / "r.html"
    assert run("report", str(hostile), "-o", str(out))[0] == 0
    html = out.read_text(encoding="utf-8")
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;/details&gt;" in html


BLOWUP = '''source s "A source"
instrument t "Test" in force 2000-01-01 source s
input event a(x: state) "an a"
derived event b(x: state, y: state, z: state, w: state) "a quadruple"
article 1 "One"
  text en authentic source s """Everything with everything."""
rule blow: b(X, Y, Z, W) on D when a(X) on D, a(Y) on D, a(Z) on D, a(W) on D.
'''


@pytest.fixture(scope="module")
def blowup(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    d = tmp_path_factory.mktemp("blowup")
    (d / "rules").mkdir()
    (d / "rules" / "blow.rules").write_text(BLOWUP, encoding="utf-8")
    states = [f"s{i}" for i in range(160)]
    data = {"title": "blow-up", "as_of": "2022-01-20", "sources": {"s": {"cite": "x"}},
            "entities": {s: {"kind": "state", "name": s} for s in states},
            "events": [{"event": f"a({s})", "on": "2022-01-05", "status": "established", "source": "s"}
                       for s in states]}
    (d / "blow.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    return d / "rules", d / "blow.yaml"


def test_the_time_limit_holds_and_says_what_was_running(blowup):
    rules, scenario = blowup
    start = time.monotonic()
    code, _, err = run("check", str(scenario), "--rules", str(rules), "--timeout", "2")
    assert time.monotonic() - start < 10
    assert code == 3
    assert f"treaty: the time limit of 2 s was reached while grounding {scenario}" in err


def test_the_memory_bound_holds(blowup):
    rules, scenario = blowup
    code, _, err = run("check", str(scenario), "--rules", str(rules), "--timeout", "60", "--max-memory", "400")
    assert code == 3
    assert f"treaty: the memory bound of 400 MB was reached while grounding {scenario}" in err


def test_running_out_of_memory_without_limits_is_a_message(monkeypatch: pytest.MonkeyPatch):
    import engine.language.load

    def exhausted(*args: object, **kwargs: object) -> None:
        raise MemoryError

    monkeypatch.setattr(engine.language.load, "load_rules", exhausted)
    code, out, err = run("check", "scenarios/kazakhstan-2022.yaml", "--timeout", "0", "--max-memory", "0")
    assert (code, out) == (3, "")
    assert err == ("treaty: out of memory\n"
                   "  hint: run with --max-memory MB to stop earlier, or make the input smaller\n")


def _limited(fn, memory_mb: int) -> tuple[int, str]:
    from engine.limits import run_limited

    err: list[str] = []
    code = run_limited(fn, 30, memory_mb, lambda s: None, err.append)
    return code, "".join(err)


def _die(signum: int):
    def fn() -> None:
        import faulthandler

        from engine.limits import stage

        faulthandler.disable()  # pytest's, which would print the child's stack on a fatal signal
        stage("solving x.yaml")
        os.kill(os.getpid(), signum)
    return fn


def test_a_crash_without_a_memory_bound_is_an_internal_error_not_a_memory_message():
    code, err = _limited(_die(signal.SIGSEGV), 0)
    assert code == 70
    assert err == ("treaty: internal error: the engine stopped on SIGSEGV while solving x.yaml\n"
                   "  hint: this is a bug; please report it with the command and its input\n")


def test_a_crash_under_a_memory_bound_is_the_bound():
    # clingo aborts when an allocation fails under RLIMIT_AS
    code, err = _limited(_die(signal.SIGABRT), 300)
    assert (code, err) == (3, "treaty: the memory bound of 300 MB was reached while solving x.yaml\n"
                              "  hint: raise it with --max-memory MB, or make the input smaller\n")


def test_the_systems_oom_killer_without_a_bound_of_ours_is_out_of_memory():
    code, err = _limited(_die(signal.SIGKILL), 0)
    assert (code, err) == (3, "treaty: out of memory while solving x.yaml\n"
                              "  hint: run with --max-memory MB to stop earlier, or make the input smaller\n")


def test_memory_error_in_the_child_without_a_bound_names_no_bound():
    def fn() -> None:
        from engine.limits import stage

        stage("grounding x.yaml")
        print("partial output is relayed")
        raise MemoryError

    code, err = _limited(fn, 0)
    assert (code, err) == (3, "treaty: out of memory while grounding x.yaml\n"
                              "  hint: run with --max-memory MB to stop earlier, or make the input smaller\n")


def test_the_file_size_bound_holds(tmp_path: Path):
    code, _, err = run("check", "scenarios/kazakhstan-2022.yaml", "--max-file-size", "0.001")
    assert code == 3 and "error: the file is too large" in err and "the limit is 1,000)" in err
    big = tmp_path / "big.rules"
    big.write_bytes(b"# " + b"x" * 50_000_000 + b"\n")
    code, _, err = run("lint", str(big))
    assert code == 3 and f"{big}: error: the file is too large (50,000,003 bytes; the limit is 32,000,000)" in err


def test_an_interrupted_run_stops_cleanly(blowup, tmp_path: Path):
    rules, scenario = blowup
    out = tmp_path / "report.html"
    proc = subprocess.Popen([sys.executable, "-m", "engine", "report", str(scenario), "--rules", str(rules),
                             "-o", str(out), "--timeout", "60"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            cwd=ROOT, start_new_session=True)
    time.sleep(2.0)
    os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130
    assert b"treaty: interrupted" in err and b"Traceback" not in err
    assert list(tmp_path.iterdir()) == []  # no report, and no temporary file


def test_contradictions_are_explained(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(ROOT)
    code, out, err = run("check", "tests/golden/scenarios_bad/established_self_attack.yaml")
    assert code == 2 and out == ""
    assert "error: these established facts cannot all hold: they break `un_no_self_attack`" in err
    assert "armed_attack(kazakhstan, kazakhstan) on 2022-01-05 (established, source s1)" in err
    assert "rules/un_charter.rules:" in err and "constraint un_no_self_attack" in err


def test_an_alleged_contradiction_only_removes_readings(rules):
    findings = evaluate(rules, {"title": "t", "as_of": "2022-01-20", "sources": {"s": {"cite": "x"}},
                                "events": [{"event": "armed_attack(kazakhstan, kazakhstan)", "on": "2022-01-05",
                                            "status": "alleged", "source": "s"}]})
    assert findings.conclusions == []


def test_unreadable_files_are_clear_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    target = tmp_path / "x.rules"
    target.write_text(TALK, encoding="utf-8")
    from engine import files

    real = os.open

    def refuse(path: object, flags: int, *args: object, **kwargs: object) -> int:
        if Path(str(path)) == target:
            raise PermissionError(13, "Permission denied")
        return real(path, flags, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(files.os, "open", refuse)
    code, _, err = run("lint", str(target), "--timeout", "0", "--max-memory", "0")
    assert code == 2 and err == f"{target}: error: cannot read: Permission denied\n1 error in 1 file\n"


def test_analyse_never_raises_anything_but_our_error_on_the_golden_scenarios(rules):
    for path in sorted((ROOT / "tests" / "golden" / "scenarios_bad").glob("*.yaml")):
        with pytest.raises(TreatyError):
            analyse(rules, path)


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from engine import files

    target = tmp_path / "results.xml"
    target.write_text("the previous results\n", encoding="utf-8")

    def broken_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "replace", broken_replace)
    with pytest.raises(OSError):
        files.write_atomically(target, "<testsuites>" + "x" * 100_000)
    assert target.read_text(encoding="utf-8") == "the previous results\n"
    assert [p.name for p in tmp_path.iterdir()] == ["results.xml"]


def test_junit_xml_never_overwrites_an_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(ROOT)
    scenario = "scenarios/kazakhstan-2022.yaml"
    before = Path(scenario).read_bytes()
    code, _, err = run("test", scenario, "--junit-xml", scenario)
    assert code == 2
    assert err.startswith(f"{scenario}: error: refusing to overwrite an input file with the JUnit XML")
    assert Path(scenario).read_bytes() == before
    code, _, err = run("test", scenario, "--junit-xml", "rules/cst.rules")
    assert code == 2 and "refusing to overwrite an input file" in err
    code, _, err = run("test", scenario, "--junit-xml", str(tmp_path / "results.xml"))
    assert code == 0 and (tmp_path / "results.xml").read_text(encoding="utf-8").startswith("<?xml")
