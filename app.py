"""Entry points: the `ssri-qa` command line (ingest, ask, chat, serve, eval, bench), thin wrappers
around library calls. `python -m app` is the same command line; nothing in the library imports this."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

app = typer.Typer(
    help="Evidence-aware answers about SSRIs, with verbatim citations.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,  # main() turns unexpected errors into one line; no traceback or locals reach a user
)

JsonFlag = Annotated[bool, typer.Option("--json", help="Print one JSON object instead of text.")]


def build_settings(**overrides: Any) -> Any:
    """The only place the CLI builds settings: environment first, then flags, all validated
    the same way (`--backend bogus` is refused like SSRI_QA_ANSWER__BACKEND=bogus)."""
    from pydantic import ValidationError

    from ingest.settings import Settings

    nested: dict[str, Any] = {}
    for path, value in overrides.items():
        if value is not None:
            section, _, field = path.partition(".")
            if field:
                nested.setdefault(section, {})[field] = value
            else:
                nested[section] = value
    try:
        return Settings(**nested)
    except ValidationError as exc:
        error = exc.errors()[0]
        fail(f"invalid settings: {'.'.join(str(x) for x in error['loc'])}: {error['msg']}")


def fail(message: str, code: int = 2) -> None:
    typer.secho(f"error: {message}", fg=typer.colors.RED, err=True)
    raise typer.Exit(code)


@app.command()
def ingest(
    as_json: JsonFlag = False,
    strict: Annotated[bool, typer.Option(help="Fail on the first bad corpus file instead of skipping it.")] = False,
    corpus: Annotated[Path | None, typer.Option(help="Corpus folder.")] = None,
    index: Annotated[Path | None, typer.Option(help="Index folder.")] = None,
) -> None:
    """Chunk, embed and store the corpus (incremental: unchanged chunks are not re-embedded)."""
    from ingest.documents import DocumentError
    from ingest.embedding import ModelIntegrityError
    from ingest.pipeline import ingest as run_ingest
    from ingest.store import IndexUnavailable

    settings = build_settings(**{"corpus.strict": strict or None, "corpus.path": corpus, "index.path": index})
    bar: dict[str, Any] = {}

    def progress(stage: str, done: int, total: int) -> None:
        if as_json or not sys.stderr.isatty():
            return
        from tqdm import tqdm

        if stage not in bar:
            bar[stage] = tqdm(total=total, desc=stage, unit="text", file=sys.stderr)
        bar[stage].n = done
        bar[stage].refresh()

    try:
        report = run_ingest(settings, progress=progress)
    except (DocumentError, IndexUnavailable, ModelIntegrityError, FileNotFoundError, ValueError) as exc:
        fail(str(exc))
    finally:
        for b in bar.values():
            b.close()
    if as_json:
        typer.echo(json.dumps(report.as_dict()))
        return
    typer.echo(
        f"{report.documents} documents, {report.chunks} chunks: embedded {report.embedded}, deleted {report.deleted}"
        f"{' (unchanged)' if report.unchanged else ''} in {report.seconds:.2f}s"
    )
    for skipped in report.skipped_files:
        typer.secho(f"skipped {skipped['path']}: {skipped['reason']}", fg=typer.colors.YELLOW, err=True)


def _open_bot(settings: Any) -> Any:
    from ingest.documents import DocumentError
    from ingest.embedding import ModelIntegrityError
    from ingest.store import IndexUnavailable
    from qa.chatbot import Chatbot

    try:
        return Chatbot(settings)
    except (IndexUnavailable, ModelIntegrityError, DocumentError, FileNotFoundError) as exc:
        fail(str(exc))


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="Your question, in quotes.")],
    as_json: JsonFlag = False,
    backend: Annotated[str | None, typer.Option(help="extractive, ollama or openai.")] = None,
) -> None:
    """Answer one question."""
    bot = _open_bot(build_settings(**{"answer.backend": backend}))
    answer = bot.ask(question)
    typer.echo(json.dumps(answer.to_json(), ensure_ascii=False) if as_json else str(answer))


@app.command()
def chat(
    backend: Annotated[str | None, typer.Option(help="extractive, ollama or openai.")] = None,
    save: Annotated[
        Path | None,
        typer.Option(
            help="When the chat ends, write a summary to take to an appointment: FILE.md (Markdown), FILE.html "
            "(a page to print or save as PDF), or FILE without an extension for both. Written where you say."
        ),
    ] = None,
) -> None:
    """A conversation in the terminal; follow-up questions use the history. Ctrl-D or 'quit' ends it."""
    from qa.session import Session
    from qa.summary_files import save_paths

    if save is not None:
        try:
            save_paths(save)  # a bad name fails now, not after the conversation
        except ValueError as exc:
            fail(str(exc))
    session = Session(_open_bot(build_settings(**{"answer.backend": backend})))
    typer.echo("Ask about SSRIs (type 'quit' to leave).")
    while True:
        try:
            question = input("\nyou> ")
        except (EOFError, KeyboardInterrupt):
            typer.echo("")
            break
        if question.strip().lower() in {"quit", "exit", ":q"}:
            break
        typer.echo(f"\n{session.ask(question)}")
    if save is not None:
        if not session.turns:
            typer.echo("Nothing asked, so no summary was saved.")
            return
        for path in session.save(save):
            typer.echo(f"Saved the summary to {path}")


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Interface to bind (default 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default 7860).")] = None,
) -> None:
    """Start the web chat."""
    from qa.web import launch

    settings = build_settings(**{"app.host": host, "app.port": port})
    launch(settings, bot=_open_bot(settings))


@app.command(name="eval")
def evaluate(
    split: Annotated[str, typer.Option(help="dev, test or all.")] = "test",
    compare: Annotated[str | None, typer.Option(help="Comma-separated configurations, e.g. naive,shipped.")] = None,
    as_json: JsonFlag = False,
    out: Annotated[Path | None, typer.Option(help="Report folder (default data/reports).")] = None,
) -> None:
    """Run the evaluation suite; exit 1 when a metric falls below its threshold."""
    from eval.runner import run_cli

    code = run_cli(build_settings(), split=split, compare=compare, as_json=as_json, out=out)
    raise typer.Exit(code)


@app.command()
def bench(
    quick: Annotated[bool, typer.Option(help="Smoke run in under a minute.")] = False, as_json: JsonFlag = False
) -> None:
    """Measure cold start, latency per stage, ingest throughput, memory and scale."""
    from eval.bench import run_cli as bench_cli

    raise typer.Exit(bench_cli(build_settings(), quick=quick, as_json=as_json))


def main() -> None:
    """Console entry point: expected failures exit 2 with a message (see `fail`); anything
    unexpected exits 1 with one line, and the traceback only when SSRI_QA_DEBUG=1."""
    try:
        app()
    except KeyboardInterrupt:
        raise SystemExit(130) from None
    except Exception as exc:
        if os.environ.get("SSRI_QA_DEBUG") == "1":
            raise
        typer.secho(
            f"error: unexpected {exc.__class__.__name__}: {exc}. Set SSRI_QA_DEBUG=1 to see the details.",
            fg=typer.colors.RED,
            err=True,
        )
        raise SystemExit(1) from None


if __name__ == "__main__":
    main()
