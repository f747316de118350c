"""The appointment summary: its model, the Markdown and HTML renderers, and where files go (issue 15).

Answers here are built by hand (no index), so each test controls exactly what the summary receives."""

from __future__ import annotations

import os
import re
import time
from datetime import datetime
from pathlib import Path

import pytest

from qa.messages import CRISIS_MESSAGE, DISCLAIMER, PRESCRIBER_QUESTIONS
from qa.summary import TOPIC_WORDS, Summary, Turn, history_of, summarise, topics
from qa.summary_files import (
    SUMMARIES,
    new_session_id,
    remove_session,
    remove_stale,
    save_in_session,
    save_paths,
    save_to,
    session_folder,
)
from qa.summary_render import to_html, to_markdown
from qa.types import Answer, Citation
from tests.summary_check import SummaryPage

SAVED_AT = datetime(2026, 3, 14, 10, 32)


def cite(
    n: int, quote: str, *, section: str = "What is fluoxetine?", source_id: str = "fluoxetine", **extra
) -> Citation:
    values = {
        "title": "Fluoxetine (Prozac) - profile",
        "url": "https://example.org/prozac-label",
        "source_kind": "reference",
        "path": f"references/{source_id}.md",
        "sources": ("Prozac US label",),
        "context": f"The section's first sentence. {quote} Its last sentence.",  # shown in the chat, not here
    }
    return Citation(n=n, source_id=source_id, section=section, quote=quote, **(values | extra))


def answered(text: str, citations: list[Citation], question: str = "", standalone: str = "") -> Answer:
    return Answer("answer", text, citations, DISCLAIMER, question=question, standalone_question=standalone or question)


PROZAC = Turn(
    "What is Prozac?",
    answered(
        "Fluoxetine is an SSRI sold as Prozac. [1]\n\nThe author claims: “it changed my life” [2] ⚠️ **Note — this "
        "claim is disputed (unsupported):** no trial shows that. [1]",
        [
            cite(1, "Fluoxetine is an SSRI sold as Prozac."),
            cite(
                2,
                "it changed my life",
                section="Personal experience",
                source_id="blog",
                title="A blog",
                source_kind="anecdote",
                url="https://blog.example/post",
                sources=(),
                disputed=True,
            ),
        ],
        "What is Prozac?",
    ),
)
HALF_LIFE = Turn(
    "what about its half-life?",
    answered(
        "Fluoxetine has a half-life of one to three days. [1]",
        [cite(1, "Fluoxetine has a half-life of one to three days.", section="How long does fluoxetine stay?")],
        "what about its half-life?",
        "what about its half-life (fluoxetine)?",
    ),
)
CRISIS = Turn(
    "I want to stop living", Answer("crisis", CRISIS_MESSAGE, [], DISCLAIMER, question="I want to stop living")
)
DECLINED = Turn(
    "what dose of gabapentin?", Answer("no_answer", "I'm sorry, my sources don't cover gabapentin.", [], DISCLAIMER)
)


def markers_resolve(summary: Summary, markup: str) -> None:
    """Every [n] in each answer is a link to a listed source of that turn, which shows its verbatim quote."""
    page = SummaryPage(markup)
    expected = sum(len(re.findall(r"\[\d+\]", t.answer.text)) for t in summary.turns if t.answer.citations)
    assert len(page.links) == expected > 0 and page.unlinked_markers == []
    for number, turn in enumerate(summary.turns, start=1):
        quotes = {c.n: c.quote for c in turn.answer.citations}
        for n in map(int, re.findall(r"\[(\d+)\]", turn.answer.text)):
            assert f"#t{number}-s{n}" in page.links
            assert page.quotes[f"t{number}-s{n}"] == quotes[n]
            assert page.text_by_id[f"t{number}-s{n}"].startswith(f"[{n}]")


def test_every_marker_in_the_html_resolves_to_a_listed_source_with_its_quote() -> None:
    summary = summarise([PROZAC, HALF_LIFE], SAVED_AT)
    markers_resolve(summary, to_html(summary))


