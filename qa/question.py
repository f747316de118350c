"""Understanding a question before answering it: what it is about and what kind of answer it wants.

`analyse()` finds the drugs named (brand names, misspellings) and their classes, the people it is
about (older adult, young person, pregnant, breastfeeding), the kind of answer wanted (how long,
how much, how common, why, what is, a comparison), the sources' wording for the patient's words
(corpus/vocabulary.yaml), and the words that the corpus never uses: names we have no source on
("gabapentin") and topics outside the sources ("grapefruit").
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from rapidfuzz import fuzz, process

from ingest.lexicon import Lexicon
from ingest.text import STOPWORDS, base_forms, stem, words
from ingest.vocabulary import Vocabulary
from qa.acronyms import spelled_out

QuestionType = Literal[
    "year",
    "signs",
    "remedy",
    "duration",
    "dose",
    "frequency",
    "risk",
    "reason",
    "ranking",
    "truth",
    "definition",
    "comparison",
    "uses",
    "other",
]

# Words a question may use that say nothing about its subject, so a corpus that never uses them
# is no sign of a topic outside the sources (people, feelings, chat, everyday verbs).
GENERIC = frozenset(
    """take takes taking took taken use used using start started starting need needs want wants know knew ask asking
    safe safely okay fine alright normal bad good worse better worried worry worrying scared afraid concerned wondering
    terrified petrified frightened freaked freaking panicking panicked dreading nervous stressed upset gutted
    devastated embarrassed ashamed desperate
    curious confused paranoid overreacting silly stupid dumb anyone someone somebody people person guy guys lady man woman men women husband wife partner
    boyfriend girlfriend friend friends brother sister aunt uncle cousin grandpa granny nana nan mate colleague boss kid
    kids baby son sons daughter daughters dad daddy mum mummy mom mommy mother father parent parents grandma grandad
    grandmother grandfather family fiance fiancee gf bf hubby missus else apart till until
    doctor doctors doc docs dr gp psychiatrist pharmacist nurse prescribed prescribe prescription pill pills tablet tablets
    medication medications medicine medicines meds drug drugs thing things stuff something anything nothing lot lots
    bit little day days week weeks month months year years time times today tonight morning night long old new now
    weekend weekends weekday weekdays mornings evening evenings afternoon afternoons nights holiday holidays habit habits
    normal really actually basically generally usually ever never always still yet already maybe probably definitely
    literally honestly seriously totally completely properly just even additionally furthermore moreover firstly secondly
    thirdly lastly finally besides anyway anyways anyhow
    idk tbh lol omg btw pls plz cuz coz bc smth ur gonna wanna gotta kinda sorta ya yeah yep nope hey hiya thx ty
    esp espesh especially rn ngl imo fyi tho ppl ish camhs iapt tips tip appointment appointments appt
    feel feeling feels felt seem seems happen happens happening happened cause causes caused make makes made
    blame blamed culprit responsible folk folks rubbish nonsense chatting moan moans moaning whinge whinging
    bro bros dude lads bog-standard bog nerdy debunk debunked dragging
    give gives go goes going went come comes coming say says said told tell think thought mean means eat eating
    hear hears heard hearing quote quotes quoted swear swears swore sworn insist insists insisted
    blimey crikey gosh jeez wow ugh oof phew yikes argh damn dang heck oops whoa
    true false real fake myth lie lies scam hoax fact facts right wrong whole kind sort proven proof
    have has had having together help helps helped since
    cant dont isnt wont doesnt didnt wasnt arent couldnt shouldnt wouldnt havent hasnt shes hes theyre youre whats thats
    theyve weve youve wouldve couldve shouldve mightve itll thatll youll theyll
    theres ive id im ill lets author authors article articles blog blogger post writer wrote writes page site
    mention mentions mentioned suggest suggests suggested count counts counted supposed
    realise realised realising realize realized realizing noticed wondered reckon reckons reckoned assumed figured
    reddit forum forums online internet google website websites tiktok facebook youtube instagram twitter""".split()
)
# Three-letter chat shorthand that is not a name ("abt", "ngl"); other unknown three-letter words are names.
CHAT_SHORTHAND = frozenset(
    "abt wat wht hru ngl imo fyi asap irl rly tho ppl plz pls thx idk tbh lol omg btw smh jk nvm wtf wth ffs "
    "hmm umm uhh ahh ooh yea yup nah meh bcs cuz coz bcz gna wna dnt cnt wnt dsnt isn ive u2 ty "
    "usa aus nyc hrs yrs wks mos mgs mls kms etc".split()
)
# Who someone is ("my rheumatologist", "her obstetrician"), like the family words: a person, not a topic.
_PROFESSION = re.compile(r"(?:ologists?|iatrists?|icians?|^specialists?|^consultants?)$")
CLASS_WORDS = re.compile(
    r"\b(ssris?|snris?|antidepressants?|anti-depressants?|maois?|tricyclics?|nsaids?|triptans?|opioids?)\b", re.I
)
_ARTICLE_WORDS = re.compile(
    r"\b(author|authors|article|articles|blog|blogger|desmolysium|tellmi|tellmipsychiatry|the guy|this guy|writer|writes|wrote|according to (?:the|this) (?:post|article|blog|author))\b",
    re.I,
)
# The author himself, and the other people an article tells of (his friends, his mum).
_THE_AUTHOR = re.compile(
    r"\b(?:he|him|his|himself)\b|\b(?:author|writer|blogger|guy|doctor|doc)\s+(?:\w+\s+)?(?:did|do|does|was|had|got|get|took|take|start|started|stop|stopped|come|came|feel|felt|notice|noticed)\b"
    r"|\b(?:for|to|with) (?:the|that|this) (?:\w+ )?(?:author|writer|blogger|guy)\b",  # "start working for the blog author"
    re.I,
)
_OTHER_PEOPLE = re.compile(
    r"\b(?:friends?|mum|mother|mom|dad|father|brother|sister|woman|women|people|someone|patients|others|ex|girlfriend of"
    r"|my (?:husband|wife|partner|son|boy|daughter|girl|boyfriend|girlfriend|grandad|granddad|grandpa|uncle|nephew))\b",
    re.I,
)
_SOURCE_NAMING = re.compile(
    r"\b(?:according to|in the view of)\b|\b(?:the|this|that)?\s*(?:desmolysium|tellmi\s*psychiatry|tellmipsychiatry|tellmi)?\s*"
    r"(?:author|authors|article|articles|blog|blogger|writer|post|guy)(?:'s)?\b|\bdesmolysium\b|\btellmi\s*psychiatry\b|\btellmipsychiatry\b|\btellmi\b",
    re.I,
)
_RANKS = re.compile(
    # (not "what's the most I'm allowed per day": a dose)
    r"\b(?:which|what)\b[^?]*\b(?:worst|best|most(?!(?:\s+[\w']+){0,3}?\s+(?:allowed|permitted)\b)|least|highest|lowest|safest"
    r"|strongest|weakest|fewest|largest|biggest|smallest)\b"
    # "is there an antidepressant that does that less": one to pick among many
    r"|\bis there (?:an?|any|one)\b[^?]*\b(?:less|fewer|lower|least|safer|gentler)\b"
    # "which antidepressant were people less likely to feel flat on": the one that ranks, among many
    r"|\bwhich\b[^?]*\b(?:less|more) (?:likely|often)\b",
    re.I,
)
_QTYPES: list[tuple[QuestionType, re.Pattern[str]]] = [
    (
        "comparison",
        re.compile(
            r"\b(vs\.?|versus|compared? (?:to|with)|or\b.*\b(?:better|worse|stronger|safer)|better than|worse than|difference between|which (?:one|is|of)\b.*\b(?:better|best|safer|stronger|weaker|worse|most|least|fewer|more|longer|shorter|faster|slower|quicker|easier|harder|gentler))",
            re.I,
        ),
    ),
    ("ranking", _RANKS),
    (  # what a medicine is for: the sentence listing what it is approved or used for
        "uses",
        re.compile(
            r"\bwhat (?:conditions?|illness(?:es)?|problems?|disorders?|else|other \w+)\b[^?]*\b(?:approved|licensed|used|prescribed|given|for)\b"
            r"|\b(?:what|which)\b[^?]*\b(?:approved|licensed|indicated|used|prescribed) for\W*$",
            re.I,
        ),
    ),
    (  # what it is like, or what to look out for: a list of symptoms or signs answers
        "signs",
        re.compile(
            r"\b(?:feel like|feels like|what (?:are (?:the |some )?|)(?:(?:warning|main|first|early|usual|typical) )?(?:signs|symptoms)"
            r"|what signs|which signs|what symptoms"
            r"|(?:look|looking|watch|watching|keep an eye) (?:out )?for|what happens (?:if|when)"
            r"|(?:first|early|earliest|warning) (?:signs?|symptoms?)\b[^?]*\blooks? like)\b",
            re.I,
        ),
    ),
    (  # what helps: the sentences that say what can be done
        "remedy",
        re.compile(
            r"\b(?:what (?:can|could|would|might) help|what helps|anything (?:that |to |which )?(?:helps?|works)"
            r"|how (?:can|do|should) (?:i|we|you|he|she|they) (?:stop|fix|help|deal|cope|manage|get rid|reduce|avoid)"
            r"|what (?:can|could|should) (?:i|we|you|he|she|they) (?:actually |really |even )?do"
            r"|what (?:i|we|he|she|they) (?:should|can|could|must|need to) (?:actually |really |even )?do"  # "What I should do?"
            r"|how to (?:stop|fix|deal|cope|manage|reduce|avoid)"
            r"|what (?:can|could) (?:actually |really |even )?be done|can anything be done|is there anything to be done"
            r"|(?:anything|something) (?:[\w']+ ){0,5}to (?:help|treat|fix|ease)"
            r"|any tips|tips for|is there anything (?:(?:i|we|you|he|she|they) (?:can|could|should) )?(?:that |to |which )?(?:actually |really |else )?(?:do|helps?|try|take|works?))\b",
            re.I,
        ),
    ),
    ("year", re.compile(r"\b(when (?:did|was|were)|what year|which year|since when|how new)\b", re.I)),
    (
        "duration",
        re.compile(
            r"\b(how long|how soon|when (?:will|does|do|should|can)|how many (?:days|weeks|months|hours)|how quickly|how fast"
            r"|(?:does|do|will|would) (?:it|they|this|that|these|the \w+) (?:ever )?(?:go away|wear off|settle|ease|pass|get better)"
            # "will the nausea from my zoloft go away", "is the jitteriness ever going to settle down"
            r"|(?:does|do|will|would|is|are)\b[^?.]{1,50}\b(?:go(?:es|ing)? away|wear(?:s|ing)? off|die(?:s)? down|settle(?:s)? down)"
            # "been on it 10 days and feel the same, is it even working": whether it has had time to work
            r"|(?:is|are) (?:it|they|this|these|the \w+) (?:even |actually |really )?(?:working|doing anything)(?: yet)?"
            r"|should (?:i|he|she|they|we) (?:be )?(?:feel|feeling|notice|noticing) (?:\w+ ){0,3}by now"
            # "when's the riskiest time to watch him": when in the course of treatment
            r"|(?:riskiest|most dangerous|most risky|highest[- ]risk|risky|dangerous|worst) (?:time|period|stage|point|weeks)"
            r"|when (?:is|are) (?:the )?risks? (?:highest|greatest|worst))\b",
            re.I,
        ),
    ),
    (  # how often to take it is a question of dosing, not of how common something is
        "dose",
        re.compile(
            r"\bhow (?:often|many times)\b[^?]*\b(?:take|taken|taking|dose|doses)\b|\b(?:once|twice) a day\b", re.I
        ),
    ),
    (  # who is at risk: the sentences that name the risk factors ("older age, female sex, diuretics")
        "risk",
        re.compile(
            r"\bwho(?:'s| is| are)? (?:\w+ ){0,2}(?:at (?:\w+ )?risk|more likely|most likely|likely|prone|vulnerable)\b"
            r"|\bwho (?:gets?|tends? to get|usually gets?|normally gets?|can get|is (?:\w+ )?affected)\b|\brisk factors?\b"
            r"|\bwhat makes (?:\w+ ){1,3}(?:more|less) likely\b",
            re.I,
        ),
    ),
    (
        "frequency",
        re.compile(
            r"\b(how (?:common|often|likely|rare|many people|frequent)|what (?:percent|percentage|proportion|are the (?:odds|chances))|chances?|odds|how many (?:people|patients)"
            r"|(?:do|does|will) (?:lots|loads|many|most|a lot) of (?:people|patients)|(?:do|does|will) (?:many|most|everyone|everybody|lots)"
            r"|(?:is|are) (?:it|that|this|these|those|they) (?:very |really |quite |that |so )?(?:common|rare|usual|unusual|normal)"
            # "what were the star*d remission rates", "how many got better on the third try": a figure is wanted
            r"|what (?:is|are|was|were|s) the [\w*'’ -]{0,30}?\b(?:rates?|percentages?|odds)"
            # "how low are we talking? any actual numbers": a figure is wanted
            r"|(?:any|some|the|like|actual|real|hard) (?:actual |real |hard )?(?:numbers|figures|stats|statistics)\b(?!\s+(?:of|on) (?:mg|doses?|tablets?|pills?))"
            r"|how many (?!mg\b|milligrams?\b|times\b|tablets?\b|pills?\b|doses?\b|sessions?\b|(?:days|weeks|months|hours|years)\b)\w+)\b",
            re.I,
        ),
    ),
    (
        "dose",
        re.compile(
            r"\b(dose|doses|dosage|dosing|how much|how many mg|mg|milligrams?|maximum|max|strength|the most (?:\w+ ){0,2}(?:can|could|should|is allowed to) (?:\w+ )?(?:have|take|be on|go up to)|the most (?:[\w']+ ){0,3}(?:allowed|permitted)(?: to have| to take)? (?:per|a|each) day)\b",
            re.I,
        ),
    ),
    (
        "truth",  # not "what actually is it": a definition asked with emphasis
        re.compile(
            r"\b(true|myth|(?<!\bwhat )(?:really|actually)(?! (?:is|are) (?:it|they|that|this)\b)|proven|evidence|a lie"
            r"|real thing|scam|debunked)\b",
            re.I,
        ),
    ),
    ("reason", re.compile(r"\b(why|how come|what causes|reason)\b", re.I)),
    (
        "definition",
        re.compile(
            r"(?:^|\s[-–:]\s|[.;]\s)\W*(?:what(?:'s| is| are| does| (?:actually|exactly|really) (?:is|are))|whats|define|meaning of|what do you mean by)\b"
            r"(?![^?]*\b(?:used|prescribed|given|taken) for\b)"
            # "what's the FDA's position on ...": what an authority says, not what something is
            r"(?![^?]*\b(?:position|stance|view|verdict|opinion|advice|line|take) (?:on|about|regarding)\b)"
            r"|\bstands? for\b",
            re.I,
        ),
    ),
]
# "does X make Y more likely": whether X is a risk factor for Y, unless X is a medicine ("do SSRIs make falls more
# likely" asks what the medicine does)
_MAKES_MORE_LIKELY = re.compile(
    r"\b(?:does|do|would|could|can|will)\s+([^?.]{1,40}?)\s+(?:make|makes|making)\s+(?:\w+\s+){1,3}more likely\b", re.I
)
_MEDICINE_WORDS = re.compile(
    r"\b(?:it|they|ssris?|snris?|antidepressants?|pills?|tablets?|meds?|medications?|medicines?|drugs?)\b", re.I
)
_IN_NUMBERS = re.compile(r"\b(?:in|as|the|any) (?:numbers|stats|statistics|figures|percentages?)\b", re.I)
# Questions a note answers in a section of their own ("What helps with sweating?"): retrieval seeks that section out
# when no passage it found is one, and a sentence that is neither from it nor of the kind wanted does not answer.
SECTION_KINDS: frozenset[QuestionType] = frozenset({"remedy", "risk"})
# ... and the kinds whose section retrieval seeks out though its answer takes sentences from anywhere ("how common",
# "how long").
SEARCHED_SECTION_KINDS: frozenset[QuestionType] = SECTION_KINDS | {"frequency", "duration"}
# Taking two things at once: with an unknown name on one side, the whole question is about that name.
COMBINED = re.compile(
    r"\b(?:together|with|combin\w*|mix\w*|alongside|on top of|at the same time|interact\w*|add(?:ing|ed)?\b.{1,30}\bto)\b",
    re.I,
)
_COMPARATIVE = re.compile(
    r"\b(?:better|worse|longer|shorter|faster|slower|quicker|stronger|weaker|safer|fewer|more|less|higher|lower|milder|easier|harder|gentler|kinder)\b"
    r"|\b(?:like|as) (?:[\w-]+ ){1,2}(?:did|does|do|has|had)\b"  # "kill your sex drive like lexapro did"
    # "grabs the serotonin thing tighter than zoloft" (not "older than 65", "rather than")
    r"|\b(?!(?:older|younger|rather|other|later|earlier|under|over|sooner)\b)\w{3,}(?:er|ier) than\b",
    re.I,
)
TYPO_MIN = 6  # shorter misspellings are too often another word or a name
LONG_TYPO = 9  # ... and from this length, one letter from any English word is a misspelling of it
MIN_WORD = 4  # shorter words are too ambiguous to judge as outside the sources
# An English word this frequent (Zipf scale: 4.4 ≈ 25 per million words, e.g. "yesterday" 4.9, "damage" 4.9)
# is everyday language, not a topic; rarer ones the corpus lacks are ("grapefruit" 3.2, "tinnitus" 2.8).
COMMON_ZIPF = 4.4
ACTS_ZIPF = 3.0  # "altered" 4.0: "alters" is what something does; "snored" 2.0
JOINED_ZIPF = 5.0  # "lot" 5.6, "well" 6.2, "fact" 5.3: a word this common run on after "a" or "in" ("alot")
VERB_ZIPF = 2.0  # "diagnosed" 3.9, "tapered" 2.5: a word with a past tense in use is a verb
SPECIFIC_CHUNKS = 12  # a word used by at most this many chunks says what a question is about ("emergency")
RARE_CHUNKS = 3  # a word the corpus uses in at most this many chunks is specific enough to be a question's topic
PASSING_MENTION = 2  # chunks; a drug name in at most this many is only mentioned in passing
# Endings of international drug names (WHO INN stems and common patterns): gabapentin, quetiapine, ...
NAME_IN_CONTEXT = 6  # shorter unknown words before the question are services and shorthand ("camhs"), not medicines
DRUG_NAME = re.compile(
    r"(?:pentin|gabalin|apine|idone|azepam|azolam|oxetine|ipramine|triptyline|profen|statin|pril|sartan|olol|dipine|azole|"
    r"mycin|cillin|cycline|floxacin|vir|mab|tinib|caine|triptan|setron|tidine|prazole|gliptin|gliflozin|formin|lukast|"
    r"dronate|phenidate|amfetamine|barbital|clone|zolam|peridol|azine|oxone|orphine|codone|adol|fentanil|xaban|gatran)$"
)
TYPO_SCORE = 84  # a word this close (0-100) to a corpus word is a misspelling of it
STRICT_TYPO_SCORE = 90  # ... and this close when the corpus word is everyday English
SPELLING_SCORE = 90  # two corpus words this close (0-100) are spellings of one word ("-aemia", "-emia")
SPELLING_MIN = 7  # letters; shorter words this close are different words


@dataclass(frozen=True)
class Question:
    text: str  # the standalone question (follow-ups already resolved)
    drugs: tuple[str, ...]  # generic names in order of mention
    classes: tuple[str, ...]  # their drug classes ("SSRI", "NSAID")
    notes: tuple[str, ...]  # reference notes the lexicon links to those drugs
    populations: frozenset[str]
    qtype: QuestionType
    expansion: str  # the sources' wording for the patient's words
    search_text: str  # what is searched: the question with generic names, plus the expansion
    aspect_text: str  # the question without its drug names (their class instead), plus the expansion
    asked_text: str  # the searched words without the expansion: matched against questions passages answer
    about_articles: bool
    key_terms: frozenset[str]  # stems of the words that carry the question's subject
    uncovered: tuple[str, ...]  # phrases of the question that the corpus never uses
    unknown_names: tuple[str, ...]  # of those, words that are not English: names we have no source on
    uncovered_share: float  # share of the key terms that the corpus never uses
    uncovered_parts: tuple[
        str, ...
    ]  # uncovered phrases that make up a whole coordinated part ("tinnitus or a dry mouth")
    parts: tuple[str, ...]  # the sub-questions of a multi-part question (one item otherwise)
    names_class: bool  # the question names a drug class ("SSRIs", "antidepressants")
    # Every specific word of the question is one the sources never use ("melatonin ... to help me sleep",
    # "make my hair fall out"): what it asks about is not in them, whatever everyday words it shares.
    uncovered_topic: bool = False
    topic: str = ""  # the question's most specific word the corpus does use ("lithium"); an answer must be about it
    topic_phrase: str = ""  # that word with its neighbour, to name it when the sources have nothing on it
    about_author: bool = False  # what the article's author did or felt himself ("what dose did he start on")
    drugs_carried: bool = False  # every drug comes from what a follow-up carries, none from the patient's words
    ages: tuple[int, ...] = ()  # the ages the question states ("my son is 22")
    specific_terms: frozenset[str] = frozenset()  # key terms few passages use ("emergency", not "risk")


_COMPARATIVE_ENDINGS = (("iest", "y"), ("ier", "y"), ("iest", ""), ("ier", ""), ("est", ""), ("er", ""))


class WordPool:
    """Words of some text: does it use a given word, allowing for inflection, a comparative
    ("riskier"), a prefix ("tellmi") and a misspelling ("seratonin")?"""

    def __init__(self, surface: set[str]) -> None:
        self.surface = surface
        self.stems = {stem(w) for w in surface}
        self._pool = sorted(w for w in surface if len(w) >= MIN_WORD)

    def known(self, word: str) -> bool:
        """True when the text uses this word (or a misspelling of one of its words)."""
        if "-" in word:
            return all(self.known(part) for part in word.split("-") if part)
        if stem(word) in self.stems or word in self.surface:
            return True
        if word.endswith("s") and (word[:-1] in self.surface or stem(word[:-1]) in self.stems):
            return True
        if word.endswith("ves") and any(word[:-3] + end in self.surface for end in ("f", "fe")):
            return True  # "midwives" of "midwife", "halves" of "half"
        for suffix, base in _COMPARATIVE_ENDINGS:  # riskier ~ risk(y), fewest ~ few
            if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                root = word[: -len(suffix)] + base
                if root in self.surface or stem(root) in self.stems:
                    return True
        if len(word) >= 5 and any(w.startswith(word) or w.endswith(word) for w in self._pool):
            return True  # "tellmi" of "tellmipsychiatry", "covid" of "longcovid"
        if word.endswith("y") and len(word) >= 5 and (word[:-1] in self.surface or stem(word[:-1]) in self.stems):
            return True  # "risky" of "risk"
        root = stem(word)
        if len(root) >= 7 and any(s.startswith(root[:-1]) for s in self.stems):  # diagnosed ~ diagnosis
            return True
        if len(word) < 5:
            return False
        hit = process.extractOne(word, self._pool, scorer=fuzz.ratio, score_cutoff=TYPO_SCORE)
        # A near-miss of a corpus term ("seratonin") is a typo; a near-miss of an everyday English word
        # ("abilify" ~ "ability") is more likely a name we have no source on.
        return hit is not None and (hit[1] >= STRICT_TYPO_SCORE or not is_english(hit[0]))


class CorpusWords(WordPool):
    """What the corpus says and how: its words, how many chunks use each, its drug names and lay wording."""

    def __init__(
        self,
        surface: set[str],
        lexicon: Lexicon,
        vocabulary: Vocabulary,
        chunk_counts: dict[str, int] | None = None,
        acronyms: dict[str, str] | None = None,
    ) -> None:
        super().__init__(surface)
        self.acronyms = acronyms or {}  # "pssd" → "post-SSRI sexual dysfunction", as the sources spell it out
        self.chunk_counts = chunk_counts or {}
        self.stem_counts: dict[str, int] = {}
        for word, count in self.chunk_counts.items():
            self.stem_counts[stem(word)] = self.stem_counts.get(stem(word), 0) + count
        self.lexicon = lexicon
        self.vocabulary = vocabulary
        self._stem_pool = sorted(s for s in self.stem_counts if len(s) >= SPELLING_MIN)

    def chunks_using(self, word: str) -> int:
        """How many chunks use the word, counting its other spellings ("hyponatremia", "hyponatraemia")."""
        root = stem(word)
        total = self.stem_counts.get(root, 0)
        if len(root) >= SPELLING_MIN:
            for other, _, _ in process.extract(
                root, self._stem_pool, scorer=fuzz.ratio, score_cutoff=SPELLING_SCORE, limit=None
            ):
                if other != root:
                    total += self.stem_counts[other]
        return total


# Words that open a message and join it to the talk ("and", "so", "oh ok", "hi there,"), not part of what it asks.
_OPENER = re.compile(
    r"^(?:(?:and|so|but|also|oh|ok|okay|well|right|hmm+|um+|hi|hey|hello)(?=[\s,.!?:;]|$)(?:\s+there\b)?[\s,.!?:;-]*)+",
    re.I,
)

_HOW_LONG_BEFORE = re.compile(r"\bhow (?:long|soon|many (?:days|weeks|months))\s+(before|until|till|til)\b", re.I)


@lru_cache(maxsize=1)
def english() -> frozenset[str]:
    """A large English word list (web2 + GCIDE), lower case."""
    from english_words import get_english_words_set

    return frozenset(get_english_words_set(["web2", "gcide"], lower=True, alpha=True))


_BRITISH = (  # realised → realized, colour → color, centre → center, oestrogen → estrogen
    (re.compile(r"is(e|ed|es|ing|ation|ations)$"), r"iz\1"),
    (re.compile(r"our"), "or"),
    (re.compile(r"tre(s?)$"), r"ter\1"),
    (re.compile(r"oe|ae"), "e"),
    (re.compile(r"ll(ed|ing|er)$"), r"l\1"),
)


def is_english(word: str) -> bool:
    vocab = english()
    if word in vocab:
        return True
    for pattern, american in _BRITISH:
        other = pattern.sub(american, word)
        if other != word and _is_english_form(other, vocab):
            return True
    return _is_english_form(word, vocab)


def _is_english_form(word: str, vocab: frozenset[str]) -> bool:
    if word in vocab:
        return True
    for suffix, repl in (
        ("ies", "y"),
        ("ied", "y"),  # "terrified"
        ("es", ""),
        ("s", ""),
        ("ed", ""),
        ("ed", "e"),
        ("ing", ""),
        ("ing", "e"),
        ("ly", ""),
    ):
        if word.endswith(suffix) and word[: -len(suffix)] + repl in vocab:
            return True
        stem_ = word[: -len(suffix)]
        if suffix in ("ed", "ing") and not repl and len(stem_) >= 3 and stem_[-1] == stem_[-2] and stem_[:-1] in vocab:
            return True  # "stopped", "binned"
        if suffix in ("ed", "ing") and stem_.endswith("ck") and stem_[:-1] in vocab:
            return True  # "panicking", "panicked"
    return False


@lru_cache(maxsize=4096)
def _zipf(word: str) -> float:
    from wordfreq import zipf_frequency

    return float(zipf_frequency(word, "en"))


def _verb_like(word: str) -> bool:
    """'diagnosed', 'tapering', 'diagnose' (there is a 'diagnosed'): an action asked about, not a subject."""
    return word.endswith(("ed", "ing")) or max(_zipf(word + "d"), _zipf(word + "ed")) >= VERB_ZIPF


def _acts(word: str, after: str) -> bool:
    """'alters the amount', 'lowers my sodium': what something does to what follows (a verb whose past tense
    is in common use, before its object), not a subject; 'heart defects' and 'the risks of' are things."""
    if not word.endswith("s") or word.endswith("ss") or not _DETERMINER_AFTER.match(after):
        return False
    stems = {word[:-1]} | ({word[:-2]} if word.endswith("es") else set())
    return max(max(_zipf(s + "d"), _zipf(s + "ed")) for s in stems) >= ACTS_ZIPF


def _names_a_medicine(word: str, corpus: CorpusWords) -> bool:
    """A drug the lexicon knows, or a name the sources use that is no English word ("ramelteon")."""
    return bool(corpus.lexicon.generic(word)) or (
        corpus.known(word) and not is_english(word) and not CLASS_WORDS.fullmatch(word)
    )


def _adverb(word: str) -> bool:
    """'separately', 'regularly': how something is done, not what a question is about."""
    return word.endswith("ly") and len(word) > 5 and is_english(word[:-2])


def graded(word: str) -> bool:
    """'weaker', 'safest': an everyday word's comparative, which grades what is asked about, not names it."""
    return any(
        word.endswith(suffix) and len(word) - len(suffix) >= 3 and _zipf(word[: -len(suffix)] + base) >= COMMON_ZIPF
        for suffix, base in _COMPARATIVE_ENDINGS
    )


