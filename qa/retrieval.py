"""Hybrid retrieval: dense (Chroma) + BM25 (bm25s) for the whole question and for its aspect alone,
fused by reciprocal rank, with a prior for the notes on the named drugs, near-duplicates removed
and at most a few passages from any one document (so one drug's profile cannot fill every slot).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Literal

import numpy as np

from ingest import lexical
from ingest.settings import RetrievalSettings
from ingest.store import VectorStore
from ingest.text import content_terms, stem
from qa.index import LoadedIndex
from qa.types import Passage, Timings

Mode = Literal["hybrid", "dense", "lexical"]
log = logging.getLogger("ssri_qa.retrieval")


@dataclass(frozen=True)
class Query:
    """One text to search for, with its vector; `weight` scales its share of the fused score."""

    text: str
    vector: np.ndarray
    weight: float = 1.0


class Retriever:
    def __init__(
        self, index: LoadedIndex, store: VectorStore | None, settings: RetrievalSettings, mode: Mode = "hybrid"
    ) -> None:
        self.index = index
        self.store = store
        self.settings = settings
        self.mode = mode
        self._outage_since: float | None = None  # monotonic time the vector server stopped answering
        self._retry_at = 0.0
        # Server calls run on worker threads so that a hung server costs `server_timeout_s`, not forever
        # (chromadb's HTTP client has no timeout of its own).
        self._calls = ThreadPoolExecutor(max_workers=4, thread_name_prefix="vector-server")
        self._pending: tuple[float, Future[list[tuple[str, float]]]] | None = None  # (started, call)

    def dense(self, vector: np.ndarray, n: int) -> list[int]:
        if self.store is None or (not self.store.remote and len(self.index.chunks) < self.settings.exact_below):
            # Exact search over the generation's vectors: small local indexes, tests, no store. HNSW may
            # return a different subset of equally similar chunks in each process; exact search never does.
            return self._exact(vector, n)
        if self._outage_since is not None and time.monotonic() < self._retry_at:
            return self._exact(vector, n)  # the server is down: the local generation answers meanwhile
        pending = self._pending
        if (
            pending is not None
            and not pending[1].done()
            and time.monotonic() - pending[0] > self.settings.server_timeout_s
        ):
            return self._exact(vector, n)  # an earlier call still hangs: never pile more threads onto it
        try:
            call = self._calls.submit(self.store.search, vector, n * 2)
            self._pending = (time.monotonic(), call)
            hits = call.result(timeout=self.settings.server_timeout_s)
        except Exception as exc:  # unreachable, hung, restarting: degrade, never fail the question
            now = time.monotonic()
            if self._outage_since is None:
                self._outage_since = now
                log.warning(
                    "vector server unavailable (%s: %s); answering from the local generation's vectors until it is back",
                    exc.__class__.__name__,
                    exc,
                )
            self._retry_at = now + self.settings.server_retry_s
            return self._exact(vector, n)
        if self._outage_since is not None:
            log.warning("vector server is back after %.1f s", time.monotonic() - self._outage_since)
            self._outage_since = None
        rows = [self.index.chunk_row[cid] for cid, _ in hits if cid in self.index.chunk_row]
        # Re-rank the approximate hits exactly, ties by row, so chunks with identical vectors come back
        # in the same order in every process (HNSW returns ties in any order).
        exact = self.index.chunk_vectors[rows] @ vector if rows else np.zeros(0)
        order = sorted(range(len(rows)), key=lambda i: (-round(float(exact[i]), 6), rows[i]))
        return [rows[i] for i in order][:n]

    def _exact(self, vector: np.ndarray, n: int) -> list[int]:
        sims = self.index.chunk_vectors @ vector
        return [int(i) for i in np.argsort(-sims, kind="stable")[:n]]

    @property
    def vector_state(self) -> dict[str, object]:
        """Which vectors answer now: a Chroma server (ok or degraded to local exact search) or local."""
        if self.store is None or not self.store.remote:
            return {"backend": "local", "state": "ok"}
        if self._outage_since is None:
            return {"backend": "chroma-server", "state": "ok"}
        return {
            "backend": "chroma-server",
            "state": "degraded",
            "down_for_s": round(time.monotonic() - self._outage_since, 1),
        }

    def lexical(self, query: str, n: int) -> list[int]:
        return [row for row, _ in lexical.search(self.index.bm25, self.index.lexicon.expand(query), n)]

    def search(
        self,
        query: str,
        vector: np.ndarray,
        k: int,
        *,
        also: Sequence[Query] = (),
        prior_sources: Sequence[str] = (),
        uncapped: Sequence[str] = (),
        named: Sequence[str] = (),
        topic: str = "",
        sides: Sequence[tuple[str, str]] = (),
        asked: np.ndarray | None = None,
        kind: str = "",
        timings: Timings | None = None,
    ) -> list[Passage]:
        """Passages for `query`; `also` adds sub-queries (e.g. the aspect alone) to the fusion,
        `prior_sources` are documents that get a small head start (the notes on the named drugs),
        `uncapped` documents may fill every slot (the article a question asks about), `named` ones (the article
        a question names) are searched whole and come first, and when none of
        the passages uses the `topic` word, the few chunks that do are added after them. `sides` are
        (name, text) pairs of a comparison: a side no passage is headed by gets its best passage added.
        With `asked` (the question's own words, embedded), passages answering a question close to it come first
        (corpus/questions.yaml). With a `kind` ("remedy"), a passage whose section heading asks that kind of question
        is added when none of those kept does and a ranking found one."""
        n = max(self.settings.candidates, k)
        queries = [Query(query, vector), *also]
        t0 = time.perf_counter()
        dense = [(q.weight, self.dense(q.vector, n)) for q in queries] if self.mode != "lexical" else []
        t1 = time.perf_counter()
        lex = [(q.weight, self.lexical(q.text, n)) for q in queries] if self.mode != "dense" else []
        t2 = time.perf_counter()
        fused: dict[int, float] = {}
        for weight, ranking in (*dense, *lex):
            for rank, row in enumerate(ranking):
                fused[row] = fused.get(row, 0.0) + weight / (self.settings.rrf_k + rank + 1)
        if named:  # the article a question names is searched whole: a passage no ranking found may still answer
            for row, chunk in enumerate(self.index.chunks):
                if chunk.source_id in named:
                    fused.setdefault(row, 0.0)
        if prior_sources:
            bonus = self.settings.prior_weight / (self.settings.rrf_k + 1)
            wanted = set(prior_sources)
            for row in fused:
                if self.index.chunks[row].source_id in wanted:
                    fused[row] += bonus
        ordered = sorted(fused, key=lambda r: (-fused[r], r))
        if named:  # ... and comes first
            ordered.sort(key=lambda r: self.index.chunks[r].source_id not in named)
        if asked is not None and self.mode != "lexical":  # before it, passages that answer a question close to it
            answering = self.answering(asked, k)
            ordered = answering + [r for r in ordered if r not in answering]
        kept = self._diverse(ordered, k, set(uncapped))
        if topic and not any(self.mentions(row, topic) for row in kept):
            kept += [
                row
                for row in self.lexical(topic, self.settings.per_document)
                if row not in kept and self.mentions(row, topic)
            ]
        if kind and not any(self.index.section_kind(row) == kind for row in kept):
            # "what can i do about it" after a question on sweating: the section that says what helps, if any
            # ranking found one, though the passages on the problem itself rank above it
            kept += [row for row in ordered if row not in kept and self.index.section_kind(row) == kind][:1]
        for name, text in sides:
            if not any(self.mentions(row, name, heading=True) for row in kept):
                kept += [
                    row for row in self.lexical(text, n) if row not in kept and self.mentions(row, name, heading=True)
                ][:1]
        t3 = time.perf_counter()
        if timings is not None:
            timings.dense_ms, timings.lexical_ms, timings.fusion_ms = (
                (t1 - t0) * 1000,
                (t2 - t1) * 1000,
                (t3 - t2) * 1000,
            )
        return [self._passage(row, fused.get(row, 0.0)) for row in kept]

    def answering(self, vector: np.ndarray, n: int) -> list[int]:
        """Chunk rows with a passage question at least `question_similarity` close to the question, best first."""
        index = self.index
        if not index.questions:
            return []
        sims = index.question_vectors @ vector
        best: dict[int, float] = {}
        for q in np.argsort(-sims, kind="stable"):
            row = int(index.question_chunks[q])
            if row >= 0 and row not in best:
                best[row] = float(sims[q])
            if len(best) > n:
                break
        ranked = sorted(best.items(), key=lambda kv: -kv[1])
        close = [row for row, sim in ranked[:n] if sim >= self.settings.question_similarity]
        if not close and len(ranked) >= 2:
            # No question that close, but one passage's clearly closer than any other's: it answers
            (row, first), (_, second) = ranked[0], ranked[1]
            if first >= self.settings.question_floor and first - second >= self.settings.question_lead:
                close = [row]
        return close

    def mentions(self, row: int, word: str, *, heading: bool = False) -> bool:
        """Does the chunk use the word (in its title or section heading only, with `heading`)?"""
        if not heading:
            return stem(word) in self.index.chunk_terms(row)
        c = self.index.chunks[row]
        return stem(word) in content_terms(f"{c.title} {c.section}")

    def _diverse(self, ordered: list[int], k: int, uncapped: set[str]) -> list[int]:
        """Best first, skipping near-duplicates and passages past the per-document cap."""
        kept: list[int] = []
        per_doc: dict[str, int] = {}
        overflow: list[int] = []
        for row in ordered:
            if len(kept) == k:
                break
            if kept:
                sims = self.index.chunk_vectors[kept] @ self.index.chunk_vectors[row]
                if float(sims.max()) >= self.settings.duplicate_similarity:
                    continue
            source = self.index.chunks[row].source_id
            if per_doc.get(source, 0) >= self.settings.per_document and source not in uncapped:
                overflow.append(row)
                continue
            per_doc[source] = per_doc.get(source, 0) + 1
            kept.append(row)
        return kept + overflow[: k - len(kept)]

    def _passage(self, row: int, score: float) -> Passage:
        c = self.index.chunks[row]
        return Passage(
            text=c.text,
            source_id=c.source_id,
            title=c.title,
            section=c.section,
            source_kind=c.source_kind,
            score=round(score, 6),
            chunk_id=c.chunk_id,
            url=c.url,
            path=c.path,
            start=c.start,
            end=c.end,
        )
