"""Output that cannot be turned against its reader, written whole or not at all (issue 11, points 5, 10, 11).

Reports are read in browsers and Markdown viewers: text from a scenario or a rule file is shown as
text, and only http(s) URLs become links. Output files are checked before the work, refuse inputs
by any path, keep their mode, turn a failed write into exit 2, and never leave a temporary file,
even when Ctrl-C or SIGTERM comes as the file is renamed into place. Rule and scenario files that
are not regular files (a FIFO) are refused at once instead of blocking.
"""

from __future__ import annotations

import errno
import json
import os
import re
import signal
import stat
import subprocess
import sys
import threading
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest
from helpers import run

from engine import files
from engine.errors import TreatyError

ROOT = Path(__file__).resolve().parent.parent
KAZAKHSTAN = ROOT / "scenarios" / "kazakhstan-2022.yaml"
NO_LIMITS = ("--timeout", "0", "--max-memory", "0")

#: URLs that must never become a link: script schemes in every disguise, and what is not http(s).
BAD_URLS = ["javascript:alert(1)", "JaVaScRiPt:alert(2)", " javascript:alert(3)", "java\tscript:alert(4)",
            "java\nscript:alert(5)", "\x01javascript:alert(6)", "javascript&colon;alert(7)",
            "data:text/html,<script>alert(8)</script>", "vbscript:msgbox(9)", "//evil.example/x",
            "file:///etc/passwd", "https://exa mple.org/", "https:///no-host", "http:\\\\evil.example"]
GOOD_URLS = ["https://example.org/a?b=1&c=<2>\"3\"", "HTTP://EXAMPLE.ORG/UPPER"]

PAYLOAD = ('<script>alert("t")</script> <img src=x onerror=alert(1)> [click](javascript:alert(2)) '
           '![i](javascript:alert(3)) <https://example.org> a|b & c \\[x](javascript:alert(4)) `<b>x</b>`')


def _scenario(tmp_path: Path, title: str = "A plain title", note: str | None = None, urls: list[str] = (),
              name: str = "case.yaml") -> Path:
    """The Kazakhstan scenario with another title and file name, a note on its contested fact, more sources."""
    text = KAZAKHSTAN.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^title: .*$", lambda _: "title: " + json.dumps(title), text, count=1)
    extra = "".join(f"  extra_{n}:\n    cite: extra source {n}\n    url: {json.dumps(url)}\n"
                    for n, url in enumerate(urls))
    text = text.replace("\nsources:\n", "\nsources:\n" + extra, 1)
    if note is not None:
        text, found = re.subn(r"(    status: alleged\n    source: aboutlyrics\n    note: )>\n(?:      .*\n)+",
                              lambda m: m.group(1) + json.dumps(note) + "\n", text, count=1)
        assert found == 1
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


