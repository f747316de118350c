"""The web chat (Gradio): wires one Chatbot to the page and the `/ask` and `/summary` APIs. Started by `ssri-qa serve`.

Suggested next questions appear as buttons under the latest answer (Gradio message options).
"Save for my appointment" writes the session's summary inside the data folder (qa/summary_files.py) and
hands it to that session only: the files come back in the session's own event response, as download
links that carry the content, so no URL serves them to anyone else.
"""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
# By default Gradio's queue rebuilds a pandas table of its last 10,000 events after every event: ~17 ms of
# CPU per request once they are held, halving the app's capacity (48.8 → 24.0 requests/s measured).
os.environ.setdefault("GRADIO_ANALYTICS_CACHE_FREQUENCY", "1000")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")

import gradio as gr  # noqa: E402

from ingest.settings import Settings  # noqa: E402
from qa.chatbot import Chatbot  # noqa: E402
from qa.conversation import clean_history  # noqa: E402
from qa.messages import DISCLAIMER, SUMMARY_EMPTY  # noqa: E402
from qa.render import answer_html, sources_html, summary_links_html  # noqa: E402
from qa.session import Session  # noqa: E402
from qa.suggestions import question_key  # noqa: E402
from qa.summary import Turn, history_of, summarise  # noqa: E402
from qa.summary_files import file_stem, new_session_id, remove_session, remove_stale, save_in_session  # noqa: E402
from qa.summary_render import to_html, to_markdown  # noqa: E402
from qa.types import Answer  # noqa: E402

EXAMPLES = [
    "What is Lexapro?",
    "What are the symptoms of stopping an SSRI suddenly?",
    "Is depression caused by low serotonin?",
    "Are SSRIs safe in overdose?",
    "Why is paroxetine rarely used as a first choice?",
]

STATIC = Path(__file__).resolve().parent / "static"
MAX_SUMMARY_QUESTIONS = 50  # the /summary API answers at most this many questions (~10-20 ms each)
# After "Save for my appointment", start the download of the page to print as soon as its new link is on
# the page (a busy browser may take a moment to render it); a link already started is never clicked again.
_START_DOWNLOAD = """() => {
  const until = Date.now() + 5000;
  const start = () => {
    const link = document.querySelector("#summary-links a.summary-html:not([data-started])");
    if (link) { link.dataset.started = "1"; link.click(); }
    else if (Date.now() < until) setTimeout(start, 50);
  };
  start();
}"""
_feedback_lock = threading.Lock()


def record_feedback(path: Path, data_dir: Path, entry: dict[str, Any]) -> None:
    """Append one feedback line; refuse paths outside the data folder."""
    if not path.resolve().is_relative_to(data_dir.resolve()):
        raise ValueError(f"feedback path {path} is outside the data folder {data_dir}")
    path.parent.mkdir(parents=True, exist_ok=True)
    with _feedback_lock, path.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(entry, ensure_ascii=False) + "\n")


