"""The package layout shows the pipeline (issue 12): stage packages that import only earlier
stages, no import cycle (not even through a function-local import), no module much over 500 lines."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENGINE = ROOT / "engine"

#: Each stage may import the shared modules at the top and the stages before it, never a later one.
STAGES = {"shared": 0, "language": 1, "cases": 2, "reasoning": 3, "outputs": 4, "api": 4, "tools": 5, "serve": 5,
          "lsp": 5}
SHARED = {"errors", "dates", "limits", "files", "recent", "jsonout"}
API = {"pipeline", "__init__", "__main__"}


def modules() -> dict[str, Path]:
    return {".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__"): p
            for p in sorted(ENGINE.rglob("*.py"))}


def stage(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1:  # engine itself
        return "api"
    if len(parts) == 2 and parts[1] not in STAGES:
        return "shared" if parts[1] in SHARED else "api" if parts[1] in API else "?"
    return parts[1]


def imports(module: str, path: Path) -> set[str]:
    """The engine modules ``module`` imports, anywhere in it (function-local imports too; not those
    only a type checker reads, under ``if TYPE_CHECKING:``)."""
    known = modules()
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = {id(n) for block in ast.walk(tree) if isinstance(block, ast.If)
                   and isinstance(block.test, ast.Name) and block.test.id == "TYPE_CHECKING"
                   for stmt in block.body for n in ast.walk(stmt)}
    out: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            names = [f"{target}.{a.name}" for a in node.names]
            if target == "engine" and not any(n in known for n in names):
                continue  # the package's own light names (__version__), not its lazy API
            out |= {n for n in names if n in known} or ({target} if target in known else set())
        elif isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name in known}
    return out - {module}


def test_every_module_is_in_a_stage():
    assert not [m for m in modules() if stage(m) not in STAGES]


def test_a_stage_imports_only_the_stages_before_it():
    wrong = []
    for module, path in modules().items():
        if module in ("engine", "engine.__main__"):
            continue  # the package's lazy names and `python -m engine` reach the API and the CLI
        for target in imports(module, path):
            if STAGES[stage(target)] > STAGES[stage(module)]:
                wrong.append(f"{module} ({stage(module)}) imports {target} ({stage(target)})")
    assert not wrong, "\n".join(wrong)


def test_no_import_cycle():
    graph = {m: imports(m, p) for m, p in modules().items()}
    state: dict[str, int] = {}
    cycles = []

    def visit(m: str, path: list[str]) -> None:
        state[m] = 1
        for n in sorted(graph[m]):
            if state.get(n) == 1:
                cycles.append(" -> ".join(path[path.index(n):] + [n]))
            elif n not in state:
                visit(n, path + [n])
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m, [m])
    assert not cycles, "\n".join(cycles)


def test_no_module_much_over_500_lines():
    long = {m: n for m, p in modules().items() if (n := len(p.read_text(encoding="utf-8").splitlines())) > 520}
    assert not long, long


def test_the_benchmarks_import_what_the_engine_has():
    """Benchmarks are scripts no test runs whole: at least every engine name they import exists."""
    import importlib

    missing = []
    for path in sorted((ROOT / "benchmarks").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "engine":
                module = importlib.import_module(node.module or "engine")
                for alias in node.names:
                    if not hasattr(module, alias.name):
                        try:
                            importlib.import_module(f"{node.module}.{alias.name}")
                        except ImportError:
                            missing.append(f"{path.name}: {node.module}.{alias.name}")
    assert not missing
