"""Structure-aware chunking with exact character spans.

A document body is read line by line: headings open sections, each bullet item stays
whole, other lines are paragraphs split at sentence boundaries (pysbd) only when they are
too long. Units are packed into chunks of about `target_chars` without crossing a section.
Every chunk and sentence carries offsets into the file so `text[start:end]` is the quote.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from ingest.documents import Document
from ingest.settings import ChunkingSettings
from ingest.text import sentences
from ingest.types import Chunk

_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+(.*\S)\s*$")
_BULLET = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")
MIN_SENTENCE_CHARS = 20


@dataclass(frozen=True)
class Span:
    start: int
    end: int


@dataclass(frozen=True)
class Block:
    section: str
    start: int
    end: int
    bullet: bool


def sentence_spans(text: str, start: int, end: int) -> list[Span]:
    """Sentence spans (absolute offsets, whitespace trimmed) inside text[start:end]."""
    return [Span(a, b) for a, b in sentences(text, start, end)] or [Span(start, end)]


def is_plain_heading(line: str, next_line: str | None) -> bool:
    """Heuristic for headings in plain-text articles ("Downsides of SSRIs", "Classical SSRIs")."""
    stripped = line.strip()
    if not (2 < len(stripped) <= 80) or _BULLET.match(line):
        return False
    if stripped[-1] in ".,;:!?" or ": " in stripped:
        return False
    return next_line is not None and bool(next_line.strip())


def blocks(doc: Document) -> list[Block]:
    text = doc.text
    lines: list[tuple[int, str]] = []
    pos = doc.body_start
    for line in text[doc.body_start :].split("\n"):
        lines.append((pos, line))
        pos += len(line) + 1
    out: list[Block] = []
    section = ""
    for i, (offset, line) in enumerate(lines):
        if not line.strip():
            continue
        next_line = lines[i + 1][1] if i + 1 < len(lines) else None
        if doc.format == "markdown":
            heading = _MARKDOWN_HEADING.match(line)
            if heading:
                # A level-1 heading is the note's title; sections come from lower levels.
                section = "" if line.startswith("# ") else heading.group(1)
                continue
        elif is_plain_heading(line, next_line):
            section = line.strip()
            continue
        lead = len(line) - len(line.lstrip())
        trail = len(line.rstrip())
        out.append(Block(section, offset + lead, offset + trail, bool(_BULLET.match(line))))
    return out


def _units(doc: Document, block: Block, max_chars: int) -> list[Span]:
    if block.bullet or block.end - block.start <= max_chars:
        return [Span(block.start, block.end)]
    return sentence_spans(doc.text, block.start, block.end)


def chunk_id(source_id: str, section: str, text: str, occurrence: int) -> str:
    digest = hashlib.sha256(f"{source_id}\x1f{section}\x1f{occurrence}\x1f{text}".encode()).hexdigest()
    return digest[:32]


def fixed_spans(doc: Document, size: int) -> list[Span]:
    """Naive baseline: windows of `size` characters, blind to structure (trimmed, exact offsets)."""
    spans = []
    for start in range(doc.body_start, len(doc.text), size):
        piece = doc.text[start : start + size]
        lead = len(piece) - len(piece.lstrip())
        if piece.strip():
            spans.append(Span(start + lead, start + len(piece.rstrip())))
    return spans


def chunk_document(doc: Document, settings: ChunkingSettings) -> list[Chunk]:
    if settings.strategy == "fixed":
        return [
            Chunk(
                chunk_id(doc.source_id, "", doc.text[s.start : s.end], i),
                doc.source_id,
                doc.title,
                "",
                doc.default_kind,
                doc.url,
                doc.path,
                s.start,
                s.end,
                doc.text[s.start : s.end],
            )
            for i, s in enumerate(fixed_spans(doc, settings.target_chars))
        ]
    groups: list[tuple[str, list[Span]]] = []  # (section, units) per chunk
    current: list[Span] = []
    current_section: str | None = None

    def flush() -> None:
        nonlocal current
        if current:
            groups.append((current_section or "", current))
        current = []

    for block in blocks(doc):
        if block.section != current_section:
            flush()
            current_section = block.section
        for unit in _units(doc, block, settings.max_chars):
            if current:
                span = unit.end - current[0].start
                size = current[-1].end - current[0].start
                if span > settings.max_chars or size >= settings.target_chars:
                    flush()
            current.append(unit)
    flush()

    # Merge a short tail into the chunk before it when they share a section and fit.
    merged: list[tuple[str, list[Span]]] = []
    for section, units in groups:
        size = units[-1].end - units[0].start
        if merged and merged[-1][0] == section and size < settings.min_chars:
            prev = merged[-1][1]
            if units[-1].end - prev[0].start <= settings.max_chars:
                merged[-1] = (section, prev + units)
                continue
        merged.append((section, units))

    chunks: list[Chunk] = []
    seen: dict[str, int] = {}
    for section, units in merged:
        start, end = units[0].start, units[-1].end
        text = doc.text[start:end]
        key = f"{section}\x1f{text}"
        occurrence = seen.get(key, 0)
        seen[key] = occurrence + 1
        chunks.append(
            Chunk(
                chunk_id=chunk_id(doc.source_id, section, text, occurrence),
                source_id=doc.source_id,
                title=doc.title,
                section=section,
                source_kind=doc.kind_of(section),
                url=doc.url,
                path=doc.path,
                start=start,
                end=end,
                text=text,
            )
        )
    return chunks


def chunk_sentences(doc_text: str, chunk: Chunk) -> list[Span]:
    """Answer-sized sentences of a chunk (bullets split too), absolute offsets."""
    spans: list[Span] = []
    pos = chunk.start
    for line in doc_text[chunk.start : chunk.end].split("\n"):
        stripped = line.strip()
        if stripped:
            lead = line.index(stripped[0])
            bullet = _BULLET.match(line)
            lstart = pos + (bullet.end() if bullet else lead)
            for span in sentence_spans(doc_text, lstart, pos + len(line.rstrip())):
                if span.end - span.start >= MIN_SENTENCE_CHARS:
                    spans.append(span)
        pos += len(line) + 1
    return spans
