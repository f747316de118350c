"""Chat spellings: the shorthand patients type in a message ("shud i", "wat r the odds", "zoloft n lexapro")
read as the words it stands for, before the question is understood.

Without this a shorthand word is a word neither English nor the sources know, which the question analysis
takes for the name of something the sources lack ("shud" → declined), and "n" never splits a two-part
question. Only shorthand that stands for one thing is here: "2" and "4" ("take 2 today", "4 weeks") and
"yr" (year or your), "bout" (a bout of nausea) and "prob" (problem or probably) are left as written.
"""

from __future__ import annotations

import re

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


def plain_words(text: str) -> str:
    """The text with each chat shorthand written out; everything else, case included, as it was."""
    return _CHAT.sub(lambda m: CHAT_WORDS[m.group(1).lower()], text)
