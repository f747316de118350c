from pathlib import Path

import pytest

from ingest.documents import DocumentError, scan_corpus


def test_bad_files_are_named_and_skipped(test_corpus: Path) -> None:
    refs = test_corpus / "references"
    (refs / "latin1.md").write_bytes("---\ntitle: caf\xe9\n---\nbody".encode("latin-1"))
    (refs / "empty.md").write_text("")
    (refs / "nofront.md").write_text("just text, no front matter")
    (refs / "badyaml.md").write_text("---\ntitle: [unclosed\n---\nbody text")
    (refs / "binary.md").write_bytes(b"---\x00\x01\x02")
    (refs / "nosource.md").write_text(
        "---\ntitle: No sources\nkind: reference\ntopics: [x]\nsources: []\nreviewed: 2026-01-01\n---\nbody text here"
    )
    scan = scan_corpus(test_corpus)
    reasons = {Path(e.path).name: e.reason for e in scan.skipped}
    assert "not valid UTF-8" in reasons["latin1.md"]
    assert "empty" in reasons["empty.md"]
    assert "front matter" in reasons["nofront.md"]
    assert "YAML" in reasons["badyaml.md"]
    assert "binary" in reasons["binary.md"]
    assert "sources" in reasons["nosource.md"]
    assert {d.source_id for d in scan.documents} == {"test-blog", "overdose", "fluoxetine"}


def test_strict_mode_fails_on_first_bad_file(test_corpus: Path) -> None:
    (test_corpus / "references" / "empty.md").write_text("")
    with pytest.raises(DocumentError, match="empty.md: file is empty"):
        scan_corpus(test_corpus, strict=True)


def test_oversized_file_is_skipped(test_corpus: Path) -> None:
    (test_corpus / "references" / "huge.md").write_text("---\ntitle: t\n---\n" + "x" * 2000)
    scan = scan_corpus(test_corpus, max_bytes=1000)
    assert any("limit" in e.reason for e in scan.skipped)
