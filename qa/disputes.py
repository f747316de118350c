"""Disputed claims: when an answer uses, or a question asks about, a claim in corpus/claims.yaml,
show the article's words beside the evidence, each with its own citation."""

from __future__ import annotations

import re

import numpy as np

from ingest.claims import PlacedClaim
from ingest.text import content_terms, sentences
from qa.citations import CitationBook
from qa.index import LoadedIndex
from qa.messages import DISPUTE_LEAD, SUPPORTED_LEAD
from qa.question import GENERIC, CorpusWords, Question

SUPPORTED_EXTRA = 0.1  # a supported claim is worth showing only when asked about quite directly
# A claim is asked about when the question shares one of its specific words ('stress', 'amphetamine': used by at
# most CLAIM_SPECIFIC_CHUNKS of the corpus's chunks, not a drug's name) or is this much closer to it than the threshold;
# a question closer only through the drug's name ("forgot my lexapro") is not about the friend who takes it.
# An is-it-true question asks about a claim, so for it closeness is enough.
CLAIM_SPECIFIC_CHUNKS = 40
UNSHARED_EXTRA = 0.08
_GENERIC_STEMS = content_terms(" ".join(GENERIC))


def relevant_claims(
    index: LoadedIndex,
    corpus: CorpusWords,
    question: Question,
    vector: np.ndarray,
    used_chunks: set[str],
    used_spans: list[tuple[str, int, int]],
    threshold: float,
) -> list[tuple[PlacedClaim, bool]]:
    """(claim, asked_directly) for claims the answer quotes or the question is about."""
    if not index.claims:
        return []
    sims = index.claim_vectors @ vector if len(index.claim_vectors) else np.zeros(len(index.claims))
    text = question.search_text
    asked_drugs = {m.generic for m in index.lexicon.mentions(text)}
    found: list[tuple[PlacedClaim, bool, float]] = []
    for claim, sim in zip(index.claims, sims, strict=True):
        disputed = claim.disputed
        claim_drugs = index.claim_drugs(claim)
        if asked_drugs and claim_drugs and not asked_drugs & claim_drugs:
            continue  # the question is about other drugs
        quoted = any(cid == claim.chunk_id and s < claim.end and claim.start < e for cid, s, e in used_spans)
        direct = float(sim) >= threshold + (0 if disputed else SUPPORTED_EXTRA)
        if direct and question.qtype != "truth" and float(sim) < threshold + UNSHARED_EXTRA:
            claim_text = f"{claim.quote} {claim.correction}"
            direct = bool(_specific_terms(corpus, text) & _specific_terms(corpus, claim_text))
        in_passage = claim.chunk_id in used_chunks and disputed and float(sim) >= threshold - 0.15
        if (quoted and disputed) or direct or in_passage:
            found.append((claim, direct and not quoted, float(sim)))
    found.sort(key=lambda x: -x[2])
    return [(c, d) for c, d, _ in found[:2]]


def _specific_terms(corpus: CorpusWords, text: str) -> set[str]:
    """Stems of a text's words that say what it is about: no drug names, no everyday words, no numbers,
    none that most passages use ('dose', 'depression')."""
    for m in reversed(corpus.lexicon.mentions(text)):
        text = text[: m.start] + " " + text[m.end :]
    return {
        t
        for t in content_terms(text)
        if t not in _GENERIC_STEMS and not re.search(r"\d", t) and corpus.stem_counts.get(t, 0) <= CLAIM_SPECIFIC_CHUNKS
    }


def dispute_paragraphs(
    index: LoadedIndex,
    book: CitationBook,
    claims: list[tuple[PlacedClaim, bool]],
    author_of: dict[str, str],
    said: str = "",
) -> list[str]:
    """One paragraph per claim: the article's words (unless already quoted), the verdict and the correction,
    without the correction's sentences that the answer above already says word for word."""
    paragraphs = []
    for claim, direct in claims:
        evidence_refs = []
        for ev in claim.evidence:
            n = book.cite_quote(ev.chunk_id, ev.start, ev.end)
            if n is not None:
                evidence_refs.append(f"[{n}]")
        if not evidence_refs:
            continue
        disputed = claim.disputed
        if disputed and book.number_of(claim.chunk_id) is not None:
            book.mark_disputed(claim.chunk_id)
        text = ""
        if direct or book.number_of(claim.chunk_id) is None or not disputed:
            n = book.cite_quote(claim.chunk_id, claim.start, claim.end)
            if n is not None and disputed:
                book.mark_disputed(claim.chunk_id)
            if n is not None:
                author = author_of.get(claim.document, "The article's author")
                text = f"{author} claims: “{claim.quote}” [{n}] "
        lead = DISPUTE_LEAD.format(verdict=claim.verdict.replace("-", " ")) if disputed else SUPPORTED_LEAD
        marker = "⚠️ " if disputed else "✓ "
        correction = _unsaid(claim.correction, said)
        paragraphs.append(f"{text}{marker}**{lead}** {correction} {''.join(evidence_refs)}")
    return paragraphs


def _unsaid(correction: str, said: str) -> str:
    """The correction without the sentences the answer already quotes (all of it if it is all quoted)."""
    kept = [correction[s:e] for s, e in sentences(correction) if correction[s:e] not in said]
    return " ".join(kept) if kept else correction