def test_markdown_lists_each_turn_with_its_numbered_quoted_sources() -> None:
    markdown = to_markdown(summarise([PROZAC, HALF_LIFE], SAVED_AT))
    turns = markdown.split("\n## ")[1:3]
    assert turns[0].startswith("1. What is Prozac?") and turns[1].startswith("2. what about its half-life?")
    assert "[1] **Fluoxetine (Prozac) - profile** — What is fluoxetine? · *curated reference*" in turns[0]
    assert "> Fluoxetine is an SSRI sold as Prozac." in turns[0] and "> it changed my life" in turns[0]
    assert "*article: personal anecdote* · ⚠ disputed claim" in turns[0]
    assert "<https://example.org/prozac-label>" in turns[0] and "Cites: Prozac US label" in turns[0]
    assert "*Understood as: what about its half-life (fluoxetine)?*" in turns[1]


@pytest.mark.parametrize("render", [to_html, to_markdown])
def test_disclaimer_at_top_and_bottom_and_the_date(render) -> None:
    text = render(summarise([PROZAC], SAVED_AT))
    first, last = text.find(DISCLAIMER), text.rfind(DISCLAIMER)
    turn = text.find("What is Prozac?", text.find("</title>") + 1 if "</title>" in text else 0)
    assert 0 <= first < turn < last, "the disclaimer opens and closes the summary"
    assert "14 March 2026, 10:32" in text


def test_html_disclaimer_blocks_are_first_and_last_on_the_page() -> None:
    page = SummaryPage(to_html(summarise([PROZAC], SAVED_AT)))
    assert page.text_by_id["disclaimer-top"] == DISCLAIMER == page.text_by_id["disclaimer-bottom"]
    visible = [t.strip() for t in page.text if t.strip()]
    assert visible[-1] == DISCLAIMER


def test_crisis_turn_keeps_its_help_numbers() -> None:
    summary = summarise([CRISIS], SAVED_AT)
    for text in (to_html(summary), to_markdown(summary)):
        for number in ("988", "116 123", "112", "999", "911", "poison control"):
            assert number in text
    page = SummaryPage(to_html(summary))
    assert "Samaritans on 116 123" in page.text_by_id["turn-1"]


def test_user_and_corpus_markup_is_escaped() -> None:
    question = '<img src=x onerror="alert(1)"><script>alert(2)</script> What is Prozac?'
    evil = cite(1, 'Fluoxetine <script>alert("q")</script> & more', title="<b>Title</b>", section="<i>s</i>")
    turn = Turn(question, answered('Fluoxetine <script>alert("a")</script> [1]', [evil], question))
    summary = summarise([turn], SAVED_AT)
    markup = to_html(summary)
    page = SummaryPage(markup)
    assert page.tags.isdisjoint({"script", "img", "b", "i"})
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in markup and "&lt;b&gt;Title&lt;/b&gt;" in markup
    assert question in "".join(page.text)  # shown as typed
    assert "default-src 'none'" in markup  # nothing can be loaded by the page
    markdown = to_markdown(summary)
    assert re.findall(r"(?<!\\)<(?!https?://)", markdown) == []  # every "<" is escaped, bar the autolinks
    assert r"\<script\>alert(2)\</script\>" in markdown


def test_a_link_is_only_made_for_web_addresses() -> None:
    turn = Turn("q", answered("x [1]", [cite(1, "x", url="javascript:alert(1)")], "q"))
    markup = to_html(summarise([turn], SAVED_AT))
    assert "javascript:" not in markup


