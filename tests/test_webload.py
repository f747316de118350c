"""The load client (eval/webload.py) against a fake of Gradio's plain HTTP API: no sockets, no app.

The fake answers like the app: a first question is its own standalone question, and a follow-up's
names the drug of the conversation's first question ("what about its half-life (sertraline)?")."""

from __future__ import annotations

import asyncio
import json
import time
from collections import defaultdict
from itertools import count

import httpx
import pytest

from eval.webload import DRUGS, Pacer, cross_talk, run_load

ROOT = "http://app.test"


class FakeGradio:
    """POST /gradio_api/call/ask → event id; GET /gradio_api/call/ask/<id> → an SSE stream."""

    def __init__(self, *, swap: bool = False, fail_every: int = 0) -> None:
        self.swap = swap  # answer follow-ups about the next drug in DRUGS: cross-talk
        self.fail_every = fail_every  # every n-th call ends with `event: error`
        self.pending: dict[str, tuple[str, list[dict[str, str]]]] = {}
        self.hashes: dict[str | None, int] = defaultdict(int)
        self._ids = count()

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(0.001)  # a reply takes time, so the sessions take turns as they do on a socket
        if request.method == "POST" and request.url.path == "/gradio_api/call/ask":
            body = json.loads(request.content)
            self.hashes[body.get("session_hash")] += 1
            event_id = f"e{next(self._ids)}"
            self.pending[event_id] = (body["data"][0], body["data"][1])
            return httpx.Response(200, json={"event_id": event_id})
        event_id = request.url.path.rsplit("/", 1)[-1]
        question, history = self.pending.pop(event_id)
        if self.fail_every and int(event_id[1:]) % self.fail_every == self.fail_every - 1:
            return httpx.Response(200, text='event: error\ndata: "boom"\n\n')
        standalone = question
        if history:
            drug = next(d for d in DRUGS if d in history[0]["content"])
            if self.swap:
                drug = DRUGS[(DRUGS.index(drug) + 1) % len(DRUGS)]
            standalone = f"{question.rstrip('?')} ({drug})?"
        answer = {"kind": "answer", "text": f"About {standalone}", "disclaimer": "d", "standalone_question": standalone}
        sse = f"event: heartbeat\ndata: null\n\nevent: complete\ndata: {json.dumps([answer])}\n\n"
        return httpx.Response(200, text=sse, headers={"content-type": "text/event-stream"})


def _load(fake: FakeGradio, **kw: object):
    defaults: dict[str, object] = {"sessions": 4, "seconds": 0.3}
    return run_load(ROOT, transport=httpx.MockTransport(fake), **(defaults | kw))  # type: ignore[arg-type]


def test_conversations_complete_without_errors_or_cross_talk() -> None:
    fake = FakeGradio()
    result = _load(fake)
    assert result.requests > 12 and result.errors == 0 and result.cross_talk == 0
    assert result.p95_ms >= result.p50_ms > 0 and result.requests_per_s > 0 and result.client_cpu_s >= 0
    # One session hash per session, kept for every call it makes, as a browser tab does.
    assert len(fake.hashes) == 4 and None not in fake.hashes


def test_anonymous_calls_send_no_session_hash() -> None:
    fake = FakeGradio()
    result = _load(fake, anonymous=True)
    assert result.anonymous and list(fake.hashes) == [None]


def test_a_reply_about_another_sessions_drug_is_cross_talk() -> None:
    result = _load(FakeGradio(swap=True))
    assert result.cross_talk > 0 and result.errors == 0
    assert "session asked 'what about its half-life?'" in result.cross_talk_examples[0]


def test_an_error_event_is_counted_and_the_conversation_starts_again() -> None:
    result = _load(FakeGradio(fail_every=3))
    assert result.errors > 0 and result.cross_talk == 0
    assert result.error_examples[0].startswith("ApiError: error event")


def test_a_refused_connection_is_an_error_not_a_crash() -> None:
    async def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    result = run_load(ROOT, 2, 0.1, transport=httpx.MockTransport(refuse))
    assert result.requests == 0 and result.errors >= 2


def test_the_rate_holds_to_its_schedule() -> None:
    result = _load(FakeGradio(), sessions=10, seconds=1.0, rate=20.0)
    assert 15 <= result.requests <= 21, result  # slots at 0, 50, ..., 950 ms: 20 of them
    assert result.target_requests_per_s == 20.0


@pytest.mark.parametrize(
    ("drug", "question", "standalone", "clean"),
    [
        ("sertraline", "What is sertraline?", "What is sertraline?", True),
        ("sertraline", "what about its half-life?", "what about its half-life (sertraline)?", True),
        ("citalopram", "what about its half-life?", "what about its half-life (escitalopram)?", False),
        ("escitalopram", "is it ok in pregnancy?", "is it ok in pregnancy (escitalopram)?", True),
        ("sertraline", "is it ok in pregnancy?", "what about its half-life (sertraline)?", False),
        ("sertraline", "what about its half-life?", "what about its half-life?", False),
        ("sertraline", "what about its half-life?", "what about its half-life (sertraline, fluoxetine)?", False),
    ],
)
def test_cross_talk_check(drug: str, question: str, standalone: str, clean: bool) -> None:
    assert (cross_talk(drug, question, {"standalone_question": standalone}) is None) is clean


def test_pacer_gives_evenly_spaced_slots_and_none_past_the_deadline() -> None:
    async def slots() -> list[bool]:
        pacer = Pacer(100.0)
        until = time.monotonic() + 0.05
        return [await pacer.wait(until) for _ in range(10)]

    granted = asyncio.run(slots())
    assert 4 <= granted.count(True) <= 6 and granted[-1] is False
