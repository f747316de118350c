"""Numbering citations: each cited chunk gets one [n]; its quote is verbatim file text."""

from __future__ import annotations

import re

from ingest.types import Chunk
from qa.index import LoadedIndex
from qa.types import Citation


class CitationBook:
    def __init__(self, index: LoadedIndex) -> None:
        self.index = index
        self._spans: dict[str, tuple[int, int]] = {}  # chunk id → (start, end) of quoted text
        self._order: list[str] = []
        self._disputed: set[str] = set()

    def cite(self, chunk: Chunk, start: int, end: int, disputed: bool = False) -> int:
        """Number for `chunk`, widening its quote to cover [start, end) (file offsets)."""
        start, end = max(start, chunk.start), min(end, chunk.end)
        if chunk.chunk_id in self._spans:
            s, e = self._spans[chunk.chunk_id]
            self._spans[chunk.chunk_id] = (min(s, start), max(e, end))
        else:
            self._spans[chunk.chunk_id] = (start, end)
            self._order.append(chunk.chunk_id)
        if disputed:
            self._disputed.add(chunk.chunk_id)
        return self._order.index(chunk.chunk_id) + 1

    def cite_quote(self, chunk_id: str, start: int, end: int) -> int | None:
        row = self.index.chunk_row.get(chunk_id)
        return None if row is None else self.cite(self.index.chunks[row], start, end)

    def mark_disputed(self, chunk_id: str) -> None:
        self._disputed.add(chunk_id)

    def number_of(self, chunk_id: str) -> int | None:
        return self._order.index(chunk_id) + 1 if chunk_id in self._spans else None

    def citations(self) -> list[Citation]:
        out = []
        for n, cid in enumerate(self._order, start=1):
            chunk = self.index.chunks[self.index.chunk_row[cid]]
            s, e = self._spans[cid]
            doc = self.index.documents.get(chunk.source_id)
            out.append(
                Citation(
                    n=n,
                    source_id=chunk.source_id,
                    title=chunk.title,
                    section=chunk.section,
                    url=chunk.url,
                    source_kind=chunk.source_kind,
                    quote=chunk.text[s - chunk.start : e - chunk.start],
                    path=chunk.path,
                    chunk_id=cid,
                    context=chunk.text,
                    sources=cited_in(
                        doc.sources if doc else (), chunk.text[s - chunk.start : e - chunk.start], chunk.text
                    ),
                    disputed=cid in self._disputed,
                )
            )
        return out


def cited_in(sources: tuple[str, ...], quote: str, section: str) -> tuple[str, ...]:
    """The works a quote itself names ("(Anglin et al., 2014)", "NICE"), else those its section names,
    else every work the note cites: attribution as exact as the text allows."""

    def key(source: str) -> list[str]:
        return [w for w in re.findall(r"[A-Z][A-Za-z]+|[A-Z]{2,}\d*|NG\d+", source) if len(w) >= 3 and w not in _COMMON]

    for text in (quote, section):
        named = tuple(src for src in sources if any(re.search(rf"\b{re.escape(k)}\b", text) for k in key(src)[:2]))
        if named:
            return named
    return sources


_COMMON = {
    "The",
    "And",
    "For",
    "With",
    "US",
    "UK",
    "SSRI",
    "SSRIs",
    "Journal",
    "American",
    "British",
    "Guideline",
    "Label",
    "Prescribing",
}
