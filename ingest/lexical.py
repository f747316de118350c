"""BM25 over chunks with bm25s (sparse matrices, no pure-Python scan), saved without pickle."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import bm25s
import Stemmer


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("english")


def tokenize(texts: list[str]) -> list[list[str]]:
    return bm25s.tokenize(texts, stopwords="en", stemmer=_stemmer(), return_ids=False, show_progress=False)


def build(texts: list[str]) -> bm25s.BM25:
    index = bm25s.BM25()
    index.index(tokenize(texts), show_progress=False)
    return index


def save(index: bm25s.BM25, folder: Path) -> None:
    index.save(str(folder), allow_pickle=False)


def load(folder: Path) -> bm25s.BM25:
    return bm25s.BM25.load(str(folder), allow_pickle=False, mmap=False)


def search(index: bm25s.BM25, query: str, n: int) -> list[tuple[int, float]]:
    """(row, BM25 score) of the best `n` chunks with a positive score."""
    tokens = [t for t in tokenize([query])[0] if t in index.vocab_dict]
    if not tokens:
        return []
    n = min(n, index.scores["num_docs"])
    rows, scores = index.retrieve([tokens], k=n, show_progress=False, n_threads=0)
    return [(int(r), float(s)) for r, s in zip(rows[0], scores[0], strict=True) if s > 0]
