"""Small helpers shared by the tests: ground a compiled program over hand-written facts; run the CLI."""

from __future__ import annotations

from datetime import date

import clingo
from click.testing import CliRunner

from engine import Rules
from engine.tools.cli import treaty


def run(*args: str) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of ``treaty ARGS``, run in-process."""
    result = CliRunner().invoke(treaty, list(args))
    return result.exit_code, result.stdout, result.stderr


def sym(value: object) -> clingo.Symbol:
    if isinstance(value, clingo.Symbol):
        return value
    if isinstance(value, date):
        return clingo.Number(value.toordinal())
    if isinstance(value, int):
        return clingo.Number(value)
    assert isinstance(value, str)
    return clingo.Function(value)


def fact(name: str, *args: object) -> clingo.Symbol:
    return clingo.Function(name, [sym(a) for a in args])


def solve(rules: Rules, facts: list[clingo.Symbol]) -> list[clingo.Symbol]:
    """Every atom of the (unique) answer set of the rules plus the facts."""
    ctl = clingo.Control(["--warn=none"])
    ctl.add("base", [], rules.program.text)
    with ctl.backend() as backend:
        for f in facts:
            backend.add_rule([backend.add_atom(f)])
    ctl.ground([("base", [])])
    models: list[list[clingo.Symbol]] = []
    ctl.solve(on_model=lambda m: models.append(list(m.symbols(atoms=True))))
    assert len(models) == 1
    return models[0]


def conclusions(atoms: list[clingo.Symbol], kind: str | None = None, rule: str | None = None) -> set[tuple]:
    """(kind, rule, bearer, action, counterparty, trigger date) of every te_concl atom, filtered."""
    out = set()
    for a in atoms:
        if a.name != "te_concl":
            continue
        k, r, b, act, p, d = a.arguments
        if (kind is None or k.name == kind) and (rule is None or r.name == rule):
            out.add((k.name, r.name, str(b), str(act), str(p), date.fromordinal(d.number)))
    return out


def atoms_named(atoms: list[clingo.Symbol], name: str) -> list[clingo.Symbol]:
    return [a for a in atoms if a.name == name]


def bound(atoms: list[clingo.Symbol], rule: str) -> set[tuple[str, str]]:
    """(bearer, counterparty) of the obligations concluded by the rule."""
    return {(c[2], c[4]) for c in conclusions(atoms, "obligation", rule)}