class _Tags(HTMLParser):
    """Every tag and every URL-valued attribute of an HTML document."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.urls: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.urls += [v or "" for k, v in attrs if k in ("href", "src", "action", "formaction")]
        assert not any(k.startswith("on") for k, _ in attrs), (tag, attrs)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(html: str) -> _Tags:
    p = _Tags()
    p.feed(html)
    p.close()
    return p


def _visible(text: str) -> str:
    return re.sub(r"[\x00-\x20\x7f]+", "", text)


def _is_http(url: str) -> bool:
    return url.startswith(("http://", "https://", "HTTP://", "HTTPS://"))


# ---- point 5: links and text in the HTML report and in Markdown ---------------------------------


def test_the_html_report_links_only_http_urls(tmp_path: Path):
    scenario = _scenario(tmp_path, urls=BAD_URLS + GOOD_URLS)
    out = tmp_path / "r.html"
    code, _, err = run("report", str(scenario), "-o", str(out), *NO_LIMITS)
    assert code == 0, err
    page = _parse(out.read_text(encoding="utf-8"))
    assert "script" not in page.tags
    links = [u for u in page.urls if not u.startswith("#")]
    assert links and all(_is_http(u) for u in links), links
    shipped = re.findall(r"(?m)^    url: (\S+)$", KAZAKHSTAN.read_text(encoding="utf-8"))
    assert sorted(links) == sorted(GOOD_URLS + shipped)  # the good ones are links, unchanged once unescaped
    text = _visible("".join(page.text))
    for url in BAD_URLS:  # the others are shown as text, so the reader still sees them
        assert _visible(url) in text, url


def test_markdown_output_shows_scenario_text_as_text(tmp_path: Path):
    markdown_it = pytest.importorskip("markdown_it")
    # a shared folder of scenarios names its files too
    scenario = _scenario(tmp_path, title=PAYLOAD, note=PAYLOAD, name="a`<img src=x onerror=alert(5)>``.yaml")
    code, md, err = run("check", str(scenario), "--format", "markdown", *NO_LIMITS)
    assert code == 0, err
    # a renderer as permissive as any in use: raw HTML on, every link scheme allowed
    renderer = markdown_it.MarkdownIt("commonmark", {"html": True}).enable("table")
    renderer.validateLink = lambda url: True
    page = _parse(renderer.render(md))
    allowed = {"h1", "h2", "p", "code", "table", "thead", "tbody", "tr", "th", "td", "a", "em", "strong"}
    assert set(page.tags) <= allowed, set(page.tags) - allowed
    assert all(_is_http(u) for u in page.urls), page.urls
    # and the text reads as written: the title is the first heading's text, exactly
    heading = renderer.render(md.splitlines()[0])
    assert "".join(_parse(heading).text).strip() == PAYLOAD
    assert "".join(page.text).count(PAYLOAD) == 2  # the title and the contested fact's note
    assert str(scenario) in "".join(page.text)


def test_markdown_of_plain_text_is_unchanged(tmp_path: Path):
    code, md, _ = run("check", str(KAZAKHSTAN), "--format", "markdown", *NO_LIMITS)
    assert code == 0
    assert md.startswith("# Kazakhstan requests CSTO assistance, January 2022\n\n`")
    assert "| Armenia | take assistance measures | Kazakhstan | cst art. 2(2) [2010] | cst_2_assist_2010 |" in md
    code, md, _ = run("check", str(KAZAKHSTAN), "--format", "markdown", "--ids", *NO_LIMITS)
    assert "| armenia | take_assistance_measures | kazakhstan | cst art. 2(2) [2010] | cst_2_assist_2010 |" in md


def test_terminal_output_shows_control_characters_instead_of_obeying_them(tmp_path: Path):
    # a terminal obeys ESC sequences: a hyperlink to anywhere, hidden or rewritten lines, reversed text
    title = "X\x1b]8;;file:///etc/passwd\x1b\\link\x1b]8;;\x1b\\ \x1b[2J\u202eevil"
    scenario = _scenario(tmp_path, title=title, note="a\x1b[8mhidden\nline")
    code, out, err = run("check", str(scenario), *NO_LIMITS)
    assert code == 0, err
    assert out.startswith("X\\x1b]8;;file:///etc/passwd\\x1b\\link\\x1b]8;;\\x1b\\ \\x1b[2J\\u202eevil\n")
    code, out, err = run("explain", str(scenario), *NO_LIMITS)
    assert code == 0, err
    assert "note: a\\x1b[8mhidden line" in out and "\x1b" not in out
    for fmt in ("markdown",):  # a Markdown file shown in a terminal (cat, less -R) obeys them too
        code, out, err = run("check", str(scenario), "--format", fmt, *NO_LIMITS)
        assert code == 0, err
        assert "\x1b" not in out and "\u202e" not in out and "\\x1b" in out
    code, out, err = run("report", str(scenario), "--format", "markdown", "-o", "-", *NO_LIMITS)
    assert code == 0, err
    assert "\x1b" not in out and "\u202e" not in out


# ---- point 11: checking the output file before the work -----------------------------------------


def _refused(output: Path | str, inputs: list[Path] = (), what: str = "report") -> str:
    with pytest.raises(TreatyError) as info:
        files.check_output(str(output), inputs, what)
    assert info.value.exit_code == 2
    return str(info.value)


def test_check_output_refuses_an_input_by_any_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    rule = tmp_path / "rules" / "teu.rules"
    rule.parent.mkdir()
    rule.write_text("x", encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    link = tmp_path / "link.html"
    link.symlink_to(rule)
    hard = tmp_path / "hard.html"
    os.link(rule, hard)
    for output in ("../rules/teu.rules", str(rule), "../rules/../rules/teu.rules", str(link), str(hard)):
        assert "refusing to overwrite an input file with the report" in _refused(output, [rule.resolve()])
    assert rule.read_text(encoding="utf-8") == "x"


def test_check_output_refuses_what_cannot_be_written_there(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    fifo = tmp_path / "fifo.html"
    os.mkfifo(fifo)
    assert "a FIFO" in _refused(fifo)
    assert "a directory" in _refused(tmp_path)
    plain = tmp_path / "plain"
    plain.write_text("", encoding="utf-8")
    assert "no such directory" in _refused(plain / "out.html")
    assert "no such directory" in _refused(tmp_path / "missing" / "out.html")

    def refuse(*args: object, **kwargs: object) -> object:  # os.access lies to root: try a real file
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(files.tempfile, "mkstemp", refuse)
    message = _refused(tmp_path / "out.html", what="JUnit XML")
    assert "cannot write the JUnit XML there: Permission denied" in message
    assert list(tmp_path.iterdir()) == [fifo, plain] or sorted(tmp_path.iterdir()) == sorted([fifo, plain])


def test_check_output_writes_through_a_symlink_and_leaves_nothing(tmp_path: Path):
    real = tmp_path / "real.html"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.html"
    link.symlink_to(real)
    target = files.check_output(str(link), [], "report")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.html", "real.html"]  # the probe is gone
    files.write_atomically(target, "new")
    assert link.is_symlink() and real.read_text(encoding="utf-8") == "new"


# ---- point 11: writing ---------------------------------------------------------------------------


def test_an_existing_file_keeps_its_mode(tmp_path: Path):
    target = tmp_path / "report.html"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o600)
    files.write_atomically(target, "new")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600 and target.read_text(encoding="utf-8") == "new"
    fresh = tmp_path / "fresh.html"
    old = os.umask(0o027)
    try:
        files.write_atomically(fresh, "new")
    finally:
        os.umask(old)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o640


def test_a_full_disk_is_a_located_error_and_leaves_no_temporary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    target = tmp_path / "results.xml"
    target.write_text("the previous results\n", encoding="utf-8")
    real_fdopen = os.fdopen

    class Full:
        def __init__(self, fd: int, *args: object, **kwargs: object) -> None:
            self.fh = real_fdopen(fd, "wb")

        def __enter__(self) -> Full:
            return self

        def __exit__(self, *exc: object) -> None:
            self.fh.close()

        def write(self, data: bytes) -> int:
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files.os, "fdopen", Full)
    with pytest.raises(TreatyError) as info:
        files.write_atomically(target, "<testsuites>" + "x" * 100_000)
    assert info.value.exit_code == 2
    assert str(info.value).startswith(f"{target}: error: cannot write {target}: No space left on device")
    assert isinstance(info.value, OSError)  # callers that shrug off a failed write (the cache) still can
    assert target.read_text(encoding="utf-8") == "the previous results\n"
    assert [p.name for p in tmp_path.iterdir()] == ["results.xml"]


def test_a_signal_before_the_rename_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    target = tmp_path / "report.html"
    target.write_text("old", encoding="utf-8")
    before = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}

    def ctrl_c() -> None:  # Ctrl-C while the file is being written: held until the temporary file is gone
        os.kill(os.getpid(), signal.SIGINT)  # (the kernel may give it to another thread: wait for it)
        deadline = time.monotonic() + 5
        while not files._noted and time.monotonic() < deadline:
            time.sleep(0.001)

    monkeypatch.setattr(files, "_before_rename", ctrl_c)
    with pytest.raises(KeyboardInterrupt):
        files.write_atomically(target, "new")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]
    assert {s: signal.getsignal(s) for s in before} == before  # the handlers are back


# The CLI in a subprocess, with a way to make a signal arrive at a chosen moment of the write.
WRAPPER = """
import os, signal, sys, time
from pathlib import Path
from engine import files
from engine.tools.cli import main

