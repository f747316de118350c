"""Disputed claims (corpus/claims.yaml): an article's exact words, a verdict, our correction,
and verbatim evidence quotes from the reference notes."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ingest.datafile import validated

Verdict = Literal["contradicted", "partly-supported", "unsupported", "supported", "opinion"]


class ClaimsError(ValueError):
    pass


class Evidence(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    reference: str
    quote: str = Field(min_length=10)


class Claim(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    document: str
    quote: str = Field(min_length=10)
    verdict: Verdict
    correction: str = Field(min_length=20)
    references: list[str] = Field(min_length=1)
    evidence: list[Evidence] = Field(min_length=1)

    @property
    def disputed(self) -> bool:
        return self.verdict != "supported"


class Placed(BaseModel):
    """Where a quote sits: its corpus file, offsets into it, and the chunk that holds it."""

    model_config = ConfigDict(frozen=True)
    path: str
    start: int
    end: int
    chunk_id: str


class PlacedEvidence(Evidence, Placed):
    pass


class PlacedClaim(Claim, Placed):
    """A claim as the index keeps it: the claim, its place and the place of each evidence quote."""

    evidence: list[PlacedEvidence] = Field(min_length=1)  # type: ignore[assignment]


def load_claims(path: Path) -> list[Claim]:
    claims = [claim for _, claim in validated(path, "claims", Claim, ClaimsError)]
    ids = [c.id for c in claims]
    dupes = {i for i in ids if ids.count(i) > 1}
    if dupes:
        raise ClaimsError(f"{path}: duplicate claim ids {sorted(dupes)}")
    return claims


def check_claims_against_corpus(claims: list[Claim], texts: dict[str, str], path: Path) -> None:
    """Every claim quote must be verbatim in its article; every evidence quote in its note."""
    for c in claims:
        if c.document not in texts:
            raise ClaimsError(f"{path}: claim '{c.id}' field 'document': unknown document '{c.document}'")
        if c.quote not in texts[c.document]:
            raise ClaimsError(f"{path}: claim '{c.id}' field 'quote': not found verbatim in {c.document}")
        for ref in c.references:
            if ref not in texts:
                raise ClaimsError(f"{path}: claim '{c.id}' field 'references': unknown reference '{ref}'")
        for ev in c.evidence:
            if ev.reference not in texts:
                raise ClaimsError(
                    f"{path}: claim '{c.id}' field 'evidence.reference': unknown reference '{ev.reference}'"
                )
            if ev.quote not in texts[ev.reference]:
                raise ClaimsError(
                    f"{path}: claim '{c.id}' field 'evidence.quote': not found verbatim in {ev.reference}"
                )
