"""Reading corpus files: Markdown/plain text with a YAML front-matter block.

The front matter is validated; the body is never altered. Offsets are character offsets
into the whole file text, so `file_text[start:end]` recovers any chunk or quote exactly.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ingest.sources import ID_PATTERN, SourceRegistry, scan_registry
from ingest.types import SourceKind

DOCUMENT_GLOBS = ("articles/*.md", "articles/*.txt", "references/*.md")
SOURCES_DIR = "sources"  # the sources registry: <corpus>/sources/*.yaml
SourceId = Annotated[str, Field(pattern=ID_PATTERN)]


class DocumentError(ValueError):
    """A corpus file that cannot be used; the message names the file and the reason."""

    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason


class SourceRef(BaseModel):
    """An inline source (the older front-matter form, still read for small test corpora).

    The shipped corpus cites registry ids instead (see ingest/sources.py); a test checks that.
    """

    model_config = ConfigDict(extra="forbid")
    title: str = Field(min_length=3)
    journal: str | None = None
    organisation: str | None = None
    year: int | Literal["current"]
    citation: str | None = None
    url: str | None = Field(None, pattern=r"^https://\S+$")
    doi: str | None = Field(None, pattern=r"^10\.\d{4,9}/\S+$")

    @model_validator(mode="after")
    def _publisher(self) -> SourceRef:
        if not (self.journal or self.organisation):
            raise ValueError("a source needs a journal or an organisation")
        return self

    def short(self) -> str:
        """'Meyer et al. 2004', 'Lexapro US prescribing information (current label)'."""
        label = re.sub(r"\s*\([^)]*\)", "", self.title).strip()
        if self.year == "current":
            return f"{label} (current label)"
        return label if str(self.year) in label else f"{label} ({self.year})"


class ArticleMeta(BaseModel):
    model_config = ConfigDict(extra="allow")
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str = Field(min_length=3)
    kind: Literal["article"]
    site: str
    url: str = Field(pattern=r"^https?://\S+$")
    source_kind: Literal["anecdote", "opinion"]
    section_kinds: dict[str, Literal["anecdote", "opinion"]] = {}
    format: Literal["plain", "markdown"] = "plain"


class ReferenceMeta(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str | None = Field(None, pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str = Field(min_length=3)
    kind: Literal["reference"]
    topics: list[str] = Field(min_length=1)
    sources: list[SourceId | SourceRef] = Field(min_length=1)
    reviewed: dt.date


@dataclass(frozen=True)
class Document:
    source_id: str
    path: str  # relative to the corpus folder
    title: str
    kind: Literal["article", "reference"]
    url: str
    text: str  # the whole file, front matter included
    body_start: int
    format: Literal["plain", "markdown"]
    default_kind: SourceKind
    section_kinds: dict[str, SourceKind] = field(default_factory=dict)
    sources: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    sha256: str = ""
    author: str = ""

    def kind_of(self, section: str) -> SourceKind:
        return self.section_kinds.get(section, self.default_kind)


def split_front_matter(text: str) -> tuple[dict[str, Any], int]:
    """Return (front matter, offset where the body starts). Raises ValueError if malformed."""
    if not text.startswith("---\n"):
        raise ValueError("missing YAML front matter (the file must start with a '---' line)")
    close = text.find("\n---\n", 3)
    if close < 0:
        if text.endswith("\n---"):
            close = len(text) - 4
        else:
            raise ValueError("front matter is not closed by a '---' line")
    try:
        meta = yaml.safe_load(text[4:close])
    except yaml.YAMLError as exc:
        raise ValueError(f"front matter is not valid YAML ({exc.__class__.__name__})") from None
    if not isinstance(meta, dict):
        raise ValueError("front matter must be a mapping of fields")
    return meta, min(close + 5, len(text))


def describe_validation_error(exc: ValidationError) -> str:
    first = exc.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or "(root)"
    return f"front matter field '{where}': {first['msg']}"


def _resolve_sources(rel: str, ref: ReferenceMeta, registry: SourceRegistry | None) -> tuple[tuple[str, ...], str]:
    """Display strings for a note's sources and the link of its first source; unknown ids are errors."""
    shorts: list[str] = []
    links: list[str] = []
    for i, item in enumerate(ref.sources):
        if isinstance(item, str):
            source = registry.get(item) if registry is not None else None
            if source is None:
                raise DocumentError(
                    rel, f"front matter field 'sources.{i}': unknown source id '{item}' (not in {SOURCES_DIR}/*.yaml)"
                )
            shorts.append(source.short())
            links.append(source.link())
        else:
            shorts.append(item.short())
            if item.url or item.doi:
                links.append(item.url or f"https://doi.org/{item.doi}")
    return tuple(shorts), (links[0] if links else "")


