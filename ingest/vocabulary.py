"""The lay vocabulary (corpus/vocabulary.yaml): how patients say things → how the sources say them.

A question is expanded with the source terms of every patient phrase it contains, so
"when does zoloft kick in" also searches for "time to effect, onset, weeks", and the
people a question is about ("my dad is 70", "my teenage son") are recognised as populations.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ingest.datafile import validated
from ingest.text import base_forms, stemmer

Population = Literal["older", "young", "pregnant", "breastfeeding"]
# "my dad is 70", "a 15 year old", "15yo", "aged 82": an age turns into a population.
_AGE = re.compile(
    r"\b(?:is|aged|age|turned|turning|of|shes|hes|she's|he's|she’s|he’s|im|i'm|i’m|am)\s+(\d{1,3})\b(?!\s*(?:mg|milligrams?|ml|mcg|%|percent|times|days|weeks|months|hours))|\b(\d{1,3})\s*(?:-\s*)?(?:(?:years?|yrs?)[\s-]*old|yo|y/o)\b"
)
OLDER_FROM, YOUNG_UNDER = 60, 18
_JOINING_HYPHEN = re.compile(r"(?<=[a-z0-9])-(?=[a-z0-9])")
# Words patients put inside a phrase without changing it: "cant even cry" is "cant cry".
_FILLER = r"(?:even|really|just|literally|actually|totally|properly|ever|still|way|far|pretty|super)"
_FILLERS = re.compile(rf"(?<= ){_FILLER} ")
# A phrase's words as the inflection-tolerant pass sees them: split at spaces, edge punctuation dropped.
_TOKEN = re.compile(r"[^\s.,;:!?()\"]+(?:[.,][^\s.,;:!?()\"]+)*")
_WHOSE = frozenset({"my", "your", "his", "her", "their", "our"})
_PEOPLE = ("older", "young")  # populations that are who a question is about, never what
AGE_WORDING = {"older": "older adults", "young": "children and young people"}


class VocabularyError(ValueError):
    pass


class Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    say: list[str] = Field(min_length=1, description="Phrases patients use (matched as whole words, case-insensitive).")
    means: str = Field("", description="Source wording added to the question for retrieval and sentence choice.")
    population: Population | None = Field(None, description="The group of people the phrase is about, if any.")
    frame: bool = Field(
        False, description="The phrase says what kind of thing is asked ('a side effect?'), not what it is about."
    )
    outside: bool = Field(
        False,
        description="A topic the sources do not cover (corpus/README.md) though its words appear in them in another "
        "sense ('give blood', 'insurance'): a question asking about it is declined, or told that part is not covered.",
    )


@dataclass(frozen=True)
class Expansion:
    terms: str  # source wording to add to the query
    populations: frozenset[str]
    phrases: tuple[str, ...]  # the patient phrases found
    subjects: tuple[str, ...] = ()  # those that say what is asked about, not only who ("my nan")
    conditions: tuple[str, ...] = ()  # subjects that are also a state the patient is in ("while nursing")
    outside: tuple[str, ...] = ()  # phrases naming a topic the sources do not cover ("give blood")
    ages: tuple[int, ...] = ()  # ages the question states ("my son is 22")
    named: tuple[tuple[str, str], ...] = ()  # (phrase, the sources' one word for it): ("water tablets", "diuretics")


class Vocabulary:
    def __init__(self, entries: list[Entry]) -> None:
        self.entries = entries
        patterns = []
        self._entry_of: dict[str, Entry] = {}
        for entry in entries:
            for phrase in entry.say:
                key = _norm(phrase)
                self._entry_of[key] = entry
                patterns.append(re.escape(key))
        patterns.sort(key=len, reverse=True)
        # Plain phrases, matched once as written and once with the filler words taken out of the text (a
        # pattern allowing a filler between any two words takes ten times longer to compile at start-up).
        self._pattern = re.compile(r"\b(?:" + "|".join(patterns) + r")\b") if patterns else None
        # The same phrases by their words' stems, so an inflection patients use finds the entry too ("the room
        # spins" for "room spinning", "knocked me out" for "knock me out"). A stem sequence two entries share
        # says nothing certain and is left out; so are one-word phrases. Whose it is counts for nothing: "stay in
        # her body" is "stay in your body".
        stemmed: dict[str, Entry | None] = {}
        self._written_as: dict[str, list[set[str]]] = {}  # each stem sequence's words as the phrases write them
        for entry in entries:
            for phrase in entry.say:
                key = _stems(_norm(phrase))
                if " " not in key:
                    continue  # one word's inflections can differ in sense: "stopping" (the treatment) is not "stop"
                stemmed[key] = entry if stemmed.get(key, entry) is entry else None
                written = self._written_as.setdefault(key, [set() for _ in key.split(" ")])
                for at, word in enumerate(_TOKEN.findall(_norm(phrase))):
                    written[at].add(word)
        self._by_stems = {key: entry for key, entry in stemmed.items() if entry is not None and key}
        keys = sorted((re.escape(k) for k in self._by_stems), key=len, reverse=True)
        self._stem_pattern = re.compile(r"(?:^| )(" + "|".join(keys) + r")(?= |$)") if keys else None

    def expand(self, text: str) -> Expansion:
        norm = _norm(text)
        terms: list[str] = []
        populations: set[str] = set()
        phrases: list[str] = []
        subjects: list[str] = []
        conditions: list[str] = []
        outside: list[str] = []
        named: list[tuple[str, str]] = []
        ages = [a for m in _AGE.finditer(norm) if 0 < (a := int(m.group(1) or m.group(2))) <= 120]
        if self._pattern is not None:
            written = list(self._pattern.finditer(norm))
            found_as_written = [m.group(0) for m in written]
            seen = set(found_as_written)
            # "cant even cry" → "cant cry"; a filler inside a phrase found as written stays ("cant sit still")
            kept = [(m.start() + 1, m.end() + 1) for m in written]
            unfilled = _FILLERS.sub(
                lambda f: f.group(0) if any(a <= f.start() < b for a, b in kept) else "", f" {norm} "
            ).strip()
            with_fillers = [] if unfilled == norm else [m.group(0) for m in self._pattern.finditer(unfilled)]
            seen |= set(with_fillers)
            inflected = [f for f in self._inflected(norm, [(m.start(), m.end()) for m in written]) if f[0] not in seen]
            inflected_entry = dict(inflected)
            found_all = [*found_as_written, *(f for f in with_fillers if f not in found_as_written)]
            for found in [*found_all, *(f for f, _ in inflected)]:
                entry = inflected_entry.get(found) or self._entry_of.get(found)
                if entry is None:
                    continue
                phrases.append(found)
                if entry.outside:
                    outside.append(found)
                    continue
                if entry.population in _PEOPLE and ages and found.startswith("my "):
                    continue  # "my son is 22": his age says which group he is in, not "son"
                if entry.population not in _PEOPLE and not entry.frame:
                    subjects.append(found)
                    if entry.population:
                        conditions.append(found)
                if entry.means and entry.means not in terms:
                    terms.append(entry.means)
                if entry.means and " " not in entry.means and not entry.population and not entry.frame:
                    named.append((found, entry.means))
                if entry.population:
                    populations.add(entry.population)
        for age in ages:
            group = "older" if age >= OLDER_FROM else "young" if age < YOUNG_UNDER else None
            if group is not None:
                populations.add(group)
                if AGE_WORDING[group] not in terms:
                    terms.append(AGE_WORDING[group])  # searched for as the sources say it
        return Expansion(
            " ".join(terms),
            frozenset(populations),
            tuple(phrases),
            tuple(subjects),
            tuple(conditions),
            tuple(outside),
            tuple(dict.fromkeys(ages)),
            tuple(named),
        )

    def _inflected(self, norm: str, taken: list[tuple[int, int]]) -> list[tuple[str, Entry]]:
        """Phrases found by their stems in text no written phrase took: (the text's own words, the entry)."""
        if self._stem_pattern is None:
            return []
        tokens = [(m.start(), m.end()) for m in _TOKEN.finditer(norm)]
        stems = _stem_words([norm[a:b] for a, b in tokens])
        starts, line = [], ""
        for s in stems:
            starts.append(len(line) + (1 if line else 0))
            line = f"{line} {s}" if line else s
        found = []
        for m in self._stem_pattern.finditer(line):
            first = starts.index(m.start(1))
            last = first + m.group(1).count(" ")
            a, b = tokens[first][0], tokens[last][1]
            said = [norm[x:y] for x, y in tokens[first : last + 1]]
            written = self._written_as[m.group(1)]
            if (
                any(a < end and start < b for start, end in taken)
                or _number_differs(said, written)
                or not _inflections_of(said, written)
            ):
                continue
            found.append((norm[a:b], self._by_stems[m.group(1)]))
        return found


def _inflections_of(said: list[str], written: list[set[str]]) -> bool:
    """Each word the text says is a form of the phrase's word ("spins" of "spinning"): the stemmer also joins
    words of other kinds ("dependent" and "dependence"), which say something else."""
    return all(
        word in forms
        or (word in _WHOSE and forms & _WHOSE)
        or any({word, *base_forms(word)} & {f, *base_forms(f)} for f in forms)
        for word, forms in zip(said, written, strict=True)
    )


def _number_differs(said: list[str], written: list[set[str]]) -> bool:
    """A noun's plural where the phrase has the singular, or the other way round: "weeks on" is not "week on"
    (the first week), nor "for migraine" the "for migraines" of a patient's own headaches."""
    return any(
        word not in forms and any(word in (f"{f}s", f"{f}es") or f in (f"{word}s", f"{word}es") for f in forms)
        for word, forms in zip(said, written, strict=True)
    )


def _stems(text: str) -> str:
    return " ".join(_stem_words(_TOKEN.findall(text)))


def _stem_words(words: list[str]) -> list[str]:
    """Each word's stem; whose it is does not change a phrase ("stay in her body" is "stay in your body")."""
    return ["~" if w in _WHOSE else s for w, s in zip(words, stemmer().stemWords(words), strict=True)]


def _norm(text: str) -> str:
    """Lower case, one kind of apostrophe, and a hyphen between two words a space ("too-much-serotonin")."""
    text = _JOINING_HYPHEN.sub(" ", text.lower().replace("’", "'").replace("‘", "'"))
    return re.sub(r"\s+", " ", text).strip()


def load_vocabulary(path: Path) -> Vocabulary:
    return Vocabulary(read_entries(path))


def read_entries(path: Path) -> list[Entry]:
    """The file's entries; a phrase may belong to one entry only (else the later one would silently win)."""
    entries: list[Entry] = []
    first_at: dict[str, int] = {}
    for i, entry in validated(path, "entries", Entry, VocabularyError):
        for phrase in entry.say:
            at = first_at.setdefault(_norm(phrase), i)
            if at != i:
                raise VocabularyError(f"{path}: entries[{i}] field 'say': {phrase!r} is already in entries[{at}]")
        entries.append(entry)
    return entries
