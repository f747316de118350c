"""The web chat through gradio_client and a real headless chromium (issue 5)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from qa import DISCLAIMER
from tests.conftest import ARTIFACTS, free_port

pytestmark = pytest.mark.server  # starts the web app on loopback

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def serve_corpus(tmp: Path, source: Path) -> Iterator[dict]:
    """The web app on a free loopback port over a copy of `source`, indexed with the fake embedder."""
    from qa import web
    from qa.chatbot import Chatbot
    from tests.conftest import make_settings

    corpus = tmp / "corpus"
    shutil.copytree(source, corpus)
    settings = make_settings(tmp, corpus)
    settings.answer.min_relevance = 0.05
    settings.app.port = free_port()
    demo = web.launch(settings, block=False, bot=Chatbot(settings))
    yield {"url": f"http://127.0.0.1:{settings.app.port}/", "settings": settings}
    demo.close()


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    from tests.conftest import TEST_CORPUS

    yield from serve_corpus(tmp_path_factory.mktemp("web"), TEST_CORPUS)


@pytest.fixture(scope="module")
def client(web):
    from gradio_client import Client

    return Client(web["url"], verbose=False)


def test_api_ask_and_follow_up(client) -> None:
    first = client.predict("What is Prozac?", None, api_name="/ask")
    assert first["kind"] == "answer" and first["citations"] and first["disclaimer"] == DISCLAIMER
    history = [{"role": "user", "content": "What is Prozac?"}, {"role": "assistant", "content": first["text"]}]
    follow = client.predict("what about its half-life?", history, api_name="/ask")
    assert "fluoxetine" in follow["standalone_question"].lower()
    assert any(c["source_id"] == "fluoxetine" for c in follow["citations"])


def test_chat_endpoint_streams_and_keeps_sessions_apart(web) -> None:
    from gradio_client import Client

    a, b = Client(web["url"], verbose=False), Client(web["url"], verbose=False)
    job = a.submit("Are SSRIs safe in overdose?", [], [], api_name="/chat")
    outputs = job.outputs()
    final = job.result()
    assert len(outputs) >= 3  # partial messages were streamed before the final one
    messages = final[1]
    assert messages[-1]["role"] == "assistant" and DISCLAIMER in json.dumps(messages[-1])
    other = b.predict("What is sertraline?", [], [], api_name="/chat")
    assert all("overdose" not in json.dumps(m) for m in other[1] if m["role"] == "user")


def test_health_endpoint_reports_the_index_and_its_vectors(web) -> None:
    import urllib.request

    with urllib.request.urlopen(web["url"] + "health", timeout=10) as reply:
        health = json.loads(reply.read())
    current = (web["settings"].index.path / "CURRENT").read_text().strip()
    assert health["status"] == "ok" and health["generation"] in current and health["chunks"] > 0
    assert health["vectors"] == {"backend": "local", "state": "ok"} and health["uptime_s"] >= 0


def test_bind_address_is_loopback(web) -> None:
    assert web["settings"].app.host == "127.0.0.1"


@pytest.mark.browser
def test_browser_chat_citations_disclaimer_and_new_conversation(web) -> None:
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(web["url"])
        expect(page.locator("#disclaimer-banner")).to_contain_text("not medical advice")
        box = page.locator("#question textarea")
        box.fill(
            '<img src=x onerror="window.__xss_q=1"><script>window.__xss_q=2</script> What is the half-life of Prozac?'
        )
        box.press("Enter")
        answer = page.locator("#chat .answer").last
        expect(answer.locator("a.cite").first).to_be_visible(timeout=20000)
        expect(answer.locator(".disclaimer")).to_contain_text("not medical advice")
        # the question's markup is shown as text and never executed
        expect(page.locator("#chat")).to_contain_text("<script>window.__xss_q=2</script>")
        assert page.evaluate("window.__xss_q") is None
        page.screenshot(path=str(ARTIFACTS / "chat-answer.png"), full_page=True)

        answer.locator("a.cite").first.click()
        source = page.locator("#sources-panel details#src-1")
        expect(source).to_have_attribute("open", "")
        mark = source.locator("mark")
        expect(mark).to_be_visible()
        assert len(mark.inner_text()) > 10
        page.screenshot(path=str(ARTIFACTS / "citation-open.png"), full_page=True)

        # a corpus passage with markup is also shown as text
        box.fill("fluoxetine markup blogs paste")
        box.press("Enter")
        expect(page.locator("#chat .answer")).to_have_count(2, timeout=20000)
        page.wait_for_timeout(500)
        assert page.evaluate("window.__xss_corpus") is None

        page.locator("#new-conversation").click()
        expect(page.locator("#chat .answer")).to_have_count(0)
        expect(page.locator("#sources-panel")).to_contain_text("Sources for the latest answer appear here")

        phone = browser.new_page(viewport={"width": 390, "height": 844})
        phone.goto(web["url"])
        expect(phone.locator("#question textarea")).to_be_visible()
        assert phone.evaluate("document.documentElement.scrollWidth") <= 400
        phone.screenshot(path=str(ARTIFACTS / "phone.png"), full_page=True)
        browser.close()


def test_feedback_is_appended_inside_the_data_folder(web, tmp_path: Path) -> None:
    from qa.web import record_feedback

    settings = web["settings"]
    record_feedback(
        settings.app.feedback_path,
        settings.data_dir,
        {"liked": True, "question": "q", "answer": "a", "citations": ["x#1"]},
    )
    line = settings.app.feedback_path.read_text().strip().splitlines()[-1]
    assert json.loads(line)["citations"] == ["x#1"]
    with pytest.raises(ValueError, match="outside the data folder"):
        record_feedback(tmp_path / "elsewhere.jsonl", settings.data_dir, {"liked": False})


def test_the_question_box_is_emptied_once_as_the_question_is_sent(web) -> None:
    # What the user types for the next question while an answer streams must not be wiped when it ends.
    from gradio_client import Client

    job = Client(web["url"], verbose=False).submit("Are SSRIs safe in overdose?", [], [], api_name="/chat")
    job.result()
    outputs = job.outputs()
    assert outputs[0][0] == ""  # emptied as it is sent, the question shown at once
    assert outputs[0][1][-1]["role"] == "user"
    assert all(out[0] != "" for out in outputs[1:]), [out[0] for out in outputs]
