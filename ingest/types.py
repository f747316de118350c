"""Value types of the corpus side, shared with answering: what kind a source is, and a chunk of it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

SourceKind = Literal["anecdote", "opinion", "reference"]


@dataclass(frozen=True)
class Chunk:
    """A piece of one corpus file; `text == file_text[start:end]` exactly."""

    chunk_id: str
    source_id: str
    title: str
    section: str
    source_kind: SourceKind
    url: str
    path: str  # corpus-relative path of the file
    start: int  # character offsets into the whole file text (front matter included)
    end: int
    text: str
