"""Conversation history: cleaning untrusted history and rewriting follow-ups into standalone queries."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from ingest.lexicon import Lexicon

Message = dict[str, str]
MAX_MESSAGE_CHARS = 4000

_PRONOUN = re.compile(r"\b(it|its|it's|it’s|they|them|their|this drug|that drug|this medication|that medication|this medicine|the drug|the medication|this one|that one)\b", re.I)
_FOLLOW_UP_START = re.compile(r"^\s*(and|also|so|but|what about|how about|why|and why|what else|any other|is that|does that|same)\b", re.I)
_STOP = set(["the", "a", "an", "is", "are", "was", "were", "be", "of", "to", "in", "on", "for", "and", "or", "what", "why", "how", "does", "do", "did", "can", "could", "should", "would", "about", "with", "it", "its", "this", "that", "they", "them", "their", "me", "my", "i", "you", "your"])


def clean_text(text: str) -> str:
    """Drop control, format and surrogate characters (newlines and tabs stay); other spaces become ' '."""
    text = text.replace("\r\n", "\n")
    kept = []
    for ch in text:
        if ch in "\n\t" or ch.isprintable():
            kept.append(ch)
        elif unicodedata.category(ch) in ("Zs", "Zl", "Zp") or ch == "\r":
            kept.append(" ")
    return "".join(kept).strip()


def _content(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and isinstance(value.get("text"), str):  # Gradio multimodal part
        return value["text"]
    if isinstance(value, list):
        parts = [p for p in (_content(v) for v in value) if p]
        return " ".join(parts) if parts else None
    return None


def clean_history(history: Any, max_messages: int = 20) -> list[Message]:
    """Keep well-formed user/assistant messages; drop anything else without failing."""
    if not isinstance(history, (list, tuple)):
        return []
    out: list[Message] = []

    def keep(role: Any, value: Any) -> None:
        content = _content(value)
        text = clean_text(clean_text(content)[:MAX_MESSAGE_CHARS]) if content else ""
        if role in ("user", "assistant") and text:
            out.append({"role": role, "content": text})

    for item in history:
        if isinstance(item, (list, tuple)) and len(item) == 2:  # old Gradio pairs format
            keep("user", item[0])
            keep("assistant", item[1])
        elif isinstance(item, dict):
            keep(item.get("role"), item.get("content"))
    return out[-max_messages:] if max_messages else []


def is_follow_up(question: str) -> bool:
    words = re.findall(r"\w+", question)
    return bool(_PRONOUN.search(question) or _FOLLOW_UP_START.search(question) or len(words) <= 4)


def last_drug(history: list[Message], lexicon: Lexicon) -> str | None:
    """The drug most recently under discussion: latest user mention, else the latest answer's first."""
    for msg in reversed(history):
        if msg["role"] == "user":
            found = lexicon.mentions(msg["content"])
            if found:
                return found[-1].generic
    for msg in reversed(history):
        if msg["role"] == "assistant":
            found = lexicon.mentions(msg["content"].split("**Sources**")[0])
            if found:
                return found[0].generic
    return None


def rewrite(question: str, history: list[Message], lexicon: Lexicon) -> str:
    """Rule-based standalone query: put the drug or topic under discussion into a follow-up."""
    if not history or not is_follow_up(question) or lexicon.mentions(question):
        return question
    drug = last_drug(history, lexicon)
    if drug:
        def swap(m: re.Match[str]) -> str:
            word = m.group(0).lower()
            return f"{drug}'s" if word in ("its", "it's", "it’s", "their") else drug

        replaced, n = _PRONOUN.subn(swap, question, count=1)
        return replaced if n else f"{question.rstrip(' ?')} ({drug})?"
    previous = next((m["content"] for m in reversed(history) if m["role"] == "user"), "")
    topic = " ".join(w for w in re.findall(r"[\w-]+", previous) if w.lower() not in _STOP)
    return f"{question.rstrip(' ?')} ({topic})?" if topic else question
