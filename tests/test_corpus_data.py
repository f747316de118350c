"""The shipped corpus: reference notes, disputed claims and the drug lexicon (issue 3)."""

import re
from pathlib import Path

import pytest
import yaml

from ingest.claims import ClaimsError, check_claims_against_corpus, load_claims
from ingest.documents import DocumentError, scan_corpus
from ingest.lexicon import LexiconError, load_lexicon
from ingest.passage_questions import QuestionsError, check_questions_against_corpus, load_questions
from ingest.pipeline import load_side_data
from ingest.sources import SourceError, load_registry, scan_registry

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
# Identifier forms the sources registry accepts (corpus/sources/*.yaml; see ingest/sources.py).
DOI = re.compile(r"^10\.\d{4,9}/\S+$")
PMID = re.compile(r"^\d+$")
SETID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)
# Drugs the two articles name (read by hand from the articles).
ARTICLE_DRUGS = [
    "escitalopram",
    "vortioxetine",
    "sertraline",
    "fluoxetine",
    "fluvoxamine",
    "citalopram",
    "paroxetine",
    "vilazodone",
    "nefazodone",
    "venlafaxine",
    "duloxetine",
    "milnacipran",
    "bupropion",
    "mirtazapine",
    "ashwagandha",
]


@pytest.fixture(scope="module")
def scan():
    return scan_corpus(CORPUS)


def test_corpus_loads_without_skips(scan) -> None:
    assert scan.skipped == []
    assert len([d for d in scan.documents if d.kind == "article"]) == 2


def test_shipped_data_files_load_without_skips(scan) -> None:
    # A non-strict ingest skips a whole data file on one bad entry (a phrase listed twice in the vocabulary),
    # reporting it only on stderr; the shipped files must never be skipped.
    skipped: list[dict[str, str]] = []
    side = load_side_data(CORPUS, scan.documents, False, skipped)
    assert skipped == []
    assert side.drugs and side.vocabulary and side.claims and side.questions


def test_at_least_45_reference_notes_with_sources(scan) -> None:
    notes = [d for d in scan.documents if d.kind == "reference"]
    assert len(notes) >= 45
    for note in notes:
        assert note.sources, note.path
        words = len(note.text[note.body_start :].split())
        assert 140 <= words <= 420, (note.path, words)


@pytest.fixture(scope="module")
def registry():
    return load_registry(CORPUS / "sources")  # strict: any bad entry or duplicate id fails here


def _front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


def _body(path: Path) -> str:
    return path.read_text(encoding="utf-8").split("---\n", 2)[2]


def test_notes_cite_only_registry_ids(registry) -> None:
    for path in sorted((CORPUS / "references").glob("*.md")):
        cited = _front_matter(path)["sources"]
        assert cited, path.name
        for source_id in cited:
            assert isinstance(source_id, str), (
                path.name,
                "sources must be registry ids, not inline entries",
                source_id,
            )
            assert source_id in registry, (path.name, source_id)
        assert len(cited) == len(set(cited)), (path.name, "a source id is listed twice")


def test_registry_identifiers_are_well_formed(registry) -> None:
    assert len(registry) >= 45
    for source in registry:
        assert source.doi or source.pmid or source.url or source.setid, source.id
        assert source.doi is None or DOI.match(source.doi), (source.id, source.doi)
        assert source.pmid is None or PMID.match(source.pmid), (source.id, source.pmid)
        assert source.url is None or source.url.startswith("https://"), (source.id, source.url)
        assert source.setid is None or SETID.match(source.setid), (source.id, source.setid)


def test_every_registry_entry_is_cited_by_a_note(registry) -> None:
    cited = {i for path in (CORPUS / "references").glob("*.md") for i in _front_matter(path)["sources"]}
    assert not set(registry.sources) - cited, "registry entries no note cites"


def test_every_doi_in_a_note_body_is_in_the_registry(registry) -> None:
    known = {s.doi.lower() for s in registry if s.doi}
    for path in (CORPUS / "references").glob("*.md"):
        for doi in re.findall(r"10\.\d{4,9}/\S+", _body(path)):
            assert doi.rstrip(".,;)").lower() in known, (path.name, doi)


def test_no_reference_sentence_opens_with_yes_or_no(scan) -> None:
    """Sentences are quoted without their heading: a "Yes:" written for "Is a generic the same medicine?"
    would answer "can generics be weaker?" instead (corpus/README.md)."""
    from ingest.text import sentences

    opening = re.compile(r"^(?:Yes|No|Not always|Not usually)\b[:,]")
    for note in (d for d in scan.documents if d.kind == "reference"):
        body = note.text[note.body_start :]
        found = [body[a:b] for a, b in sentences(body) if opening.match(body[a:b])]
        assert found == [], (note.path, found)


def test_notes_show_short_source_names(scan) -> None:
    anglin = next(d for d in scan.documents if d.source_id == "bleeding-risk")
    assert "Anglin et al. 2014, American Journal of Gastroenterology" in anglin.sources
    assert all(s and len(s) <= 120 for d in scan.documents for s in d.sources)


