"""ssri-qa: evidence-aware question answering over material about SSRIs.

from qa import Chatbot, DISCLAIMER, Session
answer = Chatbot().ask("What is Lexapro?")
session = Session(Chatbot()); session.ask(...); session.save("appointment.html")
"""

from typing import TYPE_CHECKING, Any

from qa.messages import DISCLAIMER
from qa.types import Answer, Citation, Passage

if TYPE_CHECKING:
    from ingest.settings import Settings
    from qa.chatbot import Chatbot
    from qa.session import Session

__all__ = ["DISCLAIMER", "Answer", "Chatbot", "Citation", "Passage", "Session", "Settings"]


def __getattr__(name: str) -> Any:
    # Imported lazily so `import qa` stays cheap and ingest can use ingest.settings/qa.types.
    if name == "Chatbot":
        from qa.chatbot import Chatbot

        return Chatbot
    if name == "Session":
        from qa.session import Session

        return Session
    if name == "Settings":
        from ingest.settings import Settings

        return Settings
    raise AttributeError(name)
