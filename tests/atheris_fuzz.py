"""Coverage-guided fuzzing with atheris (libFuzzer): any bytes as a rule file or a scenario file.

The only acceptable outcomes are a result or our own error (TreatyError), within a time bound;
anything else is a crash, and libFuzzer stops and writes the input that caused it.

    python -m pip install -e '.[fuzz]'
    python tests/atheris_fuzz.py rules -atheris_runs=20000
    python tests/atheris_fuzz.py scenario -atheris_runs=20000

The shipped rule files and scenarios seed the corpus; the grammar's keywords form the dictionary.
Not collected by pytest (the suite's own fuzzing is tests/test_fuzz.py, with hypothesis).
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
    from engine import TreatyError, load_rules
    from engine.pipeline import analyse

ROOT = Path(__file__).resolve().parent.parent
BOUND = 10.0  # seconds for any one input
WORDS = ["rule", "derived", "input", "event", "when", "unless", "not", "on", "from", "due", "immediately", "until",
         "obligation", "permission", "prohibition", "to", "article", "instrument", "party", "parties", "source",
         "text", "authentic", "in force", "priority", "over", "constraint", "include", "(", ")", ",", ".", ":",
         '"', '"""', "2022-01-05", "2022-02-30", "99999999999", "X", "_", "!=", "<=", "+", "events:", "facts:",
         "entities:", "status: alleged", "status: denied", "- event: ", "on: ", "kind: state", "!!python/object",
         "=", "<<", "&a ", "*a", "? ", "---", "{", "}", "[", "]", "'", "|", ">", "~", "0x1f", ".inf"]

TARGET = Path(tempfile.mkdtemp(prefix="treaty-atheris-"))
(TARGET / "un_charter.rules").write_bytes((ROOT / "rules" / "un_charter.rules").read_bytes())  # cst.rules includes it
runs = {"inputs": 0, "results": 0, "our_errors": 0}


def _bounded(call) -> None:  # type: ignore[no-untyped-def]
    start = time.monotonic()
    runs["inputs"] += 1
    try:
        call()
        runs["results"] += 1
    except TreatyError:
        runs["our_errors"] += 1
    elapsed = time.monotonic() - start
    if elapsed > BOUND:
        raise RuntimeError(f"an input took {elapsed:.1f} s (bound {BOUND} s)")


def fuzz_rules(data: bytes) -> None:
    path = TARGET / "fuzz.rules"
    path.write_bytes(data)
    _bounded(lambda: load_rules(path, cache=False))


_SHIPPED = None


def fuzz_scenario(data: bytes) -> None:
    global _SHIPPED
    if _SHIPPED is None:
        _SHIPPED = load_rules(ROOT / "rules", cache=False)
    path = TARGET / "fuzz.yaml"
    path.write_bytes(data)
    _bounded(lambda: analyse(_SHIPPED, str(path)))


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in ("rules", "scenario"):
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    which = sys.argv.pop(1)
    corpus = TARGET / f"corpus-{which}"
    corpus.mkdir()
    seeds = sorted((ROOT / "rules").glob("*.rules")) if which == "rules" else sorted(
        (ROOT / "scenarios").glob("*.yaml"))
    for seed in seeds:
        (corpus / seed.name).write_bytes(seed.read_bytes())
    dictionary = TARGET / "words.dict"
    dictionary.write_text("".join(f'"{w.replace(chr(34), chr(92) + chr(34))}"\n' for w in WORDS), encoding="utf-8")
    os.chdir(TARGET)  # libFuzzer writes crash-* files into the working directory
    args = [*sys.argv, f"-dict={dictionary}", "-max_len=20000", "-timeout=30", str(corpus)]
    atexit.register(lambda: print(f"treaty atheris {which}: {runs}", file=sys.stderr))  # libFuzzer exits directly
    atheris.Setup(args, fuzz_rules if which == "rules" else fuzz_scenario)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
