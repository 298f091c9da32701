"""Small pieces of wording shared by the renderers, and what makes untrusted text safe in them.

Scenario and rule files are shared like documents, so everything they say (titles, notes,
names, citations, URLs) is shown as text: only http(s) URLs become links, and Markdown output
escapes what would otherwise be raw HTML or a link.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from ..reasoning.findings import Conclusion, Findings, dates_text, ended_text
from ..reasoning.findings import holds_text as _holds_text
from ..reasoning.findings import status_text as _status_text

KIND_TITLES = {"obligation": "Obligations", "notification": "Notifications", "permission": "Permissions",
               "prohibition": "Prohibitions"}


def sections(f: Findings) -> list[tuple[str, str, list[Conclusion]]]:
    """(kind, title, conclusions) for each kind that has conclusions, in the reports' order."""
    by_kind: dict[str, list[Conclusion]] = {k: [] for k in KIND_TITLES}
    for c in f.conclusions:
        by_kind[c.kind].append(c)
    return [(k, KIND_TITLES[k], rows) for k, rows in by_kind.items() if rows]


def _same(text: str) -> str:
    return text


#: How a renderer quotes text from the input inside wording of its own (Markdown escapes it).
Quote = Callable[[str], str]


def basis_text(c: Conclusion, q: Quote = _same) -> str:
    b = c.basis
    version = f" [{q(b.version)}]" if b.version else ""
    return f"{q(b.instrument)} art. {q(b.article)}{version}"


def due_text(c: Conclusion) -> str:
    if c.due is None:
        return ""
    when = dates_text(c.due.dates or [c.due.date])
    if c.due.kind == "immediately":
        return f"due {when} (immediately)"
    if c.due.kind == "within":
        return f"due {when} (within {c.due.within_days} days)"
    return f"due {when}"


def until_text(c: Conclusion, q: Quote = _same) -> str:
    if c.until is None:
        return ""
    return ended_text(c) or f"until {q(c.until.event)}"


def status_text(c: Conclusion, q: Quote = _same) -> str:
    """Its status, with the day it was discharged (issue 14: the date was only in explanations)."""
    said = _status_text(c, q)
    if c.discharged_on and c.status in ("discharged", "discharged_late"):
        said += " " + " or ".join(d.isoformat() for d in c.discharged_on)
    return said


def holds_text(c: Conclusion, q: Quote = _same) -> str:
    return _holds_text(c, q)


def counterparty(c: Conclusion, names: Names | None = None) -> str:
    """Towards or against whom (to whom, for a notification): its display name with ``names``."""
    party = c.beneficiary or c.recipient or ""
    return names.entity(party) if names is not None and party else party


def label(c: Conclusion, names: Names) -> str:
    """A conclusion for people, where its id would be: ``Russian Federation: provide assistance → Kazakhstan
    (cst art. 4(2) [2010], from 2022-01-05)`` (its id with ``--ids``)."""
    if names.ids:
        return c.id
    return f"{who_what(c, names)} ({basis_text(c)}, from {dates_text(c.trigger_dates)})"


def who_what(c: Conclusion, names: Names) -> str:
    """Who must, may or may not do what, towards whom: ``Russian Federation: provide assistance → Kazakhstan``."""
    towards = counterparty(c, names)
    return f"{names.entity(c.bearer)}: {names.action(c.action)}" + (f" → {towards}" if towards else "")


@dataclass(frozen=True)
class Names:
    """How reports for people name entities and actions (issue 14): by display name, actions with
    spaces (``Russian Federation``, ``provide assistance``); with ``ids`` (``--ids``), as the findings'
    JSON does (``russia``, ``provide_assistance``). Renderers still quote what this gives: names come
    from untrusted files."""

    names: Mapping[str, str] = field(default_factory=dict)
    ids: bool = False

    @classmethod
    def of(cls, f: Findings, ids: bool = False) -> Names:
        return cls(f.names, ids)

    def entity(self, ident: str) -> str:
        return ident if self.ids else self.names.get(ident, ident)

    def action(self, action: str) -> str:
        """``provide assistance``; ``assist (action it deems necessary)`` for a compound action."""
        return action if self.ids else re.sub(r"(?<! )\(", " (", action.replace("_", " "))


