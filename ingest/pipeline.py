"""`ssri-qa ingest`: corpus → chunks → embeddings → Chroma + a new index generation.

Incremental: chunk ids are content hashes; only chunks missing from the collection are
embedded, sentence vectors are carried over from the previous generation by chunk id,
and an unchanged corpus is recognised from a digest without loading the model at all.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ingest import lexical
from ingest.chunking import chunk_document, chunk_sentences
from ingest.claims import ClaimsError, check_claims_against_corpus, load_claims
from ingest.documents import Document, DocumentError, DocumentRecord, scan_corpus
from ingest.embedding import Embedder, make_embedder
from ingest.lexicon import Lexicon, LexiconError, load_lexicon
from ingest.passage_questions import QuestionsError, check_questions_against_corpus, load_questions
from ingest.settings import Settings
from ingest.store import (
    MANIFEST,
    Generation,
    VectorStore,
    read_current,
    remove_stale,
    write_generation,
    writer_lock,
)
from ingest.types import Chunk
from ingest.vocabulary import VocabularyError, read_entries

MANIFEST_VERSION = 1
# What a generation holds beyond the vectors the collection keeps: a new file (headings.npy at 2) rebuilds the
# generation from the stored vectors without embedding the chunks again.
GENERATION_FORMAT = 2
Progress = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass
class IngestReport:
    documents: int = 0
    chunks: int = 0
    embedded: int = 0
    sentences_embedded: int = 0
    deleted: int = 0
    skipped_files: list[dict[str, str]] = field(default_factory=list)
    seconds: float = 0.0
    collection: str = ""
    generation: str = ""
    unchanged: bool = False

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def collection_name(settings: Settings, embedder_identity: str) -> str:
    """Named from what shapes the vectors, so a new model or chunking gets a fresh collection."""
    shape = json.dumps(
        {"embedder": embedder_identity, "chunking": settings.chunking.model_dump(), "v": MANIFEST_VERSION},
        sort_keys=True,
    )
    return f"{settings.index.collection_prefix}-{hashlib.sha256(shape.encode()).hexdigest()[:16]}"


def embedder_identity(settings: Settings) -> str:
    """The identity without loading the model (the same string the embedder reports)."""
    emb = settings.embedding
    if emb.backend == "fake":
        return f"fake:{emb.fake_dimensions}"
    if emb.backend == "bundled":
        return f"st:{emb.expected_sha256}"
    return f"st:{emb.model_sha256 or emb.model}"


def embedding_text(chunk: Chunk) -> str:
    """What is embedded for a chunk: its title and section give the passage its context."""
    heading = f"{chunk.title}. {chunk.section}." if chunk.section else f"{chunk.title}."
    return f"{heading}\n{chunk.text}"


@dataclass
class SideData:
    """The corpus's data files as plain dicts for the manifest: disputed claims, the drug lexicon,
    the lay vocabulary and the questions article passages answer."""

    claims: list[dict[str, Any]] = field(default_factory=list)
    drugs: list[dict[str, Any]] = field(default_factory=list)
    vocabulary: list[dict[str, Any]] = field(default_factory=list)
    questions: list[dict[str, Any]] = field(default_factory=list)


def load_side_data(corpus: Path, documents: list[Document], strict: bool, skipped: list[dict[str, str]]) -> SideData:
    """Each file is optional; a bad one stops a strict ingest and is skipped (and reported) otherwise."""
    side = SideData()
    texts = {d.source_id: d.text for d in documents}

    def load(name: str, error: type[ValueError], read: Callable[[Path], list[dict[str, Any]]]) -> list[dict[str, Any]]:
        path = corpus / name
        if not path.exists():
            return []
        try:
            return read(path)
        except error as exc:
            if strict:
                raise
            skipped.append({"path": name, "reason": str(exc).split(": ", 1)[-1]})
            return []

    def claims(path: Path) -> list[dict[str, Any]]:
        loaded = load_claims(path)
        check_claims_against_corpus(loaded, texts, path)
        return [c.model_dump() for c in loaded]

    def questions(path: Path) -> list[dict[str, Any]]:
        loaded = load_questions(path)
        check_questions_against_corpus(loaded, texts, path)
        return [{"document": e.document, "quote": e.quote, "question": q} for e in loaded for q in e.questions]

    side.claims = load("claims.yaml", ClaimsError, claims)
    side.drugs = load(
        "drugs.yaml",
        LexiconError,
        lambda path: [e.model_dump(by_alias=True) for e in load_lexicon(path).entries.values()],
    )
    side.vocabulary = load(
        "vocabulary.yaml", VocabularyError, lambda path: [e.model_dump() for e in read_entries(path)]
    )
    side.questions = load("questions.yaml", QuestionsError, questions)
    return side


def _place(documents: dict[str, Document], chunks: list[Chunk]) -> Callable[[str, str], dict[str, Any]]:
    """A function giving a quote's file, offsets and chunk id in a document."""
    by_doc: dict[str, list[int]] = {}
    for i, c in enumerate(chunks):
        by_doc.setdefault(c.source_id, []).append(i)

    def place(doc_id: str, quote: str) -> dict[str, Any]:
        doc = documents[doc_id]
        start = doc.text.find(quote, doc.body_start)
        end = start + len(quote)
        chunk = next((chunks[i] for i in by_doc.get(doc_id, []) if chunks[i].start <= start < chunks[i].end), None)
        return {"path": doc.path, "start": start, "end": end, "chunk_id": chunk.chunk_id if chunk else ""}

    return place


