"""Renderers of findings: text for people, Markdown for documents, JSON for programs."""

from .markdown import render_markdown
from .text import render_text

__all__ = ["render_markdown", "render_text"]
