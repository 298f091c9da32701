"""One open document analysed as the command line would: a rule file as ``treaty lint FILE`` does
(with the files it includes, open ones as edited), a scenario as ``treaty check FILE`` does.

Each analysis keeps what the other requests read: the document's own parse and checked rule base
(the last good ones, while the text is broken), or the scenario, its facts and its findings.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import limits
from ..errors import Diagnostic, Span, TreatyError
from ..language import ast
from ..language.rulebase import RuleBase
from ..language.ruleset import Rules
from .names import Names
from .text import Lines, normalised


@dataclass
class Document:
    """What the last analysis of an open document found."""

    uri: str
    path: Path
    name: str  # as messages name the file
    text: str = ""
    lines: Lines = field(default_factory=lambda: Lines([""]))
    diagnostics: list[Diagnostic] = field(default_factory=list)
    version: int | None = None


@dataclass
class RuleDocument(Document):
    file: ast.RuleFile | None = None  # this document's last good parse
    file_text: str = ""  # the text it is the parse of (the places in it are places in that text)
    base: RuleBase | None = None  # what it and the files it includes declare, as last checked (parsed)
    names: Names | None = None
    reads: frozenset[Path] = frozenset()  # the files its last analysis read (resolved), itself included


@dataclass
class ScenarioDocument(Document):
    yaml: Any = None  # the last YamlDocument that parsed
    loaded: Any = None  # the last LoadedScenario that validated
    facts: Any = None  # its ScenarioFacts, when the last check got that far
    findings: dict | None = None  # its findings document, when the last check ran

    def dependents(self) -> dict[str, list[dict]]:
        """Each contested fact's id -> the conclusions that depend on it (in some status or all). Facts
        that stand or fall together are one contested fact, named by the id of the one the others name."""
        out: dict[str, list[dict]] = {}
        for c in (self.findings or {}).get("conclusions", []):
            ids = {d["id"] for d in c.get("depends_on", []) if d.get("kind") == "fact"}
            for deps in (c.get("status_depends_on") or {}).values():
                ids.update(d["id"] for d in deps if d.get("kind") == "fact")
            for i in ids:
                out.setdefault(i, []).append(c)
        return out


RULE_SUFFIX = ".rules"
_SCENARIO_TOP = re.compile(r"^(events|as_of)\s*:", re.MULTILINE)
_MODELINE = re.compile(r"^#\s*yaml-language-server:\s*\$schema=\S*scenario", re.MULTILINE)


def _scenario_text(text: str) -> bool:
    """A YAML text that is a scenario: the schema's modeline, or `events:` or `as_of:` at the top (a
    `title:` alone is any form's: GitHub's issue forms have one)."""
    return bool(_MODELINE.search(text[:2000]) or _SCENARIO_TOP.search(text))


def kind_of(path: Path, text: str) -> str | None:
    """``rules``, ``scenario`` or None (a YAML file that is not a scenario, any other file)."""
    if path.name.endswith(RULE_SUFFIX):
        return "rules"
    if path.suffix in (".yaml", ".yml") and ("scenarios" in path.parts or _scenario_text(text)):
        return "scenario"
    return None


def kind_hint(language: str | None, path: Path, text: str) -> str | None:
    """What the editor's language says the document is, where its name cannot (a buffer never saved);
    None: its name and text say (:func:`kind_of`)."""
    if language == "treaty-rules":
        return "rules"
    if language == "yaml" and path.suffix not in (".yaml", ".yml") and _scenario_text(normalised(text)):
        return "scenario"
    return None


class Workspace:
    """The server's state: the rule base scenarios are checked against, and the open documents."""

    def __init__(self, rules_paths: tuple[str, ...] = (), root: Path | None = None) -> None:
        self.rules_paths = rules_paths
        self.root = root or Path.cwd()
        self._rules: Rules | None = None
        self._rules_error: TreatyError | None = None
        self._names: Names | None = None
        self._parses: OrderedDict[tuple[str, str], ast.RuleFile] = OrderedDict()
        self.docs: dict[str, Document] = {}
        self.opened: dict[Path, str] = {}  # the texts of open rule files, by resolved path
        self._paths: dict[str, Path] = {}  # each document's path, by its URI
        self._reuse: Any = None
        self._loading = threading.Lock()

    # ---- the rule base for scenarios -------------------------------------------------------

    def rules(self) -> Rules:
        """The rule base scenarios are checked against (``--rules``, or the shipped one); raises its problems."""
        with self._loading:
            return self._load_rules()

    def _load_rules(self) -> Rules:
        if self._rules is None:
            if self._rules_error is not None:
                raise self._rules_error
            from ..language.load import load_rules

            try:
                self._rules = load_rules(list(self.rules_paths) or None)
            except TreatyError as err:
                self._rules_error = err
                raise
        return self._rules

    def names(self, load: bool = True) -> Names | None:
        """The names of the scenarios' rule base (None if it does not load; without ``load``, None if it
        is not loaded yet: a request is not kept waiting while it loads)."""
        if self._names is None:
            if not load and self._rules is None:
                return None
            try:
                rules = self.rules()
            except TreatyError:
                return None
            self._names = Names(rules.base)
        return self._names

    def forget_rules(self, path: Path) -> None:
        """A rule file was saved: if the scenarios' rule base read it, it is loaded again when next needed."""
        with self._loading:
            if self._rules is not None and str(path.resolve()) not in self._rules.paths:
                return
            if self._rules is None and self._rules_error is None:
                return
            self._rules = self._rules_error = self._names = None
            self._reuse = None

    def file_path(self, name: str) -> Path:
        """The file a message's file name stands for (the shipped base names its files ``rules/...``)."""
        p = Path(name)
        if p.is_absolute():
            return p
        if p.parts[:1] == ("rules",) and not self.rules_paths:
            from ..language.load import default_rules_dir

            return default_rules_dir().joinpath(*p.parts[1:])
        return (self.root / p).resolve()

    # ---- analysing documents -------------------------------------------------------------------

    def open(self, uri: str, path: Path, text: str, version: int | None = None, name: str | None = None,
             kind: str | None = None) -> Document | None:
        """Analyse a document's text (opened or changed); None if it is neither a rule file nor a scenario
        (``kind``, ``rules`` or ``scenario``, says which it is instead of its name and text).

        The analysis fills a new document, which then takes the old one's place at once: a request
        answered meanwhile sees the last analysis whole, never half of the next one.
        """
        text = normalised(text)
        kind = kind or kind_of(path, text)
        if kind is None:
            self.close(uri)
            return None
        self._paths[uri] = path
        old = self.docs.get(uri)
        cls = RuleDocument if kind == "rules" else ScenarioDocument
        doc = cls(uri, path, name or str(path), text, Lines.of(text), version=version)
        if isinstance(old, RuleDocument) and isinstance(doc, RuleDocument):  # the last good ones, while broken
            doc.file, doc.file_text, doc.base, doc.names = old.file, old.file_text, old.base, old.names
        elif isinstance(old, ScenarioDocument) and isinstance(doc, ScenarioDocument):
            doc.yaml, doc.loaded = old.yaml, old.loaded
        if kind == "rules":
            self.opened[path.resolve()] = text
        too_large = _size_problem(doc.name, text)
        if too_large is not None:
            doc.diagnostics = [too_large]
        elif isinstance(doc, RuleDocument):
            self._lint(doc)
        else:
            assert isinstance(doc, ScenarioDocument)
            self._check(doc)
        self.docs[uri] = doc
        return doc

    def close(self, uri: str) -> None:
        self.docs.pop(uri, None)
        path = self._paths.pop(uri, None)
        if path is not None:
            self.opened.pop(path.resolve(), None)

    def _parse(self, text: str, name: str) -> ast.RuleFile:
        """A rule file's parse, kept for the texts seen last (the files a document includes, unchanged)."""
        from ..language.parse import parse_text

        key = (name, text)
        if key in self._parses:
            self._parses.move_to_end(key)
            return self._parses[key]
        parsed = parse_text(text, name)
        self._parses[key] = parsed
        if len(self._parses) > 64:
            self._parses.popitem(last=False)
        return parsed

    def _lint(self, doc: RuleDocument) -> None:
        doc.diagnostics = lint_text(doc.path, doc.name, doc.text, self.opened, self._parse, doc)
        if doc.base is not None and (doc.names is None or doc.names.rb is not doc.base):
            doc.names = Names(doc.base)

    def _check(self, doc: ScenarioDocument) -> None:
        from ..cases.scenario import scenario_from_yaml
        from ..cases.yamlsource import load_yaml
        from ..pipeline import Reuse, analyse

        try:
            yaml_doc = load_yaml(doc.text, doc.name)
            doc.yaml = yaml_doc
            loaded = scenario_from_yaml(yaml_doc)
            doc.loaded = loaded
            try:
                rules = self.rules()
            except TreatyError as err:
                doc.diagnostics = [_rules_problem(doc.name, err)]
                return
            if self._reuse is None:
                self._reuse = Reuse()
            analysis = analyse(rules, loaded, reuse=self._reuse, explainable=False)
        except TreatyError as err:
            doc.diagnostics = _own(err.diagnostics, doc.name)
            return
        doc.facts, doc.findings = analysis.facts, analysis.document
        doc.diagnostics = list(analysis.facts.warnings)


