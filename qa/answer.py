"""The default answerer: extractive and grounded, no generative model.

Sentences of the retrieved passages are scored against the question and against its aspect alone
(precomputed sentence vectors, no extra model call), plus terms for the sources' wording of the
patient's words, the kind of sentence the question wants (a duration, a dose, a rate, a reason),
the people it is about, drug consistency, and whose words they are (reference facts before an
article's opinions or anecdotes). The best sentence comes first; a sentence that leans on the one
before it ("This is why...") brings that one along; the same fact is never quoted twice.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

import numpy as np

from ingest.settings import AnswerSettings
from ingest.text import content_terms, stem
from qa.citations import CitationBook
from qa.index import LoadedIndex
from qa.question import CLASS_WORDS, SECTION_KINDS, Question, own_words, shouted
from qa.types import Passage, QueryVectors

LEXICAL_WEIGHT = 0.20
CONTEXT_MARGIN = 0.15  # how much less close a sentence is than its passage or the heading of its section
DRUG_MATCH_BONUS = 0.10
CARRIED_DRUG_BONUS = 0.07  # ... when the drug only comes from what a follow-up carries: the setting, not the ask
DRUG_MISMATCH_PENALTY = 0.15
CLASS_MATCH_BONUS = 0.05  # a question on two drugs: the sentence names one and speaks of a class asked about
PAIR_BONUS = 0.05  # a question on two drugs: the sentence speaks of both, by name or class ("SSRIs and linezolid")
RANK_PENALTY = 0.01
KIND_WANTED_BONUS = 0.05  # a sentence of the kind the question type wants (a duration for "how long")
USES_BONUS = 0.1  # ... and more for "what is it approved for", whose answer is that list itself
FIGURE_BONUS = 0.05  # ... and more when it gives the rate itself ("46%", "1 in 216"), not only the word ("common")
POPULATION_BONUS = 0.06
AGE_BONUS = 0.1  # "my son is 22": the sentence whose ages take his in ("young adults aged 18 to 24")
YEAR_BONUS = 0.05  # "in the large 2018 comparison": the sentence of that year, not one of another year's study
BRAND_BONUS = 0.1
ACRONYM_BONUS = 0.2  # "what does the FINISH thing stand for": the sentence that writes the term as asked
AUTHORITY_BONUS = 0.1  # "the FDA's position on ...", "according to NICE": a sentence saying what that body says
ARTICLE_PENALTY = {"reference": 0.0, "opinion": 0.05, "anecdote": 0.08}  # on health questions
REFERENCE_PENALTY_ON_ARTICLE_QUESTIONS = 0.08
AUTHOR_OWN_BONUS = 0.08  # a question on what the author did himself: his own first-person sentences
OTHERS_STORY_PENALTY = 0.15  # ... and not the story of a friend he tells
DUPLICATE_SENTENCE = 0.86  # sentences at least this similar say the same thing
CONTAINED = 0.8  # ... and a sentence whose words are nearly all in one already quoted says nothing new
CONTAINED_MIN_TERMS = 5
ANOTHER_BONUS = 0.05  # "what would they try next": a sentence that names another medicine
OFF_TOPIC_PENALTY = 0.1  # a sentence from a passage that never uses the question's specific topic word
OTHER_NAMED_BONUS = 0.1  # two medicines: a sentence naming the one without a note of its own, even in a list
SECOND_SIDE_MARGIN = 0.3
FIGURE_MARGIN = 0.35  # a how-common answer whose lead gives no rate: the rate from the same note, if this close
CAUSE_MARGIN = 0.5  # a why answer whose lead gives no cause: the sentence after a close one that gives it
NEXT_SENTENCE_MARGIN = 0.36  # a lone answer sentence takes the next one in its paragraph if it scores this close
SAME_NOTE_MARGIN = 0.5  # under a class-level lead, what the same note says of the drug asked about: on topic
OTHER_DURATION_PENALTY = 0.05  # "how long do side effects last": a half-life answers another how-long
UNTIMED_PENALTY = 0.05  # "how long should she stay on it": a sentence that gives no span of time does not say
OFF_KIND_PENALTY = 0.2  # "what can i do about it": a sentence saying only that the problem exists does not answer
ASKED_SECTION_BONUS = 0.1  # ... one from the section whose heading asks the same ("What helps with sweating?") does
UNNAMED_RANKING_PENALTY = 0.1  # "which one is worst": a sentence naming no medicine cannot say which
NAME_ONLY_PENALTY = 0.1  # "Paroxetine is an SSRI sold as Paxil and Seroxat": close to any question naming it
REPEAT_PENALTY = 0.15  # a follow-up wants something new: a sentence the last answer already quoted
SAME_FIGURES = 0.6  # share of a sentence's figures already quoted, with the same words, that makes it a repeat  # a comparison's other side is shown if its best sentence is this close

_ASKS_FOR_ANOTHER = re.compile(
    r"\b(?:try|use|give|prescribe|offer|switch (?:\w+ )?to|move (?:\w+ )?(?:on)?to|go (?:on)?to)\s+(?:\w+\s+)?(?:next|instead|after that|then)\b"
    r"|\b(?:try|tried|use|used|given|prescribed|offered) (?:next|instead|after)\b|\bwhat (?:else|other)\b|\balternatives?\b|\bsecond[- ]line\b",
    re.I,
)
_ANAPHOR = re.compile(
    # "In the US it is approved for ...": a short setting first does not name what "it" is
    r"^\W*(?:in (?:the )?(?:US|UK|EU|Europe|England|Britain),? (?=(?:it|they|this)\b))?(?:this|these|that|those|it|its|they|their|such|both|here|he|she|his|her|because of (?:this|that)|for (?:this|that) reason|"
    r"as a result|however|but|therefore|thus|hence|so|instead|otherwise|in (?:this|that) case|in other words|even so)\b",
    re.I,
)
# words that, beside a medicine's names and class, only say what it is called and where
_NAMING = frozenset(content_terms("sold called known name names brand brands marketed market also us uk eu europe"))
_ASKS_NAME = frozenset(content_terms("same different difference version call called name names brand generic"))
_SAMENESS = frozenset(content_terms("stuff thing things drug medicine tablet pill"))
_HALF_LIFE = re.compile(r"\bhalf[- ]li(?:fe|ves)\b", re.I)
_HALF_LIVES_COUNTED = re.compile(r"\b(?:\d+|two|three|four|five|six|seven)\s+half[- ]lives\b", re.I)
_FIRST_PERSON = re.compile(r"\bI\b|\b(?:[Mm]y|[Mm]e)\b")
# A line of an article that opens on someone else ("- One friend uses ...", "My mum used ...") tells that
# person's story, even where a later sentence says "I" ("The last time I spoke to him he said he stopped").
_SOMEONE_ELSE = re.compile(
    r"\b(?:friends?|mum|mother|mom|dad|father|brother|sister|woman|women|man|men|girlfriend|ex-girlfriend|"
    r"boyfriend|wife|husband|colleague|patients?|people|he|she|they)\b",
    re.I,
)
_LABEL_CITED = re.compile(r"\([^()]*\blabels?\b[^()]*\)", re.I)  # "(Prozac label)", "(Effexor XR label)"
_REFERS_BACK = re.compile(  # "... with any of these medicines": what they are is said just before
    r"\b(?:these|those|such) (?:medicines|drugs|combinations|conditions|signs|symptoms|numbers|ratios|comparisons|enzymes|problems)\b"
    r"|\b(?:that|this|the same) (?:review|study|analysis|reanalysis|meta-analysis|trial|survey|paper|finding|warning|estimate)\b"
    # "In both of those escitalopram cases, ...": a short lead-in to what was just described
    r"|^\W*(?:in|of|for|among|from|with|after|by)\s+(?:(?:both|all|each|either|neither|some|most|many|none|one)\s+of\s+)?"
    r"(?:these|those|them|both)\b"
    # "Raising the dose beyond that adds little extra occupancy": "that" stands for what the sentence before gave
    r"|\b(?:beyond|above|below|than|despite|besides|after|before) (?:that|this)"
    r"(?=\s*[,.;:]|\s+(?:adds?|is|are|was|were|has|have|had|does|do|did|can|could|may|might|will|would|gives?|makes?)\b)",
    re.I,
)
_ALSO = re.compile(
    r"^\W*(?:[\w'-]+\s+){0,3}(?:also|too|either)\b", re.I
)  # "SSRI labels also warn ...": adds to the one before
_INTRODUCES = re.compile(
    r"\b(?:has been |have been |is |are )?(?:termed|dubbed|nicknamed)\b|\bthere is (?:this|a) saying\b|\bas follows\b|:\s*$",
    re.I,
)
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_WANTS = {
    "year": _YEAR,
    "remedy": re.compile(
        r"\b(?:can help|may help|might help|helps?|options?|try|consider\w*|switch\w*|adding|added|lower(?:ing)? the dose"
        r"|reduc\w+ the dose|improve\w*|alarm|organiser|advis\w+|suggest\w*"
        r"|(?:tell|contact|talk to|speak to|ask|see|report\w* to) (?:the|your|a|their) (?:prescriber|doctor|gp|pharmacist|midwife))\b",
        re.I,
    ),
    # a list: "not feeding as well as usual, seems unusually sleepy, or is irritable"
    "signs": re.compile(
        r"\b(?:include|includes|including|such as|signs?|symptoms?)\b|(?:\b(?:[\w'-]+ ){0,4}[\w'-]+, ){2,}", re.I
    ),
    "duration": re.compile(
        r"\b\d+(?:\.\d+)?\s*(?:(?:to|-|–)\s*\d+\s*)?(?:hours?|days?|weeks?|months?|years?)\b|\b(?:weeks?|months?|days?)\b|\b(?:a|one) year\b",
        re.I,
    ),
    "dose": re.compile(
        r"\b\d+(?:\.\d+)?\s*mg\b|\bdoses?\b|\b(?:once|twice|three times) (?:a|per|each) day\b|\b(?:once|twice) daily\b",
        re.I,
    ),
    "frequency": re.compile(
        r"%|\b\d[\d,.]* (?:in|of|out of) \d|\bper \d|\bone in\b|\b(?:common|rare|uncommon|most people|many people)\b",
        re.I,
    ),
    "risk": re.compile(
        r"\b(?:risk factors?|at (?:higher|greater|increased|most|particular|special) risk|(?:higher|greater|increased) risk"
        r"|raises? the (?:chance|risk)|more likely|most common in|most at risk|older age|especially)\b",
        re.I,
    ),
    "reason": re.compile(
        r"\b(?:because|due to|since|as a result|caused by|which is why|reason|so that|thought to)\b", re.I
    ),
    "truth": re.compile(
        r"\b(?:evidence|found|shown|studies|study|review|trials?|proven|supported|no consistent|not been shown|debated|myth)\b",
        re.I,
    ),
    "ranking": re.compile(
        r"\b(?:highest|lowest|most|least|best|worst|strongest|weakest|fewest|safest|greatest|largest|biggest|smallest|more|less"
        r"|ranged from|ranging from)\b",
        re.I,
    ),
    # the list of what it is approved for: "approved for depression, generalised anxiety disorder, diabetic ..."
    "uses": re.compile(
        r"\b(?:approved|licensed|indicated|used|prescribed)\b(?: [\w()]+){0,3} (?:for|to treat) (?:[\w'-]+ ){0,4}[\w'-]+,"
        r" (?:[\w'-]+ ){0,4}[\w'-]+,",
        re.I,
    ),
    "definition": re.compile(
        r"\b(?:is|are|means|refers to|describes|stands for)\b\s+(?:a|an|the|when|that)\b"
        r"|\b(?:often |also |sometimes |usually )?(?:called|known as|defined as)\b",
        re.I,
    ),
}
_USES_FRAME = frozenset(
    content_terms("what conditions illnesses problems disorders is it approved licensed used prescribed given")
)
# What a question of quantity wants most: the figure, not the word for it.
_FIGURES = {
    "frequency": re.compile(r"\d\s*%|\b\d[\d,.]* (?:in|of|out of) \d|\bper \d|\bone in\b", re.I),
}
# What an answer must hold, else the closest sentence that holds it is added: the rate for "how common", the
# year for "when did" ("... carry a boxed warning" does not say since when), the cause for "why".
_MUST_HOLD = {
    **_FIGURES,
    "year": _WANTS["year"],
    # the cause itself: "because" there is as often the reason for advice ("..., because these can be signs of")
    "reason": re.compile(r"\b(?:mechanism|caused by|due to|because of|thought to|results? from|works? by)\b", re.I),
}
# The ages a sentence speaks of: "aged 18 to 24", "aged 65 and over", "from age 8", "adults older than 24",
# "under 18" (not "over 24 hours" or "over 10 years").
_NOT_AN_AGE = r"(?!\s*(?:mg|milligrams?|hours?|days?|weeks?|months?|years?\b(?!\s+old)|%|percent|per|times|trials|studies|people))"
_AGE_SPANS: list[tuple[re.Pattern[str], Callable[[int, re.Match[str]], bool]]] = [
    (re.compile(r"\baged? (\d{1,3}) ?(?:to|-|–) ?(\d{1,3})\b", re.I), lambda n, m: int(m[1]) <= n <= int(m[2])),
    (
        re.compile(
            r"\b(?:aged? (\d{1,3}) (?:and|or) (?:over|older|above)|(?:from|over) (?:the )?age (?:of )?(\d{1,3}))\b",
            re.I,
        ),
        lambda n, m: n >= int(m[1] or m[2]),
    ),
    (
        re.compile(rf"\b(?:over|older than|above) (\d{{1,3}})\b{_NOT_AN_AGE}", re.I),
        lambda n, m: n > int(m[1]),
    ),
    (
        re.compile(rf"\b(?:under|younger than|below)[ -](?:the age of |age )?(\d{{1,3}})s?\b{_NOT_AN_AGE}", re.I),
        lambda n, m: n < int(m[1]),
    ),
]


def _takes_in(text: str, ages: tuple[int, ...]) -> bool:
    """Whether the sentence names an age group that one of the asked ages belongs to."""
    return any(fits(age, m) for pattern, fits in _AGE_SPANS for m in pattern.finditer(text) for age in ages)


_POPULATION = {
    "older": re.compile(r"\b(?:older|elderly|over (?:60|65)|aged? (?:60|65)|later life|falls?)\b", re.I),
    "young": re.compile(
        r"\b(?:child(?:ren)?|adolescents?|young (?:people|adults)|teen(?:ager)?s?|under 18|paediatric|pediatric|aged? (?:8|12|18|24))\b",
        re.I,
    ),
    "pregnant": re.compile(r"\b(?:pregnan\w*|trimester|newborns?|births?|unborn)\b", re.I),
    "breastfeeding": re.compile(r"\b(?:breast\w*|milk|nursing|infants?|bab(?:y|ies)|baby.s)\b", re.I),
}


@dataclass
class Draft:
    kind: str  # "answer" | "no_answer"
    paragraphs: list[str] = field(default_factory=list)
    best_similarity: float = 0.0
    used_spans: list[tuple[str, int, int]] = field(default_factory=list)  # (chunk id, start, end)
    not_covered: str = ""  # "grapefruit juice": what the sources do not cover, said plainly first
    rows: list[int] = field(default_factory=list)  # the sentences quoted


@dataclass(frozen=True)
class Candidate:
    row: int
    chunk_index: int
    passage_rank: int
    similarity: float
    score: float


class ExtractiveAnswerer:
    answers_parts = True  # a multi-part question is answered part by part (see Chatbot)

    def __init__(self, index: LoadedIndex, settings: AnswerSettings) -> None:
        self.index = index
        self.settings = settings
        self._drugs_cache: dict[int, frozenset[str]] = {}
        self._terms_cache: dict[int, frozenset[str]] = {}
        self._names_only_cache: dict[int, bool] = {}
        self._others_cache: dict[int, bool] = {}

    # ------------------------------------------------------------------ sentence facts
    def sentence_drugs(self, row: int) -> frozenset[str]:
        """Drugs a sentence is about: named in it, else earlier on its line, else in its title."""
        cached = self._drugs_cache.get(row)
        if cached is None:
            chunk = self.index.chunks[int(self.index.sentence_rows[row][0])]
            lexicon = self.index.lexicon
            # "(Prozac label)" names where a class-wide fact comes from, not what the sentence is about
            text = _LABEL_CITED.sub(" ", self.index.sentence_text(row))
            found = {m.generic for m in lexicon.mentions(text, fuzzy=False)}
            if not found:
                found = {m.generic for m in lexicon.mentions(self._line_before(row), fuzzy=False)[:1]}
            if not found and chunk.source_kind == "reference":
                found = {m.generic for m in lexicon.mentions(chunk.title, fuzzy=False)[:1]}
            cached = self._drugs_cache[row] = frozenset(found)
        return cached

    def others_story(self, row: int) -> bool:
        """Whether the sentence belongs to a line of an article that opens on someone other than the author:
        the words of the line before its first "I" name another person."""
        cached = self._others_cache.get(row)
        if cached is None:
            line = self._line_before(row) + self.index.sentence_text(row)
            opening = re.split(r"\bI\b", line, maxsplit=1)[0]
            cached = self._others_cache[row] = bool(_SOMEONE_ELSE.search(opening))
        return cached

    def _line_before(self, row: int) -> str:
        """The text of the sentence's line (paragraph or list item) that comes before it."""
        ci, start, _ = (int(x) for x in self.index.sentence_rows[row])
        chunk = self.index.chunks[ci]
        local = chunk.text[: start - chunk.start]
        return local[local.rfind("\n") + 1 :]

    def _source_kind(self, row: int) -> str:
        return self.index.chunks[int(self.index.sentence_rows[row][0])].source_kind

    def names_only(self, row: int) -> bool:
        """A sentence that says only what a medicine is called ("... is an SSRI sold as Paxil in the US") (cached)."""
        cached = self._names_only_cache.get(row)
        if cached is None:
            text = self.index.sentence_text(row)
            names = {t for m in self.index.lexicon.mentions(text, fuzzy=False) for t in content_terms(m.surface)}
            classes = {t for c in CLASS_WORDS.findall(text) for t in content_terms(c)}
            cached = self._names_only_cache[row] = bool(names) and not (
                self.sentence_terms(row) - names - classes - _NAMING
            )
        return cached

    def sentence_terms(self, row: int) -> frozenset[str]:
        cached = self._terms_cache.get(row)
        if cached is None:
            cached = self._terms_cache[row] = frozenset(content_terms(self.index.sentence_text(row)))
        return cached

    def neighbours(self, row: int) -> tuple[int | None, int | None]:
        """The sentence rows before and after `row` inside its chunk."""
        rows = [int(r) for r in self.index.sentences_of_chunk[int(self.index.sentence_rows[row][0])]]  # reading order
        at = rows.index(row)
        before = rows[at - 1] if at > 0 else None
        after = rows[at + 1] if at < len(rows) - 1 else None
        return before, after

    # ------------------------------------------------------------------ scoring
    def candidates(self, question: Question, vectors: QueryVectors, passages: list[Passage]) -> list[Candidate]:
        index = self.index
        vector, aspect_vector = vectors.whole, vectors.aspect
        query_drugs = set(question.drugs)
        # The drug's own name is rewarded once, by the drug match below, not again as a shared word.
        wanted_terms = content_terms(question.search_text)
        if len(query_drugs) == 1:  # two drugs: a sentence naming both is the one that compares or combines them
            # ... by any of its names ("on seroxat": not the sentence saying it is sold as Seroxat)
            names = [m.surface for m in index.lexicon.mentions(question.search_text) if m.generic in query_drugs]
            wanted_terms -= {t for d in [*query_drugs, *names] for t in content_terms(d)}
        if question.qtype == "uses":  # "what conditions is it approved for": the frame, which the kind wanted finds
            wanted_terms -= _USES_FRAME
        # Two medicines together: a sentence on either one's class ("SSRIs with anticoagulants") speaks of it,
        # and one that speaks of both answers best.
        class_of = self._class_patterns(question) if len(query_drugs) >= 2 else {}
        # "can i take tramadol while on sertraline": the other medicine, one without a note of its own, is what
        # is asked about; a sentence on the patient's SSRI alone does not answer it.
        lexicon = index.lexicon
        others = {d for d in query_drugs if not lexicon.has_own_note(d)} if len(query_drugs) >= 2 else set()
        # what is asked beyond the medicine's names; none for "what is seroxat", whose answer is what it is called
        asks_name = question.qtype == "definition" or bool(wanted_terms & _ASKS_NAME)  # "is seroxat the same as paxil"
        aspect_words = frozenset() if asks_name else wanted_terms - _NAMING
        kind_pattern = _WANTS.get(question.qtype)
        figure = _FIGURES.get(question.qtype)
        populations = [_POPULATION[p] for p in question.populations if p in _POPULATION]
        years = set(_YEAR.findall(own_words(question.text)))
        brand = self._brand_asked(question)
        acronyms = _acronyms(question)
        authority = _authority_asked(question)
        # On the articles, a sentence is as close to the question as the closest question it answers.
        asked = self._asked(vectors.asked) if vectors.asked is not None else {}
        averaged = not question.drugs_carried and _asks_beyond_names(question)
        half_life_asked = asks_half_life(question)
        # "what would they try next", "what else could she take": the answer names another medicine
        other_wanted = bool(query_drugs) and bool(_ASKS_FOR_ANOTHER.search(own_words(question.text)))
        out: list[Candidate] = []
        for rank, ci in self._chunks_read(passages):
            rows = index.sentences_of_chunk[ci]
            if not len(rows):
                continue
            sims = index.sentence_vectors[rows] @ vector
            bases = sims
            if aspect_vector is not None:
                aspect_sims = index.sentence_vectors[rows] @ aspect_vector
                # How close the whole question is rewards a sentence for naming the asked drug, which the drug
                # bonus below does already: "forgot my lexapro, should i take 2" is nearest to "escitalopram is
                # taken once a day". A sentence is scored by the mean of the two, so the aspect counts as much as
                # the drug. A follow-up's carried drug is its setting, and "what is brisdelle" asks nothing
                # beyond the name: there the closer of the two stands.
                bases = (sims + aspect_sims) / 2 if averaged else np.maximum(sims, aspect_sims)
                sims = np.maximum(sims, aspect_sims)
            kind = index.chunks[ci].source_kind
            # "what does FINISH stand for": the passage that writes the term as asked, every sentence of it
            # (the one giving STAR*D's step rates need not repeat the name)
            written = acronyms is not None and bool(acronyms.search(index.chunks[ci].text))
            asked_section = question.qtype in SECTION_KINDS and index.section_kind(ci) == question.qtype
            kind_penalty = (
                REFERENCE_PENALTY_ON_ARTICLE_QUESTIONS
                if (question.about_articles and kind == "reference")
                else (0.0 if question.about_articles else ARTICLE_PENALTY[kind])
            )
            if kind == "reference":
                # A reference sentence leans on its passage and its section's heading, which name what it speaks
                # of ("The reported remission rates were 36.8%, ..." after "The STAR*D study followed ..."), and
                # the headings are the questions patients ask ("What should I watch for in my baby?"): a question
                # close to either is close, a little less, to every sentence under it.
                around = [index.chunk_vectors[ci]]
                if len(index.heading_vectors) == len(index.chunks):
                    around.append(index.heading_vectors[ci])
                query = [vector] if aspect_vector is None else [vector, aspect_vector]
                floor = max(float(a @ q) for a in around for q in query) - CONTEXT_MARGIN
                bases = np.maximum(bases, floor)
                sims = np.maximum(sims, floor)
            for row, sim, base in zip(rows, sims, bases, strict=True):
                row = int(row)
                sim = max(float(sim), asked.get(row, -1.0))
                base = max(float(base), asked.get(row, -1.0))
                text = index.sentence_text(row)
                terms = self.sentence_terms(row)
                overlap = len(wanted_terms & terms) / len(wanted_terms) if wanted_terms else 0.0
                score = base + LEXICAL_WEIGHT * overlap - RANK_PENALTY * rank - kind_penalty
                of_kind = kind_pattern is not None and (asked_section or bool(kind_pattern.search(text)))
                if question.qtype == "duration" and not half_life_asked and _HALF_LIFE.search(text):
                    if _HALF_LIVES_COUNTED.search(text):
                        of_kind = True  # "a washout of about five half-lives": a length of time told in half-lives
                    else:
                        # "how long do the side effects last": not how long the medicine stays in the body
                        of_kind = False
                        score -= OTHER_DURATION_PENALTY
                if asked_section:
                    score += ASKED_SECTION_BONUS
                elif question.qtype in SECTION_KINDS and not of_kind:
                    score -= OFF_KIND_PENALTY
                elif question.qtype == "duration" and not of_kind:
                    score -= UNTIMED_PENALTY
                if of_kind:
                    score += KIND_WANTED_BONUS
                    if figure is not None and figure.search(text):
                        score += FIGURE_BONUS
                    if question.qtype == "uses":
                        score += USES_BONUS  # the list of what it is approved for is the answer itself
                    if question.qtype == "ranking" and self.sentence_drugs(row) and not query_drugs:
                        score += 2 * KIND_WANTED_BONUS  # "which SSRI is worst": the answer names the drug that ranks
                if question.qtype == "ranking" and not query_drugs and not self.sentence_drugs(row):
                    score -= UNNAMED_RANKING_PENALTY  # "which antidepressant had the biggest effect": one naming none
                if aspect_words and not aspect_words & terms and self.names_only(row):
                    score -= NAME_ONLY_PENALTY  # the question asks something of the medicine, not its name
                if populations and any(p.search(text) for p in populations):
                    score += POPULATION_BONUS
                if years and (said := set(_YEAR.findall(text))):
                    score += YEAR_BONUS if said & years else -YEAR_BONUS
                if question.ages and _takes_in(text, question.ages):
                    score += AGE_BONUS
                if question.about_author and kind == "reference":
                    score -= AUTHOR_OWN_BONUS  # the notes say nothing of what he did
                elif question.about_author and self.others_story(row):
                    score -= OTHERS_STORY_PENALTY  # his friend's reason for stopping is not his
                elif question.about_author and _FIRST_PERSON.search(text):
                    score += AUTHOR_OWN_BONUS  # "I started with only 1.25mg"
                if written:
                    score += ACRONYM_BONUS
                if authority is not None and authority.search(text):
                    score += AUTHORITY_BONUS
                if brand is not None and brand.search(text):
                    score += BRAND_BONUS  # "what is brisdelle": the sentence on that product, not the drug's profile
                if other_wanted and self.sentence_drugs(row) - query_drugs:
                    score += ANOTHER_BONUS
                if query_drugs:
                    named = self.sentence_drugs(row)
                    by_class = {d for d, p in class_of.items() if p.search(text)}
                    drugs = named | by_class
                    if drugs & query_drugs:
                        # a drug carried from earlier in the conversation is its setting, not what is asked
                        score += CARRIED_DRUG_BONUS if question.drugs_carried else DRUG_MATCH_BONUS
                        if len(drugs & query_drugs) >= 2:
                            score += PAIR_BONUS
                        elif named & query_drugs and by_class:
                            score += CLASS_MATCH_BONUS  # "tramadol ... among the opioids linked to ..."
                    elif drugs:
                        score -= DRUG_MISMATCH_PENALTY
                    if others and not drugs & others and not question.specific_terms & terms:
                        # ... unless it speaks of what is asked ("is serotonin syndrome an emergency? im on zoloft
                        # and tramadol": "Severe serotonin toxicity is a medical emergency.")
                        score -= OFF_TOPIC_PENALTY
                    elif others and named & others:
                        score += OTHER_NAMED_BONUS  # "..., the cough medicine dextromethorphan and ..."
                out.append(Candidate(row, ci, rank, float(sim), score))
        out.sort(key=lambda c: -c.score)
        return out

    def _chunks_read(self, passages: list[Passage]) -> list[tuple[int, int]]:
        """(passage rank, chunk row) of each passage found, and of the rest of its section where a long
        reference note's section was split: a sentence is read in its section ("Which SSRIs reach the baby the
        least?")."""
        index = self.index
        rows = [index.chunk_row.get(p.chunk_id) for p in passages]
        found = {ci for ci in rows if ci is not None}
        out = []
        for rank, ci in enumerate(rows):
            if ci is None:
                continue
            out.append((rank, ci))
            if index.chunks[ci].source_kind == "reference":  # an article's long sections ramble on
                out.extend((rank, other) for other in index.section_chunks(ci) if other not in found)
                found.update(index.section_chunks(ci))
        return out

    def _asked(self, vector: np.ndarray) -> dict[int, float]:
        """Sentence row → similarity of the closest passage question (corpus/questions.yaml) it answers."""
        index = self.index
        if not index.questions:
            return {}
        sims = index.question_vectors @ vector
        out: dict[int, float] = {}
        for q, rows in enumerate(index.question_sentences):
            for row in rows:
                out[row] = max(out.get(row, -1.0), float(sims[q]))
        return out

    def _brand_asked(self, question: Question) -> re.Pattern[str] | None:
        """For "what is <brand>": the brand name as written, when it names a product of a drug."""
        if question.qtype != "definition":
            return None
        names, rest = [], question.text
        for m in self.index.lexicon.mentions(question.text):
            entry = self.index.lexicon.entries.get(m.generic)
            if entry is not None and m.surface.lower() in {b.lower() for b in entry.brand_names()}:
                names.append(re.escape(m.surface))
            rest = rest.replace(m.surface, " ")
        if content_terms(rest) - {"what", "whats"} - _ASKS_NAME - _SAMENESS:
            # only a bare "what is brisdelle" or "what's zyban, is it the same stuff as wellbutrin"; "what is
            # faverin used for" asks about the drug
            return None
        return re.compile(r"\b(?:" + "|".join(names) + r")\b", re.I) if names else None

    def _class_patterns(self, question: Question) -> dict[str, re.Pattern[str]]:
        """Each named drug's class as it is written in the sources ("anticoagulants", "SSRIs")."""
        out = {}
        for drug in question.drugs:
            entry = self.index.lexicon.entries.get(drug)
            if entry is not None and entry.drug_class:
                out[drug] = re.compile(r"\b" + re.escape(entry.drug_class) + r"s?\b", re.I)
        return out

    def select(self, question: Question, candidates: list[Candidate], limit: int | None = None) -> list[Candidate]:
        if not candidates:
            return []
        best = candidates[0].score
        chosen: list[Candidate] = []
        quoted: list[int] = []  # the chosen sentences with the ones they bring in as context
        limit = limit or self.settings.max_sentences
        for cand in candidates:
            if len(chosen) == limit or cand.score < best - self.settings.sentence_margin:
                break
            if not self._says_something_new(cand.row, quoted):
                continue
            chosen.append(cand)
            quoted = self.with_context([c.row for c in chosen], question.drugs)
        # A comparison or a multi-part question needs each side: add the best sentence on a side still missing.
        # So does a class-level answer to a question about one drug, when the same note speaks of that drug.
        close = frozenset(c.row for c in candidates if c.score >= best - self.settings.sentence_margin)
        for side, margin in self._sides(question, candidates[0], close):
            if any(side(c) for c in chosen):
                continue
            extra = next(
                (
                    c
                    for c in candidates
                    if side(c) and c.score >= best - margin and self._says_something_new(c.row, [c.row for c in chosen])
                ),
                None,
            )
            if extra is not None and len(chosen) < limit + 1:
                chosen.append(extra)
        if len(chosen) == 1 and chosen[0].passage_rank >= 0:
            # One sentence alone: the next one in its paragraph, when it is nearly as close, says what it means
            # ("... taken with food." → "... on an empty stomach can roughly halve the amount ...").
            lead = chosen[0]
            _, after = self.neighbours(lead.row)
            follow = next((c for c in candidates if c.row == after), None)
            if (
                follow is not None
                and follow.score >= best - NEXT_SENTENCE_MARGIN
                and self._same_line(lead.row, follow.row)
                and self._says_something_new(follow.row, [c.row for c in chosen])
            ):
                chosen.append(follow)
        return chosen

    def _sides(
        self, question: Question, lead: Candidate, close: frozenset[int]
    ) -> list[tuple[Callable[[Candidate], bool], float]]:
        """Tests that each side of a comparison (a drug), each further part of a question (its words) and,
        under a class-level lead sentence, what its note says of the drug asked about are answered."""

        def names(drug: str) -> Callable[[Candidate], bool]:
            return lambda c: drug in self.sentence_drugs(c.row)

        def names_alone(drug: str) -> Callable[[Candidate], bool]:
            # a list of more medicines than the two compared ("Sertraline, venlafaxine, citalopram, paroxetine and
            # fluoxetine had the highest rates") says little of one against the other: a sentence of its own first
            return lambda c: drug in (found := self.sentence_drugs(c.row)) and len(found) <= 2

        def covers(terms: frozenset[str]) -> Callable[[Candidate], bool]:
            return lambda c: len(terms & self.sentence_terms(c.row)) >= max(1, len(terms) // 2)

        lead_source = self.index.chunks[lead.chunk_index].source_id

        def in_lead_note(c: Candidate) -> bool:
            return self.index.chunks[c.chunk_index].source_id == lead_source

        sides: list[tuple[Callable[[Candidate], bool], float]] = []
        if question.qtype == "comparison" and len(question.drugs) >= 2:
            for drug in question.drugs[:2]:
                sides.extend([(names_alone(drug), SECOND_SIDE_MARGIN), (names(drug), SECOND_SIDE_MARGIN)])
        elif len(question.drugs) == 1 and not self.sentence_drugs(lead.row):
            drug = question.drugs[0]
            sides.append((lambda c: in_lead_note(c) and drug in self.sentence_drugs(c.row), SAME_NOTE_MARGIN))
        wanted = _MUST_HOLD.get(question.qtype)
        if wanted is not None and not wanted.search(self.index.sentence_text(lead.row)):
            # "how common is that" led by "... are common with SSRIs": the rate itself; "when did" led by a
            # sentence without a year: the year; "why" led by what happens: the sentence giving its cause
            sides.append(
                (
                    lambda c: (
                        self._may_hold(question, lead, c, close)
                        and bool(wanted.search(self.index.sentence_text(c.row)))
                    ),
                    CAUSE_MARGIN if question.qtype == "reason" else FIGURE_MARGIN,
                )
            )
        drug_terms = {t for d in question.drugs for t in content_terms(d)}
        for part in question.parts[1:] if len(question.parts) >= 2 else ():
            terms = frozenset(content_terms(part) - drug_terms)
            if terms:
                sides.append((covers(terms), SECOND_SIDE_MARGIN))
        return sides

    def _may_hold(self, question: Question, lead: Candidate, cand: Candidate, close: frozenset[int]) -> bool:
        """Whether `cand` may supply what the lead sentence lacks: a rate from the lead's note (or, under an
        article's opinion, from a reference note), a year from any reference note, and a cause only right
        after a sentence close to the question, in its paragraph ("SSRIs can lower the sodium level ... The
        usual mechanism is ..."). Never a sentence about another drug."""
        if self.sentence_drugs(cand.row) - set(question.drugs):
            return False
        chunks = self.index.chunks
        if question.qtype == "reason":
            before, _ = self.neighbours(cand.row)
            return before is not None and before in close and self._same_line(before, cand.row)
        same_note = chunks[cand.chunk_index].source_id == chunks[lead.chunk_index].source_id
        from_reference = chunks[cand.chunk_index].source_kind == "reference"
        led_by_article = chunks[lead.chunk_index].source_kind != "reference"
        return same_note or (from_reference and (question.qtype == "year" or led_by_article))

    def _says_something_new(self, row: int, quoted: Iterable[int]) -> bool:
        """Whether sentence `row` says something the `quoted` sentences do not already say."""
        vec = self.index.sentence_vectors[row]
        terms = self.sentence_terms(row)
        numbers = _figures(self.index.sentence_text(row))
        alike_numbers: set[str] = set()  # the figures of the quoted sentences alike to this one
        from_reference = self._source_kind(row) == "reference"
        drugs = self.sentence_drugs(row)
        for other in quoted:
            if from_reference and self._source_kind(other) != "reference":
                continue  # an author's claim, however alike ("... wrongly classified as an SNRI"), is not the fact
            if drugs and (their_drugs := self.sentence_drugs(other)) and not drugs & their_drugs:
                continue  # "In the Cipriani 2018 comparison, escitalopram was among the more effective ..." after
                # the same words on fluvoxamine says it of another medicine
            their_numbers = _figures(self.index.sentence_text(other))
            if float(self.index.sentence_vectors[other] @ vec) >= DUPLICATE_SENTENCE:
                alike_numbers |= their_numbers
                # alike, and no figure of its own ("... 6.3 times higher with an NSAID" is new), even when two
                # quoted sentences share its figures between them ("about 25 nM" in one, "85 times" in the next)
                if not numbers - alike_numbers:
                    return False
            if len(terms) >= CONTAINED_MIN_TERMS and len(terms & self.sentence_terms(other)) >= CONTAINED * len(terms):
                return False  # "... usually appears within the first month" after "... and usually appears within ..."
            shared_numbers = numbers & their_numbers
            if numbers and len(shared_numbers) >= SAME_FIGURES * len(numbers):
                shared = terms & self.sentence_terms(other)
                if len(shared) >= 0.5 * len(terms):
                    return False  # the same figures said again
        return True

    def with_context(self, rows: list[int], drugs: tuple[str, ...] = ()) -> list[int]:
        """Add the sentence a chosen one leans on ("This means..."), the one a term-introducing
        sentence leads into ("... has been termed X."), and a next sentence that goes on about it and
        names a drug asked about ("This includes the antibiotic linezolid"), keeping reading order."""
        out = list(rows)
        for row in out:  # a sentence brought in may lean on the one before it in turn
            if len(out) >= 2 * len(rows) + 2:
                break
            before, after = self.neighbours(row)
            text = self.index.sentence_text(row)
            if (
                before is not None
                and (_ANAPHOR.match(text) or _ALSO.match(text) or _REFERS_BACK.search(text))
                and before not in out
            ):
                out.append(before)
            if (
                after is not None
                and after not in out
                and (
                    _INTRODUCES.search(text)
                    or self._story_goes_on(row, after)
                    or (
                        _ANAPHOR.match(self.index.sentence_text(after))
                        and bool(set(drugs) & (self.sentence_drugs(after) - self.sentence_drugs(row)))
                    )
                )
            ):
                out.append(after)
        return out

    def _story_window(self, lead: int, rows: list[int]) -> list[int]:
        """A question about an article: its best sentence with the sentences either side of it in the same
        paragraph, since the author's point is often made over a few sentences ("I started with only 1.25mg.
        ... For the first couple of days ...")."""
        ci = int(self.index.sentence_rows[lead][0])
        chunk = self.index.chunks[ci]
        if chunk.source_kind == "reference":
            return rows
        before, after = self.neighbours(lead)
        out = list(rows)
        if before is not None and before not in out and self._same_line(before, lead):
            out.append(before)
        if after is not None and after not in out and self._same_line(lead, after):
            out.append(after)
        return out

    def _story_goes_on(self, row: int, after: int) -> bool:
        """An article's anecdote told over several sentences: the next one, on the same line, starts
        with "She ...", "It ...", "This ..." and says what happened."""
        chunk = self.index.chunks[int(self.index.sentence_rows[row][0])]
        if chunk.source_kind == "reference" or not _ANAPHOR.match(self.index.sentence_text(after)):
            return False
        return self._same_line(row, after)

    def _same_line(self, first: int, second: int) -> bool:
        """Two sentences of one chunk, in reading order, with no line break between them (one paragraph)."""
        chunk = self.index.chunks[int(self.index.sentence_rows[first][0])]
        between = chunk.text[
            int(self.index.sentence_rows[first][2]) - chunk.start : int(self.index.sentence_rows[second][1])
            - chunk.start
        ]
        return "\n" not in between

    # ------------------------------------------------------------------ composing
    def compose(
        self,
        question: Question,
        vectors: QueryVectors,
        passages: list[Passage],
        book: CitationBook,
        author_of: dict[str, str],
        *,
        avoid: frozenset[int] = frozenset(),
        limit: int | None = None,
        said: str = "",
    ) -> Draft:
        """The answer to one question (or one part of one): `avoid` holds sentences already quoted for
        another part, `limit` caps the sentences quoted, `said` is the conversation's last answer (a
        follow-up asks for something beyond it)."""
        # what another part quoted is not quoted again, nor said again in other words
        candidates = [
            c
            for c in self.candidates(question, vectors, passages)
            if c.row not in avoid and (not avoid or self._says_something_new(c.row, avoid))
        ]
        if said:
            candidates = sorted(
                (
                    replace(c, score=c.score - REPEAT_PENALTY) if self.index.sentence_text(c.row) in said else c
                    for c in candidates
                ),
                key=lambda c: -c.score,
            )
        best_similarity = max((c.similarity for c in candidates), default=0.0)
        missing = " or ".join((question.unknown_names or question.uncovered)[:2])
        # A decline names what the question is about: a name the sources lack, else its specific word.
        named = missing if question.unknown_names or not question.topic else question.topic_phrase
        if best_similarity < self.settings.min_relevance:
            return Draft("no_answer", best_similarity=best_similarity, not_covered=named)
        partial = " or ".join(question.uncovered_parts[:2])
        if not partial and question.unknown_names and len(question.drugs) >= 2:
            partial = missing  # "gabapentin with sertraline and ibuprofen": the other two are covered
        if question.topic:
            # The question's most specific word ("lithium", "insulin"): an answer must come from a passage
            # that uses it, and be close enough to the question; otherwise the sources are about something else.
            topic = stem(question.topic)
            on_topic = [c for c in candidates if topic in self.index.chunk_terms(c.chunk_index)]
            acronyms = _acronyms(question)
            written = [c for c in on_topic if acronyms is not None and acronyms.search(self.index.sentence_text(c.row))]
            if not written and (not on_topic or max(c.similarity for c in on_topic) < self.settings.min_relevance):
                return Draft("no_answer", best_similarity=best_similarity, not_covered=question.topic_phrase)
            candidates = sorted(
                (
                    c
                    if c in on_topic
                    else Candidate(c.row, c.chunk_index, c.passage_rank, c.similarity, c.score - OFF_TOPIC_PENALTY)
                    for c in candidates
                ),
                key=lambda c: -c.score,
            )
        # A question about an article is about the article: its other words ("the med student blogger")
        # decline it only when they are all it asks about.
        blocked = (
            bool(question.unknown_names)
            or question.uncovered_topic
            or (
                not question.about_articles
                and (
                    question.uncovered_share > self.settings.max_unknown_share
                    or (bool(question.uncovered) and best_similarity < self.settings.uncovered_relevance)
                )
            )
        )
        if blocked and not partial:
            return Draft("no_answer", best_similarity=best_similarity, not_covered=named)
        if partial and best_similarity < self.settings.partial_relevance:
            return Draft("no_answer", best_similarity=best_similarity, not_covered=partial)
        chosen = self.select(question, candidates, limit)
        score_of = {c.row: c.score for c in chosen}
        rows = self.with_context([c.row for c in chosen], question.drugs)
        if question.about_articles and chosen:
            rows = self._story_window(chosen[0].row, rows)
        # a sentence another part quoted is not quoted again as context, nor said again in other words
        rows = [r for r in rows if r not in avoid and (not avoid or self._says_something_new(r, avoid))]
        groups: dict[int, list[int]] = {}
        for row in rows:
            groups.setdefault(int(self.index.sentence_rows[row][0]), []).append(row)

        def group_key(item: tuple[int, list[int]]) -> tuple[int, float]:
            ci, members = item
            kind = self.index.chunks[ci].source_kind
            article_first = question.about_articles
            order = 0 if (kind == "reference") != article_first else 1
            return order, -max(score_of.get(r, -9.0) for r in members)

        draft = Draft("answer", best_similarity=best_similarity, not_covered=partial, rows=rows)
        for ci, members in sorted(groups.items(), key=group_key):
            members.sort(key=lambda r: int(self.index.sentence_rows[r][1]))
            chunk = self.index.chunks[ci]
            spans = [(int(self.index.sentence_rows[r][1]), int(self.index.sentence_rows[r][2])) for r in members]
            n = book.cite(chunk, spans[0][0], spans[-1][1])
            sentences = [self.index.sentence_text(r) for r in members]
            draft.used_spans.extend((chunk.chunk_id, s, e) for s, e in spans)
            draft.paragraphs.append(attribute(chunk.source_kind, chunk.source_id, sentences, n, author_of))
        return draft


def asks_half_life(question: Question) -> bool:
    """'how long does it stay in your system' (the vocabulary's 'half-life'), not how long something takes."""
    return bool(_HALF_LIFE.search(question.search_text))


def _figures(text: str) -> set[str]:
    """The numbers a sentence gives, without years ("(Serretti and Chiesa, 2009)" is where, not what)."""
    return {n for n in re.findall(r"\d+(?:\.\d+)?", text) if not re.fullmatch(r"(?:19|20)\d\d", n)}


def _asks_beyond_names(question: Question) -> bool:
    """'should i take 2 today' asks about something; 'what is brisdelle' only names a medicine, whose aspect
    ('what is SSRIs') has no word of its own."""
    return any(not CLASS_WORDS.fullmatch(t) for t in content_terms(question.aspect_text))


_AUTHORITIES = r"fda|nice|mhra|nhs|ema|apa|bnf|cdc|tga|dvla"
# Whose word a question asks for: "according to nice", "the FDA's position on", "what does the MHRA say"
_AUTHORITY_ASKED = re.compile(
    rf"\b(?:according to|per|says?|said by)\s+(?:the\s+)?({_AUTHORITIES})\b"
    rf"|\b({_AUTHORITIES})(?:'s|’s|s)?\s+(?:official\s+)?(?:position|stance|view|advice|guidance|guideline|line|take|verdict"
    r"|opinion|recommendations?|rules?)\b"
    rf"|\b(?:what|how)\s+(?:does|do|did|would)\s+(?:the\s+)?({_AUTHORITIES})\s+(?:say|advise|recommend|think|suggest)\b",
    re.I,
)


def _authority_asked(question: Question) -> re.Pattern[str] | None:
    """The body whose word the question asks for, as the sources write it ("NICE", "FDA"), if it asks for one."""
    found = _AUTHORITY_ASKED.search(question.text)
    if found is None:
        return None
    name = next(g for g in found.groups() if g)
    return re.compile(rf"\b{name.upper()}\b")


def _acronyms(question: Question) -> re.Pattern[str] | None:
    """The question's topic when it is written in capitals ("FINISH", "PSSD"): to be found written the
    same way, whatever English word it spells."""
    text = question.text
    found = {w for w in re.findall(r"\b[A-Za-z]+\b", text) if shouted(w) and w.lower() == question.topic}
    if not found or text.isupper():
        return None
    return re.compile(r"\b(?:" + "|".join(sorted(map(re.escape, found))) + r")\b")


def attribute(kind: str, source_id: str, sentences: list[str], n: int, author_of: dict[str, str]) -> str:
    """Reference sentences stand as they are (their sources are listed with the citation);
    an article's words are quoted and say whose they are."""
    body = " ".join(sentences)
    if kind == "reference":
        return f"{body} [{n}]"
    author = author_of.get(source_id, "The article's author")
    label = "personal experience" if kind == "anecdote" else "opinion"
    return f"{author} ({label}): “{body}” [{n}]"
