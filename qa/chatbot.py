"""The public API: `Chatbot().ask(question, history)`, `.stream(...)`, `.retrieve(...)`.

Order of work for every question, all in code:
validate → safety routing (crisis never reaches retrieval) → standalone rewrite →
hybrid retrieval → answer (extractive, or an LLM checked against its passages) →
disputed claims → the fixed disclaimer. Errors become a clear message, never a traceback.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from ingest.embedding import Embedder, make_embedder
from ingest.lexicon import Lexicon
from ingest.settings import Settings
from ingest.store import IndexUnavailable, VectorStore, current_name
from ingest.text import STOPWORDS, sentences, words
from qa import messages
from qa.answer import Draft, ExtractiveAnswerer, asks_half_life
from qa.citations import CitationBook
from qa.conversation import clean_history, clean_text, part_question, rewrite
from qa.disputes import dispute_paragraphs, relevant_claims
from qa.index import LoadedIndex, ensure_index, open_index
from qa.llm import Generator, LLMGenerator
from qa.question import (
    CLASS_WORDS,
    DRUG_NAME,
    SEARCHED_SECTION_KINDS,
    CorpusWords,
    Question,
    analyse,
    corpus_words,
    english,
    is_english,
    is_everyday,
    own_words,
    what_is_told,
)
from qa.retrieval import Mode, Query, Retriever
from qa.safety import about_someone_else, route
from qa.spelling import plain_words
from qa.suggestions import Suggester
from qa.types import Answer, AnswerKind, Passage, QueryVectors, Timings

if TYPE_CHECKING:
    from langchain_core.runnables import Runnable

    from qa.runnables import ChatbotRetriever

log = logging.getLogger("ssri_qa")
MAX_K = 50
STORY_SHARE = 0.7  # an asking clause under this share of the message's words has a story before it
_POINTS_BACK = re.compile(r"\b(?:it|its|this|that|they|them|these|those)\b", re.I)
# "does it matter if I take it without eating": "it" is what is taken, a medicine, not a scheme or a service
_TAKES_IT = re.compile(r"\b(?:take|takes|taking|took|start|starting|stop|stopping|swallow|crush)\s+it\b", re.I)
_TOPIC_POPULATIONS = frozenset({"pregnant", "breastfeeding"})
# A part of a question that asks something itself, rather than only telling ("my dad is 70, ..."); the
# asking may follow a few words of context ("sertraline - can it give you a rash", "nan is on seroxat. can it").
# "how low are we talking? any actual numbers": asks for the figures of what the part before asks, not a question
_FIGURES_ONLY = re.compile(
    r"^\W*(?:(?:and|so|but|or)\s+)?(?:(?:like|any|some|the|got any|are there any|are there|what are the)\s+)?"
    r"(?:(?:actual|real|hard|exact)\s+)?(?:numbers|figures|stats|statistics|percentages?|data)\W*$",
    re.I,
)
_ASKS = re.compile(
    r"(?:^|[-–:,.;]\s*)\W*(?:\d[.)]\s*)?(?:(?:and|also|so|but|or|plus|like|ok|okay|oh|at|in|by)\s+)?(?:what|whats|how|why|when|where|which|who|is|are|was|does|do|did|can|could|should|would|will|any|has|have)\b"
    r"|\bi(?:'m|’m| am| was|m)?\s+(?:also\s+)?wondering\s+(?:whether|if)\b"  # "I'm also wondering whether botox ..."
    # unpunctuated speech: "my grandpa is 70 and on celexa whats the max dose for him"
    r"|\bwhat(?:'s|’s|s| is| are)\s"
    # "if i stop how long till its out of me": a question word after the condition it is asked under
    r"|\bif\b[^.?!,]{1,40}\b(?:how (?:long|much|many|soon|often|quickly)|what|which|when|why)\b"
    # "and if i have a couple of drinks am i ok to drive", "random q but is it true ...": a verb before its subject
    r"|(?<!\bi\s)(?<!\bwe\s)(?<!\byou\s)(?<!\bthey\s)(?<!\bhe\s)(?<!\bshe\s)"
    r"\b(?:am|is|are|can|could|should|would|will|does|do|did)\s+(?:i|it|he|she|we|they|you|that|this|there)\b",
    re.I,
)


@dataclass(frozen=True)
class Served:
    """Everything answering reads, from one index generation. A question takes the bundle once and
    uses only it, so a swap to a new generation never mixes the two in one answer."""

    index: LoadedIndex
    retriever: Retriever
    answerer: Any  # ExtractiveAnswerer, or the eval's baseline
    corpus_words: CorpusWords
    author_of: dict[str, str]


class Chatbot:
    def __init__(
        self,
        settings: Settings | None = None,
        *,
        embedder: Embedder | None = None,
        generator: Generator | None = None,
        index: LoadedIndex | None = None,
        retrieval_mode: Mode = "hybrid",
        use_vector_store: bool = True,
    ) -> None:
        self.settings = settings or Settings()
        self.embedder = embedder or make_query_embedder(self.settings)
        self._started = time.monotonic()
        self._retrieval_mode = retrieval_mode
        self._use_vector_store = use_vector_store
        self._served = self._serve(index or ensure_index(self.settings, embedder))
        self.generator = generator if generator is not None else make_generator(self.settings)
        self._next_check = time.monotonic() + self.settings.index.reload_check_s
        self._reloading = threading.Lock()
        self._suggester = Suggester(lambda heading: self._ask(heading, None, generate=False))
        english(), is_everyday("warm")  # load the word lists now, not on the first question

    def _serve(self, index: LoadedIndex, store: VectorStore | None = None) -> Served:
        if store is None and self._use_vector_store:
            store = VectorStore(self.settings.index, index.generation.manifest["collection"])
        if store is not None and store.remote:
            served = store.generation()
            if served is not None and served != index.generation.name:
                raise IndexUnavailable(
                    f"the local index generation {index.generation.name} does not match the vectors in "
                    f"'{store.collection_name}', which belong to generation {served}. Copy the index folder "
                    "from the machine that ran the latest `ssri-qa ingest` (or run it here), then start again."
                )
        return Served(
            index=index,
            retriever=Retriever(index, store, self.settings.retrieval, self._retrieval_mode),
            answerer=ExtractiveAnswerer(index, self.settings.answer),
            # A note's declared topics ("EMA") are its words too, though its text may spell them out.
            corpus_words=corpus_words(
                [c.text for c in index.chunks] + [" ".join(d.topics) for d in index.documents.values() if d.topics],
                index.lexicon,
                index.vocabulary,
            ),
            author_of={sid: d.attribution for sid, d in index.documents.items() if d.kind == "article"},
        )

    # What answering uses now (one generation); read-only views of the current bundle.
    @property
    def index(self) -> LoadedIndex:
        return self._served.index

    @property
    def retriever(self) -> Retriever:
        return self._served.retriever

    @property
    def answerer(self) -> Any:
        return self._served.answerer

    @answerer.setter
    def answerer(self, answerer: Any) -> None:  # the eval swaps in its baseline answerer
        self._served = replace(self._served, answerer=answerer)

    @property
    def corpus_words(self) -> CorpusWords:
        return self._served.corpus_words

    @property
    def author_of(self) -> dict[str, str]:
        return self._served.author_of

    def _check_for_new_generation(self) -> None:
        """Swap to a newly published generation without a restart: it is loaded in the background while
        questions go on being answered from the current one, then one reference is replaced."""
        every = self.settings.index.reload_check_s
        now = time.monotonic()
        if not every or now < self._next_check:
            return
        self._next_check = now + every
        name = current_name(self.settings.index.path)
        if name is None or name == self._served.index.generation.name or not self._reloading.acquire(blocking=False):
            return
        threading.Thread(target=self._reload, name="ssri-qa-reload", daemon=True).start()

    def _reload(self) -> None:
        try:
            index = open_index(self.settings)
            if index is not None and index.generation.name != self._served.index.generation.name:
                old = self._served
                store = old.retriever.store
                same_collection = store is not None and store.collection_name == index.generation.manifest["collection"]
                self._served = self._serve(index, store if same_collection else None)
                log.warning(
                    "now serving index generation %s (was %s)", index.generation.name, old.index.generation.name
                )
        except Exception:  # a half-copied or mismatched generation: keep serving the current one, try again later
            log.exception("could not switch to the new index generation; still serving the current one")
        finally:
            self._reloading.release()

    # ------------------------------------------------------------------ public API
    def retrieve(self, question: str, k: int = 5, history: Any = None) -> list[Passage]:
        text = clean_text(question) if isinstance(question, str) else ""
        if not text:
            return []
        k = _clamp_k(k)
        self._check_for_new_generation()
        served = self._served
        standalone = self._standalone(
            served,
            text[: self.settings.answer.max_question_chars],
            clean_history(history, self.settings.answer.max_history_turns),
        )
        parsed = analyse(standalone, served.corpus_words)
        return self._search(served, parsed, self._embed_question(parsed, Timings()), k, Timings())

    def ask(self, question: Any, history: Any = None) -> Answer:
        try:
            answer = self._ask(question, history)
        except Exception:  # the user sees a calm message; the log keeps the details
            log.exception("answering failed")
            return Answer("error", messages.ERROR_MESSAGE, [], messages.DISCLAIMER, question=str(question)[:200])
        return self._with_suggestions(answer, history)

    def _with_suggestions(self, answer: Answer, history: Any) -> Answer:
        """Next questions the cited notes answer (qa/suggestions.py), never one already asked."""
        if answer.kind != "answer":
            return answer
        turns = clean_history(history, self.settings.answer.max_history_turns)
        asked = [m["content"] for m in turns if m["role"] == "user"] + [answer.question, answer.standalone_question]
        served = self._served
        return replace(answer, suggestions=self._suggester.suggest(served, served.index, answer, asked))

    def stream(self, question: Any, history: Any = None) -> Iterator[str | Answer]:
        """The answer sentence by sentence, then the Answer itself. The extractive answerer composes a
        whole answer in one step of a few milliseconds, so this does not stream while composing: it
        splits the finished text (the pieces join back to exactly `answer.text`) for a chat that
        shows text as it arrives."""
        answer = self.ask(question, history)
        ends = [end for _, end in sentences(answer.text)]
        cut = 0
        for end in ends[:-1]:
            yield answer.text[cut:end]
            cut = end
        yield answer.text[cut:]
        yield answer

    def health(self) -> dict[str, Any]:
        """What a load balancer needs to know: the index generation served, its size, where the vectors
        come from and whether that source answers, and how long this chatbot has been up."""
        self._check_for_new_generation()
        served = self._served
        return {
            "status": "ok",
            "generation": served.index.generation.name,
            "chunks": len(served.index.chunks),
            "vectors": served.retriever.vector_state,
            "uptime_s": round(time.monotonic() - self._started, 1),
        }

    def as_retriever(self, k: int = 5) -> ChatbotRetriever:
        """This chatbot's retrieval as a LangChain `BaseRetriever` (see qa/runnables.py)."""
        from qa.runnables import ChatbotRetriever  # LangChain is imported only by those who use it

        return ChatbotRetriever(bot=self, k=_clamp_k(k))

    def as_runnable(self) -> Runnable[Any, Answer]:
        """This chatbot as a LangChain `Runnable`: {"question", "history"} → Answer."""
        from qa.runnables import answer_runnable

        return answer_runnable(self)

    def standalone(self, question: str, history: list[dict[str, str]]) -> str:
        """The question with a follow-up's drug, person and topic made explicit."""
        return self._standalone(self._served, question, history)

    def _standalone(self, served: Served, question: str, history: list[dict[str, str]]) -> str:
        question = plain_words(question)  # "shud i take 2 n wat" is "should i take 2 and what"
        history = [{**m, "content": plain_words(m["content"])} if m["role"] == "user" else m for m in history]
        if self.generator is not None and history:
            rewritten = self.generator.rewrite(question, history)
            if rewritten:
                return rewritten
        return rewrite(
            question, history, served.index.lexicon, served.index.vocabulary, answered=self._answered(served, history)
        )

    @staticmethod
    def _answered(served: Served, history: list[dict[str, str]]) -> str:
        """What the last answer was about: the heading of the section its first quoted sentence comes from
        ("Who is most at risk of low sodium?"), for a follow-up such as "when does that usually show up"."""
        said = next((m["content"] for m in reversed(history) if m["role"] == "assistant"), "")
        row = served.index.first_quoted(said) if said else None
        if row is None:
            return ""
        return served.index.chunks[int(served.index.sentence_rows[row][0])].section.rstrip(" ?")

    # ------------------------------------------------------------------ internals
    def _embed_question(self, question: Question, timings: Timings) -> QueryVectors:
        """Vectors of the whole question and, when it names drugs, of its aspect alone, or, when it asks about
        the articles, of its own words (one batch)."""
        t0 = time.perf_counter()
        second = ""
        if question.about_articles:
            second = question.asked_text
        elif question.drugs and question.aspect_text != question.search_text:
            second = question.aspect_text
        # "been on lexapro 2 yrs, doc wants to add wellbutrin for the libido thing. my cousin says it gives people
        # seizures?? how likely is that really": the asking clause alone, so the story does not decide the search
        own = ""
        if (
            not question.about_articles
            and question.qtype != "comparison"  # each side is searched for on its own
            and self.settings.retrieval.own_weight
            and _has_story(question)
        ):
            own = question.asked_text
        texts = [question.search_text, *([second] if second else []), *([own] if own else [])]
        vectors = self.embedder.embed(texts)
        timings.embed_ms = (time.perf_counter() - t0) * 1000
        own_vector = vectors[-1] if own else None
        if not second:
            return QueryVectors(vectors[0], own=own_vector)
        if question.about_articles:
            return QueryVectors(vectors[0], asked=vectors[1])
        return QueryVectors(vectors[0], aspect=vectors[1], own=own_vector)

    def _search(
        self,
        served: Served,
        question: Question,
        vectors: QueryVectors,
        k: int,
        timings: Timings,
    ) -> list[Passage]:
        aspect = vectors.aspect
        also = (
            [Query(question.aspect_text, aspect, self.settings.retrieval.aspect_weight)] if aspect is not None else []
        )
        if vectors.own is not None:
            also.append(Query(question.asked_text, vectors.own, self.settings.retrieval.own_weight))
        named = self._named_articles(served, question)
        prior = self._prior_sources(served, question, named)
        uncapped = prior if question.about_articles else ()
        return served.retriever.search(
            question.search_text,
            vectors.whole,
            k,
            also=also,
            prior_sources=prior,
            uncapped=uncapped,
            named=named,
            topic=question.topic,
            sides=[(drug, f"{drug} {question.aspect_text}") for drug in question.drugs[:3]]
            if question.qtype == "comparison"
            else (),
            asked=vectors.asked,
            kind=question.qtype if question.qtype in SEARCHED_SECTION_KINDS and not asks_half_life(question) else "",
            timings=timings,
        )

    @staticmethod
    def _named_articles(served: Served, question: Question) -> tuple[str, ...]:
        """The articles a question about the articles names ("the tellmi post"), if it names any."""
        if not question.about_articles:
            return ()
        lowered = question.text.lower().replace(" ", "")
        return tuple(
            sid for sid, d in served.index.documents.items() if d.kind == "article" and sid.split("-")[0][:6] in lowered
        )

    @staticmethod
    def _prior_sources(served: Served, question: Question, named: tuple[str, ...]) -> tuple[str, ...]:
        """The documents a question points at: the article it names (or both) when it asks what an author
        says, else the reference notes the lexicon links to the drugs it names."""
        if not question.about_articles:
            return question.notes
        return named or tuple(sid for sid, d in served.index.documents.items() if d.kind == "article")

    def _ask(self, question: Any, history: Any, *, generate: bool = True) -> Answer:
        if not isinstance(question, str):
            question = "" if question is None else str(question)
        text = clean_text(question)
        if not text:
            return self._final("no_answer", messages.EMPTY_QUESTION_MESSAGE, question=text)
        # Safety first, on the whole text (a long message can still be a crisis).
        routed = route(text)
        if routed == "crisis":
            crisis = messages.CRISIS_FOR_SOMEONE_ELSE_MESSAGE if about_someone_else(text) else messages.CRISIS_MESSAGE
            return self._final("crisis", crisis, question=text)
        limit = self.settings.answer.max_question_chars
        if len(text) > limit:
            return self._final(
                "no_answer", messages.TOO_LONG_MESSAGE.format(length=len(text), limit=limit), question=text
            )
        turns = clean_history(history, self.settings.answer.max_history_turns)
        self._check_for_new_generation()
        served = self._served  # one generation for the whole answer
        standalone = self._standalone(served, text, turns)
        question = analyse(standalone, served.corpus_words)
        timings = Timings()  # per call: concurrent questions never share state
        vectors = self._embed_question(question, timings)
        book = CitationBook(served.index)
        parts = self._parts(served, question)
        t0 = t1 = time.perf_counter()
        if parts:  # each part searches for itself; the whole question's search would go unused
            draft, passages = self._compose_parts(served, parts, book, timings)
        else:
            passages = self._search(served, question, vectors, self.settings.retrieval.k, timings)
            timings.retrieve_ms = (time.perf_counter() - t0) * 1000
            t1 = time.perf_counter()
            said = next((m["content"] for m in reversed(turns) if m["role"] == "assistant"), "")
            draft = served.answerer.compose(question, vectors, passages, book, served.author_of, said=said)
        if draft.kind == "answer" and self.generator is not None and generate:
            generated = self.generator.answer(standalone, passages, served.index, CitationBook(served.index), draft)
            if generated is not None:
                draft, book = generated
        if draft.kind == "no_answer":
            timings.answer_ms = (time.perf_counter() - t1) * 1000
            body = messages.NO_ANSWER_MESSAGE
            if draft.not_covered:
                body = messages.NOT_COVERED_DECLINE.format(what=draft.not_covered) + " " + messages.SCOPE_HINT
            if routed == "personal":
                body = f"{messages.PERSONAL_DECISION_NOTE.split('. Here is')[0]}.\n\n{body}"
            return self._final("no_answer", body, question=text, standalone=standalone, timings=timings)
        used_chunks = {cid for cid, _, _ in draft.used_spans}
        claims = relevant_claims(
            served.index,
            served.corpus_words,
            question,
            vectors.whole,
            used_chunks,
            draft.used_spans,
            self.settings.answer.claim_similarity,
        )
        paragraphs = list(draft.paragraphs)
        paragraphs += dispute_paragraphs(served.index, book, claims, served.author_of, said="\n".join(paragraphs))
        if draft.not_covered:
            paragraphs.insert(0, messages.NOT_COVERED_LEAD.format(what=draft.not_covered))
        if routed == "personal":
            paragraphs.insert(0, messages.PERSONAL_DECISION_NOTE)
        timings.answer_ms = (time.perf_counter() - t1) * 1000
        return Answer(
            "answer",
            "\n\n".join(paragraphs),
            book.citations(),
            messages.DISCLAIMER,
            disputes=[c.id for c, _ in claims if c.disputed],
            question=text,
            standalone_question=standalone,
            timings=timings,
        )

    def _parts(self, served: Served, question: Question) -> list[Question]:
        """The parts of a multi-part question, each standing alone, when each is a question of its own
        ("how long is celexa's half life and what's the most you can take"); else none."""
        if len(question.parts) < 2 or question.about_articles or not served.answerer.answers_parts:
            return []
        # what a follow-up carries asks nothing; a part the asker ended with "?" asks, however it is worded
        # ("... what actually is it? and in older people were ssris worse for it")
        mine = own_words(question.text)
        asked = [
            p
            for p in question.parts
            if (_ASKS.search(own_words(p)) or _ends_asking(p, mine)) and not _FIGURES_ONLY.match(own_words(p))
        ]
        if len(asked) < 2:
            return []
        lexicon, vocabulary = served.index.lexicon, served.index.vocabulary
        if (
            question.qtype == "comparison"
            and len(question.drugs) >= 2
            and all(lexicon.mentions(own_words(p)) for p in asked)
        ):
            # "which is better for sleep, prozac or remeron": one comparison; but "what withdrawal symptoms can you
            # get from missing doses, and is it worse with effexor or paxil" asks a part of its own first
            return []
        # Pregnancy and breastfeeding are topics as well as people: one that another part asks about is that
        # part's, not carried into this one ("will sertraline stop my pill working? and can i breastfeed on it").
        own = [vocabulary.expand(text).populations for text in asked]
        # What a rewritten follow-up carries ("(sertraline, is it normal to feel sick ...)") ends up on its last
        # part; a part before it that points back ("how long does that go on for") leans on it too.
        tail = question.text[len(own_words(question.text)) :].strip(" ?")
        carried = tail[1:-1] if tail.startswith("(") and tail.endswith(")") else ""
        # "... taking tamoxifen ... Is Paxil approved for PTSD? Should I be having therapy first? And is it all right
        # with the tamoxifen?": a medicine a later part asks about is that part's, not carried into one before it
        named_in = [{m.generic for m in lexicon.mentions(text)} for text in asked]
        # what comes just before each part, asking or not: "... an american website says its only for OCD?? is that
        # right": what "that" is, though that piece asks nothing
        at = [question.parts.index(text) for text in asked]
        before_it = [question.parts[j - 1] if j else "" for j in at]
        out = []
        for i, text in enumerate(asked):
            alone = analyse(text, served.corpus_words)
            if alone.qtype == "definition" and alone.key_terms and not _POINTS_BACK.search(text):
                out.append(alone)  # "what is PPHN": a term, whatever drug the rest of the question names
                continue
            # what the part before was declined for: a medicine the sources lack, or, when this part points back,
            # what it asks about: a treatment when it names no medicine they know ("how does spravato work and how
            # often do you go in for it"), else a name that is no English word, named after the medicines they
            # know ("... both failed and he mentions esketamine nasal spray. is it safe"); "does effexor make
            # psoriasis worse and does it put your blood pressure up": "it" is effexor
            lacked: tuple[str, ...] = ()
            if i and out:
                before = out[-1]
                points_back = bool(_POINTS_BACK.search(text))
                named = bool(lexicon.mentions(asked[i - 1]))
                # ("is Viibryd covered by Medicare ... and does it matter if I take it without eating": Viibryd)
                taken = named and bool(_TAKES_IT.search(text))
                topic = tuple(
                    phrase
                    for phrase in (before.uncovered if points_back and before.uncovered_topic else ())
                    if not named or not all(is_english(w) for w in phrase.lower().split())
                )
                if taken:  # only a name that is itself taken can be what "take it" means
                    lacked = tuple(n for n in before.unknown_names if _as_medicine(n, question.text))
                else:
                    lacked = before.unknown_names or topic
            unknown = _named_last(asked[i - 1], lacked, lexicon) if i and lacked else ""
            if unknown and not _names_own_subject(text, lexicon):
                # "... whats the normal dose of buspar and how many times a day do you take it", "what is seroquel
                # and is 25mg a normal dose": the medicine the sources lack, named last, not the SSRI before it
                out.append(analyse(f"{text} ({unknown})", served.corpus_words))
                continue
            elsewhere = {p for j, found in enumerate(own) if j != i for p in found if p in _TOPIC_POPULATIONS}
            later = set().union(*named_in[i + 1 :])
            carry = tuple(d for d in question.drugs if d not in later)
            if not carry and _POINTS_BACK.search(text):
                carry = question.drugs  # "how long does it take to work, and is sertraline ok in pregnancy": "it"
            standalone = part_question(
                text,
                carry,
                question.populations - elsewhere,
                lexicon,
                vocabulary,
                what_is_told(before_it[i], served.corpus_words),
                whole=question.text,
                carried=carried if carried not in text and _POINTS_BACK.search(text) else "",
            )
            out.append(analyse(standalone, served.corpus_words))
        return out

    def _compose_parts(
        self, served: Served, parts: list[Question], book: CitationBook, timings: Timings
    ) -> tuple[Draft, list[Passage]]:
        """Answer each part on its own (its own search), never quoting a sentence twice; a part the
        sources do not cover is named first, as with a half-covered question. Also returns every part's
        passages (for an LLM backend)."""
        drafts: list[Draft] = []
        quoted: set[int] = set()
        found: dict[str, Passage] = {}
        for i, part in enumerate(parts):
            draft, passages = self._compose_part(served, part, book, timings, frozenset(quoted))
            if draft.kind != "answer" and i and _finds_nothing(part):
                # "what is the black box warning, and when's the riskiest time to watch my son after he starts":
                # a part that finds nothing on its own is read in the light of the part before
                before = own_words(parts[i - 1].text).rstrip(" ?")
                leaning = analyse(f"{own_words(part.text).rstrip(' ?')} ({before})?", served.corpus_words)
                retried, more = self._compose_part(served, leaning, book, timings, frozenset(quoted))
                if retried.kind == "answer":
                    draft, passages = retried, more
            found.update((p.chunk_id, p) for p in passages if p.chunk_id not in found)
            quoted.update(draft.rows)
            drafts.append(draft)
        answered = [d for d in drafts if d.kind == "answer"]
        missing = list(
            dict.fromkeys(
                d.not_covered or f"“{p.text.rstrip(' ?')}”"
                for p, d in zip(parts, drafts, strict=True)
                if d.kind != "answer" or d.not_covered
            )
        )
        # a part left out, and the rest only loosely answered: declined whole, as a half-covered question is
        loose = bool(missing) and max((d.best_similarity for d in answered), default=0.0) < (
            self.settings.answer.partial_relevance
        )
        # ... or no part answered whole: "does TMS work, and is it safe while on Zoloft" is about TMS throughout
        loose = loose or (bool(missing) and all(d.not_covered for d in answered))
        if not answered or loose:
            best = max(d.best_similarity for d in drafts)
            return Draft("no_answer", best_similarity=best, not_covered=missing[0]), list(found.values())
        merged = Draft(
            "answer", best_similarity=max(d.best_similarity for d in answered), not_covered=" or ".join(missing[:2])
        )
        for d in answered:
            merged.paragraphs.extend(d.paragraphs)
            merged.used_spans.extend(d.used_spans)
            merged.rows.extend(d.rows)
        return merged, list(found.values())

    def _compose_part(
        self, served: Served, part: Question, book: CitationBook, timings: Timings, avoid: frozenset[int]
    ) -> tuple[Draft, list[Passage]]:
        vectors = self._embed_question(part, timings)
        passages = self._search(served, part, vectors, self.settings.retrieval.k, timings)
        draft = served.answerer.compose(
            part,
            vectors,
            passages,
            book,
            served.author_of,
            avoid=avoid,
            limit=self.settings.answer.sentences_per_part,
        )
        return draft, passages

    def _final(
        self, kind: AnswerKind, text: str, *, question: str = "", standalone: str = "", timings: Timings | None = None
    ) -> Answer:
        return Answer(
            kind, text, [], messages.DISCLAIMER, question=question, standalone_question=standalone, timings=timings
        )


