"""Chat spellings: the shorthand patients type in a message ("shud i", "wat r the odds", "zoloft n lexapro")
read as the words it stands for, before the question is understood.

Without this a shorthand word is a word neither English nor the sources know, which the question analysis
takes for the name of something the sources lack ("shud" → declined), and "n" never splits a two-part
question. Only shorthand that stands for one thing is here: "2" and "4" ("take 2 today", "4 weeks") and
"yr" (year or your), "bout" (a bout of nausea) and "prob" (problem or probably) are left as written.

Numbers written out above twelve ("she's eighty", "seventy five mg") are written as digits, as the sources
write ages and doses; smaller ones ("that one", "two of them", "week one") stay words.
"""

from __future__ import annotations

import re

from text_to_num import alpha2digit

CHAT_WORDS: dict[str, str] = {
    "u": "you",
    "ya": "you",
    "ur": "your",
    "urs": "yours",
    "r": "are",
    "n": "and",
    "nd": "and",
    "y": "why",
    "wat": "what",
    "wot": "what",
    "wht": "what",
    "wats": "whats",
    "hw": "how",
    "wen": "when",
    "whn": "when",
    "wer": "where",
    "shud": "should",
    "shld": "should",
    "wud": "would",
    "wld": "would",
    "cud": "could",
    "cld": "could",
    "shudnt": "shouldn't",
    "wudnt": "wouldn't",
    "cudnt": "couldn't",
    "hav": "have",
    "bn": "been",
    "coz": "because",
    "cuz": "because",
    "cos": "because",
    "bc": "because",
    "bcos": "because",
    "bcuz": "because",
    "abt": "about",
    "b4": "before",
    "2day": "today",
    "tmrw": "tomorrow",
    "tmr": "tomorrow",
    "tomoz": "tomorrow",
    "2moro": "tomorrow",
    "nite": "night",
    "thru": "through",
    "tho": "though",
    "wiv": "with",
    "outta": "out of",
    "gonna": "going to",
    "wanna": "want to",
    "gotta": "have to",
    "tryna": "trying to",
    "kinda": "kind of",
    "sorta": "sort of",
    "dunno": "don't know",
    "ppl": "people",
    "smth": "something",
    "sumthin": "something",
    "lil": "little",
    "probs": "probably",
    "def": "definitely",
    "defo": "definitely",
    "gud": "good",
    "rn": "right now",
    "pls": "please",
    "plz": "please",
    "wk": "week",
    "wks": "weeks",
    "hrs": "hours",
    "mins": "minutes",
    "yrs": "years",
}
_CHAT = re.compile(
    r"(?<![\w'’/-])(" + "|".join(sorted(map(re.escape, CHAT_WORDS), key=len, reverse=True)) + r")(?![\w'’/=-]|\.\w)",
    re.I,
)


SMALLEST_SPELT_NUMBER = 12  # numbers up to this stay words: "one" and "two" are as often not numbers at all
_UNITS = r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
_LARGE = r"thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_NUMBER_RUN = re.compile(
    rf"\b(?:(?:{_UNITS})[ -])?(?:hundred(?:[ -](?:and[ -])?(?:{_LARGE}|{_UNITS})(?:[ -](?:{_UNITS}))?)?|(?:{_LARGE})(?:[ -](?:{_UNITS}))?)\b",
    re.I,
)


def plain_words(text: str) -> str:
    """The text with each chat shorthand written out and large numbers in digits; everything else, case
    included, as it was."""
    text = _CHAT.sub(lambda m: CHAT_WORDS[m.group(1).lower()], text)
    return _NUMBER_RUN.sub(lambda m: _digits(m.group(0)), text)


def _digits(run: str) -> str:
    written = alpha2digit(run, "en", threshold=SMALLEST_SPELT_NUMBER)
    return written if written.isdigit() else run  # anything the parser does not read as one number stays