def lint_text(path: Path, name: str, text: str, opened: Mapping[Path, str],
              parse: Callable[[str, str], ast.RuleFile], doc: RuleDocument | None = None) -> list[Diagnostic]:
    """``treaty lint FILE`` on an edited text: every problem of the file and of the files it includes
    (theirs are shown at the include that leads to them). ``doc`` keeps the parse, the checked base and
    the files read."""
    from ..language.check import check
    from ..language.compile import compile_rules, test_ground
    from ..language.load import parse_files

    opened = {**opened, path.resolve(): text}
    named = {path.resolve(): name}
    read: dict[str, str] = {}
    includes: dict[Path, list[Path]] = {}  # each file parsed -> the files it includes (resolved)

    def parse_named(t: str, shown: str) -> ast.RuleFile:
        here = Path(shown).resolve()
        parsed = parse(t, name if here == path.resolve() else shown)
        includes[here] = [(here.parent / inc.path).resolve() for inc in parsed.includes]
        if doc is not None and parsed.path == name:
            doc.file, doc.file_text = parsed, t
        return parsed

    try:
        try:
            files, texts = parse_files([path], opened=opened, parse=parse_named, real_paths=read)
        finally:
            if doc is not None:
                doc.reads = frozenset(Path(p) for p in read.values())
        texts = {named.get(Path(k).resolve(), k): v for k, v in texts.items()}
        base, problems = check(files, texts)
        if doc is not None:  # what the files declare, for hover and completion, even with problems to mend
            doc.base = base
        if problems:
            raise TreatyError(problems, texts)
        test_ground(compile_rules(base), texts)
    except TreatyError as err:
        return _own(err.diagnostics, name, doc, includes)
    return []