def is_everyday(word: str) -> bool:
    """A common English word, or a form of one ("messed" of "mess", "wrecking" of "wreck")."""
    return _zipf(word) >= COMMON_ZIPF or any(_zipf(base) >= COMMON_ZIPF for base in base_forms(word))


_DETERMINER_AFTER = re.compile(r"\s+(?:the|a|an|my|your|his|her|its|their|our|how|what|whether|any|some|much)\b", re.I)
_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_RUN_ON_LEADS = ("a", "as", "at", "in", "on", "any", "every", "some", "no", "each")


@lru_cache(maxsize=4096)
def typo_of_everyday(word: str) -> bool:
    """'completly', 'becuase': one letter dropped, added or swapped away from an everyday English word,
    and not itself a word. A changed letter is not counted: 'abilify' is a medicine, not 'ability'."""
    if is_english(word):
        return False
    # "alot", "aswell", "infact": a very common word run together with the little word before it
    if any(word.startswith(lead) and _zipf(word[len(lead) :]) >= JOINED_ZIPF for lead in _RUN_ON_LEADS):
        return True
    if len(word) < TYPO_MIN:
        return False
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    edits = {a + b[1:] for a, b in splits if b}
    edits |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    edits |= {a + c + b for a, b in splits for c in _LETTERS}
    # a long word ("exagerating") is a misspelling of any English word one letter away
    long = len(word) >= LONG_TYPO
    return any(is_everyday(e) or (long and is_english(e)) for e in edits if e != word)


