"""Optional generative backends through LangChain chat models (`ollama`, `openai`).

The model only writes the answer body from numbered passages. Afterwards, in code: every
[n] must name a provided passage, sentences without a valid marker are dropped, an
explicit NO_ANSWER abstains, and any error or timeout falls back to the extractive answer.
Safety routing, disputes and the disclaimer never depend on the model.
"""

from __future__ import annotations

import logging
import re
from typing import Any, Protocol

from ingest.settings import Settings
from ingest.text import content_terms, sentences
from qa.answer import Draft
from qa.citations import CitationBook
from qa.index import LoadedIndex
from qa.messages import REWRITE_PROMPT, SYSTEM_PROMPT, USER_PROMPT
from qa.types import Passage, kind_label

log = logging.getLogger("ssri_qa.llm")
_MARKER = re.compile(r"\[(\d{1,2})\]")


def make_chat_model(settings: Settings) -> Any:
    llm = settings.llm
    if settings.answer.backend == "openai":
        from langchain_openai import ChatOpenAI

        return ChatOpenAI(
            model=llm.model,
            base_url=llm.base_url,
            api_key=llm.api_key,
            timeout=llm.timeout_s,
            max_retries=0,
            temperature=llm.temperature,
        )
    if settings.answer.backend == "ollama":
        from langchain_ollama import ChatOllama

        return ChatOllama(
            model=llm.model,
            base_url=llm.base_url,
            temperature=llm.temperature,
            client_kwargs={"timeout": llm.timeout_s},
        )
    raise ValueError(f"unknown generative backend {settings.answer.backend!r}")


class Generator(Protocol):
    """A generative backend: rewrites follow-ups and writes an answer body from numbered passages,
    or returns None (then the extractive answer stands)."""

    def rewrite(self, question: str, history: list[dict[str, str]]) -> str | None: ...

    def answer(
        self, question: str, passages: list[Passage], index: LoadedIndex, book: CitationBook, extractive: Draft
    ) -> tuple[Draft, CitationBook] | None: ...


class UncitedReply(ValueError):
    """The model's reply had no sentence with a valid [n]; the chain falls back."""


class LLMGenerator:
    """The LLM path as a LangChain chain: prompt | model | text parser | citation check, with a
    fallback to the extractive answer when the model fails, times out or cites nothing valid."""

    def __init__(self, settings: Settings, model: Any = None) -> None:
        from langchain_core.output_parsers import StrOutputParser
        from langchain_core.prompts import ChatPromptTemplate
        from langchain_core.runnables import RunnableLambda

        self.settings = settings
        self.model = model or make_chat_model(settings)
        answer_prompt = ChatPromptTemplate.from_messages([("system", SYSTEM_PROMPT), ("human", USER_PROMPT)])
        self.answer_chain = (
            RunnableLambda(self._prompt_inputs) | answer_prompt | self.model | StrOutputParser()
        ).with_fallbacks([RunnableLambda(lambda inputs: None)])
        self.rewrite_chain = (
            ChatPromptTemplate.from_messages([("human", REWRITE_PROMPT)]) | self.model | StrOutputParser()
        ).with_fallbacks([RunnableLambda(lambda inputs: "")])

    @staticmethod
    def _prompt_inputs(inputs: dict[str, Any]) -> dict[str, str]:
        passages: list[Passage] = inputs["passages"]
        numbered = "\n\n".join(
            f"[{i}] ({kind_label(p.source_kind)}; {p.title}{' — ' + p.section if p.section else ''})\n{p.text}"
            for i, p in enumerate(passages, start=1)
        )
        return {"passages": numbered, "question": inputs["question"]}

    def rewrite(self, question: str, history: list[dict[str, str]]) -> str | None:
        convo = "\n".join(f"{m['role']}: {m['content'][:500]}" for m in history[-6:])
        text = self.rewrite_chain.invoke({"history": convo, "question": question})
        text = text.strip().splitlines()[0].strip() if text and text.strip() else ""
        return text if 3 <= len(text) <= 500 else None

    def answer(
        self, question: str, passages: list[Passage], index: LoadedIndex, book: CitationBook, extractive: Draft
    ) -> tuple[Draft, CitationBook] | None:
        from langchain_core.runnables import RunnableLambda

        def checked(reply: str | None) -> tuple[Draft, CitationBook]:
            if reply is None:
                raise UncitedReply("the model failed")
            return self._checked(reply, passages, index, book)

        chain = (self.answer_chain | RunnableLambda(checked)).with_fallbacks(
            [RunnableLambda(lambda _: (extractive, CitationBook(index)))], exceptions_to_handle=(UncitedReply,)
        )
        try:
            draft, used_book = chain.invoke({"passages": passages, "question": question})
        except Exception as exc:  # anything unexpected: the extractive answer stands
            log.warning("LLM chain failed (%s: %s); using the extractive answer", exc.__class__.__name__, exc)
            return None
        return (draft, used_book) if draft is not extractive else None

    def _checked(
        self, reply: str, passages: list[Passage], index: LoadedIndex, book: CitationBook
    ) -> tuple[Draft, CitationBook]:
        if reply.strip().upper().startswith("NO_ANSWER"):
            return Draft("no_answer"), book
        kept: list[str] = []
        used: list[tuple[str, int, int]] = []
        for sentence in (reply[a:b] for a, b in sentences(reply)):
            markers = [int(n) for n in _MARKER.findall(sentence)]
            if not markers or any(not 1 <= n <= len(passages) for n in markers):
                continue  # uncited or invented citation: dropped
            plain = _MARKER.sub("", sentence).strip()
            renumbered = plain
            for n in dict.fromkeys(markers):
                passage = passages[n - 1]
                start, end = best_supporting_sentence(index, passage, plain)
                number = book.cite(index.chunks[index.chunk_row[passage.chunk_id]], start, end)
                renumbered += f" [{number}]"
                used.append((passage.chunk_id, start, end))
            kept.append(renumbered)
        if not kept:
            log.warning("LLM reply had no sentence with a valid citation; using the extractive answer")
            raise UncitedReply(reply[:200])
        return Draft("answer", [" ".join(kept)], used_spans=used), book


def best_supporting_sentence(index: LoadedIndex, passage: Passage, sentence: str) -> tuple[int, int]:
    """File offsets of the passage sentence that shares the most words with a generated sentence."""
    row_of = index.chunk_row[passage.chunk_id]
    rows = index.sentences_of_chunk[row_of]
    if not len(rows):
        return passage.start, passage.end
    wanted = content_terms(sentence)
    best = max(rows, key=lambda r: len(wanted & content_terms(index.sentence_text(int(r)))))
    _, start, end = (int(x) for x in index.sentence_rows[int(best)])
    return start, end
