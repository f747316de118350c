from pathlib import Path

from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from ingest.chunking import blocks, chunk_document, chunk_sentences
from ingest.documents import Document, load_document
from ingest.settings import ChunkingSettings

ROOT = Path(__file__).resolve().parent.parent


def real_article() -> Document:
    corpus = ROOT / "corpus"
    return load_document(corpus / "articles" / "desmolysium-ssris.md", corpus)


def test_plain_text_headings_become_sections() -> None:
    sections = {c.section for c in chunk_document(real_article(), ChunkingSettings())}
    for heading in [
        "Downsides of SSRIs",
        "Classical SSRIs",
        "Personal experience with SSRIs",
        "SNRIs",
        "Risks & side effects of SSRIs",
    ]:
        assert heading in sections
    # sentences that end with punctuation are never mistaken for headings
    assert not any(s.endswith((".", "!", "?")) for s in sections)


def test_every_chunk_span_is_the_exact_file_text() -> None:
    doc = real_article()
    raw = (ROOT / "corpus" / doc.path).read_text(encoding="utf-8")
    for chunk in chunk_document(doc, ChunkingSettings()):
        assert raw[chunk.start : chunk.end] == chunk.text


def test_bullets_are_kept_whole_and_sizes_are_bounded() -> None:
    doc = real_article()
    settings = ChunkingSettings()
    chunks = chunk_document(doc, settings)
    bullets = [b for b in blocks(doc) if b.bullet]
    assert len(bullets) > 15
    for b in bullets:
        assert any(c.start <= b.start and b.end <= c.end for c in chunks), doc.text[b.start : b.end]
    for c in chunks:
        single_unit = "\n" not in c.text
        assert len(c.text) <= settings.max_chars or single_unit
    assert sum(settings.min_chars <= len(c.text) <= settings.max_chars for c in chunks) >= 0.75 * len(chunks)


def test_section_kinds_mark_anecdotes() -> None:
    chunks = chunk_document(real_article(), ChunkingSettings())
    kinds = {c.section: c.source_kind for c in chunks}
    assert kinds["Personal experience with SSRIs"] == "anecdote"
    assert kinds["Downsides of SSRIs"] == "opinion"


def test_sentences_are_verbatim_and_inside_their_chunk() -> None:
    doc = real_article()
    for chunk in chunk_document(doc, ChunkingSettings())[:10]:
        for span in chunk_sentences(doc.text, chunk):
            assert chunk.start <= span.start < span.end <= chunk.end
            assert doc.text[span.start : span.end].strip() == doc.text[span.start : span.end]


def test_chunk_ids_are_stable_and_content_addressed() -> None:
    a = chunk_document(real_article(), ChunkingSettings())
    b = chunk_document(real_article(), ChunkingSettings())
    assert [c.chunk_id for c in a] == [c.chunk_id for c in b]
    assert len({c.chunk_id for c in a}) == len(a)


_line = st.one_of(
    st.text(
        alphabet=st.characters(
            blacklist_categories=("Cs",), blacklist_characters="\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
        ),
        max_size=300,
    ),
    st.just(""),
    st.sampled_from(["Classical SSRIs", "- a bullet item.", "Heading", "A sentence. Another one! A third?"]),
)


@hsettings(max_examples=60, deadline=None)
@given(lines=st.lists(_line, min_size=1, max_size=25))
def test_chunker_spans_always_match_source(lines: list[str]) -> None:
    front = "---\nid: x\ntitle: X doc\nkind: article\nsite: s\nurl: https://e.org\nsource_kind: opinion\n---\n"
    text = front + "\n".join(lines)
    doc = Document("x", "x.md", "X doc", "article", "https://e.org", text, len(front), "plain", "opinion")
    chunks = chunk_document(doc, ChunkingSettings(target_chars=200, min_chars=50, max_chars=300))
    for c in chunks:
        assert text[c.start : c.end] == c.text
        assert c.text.strip()
    covered = "".join(c.text for c in chunks)
    body_words = [w for w in text[len(front) :].split() if w]
    assert sum(len(w) for w in covered.split()) <= sum(len(w) for w in body_words)
