"""A summary of one conversation to take to an appointment: each question with its answer, quotes
and sources, the date, the disclaimer, and a short list of questions to ask the prescriber.

Everything in it comes from the session itself (the questions asked and the Answers given, whose
sentences are corpus text) or from the fixed texts in qa/messages.py; nothing is generated. The
prescriber questions are fixed templates, one per topic the conversation touched. Rendering to
Markdown and to a print-ready HTML page is in qa/summary_render.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from qa.messages import DISCLAIMER, PRESCRIBER_QUESTIONS
from qa.types import Answer


@dataclass(frozen=True)
class Turn:
    """One question as the user asked it, and the answer it got."""

    question: str
    answer: Answer


@dataclass(frozen=True)
class Summary:
    turns: tuple[Turn, ...]
    saved_at: datetime
    prescriber_questions: tuple[str, ...]  # from PRESCRIBER_QUESTIONS, for the topics that came up
    disclaimer: str = DISCLAIMER


# The words that mark a topic in a question, a cited section's heading or a cited note's name
# ("discontinuation-and-tapering" reads as "discontinuation and tapering"). Keys match PRESCRIBER_QUESTIONS.
TOPIC_WORDS: dict[str, str] = {
    "dose": r"doses?|dosages?|dosing|mg|milligrams?|how much (?:should|can|do|to)",
    "stopping": r"stop|stops|stopping|stopped|quit|quitting|come off|coming off|tapers?|tapered|tapering|withdrawal"
    r"|discontinu\w*|cold turkey",
    "switching": r"switch|switches|switching|switched|cross[- ]?taper\w*|wash[- ]?out",
    "pregnancy": r"pregnan\w*|breast[- ]?feed\w*|breastfed|nursing|conceiv\w*|trimester|newborns?|bab(?:y|ies)",
    "interactions": r"interact\w*|combin\w*|mix|mixing|together with|alongside|maois?|st\.? john'?s wort|triptans?"
    r"|nsaids?|ibuprofen|naproxen|aspirin|warfarin|blood thinners?|anticoagulants?|tramadol|lithium",
}
_TOPICS = {topic: re.compile(rf"\b(?:{words})\b", re.I) for topic, words in TOPIC_WORDS.items()}


def summarise(turns: Iterable[Turn], saved_at: datetime | None = None) -> Summary:
    """The summary of `turns` in the order they were asked; `saved_at` defaults to now (local time)."""
    kept = tuple(turns)
    return Summary(kept, saved_at or datetime.now().astimezone(), prescriber_questions(kept))


def topics(turns: Iterable[Turn]) -> list[str]:
    """The prescriber topics the answered turns touched, in the order of PRESCRIBER_QUESTIONS. Crisis,
    declined and failed turns are left out: "I want to stop living" is not a question about stopping a
    medicine, and a declined question had no sources to go on."""
    texts: list[str] = []
    for turn in turns:
        if turn.answer.kind != "answer":
            continue
        texts += [turn.question, turn.answer.standalone_question]
        for c in turn.answer.citations:
            texts += [c.section, c.source_id.replace("-", " ")]
    joined = "\n".join(t for t in texts if t)
    return [topic for topic in PRESCRIBER_QUESTIONS if _TOPICS[topic].search(joined)]


def prescriber_questions(turns: Iterable[Turn]) -> tuple[str, ...]:
    return tuple(PRESCRIBER_QUESTIONS[topic] for topic in topics(turns))


def history_of(turns: Iterable[Turn]) -> list[dict[str, str]]:
    """The chat history the chatbot reads for a follow-up: each question and its answer's text."""
    return [
        message
        for turn in turns
        for message in ({"role": "user", "content": turn.question}, {"role": "assistant", "content": turn.answer.text})
    ]
