"""The web chat (Gradio): wires one Chatbot to the page and the `/ask` API. Started by `ssri-qa serve`."""

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
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")

import gradio as gr  # noqa: E402

from ingest.settings import Settings  # noqa: E402
from qa.chatbot import Chatbot  # noqa: E402
from qa.messages import DISCLAIMER  # noqa: E402
from qa.render import answer_html, sources_html  # noqa: E402
from qa.types import Answer  # noqa: E402

EXAMPLES = [
    "What is Lexapro?",
    "What are the symptoms of stopping an SSRI suddenly?",
    "Is depression caused by low serotonin?",
    "Are SSRIs safe in overdose?",
    "Why is paroxetine rarely used as a first choice?",
]

STATIC = Path(__file__).resolve().parent / "static"
_feedback_lock = threading.Lock()


def record_feedback(path: Path, data_dir: Path, entry: dict[str, Any]) -> None:
    """Append one feedback line; refuse paths outside the data folder."""
    if not path.resolve().is_relative_to(data_dir.resolve()):
        raise ValueError(f"feedback path {path} is outside the data folder {data_dir}")
    path.parent.mkdir(parents=True, exist_ok=True)
    with _feedback_lock, path.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(entry, ensure_ascii=False) + "\n")


def build_ui(bot: Chatbot, settings: Settings) -> gr.Blocks:
    def respond(message: str, messages: list[dict[str, Any]], records: list[dict[str, Any]]):  # noqa: ANN202
        # The plain question/answer text of this session's earlier turns (the chat shows HTML).
        history = [
            {"role": role, "content": r[key]}
            for r in records or []
            for role, key in (("user", "question"), ("assistant", "answer"))
        ]
        user = {"role": "user", "content": _escape_user(message)}
        shown = [*(messages or []), user]
        answer: Answer | None = None
        text = ""
        for piece in bot.stream(message, history):
            if isinstance(piece, Answer):
                answer = piece
                break
            text += piece
            partial = Answer("answer", text, [], DISCLAIMER)
            yield "", [*shown, {"role": "assistant", "content": answer_html(partial, text)}], gr.update(), records
        if answer is None:  # stream always ends with the Answer; never leave the user without one
            answer = bot.ask(message, history)
        reply = {"role": "assistant", "content": answer_html(answer)}
        record = {
            "question": message,
            "answer": answer.text,
            "kind": answer.kind,
            "citations": [f"{c.source_id}#{c.chunk_id}" for c in answer.citations],
        }
        yield "", [*shown, reply], sources_html(answer), [*records, record]

    def on_feedback(data: gr.LikeData, records: list[dict[str, Any]]) -> None:
        position = data.index if isinstance(data.index, int) else data.index[0]
        assistant_number = position // 2
        if 0 <= assistant_number < len(records):
            entry = {"time": time.time(), "liked": bool(data.liked), **records[assistant_number]}
            record_feedback(settings.app.feedback_path, settings.data_dir, entry)

    def ask_api(question: str, history: list[dict[str, str]] | None = None) -> dict[str, Any]:
        return bot.ask(question, history or []).to_json()

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
                new = gr.Button("New conversation", elem_id="new-conversation", size="sm")
                gr.Examples(EXAMPLES, inputs=box, label="Try one of these")
            with gr.Column(scale=2, min_width=280):
                gr.Markdown("### Sources")
                sources = gr.HTML(sources_html(None), elem_id="sources-panel")
        records = gr.State([])
        outputs = [box, chat, sources, records]
        box.submit(respond, [box, chat, records], outputs, api_name="chat")
        send.click(respond, [box, chat, records], outputs, api_visibility="private")
        new.click(lambda: ("", [], sources_html(None), []), None, outputs, api_visibility="private")
        chat.like(on_feedback, [records], None, api_visibility="private")
        gr.api(ask_api, api_name="ask")
    return demo


def _escape_user(message: str) -> str:
    import html

    return html.escape(message, quote=False)


def launch(settings: Settings | None = None, *, block: bool = True, bot: Chatbot | None = None) -> gr.Blocks:
    settings = settings or Settings()
    bot = bot or Chatbot(settings)
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