mode, target, marker = sys.argv.pop(1), os.path.realpath(sys.argv.pop(1)), Path(sys.argv.pop(1))
if mode == "window":  # wait just before the rename until the test's signal has come (and been held)
    def wait():
        marker.touch()
        deadline = time.monotonic() + 0.9  # within the second a limited child is given to finish
        while not files._noted and time.monotonic() < deadline:
            time.sleep(0.005)
    files._before_rename = wait
else:  # "after": the signal arrives as the rename completes
    real = os.replace
    def replace(src, dst, **kw):
        real(src, dst, **kw)
        if os.path.realpath(dst) == target:
            os.kill(os.getpid(), getattr(signal, mode))
    os.replace = replace
sys.argv[0] = "treaty"
main()
"""


def _start(tmp_path: Path, mode: str, target: Path, *args: str) -> tuple[subprocess.Popen[str], Path]:
    script = tmp_path / "wrapper.py"
    script.write_text(WRAPPER, encoding="utf-8")
    marker = tmp_path / "in-the-window"
    proc = subprocess.Popen([sys.executable, str(script), mode, str(target), str(marker), "report", str(KAZAKHSTAN),
                             "-o", str(target), *args], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)
    return proc, marker


def _wait_for(marker: Path, proc: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 15
    while not marker.exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"the write never reached the rename window: {proc.communicate()}")
        time.sleep(0.005)


@pytest.mark.parametrize("limited", [True, False])
def test_a_signal_in_the_rename_window_writes_nothing_and_leaves_nothing(tmp_path: Path, limited: bool):
    target = tmp_path / "out.html"
    target.write_text("old", encoding="utf-8")
    proc, marker = _start(tmp_path, "window", target, *(() if limited else NO_LIMITS))
    _wait_for(marker, proc)
    if limited:  # Ctrl-C at a terminal: SIGINT to the whole process group (the CLI and its limited child)
        os.killpg(proc.pid, signal.SIGINT)
    else:
        proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == (130 if limited else -signal.SIGTERM), (out, err)
    assert target.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in-the-window", "out.html", "wrapper.py"]


@pytest.mark.parametrize(("signame", "limited"), [("SIGINT", False), ("SIGTERM", False), ("SIGTERM", True)])
def test_a_signal_once_the_file_is_in_place_is_not_an_interruption(tmp_path: Path, signame: str, limited: bool):
    target = tmp_path / "out.html"
    target.write_text("old", encoding="utf-8")
    proc, _ = _start(tmp_path, signame, target, *(() if limited else NO_LIMITS))
    out, err = proc.communicate(timeout=30)
    # the write happened, so the command says so: exit 130 would claim that nothing was written
    assert proc.returncode == 0 and out.startswith(f"wrote {target}"), (proc.returncode, out, err)
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.html", "wrapper.py"]


# ---- point 10: reading a FIFO --------------------------------------------------------------------


def _in_a_thread(fn, timeout: float = 5.0) -> BaseException | None:
    """What ``fn`` raised, run in a thread so that a read that blocks fails the test instead of hanging it."""
    raised: list[BaseException | None] = [None]

    def target() -> None:
        try:
            fn()
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            raised[0] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(timeout)
    return raised[0] if not thread.is_alive() else TimeoutError("blocked")


def test_reading_a_fifo_is_refused_at_once(tmp_path: Path):
    fifo = tmp_path / "case.yaml"
    os.mkfifo(fifo)
    try:
        for read in (lambda: files.read_utf8(fifo), lambda: files.read_utf8(Path("/dev/null"))):
            raised = _in_a_thread(read)
            assert isinstance(raised, TreatyError), raised
            assert raised.exit_code == 2 and "not a regular file" in str(raised)
        assert str(_in_a_thread(lambda: files.read_utf8(fifo))).startswith(f"{fifo}: error: cannot read: it is a FIFO")
    finally:  # unblock a reader left behind by a regression
        try:
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        except OSError:
            pass


def test_the_cli_refuses_a_fifo_scenario_at_once(tmp_path: Path):
    fifo = tmp_path / "case.yaml"
    os.mkfifo(fifo)
    try:
        proc = subprocess.run([sys.executable, "-m", "engine", "check", str(fifo)], cwd=ROOT, capture_output=True,
                              text=True, timeout=20)
    except subprocess.TimeoutExpired:
        pytest.fail("treaty check waited on a FIFO")
    assert proc.returncode == 2 and f"{fifo}: error: cannot read: it is a FIFO" in proc.stderr


@pytest.mark.parametrize("target", ["rules/teu.rules", "rules/un_charter.rules"])
def test_a_report_never_overwrites_a_rule_file_read_from_another_directory(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch,
                                                                          target: str):
    # the shipped rules are named rules/... in messages wherever the command runs: the guard
    # compares the files read by where they are, not by those names
    monkeypatch.chdir(tmp_path)
    shipped = ROOT / target
    before = shipped.read_bytes()
    code, out, err = run("report", str(KAZAKHSTAN), "-o", str(shipped), *NO_LIMITS)
    assert (code, out) == (2, "")
    assert err.startswith(f"{shipped}: error: refusing to overwrite an input file with the report\n")
    assert shipped.read_bytes() == before
    code, _, err = run("test", str(KAZAKHSTAN), "--junit-xml", str(shipped), *NO_LIMITS)
    assert code == 2 and "refusing to overwrite an input file with the JUnit XML" in err
    assert shipped.read_bytes() == before


def test_an_included_rule_file_is_an_input_too(tmp_path: Path):
    (tmp_path / "inc.rules").write_text((ROOT / "rules" / "un_charter.rules").read_text(encoding="utf-8"),
                                        encoding="utf-8")
    (tmp_path / "main.rules").write_text('include "inc.rules"\n', encoding="utf-8")
    code, _, err = run("report", str(KAZAKHSTAN), "--rules", str(tmp_path / "main.rules"),
                       "-o", str(tmp_path / "inc.rules"), *NO_LIMITS)
    assert code == 2 and "refusing to overwrite an input file with the report" in err


def test_a_fifo_named_as_a_rule_file_is_refused_as_such(tmp_path: Path):
    fifo = tmp_path / "pipe.rules"
    os.mkfifo(fifo)
    code, out, err = run("lint", str(fifo))
    assert (code, out) == (2, "")
    assert err.startswith(f"{fifo}: error: cannot read: it is a FIFO (named pipe), not a regular file\n")


def test_one_case_that_hits_a_bug_does_not_stop_treaty_test(monkeypatch: pytest.MonkeyPatch):
    import engine.tools.testing

    check = engine.tools.testing._check

    def flaky(case, loaded, analysis):
        if case.variant == "attack_denied":
            raise ValueError("a bug of ours")
        return check(case, loaded, analysis)

    monkeypatch.setattr(engine.tools.testing, "_check", flaky)
    monkeypatch.setenv("COLUMNS", "200")  # the lines whole (tests/test_width.py wraps them)
    code, out, _ = run("test", str(KAZAKHSTAN), *NO_LIMITS)
    assert code == 70  # the worst seen
    k = KAZAKHSTAN
    assert out == (f"PASS {k}\nPASS {k}::attack_established\nERROR {k}::attack_denied\n"
                   f"  {k}: internal error: ValueError: a bug of ours\n"
                   "    hint: this is a bug in treaty-engine; please report it with this file "
                   "(TREATY_DEBUG=1 shows the traceback)\n"
                   + "".join(f"PASS {k}::{v}\n" for v in (
                       "non_state_attacks_count", "state_attacks_only", "any_notice_counts_as_report",
                       "protest_suppression_reading", "security_council_acts", "security_council_supersedes",
                       "immediately_means_the_same_day"))
                   + "9 passed, 1 failed\n")


def test_messages_show_control_characters_and_keep_the_caret_in_place():
    from engine.errors import Diagnostic, Span, render

    name = "evil\n\x1b[2Jname.yaml"
    text = "title: a\x1b[31mb\x00c `x`\n"
    diag = Diagnostic(Span(name, 1, 16, 1, 19), "unknown entity `r\x1b]0;owned\x07`", "did you mean `\u202eabc`?")
    assert render(diag, {name: text}) == (
        "evil\\n\\x1b[2Jname.yaml:1:16: error: unknown entity `r\\x1b]0;owned\\x07`\n"
        "  title: a␛[31mb␀c `x`\n"
        "                 ^^^\n"
        "  hint: did you mean `\\u202eabc`?")