IDS = Names(ids=True)


def summary(f: Findings) -> str:
    parts = [f"{len(rows)} {title.lower() if len(rows) != 1 else k}" for k, title, rows in sections(f)]
    every = sum(1 for c in f.conclusions if c.holds == "all")
    some = len(f.conclusions) - every
    total = len(f.conclusions)
    return (f"{total} conclusion{'s' if total != 1 else ''}" + (f": {', '.join(parts)}" if parts else "")
            + f"; {every} hold{'s' if every == 1 else ''} in every reading, {some} only in some.")


# ---- untrusted text in links, HTML and Markdown ---------------------------------------------


def _invisible(ch: str) -> bool:
    """Whitespace, control and format characters: browsers drop or trim some inside URLs."""
    return ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf", "Zs", "Zl", "Zp")


def http_url(url: str | None) -> str | None:
    """``url`` if it is an absolute http or https URL with a host, else None: only those become links.

    Browsers remove tabs and newlines anywhere in a URL and trim spaces and control characters
    around it, so ``java<TAB>script:`` and `` javascript:`` are script URLs to them: a URL with
    any such character is shown as text, as is every other scheme (``javascript:``, ``data:``,
    ``file:``) and a scheme-relative ``//host`` URL.
    """
    if not url or any(_invisible(ch) for ch in url):
        return None
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:  # e.g. an unbalanced IPv6 bracket
        return None
    return url if parts.scheme.lower() in ("http", "https") and host else None


_LINE_BREAK = re.compile(r"\r\n|\r|\n")
#: Backslash first (so that no escape of ours can be undone); brackets start links, images and
#: link definitions; a backtick, code spans; <, > and & become entities, so never raw HTML.
_MARKDOWN = str.maketrans({"\\": "\\\\", "[": "\\[", "]": "\\]", "`": "\\`", "&": "&amp;", "<": "&lt;",
                           ">": "&gt;"})


def md_text(text: str) -> str:
    """Text from the input as Markdown that shows it as written: no HTML, no links, one line, and no
    control character that a terminal showing the file would obey (:func:`visible`)."""
    return visible(_LINE_BREAK.sub(" ", text).translate(_MARKDOWN))


def md_cell(text: str) -> str:
    """:func:`md_text` for a table cell, where ``|`` would end the cell."""
    return md_text(text).replace("|", "\\|")


def md_code(text: str) -> str:
    """Text from the input as a Markdown code span (shown verbatim, nothing in it is markup).

    The fence is one backtick longer than the longest run of backticks inside, as CommonMark
    specifies; a line break would end the paragraph (and could start raw HTML), so it is a space.
    """
    text = visible(_LINE_BREAK.sub(" ", text))
    fence = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    pad = " " if text.startswith(("`", " ")) or text.endswith(("`", " ")) else ""
    return f"{fence}{pad}{text}{pad}{fence}"


#: Control characters (a terminal obeys ESC sequences: colours, cursor moves, hyperlinks, the
#: window title) and the bidirectional overrides that reorder how a line reads.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def visible(text: str) -> str:
    """Text from the input for a terminal: every control character shown as an escape, not obeyed."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m[0]):02x}" if ord(m[0]) < 0x100 else f"\\u{ord(m[0]):04x}", text)


def notice_lines(f: Findings) -> list[str]:
    """``notice: TITLE (INSTRUMENT art. ARTICLE; V=value, ...), in every reading``: the rule base's
    notices whose conditions hold (something the rules cannot decide from the case as stated)."""
    out = []
    for n in f.notices:
        values = ", ".join(f"{k}={v}" for k, v in sorted(n.values.items()))
        where = "in every reading" if n.holds == "all" else "in some readings"
        out.append(f"notice: {n.title or n.id} ({n.instrument} art. {n.article}"
                   + (f"; {values}" if values else "") + f"), {where} [{n.id}]")
    return out
