"""The chatbot as LangChain components, for people who compose it into their own chains:
a `BaseRetriever` over the hybrid retrieval and a `Runnable` that answers."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from langchain_core.runnables import Runnable, RunnableLambda

from qa.types import Answer

if TYPE_CHECKING:
    from qa.chatbot import Chatbot


class ChatbotRetriever(BaseRetriever):
    """Hybrid retrieval (dense + BM25, drug notes first) as LangChain Documents with the passage's
    provenance in `metadata`: source id, title, section, url, kind, corpus path, span, chunk id, score."""

    bot: Any
    k: int = 5

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        return [
            Document(
                page_content=p.text,
                metadata={
                    "source_id": p.source_id,
                    "title": p.title,
                    "section": p.section,
                    "url": p.url,
                    "kind": p.source_kind,
                    "path": p.path,
                    "start": p.start,
                    "end": p.end,
                    "chunk_id": p.chunk_id,
                    "score": p.score,
                },
            )
            for p in self.bot.retrieve(query, k=self.k)
        ]


def answer_runnable(bot: Chatbot) -> Runnable[Any, Answer]:
    """`{"question": ..., "history": [...]}` (or a plain question string) → `Answer`.
    `.invoke`, `.batch` and `.stream` work; `.stream` yields the finished Answer as one chunk."""

    def ask(inputs: Any) -> Answer:
        if isinstance(inputs, dict):
            return bot.ask(inputs.get("question"), inputs.get("history") or [])
        return bot.ask(inputs)

    return RunnableLambda(ask, name="ssri_qa_answer")
