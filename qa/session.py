"""One conversation with a Chatbot, kept so it can be summarised for an appointment.

from qa import Chatbot, Session
session = Session(Chatbot())
session.ask("What is Lexapro?")
session.ask("what about its half-life?")     # a follow-up: the history is passed for you
session.save("appointment.html")             # or .md; session.summary() is the Summary itself
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from qa.summary import Summary, Turn, history_of, summarise
from qa.summary_files import save_to
from qa.types import Answer

if TYPE_CHECKING:
    from qa.chatbot import Chatbot


class Session:
    def __init__(self, bot: Chatbot) -> None:
        self.bot = bot
        self._turns: list[Turn] = []

    @property
    def turns(self) -> tuple[Turn, ...]:
        return tuple(self._turns)

    def history(self) -> list[dict[str, str]]:
        return history_of(self._turns)

    def ask(self, question: str) -> Answer:
        """Answer `question` in the light of the conversation so far, and keep the turn."""
        answer = self.bot.ask(question, self.history())
        self._turns.append(Turn(question, answer))
        return answer

    def summary(self, saved_at: datetime | None = None) -> Summary:
        return summarise(self._turns, saved_at)

    def save(self, path: str | Path, saved_at: datetime | None = None) -> list[Path]:
        """Write the summary to `path` (.md, .html, or no extension for both); returns the files written."""
        return save_to(self.summary(saved_at), Path(path))
