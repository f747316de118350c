"""Disputed claims (corpus/claims.yaml): an article's exact words, a verdict, our correction,
and verbatim evidence quotes from the reference notes."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

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


def load_claims(path: Path) -> list[Claim]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ClaimsError(f"{path}: cannot read ({exc.__class__.__name__}: {exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get("claims"), list):
        raise ClaimsError(f"{path}: expected a top-level 'claims' list")
    claims: list[Claim] = []
    for i, raw in enumerate(data["claims"]):
        try:
            claims.append(Claim.model_validate(raw))
        except ValidationError as exc:
            err = exc.errors()[0]
            field = ".".join(str(p) for p in err["loc"])
            raise ClaimsError(f"{path}: claims[{i}] field '{field}': {err['msg']}") from None
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
                raise ClaimsError(f"{path}: claim '{c.id}' field 'evidence.reference': unknown reference '{ev.reference}'")
            if ev.quote not in texts[ev.reference]:
                raise ClaimsError(f"{path}: claim '{c.id}' field 'evidence.quote': not found verbatim in {ev.reference}")