def build_ui(bot: Chatbot, settings: Settings) -> gr.Blocks:
    def respond(message: str, messages: list[dict[str, Any]], turns: list[Turn], alone: bool = False):  # noqa: ANN202
        # The chat shows HTML; the chatbot reads the plain question/answer text of this session's turns.
        history = [] if alone else history_of(turns or [])
        user = {"role": "user", "content": _escape_user(message)}
        shown = [*(messages or []), user]
        answer: Answer | None = None
        text = ""
        # The box is emptied once, as the question is sent: what the user types meanwhile for the next question
        # is theirs, so the updates that follow leave the box alone.
        yield "", shown, gr.update(), turns
        for piece in bot.stream(message, history):
            if isinstance(piece, Answer):
                answer = piece
                break
            text += piece
            partial = Answer("answer", text, [], DISCLAIMER)
            yield (
                gr.update(),
                [*shown, {"role": "assistant", "content": answer_html(partial, text)}],
                gr.update(),
                turns,
            )
        if answer is None:  # stream always ends with the Answer; never leave the user without one
            answer = bot.ask(message, history)
        # A clicked suggestion is asked without history, so the chatbot cannot know what this session
        # already asked: those questions are left out here.
        asked = {question_key(t.question) for t in turns or []} | {question_key(message)}
        suggestions = [q for q in answer.suggestions if question_key(q) not in asked]
        reply = {
            "role": "assistant",
            "content": answer_html(answer),
            "options": [{"value": q, "label": q} for q in suggestions],
        }
        yield gr.update(), [*shown, reply], sources_html(answer), [*(turns or []), Turn(message, answer)]

    def ask_suggestion(data: gr.SelectData, messages: list[dict[str, Any]], turns: list[Turn]):  # noqa: ANN202
        # A suggestion was checked by asking it on its own (qa/suggestions.py), so it is asked that way here.
        yield from respond(str(data.value), messages, turns, alone=True)

    def on_feedback(data: gr.LikeData, turns: list[Turn]) -> None:
        position = data.index if isinstance(data.index, int) else data.index[0]
        assistant_number = position // 2
        if 0 <= assistant_number < len(turns):
            entry = {"time": time.time(), "liked": bool(data.liked), **_record(turns[assistant_number])}
            record_feedback(settings.app.feedback_path, settings.data_dir, entry)

    def save_summary(turns: list[Turn], session_id: str | None) -> tuple[str, str | None]:
        if not turns:
            return f'<p class="summary-empty">{SUMMARY_EMPTY}</p>', session_id
        session_id = session_id or new_session_id()
        saved = save_in_session(summarise(turns), settings.data_dir, session_id)
        return summary_links_html(saved, len(turns)), session_id

    def ask_api(question: str, history: list[dict[str, str]] | None = None) -> dict[str, Any]:
        return bot.ask(question, history or []).to_json()

    def summary_api(history: list[dict[str, str]] | None = None) -> dict[str, Any]:
        """The summary of a conversation given as its history (the same messages /ask takes). Only the
        questions are read: each is answered again here, in order, so every sentence in the summary
        comes from the sources and none from the request."""
        messages = clean_history(history, 2 * MAX_SUMMARY_QUESTIONS)
        questions = [m["content"] for m in messages if m["role"] == "user"][-MAX_SUMMARY_QUESTIONS:]
        session = Session(bot)
        for question in questions:
            session.ask(question)
        summary = session.summary()
        return {
            "questions": len(summary.turns),
            "filename": file_stem(summary.saved_at),
            "markdown": to_markdown(summary),
            "html": to_html(summary),
        }

    with gr.Blocks(title="SSRI Q&A — answers with sources") as demo:
        gr.HTML(f'<div id="disclaimer-banner" role="note">⚕️ {DISCLAIMER}</div>')
        with gr.Row(equal_height=False, elem_id="main-row"):
            with gr.Column(scale=3, min_width=300):
                chat = gr.Chatbot(
                    elem_id="chat",
                    height=560,
                    label="Conversation",
                    feedback_options=("Like", "Dislike"),
                    sanitize_html=True,
                    render_markdown=True,
                    placeholder="Ask a question about SSRIs. Answers quote their sources.",
                )
                with gr.Row():
                    box = gr.Textbox(
                        elem_id="question",
                        placeholder="e.g. What is escitalopram?",
                        show_label=False,
                        scale=5,
                        max_lines=4,
                        autofocus=True,
                    )
                    send = gr.Button("Ask", variant="primary", elem_id="ask", scale=1, min_width=80)
                with gr.Row():
                    new = gr.Button("New conversation", elem_id="new-conversation", size="sm")
                    save = gr.Button("Save for my appointment", elem_id="save-summary", size="sm")
                links = gr.HTML("", elem_id="summary-links")
                gr.Examples(EXAMPLES, inputs=box, label="Try one of these")
            with gr.Column(scale=2, min_width=280):
                gr.Markdown("### Sources")
                sources = gr.HTML(sources_html(None), elem_id="sources-panel")
        turns = gr.State([])
        # The id of this session's summary folder, made on the first save; its files go when the session does.
        summary_session = gr.State(None, delete_callback=lambda sid: remove_session(settings.data_dir, sid))
        outputs = [box, chat, sources, turns]
        box.submit(respond, [box, chat, turns], outputs, api_name="chat")
        send.click(respond, [box, chat, turns], outputs, api_visibility="private")
        chat.option_select(ask_suggestion, [chat, turns], outputs, api_visibility="private")
        new.click(lambda: ("", [], sources_html(None), [], ""), None, [*outputs, links], api_visibility="private")
        chat.like(on_feedback, [turns], None, api_visibility="private")
        save.click(save_summary, [turns, summary_session], [links, summary_session], api_visibility="private").then(
            None, None, None, js=_START_DOWNLOAD
        )
        gr.api(ask_api, api_name="ask")
        gr.api(summary_api, api_name="summary")
    return demo


def _record(turn: Turn) -> dict[str, Any]:
    """What a thumbs up/down stores about the turn it rates."""
    return {
        "question": turn.question,
        "answer": turn.answer.text,
        "kind": turn.answer.kind,
        "citations": [f"{c.source_id}#{c.chunk_id}" for c in turn.answer.citations],
    }


def _escape_user(message: str) -> str:
    import html

    return html.escape(message, quote=False)


STATE_SESSIONS = 2000  # sessions whose state (chat turns for the summary) is kept; the oldest go first


def launch(settings: Settings | None = None, *, block: bool = True, bot: Chatbot | None = None) -> gr.Blocks:
    settings = settings or Settings()
    bot = bot or Chatbot(settings)
    remove_stale(settings.data_dir)  # summaries of sessions from an earlier run
    demo = build_ui(bot, settings)
    auth = None
    if settings.app.auth_user and settings.app.auth_password:
        auth = (settings.app.auth_user, settings.app.auth_password.get_secret_value())
    demo.queue(default_concurrency_limit=settings.app.concurrency_limit, max_size=256)
    demo.launch(
        server_name=settings.app.host,
        server_port=settings.app.port,
        share=False,
        auth=auth,
        allowed_paths=[],
        blocked_paths=[str(settings.data_dir), str(settings.corpus.path)],
        show_error=False,
        prevent_thread_lock=True,
        # API calls without a session hash each leave a session state (~30 KB) until this many are held.
        state_session_capacity=STATE_SESSIONS,
        footer_links=["api"],
        css=(STATIC / "app.css").read_text(encoding="utf-8"),
        head=f"<script>{(STATIC / 'app.js').read_text(encoding='utf-8')}</script>",
        theme=gr.themes.Soft(),
        quiet=True,
    )
    # Beside the Gradio app, for load balancers: no auth, nothing about users, only the index and its vectors.
    demo.app.add_api_route("/health", bot.health, methods=["GET"])
    if block:
        demo.block_thread()
    return demo
