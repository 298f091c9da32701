"""Floor (a): clingo alone, on the already-compiled program and facts. No parsing, validation or reports.

    python benchmarks/floor_a.py PROGRAM.lp FACTS.lp

The same clingo work `treaty check` asks for: ground, then brave and cautious consequences.
"""

import sys

import clingo

ctl = clingo.Control(["--models=0", "--warn=none"])
for path in sys.argv[1:]:
    ctl.load(path)
ctl.ground([("base", [])])
last: list = []
for mode in ("brave", "cautious"):
    ctl.configuration.solve.enum_mode = mode
    ctl.solve(on_model=lambda m: last.__setitem__(slice(None), m.symbols(shown=True)))
print(len(last))
