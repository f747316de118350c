"""Reading a saved summary page the way its reader would, for the tests of issue 15."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from qa.messages import DISCLAIMER

_MARKER = re.compile(r"\[\d+\]")


class SummaryPage(HTMLParser):
    """The [n] links, the text of every element with an id, each listed source's quote, and any
    [n] left in an answer as plain text (which would be a marker that resolves to nothing)."""

    def __init__(self, markup: str) -> None:
        super().__init__()
        self.links: list[str] = []  # href of every a.cite
        self.text_by_id: dict[str, str] = {}
        self.quotes: dict[str, str] = {}  # source element id → its blockquote text
        self.unlinked_markers: list[str] = []
        self.tags: set[str] = set()
        self.text: list[str] = []
        self._open: list[tuple[str, str | None, str]] = []  # tag, id, class
        self.feed(markup)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.add(tag)
        if tag == "a" and "cite" in (a.get("class") or "").split():
            self.links.append(a.get("href") or "")
        if tag == "br":
            self.handle_data("\n")
        elif tag != "meta":
            self._open.append((tag, a.get("id"), a.get("class") or ""))

    def handle_endtag(self, tag: str) -> None:
        while self._open:
            if self._open.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        ids = [element_id for _, element_id, _ in self._open if element_id]
        for element_id in ids:
            self.text_by_id[element_id] = self.text_by_id.get(element_id, "") + data
        classes = [css.split() for _, _, css in self._open]
        if any("quote" in c for c in classes) and ids:
            self.quotes[ids[-1]] = self.quotes.get(ids[-1], "") + data
        in_answer = any("answer" in c for c in classes)
        in_link = any("cite" in c for c in classes)
        if in_answer and not in_link:
            self.unlinked_markers += _MARKER.findall(data)


def words(text: str) -> str:
    return " ".join(text.split())


def check_summary_page(markup: str, corpus: Path) -> SummaryPage:
    """Every [n] links to a listed source whose quote is verbatim corpus text (line breaks aside), no
    [n] is left unlinked, and the disclaimer opens and closes the page."""
    page = SummaryPage(markup)
    assert page.links, "no [n] markers at all"
    assert page.unlinked_markers == []
    corpus_text = words("\n".join(p.read_text(encoding="utf-8") for p in sorted(corpus.rglob("*.md"))))
    for href in page.links:
        target = href.removeprefix("#")
        assert href.startswith("#") and target in page.quotes, href
        assert page.quotes[target].strip() and words(page.quotes[target]) in corpus_text, page.quotes[target]
        assert page.text_by_id[target].lstrip().startswith(f"[{target.rsplit('-s', 1)[1]}]")
    assert page.text_by_id["disclaimer-top"] == DISCLAIMER == page.text_by_id["disclaimer-bottom"]
    visible = [t.strip() for t in page.text if t.strip()]
    assert visible[-1] == DISCLAIMER
    return page
