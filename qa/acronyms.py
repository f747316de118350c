"""Acronyms the corpus spells out: where a source writes "post-SSRI sexual dysfunction (PSSD)", a patient's
"what is pssd" asks what the sources call post-SSRI sexual dysfunction, and is searched for in those words."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from abbreviation_extractor import extract_abbreviation_definition_pairs

_ACRONYM = re.compile(r"[A-Za-z]*[A-Z][A-Za-z]*[A-Z][A-Za-z]*")  # two capitals at least: "PSSD", "NaSSA"


def spelled_out(texts: Iterable[str], is_word: Callable[[str], bool]) -> dict[str, str]:
    """Each acronym the texts define, in lower case and without a plural 's', to its most common long form;
    not words (`is_word`: "NET" is also a word) nor citations ("FDA, 2011")."""
    found = extract_abbreviation_definition_pairs("\n\n".join(texts), most_common_definition=True)
    glossary: dict[str, str] = {}
    for pair in found:
        acronym = pair.abbreviation
        if not _ACRONYM.fullmatch(acronym) or len(acronym) > 8:
            continue
        single = (acronym[:-1] if acronym.endswith("s") else acronym).lower()
        if not is_word(single):
            glossary.setdefault(single, pair.definition)
    return glossary