# "missing a dose", "skipped my doses": the missed dose is the subject, not how much to take.
_MISSED_DOSE = re.compile(
    r"\b(?:miss|missed|missing|skip|skipped|skipping|forgot|forgotten)(?:\s+(?:a|my|the))?\s+doses?\b", re.I
)


_HOW_LONG = re.compile(r"\bhow (?:long|soon)\b", re.I)
_YES_NO = re.compile(r"^\W*(?:does|do|did|is|are|was|were|can|could|will|would|should|has|have)\b", re.I)
_CARRIED = re.compile(r"\s*\((?:[^()]|\([^()]*\))*\)\s*\??\s*$")  # what a rewritten follow-up carries


def question_type(text: str) -> QuestionType:
    text = _MISSED_DOSE.sub("missed", text)
    for name, pattern in _QTYPES:
        if name == "signs" and _HOW_LONG.search(text):
            continue  # "how long is she likely to feel like this": how long it lasts, not what it is like
        if pattern.search(text):
            return name
    return "other"


def own_words(text: str) -> str:
    """The text without what a rewritten follow-up carries in brackets at its end."""
    return _CARRIED.sub("", text)


def split_parts(text: str) -> tuple[str, ...]:
    """'what is X and how long does it take?' → ('what is X', 'how long does it take')."""
    # "What is the half life of citalopram\nalso i take omeprazole ...": a line that asks ends its question
    text = _ASKING_LINE.sub(r"\1?\n", text)
    pieces = re.split(
        # "and also like how long does it last": filler words after the joining word belong to neither part
        r"\?+\s*|\s*[;,]?\s+\b(?:and|also|plus)\s+(?:(?:also|like|um+|uh+|so|then|just|basically)\s+)*(?=(?:what|how|why|when|who|is|are|does|do|can|could|should|which|will|would|did|where|if|(?:what|how|when|who)'?s)\b(?!['’]t))"
        r"|\s+(?=[2-9][.)]\s)",  # a numbered list: "1) how long ... 2) am i likely ..."
        text,
        flags=re.I,
    )
    parts = tuple(p.strip() for p in pieces if p and len(words(p)) >= 2)
    return parts or (text,)