def _locate(side: SideData, documents: dict[str, Document], chunks: list[Chunk]) -> None:
    """Add file offsets and chunk ids to each claim quote, evidence quote and passage question."""
    place = _place(documents, chunks)
    for claim in side.claims:
        claim.update(place(claim["document"], claim["quote"]))
        for ev in claim["evidence"]:
            ev.update(place(ev["reference"], ev["quote"]))
    for question in side.questions:
        question.update(place(question["document"], question["quote"]))


def claim_text(claim: dict[str, Any]) -> str:
    """What a claim is matched on: the article's words plus our correction, which names the topic."""
    return f"{claim['quote']} {claim['correction']}"


def _digest(*parts: Any) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def ingest(
    settings: Settings,
    *,
    embedder: Embedder | None = None,
    progress: Progress | None = None,
    store: VectorStore | None = None,
) -> IngestReport:
    started = time.perf_counter()
    report = IngestReport()
    scan = scan_corpus(settings.corpus.path, strict=settings.corpus.strict, max_bytes=settings.corpus.max_file_bytes)
    report.skipped_files = [{"path": e.path, "reason": e.reason} for e in scan.skipped]
    documents = {d.source_id: d for d in scan.documents}
    side = load_side_data(settings.corpus.path, scan.documents, settings.corpus.strict, report.skipped_files)
    chunks = [c for d in scan.documents for c in chunk_document(d, settings.chunking)]
    report.documents, report.chunks = len(documents), len(chunks)
    if not chunks:
        raise DocumentError(settings.corpus.path, "no usable documents in the corpus; nothing to index")
    _locate(side, documents, chunks)

    identity = embedder.identity if embedder else embedder_identity(settings)
    name = collection_name(settings, identity)
    report.collection = name
    docs_meta = {d.source_id: DocumentRecord.of(d).model_dump(mode="json") for d in scan.documents}
    state = _digest(name, [c.chunk_id for c in chunks], asdict(side), docs_meta, GENERATION_FORMAT)
    index_path = settings.index.path

    with writer_lock(index_path):
        current = read_current(index_path)
        if current and current.manifest.get("state") == state and current.manifest.get("collection") == name:
            vectors = store or VectorStore(settings.index, name)
            if vectors.count() >= len(chunks):
                report.unchanged = True
                report.generation = current.name
                report.deleted = _collect_garbage(vectors, current, index_path)
                if vectors.remote:
                    vectors.mark_generation(current.name)
                _export_query_model(settings)
                report.seconds = round(time.perf_counter() - started, 3)
                return report

        vectors = store or VectorStore(settings.index, name)
        present = vectors.ids()
        missing = [c for c in chunks if c.chunk_id not in present]
        embedder = embedder or make_embedder(settings.embedding)
        batch = max(1, settings.embedding.batch_size * 4)
        for i in range(0, len(missing), batch):
            part = missing[i : i + batch]
            vecs = embedder.embed([embedding_text(c) for c in part])
            vectors.add(
                [c.chunk_id for c in part],
                vecs,
                [c.text for c in part],
                [
                    {
                        "source_id": c.source_id,
                        "section": c.section,
                        "source_kind": c.source_kind,
                        "path": c.path,
                        "start": c.start,
                        "end": c.end,
                    }
                    for c in part
                ],
            )
            report.embedded += len(part)
            if progress:
                progress("embed chunks", report.embedded, len(missing))

        sentence_rows, sentence_vectors, report.sentences_embedded = _sentences(
            chunks, documents, current, embedder, progress
        )
        chunk_vectors = _chunk_vectors(chunks, vectors)
        claim_vectors = _embed([claim_text(c) for c in side.claims], embedder, chunk_vectors.shape[1])
        question_vectors = _embed([q["question"] for q in side.questions], embedder, chunk_vectors.shape[1])
        heading_vectors = _heading_vectors(chunks, embedder, chunk_vectors.shape[1])

        lexicon = Lexicon([]) if not side.drugs else _lexicon_from(side.drugs)
        bm25 = lexical.build([lexicon.expand(embedding_text(c)) for c in chunks])
        manifest = {
            "version": MANIFEST_VERSION,
            "state": state,
            "collection": name,
            "embedder": identity,
            "chroma_url": settings.index.chroma_url,
            "created": time.time(),
            "documents": docs_meta,
            "chunks": [asdict(c) for c in chunks],
            "sentences": sentence_rows,
            "claims": side.claims,
            "drugs": side.drugs,
            "vocabulary": side.vocabulary,
            "questions": side.questions,
            "skipped_files": report.skipped_files,
        }
        generation = write_generation(
            index_path,
            state[:16],
            {
                MANIFEST: json.dumps(manifest, ensure_ascii=False).encode(),
                "sentences.npy": sentence_vectors,
                "chunks.npy": chunk_vectors,
                "claims.npy": claim_vectors,
                "questions.npy": question_vectors,
                "headings.npy": heading_vectors,
            },
            writers={"bm25": lambda path: lexical.save(bm25, path)},
        )
        report.generation = generation.name
        report.deleted = _collect_garbage(vectors, generation, index_path)
        if vectors.remote:  # apps on other machines check their copy against it; a local index is one folder
            vectors.mark_generation(generation.name)
    _export_query_model(settings)
    report.seconds = round(time.perf_counter() - started, 3)
    return report


