"""A Pygments lexer for rule files, registered as the ``treaty`` lexer (entry point ``pygments.lexers``)."""

from __future__ import annotations

from pygments.lexer import RegexLexer, bygroups, words
from pygments.token import Comment, Keyword, Name, Number, Operator, Punctuation, String, Text, Whitespace

DECLARATIONS = ("include", "source", "instrument", "parties", "party", "article", "text", "input", "derived",
                "rule", "priority")
CLAUSES = ("when", "unless", "from", "due", "immediately", "within", "days", "by", "discharged", "until", "in",
           "accordance", "with", "force", "to", "towards", "against", "on", "not", "over", "event", "version",
           "replaces", "signed", "amended", "authentic", "translation", "joined", "left", "note", "url")
DEONTIC = ("obligation", "permission", "prohibition", "notification")


class TreatyLexer(RegexLexer):
    """The treaty-engine rule language (``*.rules``)."""

    name = "Treaty rules"
    aliases = ["treaty", "treaty-rules"]
    filenames = ["*.rules"]
    mimetypes = ["text/x-treaty-rules"]

    tokens = {
        "root": [
            (r"\s+", Whitespace),
            (r"#.*?$", Comment.Single),
            (r'"""', String.Doc, "longstring"),
            (r'"(\\\\|\\"|[^"\n])*"', String.Double),
            (r"\d{4}-\d{2}-\d{2}", Number.Other),
            (r"(article)(\s+)([0-9]+[a-z]?(?:\([0-9a-z]+\))*|[IVXLC]+(?:\([0-9a-z]+\))*)",
             bygroups(Keyword.Declaration, Whitespace, Name.Label)),
            (r"(rule)(\s+)([a-z][A-Za-z0-9_]*)", bygroups(Keyword.Declaration, Whitespace, Name.Function)),
            (words(DEONTIC, suffix=r"\b"), Keyword.Type),
            (words(DECLARATIONS, suffix=r"\b"), Keyword.Declaration),
            (words(CLAUSES, suffix=r"\b"), Keyword),
            (r"[A-Z][A-Za-z0-9_]*|_\b", Name.Variable),
            (r"[a-z][A-Za-z0-9_]*(?=\()", Name.Function),
            (r"[a-z][A-Za-z0-9_]*", Name.Constant),
            (r"\d+", Number.Integer),
            (r"!=|<=|>=|=|<|>|\+|-", Operator),
            (r"[(),.:]", Punctuation),
            (r".", Text),
        ],
        "longstring": [
            (r'"""', String.Doc, "#pop"),
            (r'[^"]+|"', String.Doc),
        ],
    }