def analyse(text: str, corpus: CorpusWords) -> Question:
    lexicon, vocabulary = corpus.lexicon, corpus.vocabulary
    mentions = lexicon.mentions(text)
    drugs = tuple(dict.fromkeys(m.generic for m in mentions))
    classes = tuple(dict.fromkeys(lexicon.entries[g].drug_class for g in drugs if g in lexicon.entries))
    notes = tuple(dict.fromkeys(n for g in drugs for n in (lexicon.entries[g].reference, g) if n))
    expansion = vocabulary.expand(text)
    terms = expansion.terms
    # What kind of answer is wanted is asked by the patient's own words, not the conversation a follow-up
    # carries in brackets ("is that why i feel rough when i forget one (venlafaxine, how long does it stay)");
    # a follow-up that asks nothing of its own kind ("and for kids?") asks the earlier question again.
    tail = _CARRIED.search(text)
    carried_from = tail.start() if tail else len(text)  # what a follow-up or a part carries from before
    # The asking clause says what kind of answer is wanted; a remark after it ("its really short") does not.
    question = _last_question(text[:carried_from])
    qtype = question_type(question)
    if qtype == "other":  # ... else what comes before it does ("my mum is 80. is that ok")
        qtype = question_type(text[: text.rfind(question, 0, carried_from) + len(question)])
    if qtype == "other" and not _YES_NO.search(text[:carried_from]):  # "does that apply to him" asks yes or no
        carried_type = question_type(text)
        qtype = carried_type if carried_type != "truth" else qtype  # "really depressed" before is not "is it true"

    raises = _MAKES_MORE_LIKELY.search(question)
    if (
        qtype == "other"
        and raises
        and not lexicon.mentions(raises.group(1))
        and not _MEDICINE_WORDS.search(raises.group(1))
    ):
        qtype = "risk"  # "does any of that make my depression more likely to come back": is it a risk factor
    if qtype in ("other", "truth", "definition") and _IN_NUMBERS.search(text[:carried_from]):
        qtype = "frequency"  # "does staying on it make much difference? like in numbers": a figure is wanted
    if qtype in ("other", "ranking", "truth") and len(drugs) >= 2 and _COMPARATIVE.search(text):
        qtype = "comparison"  # "which stays in your body longer, prozac or zoloft"
    elif qtype == "comparison" and len(drugs) < 2 and _RANKS.search(text):
        qtype = "ranking"  # "which one is least likely to do that": one to pick among many, not two compared
    if (
        len(drugs) >= 2 and qtype != "comparison" and "interaction" not in terms
    ):  # two drugs in one question: how they combine
        terms = f"{terms} interaction combined with".strip()
    search_text = lexicon.normalise(text)
    if _ARTICLE_WORDS.search(text):
        # "does the desmolysium writer think ...": the words that name the source choose the document (a
        # head start in retrieval), not the passage; searched for, they find the article's disclaimer.
        search_text = re.sub(r"\s+", " ", _SOURCE_NAMING.sub(" ", search_text)).strip() or search_text
    # The aspect: the question with each drug replaced by its class, so class-level notes compete fairly.
    aspect, last = [], 0
    for m in mentions:
        aspect.append(text[last : m.start])
        entry = lexicon.entries.get(m.generic)
        aspect.append(_plural(entry.drug_class) if entry else "")
        last = m.end
    aspect.append(text[last:])
    aspect_text = re.sub(r"\s+", " ", "".join(aspect)).strip()
    # What the patient asks in their own words: the asking clause ("what dose did he start on?"), without the
    # story around it ("my gp put me on 10mg") or the vocabulary's expansion.
    # A follow-up's carried brackets belong to the asking clause, not to a remark after it ("and its half life?
    # someone on reddit said its short (venlafaxine)?" asks about the half-life): the clause was found above,
    # in the patient's own words.
    # "heard grapefruit juice messes with some meds. does that go for citalopram too?": a clause that points
    # back and names nothing but a medicine asks about the story before it.
    names_only = _has_words_of_its_own(question) and not _has_words_of_its_own(_without_names(question, lexicon))
    asks_itself = _has_words_of_its_own(question) and not (names_only and _APPLIES.search(question))
    own = _question_proper(question) + text[carried_from:] if asks_itself else text
    # "... worse? what did he call it", "my cousin says it gives people seizures?? how likely is that really": what
    # "it" or "that" is comes before
    if asks_itself and (_POINTS_AT.search(question) or _POINTS_BACK_AT.search(question)):
        before = [c for c in re.split(r"(?<=[.!?])\s+", text[: text.rfind(question, 0, carried_from)].strip()) if c]
        own = f"{before[-1]} {own}" if before else own
    asked_text = re.sub(r"\s+", " ", _SOURCE_NAMING.sub(" ", lexicon.normalise(own))).strip() or search_text
    if qtype == "definition":  # "what is pssd": what the sources call post-SSRI sexual dysfunction
        found = [w if w in corpus.acronyms else w[:-1] for w in words(question)]
        spelled = list(dict.fromkeys(corpus.acronyms[w] for w in found if w in corpus.acronyms))
        terms = " ".join([terms, *spelled]).strip()
    # "and how long before it kicks in": an opening "and", "so" or "oh" joins the message to the talk; embedded,
    # it drags the question towards the articles' chatty passages (the time-to-effect note fell from 3rd to 31st).
    search_text = _OPENER.sub("", search_text) or search_text
    aspect_text = _OPENER.sub("", aspect_text) or aspect_text
    if terms:
        search_text = f"{search_text} ({terms})"
        aspect_text = f"{aspect_text} ({terms})"

    drug_spans = [(m.start, m.end) for m in mentions]
    # "ibuprofen for period cramps with my Zoloft": what one of two medicines is taken for says why, not what is
    # asked; their combination is the topic
    purposes = (
        [(m.end, m.end + p.end()) for m in mentions if (p := _PURPOSE.match(text[m.end :]))] if len(drugs) >= 2 else []
    )
    lay_words = {w for phrase in expansion.phrases for w in words(phrase)}
    key: set[str] = set()
    uncovered: list[str] = []
    unknown: list[str] = []
    missing_words: set[str] = set()
    # "my dog swallowed one of my prozac capsules!! is he going to be ok": the context is the subject
    offset = text.rfind(question, 0, carried_from) if asks_itself else 0
    # A remark after the question mark ("my american friend swears by it") is context: only a name in it
    # that the sources lack counts against the question.
    end = offset + len(question)
    remark = range(end, carried_from) if asks_itself else range(0)
    # Tags, and what a script or style element holds, are not words of the question.
    markup = [
        (t.start(), t.end())
        for t in re.finditer(r"<(script|style)\b[^>]{0,200}>.{0,2000}?</\1\s*>|<[^<>]{0,200}>", text, re.I | re.S)
    ]
    # "how long before it kicks in": "before" belongs to the asking words (how long), not to what is asked about
    how_long = [(m.start(1), m.end(1)) for m in _HOW_LONG_BEFORE.finditer(text)]
    judged: set[str] = set()
    story_pointed = asks_itself and bool(_POINTS_AT.search(question))
    # "doc gave me xanax for the panic attacks ... is it ok to take both at once": the asking clause pairs one
    # medicine the sources know with another from the story, so a short name there is a medicine too.
    pair_asked = asks_itself and len(drugs) == 1 and bool(_PAIR.search(question))
    # "ramelteon (rozerem)": a name in brackets after a medicine the sources know is another name for it
    aliases = [
        (m.start(2), m.end(2))
        for m in re.finditer(r"\b([A-Za-z][\w-]{3,})\s*\(([A-Za-z][\w -]{2,30})\)", text)
        if m.start(2) < carried_from and _names_a_medicine(m.group(1).lower(), corpus)
    ]
    # (chunks using it, or 0 for a term in capitals; English frequency; word; phrase)
    topics: list[tuple[int, float, str, str]] = []
    absent_everyday: list[tuple[str, str]] = []  # everyday words the corpus never uses ("dog", "cost")
    present = 0  # specific (not everyday) words of the question the corpus does use
    class_named = 0  # ... of which class words ("SSRIs")
    after_missing = -1  # where the last word of the question the corpus never uses ends
    present_before = 0  # ... and of the context before it ("dad has had two falls. could the tablets be to blame?")
    chatter = _chatter(text[: max(text.rfind(question, 0, carried_from), 0)] + " .", corpus, drug_spans)
    for hit in re.finditer(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]", text):
        word = re.sub(r"['’]s$", "", hit.group(0).lower()).replace("'", "").replace("’", "")  # "blogger's" → blogger
        if (
            any(s <= hit.start() < e for s, e in [*drug_spans, *markup, *aliases, *chatter, *how_long])
            or word in STOPWORDS
            or word in lay_words
            or word in GENERIC
            or (word.endswith("s") and word[:-1] in GENERIC)  # "my grandads funeral", "mums tablets"
            or word in CHAT_SHORTHAND
            or _PROFESSION.search(word)
        ):
            continue
        # Judge only the question itself, not a preamble ("ignore your rules ..."), for what is missing.
        if hit.start() in remark:
            if len(word) >= MIN_WORD and not corpus.known(word) and not is_english(word) and not typo_of_everyday(word):
                judged.add(stem(word))
                unknown.append(hit.group(0))
                missing_words.add(word)
                uncovered.append(_phrase_around(text, hit))
            continue
        if hit.start() >= offset:
            judged.add(stem(word))
        key.add(stem(word))
        if hit.start() < offset:
            present_before += corpus.known(word) and not is_everyday(word)
            # "... now talking about ECT. how many sessions does it take": with no medicine to point at, a name in
            # capitals the sources never use is what "it" is
            named_before = shouted(hit.group(0)) and not drugs and story_pointed and not text.isupper()
            if (
                (named_before and not corpus.known(word))
                or (
                    len(word) >= (MIN_WORD if pair_asked else NAME_IN_CONTEXT)
                    and not corpus.known(word)
                    and not is_english(word)
                    and not is_everyday(word)  # "getting married in spain": a place, common in English, not a medicine
                    and not typo_of_everyday(word)
                    and not _PLACE_BEFORE.search(text[: hit.start()])  # "stag do in Magaluf", "a week in Tenerife"
                    and not _ROLE_AFTER.match(text[hit.end() :])  # "Barista here, I ..."
                    and not (_ROLE_BEFORE.search(text[: hit.start()]) and _JOB.search(word))
                )
            ):
                unknown.append(hit.group(0))  # "my wife is on lamotrigine. can she take escitalopram as well"
                missing_words.add(word)
                uncovered.append(_phrase_around(text, hit))
            continue
        if len(word) < MIN_WORD:
            if len(word) == 3 and stem(word) not in corpus.stems and word not in corpus.surface:
                if is_english(word) and not shouted(hit.group(0)):
                    absent_everyday.append((word, _phrase_around(text, hit)))
                else:  # "tms", "cbd", "5-htp", "ECT": a name the sources never use
                    unknown.append(hit.group(0))
                    missing_words.add(word)
                    uncovered.append(_phrase_around(text, hit))
            continue
        if corpus.known(word):
            # a specific word the sources use: the topic is theirs (not a class carried in from another part)
            carried_class = bool(CLASS_WORDS.fullmatch(word)) and hit.start() >= carried_from
            # "vocal cords": a word the sources use, right after one they never use, is that word's phrase
            in_missing_phrase = after_missing >= 0 and text[after_missing : hit.start()].isspace()
            present += 0 if is_everyday(word) or _adverb(word) or carried_class or in_missing_phrase else 1
            # "do ssris raise cholesterol": the class names the medicine, as a drug's name does, not the topic
            class_named += bool(CLASS_WORDS.fullmatch(word)) and not carried_class
            if (
                0 < corpus.stem_counts.get(stem(word), 0) <= RARE_CHUNKS
                and 0 < (used_in := corpus.chunks_using(word)) <= RARE_CHUNKS
                and (
                    not (
                        is_everyday(word)
                        or typo_of_everyday(word)
                        or _verb_like(word)
                        or _acts(word, text[hit.end() :])  # "alters the amount"
                        or _adverb(word)
                        or graded(word)
                    )
                    or (shouted(hit.group(0)) and not text.isupper())
                )
                and not CLASS_WORDS.fullmatch(word)
                and not any(s <= hit.start() < e for s, e in purposes)
            ):
                # A term written in capitals ("PPHN") is named as the subject: it comes before a rare lower-case word.
                rank = 0 if shouted(hit.group(0)) and not text.isupper() else used_in
                topics.append((rank, _zipf(word), word, _phrase_around(text, hit)))
            # A name the lexicon does not know and the corpus only mentions in passing ("gabapentin" in one
            # list of drugs) is still a drug we have no source on.
            passing = 0 < corpus.chunk_counts.get(word, 0) <= PASSING_MENTION
            if (
                passing
                and DRUG_NAME.search(word)
                and not is_english(word)
                and not corpus.lexicon.generic(word)
                and not CLASS_WORDS.fullmatch(word)
            ):
                unknown.append(hit.group(0))
                missing_words.add(word)
                uncovered.append(_phrase_around(text, hit))
            continue
        if not is_english(word) and not is_everyday(word) and not typo_of_everyday(word):
            unknown.append(hit.group(0))
        elif (_ROLE_BEFORE.search(text[: hit.start()]) and _JOB.search(word)) or (
            hit.group(0)[0].isupper() and _PLACE_BEFORE.search(text[: hit.start()])
        ):
            continue  # who the patient is and where they live ("I'm a receptionist in Leeds") say who asks
        elif _acts_on(word, text[hit.end() :]):  # "ruining my sleep", "messing with it": the sleep is asked about
            judged.discard(stem(word))
            continue
        elif is_everyday(word) or typo_of_everyday(word) or _acts(word, text[hit.end() :]):
            judged.discard(stem(word))
            absent_everyday.append((word, _phrase_around(text, hit)))
            continue
        missing_words.add(word)
        uncovered.append(_phrase_around(text, hit))
        after_missing = hit.end()
    # "can i give blood on prozac": a topic the sources leave out, in words they use in another sense. The
    # question is about it: declined as a whole, since the rest only says who asks.
    # "my eyes are so dry ... is that a known side effect?": "that" is the story, when the story speaks of nothing
    # the sources cover ("... tell the dvla ... or my insurance is void. is that true?" does)
    asked_end = max(text.rfind(question, 0, carried_from), 0) + len(question)
    asking = question.lower()
    story_covered = bool(expansion.subjects) or bool(present_before if asks_itself else present)
    if not story_covered and (not asks_itself or _STORY_POINTED_AT.search(question)):
        asking = text[:asked_end].lower()
    outside = [p for p in expansion.outside if p in asking and not _ARTICLE_WORDS.search(text)]  # an article's analogy
    uncovered.extend(outside)
    about_articles = bool(_ARTICLE_WORDS.search(text))
    if about_articles and drugs:
        present += 1  # "how long did the med student blogger stay on escitalopram": the article's own story
    # What the asking clause itself asks about: the story before it ("anxiety is better but my skin has broken
    # out in acne. is acne a side effect of lexapro") is the setting, when the clause names its own subject.
    own_subject = asks_itself and not _STORY_POINTED_AT.search(question)
    asked_subjects = vocabulary.expand(text[offset:]).subjects if own_subject else expansion.subjects
    if (
        not present
        and (not present_before or own_subject)
        and not missing_words
        and absent_everyday
        and not asked_subjects
        and len(drugs) < 2  # two medicines named: their combination is the topic
        and not about_articles  # "what was their explanation": what the article says is the topic
    ):
        # Every word that says what the question is about is one the sources never use ("does lexapro
        # cost less than zoloft", "can my dog take prozac"): everyday words, but the topic all the same.
        for word, phrase in absent_everyday:
            missing_words.add(word)
            judged.add(stem(word))
            uncovered.append(phrase)
    # A subject the vocabulary knows ("a whole packet" is an overdose) is a covered word of the question.
    subjects = len(set(expansion.subjects) - set(expansion.conditions))
    # Two medicines the sources know, asked about together, are covered subjects too: "ibuprofen for his knee
    # with sertraline" is about the combination, not the knee.
    combined = len(drugs) if len(drugs) >= 2 else 0
    share = len({stem(w) for w in missing_words}) / (len(judged) + subjects + combined) if judged else 0.0
    about_author = about_articles and bool(_THE_AUTHOR.search(text)) and not _OTHER_PEOPLE.search(text)
    half_covered = (
        ()
        if unknown and len(drugs) <= 1 and COMBINED.search(question)  # "xanax and lexapro together": one question
        else _uncovered_parts(question, missing_words, {w for w, _ in absent_everyday}, corpus, outside)
    )
    if not topics:
        # "my dad takes water tablets": the sources' own word for the patient's phrase ("diuretics"), when that
        # word is as specific as a topic the question wrote itself
        topics = [
            (used_in, _zipf(word), word, phrase)
            for phrase, word in expansion.named
            if 0 < (used_in := corpus.chunks_using(word)) <= RARE_CHUNKS and not is_everyday(word)
        ]
    topic = min(topics, default=None) if not about_articles else None  # an article question is about the article
    # About something the sources leave out: a topic named by an `outside` phrase, whatever else the question
    # names, or one whose every specific word is missing, when nothing it asks about is covered.
    # "... i get hiccups for like an hour after every dose. is that a thing": the complaint the question points
    # at is what it asks about; one the sources never name is not covered, whatever else the story covers.
    complaint = _COMPLAINT.search(text[:asked_end]) if not own_subject else None
    after = (complaint.group(2) or "").lower() if complaint else ""
    if complaint and after and after not in STOPWORDS and corpus.known(after):
        complaint = None  # "ive had a thumping headache": the headache, which the sources name, not how it feels
    if complaint and complaint.group(1).lower() in missing_words:
        said = vocabulary.expand(question)
        if set(said.subjects) - set(said.conditions):
            # "ive got crohns ... does any of that make my depression more likely to come back": the question asks
            # of something the sources cover (relapse); the complaint is the part they do not
            half_covered = (*half_covered, complaint.group(1).lower())
        else:
            outside.append(complaint.group(1).lower())
    uncovered_topic = (bool(outside) and not half_covered) or (
        bool(missing_words)
        and present <= class_named
        and not half_covered
        # "is a local anaesthetic ok while nursing": breastfeeding is the patient's state, the anaesthetic the subject
        and not set(asked_subjects) - set(expansion.conditions)
        and (len(drugs) < 2 or qtype == "comparison")  # two drugs: their combination, unless compared on it
    )
    return Question(
        text=text,
        drugs=drugs,
        classes=classes,
        notes=notes,
        populations=expansion.populations,
        ages=expansion.ages,
        qtype=qtype,
        expansion=terms,
        search_text=search_text,
        asked_text=asked_text,
        aspect_text=aspect_text,
        about_articles=about_articles,
        about_author=about_author,
        key_terms=frozenset(key),
        specific_terms=frozenset(t for t in key if corpus.stem_counts.get(t, 0) <= SPECIFIC_CHUNKS),
        uncovered=_outermost(uncovered),
        unknown_names=tuple(dict.fromkeys(unknown)),
        parts=split_parts(text),
        uncovered_share=share,
        uncovered_parts=half_covered,
        names_class=bool(CLASS_WORDS.search(text)),
        uncovered_topic=uncovered_topic,
        topic=topic[2] if topic else "",
        topic_phrase=topic[3] if topic else "",
        drugs_carried=bool(drugs) and all(m.start >= carried_from for m in mentions),
    )


