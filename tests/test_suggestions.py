"""Suggested next questions, the Session API and `ssri-qa chat --save` (issue 15).

The index is the real corpus (its notes' headings are questions) with the fake embedder, built once
for the module; the Suggester's own rules are also tested with a scripted `ask_alone`."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest

from ingest.types import Chunk
from qa import DISCLAIMER
from qa.suggestions import Suggester, interleave, nearby, question_headings
from qa.types import Answer, Citation
from tests.conftest import REAL_CORPUS, make_settings

QUESTIONS = [
    "What is Prozac?",
    "Can I drink alcohol while taking an SSRI?",
    "What are the symptoms of stopping an SSRI suddenly?",
    "Is sertraline safe in pregnancy?",
    "Are SSRIs safe in overdose?",
    "Why is paroxetine rarely used as a first choice?",
]


@pytest.fixture(scope="module")
def notes_settings(tmp_path_factory: pytest.TempPathFactory):
    from ingest.pipeline import ingest

    settings = make_settings(tmp_path_factory.mktemp("notes"), REAL_CORPUS)
    settings.answer.min_relevance = 0.05
    ingest(settings)
    return settings


@pytest.fixture(scope="module")
def bot(notes_settings):
    from qa.chatbot import Chatbot

    return Chatbot(notes_settings)


def cites(answer: Answer, heading: str) -> bool:
    return any(c.section == heading for c in answer.citations)


def test_each_suggestion_asked_alone_is_answered_from_its_own_section(bot) -> None:
    suggested: dict[str, str] = {}
    for question in QUESTIONS:
        answer = bot.ask(question)
        assert answer.kind == "answer"
        assert len(answer.suggestions) <= 3 and len(set(answer.suggestions)) == len(answer.suggestions)
        cited = {c.section for c in answer.citations}
        for heading in answer.suggestions:
            assert heading != question and heading not in cited
            suggested[heading] = question
    assert len(suggested) >= 10  # enough to mean something
    for heading, after in suggested.items():
        alone = bot.ask(heading)
        assert alone.kind == "answer" and cites(alone, heading), (after, heading, alone.kind)


def test_two_or_three_suggestions_are_usual(bot) -> None:
    counts = [len(bot.ask(q).suggestions) for q in QUESTIONS]
    assert sum(n >= 2 for n in counts) >= len(QUESTIONS) // 2, counts


def test_suggestions_are_headings_of_the_cited_notes(bot) -> None:
    headings = question_headings(bot.index)
    answer = bot.ask("What is Prozac?")
    notes = {c.source_id for c in answer.citations}
    assert answer.suggestions
    for heading in answer.suggestions:
        assert any(heading in headings[note] for note in notes if note in headings)


def test_suggestions_travel_in_json_and_in_the_text(bot) -> None:
    answer = bot.ask("What is Prozac?")
    assert answer.suggestions and answer.to_json()["suggestions"] == list(answer.suggestions)
    rendered = str(answer)
    assert all(f"- {q}" in rendered for q in answer.suggestions)
    assert rendered.rstrip().endswith(f"*{DISCLAIMER}*")


def test_no_suggestions_after_a_crisis_or_a_decline(bot) -> None:
    assert bot.ask("I want to die").suggestions == ()
    assert bot.ask("what are the side effects of gabapentin?").suggestions == ()
    assert bot.ask("").suggestions == ()


def test_a_question_already_asked_is_not_suggested_again(bot) -> None:
    first = bot.ask("What is Prozac?").suggestions
    assert first
    history = [{"role": "user", "content": first[0]}, {"role": "assistant", "content": "..."}]
    assert first[0] not in bot.ask("What is Prozac?", history).suggestions


# ---------------------------------------------------------------------- the Suggester's rules, scripted
def _chunk(note: str, section: str, start: int) -> Chunk:
    return Chunk(
        f"{note}-{start}", note, note.title(), section, "reference", "", f"references/{note}.md", start, start + 1, "x"
    )


def _citation(n: int, note: str, section: str) -> Citation:
    return Citation(n, note, note.title(), section, "", "reference", "x")


NOTES = {
    "alpha": ["What is alpha?", "How is alpha taken?", "Who might it suit?", "Does alpha interact?", "Background"],
    "beta": ["What is beta?", "How long does beta last?"],
}
INDEX = SimpleNamespace(
    chunks=[_chunk(note, s, i) for note, sections in NOTES.items() for i, s in enumerate(sections)]
    + [Chunk("art-1", "art", "Blog", "Is it good?", "opinion", "", "articles/a.md", 0, 1, "x")]
)
DEPENDENT = {"Who might it suit?"}  # leans on its note: not answered when asked alone


class ScriptedAsk:
    def __init__(self) -> None:
        self.asked: list[str] = []

    def __call__(self, heading: str) -> Answer:
        self.asked.append(heading)
        if heading in DEPENDENT:
            return Answer("no_answer", "sorry", [], DISCLAIMER)
        note = next(n for n, sections in NOTES.items() if heading in sections)
        return Answer("answer", "x [1]", [_citation(1, note, heading)], DISCLAIMER)


def _answer(*cited: tuple[str, str]) -> Answer:
    return Answer("answer", "x", [_citation(i + 1, n, s) for i, (n, s) in enumerate(cited)], DISCLAIMER)


def test_headings_are_the_notes_questions_in_file_order() -> None:
    assert question_headings(INDEX) == {  # type: ignore[arg-type]
        "alpha": ("What is alpha?", "How is alpha taken?", "Who might it suit?", "Does alpha interact?"),
        "beta": ("What is beta?", "How long does beta last?"),
    }


def test_nearest_sections_first_the_next_one_before_the_previous() -> None:
    headings = ["a?", "b?", "c?", "d?", "e?"]
    assert nearby(headings, {"c?"}) == ["d?", "b?", "e?", "a?"]
    assert nearby(headings, {"a?", "e?"}) == ["b?", "d?", "c?"]
    assert interleave([("x", ["x1", "x2"]), ("y", ["y1"])]) == [("x", "x1"), ("y", "y1"), ("x", "x2")]


def test_only_headings_answered_alone_are_suggested_and_each_is_checked_once() -> None:
    ask = ScriptedAsk()
    suggester = Suggester(ask, limit=3)
    answer = _answer(("alpha", "How is alpha taken?"), ("beta", "What is beta?"))
    first = suggester.suggest("gen-1", INDEX, answer, ["How is alpha taken?"])  # type: ignore[arg-type]
    assert first == ("How long does beta last?", "What is alpha?", "Does alpha interact?")
    assert "Who might it suit?" in ask.asked and "Who might it suit?" not in first
    assert suggester.verified()[("alpha", "Who might it suit?")] is False
    checks = len(ask.asked)
    assert suggester.suggest("gen-1", INDEX, answer, []) == first  # type: ignore[arg-type]
    assert len(ask.asked) == checks, "verdicts are cached for the same index generation"
    suggester.suggest("gen-2", INDEX, answer, [])  # type: ignore[arg-type]
    assert len(ask.asked) == 2 * checks, "a new generation is checked afresh"


def test_new_checks_per_answer_are_bounded() -> None:
    ask = ScriptedAsk()
    suggester = Suggester(ask, limit=3, new_checks=1)
    answer = _answer(("alpha", "What is alpha?"))
    assert suggester.suggest("g", INDEX, answer, []) == ("How is alpha taken?",)  # type: ignore[arg-type]
    assert len(ask.asked) == 1
    assert suggester.suggest("g", INDEX, answer, []) == ("How is alpha taken?",)  # type: ignore[arg-type]
    assert len(ask.asked) == 2  # the cached one, plus one new check ("Who might it suit?": not answerable)
    assert suggester.suggest("g", INDEX, answer, []) == ("How is alpha taken?", "Does alpha interact?")  # type: ignore[arg-type]


def test_already_asked_and_article_sections_are_never_suggested() -> None:
    suggester = Suggester(ScriptedAsk())
    answer = _answer(("alpha", "What is alpha?"))
    asked = ["how is ALPHA taken", "Does alpha interact?"]
    assert suggester.suggest("g", INDEX, answer, asked) == ()  # type: ignore[arg-type]
    article = Answer("answer", "x", [Citation(1, "art", "Blog", "Is it good?", "", "opinion", "x")], DISCLAIMER)
    assert suggester.suggest("g", INDEX, article, []) == ()  # type: ignore[arg-type]


def test_a_failing_check_or_index_means_no_suggestion_never_an_error() -> None:
    def explode(heading: str) -> Answer:
        raise RuntimeError("boom")

    answer = _answer(("alpha", "What is alpha?"))
    assert Suggester(explode).suggest("g", INDEX, answer, []) == ()  # type: ignore[arg-type]
    assert Suggester(ScriptedAsk()).suggest("g", SimpleNamespace(chunks=None), answer, []) == ()  # type: ignore[arg-type]


# ---------------------------------------------------------------------- Session and the command line
def test_session_keeps_turns_answers_follow_ups_and_summarises(bot, notes_settings) -> None:
    from qa import Session

    session = Session(bot)
    session.ask("What is Prozac?")
    follow = session.ask("what about its half-life?")
    assert "fluoxetine" in follow.standalone_question.lower()
    session.ask("Can I drink alcohol while taking an SSRI?")
    summary = session.summary()
    assert [t.question for t in summary.turns] == [
        "What is Prozac?",
        "what about its half-life?",
        "Can I drink alcohol while taking an SSRI?",
    ]
    for turn in summary.turns:
        numbers = {c.n for c in turn.answer.citations}
        assert turn.answer.kind == "answer" and numbers
        assert {int(n) for n in re.findall(r"\[(\d+)\]", turn.answer.text)} <= numbers
        for c in turn.answer.citations:  # every quote in the summary is verbatim corpus text
            assert c.quote in (notes_settings.corpus.path / c.path).read_text(encoding="utf-8")


@pytest.fixture
def cli_env(notes_settings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    for name, value in {
        "SSRI_QA_EMBEDDING__BACKEND": "fake",
        "SSRI_QA_CORPUS__PATH": str(notes_settings.corpus.path),
        "SSRI_QA_INDEX__PATH": str(notes_settings.index.path),
        "SSRI_QA_DATA_DIR": str(notes_settings.data_dir),
        "SSRI_QA_ANSWER__MIN_RELEVANCE": "0.05",
    }.items():
        monkeypatch.setenv(name, value)
    yield tmp_path


def test_cli_chat_save_writes_the_summary_where_asked(cli_env: Path) -> None:
    from typer.testing import CliRunner

    from app import app

    target = cli_env / "appointment"
    result = CliRunner().invoke(
        app, ["chat", "--save", str(target)], input="What is Prozac?\nwhat about its half-life?\nquit\n"
    )
    assert result.exit_code == 0, result.output
    html, markdown = (cli_env / "appointment.html"), (cli_env / "appointment.md")
    assert f"Saved the summary to {markdown}" in result.output and f"Saved the summary to {html}" in result.output
    for text in (html.read_text(encoding="utf-8"), markdown.read_text(encoding="utf-8")):
        assert text.count(DISCLAIMER) == 2 and "What is Prozac?" in text and "what about its half-life?" in text


def test_cli_chat_save_refuses_a_bad_name_before_the_chat(cli_env: Path) -> None:
    from typer.testing import CliRunner

    from app import app

    result = CliRunner().invoke(app, ["chat", "--save", str(cli_env / "notes.pdf")], input="What is Prozac?\n")
    assert result.exit_code == 2 and ".md or .html" in result.output
    assert "Ask about SSRIs" not in result.output


def test_cli_ask_json_carries_suggestions(cli_env: Path) -> None:
    from typer.testing import CliRunner

    from app import app

    result = CliRunner().invoke(app, ["ask", "What is Prozac?", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["suggestions"]
