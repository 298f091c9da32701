"""Static checks over parsed rule files; builds the merged :class:`RuleBase`.

Every problem of every file is collected before stopping, each with a location and,
where one helps, a hint.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from ..errors import Diagnostic, Span, did_you_mean
from . import ast
from .check_rules import RuleChecks
from .rulebase import Interval, RuleBase, variables
from .vocabulary import BUILTINS, DEONTIC_KINDS, KINDS, RESERVED_PREDICATE_PREFIX


class Checker(RuleChecks):
    """The declarations of every file together (sources, instruments, parties, articles, priorities), then
    each rule and constraint (:class:`~engine.language.check_rules.RuleChecks`)."""

    def __init__(self, files: Sequence[ast.RuleFile], texts: dict[str, str]) -> None:
        self.rb = RuleBase(list(files), dict(texts))
        self.diags: list[Diagnostic] = []

    def run(self) -> tuple[RuleBase, list[Diagnostic]]:
        self.collect()
        self.check_parties()
        self.check_articles()
        for rule in self.rb.rules.values():
            self.check_rule(rule)
        for constraint in [*self.rb.constraints.values(), *self.rb.notices.values()]:
            self.check_constraint(constraint)
        self.check_priorities()
        self.check_interpretations()
        return self.rb, sorted(self.diags, key=Diagnostic.sort_key)

    # ---- symbol tables --------------------------------------------------------

    def _unique(self, table: dict, key, node, what: str, span: Span) -> bool:
        if key in table:
            first = table[key].span
            self.error(span, f"duplicate {what}; first declared at {first}")
            return False
        table[key] = node
        return True

    def collect(self) -> None:
        rb = self.rb
        seen_symbols: dict[tuple[str, str], Span] = {}
        for f in rb.files:
            for k in f.symbol_kinds:
                self.declare_symbols(k, seen_symbols)
        for f in rb.files:
            for s in f.sources:
                self._unique(rb.sources, s.id, s, f"source `{s.id}`", s.span)
            for i in f.instruments:
                self._unique(rb.instruments, i.id, i, f"instrument `{i.id}`", i.span)
        named = {i.id: i for i in rb.instruments.values()}
        for inst in rb.instruments.values():  # an alias names one instrument, and no instrument is called so
            for alias in inst.aliases:
                other = named.setdefault(alias, inst)
                if other is not inst:
                    self.error(inst.span, f"alias `{alias}` of `{inst.id}` already names `{other.id}`")
        for f in rb.files:
            for p in f.predicates:
                self.declare_predicate(p)
            for a in f.articles:
                label = f"article {a.ref} of `{a.instrument}`" + (f' version "{a.version}"' if a.version else "")
                self._unique(rb.articles, (a.instrument, a.ref, a.version), a, label, a.span)
            for r in f.rules:
                self._unique(rb.rules, r.id, r, f"rule id `{r.id}`", r.id_span)
            for c in f.constraints:
                if c.id in rb.rules:
                    self.error(c.id_span, f"duplicate rule id `{c.id}`; first declared at {rb.rules[c.id].id_span}")
                else:
                    self._unique(rb.constraints, c.id, c, f"constraint id `{c.id}`", c.id_span)
            for n in f.notices:
                first = rb.rules.get(n.id) or rb.constraints.get(n.id)
                if first is not None:
                    self.error(n.id_span, f"duplicate id `{n.id}`; first declared at {first.id_span}")
                else:
                    self._unique(rb.notices, n.id, n, f"notice id `{n.id}`", n.id_span)
            rb.parties.extend(f.parties)
            rb.priorities.extend(f.priorities)
            for interp in f.interpretations:
                self._unique(rb.interpretations, interp.id, interp, f"interpretation `{interp.id}`", interp.span)

    def declare_symbols(self, k: ast.SymbolKind, seen: dict[tuple[str, str], Span]) -> None:
        """A closed vocabulary: a new argument kind and its symbols (added to by other files)."""
        if k.name in KINDS:
            self.error(k.span, f"`{k.name}` is a built-in kind", "name the vocabulary after what its symbols are")
            return
        table = self.rb.symbol_kinds.setdefault(k.name, {})
        for d in k.symbols:
            first = seen.get((k.name, d.name))
            if first is not None:
                self.error(d.span, f"duplicate symbol `{d.name}` of `{k.name}`; first declared at {first}")
                continue
            seen[(k.name, d.name)] = d.span
            table[d.name] = d.meaning

    def declare_predicate(self, p: ast.PredicateDecl) -> None:
        if p.name.startswith(RESERVED_PREDICATE_PREFIX):
            self.error(p.span, f"predicate names starting with `{RESERVED_PREDICATE_PREFIX}` are reserved",
                       "choose another name")
            return
        if p.name in BUILTINS:
            self.error(p.span, f"`{p.name}` is built in and cannot be declared again")
            return
        for param in p.params:
            if param.kind not in KINDS and param.kind not in self.rb.symbol_kinds:
                every = [*KINDS, *self.rb.symbol_kinds]
                self.error(param.span, f"unknown argument kind `{param.kind}`",
                           did_you_mean(param.kind, every) or f"kinds are: {', '.join(sorted(every))}; declare a "
                                                              "closed vocabulary with `symbols KIND \"meaning\"`")
        old = self.rb.predicates.get(p.name)
        if old is None:
            self.rb.predicates[p.name] = p
        elif (old.event, old.derived, [x.kind for x in old.params]) != (p.event, p.derived, [x.kind for x in p.params]):
            self.error(p.span, f"`{p.name}` is declared differently at {old.span}",
                       "a predicate may be declared in several files, but always the same way")

    def check_source_ref(self, name: str | None, span: Span) -> None:
        if name is not None and name not in self.rb.sources:
            self.error(span, f"unknown source `{name}`",
                       did_you_mean(name, self.rb.sources) or "declare it with `source ID \"citation\"`")

    # ---- interpretations -----------------------------------------------------------

    def check_interpretations(self) -> None:
        """Each interpretation: two positions or more, each with sources declared, a default that is one
        of them (or `open`), and read by some rule."""
        read = {interp for _, interp, _ in self.rb.readings()}
        for interp in self.rb.interpretations.values():
            ids = [p.id for p in interp.positions]
            if len(ids) < 2:
                self.error(interp.span, f"interpretation `{interp.id}` has one position",
                           "a contested question has two positions or more: add the other reading")
            for i, p in enumerate(interp.positions):
                if p.id in ids[:i]:
                    self.error(p.span, f"duplicate position `{p.id}` of interpretation `{interp.id}`")
                if p.id == "open":
                    self.error(p.span, "`open` is not a position: it leaves the question open",
                               "name the position by what it holds")
                for src, span in zip(p.sources, p.source_spans, strict=True):
                    self.check_source_ref(src, span)
            if interp.default is not None and interp.default not in ids:
                self.error(interp.default_span, f"`{interp.default}` is not a position of `{interp.id}`",
                           did_you_mean(interp.default, [*ids, "open"]) or f"the positions are {', '.join(ids)}; "
                                                                          "or `open`")
            if interp.id not in read:
                self.error(interp.span, f"no rule reads interpretation `{interp.id}`",
                           f"require a position in a rule: `reading {interp.id} is {ids[0]}`, or remove it")

    # ---- parties, articles, vocabulary ---------------------------------------------

    def check_parties(self) -> None:
        seen: dict[tuple[str, str], list[ast.Party]] = {}
        for inst in self.rb.instruments.values():
            self.check_source_ref(inst.source, inst.span)
            for am in inst.amendments:
                if am.in_force is not None and am.in_force < am.signed:
                    self.error(am.span, f"an amendment of `{inst.id}` enters into force before it is signed")
        for p in self.rb.parties:
            self.check_source_ref(p.source, p.span)
            if p.source is None:
                self.error(p.span, f"party `{p.entity}` of `{p.instrument}` has no source",
                           "add `source ID` to the line, or `parties source ID` before the list")
            if p.left is not None and p.left <= p.joined:
                self.error(p.span, f"party `{p.entity}` leaves `{p.instrument}` before it joins")
            for q in seen.get((p.instrument, p.entity), []):
                if (q.left is None or p.joined < q.left) and (p.left is None or q.joined < p.left):
                    self.error(p.span, f"party `{p.entity}` of `{p.instrument}` overlaps the period "
                                       f"declared at {q.span}")
            seen.setdefault((p.instrument, p.entity), []).append(p)

    def check_articles(self) -> None:
        rb = self.rb
        by_ref: dict[tuple[str, str], list[ast.Article]] = {}
        for key, art in rb.articles.items():
            by_ref.setdefault(key[:2], []).append(art)
            instrument = rb.instruments.get(key[0])
            for t in art.texts:
                self.check_source_ref(t.source, t.span)
                if t.authentic and instrument and instrument.authentic and t.language not in instrument.authentic:
                    self.error(t.span, f"`{t.language}` is not an authentic language of `{instrument.id}`",
                               f"its authentic languages: {', '.join(instrument.authentic)}; "
                               'label other texts `translation "by whom"`')
                if t.authentic and t.source is None:
                    self.error(t.span, "an authentic text needs a source", "add `source ID` to the text line")
                if not t.authentic and t.translation is None:
                    self.error(t.span, f"text in `{t.language}` is neither `authentic` nor a labelled translation",
                               'mark it `authentic`, or say whose translation it is: `translation "by whom"`')
        for (inst, ref), arts in by_ref.items():
            versions = {a.version: a for a in arts}
            instrument = rb.instruments.get(inst)
            default_start = instrument.in_force.start if instrument and instrument.in_force else None
            default_end = instrument.in_force.end if instrument and instrument.in_force else None
            replaced_on: dict[str | None, date | None] = {}
            bad_replaces = False
            for a in arts:
                if a.replaces is not None:
                    if a.replaces not in versions:
                        bad_replaces = True
                        self.error(a.span, f'article {ref} of `{inst}` has no version "{a.replaces}" to replace',
                                   did_you_mean(a.replaces, [v for v in versions if v]))
                    elif a.validity is None:
                        bad_replaces = True
                        self.error(a.span, f'version "{a.version}" of article {ref} replaces "{a.replaces}" '
                                           "but does not say when it enters into force",
                                   "add `in force YYYY-MM-DD`")
                    else:
                        replaced_on[a.replaces] = a.validity.start
                if len(arts) > 1 and a.version is None:
                    self.error(a.span, f"article {ref} of `{inst}` is declared more than once without a version",
                               'label each wording: `version "1992"`')
            for a in arts:
                start = a.validity.start if a.validity else default_start
                end = a.validity.end if a.validity and a.validity.end else replaced_on.get(a.version, default_end)
                if start and end and end <= start:
                    self.error(a.span, f"article {ref} of `{inst}` ends before it begins")
                rb.article_in_force[(inst, ref, a.version)] = Interval(start, end)
            if bad_replaces:
                continue
            ordered = sorted(arts, key=lambda x: rb.article_in_force[(inst, ref, x.version)].start or date.min)
            for prev, nxt in zip(ordered, ordered[1:], strict=False):
                pi = rb.article_in_force[(inst, ref, prev.version)]
                ni = rb.article_in_force[(inst, ref, nxt.version)]
                if pi.end is None or (ni.start or date.min) < pi.end:
                    self.error(nxt.span, f'versions "{prev.version}" and "{nxt.version}" of article {ref} '
                                         f"of `{inst}` are in force at the same time",
                               f'say `replaces "{prev.version}"` or give `in force FROM to UNTIL`')

    # ---- priorities ------------------------------------------------------------------

    def check_priorities(self) -> None:
        rules = self.rb.rules
        graph: dict[str, list[ast.Priority]] = {}
        for p in self.rb.priorities:
            ok = True
            for name, span in ((p.higher, p.higher_span), (p.lower, p.lower_span)):
                if name not in rules:
                    self.error(span, f"unknown rule `{name}` in priority", did_you_mean(name, rules))
                    ok = False
                elif not isinstance(rules[name].head, ast.DeonticHead):
                    self.error(span, f"rule `{name}` concludes no obligation, permission, prohibition or "
                                     "notification, so it cannot take part in a priority")
                    ok = False
            if ok:
                graph.setdefault(p.higher, []).append(p)
        # cycles: depth-first search, reporting each cycle once, at the priority that closes it
        state: dict[str, int] = {}
        stack: list[str] = []

        def visit(node: str) -> None:
            state[node] = 1
            stack.append(node)
            for edge in graph.get(node, []):
                if state.get(edge.lower) == 1:
                    chain = [*stack[stack.index(edge.lower):], edge.lower]
                    self.error(edge.span, f"priority cycle: {' over '.join(chain)}",
                               "priorities must not loop back: remove one of them")
                elif edge.lower not in state:
                    visit(edge.lower)
            stack.pop()
            state[node] = 2

        for node in sorted(graph):
            if node not in state:
                visit(node)


def check(files: Sequence[ast.RuleFile], texts: dict[str, str]) -> tuple[RuleBase, list[Diagnostic]]:
    """Check parsed files together; returns the merged rule base and every problem found."""
    return Checker(files, texts).run()


__all__ = ["DEONTIC_KINDS", "Interval", "RuleBase", "check", "variables"]
