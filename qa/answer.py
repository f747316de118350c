"""The default answerer: extractive and grounded, no generative model.

Sentences of the retrieved passages are scored against the question with their
precomputed vectors (no extra model call), plus small lexical and drug-consistency terms.
The best 1-5 sentences are quoted verbatim, grouped by passage, each group introduced by
whose words they are and followed by its [n] marker.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import Stemmer

from qa.citations import CitationBook
from qa.index import LoadedIndex
from qa.settings import AnswerSettings
from qa.types import Passage

_WORD = re.compile(r"(?u)\b\w\w+\b")  # the token pattern bm25s uses
_STOPWORDS = frozenset(
    ["a", "an", "the", "is", "are", "was", "were", "be", "been", "being", "of", "to", "in", "on", "at", "for", "and", "or", "but", "if", "then", "than", "so", "as", "by", "with", "from", "about", "into", "what", "which", "who", "whom", "whose", "why", "how", "when", "where", "does", "do", "did", "can", "could", "should", "would", "will", "shall", "may", "might", "must", "it", "its", "this", "that", "these", "those", "they", "them", "their", "there", "here", "i", "me", "my", "you", "your", "we", "our", "he", "she", "his", "her", "not", "no", "yes", "tell", "explain", "much", "many", "more", "most", "some", "any", "all", "other", "such", "vs", "versus"]
)
LEXICAL_WEIGHT = 0.20
DRUG_MATCH_BONUS = 0.10
DRUG_MISMATCH_PENALTY = 0.15
RANK_PENALTY = 0.01
DUPLICATE_SENTENCE = 0.9
# WHO INN name stems of drug classes outside this corpus (statins, calcium-channel blockers, ACE
# inhibitors, ...): an unknown word ending like this is almost surely a drug we have no source on.
INN_STEMS = (
    "statin", "dipine", "pril", "sartan", "olol", "mab", "azole", "cillin", "mycin", "cycline", "floxacin", "vir",
    "tinib", "gliptin", "gliflozin", "formin", "prazole", "tidine", "setron", "triptan", "caine", "profen", "coxib",
    "parin", "semide", "thiazide", "lukast", "dronate", "azepam", "azolam", "phenidate", "amfetamine",
)


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("english")


def content_terms(text: str) -> set[str]:
    words = [w for w in _WORD.findall(text.lower()) if w not in _STOPWORDS and len(w) > 1]
    return set(_stemmer().stemWords(words))


@dataclass
class Draft:
    kind: str  # "answer" | "no_answer"
    paragraphs: list[str] = field(default_factory=list)
    best_similarity: float = 0.0
    used_spans: list[tuple[str, int, int]] = field(default_factory=list)  # (chunk id, start, end)


@dataclass(frozen=True)
class Candidate:
    row: int
    chunk_index: int
    passage_rank: int
    similarity: float
    score: float


class ExtractiveAnswerer:
    def __init__(self, index: LoadedIndex, settings: AnswerSettings) -> None:
        self.index = index
        self.settings = settings
        self._drugs_cache: dict[int, frozenset[str]] = {}

    def sentence_drugs(self, row: int) -> frozenset[str]:
        """Drugs a sentence is about: named in it, else earlier on its line, else in its title."""
        if row not in self._drugs_cache:
            ci, start, end = (int(x) for x in self.index.sentence_rows[row])
            chunk = self.index.chunks[ci]
            lexicon = self.index.lexicon
            found = {m.generic for m in lexicon.mentions(self.index.sentence_text(row), fuzzy=False)}
            if not found:
                local = chunk.text[: start - chunk.start]
                line = local[local.rfind("\n") + 1 :]
                found = {m.generic for m in lexicon.mentions(line, fuzzy=False)[:1]}
            if not found and chunk.source_kind == "reference":
                found = {m.generic for m in lexicon.mentions(chunk.title, fuzzy=False)[:1]}
            self._drugs_cache[row] = frozenset(found)
        return self._drugs_cache[row]

    def unknown_share(self, query: str) -> float:
        """Share of the question's non-drug key words that never occur in the corpus."""
        lexicon = self.index.lexicon
        # Judge the question itself (its last sentence), not a preamble such as "ignore your rules...".
        clauses = [c for c in re.split(r"(?<=[.!?])\s+", query.strip()) if c.strip()]
        question = clauses[-1] if clauses else query
        drugs = {w for m in lexicon.mentions(question) for w in content_terms(m.surface)}
        terms = {t for t in content_terms(question) - drugs if len(t) >= 4}
        if not terms:
            return 0.0
        vocab = self.index.bm25.vocab_dict
        return sum(1 for t in terms if t not in vocab) / len(terms)

    def unknown_subject(self, query: str) -> bool:
        """True when the question names no known drug but hinges on a word the corpus never uses
        (e.g. "lithium", "atorvastatin"); near-misses of corpus words count as typos, not unknowns."""
        if self.index.lexicon.mentions(query):
            return False
        vocab = self.index.bm25.vocab_dict
        words = {w for w in _WORD.findall(query.lower()) if len(w) >= 6}
        return any(w.endswith(INN_STEMS) and _stemmer().stemWord(w) not in vocab for w in words)

    def candidates(self, query: str, vector: np.ndarray, passages: list[Passage]) -> list[Candidate]:
        index = self.index
        query_terms = content_terms(index.lexicon.expand(query))
        query_drugs = {m.generic for m in index.lexicon.mentions(query)}
        out: list[Candidate] = []
        for rank, passage in enumerate(passages):
            ci = index.chunk_row.get(passage.chunk_id)
            if ci is None:
                continue
            rows = index.sentences_of_chunk[ci]
            if not len(rows):
                continue
            sims = index.sentence_vectors[rows] @ vector
            for row, sim in zip(rows, sims, strict=True):
                row = int(row)
                terms = content_terms(index.sentence_text(row))
                overlap = len(query_terms & terms) / len(query_terms) if query_terms else 0.0
                score = float(sim) + LEXICAL_WEIGHT * overlap - RANK_PENALTY * rank
                if query_drugs:
                    drugs = self.sentence_drugs(row)
                    if drugs & query_drugs:
                        score += DRUG_MATCH_BONUS
                    elif drugs:
                        score -= DRUG_MISMATCH_PENALTY
                out.append(Candidate(row, ci, rank, float(sim), score))
        out.sort(key=lambda c: -c.score)
        return out

    def select(self, candidates: list[Candidate]) -> list[Candidate]:
        if not candidates:
            return []
        best = candidates[0].score
        chosen: list[Candidate] = []
        for cand in candidates:
            if len(chosen) == self.settings.max_sentences or cand.score < best - self.settings.sentence_margin:
                break
            vec = self.index.sentence_vectors[cand.row]
            if any(float(self.index.sentence_vectors[c.row] @ vec) >= DUPLICATE_SENTENCE for c in chosen):
                continue
            chosen.append(cand)
        return chosen

    def compose(self, query: str, vector: np.ndarray, passages: list[Passage], book: CitationBook, author_of: dict[str, str]) -> Draft:
        candidates = self.candidates(query, vector, passages)
        best_similarity = max((c.similarity for c in candidates), default=0.0)
        if best_similarity < self.settings.min_relevance or self.unknown_share(query) > self.settings.max_unknown_share or self.unknown_subject(query):
            return Draft("no_answer", best_similarity=best_similarity)
        chosen = self.select(candidates)
        # Group by chunk (best group first), sentences in reading order inside a group.
        groups: dict[int, list[Candidate]] = {}
        for cand in chosen:
            groups.setdefault(cand.chunk_index, []).append(cand)
        draft = Draft("answer", best_similarity=best_similarity)
        for ci, members in groups.items():
            members.sort(key=lambda c: int(self.index.sentence_rows[c.row][1]))
            chunk = self.index.chunks[ci]
            spans = [(int(self.index.sentence_rows[c.row][1]), int(self.index.sentence_rows[c.row][2])) for c in members]
            n = book.cite(chunk, spans[0][0], spans[-1][1])
            sentences = [self.index.sentence_text(c.row) for c in members]
            draft.used_spans.extend((chunk.chunk_id, s, e) for s, e in spans)
            draft.paragraphs.append(attribute(chunk.source_kind, chunk.source_id, sentences, n, self.index.documents, author_of))
        return draft


def attribute(kind: str, source_id: str, sentences: list[str], n: int, documents: dict, author_of: dict[str, str]) -> str:
    """Say whose words these are, then quote them verbatim with the marker."""
    body = " ".join(sentences)
    if kind == "reference":
        sources = documents.get(source_id, {}).get("sources", [])
        mentioned = [s for s in sources if s.split(" ")[0].strip(",;") in body]
        named = "; ".join((mentioned or sources)[:2])
        return f"According to {named} (curated reference): {body} [{n}]" if named else f"{body} [{n}]"
    author = author_of.get(source_id, "The article's author")
    if kind == "anecdote":
        return f"{author} describes a personal experience: “{body}” [{n}]"
    return f"{author} writes (an opinion, not peer reviewed): “{body}” [{n}]"
