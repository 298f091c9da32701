"""Floor (b): xclingo explaining the same compiled program and facts (every te_concl atom).

    python benchmarks/xclingo_floor.py PROGRAM.lp FACTS.lp

Prints the number of conclusions explained, xclingo's time, and plain clingo's time to ground and
solve the same program and facts (so that the explaining alone can be compared).

xclingo does not accept anonymous variables in rule bodies, so `_` is renamed to fresh
variables (the benchmark rule files have no negated condition where that would matter), and
each conclusion rule gets a `%!trace_rule` label, as xclingo's users write them.
"""

import itertools
import re
import sys
import time

import clingo
from xclingo import XclingoControl


def annotate(program: str) -> str:
    fresh = itertools.count()
    out = []
    for line in program.splitlines():
        if line.startswith("#show"):
            continue
        if ":-" in line:
            line = re.sub(r"(?<![A-Za-z0-9_])_(?![A-Za-z0-9_])", lambda m: f"XA{next(fresh)}", line)
            if line.startswith("te_concl("):
                out.append(f'%!trace_rule {{"{line.split(",")[1]}"}}.')
        out.append(line)
    out.append("%!show_trace {te_concl(K,R,B,A,P,D)} :- te_concl(K,R,B,A,P,D).")
    return "\n".join(out) + "\n"


start = time.perf_counter()
plain = clingo.Control(["1"])
plain.add("base", [], open(sys.argv[1], encoding="utf-8").read() + open(sys.argv[2], encoding="utf-8").read())
plain.ground([("base", [])])
plain.solve()
plain_s = time.perf_counter() - start

start = time.perf_counter()
text = annotate(open(sys.argv[1], encoding="utf-8").read()) + open(sys.argv[2], encoding="utf-8").read()
ctl = XclingoControl(["1"], n_explanations="1")
ctl.add("base", [], text)
ctl.ground([("base", [])])
explained = 0
for model in ctl.solve():
    for graph in model.explain_model():
        for atom in graph.show_trace:
            graph.explain(atom).ascii_tree()
            explained += 1
    break
print(f"{explained} {time.perf_counter() - start:.3f} {plain_s:.3f}")