def _leads_to(start: Path, target: Path, includes: Mapping[Path, list[Path]]) -> bool:
    """Whether the file ``start`` is ``target`` or includes it, directly or through others (``includes``:
    what each file parsed includes)."""
    seen: set[Path] = set()
    queue = [start.resolve()]
    while queue:
        f = queue.pop()
        if f == target:
            return True
        if f not in seen:
            seen.add(f)
            queue.extend(includes.get(f, ()))
    return False


def _own(diags: list[Diagnostic], name: str, doc: RuleDocument | None = None,
         includes: Mapping[Path, list[Path]] | None = None) -> list[Diagnostic]:
    """The diagnostics of this document; another file's are said at the include that leads to it."""
    mine = [d for d in diags if d.span is None or d.span.file == name]
    others = [d for d in diags if d.span is not None and d.span.file != name]
    own_includes = doc.file.includes if doc is not None and doc.file is not None else ()
    for d in others:
        assert d.span is not None
        where = Span(name, 1, 1)
        if doc is not None:
            target = Path(d.span.file).resolve()
            where = next((inc.span for inc in own_includes
                          if _leads_to(doc.path.parent / inc.path, target, includes or {})),
                         own_includes[0].span if own_includes else where)
        mine.append(Diagnostic(where, f"in {d.span}: {d.message}", d.hint, d.severity))
    return sorted(mine, key=Diagnostic.sort_key)


def _size_problem(name: str, text: str) -> Diagnostic | None:
    size = len(text.encode("utf-8", "surrogatepass"))
    try:
        limits.check_size(name, size)
    except TreatyError as err:
        d = err.diagnostics[0]
        return Diagnostic(Span(name, 1, 1), d.message + ": not analysed",
                          "raise it with `treaty lsp --max-file-size MB`")
    return None


def _rules_problem(name: str, err: TreatyError) -> Diagnostic:
    first = err.diagnostics[0]
    more = len(err.diagnostics) - 1
    return Diagnostic(Span(name, 1, 1), f"the rule base does not load: {first.span}: {first.message}"
                      + (f" (and {more} more)" if more else ""), "run `treaty lint` on the rule files")
