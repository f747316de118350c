"""Incremental, idempotent ingestion into Chroma (issue 2)."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from ingest.embedding import FakeEmbedder, ModelIntegrityError, SentenceTransformerEmbedder, verify_model
from ingest.pipeline import collection_name, ingest
from ingest.store import read_current
from qa.index import open_index
from tests.conftest import make_settings


class CountingEmbedder(FakeEmbedder):
    def __init__(self) -> None:
        super().__init__(256)
        self.calls = 0
        self.texts = 0

    def embed(self, texts: list[str]) -> np.ndarray:
        self.calls += 1
        self.texts += len(texts)
        return super().embed(texts)


def test_second_run_embeds_nothing(fake_settings) -> None:
    first = ingest(fake_settings, embedder=CountingEmbedder())
    assert first.embedded == first.chunks > 0
    counter = CountingEmbedder()
    second = ingest(fake_settings, embedder=counter)
    assert second.embedded == 0 and second.unchanged
    assert counter.calls == 0  # the model is not even asked
    assert second.chunks == first.chunks


def test_editing_one_document_reembeds_only_its_changed_chunks(fake_settings, test_corpus: Path) -> None:
    first = ingest(fake_settings, embedder=FakeEmbedder())
    note = test_corpus / "references" / "fluoxetine.md"
    note.write_text(
        note.read_text().replace("Fluoxetine is sold as Prozac.", "Fluoxetine is sold as Prozac and Sarafem.")
    )
    second = ingest(fake_settings, embedder=FakeEmbedder())
    assert second.embedded == 1
    assert second.deleted == 1
    assert second.chunks == first.chunks
    index = open_index(fake_settings)
    assert index is not None and any("Sarafem" in c.text for c in index.chunks)


def test_reused_sentences_follow_a_chunk_that_moved(fake_settings, test_corpus: Path) -> None:
    """Lengthening an early section moves the later, unchanged sections: their reused sentence vectors
    must point at the same sentences at the new offsets, exactly as a fresh build would."""
    note = test_corpus / "references" / "fluoxetine.md"
    note.write_text(
        note.read_text()
        + "\n## Interactions\nFluoxetine strongly blocks the enzyme CYP2D6. Tamoxifen may then work less well.\n"
    )
    ingest(fake_settings, embedder=FakeEmbedder())
    note.write_text(
        note.read_text().replace("Fluoxetine is sold as Prozac.", "Fluoxetine is sold as Prozac and Sarafem.")
    )
    report = ingest(fake_settings, embedder=FakeEmbedder())
    assert report.embedded == 1  # only the edited section; the interactions section is reused
    index = open_index(fake_settings)
    assert index is not None
    texts = [index.sentence_text(row) for row in range(len(index.sentence_rows))]
    assert "Tamoxifen may then work less well." in texts
    assert "Fluoxetine strongly blocks the enzyme CYP2D6." in texts
    fresh_settings = make_settings(fake_settings.data_dir.parent / "fresh", test_corpus)
    ingest(fresh_settings, embedder=FakeEmbedder())
    fresh = open_index(fresh_settings)
    assert fresh is not None
    assert texts == [fresh.sentence_text(row) for row in range(len(fresh.sentence_rows))]


def test_deleting_a_document_removes_its_chunks(fake_settings, test_corpus: Path) -> None:
    ingest(fake_settings, embedder=FakeEmbedder())
    (test_corpus / "references" / "overdose.md").unlink()
    report = ingest(fake_settings, embedder=FakeEmbedder())
    assert report.deleted >= 1 and report.embedded == 0
    index = open_index(fake_settings)
    assert index is not None and all(c.source_id != "overdose" for c in index.chunks)
    from ingest.store import VectorStore

    assert VectorStore(fake_settings.index, report.collection).count() == len(index.chunks)


def test_collection_name_follows_model_and_chunking(fake_settings) -> None:
    a = collection_name(fake_settings, "st:abc")
    assert a == collection_name(fake_settings, "st:abc")
    assert a != collection_name(fake_settings, "st:other")
    fake_settings.chunking.max_chars = 700
    assert a != collection_name(fake_settings, "st:abc")


def test_bad_file_is_reported_and_index_keeps_the_rest(fake_settings, test_corpus: Path) -> None:
    (test_corpus / "references" / "broken.md").write_bytes(b"\xff\xfe not utf8")
    report = ingest(fake_settings, embedder=FakeEmbedder())
    assert report.skipped_files == [{"path": "references/broken.md", "reason": "not valid UTF-8 (byte 0)"}]
    assert report.documents == 3


def test_generation_has_bm25_and_sentence_vectors(fake_settings) -> None:
    ingest(fake_settings, embedder=FakeEmbedder())
    generation = read_current(fake_settings.index.path)
    assert generation is not None
    for name in ["manifest.json", "sentences.npy", "chunks.npy", "claims.npy", "questions.npy", "bm25"]:
        assert (generation.path / name).exists()
    index = open_index(fake_settings)
    assert index is not None and len(index.sentence_rows) == len(index.sentence_vectors) > 0


def test_each_reference_chunk_keeps_its_section_headings_vector(fake_settings) -> None:
    embedder = FakeEmbedder()
    ingest(fake_settings, embedder=embedder)
    index = open_index(fake_settings)
    assert index is not None and index.heading_vectors.shape == (len(index.chunks), index.chunk_vectors.shape[1])
    for chunk, vector in zip(index.chunks, index.heading_vectors, strict=True):
        if chunk.source_kind == "reference" and chunk.section:
            assert np.allclose(vector, embedder.embed([chunk.section])[0]), chunk.section
        else:
            assert not vector.any(), chunk.chunk_id  # an article's headings are no patient questions
    # A generation written before headings were kept still opens; its answers do without them.
    (read_current(fake_settings.index.path).path / "headings.npy").unlink()
    assert open_index(fake_settings).heading_vectors.size == 0


def test_passage_questions_are_placed_on_their_quote_and_embedded(fake_settings, test_corpus: Path) -> None:
    """corpus/questions.yaml: each question is kept with the chunk and the sentence its quote is in, and a
    question matching one of them finds that chunk first (on questions about the articles)."""
    from ingest.settings import RetrievalSettings
    from qa.retrieval import Retriever

    ingest(fake_settings, embedder=FakeEmbedder())
    index = open_index(fake_settings)
    assert index is not None
    assert [q.question for q in index.questions] == [
        "When did the blogger start to notice a change?",
        "How long before he noticed anything?",
    ]
    assert index.question_vectors.shape == (2, FakeEmbedder().dimensions)
    text = (test_corpus / "articles" / "blog.md").read_text(encoding="utf-8")
    for q, rows in zip(index.questions, index.question_sentences, strict=True):
        assert text[q.start : q.end] == q.quote
        assert [index.sentence_text(r) for r in rows] == [
            "My emotions felt flatter than before, and I noticed it after about a month."
        ]
    retriever = Retriever(index, None, RetrievalSettings())
    asked = FakeEmbedder().embed(["how long before he noticed anything"])[0]
    assert retriever.answering(asked, 5) == [index.question_chunks[1]]
    assert retriever.answering(FakeEmbedder().embed(["fluoxetine half-life"])[0], 5) == []


def test_a_passage_question_whose_quote_is_not_in_the_article_is_reported(fake_settings, test_corpus: Path) -> None:
    (test_corpus / "questions.yaml").write_text(
        "passages:\n  - document: test-blog\n    quote: words the blog never wrote\n    questions: [Why did he stop]\n"
    )
    report = ingest(fake_settings, embedder=FakeEmbedder())
    assert report.skipped_files == [
        {"path": "questions.yaml", "reason": "passages[0] field 'quote': not found verbatim in test-blog"}
    ]
    index = open_index(fake_settings)
    assert index is not None and index.questions == [] and len(index.chunks) > 0


def test_cli_ingest_json_twice_reports_zero_embedded(tmp_path: Path, test_corpus: Path) -> None:
    env = {
        "SSRI_QA_EMBEDDING__BACKEND": "fake",
        "SSRI_QA_CORPUS__PATH": str(test_corpus),
        "SSRI_QA_INDEX__PATH": str(tmp_path / "index"),
        "SSRI_QA_DATA_DIR": str(tmp_path),
        "PATH": "/usr/bin:/bin",
        "HF_HUB_OFFLINE": "1",
    }
    runs = [
        subprocess.run(
            [sys.executable, "-m", "app", "ingest", "--json"], env=env, capture_output=True, text=True, timeout=120
        )
        for _ in range(2)
    ]
    reports = [json.loads(r.stdout) for r in runs]
    for key in ["documents", "chunks", "embedded", "deleted", "skipped_files", "seconds"]:
        assert key in reports[0]
    assert reports[0]["embedded"] > 0 and reports[1]["embedded"] == 0


def test_model_hash_mismatch_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "model.safetensors").write_bytes(b"not the real weights")
    with pytest.raises(ModelIntegrityError, match="refusing to load"):
        verify_model(tmp_path, "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db")
    embedder = SentenceTransformerEmbedder(tmp_path, "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db")
    with pytest.raises(ModelIntegrityError):
        embedder.embed(["hello"])


@pytest.mark.model
def test_bundled_model_passes_the_hash_check() -> None:
    from ingest.embedding import bundled_model_dir

    verify_model(bundled_model_dir(), "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db")


def test_unreadable_index_folder_is_a_clear_error(tmp_path: Path, test_corpus: Path) -> None:
    from ingest.store import IndexUnavailable

    settings = make_settings(tmp_path, test_corpus)
    settings.index.path = Path("/proc/definitely-not-writable/index")
    with pytest.raises(IndexUnavailable, match="cannot write to the index folder"):
        ingest(settings, embedder=FakeEmbedder())