def test_prescriber_questions_come_only_from_topics_that_occurred() -> None:
    assert set(TOPIC_WORDS) == set(PRESCRIBER_QUESTIONS)
    assert summarise([], SAVED_AT).prescriber_questions == ()
    assert topics([HALF_LIFE]) == []  # nothing about dose, stopping, switching, pregnancy or interactions
    assert summarise([HALF_LIFE], SAVED_AT).prescriber_questions == ()
    # a crisis "stop" and a declined question's "dose" are not topics of the conversation
    assert topics([CRISIS, DECLINED]) == []
    pregnant = Turn("Is sertraline safe while pregnant?", answered("x [1]", [cite(1, "x")], "q"))
    by_section = Turn("What is Prozac?", answered("x [1]", [cite(1, "x", section="What dose is usual?")], "q"))
    by_note = Turn("Tell me more", answered("x [1]", [cite(1, "x", source_id="discontinuation-and-tapering")], "q"))
    assert topics([pregnant]) == ["pregnancy"]
    assert topics([by_section]) == ["dose"]
    assert topics([by_note]) == ["stopping"]
    summary = summarise([by_note, pregnant, by_section], SAVED_AT)
    assert summary.prescriber_questions == tuple(PRESCRIBER_QUESTIONS[t] for t in ("dose", "stopping", "pregnancy"))
    for render in (to_html, to_markdown):
        text = render(summary)
        assert "Questions to ask your prescriber" in text
        assert all(q in text for q in summary.prescriber_questions)
        assert PRESCRIBER_QUESTIONS["switching"] not in text and PRESCRIBER_QUESTIONS["interactions"] not in text
    assert "Questions to ask your prescriber" not in to_html(summarise([HALF_LIFE], SAVED_AT))


def test_every_prescriber_template_is_a_question() -> None:
    assert all(q.endswith("?") for q in PRESCRIBER_QUESTIONS.values())


def test_history_of_turns_is_what_a_follow_up_reads() -> None:
    assert history_of([PROZAC]) == [
        {"role": "user", "content": "What is Prozac?"},
        {"role": "assistant", "content": PROZAC.answer.text},
    ]


# ---------------------------------------------------------------------- files
def test_session_files_stay_inside_the_data_folder(tmp_path: Path) -> None:
    data = tmp_path / "data"
    session = new_session_id()
    summary = summarise([PROZAC], SAVED_AT)
    first = save_in_session(summary, data, session)
    second = save_in_session(summary, data, session)  # the same second: a new name, nothing overwritten
    root = (data / SUMMARIES / session).resolve()
    for path in (first.html, first.markdown, second.html, second.markdown):
        assert path.parent == root and path.is_file()
    assert first.html.name == "ssri-qa-summary-20260314-103200.html"
    assert second.html.name == "ssri-qa-summary-20260314-103200-2.html"
    assert first.html.read_text() == to_html(summary) and first.markdown.read_text() == to_markdown(summary)
    remove_session(data, session)
    assert not root.exists()


@pytest.mark.parametrize("bad", ["../../etc", "..", "", "a" * 31, "A" * 32, "../" + "a" * 29, "a" * 32 + "/x", None])
def test_a_session_folder_name_cannot_escape(tmp_path: Path, bad) -> None:
    with pytest.raises(ValueError):
        session_folder(tmp_path, bad)


def test_stale_session_folders_are_cleared(tmp_path: Path) -> None:
    old, new = new_session_id(), new_session_id()
    for session in (old, new):
        save_in_session(summarise([PROZAC], SAVED_AT), tmp_path, session)
    day_ago = time.time() - 2 * 24 * 3600
    os.utime(tmp_path / SUMMARIES / old, (day_ago, day_ago))
    (tmp_path / SUMMARIES / "keep-me").mkdir()  # not a session folder: left alone
    assert remove_stale(tmp_path) == 1
    assert not (tmp_path / SUMMARIES / old).exists() and (tmp_path / SUMMARIES / new).exists()
    assert (tmp_path / SUMMARIES / "keep-me").exists()


def test_save_to_writes_the_format_the_name_asks_for(tmp_path: Path) -> None:
    summary = summarise([PROZAC], SAVED_AT)
    assert save_to(summary, tmp_path / "notes.md") == [tmp_path / "notes.md"]
    assert (tmp_path / "notes.md").read_text() == to_markdown(summary)
    assert save_to(summary, tmp_path / "notes.html") == [tmp_path / "notes.html"]
    assert (tmp_path / "notes.html").read_text().startswith("<!DOCTYPE html>")
    assert save_to(summary, tmp_path / "both") == [tmp_path / "both.md", tmp_path / "both.html"]
    with pytest.raises(ValueError, match=r"\.md or \.html"):
        save_paths(tmp_path / "notes.pdf")
    with pytest.raises(ValueError, match="does not exist"):
        save_paths(tmp_path / "missing" / "notes.md")