def load_document(
    path: Path, corpus_root: Path, max_bytes: int = 5_000_000, registry: SourceRegistry | None = None
) -> Document:
    rel = path.relative_to(corpus_root).as_posix()
    if not path.is_file():
        raise DocumentError(rel, "not a regular file (a folder, a broken link or a device)")
    size = path.stat().st_size
    if size == 0:
        raise DocumentError(rel, "file is empty")
    if size > max_bytes:
        raise DocumentError(rel, f"file is {size:,} bytes, over the {max_bytes:,}-byte limit")
    raw = path.read_bytes()
    if b"\x00" in raw:
        raise DocumentError(rel, "file looks binary (contains NUL bytes)")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DocumentError(rel, f"not valid UTF-8 (byte {exc.start})") from None
    if not text.strip():
        raise DocumentError(rel, "file is empty")
    try:
        meta, body_start = split_front_matter(text)
    except ValueError as exc:
        raise DocumentError(rel, str(exc)) from None
    if not text[body_start:].strip():
        raise DocumentError(rel, "file has front matter but no body text")
    digest = hashlib.sha256(raw).hexdigest()
    try:
        if meta.get("kind") == "reference":
            ref = ReferenceMeta.model_validate(meta)
            shorts, link = _resolve_sources(rel, ref, registry)
            return Document(
                source_id=ref.id or path.stem,
                path=rel,
                title=ref.title,
                kind="reference",
                url=link,
                text=text,
                body_start=body_start,
                format="markdown",
                default_kind="reference",
                sources=shorts,
                topics=tuple(ref.topics),
                sha256=digest,
            )
        art = ArticleMeta.model_validate(meta)
    except ValidationError as exc:
        raise DocumentError(rel, describe_validation_error(exc)) from None
    return Document(
        source_id=art.id,
        path=rel,
        title=art.title,
        kind="article",
        url=art.url,
        text=text,
        body_start=body_start,
        format=art.format,
        default_kind=art.source_kind,
        section_kinds=dict(art.section_kinds),
        sha256=digest,
        author=str(meta.get("author") or art.site),
    )


class DocumentRecord(BaseModel):
    """What the index keeps about a document (the manifest entry), typed end to end."""

    model_config = ConfigDict(frozen=True, extra="ignore")
    path: str
    title: str
    kind: Literal["article", "reference"]
    url: str
    sha256: str = ""
    sources: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    author: str = ""

    @classmethod
    def of(cls, doc: Document) -> DocumentRecord:
        return cls(
            path=doc.path,
            title=doc.title,
            kind=doc.kind,
            url=doc.url,
            sha256=doc.sha256,
            sources=doc.sources,
            topics=doc.topics,
            author=doc.author,
        )

    @property
    def attribution(self) -> str:
        """Whose words an article quote is: "The Desmolysium author"."""
        return f"The {self.author} author" if self.author else "The article's author"


def corpus_files(corpus_root: Path) -> list[Path]:
    files: set[Path] = set()
    for pattern in DOCUMENT_GLOBS:
        files.update(p for p in corpus_root.glob(pattern) if not p.name.startswith("."))
    return sorted(files)


@dataclass
class CorpusScan:
    documents: list[Document]
    skipped: list[DocumentError]


def scan_corpus(
    corpus_root: Path, *, strict: bool = False, max_bytes: int = 5_000_000, registry: SourceRegistry | None = None
) -> CorpusScan:
    """Load every corpus document; bad files are collected (or raised when strict).

    Reference notes cite ids from the sources registry, read from `<corpus>/sources/` unless
    a registry is passed in. A bad registry entry is reported like a bad file (or raised when
    strict); notes citing it then fail with "unknown source id".
    """
    if not corpus_root.is_dir():
        raise FileNotFoundError(f"corpus folder not found: {corpus_root}")
    documents: list[Document] = []
    skipped: list[DocumentError] = []
    if registry is None:
        registry, registry_errors = scan_registry(corpus_root / SOURCES_DIR)
        for problem in registry_errors:
            if strict:
                raise DocumentError(problem.path, problem.reason) from None
            skipped.append(DocumentError(problem.path, problem.reason))
    seen: dict[str, str] = {}
    for path in corpus_files(corpus_root):
        try:
            doc = load_document(path, corpus_root, max_bytes, registry)
            if doc.source_id in seen:
                raise DocumentError(doc.path, f"id '{doc.source_id}' is already used by {seen[doc.source_id]}")
            seen[doc.source_id] = doc.path
            documents.append(doc)
        except OSError as exc:
            err = DocumentError(
                path.relative_to(corpus_root).as_posix(), f"file cannot be read ({exc.strerror or exc})"
            )
            if strict:
                raise err from None
            skipped.append(err)
        except DocumentError as err:
            if strict:
                raise
            skipped.append(err)
    return CorpusScan(documents, skipped)
