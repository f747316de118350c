"""Suggested next questions: headings of the cited notes that the corpus itself answers.

The curated reference notes are written as questions ("## How long do withdrawal symptoms last?").
After an answer, the sections next to the ones it quotes are natural next questions, and their
wording is the corpus's own. Some headings lean on their note for context ("Who might duloxetine
suit?" asked alone finds nothing), so each candidate is asked once on its own, with no history, and
kept only when that answer quotes the same section: every suggestion is answerable by construction.

Verdicts are kept for as long as the chatbot serves the same index generation (and answerer), so
each heading is checked at most once: ~11 ms per check with the bundled model on two cores, 195
headings in the shipped corpus, so ~2.2 s in all if every one is ever needed. At most
`new_checks` checks run for one answer; an answer whose candidates are not yet checked therefore
costs at most ~6 × 11 ms once, and nothing after that.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Sequence

from qa.index import LoadedIndex
from qa.types import Answer

log = logging.getLogger("ssri_qa")

SUGGESTIONS = 3  # shown under an answer (two or three, when the notes have that many answerable ones)
NEW_CHECKS = 6  # unchecked headings asked for one answer at most


class Suggester:
    """Picks up to `limit` headings near the cited sections, each verified by `ask_alone` (which must
    answer a question with no history and without suggestions of its own)."""

    def __init__(
        self, ask_alone: Callable[[str], Answer], *, limit: int = SUGGESTIONS, new_checks: int = NEW_CHECKS
    ) -> None:
        self._ask_alone = ask_alone
        self.limit = limit
        self.new_checks = new_checks
        self._lock = threading.Lock()
        self._owner: object = None  # what the verdicts below were made with
        self._headings: dict[str, tuple[str, ...]] = {}
        self._verdicts: dict[tuple[str, str], bool] = {}

    def suggest(self, owner: object, index: LoadedIndex, answer: Answer, asked: Sequence[str]) -> tuple[str, ...]:
        """Headings to suggest after `answer`. `owner` is whatever answering used (index generation and
        answerer); a different one drops the cached verdicts. `asked` are the questions already asked,
        which are never suggested again. Never raises: a failure means no suggestions."""
        if answer.kind != "answer" or not answer.citations or self.limit <= 0:
            return ()
        try:
            headings, verdicts = self._for(owner, index)
            return self._pick(answer, asked, headings, verdicts)
        except Exception:  # suggestions are an extra; the answer itself must never fail because of them
            log.exception("could not suggest next questions")
            return ()

    def verified(self) -> dict[tuple[str, str], bool]:
        """The verdicts so far: (note, heading) → answerable when asked alone (for tests and measurement)."""
        with self._lock:
            return dict(self._verdicts)

    def _for(self, owner: object, index: LoadedIndex) -> tuple[dict[str, tuple[str, ...]], dict[tuple[str, str], bool]]:
        with self._lock:
            if owner is not self._owner:
                self._owner = owner  # holding it keeps its id from being reused by a later bundle
                self._headings = question_headings(index)
                self._verdicts = {}
            return self._headings, self._verdicts

    def _pick(
        self,
        answer: Answer,
        asked: Sequence[str],
        headings: dict[str, tuple[str, ...]],
        verdicts: dict[tuple[str, str], bool],
    ) -> tuple[str, ...]:
        cited: dict[str, set[str]] = {}
        for c in answer.citations:
            if c.source_kind == "reference" and c.source_id in headings:
                cited.setdefault(c.source_id, set()).add(c.section)
        seen = {question_key(q) for q in asked if q}
        seen |= {question_key(section) for sections in cited.values() for section in sections}
        picked: list[str] = []
        checks = 0
        for note, heading in interleave([(note, nearby(headings[note], sections)) for note, sections in cited.items()]):
            if question_key(heading) in seen:
                continue
            verdict = verdicts.get((note, heading))
            if verdict is None:
                if checks >= self.new_checks:
                    continue  # a later candidate may already be checked
                checks += 1
                verdict = self._check(note, heading)
                with self._lock:
                    verdicts[(note, heading)] = verdict
            if verdict:
                picked.append(heading)
                seen.add(question_key(heading))
                if len(picked) == self.limit:
                    break
        return tuple(picked)

    def _check(self, note: str, heading: str) -> bool:
        try:
            alone = self._ask_alone(heading)
        except Exception:
            log.exception("checking the suggestion %r failed", heading)
            return False
        return answers_heading(alone, note, heading)


def answers_heading(answer: Answer, note: str, heading: str) -> bool:
    """True when `answer` is a real answer that quotes the section `heading` of `note`."""
    return answer.kind == "answer" and any(c.source_id == note and c.section == heading for c in answer.citations)


def question_headings(index: LoadedIndex) -> dict[str, tuple[str, ...]]:
    """Each reference note's headings that are questions, in file order."""
    out: dict[str, list[str]] = {}
    for chunk in sorted(index.chunks, key=lambda c: (c.source_id, c.start)):
        if chunk.source_kind != "reference" or not chunk.section.rstrip().endswith("?"):
            continue
        sections = out.setdefault(chunk.source_id, [])
        if chunk.section not in sections:
            sections.append(chunk.section)
    return {note: tuple(sections) for note, sections in out.items()}


def nearby(headings: Sequence[str], cited: set[str]) -> list[str]:
    """The note's other headings, nearest to a cited one first; at equal distance the one after it
    (the note's next question) comes before the one before it."""
    at = [i for i, h in enumerate(headings) if h in cited]
    if not at:
        return list(headings)

    def distance(i: int) -> tuple[int, int, int]:
        gap = min(abs(i - j) for j in at)
        after = any(i - j == gap for j in at)
        return gap, 0 if after else 1, i

    return [headings[i] for i in sorted((i for i in range(len(headings)) if i not in at), key=distance)]


def interleave(groups: Sequence[tuple[str, list[str]]]) -> list[tuple[str, str]]:
    """One candidate from each cited note in turn (in citation order), so the suggestions span the notes."""
    out: list[tuple[str, str]] = []
    longest = max((len(items) for _, items in groups), default=0)
    for i in range(longest):
        out.extend((note, items[i]) for note, items in groups if i < len(items))
    return out


def question_key(text: str) -> str:
    """What makes two questions the same one: their words, whatever the case and punctuation."""
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))
