"""Frozen value types that flow through the pipeline: corpus → chunks → passages → answer."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

import numpy as np

from ingest.types import SourceKind

AnswerKind = Literal["answer", "no_answer", "crisis", "error"]  # error: an internal failure, told calmly


@dataclass(frozen=True)
class Passage:
    text: str
    source_id: str
    title: str
    section: str
    source_kind: SourceKind
    score: float
    chunk_id: str
    url: str = ""
    path: str = ""
    start: int = 0
    end: int = 0


@dataclass(frozen=True)
class Citation:
    n: int
    source_id: str
    title: str
    section: str
    url: str
    source_kind: SourceKind
    quote: str  # verbatim substring of the corpus file at `path`
    path: str = ""
    chunk_id: str = ""
    context: str = ""  # the whole chunk the quote sits in, for display
    sources: tuple[str, ...] = ()  # for references: the works the note cites
    disputed: bool = False

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        # Named corpus_path, not path: gradio_client would treat a {"path": ...} dict as a file to download.
        data["corpus_path"] = data.pop("path")
        data["sources"] = list(data["sources"])
        return data


@dataclass(frozen=True)
class QueryVectors:
    """A question's vectors, embedded in one batch: the whole question with its expansion; its aspect alone
    (drugs replaced by their class) when it names drugs; its own words when it asks about the articles,
    matched against the questions their passages answer (corpus/questions.yaml)."""

    whole: np.ndarray
    aspect: np.ndarray | None = None
    asked: np.ndarray | None = None
    own: np.ndarray | None = None  # the asking clause alone, when a story comes before it


@dataclass
class Timings:
    """Milliseconds per stage of one call, filled in as it runs and returned with its Answer."""

    embed_ms: float = 0.0
    dense_ms: float = 0.0
    lexical_ms: float = 0.0
    fusion_ms: float = 0.0
    retrieve_ms: float = 0.0
    answer_ms: float = 0.0


@dataclass(frozen=True)
class Answer:
    kind: AnswerKind
    text: str
    citations: list[Citation]
    disclaimer: str
    disputes: list[str] = field(default_factory=list)  # claim ids flagged in this answer
    question: str = ""
    standalone_question: str = ""
    suggestions: tuple[str, ...] = ()  # next questions the cited notes answer, each checked asked on its own
    timings: Timings | None = field(default=None, compare=False, repr=False)  # of the call that made it

    def to_json(self) -> dict[str, Any]:
        """The answer as plain JSON data (`ask --json`, the web API)."""
        return {
            "kind": self.kind,
            "text": self.text,
            "citations": [c.to_json() for c in self.citations],
            "disclaimer": self.disclaimer,
            "disputes": list(self.disputes),
            "standalone_question": self.standalone_question,
            "suggestions": list(self.suggestions),
        }

    def __str__(self) -> str:
        parts = [self.text]
        if self.citations:
            lines = ["", "**Sources**"]
            for c in self.citations:
                where = f" — {c.section}" if c.section else ""
                link = f" <{c.url}>" if c.url else ""
                lines.append(f"[{c.n}] *{c.title}*{where} ({kind_label(c.source_kind)}){link}")
                lines.append(f"    > {c.quote}")
            parts.append("\n".join(lines))
        if self.suggestions:
            parts.append("\n**You could also ask**\n" + "\n".join(f"- {q}" for q in self.suggestions))
        parts.append(f"\n---\n*{self.disclaimer}*")
        return "\n".join(parts)


def kind_label(kind: SourceKind) -> str:
    return {
        "anecdote": "article: personal anecdote",
        "opinion": "article: author's opinion",
        "reference": "curated reference",
    }[kind]
