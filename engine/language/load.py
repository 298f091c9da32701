"""Finding, reading, parsing, checking and compiling rule files: ``load_rules``."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from ..errors import Diagnostic, Span, TreatyError
from . import ast
from . import cache as rule_cache
from .check import check
from .compile import compile_rules, test_ground, visible
from .ruleset import Rules, read_source

RULE_SUFFIX = ".rules"


def default_rules_dir() -> Path:
    """The rule base shipped with the engine: inside the package when installed, ``rules/`` in a checkout."""
    here = Path(__file__).resolve().parent.parent  # engine/
    for candidate in (here / "rules", here.parent / "rules"):
        if candidate.is_dir() and any(candidate.glob(f"*{RULE_SUFFIX}")):
            return candidate
    return here.parent / "rules"


def rule_files(paths: Iterable[str | Path]) -> list[Path]:
    """The rule files named by ``paths`` (files, or directories searched for ``*.rules``)."""
    found: list[Path] = []
    problems: list[Diagnostic] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            files = sorted(path.rglob(f"*{RULE_SUFFIX}"))
            if not files:
                problems.append(Diagnostic(Span(str(p), 0, 0), f"no rule files (*{RULE_SUFFIX}) in this directory"))
            found.extend(files)
        elif path.exists():  # a file; anything else (a FIFO, a device) is refused by name when read
            found.append(path)
        else:
            problems.append(Diagnostic(Span(str(p), 0, 0), "no such file or directory"))
    if problems:
        raise TreatyError(problems)
    return list(dict.fromkeys(found))


def _display_name(shipped: Path | None):  # -> Callable[[Path], str]
    def display(path: Path) -> str:
        if shipped is not None:
            try:
                return str(Path("rules") / path.resolve().relative_to(shipped.resolve()))
            except ValueError:
                pass
        return str(path)

    return display


def is_rule_file(path: Path) -> bool:
    """Named ``*.rules``, and so is the file a link leads to: the only files whose text a message may show."""
    return path.name.endswith(RULE_SUFFIX) and path.resolve().name.endswith(RULE_SUFFIX)


class _Bounds:
    """Where includes may lead: the directories named, those of the files named, and the files named.

    A rule file is shared like a document; its `include` must not reach out of the rule base into the
    rest of the file system (``include "/home/me/.ssh/id_rsa"``) unless the user names that file too.
    """

    def __init__(self, named: list[Path], files: list[Path]) -> None:
        tops = [p if p.is_dir() else p.parent for p in named]
        self.roots = sorted({p.resolve() for p in tops})
        self.shown = ", ".join(dict.fromkeys(str(p) for p in tops))  # as the user named them
        self.files = {f.resolve() for f in files}

    def allow(self, target: Path) -> bool:
        real = target.resolve()
        return real in self.files or any(real.is_relative_to(root) for root in self.roots)


def _include_problem(inc: ast.Include, target: Path, bounds: _Bounds,
                     opened: Mapping[Path, str] | None = None) -> Diagnostic | None:
    shown = visible(inc.path)
    if not bounds.allow(target):
        return Diagnostic(inc.span, f"included file `{shown}` is outside the rule base ({visible(bounds.shown)})",
                          f"an include stays in the directories of the rule files named; to use this file, "
                          f"name it too: `{visible(str(target))}`")
    if not is_rule_file(target):
        return Diagnostic(inc.span, f"included file `{shown}` is not a rule file",
                          f"only `*{RULE_SUFFIX}` files can be included")
    if not target.is_file() and not (opened and target.resolve() in opened):
        return Diagnostic(inc.span, f"included file not found: {visible(str(target))}",
                          "paths are relative to the including file")
    return None


def _unshown(diag: Diagnostic) -> Diagnostic:
    """A syntax error in a file that is not a rule file, without the token it quotes from the file."""
    return Diagnostic(diag.span, "not a rule file: this does not parse as the rule language",
                      f"rule files are named `*{RULE_SUFFIX}`; a message shows no text of any other file")


def parse_files(paths: Iterable[str | Path], shipped: Path | None = None,
                real_paths: dict[str, str] | None = None, opened: Mapping[Path, str] | None = None,
                parse: Callable[[str, str], ast.RuleFile] | None = None
                ) -> tuple[list[ast.RuleFile], dict[str, str]]:
    """Parse every rule file and the files they include, collecting every problem before raising.

    Files of the ``shipped`` rule base are named ``rules/...`` wherever the package is installed, so
    that findings and messages read the same on every machine. ``real_paths`` receives the resolved
    path of every file read, by display name, in the order read.

    ``opened`` gives the texts of files open in an editor (by resolved path), read instead of the disk
    and existing even if never saved; ``parse`` replaces :func:`~engine.language.parse.parse_text` (the
    language server's, which keeps each text's parse).
    """

    if parse is None:
        from .parse import parse_text  # Lark is loaded only when rule files are parsed (not on a cache hit)

        parse = parse_text
    opened = opened or {}

    display = _display_name(shipped)
    parsed: list[ast.RuleFile] = []
    texts: dict[str, str] = {}
    problems: list[Diagnostic] = []
    seen: set[Path] = set()
    named = [Path(p) for p in paths]
    queue = [p for p in named if p.resolve() in opened] + rule_files(p for p in named if p.resolve() not in opened)
    bounds = _Bounds(named, queue)
    while queue:
        path = queue.pop(0)
        if path.resolve() in seen:
            continue
        seen.add(path.resolve())
        shown = is_rule_file(path)
        try:
            text = opened[path.resolve()] if path.resolve() in opened else read_source(path)
            if real_paths is not None:
                real_paths[display(path)] = str(path.resolve())
        except TreatyError as err:
            problems.extend(err.diagnostics)
            continue
        try:
            rule_file = parse(text, display(path))
        except TreatyError as err:
            if shown:
                problems.extend(err.diagnostics)
                texts.update(err.texts)
            else:
                problems.extend(_unshown(d) for d in err.diagnostics)
            continue
        texts[display(path)] = text
        parsed.append(rule_file)
        for inc in rule_file.includes:
            target = path.parent / inc.path
            problem = _include_problem(inc, target, bounds, opened)
            if problem is not None:
                problems.append(problem)
            elif target.resolve() not in seen:
                queue.append(target)
    if problems:
        raise TreatyError(problems, texts)
    return parsed, texts


def load_rules(paths: str | Path | Iterable[str | Path] | None = None, *, cache: bool = True) -> Rules:
    """Parse, check and compile rule files (default: the shipped rule base).

    A rule base compiled before from the same files comes from the cache (:mod:`engine.language.cache`).
    Raises :class:`~engine.errors.TreatyError` listing every problem found.
    """
    shipped = None
    if paths is None:
        shipped = default_rules_dir()
        paths = [shipped]
    elif isinstance(paths, str | Path):
        paths = [paths]
    paths = list(paths)
    display = _display_name(shipped)
    key = None
    if cache:
        top = [(display(p), str(p.resolve()), read_source(p)) for p in rule_files(paths)]
        key = rule_cache.key(top)
        cached = rule_cache.load(key)
        if cached is not None:
            return cached
    from ..limits import stage

    stage("reading and checking the rule files")
    real_paths: dict[str, str] = {}
    files, texts = parse_files(paths, shipped, real_paths)
    base, problems = check(files, texts)
    if problems:
        raise TreatyError(problems, texts)
    program = compile_rules(base)
    stage("grounding the rules on their own")
    test_ground(program, texts)
    rules = Rules(base, program, tuple(real_paths.values()))
    if key is not None:
        rule_cache.store(key, rules, real_paths)
    return rules
