"""Crash safety: SIGKILL a real `ssri-qa ingest` process at random points (issues 2 and 8).

After every kill the index must open and answer a question in a fresh process, holding
either the last complete state or the new one (never a mix), and the next ingest must
complete with the full corpus. CI runs a few kill points; `make reliability` runs
SSRI_QA_KILL_POINTS=20.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from eval.synthetic import build_corpus
from ingest.chunking import chunk_document
from ingest.documents import scan_corpus
from ingest.settings import ChunkingSettings
from ingest.store import read_current
from tests.conftest import REAL_CORPUS, child_env

pytestmark = pytest.mark.slow
KILL_POINTS = int(os.environ.get("SSRI_QA_KILL_POINTS", "3"))
VARIANTS = 4  # about 600 chunks: an ingest with the fake embedder takes a few seconds


def _env(corpus: Path, index: Path) -> dict[str, str]:
    return child_env(
        {
            "SSRI_QA_CORPUS__PATH": str(corpus),
            "SSRI_QA_INDEX__PATH": str(index),
            "SSRI_QA_EMBEDDING__BACKEND": "fake",
            "SSRI_QA_DATA_DIR": str(index.parent),
        }
    )


def _ingest(env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "app", "ingest", "--json"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )


def _expected_ids(corpus: Path) -> set[str]:
    scan = scan_corpus(corpus)
    return {c.chunk_id for d in scan.documents for c in chunk_document(d, ChunkingSettings())}


def _live_chunks(index: Path) -> dict[str, str]:
    """chunk id → text of the generation that `CURRENT` points at."""
    current = read_current(index)
    assert current is not None, "no complete index generation after the kill"
    return {c["chunk_id"]: c["text"] for c in current.manifest["chunks"]}


def _live_ids(index: Path) -> set[str]:
    return set(_live_chunks(index))


def _ask(env: dict[str, str], question: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-m", "app", "ask", "--json", question], env=env, capture_output=True, timeout=120
    )
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    return json.loads(done.stdout)


def test_sigkill_at_random_points_never_breaks_the_index(tmp_path: Path) -> None:
    corpus, index = tmp_path / "corpus", tmp_path / "data" / "index"
    env = _env(corpus, index)
    build_corpus(REAL_CORPUS, corpus, VARIANTS, revision=0)
    started = time.monotonic()
    first = _ingest(env)
    out, err = first.communicate(timeout=300)
    full_seconds = time.monotonic() - started
    assert first.returncode == 0, err.decode()[-2000:]
    last_good = _live_ids(index)
    assert last_good == _expected_ids(corpus)

    rng = random.Random(int(os.environ.get("SSRI_QA_KILL_SEED", "7")))
    kills, revision, attempts = 0, 0, 0
    run_seconds = full_seconds  # how long an ingest of one revision takes, updated when one finishes unkilled
    while kills < KILL_POINTS and attempts < KILL_POINTS * 5:
        attempts += 1
        revision += 1
        build_corpus(REAL_CORPUS, corpus, VARIANTS, revision=revision)  # about half the variants change
        target = _expected_ids(corpus)
        started = time.monotonic()
        proc = _ingest(env)
        time.sleep(rng.uniform(0.05, 0.95) * run_seconds)
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        else:
            run_seconds = time.monotonic() - started
        proc.communicate(timeout=60)

        live = _live_chunks(index)
        assert set(live) in (last_good, target), "the live generation mixes two corpus states"
        last_good = set(live)
        answer = _ask(env, "What is the half-life of fluoxetine?")
        assert answer["kind"] == "answer" and answer["citations"], answer
        for c in answer["citations"]:  # every quote comes from a chunk of the live generation
            assert c["quote"] in live[c["chunk_id"]]
    assert kills >= KILL_POINTS, f"only {kills} of {attempts} ingests were still running at their kill point"

    final = _ingest(env)
    out, err = final.communicate(timeout=300)
    assert final.returncode == 0, err.decode()[-2000:]
    report = json.loads(out)
    assert _live_ids(index) == _expected_ids(corpus)
    assert report["chunks"] == len(_expected_ids(corpus))
    again = _ingest(env)
    out, _ = again.communicate(timeout=300)
    assert json.loads(out)["embedded"] == 0
