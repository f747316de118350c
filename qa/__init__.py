"""ssri-qa: evidence-aware question answering over material about SSRIs.

    from qa import Chatbot, DISCLAIMER
    answer = Chatbot().ask("What is Lexapro?")
"""

from typing import TYPE_CHECKING, Any

from qa.messages import DISCLAIMER
from qa.types import Answer, Citation, Passage

if TYPE_CHECKING:
    from qa.chatbot import Chatbot
    from qa.settings import Settings

__all__ = ["DISCLAIMER", "Answer", "Chatbot", "Citation", "Passage", "Settings"]


def __getattr__(name: str) -> Any:
    # Imported lazily so `import qa` stays cheap and ingest can use qa.settings/qa.types.
    if name == "Chatbot":
        from qa.chatbot import Chatbot

        return Chatbot
    if name == "Settings":
        from qa.settings import Settings

        return Settings
    raise AttributeError(name)
