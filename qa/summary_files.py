"""Where saved summaries are written.

The web app writes only inside its data folder: `<data_dir>/summaries/<session>/<name>`, where
`<session>` is a random id the server made for one browser session (never a name taken from a
request) and `<name>` is generated from the time ("ssri-qa-summary-20260314-103200.html"), so no
file name can point anywhere else. A session's folder is removed when the session ends, and folders
left by an earlier run are cleared at the next start. The command line writes where its user asks.
"""

from __future__ import annotations

import re
import secrets
import shutil
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from qa.summary import Summary
from qa.summary_render import to_html, to_markdown

SUMMARIES = "summaries"
_SESSION_ID = re.compile(r"[0-9a-f]{32}")
_RENDER = {".md": to_markdown, ".markdown": to_markdown, ".html": to_html, ".htm": to_html}
STALE_AFTER_S = 24 * 3600  # a folder this old belongs to no live session (Gradio drops closed ones after 1 h)


@dataclass(frozen=True)
class SavedSummary:
    html: Path
    markdown: Path


def new_session_id() -> str:
    return secrets.token_hex(16)  # 128 random bits, as 32 hex characters


def session_folder(data_dir: Path, session_id: str) -> Path:
    """The folder of one session's summaries; refuses anything but an id made by new_session_id."""
    if not isinstance(session_id, str) or not _SESSION_ID.fullmatch(session_id):
        raise ValueError("not a summary session id")
    root = (Path(data_dir) / SUMMARIES).resolve()
    folder = (root / session_id).resolve()
    if folder.parent != root:  # cannot happen with the pattern above; checked anyway, after resolving links
        raise ValueError(f"summary folder {folder} is outside {root}")
    return folder


def file_stem(saved_at: datetime) -> str:
    return f"ssri-qa-summary-{saved_at:%Y%m%d-%H%M%S}"


def save_in_session(summary: Summary, data_dir: Path, session_id: str) -> SavedSummary:
    """Write the summary as HTML and Markdown into the session's folder under the data folder."""
    folder = session_folder(data_dir, session_id)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    stem, copy = file_stem(summary.saved_at), 1
    while (folder / f"{stem}.html").exists() or (folder / f"{stem}.md").exists():  # two saves in one second
        copy += 1
        stem = f"{file_stem(summary.saved_at)}-{copy}"
    saved = SavedSummary(html=folder / f"{stem}.html", markdown=folder / f"{stem}.md")
    saved.html.write_text(to_html(summary), encoding="utf-8")
    saved.markdown.write_text(to_markdown(summary), encoding="utf-8")
    return saved


def remove_session(data_dir: Path, session_id: str | None) -> None:
    """Delete one session's summaries (called when Gradio drops the session's state)."""
    if session_id:
        shutil.rmtree(session_folder(data_dir, session_id), ignore_errors=True)


def remove_stale(data_dir: Path, older_than_s: float = STALE_AFTER_S) -> int:
    """Delete session folders not touched for `older_than_s` seconds; returns how many."""
    root = Path(data_dir) / SUMMARIES
    if not root.is_dir():
        return 0
    cutoff, removed = time.time() - older_than_s, 0
    for folder in root.iterdir():
        if folder.is_dir() and _SESSION_ID.fullmatch(folder.name) and folder.stat().st_mtime < cutoff:
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed


def save_paths(path: Path) -> list[Path]:
    """The files `--save FILE` writes: FILE itself when it ends .md or .html, both FILE.md and FILE.html
    when it has no extension. Raises ValueError for anything else or a folder that does not exist."""
    path = Path(path).expanduser()
    suffix = path.suffix.lower()
    if suffix and suffix not in _RENDER:
        raise ValueError(f"{path.name}: the summary is saved as .md or .html (no extension saves both)")
    if not path.parent.is_dir():
        raise ValueError(f"folder {path.parent} does not exist")
    if path.is_dir():
        raise ValueError(f"{path} is a folder; give a file name")
    return [path] if suffix else [path.with_name(path.name + ".md"), path.with_name(path.name + ".html")]


def save_to(summary: Summary, path: Path) -> list[Path]:
    """Write the summary where the user asked (see save_paths); returns the files written."""
    written = save_paths(path)
    for target in written:
        target.write_text(_RENDER[target.suffix.lower()](summary), encoding="utf-8")
    return written
