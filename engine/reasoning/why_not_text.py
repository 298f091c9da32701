"""A why-not answer's closest instance in words (:mod:`engine.reasoning.why_not`): what clingo chose in a
relaxation (:mod:`engine.reasoning.relaxation`), one node for each condition, the wording in force and a
defeat; a missing derived condition explained one level down by the finder."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import clingo

from ..dates import from_day, to_day
from ..language import ast
from ..language.rulebase import Interval, variables
from ..language.vocabulary import DEONTIC_KINDS, ENTITY_KINDS, a_kind
from .derivation import Reading
from .explanations import ANY, Node, is_date
from .relaxation import OPEN, _cond_terms, _constant, _date_term, _Found, _head_terms, _kind, _names, _Plan

if TYPE_CHECKING:
    from .explain import Explainer

Status = Literal["holds", "fails", "missing", "unchecked"]


@dataclass
class _Outcome:
    """A candidate rule's closest instance, said: its condition nodes, the facts to add (down to
    the input facts under missing derived conditions), what fails, and what could not be checked."""

    rule: ast.Rule
    conditions: list[Node]
    missing: list[str]
    failing: list[str]
    unchecked: list[str]
    period: Interval | None = None
    head: clingo.Symbol | None = None  # the atom it concludes (derives), if the instance settles its values

    def score(self, today: int) -> tuple[int, int, int, bool, str]:
        """Fewest failures, then facts to add, then conditions not checked; among rules as close,
        the one whose wording is in force on ``today`` (a day number) first."""
        return len(self.failing), len(self.missing), len(self.unchecked), not self.in_force(today), self.rule.id

    def in_force(self, today: int) -> bool:
        return self.period is None or (self.period.start is None or to_day(self.period.start) <= today) and \
            (self.period.end is None or today < to_day(self.period.end))


#: The finder's :meth:`engine.reasoning.why_not.WhyNotFinder.below`: why a missing derived condition's atom
#: (name, arguments, date) does not hold in a reading, at a depth.
Below = Callable[[str, list[clingo.Symbol], clingo.Symbol, Reading, int], _Outcome | None | str]


def _all(tree: list[Node]) -> list[Node]:
    """The nodes of a list of trees."""
    return [m for n in tree for m in (n, *_all(n.children))]


class _Saying:
    """A closest instance in words: one node for each condition, the wording in force and a defeat."""

    def __init__(self, ex: Explainer, below: Below, rule: ast.Rule, plan: _Plan, found: _Found, reading: Reading,
                 depth: int, fixed: dict[str, clingo.Symbol], assumed: dict[clingo.Symbol, _Outcome]) -> None:
        """``below``: how a missing derived condition is explained one level down; ``assumed``: derived
        atoms added to the reading, each with the closest instance of a rule for it (a condition they
        satisfy is missing, with that instance's missing facts)."""
        self.below = below
        self.assumed = assumed
        #: what this instance's missing derived conditions would be, ground, with their instances
        self.hypotheses: dict[clingo.Symbol, _Outcome] = {}
        self.ex = ex
        self.rb = ex.rb
        self.say = ex.say
        self.rule = rule
        self.plan = plan
        self.f = found
        self.reading = reading
        self.depth = depth
        self.kinds = self.rb.rule_var_kinds.get(rule.id, {})
        self.status = [self._status(i, c) for i, c in enumerate(rule.conditions)]
        n = plan.period
        self.period_status: Status | None = None if n is None else \
            "unchecked" if n in found.open else "holds" if n in found.holds else "fails"
        # The variables the pattern fixes or a condition that holds or fails was judged with are
        # settled; the others (no value, or one that only missing or unchecked conditions have) are
        # whatever the missing facts give them: `_` in a missing fact, their names elsewhere.
        settled = set(fixed)
        for i, (c, status) in enumerate(zip(rule.conditions, self.status, strict=True)):
            if status in ("holds", "fails") or self._assumed(i) is not None:
                settled.update(_names(_cond_terms(c)))
        if self.period_status in ("holds", "fails"):
            settled.update(_names([_date_term(rule)]))
        self.loose = {v for v, value in found.bind.items() if v not in settled or value == OPEN}
        self.in_missing = Counter(v.name for c, s in zip(rule.conditions, self.status, strict=True) if s == "missing"
                                  for t in _cond_terms(c) for v in variables(t))

    def _status(self, i: int, cond: ast.Condition) -> Status:
        f = self.f
        if _kind(cond) == "atom":
            return "holds" if any(m not in self.assumed for m in f.match.get(i, ())) else "missing"
        if i in f.open:
            return "unchecked"
        return "holds" if i in f.holds else "fails"

    def _assumed(self, i: int) -> clingo.Symbol | None:
        """The atom added to the reading that the i-th condition matched (and no atom of the reading)."""
        matched = self.f.match.get(i, ())
        if not matched or any(m not in self.assumed for m in matched):
            return None
        return matched[0]

    # -- values and words
    def _value(self, name: str) -> clingo.Symbol:
        return self.f.bind.get(name, OPEN)

    def term(self, t: ast.Term, mode: Literal["shown", "missing"], date_: bool = False) -> str:
        """A term of the rule in words: a chosen value; in a missing condition ``_`` where any value
        will do; a variable's name where it has no value."""
        if isinstance(t, ast.Var):
            if t.name in self.loose or t.name not in self.f.bind:
                return "_" if mode == "missing" and self.in_missing[t.name] <= 1 else t.name
            return self.say.arg(self.f.bind[t.name], date_)
        if isinstance(t, ast.Anon):
            return "_"
        if isinstance(t, ast.Compound):
            return f"{t.name}({', '.join(self.term(a, mode) for a in t.args)})"
        if isinstance(t, ast.Arith):
            value = self.f.vals.get(self.plan.arith[id(t)])
            free = any(v.name in self.loose or v.name not in self.f.bind for v in variables(t))
            if value is not None and not free:
                return self.say.arg(value, date_ or is_date(t, self.kinds))
            if mode == "missing":
                return "_"
            return f"{self.term(t.left, mode, date_)} {t.op} {self.term(t.right, mode)}"
        if isinstance(t, ast.DateLit):
            return t.value.isoformat()
        return self.say.arg(_constant(t))

    def value(self, t: ast.Term) -> clingo.Symbol:
        """A term's value for a pattern one level down (``te_any`` where any value will do)."""
        if isinstance(t, ast.Var):
            return ANY if t.name in self.loose else self._value(t.name)
        if isinstance(t, ast.Anon):
            return ANY
        if isinstance(t, ast.Compound):
            return clingo.Function(t.name, [self.value(a) for a in t.args])
        if isinstance(t, ast.Arith):
            if any(self.value(ast.Var(v.name, v.span)) == ANY for v in variables(t)):
                return ANY
            return self.f.vals.get(self.plan.arith[id(t)], ANY)
        return _constant(t)

    def day(self, t: ast.Term | None) -> int | None:
        if t is None:
            return None
        v = self.value(t) if not isinstance(t, ast.Var) else self._value(t.name)
        return v.number if v.type == clingo.SymbolType.Number else None

    def literal(self, cond: ast.Literal, mode: Literal["shown", "missing"]) -> str:
        name = cond.atom.name
        # the date parameters (an event's own date, one past its arguments, is cond.on)
        dates = self.say.date_positions(name, len(cond.atom.args) + 1)
        args = [self.term(t, mode, i in dates or is_date(t, self.kinds)) for i, t in enumerate(cond.atom.args)]
        text = f"{name}({', '.join(args)})" if args else name
        if cond.on is not None:
            on = self.term(cond.on, mode, True)
            text += " on some date" if on == "_" else f" on {on}"
        return text

    def comparison(self, cond: ast.Comparison) -> str:
        date_ = is_date(cond.left, self.kinds) or is_date(cond.right, self.kinds)
        return f"{self.term(cond.left, 'shown', date_)} {cond.op} {self.term(cond.right, 'shown', date_)}"

    # -- the nodes
    def outcome(self) -> _Outcome:
        nodes: list[Node] = []
        missing: list[str] = []
        failing: list[str] = []
        unchecked: list[str] = []
        for i, (cond, status) in enumerate(zip(self.rule.conditions, self.status, strict=True)):
            node, more = self._node(i, cond, status)
            missing += more.missing
            unchecked += more.unchecked
            failing += more.failing
            nodes.append(node)
        period = self._period()
        if period is not None:
            nodes.append(period)
            if period.kind == "unchecked":
                unchecked.append(period.text)
            elif not period.holds:
                failing.append(period.text)
        if self.f.defeat is not None:
            text = self._displaced(*self.f.defeat)
            nodes.append(Node(kind="fails", holds=False, text=text))
            failing.append(text)
        head = self.f.head
        if head is not None and any(v in self.loose for v in _names(_head_terms(self.rule))):
            head = None  # a value any missing fact may give: not the atom the missing facts bring about
        return _Outcome(self.rule, nodes, sorted(set(missing)), failing, unchecked,
                        self.rb.rule_in_force.get(self.rule.id), head)

    def _node(self, i: int, cond: ast.Condition, status: Status) -> tuple[Node, _Outcome]:
        more = _Outcome(self.rule, [], [], [], [])
        if status == "unchecked":
            text = "not checked: " + (self.comparison(cond) if isinstance(cond, ast.Comparison) else
                                      ("not " if cond.negated else "") + self.literal(cond, "shown"))
            more.unchecked.append(text)
            return Node(kind="unchecked", holds=False, text=text), more
        if isinstance(cond, ast.Comparison):
            node = Node(kind="comparison", text=self.comparison(cond), holds=status == "holds")
        elif cond.atom.name == ast.READING:
            name, position = (self.term(t, "shown") for t in cond.atom.args)
            if status == "holds":
                node = self.ex.reading_node(name, position)
            else:
                taken = self.ex.facts.positions.get(name)
                node = Node(kind="fails", holds=False,
                            text=f"fails: reading {name}={position} is not taken (the reading takes {name}={taken}; "
                                 f"--interpret {name}={position} or {name}=open)" if taken is not None else
                            f"fails: reading {name}={position} is not taken in the reading examined")
        elif cond.atom.name == "party":
            who, inst = (self.term(t, "shown") for t in cond.atom.args)
            node = self.ex.membership_node(who, inst, self.day(cond.on), holds=status == "holds", negated=cond.negated)
        elif cond.atom.name in ENTITY_KINDS:
            who = self.term(cond.atom.args[0], "shown")
            kind = cond.atom.name
            if status == "holds":
                node = self.ex.entity_node(who, kind) if not cond.negated else \
                    Node(kind="absent", text=f"{who} is not {a_kind(kind)}")
            else:
                node = Node(kind="fails", holds=False, text=f"fails: {kind}({who})" if not cond.negated else
                            f"fails: not {kind}({who}) ({who} is {a_kind(kind)})")
        elif cond.negated:
            lit = self.literal(cond, "shown")
            if status == "holds":
                node = Node(kind="absent", text=f"no {lit} recorded")
            else:
                blocker = self.f.block.get(i)
                derived = blocker is not None and self.reading.derived(blocker)
                detail = "" if blocker is None else \
                    f" ({self.say.atom(blocker)} {'holds' if derived else 'is recorded'})"
                node = Node(kind="fails", holds=False, text=f"fails: not {lit}{detail}")
        elif status == "holds":
            atom = next(m for m in self.f.match[i] if m not in self.assumed)
            if self.reading.derived(atom):
                node = Node(kind="derived", text=self.say.atom(atom), atom=self.say.atom(atom))
            else:
                node = self.ex.fact_node(atom)
        else:
            return self._missing(i, cond, more)
        if not node.holds:
            more.failing.append(node.text.removeprefix("fails: "))
        return node, more

    def _missing(self, i: int, cond: ast.Literal, more: _Outcome) -> tuple[Node, _Outcome]:
        """A positive condition no atom of the reading satisfies: the fact to add, or (a derived
        condition or a conclusion) why it does not hold, one level down."""
        lit = self.literal(cond, "missing")
        name = cond.atom.name
        decl = self.rb.predicates.get(name)
        if name not in DEONTIC_KINDS and (decl is None or not decl.derived):
            more.missing.append(lit)
            return Node(kind="missing", holds=False, text=f"missing: {lit}"), more
        assumed = self._assumed(i)
        below: _Outcome | None | str
        if assumed is not None:
            below = self.assumed[assumed]
        else:
            values = [self.value(t) for t in cond.atom.args]
            on = self.value(cond.on) if cond.on is not None else ANY
            below = self.below(name, values, on, self.reading, self.depth + 1)
        if below == "deep":
            text = f"not checked: {lit} (not explained further)"
            more.unchecked.append(text)
            return Node(kind="unchecked", holds=False, text=text), more
        if isinstance(below, _Outcome):
            if below.head is not None and not below.unchecked:
                self.hypotheses[below.head] = below
            more.missing += below.missing
            more.unchecked += below.unchecked
            children = [Node(kind="missing", holds=False, text=m) for m in below.missing]
            children += [Node(kind="unchecked", holds=False, text=u) for u in below.unchecked]
            return Node(kind="missing", holds=False, text=f"missing: {lit}", children=children), more
        reason = below or "no rule can conclude it"
        text = f"{lit} ({reason})"
        more.failing.append(text)
        return Node(kind="fails", holds=False, text=f"fails: {text}"), more

    def _period(self) -> Node | None:
        status = self.period_status
        if status is None:
            return None
        day = self.day(_date_term(self.rule))
        node = self.ex.period_node(self.rule, day, holds=status != "fails")
        if node is None:  # a rule without wordings of its own: its instrument's period
            if status == "holds":
                return None
            interval = self.rb.rule_in_force[self.rule.id]
            when = from_day(day).isoformat() if day is not None else "that date"
            span = " ".join(filter(None, [f"from {interval.start.isoformat()}" if interval.start else "",
                                          f"until {interval.end.isoformat()}" if interval.end else ""]))
            verb = "is not" if status == "fails" else "is"
            node = Node(kind="in_force", holds=False, text=f"{self.rule.instrument} article {self.rule.article} {verb} "
                                                           f"in force on {when} ({span})")
        if status == "unchecked":
            node = node.model_copy(update={"kind": "unchecked", "holds": False, "text": f"not checked: {node.text}"})
        return node

    def _displaced(self, defeated: clingo.Symbol, higher: clingo.Symbol, kind: clingo.Symbol,
                   since: clingo.Symbol) -> str:
        """What displaces the rule: as the reading derived its defeat (te_priority(Higher, Lower), the
        higher conclusion in force on the lower one's date) if the reading has it; else as the
        relaxation found it, for an instance the missing facts would bring about."""
        if defeated in self.reading.atoms:
            node = self.reading.node(defeated)
            concl = next((t for t in node.body if t.name == "te_concl"), None)
            if node.rule is not None and concl is not None:
                higher, kind, since = node.rule.arguments[0], concl.arguments[0], concl.arguments[5]
        on = defeated.arguments[4]
        return (f"displaced by rule {higher} (its {kind} from {self.say.arg(since, True)} is in force on "
                f"{self.say.arg(on, True)}), which has priority")