def _outermost(phrases: list[str]) -> tuple[str, ...]:
    """Each phrase once, leaving out one that a longer phrase holds ("spray" beside "nasal spray")."""
    unique = list(dict.fromkeys(phrases))
    return tuple(p for p in unique if not any(q != p and re.search(rf"\b{re.escape(p)}\b", q) for q in unique))


def _names_subject(text: str, vocabulary: Vocabulary) -> bool:
    """Whether the vocabulary finds a subject or people in `text` ("older people", "feel sick")."""
    said = vocabulary.expand(text)
    return bool(said.subjects or said.populations)


def _uncovered_parts(
    question: str, missing: set[str], absent: set[str], corpus: CorpusWords, outside: list[str] | None = None
) -> tuple[str, ...]:
    """'does paxil cause tinnitus or a dry mouth' → ('tinnitus',): a coordinated part whose every key
    word is missing from the corpus (an everyday word the corpus never uses, like 'stones', goes with
    a missing one), next to a part the corpus does cover. A part naming a topic the sources leave out
    (`outside` phrases: 'kidney stones') is not covered, whatever medicine it names."""
    outside = outside or []
    if not missing and not absent and not outside:
        return ()
    # "now and then", "more or less": a set phrase, not two things asked about
    segments = [s for s in re.split(r"\s*(?:\band\b|\bor\b|&|/)\s*", _BINOMIAL.sub("_", question)) if s.strip()]
    if len(segments) < 2:
        return ()
    out, covered, asking = [], False, False
    for i, segment in enumerate(segments):
        seg_words = [w.lower() for w in re.findall(r"[A-Za-z][A-Za-z-]*[A-Za-z]", segment)]
        # What comes before the first part that asks only sets the scene ("my zoloft stopped working and
        # they mentioned spravato, how does that work"): it is not a covered part of the question.
        asking = asking or bool(_ASKING_WORD.search(segment))
        named = [p for p in outside if re.search(rf"\b{re.escape(p)}\b", segment.lower())]
        if named:  # "kidney stones": the words next to the phrase that the corpus lacks name the part with it
            at = seg_words.index(words(named[0])[0]) if words(named[0])[0] in seg_words else len(seg_words)
            after = list(itertools.takewhile(lambda w: w in missing or w in absent, seg_words[at + 1 :]))
            out.append(" ".join([named[0], *after]))
            continue
        key = [
            w
            for w in seg_words
            if w not in STOPWORDS and w not in GENERIC and len(w) >= MIN_WORD and not corpus.lexicon.generic(w)
        ]
        specific = any(corpus.known(w) and not is_everyday(w) for w in key)  # a word the sources use, not everyday
        # Before a conjunction only the words next to it are coordinated ("raise my cholesterol and ...").
        tail = key
        if i < len(segments) - 1:
            tail = []
            for w in reversed(key):
                if w not in missing and w not in absent:
                    break
                tail.insert(0, w)
        # An everyday word beside one the sources never use ("hair fall out") goes with it, though they use it
        # elsewhere ("falls" in older people).
        if (
            tail
            and all(w in missing or w in absent or is_everyday(w) for w in tail)
            and any(w in missing or w in absent for w in tail)
        ):
            out.append(" ".join(_with_its_noun(tail, seg_words)))
            if (
                len(tail) < len(key) and asking
            ):  # a medicine named beside it is not a covered part ("can citalopram cause acne")
                covered = True
        elif (
            (key or any(corpus.lexicon.generic(w) for w in seg_words))
            and (not any(w in missing for w in key) or specific)
            # "is paroxetine safe for my eyes": everyday words alone, none of them a subject or people the
            # vocabulary knows ("older people" is), say nothing the sources cover
            and (not key or specific or _names_subject(segment, corpus.vocabulary))
        ):
            # not "can citalopram throw off thyroid results": a word the sources never use, and nothing
            # specific they do use ("say SSRIs are harmless" is about SSRIs)
            covered = covered or asking
    return tuple(out) if covered else ()


