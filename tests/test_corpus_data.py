"""The shipped corpus: reference notes, disputed claims and the drug lexicon (issue 3)."""

import re
from pathlib import Path

import pytest
import yaml

from ingest.claims import ClaimsError, check_claims_against_corpus, load_claims
from ingest.documents import scan_corpus
from ingest.lexicon import LexiconError, load_lexicon

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
# Every DOI and URL a note may cite: exactly those the fact base gives (shared/research/ssri-facts.md).
ALLOWED_DOIS = {"10.1016/S2215-0366(19)30032-X", "10.1016/S0140-6736(17)32802-7", "10.1038/s41380-022-01661-0"}
ALLOWED_URLS = {"https://dailymed.nlm.nih.gov", "https://www.nice.org.uk/guidance/ng222"}
# Drugs the two articles name (read by hand from the articles).
ARTICLE_DRUGS = ["escitalopram", "vortioxetine", "sertraline", "fluoxetine", "fluvoxamine", "citalopram", "paroxetine", "vilazodone",
                 "nefazodone", "venlafaxine", "duloxetine", "milnacipran", "bupropion", "mirtazapine", "ashwagandha"]


@pytest.fixture(scope="module")
def scan():
    return scan_corpus(CORPUS)


def test_corpus_loads_without_skips(scan) -> None:
    assert scan.skipped == []
    assert len([d for d in scan.documents if d.kind == "article"]) == 2


def test_at_least_twenty_reference_notes_with_sources(scan) -> None:
    notes = [d for d in scan.documents if d.kind == "reference"]
    assert len(notes) >= 20
    for note in notes:
        assert note.sources, note.path
        words = len(note.text[note.body_start :].split())
        assert 140 <= words <= 420, (note.path, words)


def test_notes_cite_only_sources_from_the_fact_base() -> None:
    for path in (CORPUS / "references").glob("*.md"):
        meta = yaml.safe_load(path.read_text().split("---\n")[1])
        for source in meta["sources"]:
            if source.get("doi"):
                assert source["doi"] in ALLOWED_DOIS, (path.name, source["doi"])
            if source.get("url"):
                assert source["url"] in ALLOWED_URLS, (path.name, source["url"])
        body = path.read_text()
        for doi in re.findall(r"10\.\d{4,9}/\S+", body.split("---\n", 2)[2]):
            assert doi.rstrip(".,)") in ALLOWED_DOIS


def test_required_topics_are_covered(scan) -> None:
    ids = {d.source_id for d in scan.documents}
    required = ["mechanism-and-sert-occupancy", "suicidality-boxed-warning", "citalopram", "serotonin-syndrome-and-maoi",
                "discontinuation-and-tapering", "bleeding-risk", "hyponatraemia", "sexual-dysfunction-and-pssd", "emotional-blunting",
                "time-to-effect", "efficacy-cipriani-2018", "serotonin-hypothesis", "treatment-resistant-depression", "overdose-toxicity",
                "pregnancy", "fluoxetine", "fluvoxamine", "escitalopram", "paroxetine", "sertraline", "vortioxetine", "vilazodone",
                "nefazodone", "venlafaxine", "duloxetine", "milnacipran", "bupropion", "mirtazapine"]
    assert not set(required) - ids


def test_claims_are_verbatim_and_reference_existing_notes(scan) -> None:
    claims = load_claims(CORPUS / "claims.yaml")
    assert len(claims) >= 14
    texts = {d.source_id: d.text for d in scan.documents}
    check_claims_against_corpus(claims, texts, CORPUS / "claims.yaml")  # raises on any mismatch
    assert {c.document for c in claims} == {"desmolysium-ssris", "tellmipsychiatry-ssris-trd"}
    assert sum(c.disputed for c in claims) >= 10


def test_claim_schema_errors_name_file_and_field(tmp_path: Path) -> None:
    bad = tmp_path / "claims.yaml"
    bad.write_text("claims:\n  - id: x\n    document: d\n    quote: some words here\n    verdict: wrong\n    correction: a correction long enough\n    references: [a]\n    evidence: [{reference: a, quote: evidence quote}]\n")
    with pytest.raises(ClaimsError, match=r"claims.yaml: claims\[0\] field 'verdict'"):
        load_claims(bad)


def test_claim_quote_must_be_verbatim(scan, tmp_path: Path) -> None:
    claims = load_claims(CORPUS / "claims.yaml")
    texts = {d.source_id: d.text for d in scan.documents}
    texts["desmolysium-ssris"] = texts["desmolysium-ssris"].replace("cannot be used for committing suicide", "X")
    with pytest.raises(ClaimsError, match="not found verbatim"):
        check_claims_against_corpus(claims, texts, tmp_path / "claims.yaml")


def test_lexicon_maps_every_brand_to_its_generic(scan) -> None:
    lexicon = load_lexicon(CORPUS / "drugs.yaml")
    note_ids = {d.source_id for d in scan.documents}
    for entry in lexicon.entries.values():
        for brand in entry.brand_names():
            assert lexicon.generic(brand) == entry.generic
            assert lexicon.generic(brand.upper()) == entry.generic
        for typo in entry.misspellings:
            assert lexicon.generic(typo) == entry.generic
        assert entry.reference is None or entry.reference in note_ids
    for brand, generic in {"Lexapro": "escitalopram", "Cipralex": "escitalopram", "Prozac": "fluoxetine", "Zoloft": "sertraline",
                           "Lustral": "sertraline", "Paxil": "paroxetine", "Seroxat": "paroxetine", "Celexa": "citalopram",
                           "Cipramil": "citalopram", "Luvox": "fluvoxamine", "Faverin": "fluvoxamine", "Trintellix": "vortioxetine",
                           "Brintellix": "vortioxetine", "Viibryd": "vilazodone", "Effexor": "venlafaxine", "Cymbalta": "duloxetine",
                           "Savella": "milnacipran", "Ixel": "milnacipran", "Wellbutrin": "bupropion", "Remeron": "mirtazapine"}.items():
        assert lexicon.generic(brand) == generic
    assert lexicon.generic("weather") is None


def test_every_drug_the_articles_name_is_in_the_lexicon(scan) -> None:
    lexicon = load_lexicon(CORPUS / "drugs.yaml")
    articles = " ".join(d.text.lower() for d in scan.documents if d.kind == "article")
    for drug in ARTICLE_DRUGS:
        assert drug in articles
        assert drug in lexicon.entries


def test_lexicon_errors_name_the_field(tmp_path: Path) -> None:
    bad = tmp_path / "drugs.yaml"
    bad.write_text("drugs:\n  - {generic: x1, class: SSRI, reference: null}\n")
    with pytest.raises(LexiconError, match=r"drugs\[0\] field 'generic'"):
        load_lexicon(bad)
