"""Synthetic corpora for scale benchmarks and crash tests, grown from the real corpus.

Each variant of a reference note keeps its front matter (so sources stay the real ones)
and perturbs its body: sentences are shuffled within each paragraph, some words are
swapped for near-synonyms and a few are dropped, so the text stays realistic but the
chunks are distinct. The two articles, `claims.yaml` and `drugs.yaml` are copied as they
are, so a synthetic corpus ingests exactly like the real one.
"""

from __future__ import annotations

import random
import re
import shutil
from functools import lru_cache
from pathlib import Path

import yaml

from ingest.text import sentences as split_sentences

SYNONYMS = {
    "people": ["patients", "individuals", "adults"],
    "risk": ["chance", "likelihood"],
    "higher": ["greater", "larger"],
    "lower": ["smaller", "reduced"],
    "usually": ["typically", "generally", "often"],
    "about": ["around", "roughly"],
    "weeks": ["weeks of treatment"],
    "common": ["frequent", "widespread"],
    "effect": ["impact", "action"],
    "stopped": ["discontinued", "withdrawn"],
    "because": ["since", "as"],
    "shows": ["indicates", "suggests"],
}
_WORD = re.compile(r"\b[a-z]+\b")


@lru_cache(maxsize=4096)
def _sentences_of(paragraph: str) -> tuple[str, ...]:
    """Every variant perturbs the same original paragraphs: split each once."""
    return tuple(paragraph[a:b] for a, b in split_sentences(paragraph))


def perturb(body: str, rng: random.Random) -> str:
    """Shuffle sentences inside each paragraph, swap a few words, drop a few sentences."""
    out: list[str] = []
    for paragraph in body.split("\n"):
        if not paragraph.strip() or paragraph.startswith(("#", "- ", "* ")):
            out.append(paragraph)
            continue
        sentences = list(_sentences_of(paragraph))
        rng.shuffle(sentences)
        if len(sentences) > 2 and rng.random() < 0.3:
            sentences.pop(rng.randrange(len(sentences)))

        def swap(match: re.Match[str]) -> str:
            word = match.group(0)
            choices = SYNONYMS.get(word)
            return rng.choice(choices) if choices and rng.random() < 0.5 else word

        out.append(_WORD.sub(swap, " ".join(sentences)))
    return "\n".join(out)


def _split_front_matter(text: str) -> tuple[dict, str]:
    _, head, body = text.split("---\n", 2)
    return yaml.safe_load(head), body


def build_corpus(source: Path, target: Path, variants: int, *, seed: int = 0, revision: int = 0) -> Path:
    """Write `variants` perturbed copies of every reference note (plus the originals) to `target`.

    `revision` changes the perturbation, so successive revisions of one corpus differ in
    a realistic share of their chunks (used to give each crash-test ingest real work).
    """
    rng = random.Random(f"{seed}:{revision}")
    if target.exists():
        shutil.rmtree(target)
    (target / "references").mkdir(parents=True)
    shutil.copytree(source / "articles", target / "articles")
    if (source / "sources").is_dir():
        shutil.copytree(source / "sources", target / "sources")
    for name in ("claims.yaml", "drugs.yaml"):
        if (source / name).exists():
            shutil.copy2(source / name, target / name)
    for note in sorted((source / "references").glob("*.md")):
        text = note.read_text(encoding="utf-8")
        (target / "references" / note.name).write_text(text, encoding="utf-8")
        meta, body = _split_front_matter(text)
        for v in range(1, variants + 1):
            variant_rng = random.Random(f"{seed}:{note.stem}:{v}:{revision if rng.random() < 0.5 else 0}")
            meta_v = dict(meta, title=f"{meta['title']} (variant {v})")
            head = yaml.safe_dump(meta_v, sort_keys=False, allow_unicode=True)
            (target / "references" / f"{note.stem}-v{v}.md").write_text(
                f"---\n{head}---\n{perturb(body, variant_rng)}", encoding="utf-8"
            )
    return target


def variants_for(extra_chunks: int, chunks_per_variant: int) -> int:
    """How many variants of the reference set add about `extra_chunks` chunks."""
    return max(0, round(extra_chunks / max(chunks_per_variant, 1)))
