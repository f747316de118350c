"""Query embedding without torch (placeholder until the ONNX export lands): falls back to torch."""

from __future__ import annotations

from ingest.embedding import Embedder, make_embedder
from qa.settings import Settings


def make_query_embedder(settings: Settings) -> Embedder:
    return make_embedder(settings.embedding)
