"""The running web app under load and its security settings (issue 8): 50 concurrent
conversations through gradio_client on loopback, sessions kept apart, memory stable;
authentication, and no file access to the data or corpus folders."""

from __future__ import annotations

import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psutil
import pytest

from eval.webload import DRUGS
from qa import DISCLAIMER
from tests.conftest import REAL_CORPUS, child_env, free_port, make_settings, wait_for_app

pytestmark = pytest.mark.server  # starts the web app on loopback

# notes that give a half-life: the load client's own list
SESSIONS = 50


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """`ssri-qa serve` in its own process, so its memory is measured apart from the clients'.

    Its stderr goes to a file, not a pipe nobody reads (a full pipe would block the server)."""
    tmp = tmp_path_factory.mktemp("web-load")
    corpus = tmp / "corpus"
    shutil.copytree(REAL_CORPUS, corpus)
    port = free_port()
    log = (tmp / "serve.log").open("wb")
    env = child_env(
        {
            "SSRI_QA_CORPUS__PATH": str(corpus),
            "SSRI_QA_INDEX__PATH": str(tmp / "index"),
            "SSRI_QA_DATA_DIR": str(tmp),
            "SSRI_QA_EMBEDDING__BACKEND": "fake",
            "SSRI_QA_ANSWER__MIN_RELEVANCE": "0.05",
        },
        pythonpath=False,
    )
    # The installed console script, run from outside the checkout: exactly what `make run` starts.
    script = Path(sys.executable).parent / "ssri-qa"
    proc = subprocess.Popen(
        [str(script), "serve", "--port", str(port)], env=env, cwd=tmp, stdout=subprocess.DEVNULL, stderr=log
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_for_app(url, proc, tmp / "serve.log")
        yield {"url": url, "pid": proc.pid, "corpus": corpus, "index": tmp / "index", "data": tmp}
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()


def _text(message: dict) -> str:
    content = message["content"]
    return " ".join(part.get("text", "") for part in content) if isinstance(content, list) else str(content)


def _conversation(url: str, n: int) -> dict:
    from gradio_client import Client

    drug = DRUGS[n % len(DRUGS)]
    client = Client(url, verbose=False)
    q1 = f"What is {drug}? (conversation {n})"
    _, messages, _ = client.predict(q1, [], api_name="/chat")
    _, messages, sources = client.predict("what about its half-life?", messages, api_name="/chat")
    client.close()
    return {"n": n, "drug": drug, "messages": messages, "sources": sources}


def _round(url: str) -> list[dict]:
    with ThreadPoolExecutor(max_workers=SESSIONS) as pool:
        return list(pool.map(lambda n: _conversation(url, n), range(SESSIONS), timeout=300))


def test_fifty_concurrent_conversations_stay_apart_and_memory_is_stable(site) -> None:
    server = psutil.Process(site["pid"])
    _round(site["url"])  # warm-up: first use of every code path
    rss = [server.memory_info().rss]
    results = []
    for _ in range(3):
        results += _round(site["url"])
        rss.append(server.memory_info().rss)
    growth_mb = [round((b - a) / 2**20, 1) for a, b in zip(rss, rss[1:], strict=False)]
    print(
        f"server RSS after warm-up {rss[0] / 2**20:.0f} MB; growth per round of {SESSIONS} conversations: {growth_mb} MB"
    )
    assert len(results) == 3 * SESSIONS
    for r in results:
        users = [_text(m) for m in r["messages"] if m["role"] == "user"]
        assistants = [_text(m) for m in r["messages"] if m["role"] == "assistant"]
        assert users == [
            f"What is {r['drug']}? (conversation {r['n']})",
            "what about its half-life?",
        ]  # no other session's turns
        assert len(assistants) == 2 and all(DISCLAIMER in a for a in assistants)
        assert r["drug"] in r["sources"].lower(), f"the follow-up in conversation {r['n']} lost its own drug"
    # Stable: after warm-up, 150 more conversations add little memory, and no round adds much.
    assert sum(growth_mb) < 60 and growth_mb[-1] < 20, f"server memory grew {growth_mb} MB per round"


def test_no_file_access_to_data_or_corpus(site) -> None:
    targets = [
        site["corpus"] / "references" / "fluoxetine.md",
        site["index"] / "CURRENT",
        Path("/etc/passwd"),
        Path(__file__),
    ]
    for target in targets:
        for prefix in ("gradio_api/file=", "file="):
            try:
                with urllib.request.urlopen(site["url"] + prefix + str(target), timeout=10) as response:
                    body = response.read()
                    assert target.read_bytes()[:40] not in body, f"{target} was served"
            except urllib.error.HTTPError as exc:
                assert exc.code in (403, 404), exc.code


def test_authentication_is_enforced_when_configured(tmp_path: Path, test_corpus: Path) -> None:
    from gradio_client import Client
    from pydantic import SecretStr

    from qa import web
    from qa.chatbot import Chatbot

    settings = make_settings(tmp_path, test_corpus)
    settings.app.port = free_port()
    settings.app.auth_user, settings.app.auth_password = "clinic", SecretStr("s3cret-pass")
    demo = web.launch(settings, block=False, bot=Chatbot(settings))
    url = f"http://127.0.0.1:{settings.app.port}/"
    try:
        with pytest.raises(Exception):  # noqa: B017 - gradio_client raises its own error types for a 401
            Client(url, verbose=False).predict("What is Prozac?", None, api_name="/ask")
        answer = Client(url, auth=("clinic", "s3cret-pass"), verbose=False).predict(
            "What is Prozac?", None, api_name="/ask"
        )
        assert answer["disclaimer"] == DISCLAIMER
        with pytest.raises(urllib.error.HTTPError) as denied:
            urllib.request.urlopen(url + "config", timeout=10)
        assert denied.value.code == 401
    finally:
        demo.close()