GOOD_ENTRY = "  - {id: good-2020, title: A good title, publisher: A journal, year: 2020, doi: '10.1000/xyz', supports: what it supports}\n"


@pytest.mark.parametrize(
    ("entry", "field"),
    [
        ("  - {id: x-1, title: A title, publisher: Pub, year: 2020, doi: 'doi:10.1/x', supports: s s s}\n", "doi"),
        ("  - {id: x-1, title: A title, publisher: Pub, year: 2020, pmid: 'PMC123', supports: s s s}\n", "pmid"),
        (
            "  - {id: x-1, title: A title, publisher: Pub, year: 2020, url: 'http://example.org', supports: s s s}\n",
            "url",
        ),
        ("  - {id: x-1, title: A title, publisher: Pub, year: 2020, setid: 'not-a-uuid', supports: s s s}\n", "setid"),
        ("  - {id: x-1, title: A title, publisher: Pub, year: 2020, supports: s s s}\n", "(entry)"),
        ("  - {id: X 1, title: A title, publisher: Pub, year: 2020, doi: '10.1000/x', supports: s s s}\n", "id"),
        ("  - {id: x-1, title: A title, publisher: Pub, year: 1066, doi: '10.1000/x', supports: s s s}\n", "year"),
        (
            "  - {id: x-1, title: A title, publisher: Pub, year: 2020, doi: '10.1000/x', supports: s s s, journal: J}\n",
            "journal",
        ),
    ],
)
def test_registry_errors_name_file_and_field(tmp_path: Path, entry: str, field: str) -> None:
    folder = tmp_path / "sources"
    folder.mkdir()
    (folder / "bad.yaml").write_text("sources:\n" + GOOD_ENTRY + entry, encoding="utf-8")
    with pytest.raises(SourceError, match=rf"sources/bad\.yaml: sources\[1\] field '{re.escape(field)}'"):
        load_registry(folder)
    registry, errors = scan_registry(folder)  # lenient: the good entry survives
    assert "good-2020" in registry and len(errors) == 1


def test_registry_duplicate_ids_name_both_files(tmp_path: Path) -> None:
    folder = tmp_path / "sources"
    folder.mkdir()
    (folder / "a.yaml").write_text("sources:\n" + GOOD_ENTRY, encoding="utf-8")
    (folder / "b.yaml").write_text("sources:\n" + GOOD_ENTRY, encoding="utf-8")
    with pytest.raises(
        SourceError,
        match=r"sources/b\.yaml: sources\[0\] field 'id': 'good-2020' is already defined in sources/a\.yaml",
    ):
        load_registry(folder)


def test_registry_file_must_hold_a_sources_list(tmp_path: Path) -> None:
    folder = tmp_path / "sources"
    folder.mkdir()
    (folder / "odd.yaml").write_text("- just a list\n", encoding="utf-8")
    with pytest.raises(SourceError, match=r"sources/odd\.yaml: expected a top-level 'sources' list"):
        load_registry(folder)


def test_unknown_source_id_makes_the_note_an_error(tmp_path: Path) -> None:
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "core.yaml").write_text("sources:\n" + GOOD_ENTRY, encoding="utf-8")
    (tmp_path / "references").mkdir()
    body = "# Note\n\n" + "Some words about a topic. " * 30
    head = "---\ntitle: A note\nkind: reference\ntopics: [x]\nsources: [{ids}]\nreviewed: 2026-01-01\n---\n"
    (tmp_path / "references" / "good.md").write_text(head.format(ids="good-2020") + body, encoding="utf-8")
    (tmp_path / "references" / "bad.md").write_text(
        head.format(ids="good-2020, no-such-source") + body, encoding="utf-8"
    )
    scan = scan_corpus(tmp_path)
    assert [d.source_id for d in scan.documents] == ["good"]
    assert scan.documents[0].sources == ("A good title (2020)",)
    assert scan.documents[0].url == "https://doi.org/10.1000/xyz"
    assert len(scan.skipped) == 1 and "no-such-source" in str(scan.skipped[0]) and "sources.1" in str(scan.skipped[0])
    with pytest.raises(DocumentError, match="unknown source id 'no-such-source'"):
        scan_corpus(tmp_path, strict=True)


