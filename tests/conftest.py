"""Shared fixtures. The network is closed: any connection to a non-loopback address fails."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["ANONYMIZED_TELEMETRY"] = "False"
os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
os.environ["TOKENIZERS_PARALLELISM"] = "false"

ROOT = Path(__file__).resolve().parent.parent
TEST_CORPUS = Path(__file__).parent / "data" / "corpus"
REAL_CORPUS = ROOT / "corpus"
ARTIFACTS = ROOT / "test-artifacts"

_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


def _guarded_connect(self: socket.socket, address: object) -> object:
    _guarded_connect_check(self, address)
    return _real_connect(self, address)


def _guarded_connect_ex(self: socket.socket, address: object) -> int:
    _guarded_connect_check(self, address)
    return _real_connect_ex(self, address)


def _guarded_connect_check(self: socket.socket, address: object) -> None:
    host = address[0] if isinstance(address, tuple) else str(address)
    if self.family in (socket.AF_INET, socket.AF_INET6) and host not in ("127.0.0.1", "::1", "localhost", "0.0.0.0"):
        raise RuntimeError(f"test tried to reach the network: {address!r}")


@pytest.fixture(autouse=True, scope="session")
def closed_network() -> Iterator[None]:
    """Installed once for the session with its own MonkeyPatch, so a test's `monkeypatch.undo()`
    cannot reopen the network."""
    guard = pytest.MonkeyPatch()
    guard.setattr(socket.socket, "connect", _guarded_connect)
    guard.setattr(socket.socket, "connect_ex", _guarded_connect_ex)
    yield
    guard.undo()


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in list(os.environ):
        if var.startswith("SSRI_QA_") and not var.startswith("SSRI_QA_TEST_"):
            monkeypatch.delenv(var)


def free_port() -> int:
    """A loopback port that nothing listens on (also used as a known-closed port)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def child_env(extra: dict[str, str], *, pythonpath: bool = True) -> dict[str, str]:
    """Environment for a child process: this one's without SSRI_QA_* settings, plus `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SSRI_QA_")}
    env.pop("PYTHONPATH", None)
    if pythonpath:
        env["PYTHONPATH"] = str(ROOT)
    return env | extra


def make_settings(tmp_path: Path, corpus: Path, backend: str = "fake", **extra: object):
    from ingest.settings import Settings

    settings = Settings(data_dir=tmp_path / "data")
    settings.corpus.path = corpus
    settings.index.path = tmp_path / "data" / "index"
    settings.app.feedback_path = tmp_path / "data" / "feedback.jsonl"
    settings.embedding.backend = backend  # type: ignore[assignment]
    for key, value in extra.items():
        section, field = key.split("__")
        setattr(getattr(settings, section), field, value)
    return settings


@pytest.fixture
def test_corpus(tmp_path: Path) -> Path:
    target = tmp_path / "corpus"
    shutil.copytree(TEST_CORPUS, target)
    return target


@pytest.fixture
def real_corpus_copy(tmp_path: Path) -> Path:
    target = tmp_path / "corpus"
    shutil.copytree(REAL_CORPUS, target)
    return target


@pytest.fixture
def fake_settings(tmp_path: Path, test_corpus: Path):
    return make_settings(tmp_path, test_corpus)


@pytest.fixture(scope="session")
def model_index(tmp_path_factory: pytest.TempPathFactory):
    """The real corpus indexed once with the real bundled model (integration tests)."""
    from ingest.pipeline import ingest

    tmp = tmp_path_factory.mktemp("model-index")
    settings = make_settings(tmp, REAL_CORPUS, backend="bundled")
    ingest(settings)
    return settings


@pytest.fixture(scope="session")
def model_bot(model_index):
    from qa.chatbot import Chatbot

    return Chatbot(model_index)


def wait_for_app(url: str, proc: subprocess.Popen[bytes], log: Path, seconds: float = 180) -> None:
    """Until the web app at `url` answers; fails with the end of its log if it exits or takes too long."""
    deadline = time.monotonic() + seconds
    while True:
        assert proc.poll() is None, log.read_text()[-2000:]
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except OSError:
            assert time.monotonic() < deadline, f"the web app did not start within {seconds:.0f} s"
            time.sleep(0.5)