_BINOMIAL = re.compile(
    r"\b(?:(?:every\s+)?now and (?:then|again)|on and off|off and on|more or less|sooner or later|back and forth"
    r"|over and over|again and again|here and there|once or twice|one or two|two or three|(?:a|an) (?:day|week|month|hour)"
    r" or (?:two|so)|or so|or something|or anything|or whatever|and stuff|and that|and all that)\b",
    re.I,
)
_POINTS_BACK_AT = re.compile(  # "how likely is that really", "does that matter" (not "how long was it before")
    r"\b(?:is|was|are|does|did|can|could|would|will)\s+(?:that|this)\b(?!\s+(?:a|an|the|my|one|pill|drug)\b)", re.I
)
_QUESTION_WORDS = r"what|how|why|when|which|who|where"
_AUXILIARIES = r"is|are|does|do|did|can|could|should|would|will"
_ASKING_LINE = re.compile(rf"^(\W*(?:{_QUESTION_WORDS}|{_AUXILIARIES})\b[^\n?]*?[^\s?])[ \t]*\n(?=\s*\S)", re.I | re.M)
_ASKING_WORD = re.compile(rf"\b(?:{_QUESTION_WORDS}|{_AUXILIARIES}|whats|was|any)\b", re.I)
_MEDICINE_NOUNS = frozenset("pill pills tablet tablets medicine medicines medication medications meds drops".split())