def test_required_topics_are_covered(scan) -> None:
    ids = {d.source_id for d in scan.documents}
    required = [
        "mechanism-and-sert-occupancy",
        "suicidality-boxed-warning",
        "citalopram",
        "serotonin-syndrome-and-maoi",
        "discontinuation-and-tapering",
        "bleeding-risk",
        "hyponatraemia",
        "sexual-dysfunction-and-pssd",
        "emotional-blunting",
        "time-to-effect",
        "efficacy-cipriani-2018",
        "serotonin-hypothesis",
        "treatment-resistant-depression",
        "overdose-toxicity",
        "pregnancy",
        "fluoxetine",
        "fluvoxamine",
        "escitalopram",
        "paroxetine",
        "sertraline",
        "vortioxetine",
        "vilazodone",
        "nefazodone",
        "venlafaxine",
        "duloxetine",
        "milnacipran",
        "bupropion",
        "mirtazapine",
    ]
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
    bad.write_text(
        "claims:\n  - id: x\n    document: d\n    quote: some words here\n    verdict: wrong\n    correction: a correction long enough\n    references: [a]\n    evidence: [{reference: a, quote: evidence quote}]\n"
    )
    with pytest.raises(ClaimsError, match=r"claims.yaml: claims\[0\] field 'verdict'"):
        load_claims(bad)


def test_claim_quote_must_be_verbatim(scan, tmp_path: Path) -> None:
    claims = load_claims(CORPUS / "claims.yaml")
    texts = {d.source_id: d.text for d in scan.documents}
    texts["desmolysium-ssris"] = texts["desmolysium-ssris"].replace("cannot be used for committing suicide", "X")
    with pytest.raises(ClaimsError, match="not found verbatim"):
        check_claims_against_corpus(claims, texts, tmp_path / "claims.yaml")


def test_passage_questions_quote_the_articles_verbatim(scan) -> None:
    entries = load_questions(CORPUS / "questions.yaml")
    texts = {d.source_id: d.text for d in scan.documents}
    check_questions_against_corpus(entries, texts, CORPUS / "questions.yaml")  # raises on any mismatch
    assert {e.document for e in entries} == {"desmolysium-ssris", "tellmipsychiatry-ssris-trd"}
    assert sum(len(e.questions) for e in entries) >= 300


def test_passage_question_errors_name_file_and_field(tmp_path: Path) -> None:
    bad = tmp_path / "questions.yaml"
    bad.write_text("passages:\n  - document: d\n    quote: too short\n    questions: [Why did he stop]\n")
    with pytest.raises(QuestionsError, match=r"questions.yaml: passages\[0\] field 'quote'"):
        load_questions(bad)
    bad.write_text("passages:\n" + "  - {document: d, quote: the same words twice here, questions: [Why]}\n" * 2)
    with pytest.raises(QuestionsError, match="listed twice"):
        load_questions(bad)


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
    for brand, generic in {
        "Lexapro": "escitalopram",
        "Cipralex": "escitalopram",
        "Prozac": "fluoxetine",
        "Zoloft": "sertraline",
        "Lustral": "sertraline",
        "Paxil": "paroxetine",
        "Seroxat": "paroxetine",
        "Celexa": "citalopram",
        "Cipramil": "citalopram",
        "Luvox": "fluvoxamine",
        "Faverin": "fluvoxamine",
        "Trintellix": "vortioxetine",
        "Brintellix": "vortioxetine",
        "Viibryd": "vilazodone",
        "Effexor": "venlafaxine",
        "Cymbalta": "duloxetine",
        "Savella": "milnacipran",
        "Ixel": "milnacipran",
        "Wellbutrin": "bupropion",
        "Remeron": "mirtazapine",
    }.items():
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


@pytest.mark.parametrize(
    ("text", "surface", "generic"),
    [
        ("um im on zo loft and it makes me sick", "zo loft", "sertraline"),
        ("is it ok to drink on lexa pro", "lexa pro", "escitalopram"),
        ("they have me on pro zack", "pro zack", "fluoxetine"),
    ],
)
def test_a_name_speech_to_text_wrote_as_two_words_is_read_as_one(text: str, surface: str, generic: str) -> None:
    lexicon = load_lexicon(CORPUS / "drugs.yaml")
    assert [(m.surface, m.generic) for m in lexicon.mentions(text)] == [(surface, generic)]


@pytest.mark.parametrize(
    ("text", "generic"),
    [
        ("they just put me on sim balta", "duloxetine"),  # two pieces, as the name sounds
        ("what if i take my vi bried without eating", "vilazodone"),
        ("is simbalta ok with wine", "duloxetine"),
        ("my gp said lexipro", "escitalopram"),
    ],
)
def test_a_name_written_as_it_sounds_is_read_as_the_medicine(text: str, generic: str) -> None:
    lexicon = load_lexicon(CORPUS / "drugs.yaml")
    assert [m.generic for m in lexicon.mentions(text)] == [generic]


def test_an_english_word_close_to_a_name_is_the_word() -> None:
    lexicon = load_lexicon(CORPUS / "drugs.yaml")
    for text in ("i'm an immigrant", "it feels like warfare", "we saw a dolphin", "the storyline of my life"):
        assert lexicon.mentions(text) == [], text


def test_two_everyday_words_are_not_joined_into_a_medicine() -> None:
    lexicon = load_lexicon(CORPUS / "drugs.yaml")
    for text in ("the pro and con of it", "i feel so low today and my mum is sad", "zo loft"[:2] + " tired"):
        assert lexicon.mentions(text) == [], text
