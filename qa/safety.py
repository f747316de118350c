"""Safety routing, in code, before retrieval.

`route(question)` says whether a message is a crisis (suicidal intent, self-harm, or an
overdose taken or planned), a personal medication decision, or an ordinary question.
Text is normalised first (case, apostrophes, stretched letters, common slang and
misspellings, fuzzy-corrected key words) so indirect and misspelled phrasings are caught.
Questions about suicide warnings or overdose toxicity *in general* are not crises.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal

from rapidfuzz import fuzz, process

Route = Literal["crisis", "personal", "general"]

_KEYWORDS = [
    "suicide",
    "suicidal",
    "kill",
    "killing",
    "myself",
    "overdose",
    "overdosed",
    "overdosing",
    "die",
    "dying",
    "dead",
    "death",
    "alive",
    "living",
    "pills",
    "tablets",
    "bottle",
    "harm",
    "hurt",
    "cutting",
    "hanging",
    "lethal",
    "fatal",
    "deadly",
    "anymore",
    "pointless",
    "goodbye",
    "pregnant",
    "pregnancy",
    "breastfeeding",
    "taper",
    "tapering",
    "double",
    "switch",
    "increase",
    "decrease",
    "stop",
    "quit",
]
_SLANG = {
    "kms": "kill myself",
    "kys": "kill myself",
    "kil": "kill",
    "dye": "die",
    "ded": "dead",
    "wanna": "want to",
    "gonna": "going to",
    "gotta": "have to",
    "im": "i am",
    "ive": "i have",
    "ill": "i will",
    "id": "i would",
    "dont": "do not",
    "cant": "can not",
    "wont": "will not",
    "od": "overdose",
    "oded": "overdosed",
    "unalive": "kill",
    "meds": "pills",
    "tabs": "tablets",
    "pils": "pills",
    "u": "you",
    "urself": "yourself",
    "myslef": "myself",
    "mysef": "myself",
    "slef": "self",
    "anymore": "anymore",
    "sh": "self harm",
    "selfharm": "self harm",
}

_FIRST = r"(?:i|me|my|myself)"
_OVERDOSE_TAKEN_PATTERNS = [
    # overdose taken: "I took 30 pills", "I've swallowed the whole bottle", "I overdosed"
    # (a quantity is what makes it one: "I took my tablets late today" and "mum can't swallow tablets" are not)
    rf"\b{_FIRST}\b[^.?!]{{0,30}}\b(?:took|taken|swallowed|ate|downed|popped)\b[^.?!]{{0,30}}(?:\b(?:whole bottle|whole pack|whole box|the bottle|the pack|all of my|all my|all the|all of the|too many|too much|way too|a lot of|loads of|lots of|a handful|the rest of)\b|\b\d{{2,}}\s+(?:\w+\s+){{0,2}}?(?:pills|tablets|capsules|of (?:my|them|the|his|her|those))\b)",
    rf"\b{_FIRST}\b[^.?!]{{0,25}}\b(?:overdosed|have overdosed|just overdosed|overdosing)\b",
]
_CRISIS_PATTERNS = [
    # "I want to die", "I'm going to end it all", "I've decided to kill myself tonight"
    rf"\b{_FIRST}\b[^.?!]{{0,40}}\b(?:want|going|plan|planning|ready|decided|deserve|wish|need|try|trying|tempted|thinking|thought|think)\b[^.?!]{{0,25}}\b(?:die|be dead|end it|end it all|end everything|end my life|end things|kill myself|suicide|not wake up|never wake up|not be here|not exist|disappear forever|sleep forever|overdose|take (?:all|every|the whole)\b)",
    r"\b(?:kill|killing|hurt|hurting|harm|harming|cut|cutting|hang|hanging|poison|poisoning|shoot|shooting|burn|burning|starve|starving)\s+myself\b",
    r"\b(?:end|ending|take|taking)\s+my\s+(?:own\s+)?life\b",
    rf"\b{_FIRST}\b[^.?!]{{0,30}}\b(?:commit|committing|attempt|attempting|attempted)\s+suicide\b",
    r"\b(?:i am|i have been|i feel|feeling|been|i get|getting|having)\b[^.?!]{0,25}\bsuicidal\b",
    r"\bmy\b[^.?!]{0,15}\bsuicidal\b",
    r"\b(?:i|i have|i am|i keep|been)\b[^.?!]{0,25}\bself[- ]?harm",
    r"\b(?:no|not any|nothing|zero)\s+(?:reason|point)\s+(?:to|in|of)\s+(?:live|living|go on|going on|being alive|life|carry on|carrying on)\b",
    r"\bnot\b[^.?!]{0,20}\b(?:reason|point)\s+(?:to|in)\s+(?:live|living|go on|going on|being alive|carry on)\b",
    r"\bdo not\s+(?:want|wish)\s+to\s+(?:live|be alive|be here|wake up|exist|go on)\b",
    r"\bbetter off\s+(?:dead|without me|if i (?:was|were) (?:dead|gone))\b",
    r"\b(?:can not|could not)\s+(?:go on|take it anymore|do this anymore|keep going)\b",
    r"\b(?:life|living|my life)\s+(?:is|feels|is not|isnt)\s+(?:not\s+)?worth\s+(?:living|it)\b|\bnot worth living\b",
    r"\bwish\s+i\s+(?:was|were|had)\s+(?:dead|never been born|not born|not alive)\b",
    r"\b(?:want|wish)\s+(?:it all|everything|the pain)\s+to\s+(?:end|stop)\b",
    r"\b(?:goodbye|suicide)\s+(?:letter|note)s?\b|\bgoodbye forever\b|\bgoodbye cruel world\b",
    *_OVERDOSE_TAKEN_PATTERNS,  # "I took 30 pills", "I overdosed"
    rf"\b{_FIRST}\b[^.?!]{{0,30}}\boverdose\b[^.?!]{{0,25}}\b(?:tonight|today|now|on purpose|intentionally|deliberately)\b",
    r"\b(?:saving|stockpiling|hoarding|collecting)\s+(?:up\s+)?(?:my\s+)?(?:pills|tablets)\b",
    # asking for lethality: "how many pills to die", "lethal dose of sertraline"
    r"\b(?:lethal|fatal|deadly|killing)\s+(?:dose|amount|quantity)\b",
    r"\bhow\s+(?:many|much)\b[^.?!]{0,50}\b(?:to die|to kill|to overdose|would kill|will kill|kill me|kill a person|to end it|be fatal|be lethal|is fatal|is lethal|are fatal|are lethal)\b",
    r"\b(?:enough|how many|how much)\b[^.?!]{0,30}\bto (?:die|not wake up|never wake up|end my life)\b",
]
# Someone else at risk: "my son says he wants to die", "she is talking about killing herself".
_OTHERS_AT_RISK_PATTERNS = [
    r"\b(?:he|she|they)\b[^.?!]{0,30}\b(?:wants?|going|plans?|planning|talks? about|talking about|tried|trying|threaten\w*|keeps? saying)\b[^.?!]{0,25}\b(?:die|be dead|end it|end (?:his|her|their) life|kill (?:him|her|them)sel(?:f|ves)|suicide|overdose)\b",
    r"\b(?:kill|killing|hurt|hurting|harm|harming|cut|cutting|hang|hanging)\s+(?:him|her|them)sel(?:f|ves)\b",
]
_SELF = [re.compile(p) for p in _CRISIS_PATTERNS]
_OVERDOSE_TAKEN = frozenset(_OVERDOSE_TAKEN_PATTERNS)
# "my brother took too many of his citalopram last year (hes ok now thank god). out of interest how many ...": an
# overdose long past that the message says is over is the story of a question, not an emergency now. Both must be
# said; "last night ... he says hes fine now" stays a crisis (any recent overdose needs emergency care).
_LONG_AGO = re.compile(
    r"\b(?:last (?:year|month|summer|winter|spring|autumn|christmas)|(?:a|one|two|three|four|five|six|several|few|\d+)"
    r" (?:years?|months?) ago|years ago|months ago|in (?:19|20)\d\d|when (?:i|he|she|they) (?:was|were) (?:younger|a teen"
    r"|a teenager|at uni|at school|in school|\d+))\b"
)
_OVER_NOW = re.compile(
    r"\b(?:(?:is|am|are|hes|shes|theyre|he is|she is|they are)\s+(?:ok|okay|fine|alright|all right|well|recovered|doing"
    r" (?:ok|okay|well|fine|better))\s+now|fully recovered|made a (?:full )?recovery|all good now)\b"
)
_CRISIS = _SELF + [re.compile(p) for p in _OTHERS_AT_RISK_PATTERNS]
# "my brother", "my 15 yr old", "my flatmate": the person a message is about, when it is not the writer
_SOMEONE = re.compile(
    r"\bmy\s+(?:\w+\s+){0,2}?(?:son|daughter|brother|sister|mum|mom|mother|dad|father|husband|wife|partner|boyfriend"
    r"|girlfriend|friend|flatmate|roommate|housemate|child|kid|teen|teenager|nan|gran|grandma|granny|grandad"
    r"|grandpa|grandmother|grandfather|uncle|aunt|aunty|auntie|cousin|niece|nephew|colleague|mate|patient|client)s?\b"
    r"|\bmy\s+\d+\s*(?:yo|yr|yrs|year|years)\b"  # "my 16yo took a handful"
)
# Asking whether a medicine can cause suicidal thoughts ("can prozac make my teenager suicidal") is a
# question about the warning, not a crisis; masked before the crisis patterns run, so anything else
# in the message ("... he says he wants to die") is still caught. "It is making my son suicidal" is not masked.
_ASKS_ABOUT_WARNING = re.compile(
    r"\b(?:can|could|will|would|does|do|might|may)\b[^.?!]{0,30}\b(?:make|cause|give)\b[^.?!]{0,25}\bsuicidal\b"
    r"(?:\s+(?:thoughts|thinking|feelings|ideas))?"
)

_PERSONAL_VERBS = r"(?:stop|stopping|quit|quitting|start|starting|begin|double|doubling|increase|increasing|decrease|decreasing|reduce|reducing|lower|lowering|raise|raising|switch|switching|change|changing|taper|tapering|come off|coming off|get off|getting off|skip|skipping|miss|missed|halve|cut down|cut back|take more|take less|take extra|combine|mix)"
_PERSONAL = [
    re.compile(
        rf"\b(?:should|can|could|may|shall|must|would it be ok if|is it ok if|is it safe if|do you think)\s+i\b[^.?!]{{0,50}}\b{_PERSONAL_VERBS}\b"
    ),
    re.compile(
        rf"\b(?:is it (?:ok|okay|safe|fine|bad)|would it be (?:ok|okay|safe))\s+(?:for me\s+)?to\b[^.?!]{{0,40}}\b{_PERSONAL_VERBS}\b"
    ),
    re.compile(
        rf"\b(?:i want to|i am going to|i plan to|i am thinking of|i am thinking about|i would like to|i need to|how do i|how should i|how can i|when should i|when can i)\b[^.?!]{{0,20}}\b{_PERSONAL_VERBS}\b"
    ),
    re.compile(
        r"\b(?:what|which)\s+(?:dose|dosage|amount)\s+(?:should|do|can)\s+i\b|\bhow (?:much|many)\b[^.?!]{0,30}\bshould i take\b"
    ),
    re.compile(
        r"\bmy\s+(?:dose|dosage|prescription|medication|meds|pills|tablets)\b[^.?!]{0,40}\b(?:"
        + _PERSONAL_VERBS[3:-1]
        + r"|too (?:high|low)|right)\b"
    ),
    re.compile(
        r"\b(?:i am|i have just found out i am|i might be|i could be|we are|my partner is|my wife is)\s+(?:\w+\s+)?pregnant\b|\b(?:trying|planning)\s+(?:to\s+)?(?:get\s+|become\s+)?pregnant\b|\bi am breastfeeding\b|\bwhile (?:i am )?breastfeeding\b"
    ),
]


@lru_cache(maxsize=4096)
def _correct(word: str) -> str:
    if word in _SLANG:
        return _SLANG[word]
    if len(word) < 5 or word in _KEYWORDS:
        return word
    hit = process.extractOne(word, _KEYWORDS, scorer=fuzz.ratio, score_cutoff=82)
    return hit[0] if hit else word


def normalise(text: str) -> str:
    text = text.lower().replace("’", "'").replace("‘", "'")
    text = re.sub(r"\bod'd\b", "overdosed", text)  # "I OD'd"; "came back odd" is only odd
    text = re.sub(r"(\w)'(\w)", r"\1\2", text)  # i'm → im, don't → dont (then expanded)
    text = re.sub(r"(.)\1{2,}", r"\1\1", text)  # sooooo → soo
    text = re.sub(r"[^a-z0-9.?!]+", " ", text)
    return " ".join(_correct(w) for w in text.split())


def names_someone(text: str) -> bool:
    """Whether a message names a person other than the writer ("my dad", "my 15 yr old")."""
    return bool(_SOMEONE.search(normalise(text)))


def about_someone_else(question: str) -> bool:
    """Whether a crisis is another person's ("my brother took a handful of his tablets", "my daughter keeps saying
    she wants to die"): no first-person crisis phrasing in the message starts at the "my" of the person it is
    about ("I swallowed all my kids tablets" is the writer's: it starts at "I")."""
    norm = _ASKS_ABOUT_WARNING.sub(" ", normalise(question))
    theirs = {m.start() for m in _SOMEONE.finditer(norm)}
    for pattern in _SELF:
        at = 0
        while (m := pattern.search(norm, at)) is not None:
            if m.start() not in theirs:
                return False
            at = m.start() + 1
    return True


def route(question: str) -> Route:
    norm = normalise(question)
    masked = _ASKS_ABOUT_WARNING.sub(" ", norm)
    found = [p.pattern for p in _CRISIS if p.search(masked)]
    if found and not (set(found) <= _OVERDOSE_TAKEN and _LONG_AGO.search(norm) and _OVER_NOW.search(norm)):
        return "crisis"
    if any(p.search(norm) for p in _PERSONAL):
        return "personal"
    return "general"
