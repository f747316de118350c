"""The sources registry: every work a reference note may cite, as data in `corpus/sources/*.yaml`.

Each file holds `sources: [...]`; all files are merged, and an id may be defined only once
across them. A reference note lists registry ids in its front matter (`sources: [anglin-2014]`)
and the document loader resolves them here. Every entry needs at least one checkable
identifier (DOI, PMID, https URL or DailyMed setid); errors name the file, the entry and the field.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
DOI_PATTERN = r"^10\.\d{4,9}/\S+$"
PMID_PATTERN = r"^\d{1,9}$"
URL_PATTERN = r"^https://\S+$"
SETID_PATTERN = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
REGISTRY_GLOBS = ("*.yaml", "*.yml")


class SourceError(ValueError):
    """A registry file or entry that cannot be used; the message names the file and the field."""

    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason


class Source(BaseModel):
    """One citable work. Identifiers are checked for form here; that they are real is checked by people."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)
    id: str = Field(pattern=ID_PATTERN, max_length=80)
    title: str = Field(min_length=3)
    authors: str | None = None
    publisher: str = Field(min_length=2)
    year: int | Literal["current"]  # "current" only for pages that are kept up to date
    citation: str | None = None
    doi: str | None = Field(None, pattern=DOI_PATTERN)
    pmid: str | None = Field(None, pattern=PMID_PATTERN)
    url: str | None = Field(None, pattern=URL_PATTERN)
    setid: str | None = Field(None, pattern=SETID_PATTERN)
    supports: str = Field(min_length=3)
    label: str | None = Field(None, min_length=3, max_length=120)

    @field_validator("pmid", mode="before")
    @classmethod
    def _pmid_as_text(cls, value: Any) -> Any:
        # YAML reads an unquoted PMID as an int; accept it, but never a float or a bool.
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value

    @field_validator("year")
    @classmethod
    def _plausible_year(cls, value: int | str) -> int | str:
        if isinstance(value, int) and not 1900 <= value <= 2100:
            raise ValueError("year must be between 1900 and 2100, or 'current'")
        return value

    @model_validator(mode="after")
    def _has_identifier(self) -> Source:
        if not (self.doi or self.pmid or self.url or self.setid):
            raise ValueError("a source needs at least one identifier: doi, pmid, url or setid")
        return self

    def short(self) -> str:
        """A short display string: 'Anglin et al. 2014, American Journal of Gastroenterology'."""
        if self.label:
            return self.label
        if self.authors:
            names = [n.strip() for n in re.split(r"[,;]|\band\b|&", self.authors) if n.strip()]
            surnames = [n.split()[0] for n in names if n.split()]
            if len(surnames) == 2 and "et al" not in self.authors:  # "Davies J, Read J" -> "Davies and Read"
                return f"{surnames[0]} and {surnames[1]} {self.year}, {self.publisher}"
            several = len(surnames) > 1 or "et al" in self.authors
            return f"{surnames[0] if surnames else self.authors}{' et al.' if several else ''} {self.year}, {self.publisher}"
        when = "current version" if self.year == "current" else str(self.year)
        return f"{self.title} ({when})" if len(self.title) <= 90 else f"{self.publisher} ({when})"

    def link(self) -> str:
        """Where a reader can check the work: the URL, else the DOI, PubMed or DailyMed page."""
        if self.url:
            return self.url
        if self.doi:
            return f"https://doi.org/{self.doi}"
        if self.pmid:
            return f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/"
        return f"https://dailymed.nlm.nih.gov/dailymed/drugInfo.cfm?setid={self.setid}"


@dataclass(frozen=True)
class SourceRegistry:
    """All registry entries by id, and the file (relative name) each came from."""

    sources: Mapping[str, Source] = field(default_factory=dict)
    files: Mapping[str, str] = field(default_factory=dict)

    def __contains__(self, source_id: object) -> bool:
        return source_id in self.sources

    def __getitem__(self, source_id: str) -> Source:
        return self.sources[source_id]

    def __iter__(self) -> Iterator[Source]:
        return iter(self.sources.values())

    def __len__(self) -> int:
        return len(self.sources)

    def get(self, source_id: str) -> Source | None:
        return self.sources.get(source_id)


def registry_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    files: set[Path] = set()
    for pattern in REGISTRY_GLOBS:
        files.update(p for p in folder.glob(pattern) if p.is_file() and not p.name.startswith("."))
    return sorted(files)


def _describe(exc: ValidationError, index: int) -> str:
    err = exc.errors()[0]
    where = ".".join(str(part) for part in err["loc"]) or "(entry)"
    msg = err["msg"].removeprefix("Value error, ")
    return f"sources[{index}] field '{where}': {msg}"


def _read_entries(path: Path, name: str) -> list[Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceError(name, f"cannot be read ({exc.__class__.__name__})") from None
    except yaml.YAMLError as exc:
        raise SourceError(name, f"not valid YAML ({exc.__class__.__name__})") from None
    if not isinstance(data, dict) or not isinstance(data.get("sources"), list):
        raise SourceError(name, "expected a top-level 'sources' list")
    return data["sources"]


def scan_registry(folder: Path) -> tuple[SourceRegistry, list[SourceError]]:
    """Load every registry file under `folder`, keeping the valid entries and collecting the errors."""
    sources: dict[str, Source] = {}
    files: dict[str, str] = {}
    errors: list[SourceError] = []
    base = folder.parent
    for path in registry_files(folder):
        name = path.relative_to(base).as_posix() if base in path.parents else str(path)
        try:
            entries = _read_entries(path, name)
        except SourceError as err:
            errors.append(err)
            continue
        for i, raw in enumerate(entries):
            if not isinstance(raw, dict):
                errors.append(SourceError(name, f"sources[{i}] must be a mapping of fields"))
                continue
            try:
                source = Source.model_validate(raw)
            except ValidationError as exc:
                errors.append(SourceError(name, _describe(exc, i)))
                continue
            if source.id in sources:
                errors.append(
                    SourceError(
                        name, f"sources[{i}] field 'id': '{source.id}' is already defined in {files[source.id]}"
                    )
                )
                continue
            sources[source.id] = source
            files[source.id] = name
    return SourceRegistry(sources, files), errors


def load_registry(folder: Path) -> SourceRegistry:
    """Strict loading: the first problem in any file raises a SourceError naming file and field."""
    registry, errors = scan_registry(folder)
    if errors:
        raise errors[0]
    return registry
