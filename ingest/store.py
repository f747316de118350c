"""Where the index lives: vectors in Chroma, everything else in an immutable *generation*.

Crash safety: chunk ids are content hashes, so adding new vectors never disturbs the ones
a live generation uses. A generation folder (manifest, BM25 index, sentence vectors) is
written under a temporary name, renamed into place, and only then does the `CURRENT`
file switch to it (write-to-temp + os.replace, which is atomic on POSIX). Readers follow
`CURRENT`, and dense hits are filtered to the ids in its manifest, so a kill at any point
leaves either the old complete index or the new one. Stray vectors and old generations are
removed by the next successful ingest.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np

from ingest.settings import IndexSettings

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

CURRENT = "CURRENT"
MANIFEST = "manifest.json"


class IndexUnavailable(RuntimeError):
    """The index cannot be opened or written; the message says why and what to do."""


def chroma_client(settings: IndexSettings):  # noqa: ANN201 - chromadb imported lazily
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if settings.chroma_url:
        url = urlparse(settings.chroma_url)
        if not url.hostname:
            raise IndexUnavailable(
                f"SSRI_QA_CHROMA_URL '{settings.chroma_url}' is not a URL like http://127.0.0.1:8000"
            )
        try:
            client = chromadb.HttpClient(
                host=url.hostname,
                port=url.port or (443 if url.scheme == "https" else 8000),
                ssl=url.scheme == "https",
                settings=chroma_settings,
            )
            client.heartbeat()
        except Exception as exc:
            raise IndexUnavailable(
                f"Chroma server at {settings.chroma_url} is unreachable ({exc.__class__.__name__}). "
                "Start it (`chroma run --path <dir> --port <port>`) or unset SSRI_QA_CHROMA_URL to use the local index."
            ) from None
        return client
    path = settings.path / "chroma"
    try:
        path.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(path), settings=chroma_settings)
    except Exception as exc:
        raise IndexUnavailable(f"cannot open the local Chroma database at {path}: {exc}") from None


class VectorStore:
    """One Chroma collection (cosine space), through chromadb's own API only; the collection is
    looked up once, when the store is opened."""

    def __init__(self, settings: IndexSettings, collection_name: str, client: Any = None) -> None:
        self.collection_name = collection_name
        self.remote = bool(settings.chroma_url)  # a Chroma server, shared by several app processes
        self.client = client or chroma_client(settings)
        # A denser HNSW graph than Chroma's defaults (100 / 100 / 16): with many near-identical chunks (the
        # synthetic scale corpora) the default graph sometimes returned none of the true top 10 (1 process in 6,
        # measured on a 2,219-chunk corpus); with these, 0 in 18.
        self.collection = self.client.get_or_create_collection(
            name=collection_name,
            embedding_function=None,
            configuration={"hnsw": {"space": "cosine", "ef_construction": 200, "ef_search": 200, "max_neighbors": 32}},
        )
        self._count: int | None = None

    def mark_generation(self, name: str) -> None:
        """Record in the collection which index generation its vectors belong to (after a publish)."""
        self.collection.modify(metadata={**(self.collection.metadata or {}), "generation": name})

    def generation(self) -> str | None:
        """The generation the collection's vectors belong to, as the last ingest recorded it."""
        fresh = self.client.get_collection(
            self.collection_name
        )  # not the cached object: another process may have published
        return (fresh.metadata or {}).get("generation")

    def count(self) -> int:
        if self._count is None:
            self._count = int(self.collection.count())
        return self._count

    def ids(self) -> set[str]:
        return set(self.collection.get(include=[])["ids"])

    def add(
        self,
        ids: list[str],
        vectors: np.ndarray,
        documents: list[str],
        metadatas: list[dict[str, Any]],
        batch: int = 1000,
    ) -> None:
        self._count = None
        for i in range(0, len(ids), batch):
            try:
                self.collection.upsert(
                    ids=ids[i : i + batch],
                    embeddings=vectors[i : i + batch],
                    documents=documents[i : i + batch],
                    metadatas=metadatas[i : i + batch],
                )
            except Exception as exc:  # chromadb raises its own error types for disk and server failures
                raise IndexUnavailable(
                    f"Chroma could not store vectors in '{self.collection_name}': {exc}. The previous index is still "
                    "served; check free disk space (or the Chroma server), then run `ssri-qa ingest` again."
                ) from None

    def delete(self, ids: list[str], batch: int = 1000) -> None:
        self._count = None
        for i in range(0, len(ids), batch):
            self.collection.delete(ids=ids[i : i + batch])

    def search(self, vector: np.ndarray, n: int) -> list[tuple[str, float]]:
        """(chunk id, cosine similarity) of the `n` nearest chunks."""
        n = max(1, min(n, self.count()))
        got = self.collection.query(query_embeddings=[vector.tolist()], n_results=n, include=["distances"])
        return [(str(cid), 1.0 - float(d)) for cid, d in zip(got["ids"][0], got["distances"][0], strict=True)]


