"""Opening the current index generation for reading (nothing is rebuilt)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ingest import lexical
from ingest.claims import PlacedClaim
from ingest.documents import DocumentRecord
from ingest.lexicon import DrugEntry, Lexicon
from ingest.passage_questions import PlacedQuestion
from ingest.settings import Settings
from ingest.store import Generation, IndexUnavailable, read_current
from ingest.text import content_terms
from ingest.types import Chunk
from ingest.vocabulary import Entry, Vocabulary
from qa.question import question_type

_STAYS = re.compile(r"\bstays? in the body\b", re.I)

QUOTED_MIN = 20  # shorter sentences ("Yes.") are found in any text


@dataclass
class LoadedIndex:
    generation: Generation
    chunks: list[Chunk]
    chunk_vectors: np.ndarray
    sentence_rows: np.ndarray  # int64 [n, 3]: chunk index, start, end
    sentence_vectors: np.ndarray
    claims: list[PlacedClaim]
    claim_vectors: np.ndarray
    lexicon: Lexicon
    bm25: Any
    documents: dict[str, DocumentRecord]
    vocabulary: Vocabulary = field(default_factory=lambda: Vocabulary([]))
    questions: list[PlacedQuestion] = field(default_factory=list)  # what article passages answer
    question_vectors: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), np.float32))
    # per chunk, its section heading's vector (zeros where the heading is no patient question, or none stored)
    heading_vectors: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), np.float32))
    chunk_row: dict[str, int] = field(default_factory=dict)
    sentences_of_chunk: list[np.ndarray] = field(default_factory=list)
    question_chunks: np.ndarray = field(init=False, repr=False)  # chunk row of each passage question
    question_sentences: list[list[int]] = field(init=False, repr=False)  # sentence rows its quote overlaps
    _chunk_terms: dict[int, frozenset[str]] = field(default_factory=dict, repr=False)
    _section_kinds: dict[int, str] = field(default_factory=dict, repr=False)
    _claim_drugs: dict[str, frozenset[str]] = field(default_factory=dict, repr=False)
    _quotable: list[tuple[int, str]] = field(default_factory=list, repr=False)  # (row, text) of sentences to find
    _section_rows: dict[tuple[str, str], list[int]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.chunk_row = {c.chunk_id: i for i, c in enumerate(self.chunks)}
        order = (
            np.argsort(self.sentence_rows[:, 0], kind="stable") if len(self.sentence_rows) else np.zeros(0, np.int64)
        )
        bounds = (
            np.searchsorted(self.sentence_rows[order, 0], np.arange(len(self.chunks) + 1))
            if len(order)
            else np.zeros(len(self.chunks) + 1, np.int64)
        )
        self.sentences_of_chunk = [order[bounds[i] : bounds[i + 1]] for i in range(len(self.chunks))]
        for i, c in enumerate(self.chunks):
            self._section_rows.setdefault((c.source_id, c.section), []).append(i)
        # Each passage question's chunk row and the sentence rows its quote overlaps.
        self.question_chunks = np.asarray([self.chunk_row.get(q.chunk_id, -1) for q in self.questions], np.int64)
        self.question_sentences = [self._overlapping(q) for q in self.questions]

    def _overlapping(self, q: PlacedQuestion) -> list[int]:
        ci = self.chunk_row.get(q.chunk_id)
        if ci is None:
            return []
        return [
            int(row)
            for row in self.sentences_of_chunk[ci]
            if self.sentence_rows[row][1] < q.end and q.start < self.sentence_rows[row][2]
        ]

    def section_chunks(self, row: int) -> list[int]:
        """The chunk rows of the section a chunk belongs to, in order (a long section is split)."""
        c = self.chunks[row]
        return self._section_rows.get((c.source_id, c.section), [row])

    def chunk_terms(self, row: int) -> frozenset[str]:
        """Stems of the content words of a chunk with its title and section heading (cached)."""
        cached = self._chunk_terms.get(row)
        if cached is None:
            c = self.chunks[row]
            cached = self._chunk_terms[row] = frozenset(content_terms(f"{c.title} {c.section} {c.text}"))
        return cached

    def section_kind(self, row: int) -> str:
        """The kind of question a chunk's section heading asks ("What helps with sweating?" → remedy) (cached)."""
        cached = self._section_kinds.get(row)
        if cached is None:
            section = self.chunks[row].section
            # "How long does sertraline stay in the body?" asks about the half-life, not how long anything takes
            cached = self._section_kinds[row] = "half-life" if _STAYS.search(section) else question_type(section)
        return cached

    def claim_drugs(self, claim: PlacedClaim) -> frozenset[str]:
        """The drugs a claim and its correction name (cached)."""
        cached = self._claim_drugs.get(claim.id)
        if cached is None:
            text = f"{claim.quote} {claim.correction}"
            cached = self._claim_drugs[claim.id] = frozenset(
                m.generic for m in self.lexicon.mentions(text, fuzzy=False)
            )
        return cached

    def first_quoted(self, text: str) -> int | None:
        """The row of the sentence a text quotes first (an earlier answer), or None when it quotes none."""
        if not self._quotable:
            self._quotable = [
                (row, sentence)
                for row in range(len(self.sentence_rows))
                if len(sentence := self.sentence_text(row)) >= QUOTED_MIN
            ]
        found = [(at, row) for row, sentence in self._quotable if (at := text.find(sentence)) >= 0]
        return min(found)[1] if found else None

    def sentence_text(self, row: int) -> str:
        ci, start, end = (int(x) for x in self.sentence_rows[row])
        chunk = self.chunks[ci]
        return chunk.text[start - chunk.start : end - chunk.start]