# "is it safe to have while still on Zoloft": the medicine after "while on" is the setting, "it" something else
_SETTING_DRUG = re.compile(
    r"\b(?:while|whilst|when|if|alongside|with|on top of)\s+(?:i'?m\s+|i am\s+|you'?re\s+|still\s+)*"
    r"(?:on|taking|using)\s+(?:my\s+|the\s+|your\s+)?\S+",
    re.I,
)


def _names_own_subject(part: str, lexicon: Lexicon) -> bool:
    """Whether a part names a medicine, or the class, that it asks about, not only one it is taken with."""
    mentions = lexicon.mentions(part)
    if CLASS_WORDS.search(part):
        return True
    if not mentions:
        return False
    settings = [(m.start(), m.end()) for m in _SETTING_DRUG.finditer(part)]
    in_setting = all(any(a <= m.start < b for a, b in settings) for m in mentions)
    return not (in_setting and _POINTS_BACK.search(part))


def _as_medicine(name: str, text: str) -> bool:
    """Whether the text speaks of `name` as something taken ("the normal dose of buspar", "add buspar"), or it
    has a medicine's ending; "covered by Medicare" is neither."""
    taken = re.compile(
        rf"\b(?:dose|doses|dosage|mg|take|takes|taking|took|add|adding|start|starting|on|prescribed)\s+(?:of\s+)?"
        rf"(?:my\s+|the\s+|some\s+|her\s+|his\s+)?{re.escape(name)}\b",
        re.I,
    )
    return bool(taken.search(text) or DRUG_NAME.search(name.lower()))


