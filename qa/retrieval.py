"""Hybrid retrieval: dense (Chroma) + BM25 (bm25s), fused by reciprocal rank, near-duplicates removed."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Literal

import numpy as np

from ingest import lexical
from ingest.store import VectorStore
from qa.index import LoadedIndex
from qa.settings import RetrievalSettings
from qa.types import Passage

Mode = Literal["hybrid", "dense", "lexical"]


@dataclass
class RetrievalTimings:
    dense_ms: float = 0.0
    lexical_ms: float = 0.0
    fusion_ms: float = 0.0


class Retriever:
    def __init__(self, index: LoadedIndex, store: VectorStore | None, settings: RetrievalSettings, mode: Mode = "hybrid") -> None:
        self.index = index
        self.store = store
        self.settings = settings
        self.mode = mode
        self.timings = RetrievalTimings()

    def dense(self, vector: np.ndarray, n: int) -> list[int]:
        if self.store is None:  # exact search over the generation's vectors (tests, fallback)
            sims = self.index.chunk_vectors @ vector
            return [int(i) for i in np.argsort(-sims)[:n]]
        hits = self.store.search(vector, n * 2)
        rows = [self.index.chunk_row[cid] for cid, _ in hits if cid in self.index.chunk_row]
        return rows[:n]

    def lexical(self, query: str, n: int) -> list[int]:
        return [row for row, _ in lexical.search(self.index.bm25, self.index.lexicon.expand(query), n)]

    def search(self, query: str, vector: np.ndarray, k: int) -> list[Passage]:
        n = max(self.settings.candidates, k)
        t0 = time.perf_counter()
        dense = self.dense(vector, n) if self.mode != "lexical" else []
        t1 = time.perf_counter()
        lex = self.lexical(query, n) if self.mode != "dense" else []
        t2 = time.perf_counter()
        fused: dict[int, float] = {}
        for ranking in (dense, lex):
            for rank, row in enumerate(ranking):
                fused[row] = fused.get(row, 0.0) + 1.0 / (self.settings.rrf_k + rank + 1)
        ordered = sorted(fused, key=lambda r: (-fused[r], r))
        kept: list[int] = []
        for row in ordered:
            if len(kept) == k:
                break
            if kept:
                sims = self.index.chunk_vectors[kept] @ self.index.chunk_vectors[row]
                if float(sims.max()) >= self.settings.duplicate_similarity:
                    continue
            kept.append(row)
        t3 = time.perf_counter()
        self.timings = RetrievalTimings((t1 - t0) * 1000, (t2 - t1) * 1000, (t3 - t2) * 1000)
        out = []
        for row in kept:
            c = self.index.chunks[row]
            out.append(
                Passage(
                    text=c.text, source_id=c.source_id, title=c.title, section=c.section, source_kind=c.source_kind,
                    score=round(fused[row], 6), chunk_id=c.chunk_id, url=c.url, path=c.path, start=c.start, end=c.end,
                )
            )
        return out
