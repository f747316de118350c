"""The drug lexicon (corpus/drugs.yaml): brand names and misspellings → generic names."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import jellyfish
from pydantic import BaseModel, ConfigDict, Field
from rapidfuzz import fuzz, process
from wordfreq import zipf_frequency

from ingest.datafile import validated

_WORD = re.compile(r"[A-Za-z][A-Za-z-]*")
# Fuzzy matches must be this close (0-100) and the word at least this long, so "paxil"
# is not confused with ordinary words; explicit misspellings in the YAML need no fuzz.
FUZZY_SCORE = 86
FUZZY_MIN_LEN = 6
SPLIT_PIECE = 6  # letters; a name split in two by speech-to-text has short pieces ("sim balta")
# A name written as it sounds ("simbalta", "vibried"): the same Metaphone code as a name the lexicon knows, at
# least this long, and this close in letters
SOUND_MIN_CODE = 4
SOUND_SCORE = 60
# A word this common in English (Zipf frequency) is itself, not a misspelt name: "warfare" is not warfarin,
# "immigrant" not Imigran, "dolphin" not Dolophine
NAME_MAX_ZIPF = 2.0
MISSPELT_CACHE = 8192  # words whose reading as a misspelt name is remembered


class LexiconError(ValueError):
    pass


class Brands(BaseModel):
    model_config = ConfigDict(extra="forbid")
    us: list[str] = []
    uk: list[str] = []
    eu: list[str] = []


class DrugEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    generic: str = Field(min_length=3, pattern=r"^[a-z][a-z -]+$")
    drug_class: str = Field(alias="class", min_length=2)
    reference: str | None
    brands: Brands = Brands()
    misspellings: list[str] = []
    # How patients name the medicine without its name ("cough syrup"), where the sources name only this one.
    lay_names: list[str] = []

    def brand_names(self) -> list[str]:
        return sorted({*self.brands.us, *self.brands.uk, *self.brands.eu})


@dataclass(frozen=True)
class Mention:
    generic: str
    surface: str  # the words as the user wrote them
    start: int
    end: int


class Lexicon:
    def __init__(self, entries: list[DrugEntry]) -> None:
        self.entries = {e.generic: e for e in entries}
        self.alias_to_generic: dict[str, str] = {}
        for e in entries:
            for alias in [e.generic, *e.brand_names(), *e.misspellings, *e.lay_names]:
                self.alias_to_generic[alias.lower()] = e.generic
        self._single = {a: g for a, g in self.alias_to_generic.items() if " " not in a}
        self._multi = sorted((a for a in self.alias_to_generic if " " in a), key=len, reverse=True)
        self._fuzzy_pool = [a for a in self._single if len(a) >= FUZZY_MIN_LEN - 1]
        self._by_sound: dict[str, list[str]] = {}
        for alias in self._fuzzy_pool:
            self._by_sound.setdefault(jellyfish.metaphone(alias), []).append(alias)
        # each word looked up once, within a bound: a server reads words without end
        self._misspelt = lru_cache(maxsize=MISSPELT_CACHE)(self._misspelling_of)

    def has_own_note(self, generic: str) -> bool:
        """A medicine with a reference note of its own (an antidepressant a patient takes), not one the notes
        speak of only within a topic (ibuprofen in the bleeding note)."""
        entry = self.entries.get(generic)
        return entry is not None and entry.reference == generic

    def generic(self, name: str) -> str | None:
        """Generic name for a brand, generic or misspelling; None if unknown."""
        key = name.strip().lower()
        if key in self.alias_to_generic:
            return self.alias_to_generic[key]
        if len(key) >= FUZZY_MIN_LEN:
            return self._misspelt(key)
        return None

    def _misspelling_of(self, key: str) -> str | None:
        """The generic whose name `key` misspells, by its letters ("sertrline") or as it sounds ("simbalta" →
        duloxetine), unless `key` is a word of its own."""
        hit = process.extractOne(key, self._fuzzy_pool, scorer=fuzz.ratio, score_cutoff=FUZZY_SCORE)
        if hit is None and key.isalpha():
            code = jellyfish.metaphone(key)
            same = self._by_sound.get(code, []) if len(code) >= SOUND_MIN_CODE else []
            hit = process.extractOne(key, same, scorer=fuzz.ratio, score_cutoff=SOUND_SCORE) if same else None
        if hit is None or zipf_frequency(key, "en") >= NAME_MAX_ZIPF:
            return None
        return self._single[hit[0]]

    def mentions(self, text: str, fuzzy: bool = True) -> list[Mention]:
        found: list[Mention] = []
        lower = text.lower()
        taken: list[tuple[int, int]] = []
        for alias in self._multi:
            for m in re.finditer(rf"\b{re.escape(alias)}\b", lower):
                found.append(Mention(self.alias_to_generic[alias], text[m.start() : m.end()], m.start(), m.end()))
                taken.append((m.start(), m.end()))
        unmatched: list[re.Match[str]] = []
        for m in _WORD.finditer(text):
            if any(s <= m.start() < e for s, e in taken):
                continue
            generic = self.generic(m.group()) if fuzzy else self.alias_to_generic.get(m.group().lower())
            if generic:
                found.append(Mention(generic, m.group(), m.start(), m.end()))
                taken.append((m.start(), m.end()))
            else:
                unmatched.append(m)
        if fuzzy:
            found.extend(self._split_names(text, unmatched))
        return sorted(found, key=lambda x: x.start)

    def _split_names(self, text: str, words: list[re.Match[str]]) -> list[Mention]:
        """A name heard and written as two short words ("lexa pro", "zo loft"): the pair read as one."""
        out: list[Mention] = []
        after = -1
        for first, second in zip(words, words[1:], strict=False):
            if first.start() < after or text[first.end() : second.start()] != " ":
                continue
            a, b = first.group(), second.group()
            if max(len(a), len(b)) > SPLIT_PIECE or len(a) + len(b) < FUZZY_MIN_LEN:
                continue
            generic = self.generic(a + b)
            if generic:
                out.append(Mention(generic, text[first.start() : second.end()], first.start(), second.end()))
                after = second.end()
        return out

    def normalise(self, text: str) -> str:
        """Replace brand names and misspellings by generic names; everything else unchanged."""
        out, last = [], 0
        for m in self.mentions(text):
            out.append(text[last : m.start])
            out.append(m.generic)
            last = m.end
        out.append(text[last:])
        return "".join(out)

    def expand(self, text: str) -> str:
        """Text plus the generic name of every brand/misspelling in it (for lexical indexing)."""
        extra = [m.generic for m in self.mentions(text) if m.surface.lower() != m.generic]
        return text if not extra else f"{text} {' '.join(extra)}"


def load_lexicon(path: Path) -> Lexicon:
    entries: list[DrugEntry] = []
    seen: dict[str, str] = {}
    for i, entry in validated(path, "drugs", DrugEntry, LexiconError):
        for alias in [entry.generic, *entry.brand_names(), *entry.misspellings]:
            key = alias.lower()
            if key in seen and seen[key] != entry.generic:
                raise LexiconError(f"{path}: drugs[{i}] name '{alias}' already belongs to {seen[key]}")
            seen[key] = entry.generic
        entries.append(entry)
    return Lexicon(entries)
