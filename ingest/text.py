"""Words, stems, stopwords and sentences: the one tokeniser and the one sentence splitter (pysbd)
that ingest (BM25, chunking) and answering share."""

from __future__ import annotations

import re
from functools import lru_cache

import pysbd
import Stemmer

WORD = re.compile(r"(?u)\b\w\w+\b")  # the token pattern bm25s uses
STOPWORDS = frozenset(
    "a an the is are was were be been being am of to in on at for and or but if then than so as by with from about into onto "
    "what which who whom whose why how when where does do did doing done can could should would will shall may might must "
    "it its it's this that these those they them their there here i me my mine myself you your we our us he she his her him "
    "not no yes tell explain much many more most some any all other such vs versus just really also too very get got "
    "im i'm ive i've dont don't pls please thanks thank hi hello ok okay".split()
)


@lru_cache(maxsize=1)
def stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("english")


def words(text: str) -> list[str]:
    """Lower-case word tokens (two characters or more), stopwords kept."""
    return WORD.findall(text.lower())


def stem(word: str) -> str:
    return str(stemmer().stemWord(word.lower()))


def base_forms(word: str) -> list[str]:
    """What an inflected word may be a form of: 'messed' → 'mess', 'hoped' → 'hope', 'stopped' → 'stop'."""
    out = []
    for suffix in ("ed", "ing", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            base = word[: -len(suffix)]
            out.append(base)
            if suffix in ("ed", "ing"):
                out.append(base + "e")
                if len(base) >= 3 and base[-1] == base[-2]:
                    out.append(base[:-1])
    return out


def content_terms(text: str) -> set[str]:
    """Stems of the words that carry meaning (stopwords and one-letter words dropped)."""
    kept = [w for w in words(text) if w not in STOPWORDS]
    return set(stemmer().stemWords(kept))


@lru_cache(maxsize=1)
def _segmenter() -> pysbd.Segmenter:
    return pysbd.Segmenter(language="en", clean=False, char_span=True)


def sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences in text[start:end], whitespace trimmed."""
    end = len(text) if end is None else end
    piece = text[start:end]
    out: list[tuple[int, int]] = []
    cursor = 0
    for seg in _segmenter().segment(piece) if piece.strip() else ():
        # pysbd reports each sentence's text; find it from the cursor so offsets stay exact.
        sentence = seg.sent.strip()
        found = piece.find(sentence, cursor) if sentence else -1
        if found < 0:
            continue
        out.append((start + found, start + found + len(sentence)))
        cursor = found + len(sentence)
    return out
