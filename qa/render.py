"""HTML for the web chat: answers with clickable [n] markers and a sources panel.

Everything that comes from a user or a corpus file is HTML-escaped before it is placed in
markup, so HTML or script in a question or a passage is shown as text, never run.
"""

from __future__ import annotations

import base64
import html
import re
from pathlib import Path

from qa.summary_files import SavedSummary
from qa.types import Answer, Citation, kind_label

_MARKER = re.compile(r"\[(\d{1,2})\]")
_BOLD = re.compile(r"\*\*(.+?)\*\*")


def answer_html(answer: Answer, partial_text: str | None = None) -> str:
    """The assistant message: escaped text, [n] as links to the sources panel, the disclaimer."""
    text = html.escape(answer.text if partial_text is None else partial_text, quote=False)
    text = _BOLD.sub(r"<strong>\1</strong>", text)
    text = _MARKER.sub(r'<a class="cite" href="#src-\1" data-cite="\1">[\1]</a>', text)
    paragraphs = "".join(f"<p>{p}</p>" for p in text.split("\n\n") if p.strip())
    if answer.kind == "crisis":
        paragraphs = f'<div class="crisis">{_crisis_lines(answer.text)}</div>'
    disclaimer = f'<p class="disclaimer">{html.escape(answer.disclaimer)}</p>'
    return f'<div class="answer kind-{answer.kind}">{paragraphs}{disclaimer}</div>'


def _crisis_lines(text: str) -> str:
    out = []
    for line in html.escape(text, quote=False).split("\n"):
        line = _BOLD.sub(r"<strong>\1</strong>", line)
        if line.startswith("- "):
            out.append(f'<div class="help-line">{line[2:]}</div>')
        elif line.strip():
            out.append(f"<p>{line}</p>")
    return "".join(out)


def highlighted_context(citation: Citation) -> str:
    """The whole chunk, escaped, with the verbatim quote wrapped in <mark>."""
    context, quote = citation.context or citation.quote, citation.quote
    at = context.find(quote)
    if at < 0:
        return f"<mark>{html.escape(quote)}</mark>"
    before, after = context[:at], context[at + len(quote) :]
    return f"{html.escape(before)}<mark>{html.escape(quote)}</mark>{html.escape(after)}".replace("\n", "<br>")


def sources_html(answer: Answer | None) -> str:
    if answer is None or not answer.citations:
        return '<div class="sources-empty">Sources for the latest answer appear here. Click a [n] marker to open its quote.</div>'
    items = []
    for c in answer.citations:
        badge = f'<span class="badge kind-{c.source_kind}">{html.escape(kind_label(c.source_kind))}</span>'
        disputed = '<span class="badge disputed">⚠ disputed claim</span>' if c.disputed else ""
        section = f" — {html.escape(c.section)}" if c.section else ""
        link = (
            f'<a href="{html.escape(c.url)}" target="_blank" rel="noopener noreferrer">original</a>'
            if c.url.startswith("http")
            else ""
        )
        cited = f'<div class="cites">Cites: {html.escape("; ".join(c.sources))}</div>' if c.sources else ""
        items.append(
            f'<details class="source" id="src-{c.n}" data-n="{c.n}"><summary><b>[{c.n}]</b> {html.escape(c.title)}{section} {badge}{disputed}</summary>'
            f'<div class="context">{highlighted_context(c)}</div>{cited}<div class="meta">{link} <code>{html.escape(c.path)}</code></div></details>'
        )
    return f'<div class="sources">{"".join(items)}</div>'


def summary_links_html(saved: SavedSummary, questions: int) -> str:
    """Download links for a saved summary that carry the files' bytes (data: URLs), so the files reach
    only the session whose event returned them. The names are the generated file names."""

    def link(file: Path, css: str, mime: str, label: str) -> str:
        data = base64.b64encode(file.read_bytes()).decode("ascii")
        return (
            f'<a class="summary-download {css}" download="{html.escape(file.name)}" '
            f'href="data:{mime};charset=utf-8;base64,{data}">{html.escape(label)}</a>'
        )

    asked = f"{questions} question{'s' if questions != 1 else ''}"
    return (
        f'<div class="summary-ready" role="status">Your summary of {asked} is ready. '
        f"{link(saved.html, 'summary-html', 'text/html', 'Download the page to print (HTML; print it or save as PDF)')} "
        f"{link(saved.markdown, 'summary-md', 'text/markdown', 'Download as Markdown')}</div>"
    )
