"""A light load client for the web app's `/ask` API: many conversations at once from one process.

It speaks Gradio's plain HTTP API (gradio/routes.py, `simple_predict_post` and `simple_predict_get`):
POST `{root}/gradio_api/call/ask` with `{"data": [question, history]}` answers `{"event_id": ...}`;
GET `{root}/gradio_api/call/ask/{event_id}` streams server-sent events and ends with `event: complete`
(`data: [answer]`) or `event: error`. One httpx AsyncClient carries every session, each an asyncio task,
so a request costs the client a few ms of CPU where gradio_client (a thread, a queue and a heartbeat
per client) spent ~95 ms on two cores and became the bottleneck.

Each session holds a conversation about its own drug: a first question that names it, then follow-ups
that only say "it", sent with the history. A reply about another session's drug is cross-talk.
Used by `ssri-qa bench` (unthrottled) and the soak test in `make reliability` (at a set rate).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import secrets
import time
from dataclasses import asdict, dataclass, field
from typing import Any

import httpx

from eval.runner import _pct

# Reference notes that answer "what is it", its half-life and pregnancy; every name is a whole word
# (citalopram is not found inside escitalopram).
DRUGS = (
    "sertraline",
    "fluoxetine",
    "paroxetine",
    "citalopram",
    "escitalopram",
    "fluvoxamine",
    "venlafaxine",
    "duloxetine",
    "vilazodone",
    "vortioxetine",
)
FOLLOW_UPS = ("what about its half-life?", "is it ok in pregnancy?")
_DRUG_WORD = re.compile(r"\b(" + "|".join(DRUGS) + r")\b", re.IGNORECASE)
_EXAMPLES = 5  # error and cross-talk messages kept for the report


class ApiError(Exception):
    """The app answered the call with an error, or with something that is not an answer."""


@dataclass(frozen=True)
class LoadResult:
    """One load run. Latencies run from the POST to the `complete` event, in ms."""

    sessions: int
    seconds: float  # wall time from the first request to the last reply
    requests: int  # answered, whether or not they showed cross-talk
    errors: int
    cross_talk: int
    requests_per_s: float
    p50_ms: float
    p95_ms: float
    client_cpu_s: float  # this process's CPU time (user + system, all threads) during the run
    target_requests_per_s: float | None = None  # None: each session sends as soon as it has its reply
    anonymous: bool = False  # True: no session hash sent
    error_examples: tuple[str, ...] = ()
    cross_talk_examples: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["error_examples"] = list(self.error_examples)
        data["cross_talk_examples"] = list(self.cross_talk_examples)
        return data


@dataclass
class _Tally:
    latencies_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    cross_talk: list[str] = field(default_factory=list)


class Pacer:
    """A fixed schedule of request starts shared by every session: slot k opens at start + k / rate.
    A slot missed because every session was busy is not made up later with a burst, so the achieved
    rate reports what the server managed."""

    def __init__(self, requests_per_s: float) -> None:
        self.interval = 1.0 / requests_per_s
        self._next = time.monotonic()

    async def wait(self, until: float) -> bool:
        """Sleep until this caller's slot; False, at once, when the slot falls after `until`."""
        now = time.monotonic()
        slot = max(self._next, now)
        if slot >= until:
            return False
        self._next = slot + self.interval
        await asyncio.sleep(slot - now)
        return True


async def ask(
    client: httpx.AsyncClient, root: str, question: str, history: list[dict[str, str]], session_hash: str | None = None
) -> dict[str, Any]:
    """One `/ask` call through Gradio's queue: the answer's JSON, or ApiError / httpx.HTTPError."""
    body: dict[str, Any] = {"data": [question, history]}
    if session_hash:
        body["session_hash"] = session_hash
    posted = await client.post(f"{root}/gradio_api/call/ask", json=body)
    posted.raise_for_status()
    event_id = posted.json()["event_id"]
    event = ""
    async with client.stream("GET", f"{root}/gradio_api/call/ask/{event_id}") as stream:
        stream.raise_for_status()
        async for line in stream.aiter_lines():
            if line.startswith("event:"):
                event = line[len("event:") :].strip()
            elif line.startswith("data:") and event in ("complete", "error"):
                data = json.loads(line[len("data:") :])
                if event == "error":
                    raise ApiError(f"error event: {str(data)[:150]}")
                if not (isinstance(data, list) and data and isinstance(data[0], dict) and data[0].get("disclaimer")):
                    raise ApiError(f"not an answer: {str(data)[:150]}")
                return data[0]
    raise ApiError(f"the event stream ended without a result (last event {event!r})")


