"""Ingestion and answering against a real Chroma server over HTTP (issue 8).

`.ci/run` starts `chroma run` on a free loopback port and passes its URL in
SSRI_QA_TEST_CHROMA_URL; without it, this module starts its own server the same way,
so the tests always run against a real server and never skip.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from ingest.embedding import FakeEmbedder
from ingest.pipeline import ingest
from ingest.store import chroma_client
from qa import DISCLAIMER, Chatbot
from tests.conftest import child_env, free_port, make_settings

pytestmark = pytest.mark.server


def _wait_for(url: str, proc: subprocess.Popen[bytes] | None, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"chroma server exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"chroma server at {url} did not answer within {seconds}s")


def _start_chroma(path: Path, port: int) -> subprocess.Popen[bytes]:
    chroma = shutil.which("chroma", path=str(Path(sys.executable).parent)) or shutil.which("chroma")
    assert chroma, "the chroma CLI ships with the chromadb package"
    return subprocess.Popen(
        [chroma, "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    given = os.environ.get("SSRI_QA_TEST_CHROMA_URL")
    if given:
        _wait_for(given, None)
        yield given
        return
    port = free_port()
    proc = _start_chroma(tmp_path_factory.mktemp("chroma-server"), port)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for(url, proc)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@pytest.fixture
def server_settings(tmp_path: Path, test_corpus: Path, chroma_url: str):
    settings = make_settings(tmp_path, test_corpus)
    settings.index.chroma_url = chroma_url
    settings.index.collection_prefix = f"t{uuid.uuid4().hex[:10]}"  # tests share one server
    settings.answer.min_relevance = 0.05
    return settings


def test_ingest_and_answer_through_the_server(server_settings, test_corpus: Path) -> None:
    first = ingest(server_settings, embedder=FakeEmbedder())
    assert first.embedded == first.chunks > 0
    names = [c.name for c in chroma_client(server_settings.index).list_collections()]
    assert first.collection in names  # the vectors live on the server...
    assert not (server_settings.index.path / "chroma").exists()  # ...not in a local database
    second = ingest(server_settings, embedder=FakeEmbedder())
    assert second.embedded == 0 and second.unchanged

    bot = Chatbot(server_settings)
    answer = bot.ask("What is the half-life of fluoxetine?")
    assert answer.kind == "answer" and answer.disclaimer == DISCLAIMER
    for c in answer.citations:
        assert c.quote in (test_corpus / c.path).read_text(encoding="utf-8")
    assert bot.retriever.store is not None and bot.retriever.store.count() == first.chunks


def test_editing_a_document_updates_the_server_collection(server_settings, test_corpus: Path) -> None:
    first = ingest(server_settings, embedder=FakeEmbedder())
    (test_corpus / "references" / "overdose.md").unlink()
    second = ingest(server_settings, embedder=FakeEmbedder())
    assert second.deleted >= 1
    count = chroma_client(server_settings.index).get_collection(first.collection).count()
    assert count == second.chunks < first.chunks


def test_cli_uses_the_short_url_variable(tmp_path: Path, test_corpus: Path, chroma_url: str) -> None:
    env = child_env(
        {
            "SSRI_QA_CHROMA_URL": chroma_url,
            "SSRI_QA_CORPUS__PATH": str(test_corpus),
            "SSRI_QA_INDEX__PATH": str(tmp_path / "index"),
            "SSRI_QA_EMBEDDING__BACKEND": "fake",
            "SSRI_QA_INDEX__COLLECTION_PREFIX": f"cli{uuid.uuid4().hex[:8]}",
            "SSRI_QA_ANSWER__MIN_RELEVANCE": "0.05",
            "SSRI_QA_DATA_DIR": str(tmp_path),
        }
    )
    reports = []
    for _ in range(2):
        done = subprocess.run(
            [sys.executable, "-m", "app", "ingest", "--json"], env=env, capture_output=True, timeout=180
        )
        assert done.returncode == 0, done.stderr[-2000:]
        reports.append(json.loads(done.stdout))
    assert reports[0]["embedded"] > 0 and reports[1]["embedded"] == 0
    done = subprocess.run(
        [sys.executable, "-m", "app", "ask", "--json", "What is the half-life of fluoxetine?"],
        env=env,
        capture_output=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout)["kind"] == "answer"


QUESTIONS = ["What is the half-life of fluoxetine?", "Are SSRIs safe in overdose?", "What is sertraline?"]


def _bot_on(url: str, proc: subprocess.Popen[bytes], tmp_path: Path, test_corpus: Path) -> Chatbot:
    """The test corpus ingested into the Chroma server at `url`, with short outage timings."""
    _wait_for(url, proc)
    settings = make_settings(tmp_path, test_corpus)
    settings.index.chroma_url = url
    settings.answer.min_relevance = 0.05
    settings.retrieval.server_timeout_s = 0.5
    settings.retrieval.server_retry_s = 0.5
    ingest(settings, embedder=FakeEmbedder())
    return Chatbot(settings)


def test_a_killed_server_degrades_to_local_search_and_recovers(tmp_path: Path, test_corpus: Path) -> None:
    """A real `chroma run`, killed and restarted mid-conversation: no failed answer, the same answers
    from the local generation's vectors meanwhile, and back on the server once it returns."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    proc = _start_chroma(tmp_path / "chroma", port)
    try:
        bot = _bot_on(url, proc, tmp_path, test_corpus)
        served = [bot.ask(q) for q in QUESTIONS]
        assert all(a.kind == "answer" for a in served) and bot.retriever.vector_state["state"] == "ok"

        proc.kill()
        proc.wait(timeout=30)
        degraded = [bot.ask(q) for q in QUESTIONS]
        assert [a.kind for a in degraded] == ["answer"] * len(QUESTIONS)
        assert [a.text for a in degraded] == [a.text for a in served]  # exact search finds what HNSW found
        assert bot.retriever.vector_state["state"] == "degraded"

        proc = _start_chroma(tmp_path / "chroma", port)
        _wait_for(url, proc)
        started = time.monotonic()
        while bot.retriever.vector_state["state"] != "ok" and time.monotonic() - started < 10:
            assert bot.ask(QUESTIONS[0]).kind == "answer"
            time.sleep(0.2)
        assert bot.retriever.vector_state == {"backend": "chroma-server", "state": "ok"}
        assert time.monotonic() - started < 10  # recovered within seconds
        assert bot.ask(QUESTIONS[1]).text == served[1].text
    finally:
        proc.kill()
        proc.wait(timeout=30)


