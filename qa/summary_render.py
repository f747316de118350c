"""The appointment summary as Markdown and as a print-ready HTML page (qa/summary.py builds it).

The HTML page stands alone: inline CSS, no scripts, no fonts or images, and a Content-Security-Policy
that forbids loading anything, so opening it (or printing it to PDF) contacts nobody. Every text that
comes from a user or the corpus is escaped before it is placed in markup; in the Markdown, a question's
markup characters are escaped so it reads as typed wherever the file is shown.
"""

from __future__ import annotations

import html
import re
from datetime import datetime
from itertools import groupby

from qa.messages import (
    SUMMARY_MADE_HERE,
    SUMMARY_PRESCRIBER_HEADING,
    SUMMARY_PRESCRIBER_NOTE,
    SUMMARY_PRINT_HINT,
    SUMMARY_TITLE,
)
from qa.summary import Summary, Turn
from qa.types import Citation, kind_label

_MARKER = re.compile(r"\[(\d{1,2})\]")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")
DISPUTED_NOTE = "disputed claim: the answer above gives the correction"


def when(saved_at: datetime) -> str:
    """The date as in "14 March 2026, 10:32" (no platform-specific format codes)."""
    return f"{saved_at.day} {saved_at:%B %Y, %H:%M}"


# ---------------------------------------------------------------------- Markdown
def to_markdown(summary: Summary) -> str:
    out = [f"# {SUMMARY_TITLE}", "", f"> **{summary.disclaimer}**", ""]
    out += [f"Saved on {when(summary.saved_at)}. {SUMMARY_MADE_HERE}", ""]
    for number, turn in enumerate(summary.turns, start=1):
        out += _turn_markdown(number, turn)
    if summary.prescriber_questions:
        out += [f"## {SUMMARY_PRESCRIBER_HEADING}", ""]
        out += [f"- {q}" for q in summary.prescriber_questions]
        out += ["", f"*{SUMMARY_PRESCRIBER_NOTE}*", ""]
    out += ["---", "", f"> **{summary.disclaimer}**", ""]
    return "\n".join(out)


def _turn_markdown(number: int, turn: Turn) -> list[str]:
    answer = turn.answer
    out = [f"## {number}. {_md_escape(turn.question)}", ""]
    if _read_as(turn):
        out += [f"*Understood as: {_md_escape(answer.standalone_question)}*", ""]
    out += [_md_body(answer.text), ""]
    if answer.citations:
        out += ["**Sources**", ""]
        for c in answer.citations:
            section = f" — {_md_body(c.section)}" if c.section else ""
            disputed = f" · ⚠ {DISPUTED_NOTE}" if c.disputed else ""
            out.append(f"[{c.n}] **{_md_body(c.title)}**{section} · *{kind_label(c.source_kind)}*{disputed}  ")
            out += [f"> {line}" if line.strip() else ">" for line in _md_body(c.quote).split("\n")]
            where = _where(c)
            if where:
                out += ["", "  ".join(where)]
            out.append("")
    return out


def _where(c: Citation) -> list[str]:
    out = [f"<{c.url}>" if c.url.startswith(("http://", "https://")) else ""]
    if c.sources:
        out.append(f"Cites: {_md_body('; '.join(c.sources))}")
    return [x for x in out if x]