def cross_talk(drug: str, question: str, reply: dict[str, Any]) -> str | None:
    """Why `reply` cannot be this session's answer to `question`, or None. The standalone question
    is the one the app answered: it starts with what was asked, and a follow-up's names the drug
    the conversation is about ("what about its half-life (sertraline)?")."""
    standalone = str(reply.get("standalone_question", ""))
    named = {m.lower() for m in _DRUG_WORD.findall(standalone)}
    if not standalone.lower().startswith(question.rstrip("?").lower()) or named != {drug}:
        return f"{drug} session asked {question!r}, the reply answered {standalone!r}"
    return None


@dataclass
class _Run:
    """What every session of one run shares."""

    client: httpx.AsyncClient
    root: str
    until: float  # time.monotonic() after which no session starts a request
    pacer: Pacer | None
    timeout_s: float
    tally: _Tally = field(default_factory=_Tally)


async def _session(run: _Run, drug: str, session_hash: str | None) -> None:
    """Conversations about `drug`, one after another, until the deadline: a first question, then the
    follow-ups with the history so far. An error ends the conversation; the next starts afresh."""
    while time.monotonic() < run.until:
        history: list[dict[str, str]] = []
        for question in (f"What is {drug}?", *FOLLOW_UPS):
            if time.monotonic() >= run.until or (run.pacer is not None and not await run.pacer.wait(run.until)):
                return
            started = time.perf_counter()
            try:
                async with asyncio.timeout(run.timeout_s):
                    reply = await ask(run.client, run.root, question, history, session_hash)
            except (ApiError, httpx.HTTPError, TimeoutError, ValueError, KeyError) as exc:
                run.tally.errors.append(f"{type(exc).__name__}: {exc}"[:200])
                break
            run.tally.latencies_ms.append((time.perf_counter() - started) * 1000)
            problem = cross_talk(drug, question, reply)
            if problem:
                run.tally.cross_talk.append(problem)
            history += [{"role": "user", "content": question}, {"role": "assistant", "content": reply["text"]}]


async def _run(
    root: str,
    sessions: int,
    seconds: float,
    rate: float | None,
    timeout_s: float,
    anonymous: bool,
    transport: httpx.AsyncBaseTransport | None,
) -> LoadResult:
    # A session holds one connection at a time (its POST, then its event stream), kept alive between calls.
    limits = httpx.Limits(max_connections=sessions, max_keepalive_connections=sessions)
    async with httpx.AsyncClient(limits=limits, timeout=timeout_s, trust_env=False, transport=transport) as client:
        cpu0, wall0 = time.process_time(), time.perf_counter()
        run = _Run(client, root, time.monotonic() + seconds, Pacer(rate) if rate else None, timeout_s)
        # A session hash per session, as a browser tab or a gradio_client Client sends: Gradio keeps one
        # state per hash. Without one, each call becomes a session of its own (see `run_load`).
        hashes = [None if anonymous else secrets.token_hex(8) for _ in range(sessions)]
        await asyncio.gather(*(_session(run, DRUGS[n % len(DRUGS)], hashes[n]) for n in range(sessions)))
        wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    tally = run.tally
    answered = len(tally.latencies_ms)
    return LoadResult(
        sessions=sessions,
        seconds=round(wall, 2),
        requests=answered,
        errors=len(tally.errors),
        cross_talk=len(tally.cross_talk),
        requests_per_s=round(answered / wall, 2),
        p50_ms=_pct(tally.latencies_ms, 0.5),
        p95_ms=_pct(tally.latencies_ms, 0.95),
        client_cpu_s=round(cpu, 2),
        target_requests_per_s=rate,
        anonymous=anonymous,
        error_examples=tuple(tally.errors[:_EXAMPLES]),
        cross_talk_examples=tuple(tally.cross_talk[:_EXAMPLES]),
    )


def run_load(
    root: str,
    sessions: int,
    seconds: float,
    rate: float | None = None,
    *,
    timeout_s: float = 60.0,
    anonymous: bool = False,
    transport: httpx.AsyncBaseTransport | None = None,
) -> LoadResult:
    """`sessions` concurrent conversations against the app at `root` for `seconds`, at `rate`
    requests/s in total (None: unthrottled). `anonymous` sends no session hash, like a plain curl call:
    Gradio 6 then keeps a session state for every call, up to 10,000 of them (~30 KB each by
    tracemalloc). `transport` replaces the network (tests pass an httpx.MockTransport)."""
    return asyncio.run(_run(root.rstrip("/"), sessions, seconds, rate, timeout_s, anonymous, transport))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m eval.webload", description="Load the web app's /ask API.")
    parser.add_argument("url", help="the app's root, e.g. http://127.0.0.1:7860")
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--rate", type=float, default=None, help="requests/s in total (default: unthrottled)")
    parser.add_argument("--anonymous", action="store_true", help="send no session hash")
    args = parser.parse_args(argv)
    result = run_load(args.url, args.sessions, args.seconds, args.rate, anonymous=args.anonymous)
    print(json.dumps(result.to_json()))


if __name__ == "__main__":
    main()