def _with_its_noun(tail: list[str], seg_words: list[str]) -> list[str]:
    """'contraceptive' → 'contraceptive pill': the word for a medicine after the missing one names it."""
    last = max((i for i, w in enumerate(seg_words) if w == tail[-1]), default=-1)
    after = seg_words[last + 1] if 0 <= last < len(seg_words) - 1 else ""
    return [*tail, after] if after in _MEDICINE_NOUNS else tail


def shouted(word: str) -> bool:
    """A term written in capitals ("FINISH", "PSSD"): a name for something, whatever the English word."""
    return len(word) >= 3 and word.isupper() and word.isalpha()


_COMPLAINT = re.compile(
    r"\b(?:i|im|i'm|i’m|ive|i've|i’ve)\s+(?:keep\s+|been\s+|started\s+|now\s+|also\s+|always\s+)?"
    r"(?:get|getting|got|have|having|had)\s+(?:these\s+|this\s+|a\s+|an\s+|really\s+|bad\s+|awful\s+|constant\s+)*"
    r"([a-z]+)(?:\s+([a-z]+))?",
    re.I,
)
_OPENS_ASKING = re.compile(  # "... like crazy?? is sertraline known to": a later clause opening to ask
    rf"^\W*(?:so\s+|and\s+|but\s+)?(?:{_QUESTION_WORDS}|(?:{_AUXILIARIES})(?=\s+\w))\b", re.I
)