@dataclass(frozen=True)
class Generation:
    """A complete, immutable index state on disk."""

    path: Path
    manifest: dict[str, Any]

    @property
    def name(self) -> str:
        return self.path.name


def generations_dir(index_path: Path) -> Path:
    return index_path / "generations"


def current_name(index_path: Path) -> str | None:
    """The name of the published generation (the pointer only; nothing is loaded)."""
    try:
        return (index_path / CURRENT).read_text(encoding="utf-8").strip() or None
    except OSError:
        return None


def read_current(index_path: Path) -> Generation | None:
    pointer = index_path / CURRENT
    try:
        name = pointer.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise IndexUnavailable(f"cannot read {pointer}: {exc}") from None
    path = generations_dir(index_path) / name
    try:
        manifest = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise IndexUnavailable(
            f"index generation {path} is unreadable ({exc}); run `ssri-qa ingest` to rebuild"
        ) from None
    return Generation(path, manifest)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_generation(
    index_path: Path, name: str, files: dict[str, bytes | np.ndarray], writers: dict[str, Any] | None = None
) -> Generation:
    """Write a generation under a temporary name, fsync, rename into place, then switch CURRENT."""
    gens = generations_dir(index_path)
    gens.mkdir(parents=True, exist_ok=True)
    tmp = gens / f".tmp-{uuid.uuid4().hex}"
    try:
        tmp.mkdir()
        _write_files(tmp, files, writers or {})
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise IndexUnavailable(
            f"writing the new index under {index_path} failed: {exc.strerror or exc}. The previous index is untouched and "
            "still served; free disk space or fix permissions, then run `ssri-qa ingest` again."
        ) from None
    final = gens / name
    if final.exists():  # same content built before (e.g. a crash after rename); replace it
        shutil.rmtree(final)
    os.rename(tmp, final)
    _fsync_dir(gens)
    pointer_tmp = index_path / f".{CURRENT}.{uuid.uuid4().hex}"
    pointer_tmp.write_text(name, encoding="utf-8")
    with pointer_tmp.open("rb") as fh:
        os.fsync(fh.fileno())
    os.replace(pointer_tmp, index_path / CURRENT)
    _fsync_dir(index_path)
    manifest = json.loads((final / MANIFEST).read_text(encoding="utf-8"))
    return Generation(final, manifest)


def _write_files(tmp: Path, files: dict[str, bytes | np.ndarray], writers: dict[str, Any]) -> None:
    for rel, content in files.items():
        target = tmp / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, np.ndarray):
            with target.open("wb") as fh:
                np.save(fh, content, allow_pickle=False)
                fh.flush()
                os.fsync(fh.fileno())
        else:
            with target.open("wb") as fh:
                fh.write(content)
                fh.flush()
                os.fsync(fh.fileno())
    for rel, write in writers.items():
        write(tmp / rel)
    _fsync_dir(tmp)


def remove_stale(index_path: Path, keep: str) -> int:
    """Delete old generations and leftovers of interrupted writes; returns how many."""
    removed = 0
    gens = generations_dir(index_path)
    if gens.is_dir():
        for entry in gens.iterdir():
            if entry.name != keep:
                shutil.rmtree(entry, ignore_errors=True)
                removed += 1
    for leftover in index_path.glob(f".{CURRENT}.*"):
        leftover.unlink(missing_ok=True)
    return removed


@contextlib.contextmanager
def writer_lock(index_path: Path) -> Iterator[None]:
    """One ingest at a time per index folder (readers never wait)."""
    try:
        index_path.mkdir(parents=True, exist_ok=True)
        fh = (index_path / ".lock").open("a")
    except OSError as exc:
        raise IndexUnavailable(
            f"cannot write to the index folder {index_path}: {exc.strerror or exc}. Check permissions and free disk space."
        ) from None
    try:
        fcntl.flock(fh, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fh, fcntl.LOCK_UN)
        fh.close()