def _md_escape(text: str) -> str:
    """A user's text with Markdown and HTML characters escaped, on one line."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _md_body(text: str) -> str:
    """Answer and corpus text keeps its **bold** and [n] markers; HTML in it is escaped."""
    return text.replace("\\", "\\\\").replace("<", "\\<").replace(">", "\\>")


def _read_as(turn: Turn) -> bool:
    standalone = turn.answer.standalone_question
    return bool(standalone) and standalone.strip() != turn.question.strip()


# ---------------------------------------------------------------------- HTML
def to_html(summary: Summary) -> str:
    e = html.escape
    stamp = when(summary.saved_at)
    turns = "".join(_turn_html(number, turn) for number, turn in enumerate(summary.turns, start=1))
    prescriber = ""
    if summary.prescriber_questions:
        items = "".join(f"<li>{e(q)}</li>" for q in summary.prescriber_questions)
        prescriber = (
            f'<section class="prescriber" id="prescriber-questions"><h2>{e(SUMMARY_PRESCRIBER_HEADING)}</h2>'
            f'<ul>{items}</ul><p class="note">{e(SUMMARY_PRESCRIBER_NOTE)}</p></section>'
        )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{e(SUMMARY_TITLE)} — {e(stamp)}</title><style>{PAGE_CSS}</style></head><body>"
        f"<header><h1>{e(SUMMARY_TITLE)}</h1>"
        f'<p class="disclaimer" id="disclaimer-top" role="note">{e(summary.disclaimer)}</p>'
        f'<p class="meta">Saved on <time datetime="{e(summary.saved_at.isoformat(timespec="minutes"))}">{e(stamp)}</time>. '
        f'{e(SUMMARY_MADE_HERE)} <span class="screen-only">{e(SUMMARY_PRINT_HINT)}</span></p></header>'
        f"<main>{turns}{prescriber}</main>"
        f'<footer><p class="disclaimer" id="disclaimer-bottom" role="note">{e(summary.disclaimer)}</p></footer>'
        "</body></html>\n"
    )


def _turn_html(number: int, turn: Turn) -> str:
    e = html.escape
    answer = turn.answer
    read_as = f'<p class="read-as">Understood as: {e(answer.standalone_question)}</p>' if _read_as(turn) else ""
    cited = {c.n for c in answer.citations}
    sources = ""
    if answer.citations:
        items = "".join(_source_html(number, c) for c in answer.citations)
        sources = f'<h3 class="sources-heading">Sources</h3><ul class="sources">{items}</ul>'
    return (
        f'<section class="turn kind-{e(answer.kind)}" id="turn-{number}">'
        f'<h2><span class="turn-n">{number}.</span> {e(turn.question)}</h2>{read_as}'
        f'<div class="answer">{_text_html(answer.text, number, cited)}</div>{sources}</section>'
    )


def _source_html(number: int, c: Citation) -> str:
    e = html.escape
    section = f'<span class="section"> — {e(c.section)}</span>' if c.section else ""
    badge = f'<span class="badge kind-{e(c.source_kind)}">{e(kind_label(c.source_kind))}</span>'
    disputed = f'<span class="badge disputed">⚠ {e(DISPUTED_NOTE)}</span>' if c.disputed else ""
    where = []
    if c.url.startswith(("http://", "https://")):
        where.append(f'<a href="{e(c.url)}" rel="noopener noreferrer">{e(c.url)}</a>')
    if c.sources:
        where.append(f"Cites: {e('; '.join(c.sources))}")
    meta = f'<div class="where">{" · ".join(where)}</div>' if where else ""
    quote = e(c.quote).replace("\n", "<br>")
    return (
        f'<li class="source" id="t{number}-s{c.n}" data-n="{c.n}"><div class="source-head">'
        f'<span class="n">[{c.n}]</span> <cite>{e(c.title)}</cite>{section} {badge}{disputed}</div>'
        f'<blockquote class="quote">{quote}</blockquote>{meta}</li>'
    )


def _text_html(text: str, number: int, cited: set[int]) -> str:
    """Paragraphs of escaped text; **bold** kept; "- " lines (the crisis help lines) as a list; each
    [n] a link to its source in this turn's list."""

    def inline(line: str) -> str:
        line = _BOLD.sub(r"<strong>\1</strong>", html.escape(line, quote=False))
        return _MARKER.sub(
            lambda m: f'<a class="cite" href="#t{number}-s{m[1]}">[{m[1]}]</a>' if int(m[1]) in cited else m[0], line
        )

    blocks: list[str] = []
    for paragraph in text.split("\n\n"):
        lines = [line for line in paragraph.split("\n") if line.strip()]
        for bullet, run in groupby(lines, key=lambda line: line.startswith("- ")):
            if bullet:
                blocks.append(f'<ul class="help">{"".join(f"<li>{inline(line[2:])}</li>" for line in run)}</ul>')
            else:
                blocks.append(f"<p>{'<br>'.join(inline(line) for line in run)}</p>")
    return "".join(blocks)


# A4 with 14 mm margins; small type so a few turns fit on a page; sources never split across pages.
PAGE_CSS = """
:root { color-scheme: light; }
body { font: 11pt/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: #1b1b1b;
  max-width: 46rem; margin: 1.5rem auto; padding: 0 1rem; }
h1 { font-size: 1.5rem; margin: 0 0 .5rem; }
h2 { font-size: 1.12rem; margin: 1.4rem 0 .4rem; border-top: 1px solid #ccc; padding-top: .8rem; }
h3.sources-heading { font-size: .95rem; margin: .6rem 0 .2rem; color: #444; }
.disclaimer { border: 2px solid #b45309; background: #fff7ed; padding: .5rem .7rem; border-radius: 6px;
  font-weight: 600; }
.meta, .read-as, .note, .where { color: #555; font-size: .9rem; }
.read-as { font-style: italic; margin: 0 0 .4rem; }
.answer p { margin: .35rem 0; }
.kind-crisis .answer { border-left: 4px solid #b91c1c; padding-left: .7rem; }
ul.help li { margin: .2rem 0; }
ul.sources { list-style: none; padding: 0; margin: 0; }
li.source { margin: .45rem 0; padding: .35rem .55rem; border: 1px solid #ddd; border-radius: 6px;
  break-inside: avoid; page-break-inside: avoid; }
li.source:target { outline: 2px solid #2563eb; }
.source-head .n { font-weight: 700; }
cite { font-style: normal; font-weight: 600; }
.badge { display: inline-block; font-size: .78rem; padding: 0 .4rem; border-radius: 999px; border: 1px solid #999;
  margin-left: .2rem; white-space: nowrap; }
.badge.kind-reference { border-color: #15803d; color: #14532d; }
.badge.kind-opinion { border-color: #a16207; color: #713f12; }
.badge.kind-anecdote { border-color: #7c3aed; color: #4c1d95; }
.badge.disputed { border-color: #b91c1c; color: #7f1d1d; }
blockquote.quote { margin: .3rem 0; padding: .1rem .6rem; border-left: 3px solid #999; color: #222; }
a.cite { text-decoration: none; font-weight: 600; }
.where a { word-break: break-all; }
.prescriber { margin-top: 1.4rem; border-top: 1px solid #ccc; }
.prescriber li { margin: .3rem 0; }
footer { margin-top: 1.6rem; }
@page { size: A4; margin: 14mm; }
@media print {
  body { margin: 0; max-width: none; padding: 0; font-size: 10pt; }
  .screen-only { display: none; }
  a { color: inherit; }
  h2 { break-after: avoid; page-break-after: avoid; }
  .disclaimer { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""
