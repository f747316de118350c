"""The questions each article passage answers (corpus/questions.yaml), written by us.

The reference notes carry their questions as section headings; the articles do not ("I started
with only 1.25mg." answers "what dose did he start on" without sharing a word with it). Each entry
names an article, an exact quote from it and the questions a reader asks that the quote answers.
The questions are embedded beside the passages: a patient's question that matches one finds the
passage (retrieval) and the quoted sentence (sentence choice). They are never shown as an answer.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from ingest.claims import Placed
from ingest.datafile import validated


class QuestionsError(ValueError):
    pass


class PassageQuestions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    document: str
    quote: str = Field(min_length=20, description="Verbatim from the document: the words that answer.")
    questions: list[str] = Field(min_length=1, max_length=8)


class PlacedQuestion(Placed):
    """One question as the index keeps it, with the place of the quote that answers it."""

    document: str
    quote: str
    question: str


def load_questions(path: Path) -> list[PassageQuestions]:
    entries = [entry for _, entry in validated(path, "passages", PassageQuestions, QuestionsError)]
    quotes = [(e.document, e.quote) for e in entries]
    dupes = sorted({q for q in quotes if quotes.count(q) > 1})
    if dupes:
        raise QuestionsError(f"{path}: quotes listed twice: {[q for _, q in dupes]}")
    return entries


def check_questions_against_corpus(entries: list[PassageQuestions], texts: dict[str, str], path: Path) -> None:
    """Every quote must be verbatim in its document."""
    for i, e in enumerate(entries):
        if e.document not in texts:
            raise QuestionsError(f"{path}: passages[{i}] field 'document': unknown document '{e.document}'")
        if e.quote not in texts[e.document]:
            raise QuestionsError(f"{path}: passages[{i}] field 'quote': not found verbatim in {e.document}")