def _heading_vectors(chunks: list[Chunk], embedder: Embedder, dimensions: int) -> np.ndarray:
    """Each reference chunk's section heading, the patient question its section answers ("What should I watch
    for in my baby?"), embedded once per heading; zeros for article chunks, whose headings are not questions."""
    headings = sorted({c.section for c in chunks if c.source_kind == "reference" and c.section})
    vectors = dict(zip(headings, _embed(headings, embedder, dimensions), strict=True))
    out = np.zeros((len(chunks), dimensions), np.float32)
    for i, c in enumerate(chunks):
        if c.source_kind == "reference" and c.section in vectors:
            out[i] = vectors[c.section]
    return out


def _embed(texts: list[str], embedder: Embedder, dimensions: int) -> np.ndarray:
    return embedder.embed(texts).astype(np.float32) if texts else np.zeros((0, dimensions), np.float32)


def _export_query_model(settings: Settings) -> None:
    """Export the bundled model to ONNX once, so the query path never imports torch."""
    emb = settings.embedding
    if emb.backend != "bundled" or not emb.export_onnx:
        return
    from ingest.embedding import bundled_model_dir
    from ingest.onnx_model import ensure_export

    ensure_export(bundled_model_dir(), emb.expected_sha256, settings.data_dir)


def _lexicon_from(drugs: list[dict[str, Any]]) -> Lexicon:
    from ingest.lexicon import DrugEntry

    return Lexicon([DrugEntry.model_validate(d) for d in drugs])


