"""Coverage-guided fuzzing with atheris (libFuzzer): any bytes as a rule file, a rule file's name, or a
scenario file.

The only acceptable outcomes are a result or our own error (TreatyError, every diagnostic located),
within a time bound; a compiled rule base must hold only the compiler's own statements and read no
file (issue 11: nothing of a rule file, its text or its name, becomes program text). Anything else is
a crash, and libFuzzer stops and writes the input that caused it.

    python -m pip install -e '.[fuzz]'
    python tests/atheris_fuzz.py rules -atheris_runs=20000
    python tests/atheris_fuzz.py rulename -atheris_runs=5000
    python tests/atheris_fuzz.py scenario -atheris_runs=20000

The shipped rule files and scenarios seed the corpus; the grammar's keywords and ASP's directives form
the dictionary. Not collected by pytest (the suite's own fuzzing is tests/test_fuzz.py, with hypothesis).
"""

from __future__ import annotations

import atexit
import os
import sys
import tempfile
import time
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["engine"]):
    from engine import Rules, TreatyError, load_rules
    from engine.pipeline import analyse

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_rule_security import assert_inert  # noqa: E402  (the property, shared with the suite)

ROOT = Path(__file__).resolve().parent.parent
BOUND = 10.0  # seconds for any one input
WORDS = ["rule", "derived", "input", "event", "when", "unless", "not", "on", "from", "due", "immediately", "until",
         "obligation", "permission", "prohibition", "to", "article", "instrument", "party", "parties", "source",
         "text", "authentic", "in force", "priority", "over", "constraint", "include", "(", ")", ",", ".", ":",
         '"', '"""', "2022-01-05", "2022-02-30", "99999999999", "X", "_", "!=", "<=", "+", "events:", "facts:",
         "entities:", "status: alleged", "status: denied", "- event: ", "on: ", "kind: state", "!!python/object",
         "=", "<<", "&a ", "*a", "? ", "---", "{", "}", "[", "]", "'", "|", ">", "~", "0x1f", ".inf",
         # ASP that would change the program if it escaped a string or a comment
         "#include", '#include "payload.lp".', "#script (python)", "#end.", "#program base.", "#const n=1.",
         "#external", "%*", "*%", "%", "\\n", '\\"', "\n", "\r", "\u2028", "\u2029", "\x85", "\x0b", "\x0c",
         "@f(1)", "&t{}", ":-", "te_concl(obligation,r,a,b,c,1)."]

TARGET = Path(tempfile.mkdtemp(prefix="treaty-atheris-"))
(TARGET / "un_charter.rules").write_bytes((ROOT / "rules" / "un_charter.rules").read_bytes())  # cst.rules includes it
(TARGET / "payload.lp").write_text("secret_payload_42.\n", encoding="utf-8")  # what an escaped #include would read
BASE = (ROOT / "tests" / "golden" / "ok_base.rules").read_text(encoding="utf-8")
runs = {"inputs": 0, "results": 0, "our_errors": 0}


def _bounded(call):  # type: ignore[no-untyped-def]
    start = time.monotonic()
    runs["inputs"] += 1
    result = None
    try:
        result = call()
        runs["results"] += 1
    except TreatyError as err:
        runs["our_errors"] += 1
        if not all(d.span is not None for d in err.diagnostics):
            raise RuntimeError(f"an unlocated diagnostic: {err}") from None
    elapsed = time.monotonic() - start
    if elapsed > BOUND:
        raise RuntimeError(f"an input took {elapsed:.1f} s (bound {BOUND} s)")
    if isinstance(result, Rules):
        assert_inert(result.program.text)  # only the compiler's statements; no #include reached clingo


def fuzz_rules(data: bytes) -> None:
    path = TARGET / "fuzz.rules"
    path.write_bytes(data)
    _bounded(lambda: load_rules(path, cache=False))


def fuzz_rule_name(data: bytes) -> None:
    """Any bytes as the name of a valid rule file: the name is shown in comments, never run."""
    name = data.decode("utf-8", "replace").replace("/", "_").replace("\0", "_")[:100] + ".rules"
    path = TARGET / "names" / name
    path.parent.mkdir(exist_ok=True)
    try:
        path.write_text(BASE + 'constraint c1 "c": when asked(A, B) on D, asked(B, A) on D.\n', encoding="utf-8")
    except OSError:  # a name the file system refuses (too long)
        return
    try:
        _bounded(lambda: load_rules(path, cache=False))
    finally:
        path.unlink()


_SHIPPED = None


def fuzz_scenario(data: bytes) -> None:
    global _SHIPPED
    if _SHIPPED is None:
        _SHIPPED = load_rules(ROOT / "rules", cache=False)
    path = TARGET / "fuzz.yaml"
    path.write_bytes(data)
    _bounded(lambda: analyse(_SHIPPED, str(path)))


def _dictionary_entry(word: str) -> str:
    """A libFuzzer dictionary line: printable ASCII as is, every other byte (and quote, backslash) as \\xHH."""
    return '"' + "".join(chr(b) if 32 <= b < 127 and b not in (34, 92) else f"\\x{b:02x}"
                         for b in word.encode("utf-8")) + '"'


def main() -> None:
    targets = {"rules": fuzz_rules, "rulename": fuzz_rule_name, "scenario": fuzz_scenario}
    if len(sys.argv) < 2 or sys.argv[1] not in targets:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    which = sys.argv.pop(1)
    corpus = TARGET / f"corpus-{which}"
    corpus.mkdir()
    if which == "rulename":
        for i, seed_name in enumerate(["a.rules", 'x\n#include "payload.lp".\n%', "%* *% #script", "é\u2028"]):
            (corpus / f"seed{i}").write_bytes(seed_name.encode("utf-8"))
    else:
        seeds = sorted((ROOT / "rules").glob("*.rules")) if which == "rules" else sorted(
            (ROOT / "scenarios").glob("*.yaml"))
        for seed in seeds:
            (corpus / seed.name).write_bytes(seed.read_bytes())
    dictionary = TARGET / "words.dict"
    dictionary.write_text("".join(f"{_dictionary_entry(w)}\n" for w in WORDS), encoding="ascii")
    os.chdir(TARGET)  # libFuzzer writes crash-* files into the working directory
    args = [*sys.argv, f"-dict={dictionary}", "-max_len=20000", "-timeout=30", str(corpus)]
    atexit.register(lambda: print(f"treaty atheris {which}: {runs}", file=sys.stderr))  # libFuzzer exits directly
    atheris.Setup(args, targets[which])
    atheris.Fuzz()


if __name__ == "__main__":
    main()