def _has_story(question: Question) -> bool:
    """Whether the message tells a story in sentences before the one that asks, which is well under all its words
    ("if i have mild depression ..., how soon would they check on me again" is one question, its condition in it)."""
    told = [s for s in re.split(r"(?<=[.!?])\s+", own_words(question.text).strip()) if s]
    # "... do i have to pick one or the other?": a sentence with no word of its own asks about the story
    specific = any(not is_everyday(w) for w in words(question.asked_text) if w not in STOPWORDS)
    return (
        len(told) >= 2
        and specific
        and len(words(question.asked_text)) < STORY_SHARE * len(words(own_words(question.text)))
    )


def _finds_nothing(part: Question) -> bool:
    """A part declined only for finding nothing close, not for naming something the sources lack."""
    return not part.unknown_names and not part.uncovered and not part.uncovered_topic and not part.topic


def _ends_asking(part: str, text: str) -> bool:
    at = text.find(part)
    after = text[at + len(part) :].lstrip()
    return at >= 0 and after.startswith("?") and not after.startswith("??")  # "??": disbelief at what was told


def _named_last(text: str, unknown: tuple[str, ...], lexicon: Lexicon) -> str:
    """The name among `unknown` that `text` gives after every medicine the lexicon knows, if one does."""
    known_end = max((m.end for m in lexicon.mentions(text)), default=-1)
    lowered = text.lower()
    at = {name: lowered.rfind(name.lower()) for name in unknown}
    last = max(at, key=lambda name: at[name], default="")
    return last if last and at[last] > known_end else ""


def _clamp_k(k: Any) -> int:
    try:
        value = int(k)
    except (TypeError, ValueError):
        value = 5
    return max(1, min(MAX_K, value))


def make_query_embedder(settings: Settings) -> Embedder:
    """The ONNX export of the bundled model when there is one (no torch import), else the torch model."""
    emb = settings.embedding
    if emb.backend != "bundled" or emb.query_backend == "torch":
        return make_embedder(emb)
    from ingest.embedding import bundled_model_dir
    from ingest.onnx_model import OnnxEmbedder, ensure_export

    # "auto" uses an export made at ingest; "onnx" makes one now if there is none.
    folder = ensure_export(
        bundled_model_dir(), emb.expected_sha256, settings.data_dir, create=emb.query_backend == "onnx"
    )
    return OnnxEmbedder(folder, emb.expected_sha256, threads=emb.query_threads) if folder else make_embedder(emb)


def make_generator(settings: Settings) -> Generator | None:
    if settings.answer.backend == "extractive":
        return None
    return LLMGenerator(settings)


__all__ = ["Chatbot"]
