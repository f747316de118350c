"""`ssri-qa bench --quick` as a smoke check: it runs end to end and writes a complete report.

Targets are judged by the full command (`make bench`), never by timing a unit test; this
test checks that every measurement is present and plausible, not how fast it was."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eval.bench import run_cli
from eval.synthetic import build_corpus
from ingest.chunking import chunk_document
from ingest.documents import scan_corpus
from ingest.settings import ChunkingSettings
from tests.conftest import REAL_CORPUS


@pytest.mark.model
def test_quick_bench_writes_a_complete_report(model_index, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = run_cli(model_index, quick=True, as_json=True, out=tmp_path)
    assert code == 0
    printed = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    saved = json.loads((tmp_path / "bench.json").read_text())
    assert printed == saved
    assert (tmp_path / "bench.png").stat().st_size > 10_000
    md = (tmp_path / "bench.md").read_text()
    for heading in ("## Targets", "## Warm latency", "## Cold start", "## Ingest", "## Scale series"):
        assert heading in md
    lat = saved["warm"]["latency_ms"]
    for stage in ("ask", "retrieve", "embed", "dense", "bm25", "fusion", "compose"):
        assert lat[stage]["p95"] >= lat[stage]["p50"] >= 0
    assert lat["ask"]["p50"] > 0 and saved["warm"]["embedder"] == "OnnxEmbedder"
    assert saved["cold_start"]["onnx"]["embedder"] == "OnnxEmbedder"
    assert saved["cold_start"]["torch"]["embedder"] == "SentenceTransformerEmbedder"
    assert saved["ingest"]["noop_embedded"] == 0
    scale = saved["scale"][0]
    assert 500 <= scale["chunks"] <= 2000 and scale["latency_ms"]["ask"]["p50"] > 0 and scale["serve_peak_rss_mb"] > 50


def test_synthetic_corpus_grows_realistically(tmp_path: Path) -> None:
    original = scan_corpus(REAL_CORPUS)
    grown = scan_corpus(build_corpus(REAL_CORPUS, tmp_path / "c", 3))
    assert not grown.skipped
    notes = [d for d in original.documents if d.kind == "reference"]
    assert len(grown.documents) == len(original.documents) + 3 * len(notes)
    chunks = [c for d in grown.documents for c in chunk_document(d, ChunkingSettings())]
    assert len({c.chunk_id for c in chunks}) > 0.9 * len(chunks)  # perturbed, not copies
    variant = next(d for d in grown.documents if d.source_id.endswith("-v2"))
    assert "(variant 2)" in variant.title and variant.sources  # real sources kept