def _sentences(
    chunks: list[Chunk],
    documents: dict[str, Document],
    previous: Generation | None,
    embedder: Embedder,
    progress: Progress | None,
) -> tuple[list[list[int]], np.ndarray, int]:
    """Sentence rows [chunk index, start, end] and their vectors, reusing unchanged chunks' vectors.
    A reused chunk may have moved in its document (an earlier section was edited), so its sentences are
    kept as offsets from the chunk's start and placed at the chunk's new position."""
    reuse: dict[str, list[tuple[int, int, np.ndarray]]] = {}
    if previous is not None:
        try:
            old_vectors = np.load(previous.path / "sentences.npy", allow_pickle=False)
            old_chunks = previous.manifest["chunks"]
            for row, (ci, start, end) in enumerate(previous.manifest["sentences"]):
                base = int(old_chunks[ci]["start"])
                reuse.setdefault(old_chunks[ci]["chunk_id"], []).append((start - base, end - base, old_vectors[row]))
        except (OSError, KeyError, ValueError, IndexError):
            reuse = {}
    rows: list[list[int]] = []
    vectors: list[np.ndarray | None] = []
    todo: list[int] = []
    todo_text: list[str] = []
    for ci, chunk in enumerate(chunks):
        if chunk.chunk_id in reuse:
            for start, end, vec in reuse[chunk.chunk_id]:
                rows.append([ci, chunk.start + start, chunk.start + end])
                vectors.append(vec)
            continue
        text = documents[chunk.source_id].text
        for span in chunk_sentences(text, chunk):
            rows.append([ci, span.start, span.end])
            vectors.append(None)
            todo.append(len(vectors) - 1)
            todo_text.append(text[span.start : span.end])
    if todo_text:
        fresh = embedder.embed(todo_text)
        for slot, vec in zip(todo, fresh, strict=True):
            vectors[slot] = vec
        if progress:
            progress("embed sentences", len(todo_text), len(todo_text))
    dim = embedder.dimensions
    matrix = (
        np.vstack([v for v in vectors if v is not None]).astype(np.float32)
        if vectors
        else np.zeros((0, dim), np.float32)
    )
    return rows, matrix, len(todo_text)


def _chunk_vectors(chunks: list[Chunk], vectors: VectorStore) -> np.ndarray:
    """Chunk vectors in manifest order (used for near-duplicate removal), read back from Chroma."""
    ids = [c.chunk_id for c in chunks]
    found: dict[str, np.ndarray] = {}
    collection = vectors.collection
    for i in range(0, len(ids), 1000):
        got = collection.get(ids=ids[i : i + 1000], include=["embeddings"])
        for cid, emb in zip(got["ids"], got["embeddings"], strict=True):
            found[cid] = np.asarray(emb, dtype=np.float32)
    return np.vstack([found[c] for c in ids])


def _collect_garbage(vectors: VectorStore, generation: Generation, index_path: Path) -> int:
    keep = {c["chunk_id"] for c in generation.manifest["chunks"]}
    stray = sorted(vectors.ids() - keep)
    vectors.delete(stray)
    remove_stale(index_path, generation.name)
    return len(stray)