def open_index(settings: Settings) -> LoadedIndex | None:
    """The current generation, or None when no index has been built yet."""
    generation = read_current(settings.index.path)
    if generation is None:
        return None
    m = generation.manifest
    try:
        chunks = [Chunk(**c) for c in m["chunks"]]
        rows = np.asarray(m["sentences"], dtype=np.int64).reshape(-1, 3)
        index = LoadedIndex(
            generation=generation,
            chunks=chunks,
            chunk_vectors=np.load(generation.path / "chunks.npy", allow_pickle=False),
            sentence_rows=rows,
            sentence_vectors=np.load(generation.path / "sentences.npy", allow_pickle=False),
            claims=[PlacedClaim.model_validate(c) for c in m.get("claims", [])],
            claim_vectors=np.load(generation.path / "claims.npy", allow_pickle=False),
            lexicon=Lexicon([DrugEntry.model_validate(d) for d in m.get("drugs", [])]),
            bm25=lexical.load(generation.path / "bm25"),
            documents={sid: DocumentRecord.model_validate(d) for sid, d in m["documents"].items()},
            vocabulary=Vocabulary([Entry.model_validate(e) for e in m.get("vocabulary", [])]),
            questions=[PlacedQuestion.model_validate(q) for q in m.get("questions", [])],
            question_vectors=np.load(generation.path / "questions.npy", allow_pickle=False),
            heading_vectors=_optional(generation.path / "headings.npy"),
        )
    except (OSError, KeyError, ValueError, TypeError) as exc:  # pydantic's ValidationError is a ValueError
        raise IndexUnavailable(
            f"index generation {generation.path} is incomplete ({exc}); run `ssri-qa ingest` to rebuild it"
        ) from None
    return index


def _optional(path: Path) -> np.ndarray:
    """A vectors file a generation from before it was added lacks: none then, and the answers do without."""
    return np.load(path, allow_pickle=False) if path.exists() else np.zeros((0, 0), np.float32)


def ensure_index(settings: Settings, embedder: Any = None) -> LoadedIndex:
    """The one way to get an index to answer from: the current generation, built first by the
    ingest pipeline when there is none yet (a fresh checkout), so `Chatbot()` works out of the box."""
    index = open_index(settings)
    if index is None:
        from ingest.pipeline import ingest

        ingest(settings, embedder=embedder)
        index = open_index(settings)
    if index is None:
        raise IndexUnavailable(f"no index at {settings.index.path}; run `ssri-qa ingest`")
    return index