def test_a_hung_server_costs_a_short_timeout_not_the_answer(tmp_path: Path, test_corpus: Path) -> None:
    """A `chroma run` frozen with SIGSTOP accepts connections and never replies (chromadb's client has no
    timeout): each question still gets its answer, the first within about the configured timeout and the
    rest from the local generation at once, and the server is used again when it thaws."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    proc = _start_chroma(tmp_path / "chroma", port)
    try:
        bot = _bot_on(url, proc, tmp_path, test_corpus)
        served = [bot.ask(q) for q in QUESTIONS]

        os.kill(proc.pid, signal.SIGSTOP)
        started = time.monotonic()
        first = bot.ask(QUESTIONS[0])
        assert time.monotonic() - started < 3.0  # the timeout, not forever
        frozen = [first] + [bot.ask(q) for q in QUESTIONS[1:]]
        assert [a.text for a in frozen] == [a.text for a in served]
        assert bot.retriever.vector_state["state"] == "degraded"
        assert time.monotonic() - started < 3.0 + 0.6 * len(QUESTIONS)

        os.kill(proc.pid, signal.SIGCONT)
        thawed = time.monotonic()
        while bot.retriever.vector_state["state"] != "ok" and time.monotonic() - thawed < 10:
            assert bot.ask(QUESTIONS[0]).kind == "answer"
            time.sleep(0.2)
        assert bot.retriever.vector_state == {"backend": "chroma-server", "state": "ok"}
    finally:
        os.kill(proc.pid, signal.SIGCONT)
        proc.kill()
        proc.wait(timeout=30)


def test_an_app_with_a_stale_generation_refuses_to_pair_it_with_newer_vectors(
    server_settings, test_corpus: Path, tmp_path: Path
) -> None:
    from ingest.store import IndexUnavailable

    first = ingest(server_settings, embedder=FakeEmbedder())
    stale = server_settings.model_copy(deep=True)
    stale.index.path = tmp_path / "stale-copy"
    shutil.copytree(server_settings.index.path, stale.index.path)  # the copy an app machine was given
    assert Chatbot(stale).ask("What is sertraline?").kind == "answer"  # matching: it serves

    note = test_corpus / "references" / "overdose.md"
    note.write_text(note.read_text(encoding="utf-8") + "\nOverdose care is urgent.\n", encoding="utf-8")
    second = ingest(server_settings, embedder=FakeEmbedder())
    assert second.generation != first.generation and second.collection == first.collection
    with pytest.raises(IndexUnavailable, match=f"generation {first.generation} does not match.*{second.generation}"):
        Chatbot(stale)
    assert Chatbot(server_settings).ask("What is sertraline?").kind == "answer"


@pytest.mark.model
def test_the_eval_test_split_answers_the_same_from_the_server_and_degraded(tmp_path: Path) -> None:
    """The whole eval test split with the real model, through a real Chroma server and then with that
    server killed: every answer identical (HNSW hits are re-ranked exactly; the local search is exact)."""
    from eval.runner import load_cases
    from tests.conftest import REAL_CORPUS

    questions = [(c.question, c.turns) for c in load_cases() if c.split == "test"]
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    proc = _start_chroma(tmp_path / "chroma", port)
    try:
        _wait_for(url, proc)
        settings = make_settings(tmp_path, REAL_CORPUS, backend="bundled")
        settings.index.chroma_url = url
        ingest(settings)
        bot = Chatbot(settings)
        served = [bot.ask(q, history=turns) for q, turns in questions]
        assert bot.retriever.vector_state["state"] == "ok"
        proc.kill()
        proc.wait(timeout=30)
        degraded = [bot.ask(q, history=turns) for q, turns in questions]
        assert bot.retriever.vector_state["state"] == "degraded"
        differences = [q for (q, _), a, b in zip(questions, served, degraded, strict=True) if a.text != b.text]
        assert differences == []
        assert all(a.kind != "error" for a in served + degraded)
    finally:
        proc.kill()
        proc.wait(timeout=30)
