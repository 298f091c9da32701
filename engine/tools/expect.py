"""Expectations of scenario files checked against findings: precise, readable failures."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..cases.scenario import Dependence as ExpectedDependence
from ..cases.scenario import DependsOn, Expectation
from ..reasoning.explain import Explanation, Node
from ..reasoning.findings import Conclusion, Dependence, Findings
from ..reasoning.ids import normal_id

#: Fields compared as they are (given in the expectation, equal in the conclusion).
PLAIN = ("kind", "bearer", "action", "beneficiary", "recipient", "status")


@dataclass
class Mismatch:
    field: str
    expected: object
    actual: object

    def __str__(self) -> str:
        return f"{self.field}: expected {_show(self.expected)}, got {_show(self.actual)}"


def _show(v: object) -> str:
    if isinstance(v, list):
        return "[" + ", ".join(str(x) for x in v) + "]"
    return "nothing" if v is None else str(getattr(v, "isoformat", lambda: v)())


def describe(e: Expectation) -> str:
    """A short line naming what the expectation is about."""
    parts = [e.kind or "conclusion", e.bearer or "", e.action or ""]
    towards = e.beneficiary or e.recipient
    text = " ".join(p for p in parts if p) + (f" → {towards}" if towards else "")
    extras = [f"{k}: {_show(getattr(e, k))}" for k in ("holds", "status", "due", "basis", "triggered_on", "count")
              if getattr(e, k) is not None]
    return text + (f" ({', '.join(extras)})" if extras else "")


def _basis_names(c: Conclusion) -> set[str]:
    b = c.basis
    names = {b.rule, f"{b.instrument} {b.article}", f"{b.instrument} article {b.article}"}
    base = b.article.split("(")[0]
    names |= {f"{b.instrument} {base}", f"{b.instrument} article {base}"}
    return names


def _due_matches(e: Expectation, c: Conclusion) -> bool:
    if e.due == "immediately":
        return c.due is not None and c.due.kind == "immediately"
    return c.due is not None and e.due in (c.due.dates or [c.due.date])  # a date it has in some reading


def _depends_matches(expected: DependsOn, actual: list[Dependence]) -> bool:
    """Every expected dependence is one of the conclusion's and every one of the conclusion's is expected.
    A fact as written names its label, or every label of it with a date (``FACT on ...``)."""
    def fits(x: str | ExpectedDependence, d: Dependence) -> bool:
        if not isinstance(x, str) and (x.reading is not None or x.not_reading is not None):  # a position of law
            return d.kind == "interpretation" and d.label == x.fact and d.accepted == (x.reading is not None)
        fact, accepted = (x, True) if isinstance(x, str) else (x.fact, x.accepted is not None)
        return d.kind == "fact" and d.accepted == accepted and (d.label == fact or d.label.startswith(fact + " on "))

    return len(expected) == len(actual) and all(any(fits(x, a) for a in actual) for x in expected) and \
        all(any(fits(x, a) for x in expected) for a in actual)


def _expected_text(items: DependsOn) -> list[str]:
    return [f"{x} is accepted" if isinstance(x, str) else str(x) for x in items]


def mismatches(e: Expectation, c: Conclusion, with_holds: bool = True) -> list[Mismatch]:
    """Every field given in the expectation that the conclusion does not match."""
    out = [Mismatch(f, getattr(e, f), getattr(c, f)) for f in PLAIN
           if getattr(e, f) is not None and getattr(e, f) != getattr(c, f)]
    if e.id is not None and normal_id(e.id) != c.id:  # (either form of an id: assist(x) or assist:x)
        out.append(Mismatch("id", e.id, c.id))
    if e.triggered_on is not None and e.triggered_on not in (c.trigger_dates or [c.triggered_on]):
        out.append(Mismatch("triggered_on", e.triggered_on, c.trigger_dates or [c.triggered_on]))
    if e.basis is not None and e.basis not in _basis_names(c):
        out.append(Mismatch("basis", e.basis, f"{c.basis.rule} ({c.basis.instrument} {c.basis.article})"))
    if e.due is not None and not _due_matches(e, c):
        actual = None if c.due is None else ("immediately" if c.due.kind == "immediately" and e.due == "immediately"
                                             else c.due.date)
        out.append(Mismatch("due", e.due, actual))
    if e.depends_on is not None and not _depends_matches(e.depends_on, c.depends_on):
        out.append(Mismatch("depends_on", _expected_text(e.depends_on), [d.text for d in c.depends_on]))
    if e.status_depends_on is not None:
        for s in sorted(set(e.status_depends_on) | set(c.status_depends_on)):
            want, got = e.status_depends_on.get(s), c.status_depends_on.get(s)
            if want is None or got is None or not _depends_matches(want, got):
                out.append(Mismatch(f"status_depends_on.{s}", None if want is None else _expected_text(want),
                                    None if got is None else [d.text for d in got]))
    if with_holds and e.holds is not None and e.holds != "none" and e.holds != c.holds:
        out.append(Mismatch("holds", e.holds, c.holds))
    return out


def reasons(explanation: Explanation) -> set[str]:
    """Rule ids and articles that appear in an explanation tree."""
    found: set[str] = set()

    def walk(n: Node) -> None:
        if n.rule is not None:
            r = n.rule
            base = r.article.split("(")[0]
            found.update({r.id, f"{r.instrument} {r.article}", f"{r.instrument} article {r.article}",
                          f"{r.instrument} {base}", f"{r.instrument} article {base}"})
        for child in n.children:
            walk(child)

    walk(explanation.tree)
    return found


def check_expectation(e: Expectation, findings: Findings, why: Callable[[str], Explanation],
                      why_not: Callable[[str], str]) -> list[str]:
    """An empty list if the expectation is met; otherwise the lines that say how it is not."""
    if e.holds == "none":
        found = [c for c in findings.conclusions if not mismatches(e, c, with_holds=False)]
        if not found:
            return []
        return [f"expected no such conclusion, found {len(found)}:"] + [f"  {c.id} (holds: {c.holds})" for c in found]
    matching = [c for c in findings.conclusions if not mismatches(e, c)]
    if e.because:
        unexplained = []
        for c in list(matching):
            missing = [r for r in e.because if r not in reasons(why(c.id))]
            if missing:
                unexplained.append((c, missing))
                matching.remove(c)
        if unexplained and not matching and e.count is None:
            c, missing = unexplained[0]
            return [f"because: {', '.join(missing)} not in the explanation of {c.id}",
                    f"  its explanation cites: {', '.join(sorted(r for r in reasons(why(c.id)) if ' ' not in r))}"]
    if e.count is not None:
        if len(matching) == e.count:
            return []
        lines = [f"count: expected {e.count}, got {len(matching)}"] + [f"  {c.id}" for c in matching]
        return lines + (_nearest(e, findings, why_not) if not matching else [])
    if matching:
        return []
    return _nearest(e, findings, why_not)


def _nearest(e: Expectation, findings: Findings, why_not: Callable[[str], str]) -> list[str]:
    # the same conclusion with other properties: show what differs; no such conclusion: say why not
    same = [c for c in findings.conclusions if not [m for m in mismatches(e, c) if m.field in IDENTITY]]
    if same:
        best = min(same, key=lambda c: (len(mismatches(e, c)), c.id))
        return [f"the conclusion differs: {best.id}"] + [f"  {m}" for m in mismatches(e, best)]
    patterns, said = why_not_patterns(e, findings)
    if not patterns:
        return ["no such conclusion", f"why not: {said}"]
    from ..errors import TreatyError

    refused: TreatyError | None = None
    for pattern in patterns:  # (several only when the kind is not given: those a rule may conclude)
        try:
            answer = why_not(pattern)
        except TreatyError as err:  # the pattern names what the rules do not know
            refused = refused or err
            continue
        remark = [f"  (`kind:` not given: {pattern.split('(')[0]}, the kind of what the rules conclude "
                  f"to `{e.action}`)"] if len(patterns) > 1 else []
        return ["no such conclusion", *remark, "why not:"] + ["  " + ln for ln in answer.rstrip().splitlines()]
    assert refused is not None
    if len(patterns) > 1:  # the action, whatever the kind
        return ["no such conclusion", f"why not: no rule concludes `{e.action}`, of any kind"]
    return ["no such conclusion", f"why not {patterns[0]}: cannot be asked:"] + [
        f"  {d.message}" + (f" ({d.hint})" if d.hint else "") for d in refused.diagnostics]


#: The kinds of conclusion, in the order a hint lists them.
KINDS = ("obligation", "permission", "prohibition", "notification")


def why_not_patterns(e: Expectation, findings: Findings) -> tuple[list[str], str | None]:
    """The why-not patterns an expectation forms (``_`` for what it leaves open): one, or, when it gives an
    action and no kind, one of each kind (to try in turn); none if it gives neither, and then what it must
    also say."""
    if e.id is not None and "/" in e.id and not (e.kind or e.bearer or e.action):
        return [e.id], None
    towards = e.beneficiary or e.recipient or "_"
    if e.kind is not None:
        return [f"{e.kind}({e.bearer or '_'}, {e.action or '_'}, {towards})"], None
    if e.action is None:
        return [], (f"give the expectation a `kind:` ({', '.join(KINDS[:-1])} or {KINDS[-1]}) or an `action:` to "
                    "see why no such conclusion holds")
    found = sorted({c.kind for c in findings.conclusions if c.action == e.action})  # the kinds seen first
    return [f"{k}({e.bearer or '_'}, {e.action}, {towards})" for k in [*found, *(k for k in KINDS if k not in found)]
            ], None


#: The fields that say which conclusion is meant (the others say what is expected of it).
IDENTITY = ("kind", "bearer", "action", "beneficiary", "recipient", "id", "basis", "triggered_on")