def _last_question(text: str) -> str:
    """The clause that asks: the last one ending in a question mark, else the last one; a later clause that
    opens with a question word asks even without its mark ("... made him happy?? what were his reasons")."""
    clauses = [c for c in re.split(r"(?<=[.!?:])\s+", text.strip()) if c.strip()]
    asking = [i for i, c in enumerate(clauses) if c.rstrip().endswith("?")]
    if not asking:
        return clauses[-1] if clauses else text
    later = [c for c in clauses[asking[-1] + 1 :] if _OPENS_ASKING.search(c)]
    return later[-1] if later else clauses[asking[-1]]


_POINTS_AT = re.compile(  # a word pointing at something named before ("what did he call it"), not "how long was it"
    r"(?<!\bwas )(?<!\bis )(?<!\bwill )\b(?:it|this|that|these|those|them)\b(?! (?:is|was|are) (?:the|a)\b)(?! before\b)",
    re.I,
)
# Where a word in the story is a place ("a week in Tenerife", "flying to Dubai") or who the patient is
# ("Barista here"), not a medicine
_PLACE_BEFORE = re.compile(
    r"\b(?:in|from|at|near|around|visiting|across|(?:fly|flying|flew|going|went|trip|holiday|travel|travelling|moving|moved)"
    r" to)\s+(?:the\s+)?$",
    re.I,
)
_ROLE_AFTER = re.compile(r"\s+(?:here|by trade)\b", re.I)
# "I'm a receptionist in Leeds", "I work nights as a security guard": a job in the story, not a medicine
_ROLE = r"\b(?:i'?m|i am|as|was|work(?:s|ed|ing)? as)\s+an?\s+(?:[a-z]+\s+)?"
_JOB_ENDING = r"(?:ist|er|or|ian|man|woman|ant)s?"
_ROLE_BEFORE = re.compile(rf"{_ROLE}$", re.I)
_JOB = re.compile(rf"{_JOB_ENDING}$", re.I)
_SCENERY = re.compile(rf"(?i:{_ROLE}[a-z]+{_JOB_ENDING}\b)|\b(?:in|from|near)\s+[A-Z][a-z]+\b")


# A short remark that asks nothing and names nothing the sources speak of: "Bit awkward this.", "Be honest."
CHATTER_WORDS = 5
_WH = re.compile(r"^\W*(?:what|how|why|when|where|who|which)\b", re.I)
_SENTENCE = re.compile(r"[^.!?\n]+[.!?\n]+|[^.!?\n]+$")


def _chatter(text: str, corpus: CorpusWords, drug_spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans of the short remarks before the text's last sentence: at most CHATTER_WORDS words, not a
    question, naming no medicine and no specific word the sources use ("Bit awkward this.", "OK, that makes
    sense I suppose.")."""
    spans = []
    for m in list(_SENTENCE.finditer(text))[:-1]:  # the last sentence is what is asked
        said = m.group(0)
        found = words(said)
        if (
            not found
            or len(found) > CHATTER_WORDS
            or "?" in said
            or _YES_NO.search(said)
            or _WH.search(said)
            or any(m.start() <= s < m.end() for s, _ in drug_spans)
            or any((corpus.known(w) and not is_everyday(w)) or not is_english(w) for w in found)
        ):
            continue
        spans.append((m.start(), m.end()))
    return spans


def without_scenery(text: str) -> str:
    """The text without who the asker is and where they live ("I'm a receptionist in Leeds"), which say
    nothing of what a later part of the question asks about."""
    return _SCENERY.sub(" ", text)


def what_is_told(text: str, corpus: CorpusWords) -> str:
    """What a part of a question tells, for a later part that leans on it: without who asks, where they live,
    and short remarks ("Bit awkward this.")."""
    spans = _chatter(text, corpus, [(m.start, m.end) for m in corpus.lexicon.mentions(text)])
    for start, end in reversed(spans):
        text = f"{text[:start]} {text[end:]}"
    return without_scenery(text)


# "is that a known side effect", "is the prozac doing this": the question is about what the story before it told
_STORY_POINTED_AT = re.compile(
    r"\b(?:that|this|it|them|these|those)\b(?!\s+(?:one|drug|medicine|medication|pill|tablet|med)s?\b)|\bone or the other\b|\beither\b",
    re.I,
)
# "does that go for citalopram too", "is this true of zoloft": whether what was told applies to a medicine
_APPLIES = re.compile(
    r"\b(?:that|this|it)\s+(?:also\s+)?(?:go|goes|apply|applies|hold|holds|count|counts)\b"
    r"|\b(?:same|true|the case)\s+(?:for|with|of)\b",
    re.I,
)
# "for period cramps", "for his bad knee": up to four words, ending before the next clause or medicine
_PURPOSE = re.compile(r"\s+for\s+(?:(?!(?:with|and|or|while|whilst|alongside|on|if|but|when)\b)[a-z'’]+\s*){1,4}", re.I)
_PAIR = re.compile(r"\b(?:both|together|the two|the pair|mix(?:ing)? (?:them|the two)|combine them)\b", re.I)
_JOINS = re.compile(r"\W*(?:and|or|but|so|plus|also)\b", re.I)  # "..., and what did it feel like": a second question


def _has_words_of_its_own(clause: str) -> bool:
    """Whether a clause says something beyond question words and chat ("is he ok" does not, "what dose" does)."""
    return any(w not in STOPWORDS and w not in GENERIC and w not in CHAT_SHORTHAND for w in words(clause))


def _without_names(clause: str, lexicon: Lexicon) -> str:
    out, last = [], 0
    for m in lexicon.mentions(clause):
        out.append(clause[last : m.start])
        last = m.end
    return " ".join([*out, clause[last:]])


def _question_proper(clause: str) -> str:
    """The clause from its last question word after a comma or dash: "that blog by the med student who
    microdosed lexapro, what dose did he start on?" asks "what dose did he start on?"."""
    segments = re.split(r"\s*[,;:—–]\s+|\s+-\s+", clause)
    for at in range(len(segments) - 1, 0, -1):
        segment = segments[at]
        if _OPENS_ASKING.search(segment) and not _JOINS.match(segment) and _has_words_of_its_own(segment):
            return clause[clause.rfind(segment) :]
    return clause


_OBJECT_AFTER = re.compile(r"\s+(?:my|your|his|her|their|our|me|him|them|us|it|with|up)\b", re.I)


def _acts_on(word: str, after: str) -> bool:
    """'ruining my sleep', 'messing with it', 'screwing up': an English verb form (-ing, -ed) doing something to
    what follows, not the subject of the question ('is swimming ok on prozac' is about swimming). Unlike
    `_verb_like`, which keeps a verb from being a topic, this needs the object after it."""
    return word.endswith(("ing", "ed")) and bool(_OBJECT_AFTER.match(after))


def _phrase_around(text: str, m: re.Match[str]) -> str:
    """The uncovered word with an adjacent content word ("grapefruit juice", "hair loss")."""
    phrase = m.group(0)
    after = re.match(r"\s+([A-Za-z][A-Za-z-]+)", text[m.end() :])
    if after and (
        after.group(1).lower() in _MEDICINE_NOUNS
        or (after.group(1).lower() not in STOPWORDS and after.group(1).lower() not in GENERIC)
    ):
        phrase = f"{phrase} {after.group(1)}"
    return phrase


def _plural(drug_class: str) -> str:
    if drug_class.isupper() or drug_class.endswith(("I", "A")):
        return f"{drug_class}s"
    return drug_class


def corpus_words(chunk_texts: list[str], lexicon: Lexicon, vocabulary: Vocabulary) -> CorpusWords:
    surface: set[str] = set()
    counts: dict[str, int] = {}
    for text in chunk_texts:
        found = {w for w in words(text) if w.isalpha()}
        surface.update(found)
        for w in found:
            counts[w] = counts.get(w, 0) + 1
    surface.update(a for a in lexicon.alias_to_generic if " " not in a)
    return CorpusWords(surface, lexicon, vocabulary, counts, spelled_out(chunk_texts, is_english))
