"""What a name means in a rule base: an index of its declarations by name, and their descriptions
(Markdown) for hover."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from ..errors import Span
from ..language import ast
from ..language.rulebase import RuleBase, readers_of
from ..language.vocabulary import BUILTINS


@dataclass
class SymbolInfo:
    kind: str
    meaning: str
    span: Span | None


@dataclass
class Names:
    """Every declaration of a checked rule base, by name."""

    rb: RuleBase
    _parties: dict[str, list[ast.Party]] = field(default_factory=dict)

    @cached_property
    def readers(self) -> dict[str, set[str]]:
        return readers_of(self.rb)

    @cached_property
    def parties(self) -> dict[str, list[ast.Party]]:
        """Each entity named in a party list -> its party entries, in the order declared."""
        out: dict[str, list[ast.Party]] = {}
        for p in self.rb.parties:
            out.setdefault(p.entity, []).append(p)
        return out

    @cached_property
    def symbols(self) -> dict[str, SymbolInfo]:
        out: dict[str, SymbolInfo] = {}
        for f in self.rb.files:
            for k in f.symbol_kinds:
                for s in k.symbols:
                    out.setdefault(s.name, SymbolInfo(k.name, s.meaning, s.span))
        return out

    @cached_property
    def instruments(self) -> dict[str, ast.Instrument]:
        """Instruments by id and by alias."""
        out = {a: i for i in self.rb.instruments.values() for a in i.aliases}
        out.update(self.rb.instruments)
        return out

    @cached_property
    def positions(self) -> dict[str, list[tuple[ast.Interpretation, ast.Position]]]:
        out: dict[str, list[tuple[ast.Interpretation, ast.Position]]] = {}
        for i in self.rb.interpretations.values():
            for p in i.positions:
                out.setdefault(p.id, []).append((i, p))
        return out

    @cached_property
    def actions(self) -> dict[str, list[ast.Rule]]:
        """The actions of the deontic conclusions (``assist``), each with the rules that conclude it."""
        out: dict[str, list[ast.Rule]] = {}
        for r in self.rb.rules.values():
            if isinstance(r.head, ast.DeonticHead) and isinstance(r.head.action, ast.Const | ast.Compound):
                out.setdefault(r.head.action.name, []).append(r)
        return out

    @cached_property
    def article_headings(self) -> dict[tuple[str, str], str | None]:
        """Each article (instrument, ref), once whatever its versions, with its latest version's heading."""
        return dict(sorted({(i, r): a.heading for (i, r, _), a in self.rb.articles.items()}.items()))

    def rule(self, name: str) -> ast.Rule | ast.Constraint | None:
        return self.rb.rules.get(name) or self.rb.constraints.get(name) or self.rb.notices.get(name)

    def articles(self, instrument: str, ref: str) -> list[ast.Article]:
        inst = self.instruments.get(instrument)
        key = inst.id if inst else instrument
        return [a for (i, r, _), a in self.rb.articles.items() if i == key and r == ref]

    def definition(self, name: str) -> Span | None:
        """Where a name is declared: predicate, rule, source, instrument, interpretation, symbol, entity."""
        rb = self.rb
        for table in (rb.predicates, rb.rules, rb.constraints, rb.notices, rb.sources, rb.interpretations):
            node = table.get(name)
            if node is not None:
                return node.id_span if isinstance(node, ast.Rule | ast.Constraint) else node.span
        if name in self.instruments:
            return self.instruments[name].span
        if name in self.symbols:
            return self.symbols[name].span
        if name in self.parties:
            return self.parties[name][0].span
        if name in self.positions:
            return self.positions[name][0][1].span
        if name in self.actions:  # an action: the first rule that concludes it
            return self.actions[name][0].id_span
        return None

    # ---- descriptions (Markdown) ------------------------------------------------------------

    def describe(self, name: str, entity_kind: str | None = None) -> str | None:
        """The hover text of a name of this rule base, or None if it names nothing here."""
        rb = self.rb
        if name in rb.rules or name in rb.constraints or name in rb.notices:
            return self.rule_text(name)
        if name in rb.predicates:
            return self.predicate_text(rb.predicates[name])
        if name in BUILTINS:
            b = BUILTINS[name]
            dated = ", may take `on D`" if b.event else ""
            return f"**{name}**({', '.join(b.params)}) — built-in{dated}\n\n{b.meaning}"
        if name in self.instruments:
            return self.instrument_text(self.instruments[name])
        if name in rb.sources:
            return source_text(rb.sources[name])
        if name in rb.interpretations:
            return interpretation_text(rb.interpretations[name])
        if name in self.parties:
            return self.entity_text(name)
        if name in self.symbols:
            s = self.symbols[name]
            return f"**{name}** — symbol of kind `{s.kind}`\n\n{s.meaning}"
        if name in self.positions:
            return "\n\n---\n\n".join(f"**{p.id}** — a position of `{i.id}`: {i.question}\n\n{p.statement}"
                                      for i, p in self.positions[name])
        if name in self.actions:
            rules = self.actions[name]
            return f"**{name}** — an action, concluded by " + ", ".join(f"`{r.id}`" for r in rules)
        return None

    def predicate_text(self, p: ast.PredicateDecl) -> str:
        what = ("derived" if p.derived else "input") + (" event (dated: `on D`)" if p.event else " fact (no date)")
        readers = sorted(self.readers.get(p.name, ()))
        read = f"\n\nRead by: {', '.join(f'`{r}`' for r in readers)}" if readers else "\n\nRead by no rule."
        return f"```treaty\n{p.name}({p.shape})\n```\n{what}\n\n{p.meaning or ''}{read}"

    def instrument_text(self, i: ast.Instrument) -> str:
        out = [f"**{i.title}** (`{i.id}`)"]
        if i.signed:
            out.append(f"signed {i.signed.isoformat()}")
        if i.in_force:
            end = f" to {i.in_force.end.isoformat()}" if i.in_force.end else ""
            out.append(f"in force {i.in_force.start.isoformat()}{end}")
        if i.authentic:
            out.append("authentic: " + ", ".join(i.authentic))
        n = sum(1 for p in self.rb.parties if p.instrument == i.id)
        articles = sorted({r for (inst, r, _) in self.rb.articles if inst == i.id})
        out.append(f"{n} party entries; articles {', '.join(articles) or 'none'}")
        return " · ".join(out[:1]) + "\n\n" + "\n\n".join(out[1:])

    def display_name(self, entity: str) -> str:
        """An entity's name as its first named party entry gives it (else its id)."""
        return next((p.name for p in self.parties.get(entity, []) if p.name), entity)

    def entity_text(self, name: str) -> str:
        entries = self.parties.get(name, [])
        lines = [f"**{self.display_name(name)}** (`{name}`) — a state named in party lists"]
        for p in entries:
            inst = self.rb.instruments.get(p.instrument)
            title = inst.title if inst else p.instrument
            until = f" to {p.left.isoformat()}" if p.left else ""
            note = f" — {p.note}" if p.note else ""
            lines.append(f"- party to *{title}* from {p.joined.isoformat()}{until}{note}")
        return "\n".join(lines)

    def article_text(self, a: ast.Article) -> str:
        inst = self.rb.instruments.get(a.instrument)
        title = inst.title if inst else a.instrument
        head = f"**{title}, Article {a.ref}**" + (f" — {a.heading}" if a.heading else "")
        if a.version:
            head += f' (version "{a.version}")'
        out = [head]
        for t in a.texts:
            label = "authentic" if t.authentic else f"translation: {t.translation}"
            source = ""
            if t.source:
                src = self.rb.sources.get(t.source)
                source = f" — source `{t.source}`" + (f": {src.citation}" if src else "")
            out.append(f"*[{t.language}, {label}]*{source}")
            out.append("\n".join("> " + line.strip() for line in t.text.strip().splitlines()))
        if not a.texts:
            out.append("*(no text given)*")
        return "\n\n".join(out)

    def rule_text(self, name: str) -> str:
        r = self.rule(name)
        assert r is not None
        what = "rule" if isinstance(r, ast.Rule) else ("notice" if name in self.rb.notices else "constraint")
        head = f"**{what} `{r.id}`**" + (f" — {r.title}" if r.title else "")
        key = (r.instrument, r.article, r.version)
        article = self.rb.articles.get(key)
        body = self.article_text(article) if article else f"Article {r.article} of `{r.instrument}`"
        return f"{head}\n\n---\n\n{body}"


def source_text(s: ast.Source) -> str:
    url = f"\n\n<{s.url}>" if s.url else ""
    return f"**source `{s.id}`**\n\n{s.citation}{url}"


def interpretation_text(i: ast.Interpretation) -> str:
    default = f"default: `{i.default}`" if i.default else "default: open (every position is a reading)"
    lines = [f"**interpretation `{i.id}`** — {i.question}", default]
    for p in i.positions:
        lines.append(f"- `{p.id}`: {p.statement}")
    return "\n\n".join(lines[:2]) + "\n\n" + "\n".join(lines[2:])
