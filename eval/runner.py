"""The evaluation suite: cases (YAML) → run a configuration → metrics → thresholds → reports."""

from __future__ import annotations

import json
import math
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ingest.settings import Settings

CASES_DIR = Path(__file__).resolve().parent / "cases"
_QUOTED = re.compile(r"“[^”]*”")


@dataclass
class Case:
    id: str
    category: str
    question: str
    expected_kind: str
    facts: list[str] = field(default_factory=list)
    gold: list[dict[str, str]] = field(default_factory=list)
    forbidden: list[str] = field(default_factory=list)
    turns: list[dict[str, str]] = field(default_factory=list)
    expect_dispute: str | None = None
    split: str = "dev"


def load_cases(folder: Path = CASES_DIR) -> list[Case]:
    cases: list[Case] = []
    given: list[bool] = []
    for path in sorted(folder.glob("*.yaml")):
        if path.name == "thresholds.yaml":
            continue
        for raw in yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]:
            given.append("split" in raw)
            cases.append(Case(**raw))
    # Deterministic split: a case's own `split`, else alternate within each category (older files),
    # so both splits cover every category and adding a file never moves an existing case.
    seen: dict[str, int] = {}
    for case, explicit in zip(cases, given, strict=True):
        if explicit:
            continue
        n = seen.get(case.category, 0)
        case.split = "dev" if n % 2 == 0 else "test"
        seen[case.category] = n + 1
    return cases


def load_thresholds(folder: Path = CASES_DIR) -> dict[str, Any]:
    return yaml.safe_load((folder / "thresholds.yaml").read_text(encoding="utf-8"))


class ConcatAnswerer:
    """Naive baseline answerer: the top two passages pasted together, never abstaining."""

    answers_parts = False  # a multi-part question is one question to it

    def __init__(self, index: Any) -> None:
        self.index = index

    def compose(
        self,
        query: Any,
        vectors: Any,
        passages: list[Any],
        book: Any,
        author_of: dict[str, str],
        said: str = "",
    ) -> Any:
        from qa.answer import Draft

        draft = Draft("answer", best_similarity=1.0)
        for p in passages[:2]:
            chunk = self.index.chunks[self.index.chunk_row[p.chunk_id]]
            n = book.cite(chunk, chunk.start, chunk.end)
            draft.paragraphs.append(f"{p.text} [{n}]")
            draft.used_spans.append((chunk.chunk_id, chunk.start, chunk.end))
        return draft


def build_bot(settings: Settings, config: str) -> Any:
    from ingest.pipeline import ingest
    from qa.chatbot import Chatbot

    if config == "shipped":
        ingest(settings)
        return Chatbot(settings)
    if config == "naive":
        naive = settings.model_copy(deep=True)
        naive.chunking.strategy = "fixed"
        naive.index.path = settings.index.path.parent / "index-naive"
        ingest(naive)
        bot = Chatbot(naive, retrieval_mode="dense")
        bot.answerer = ConcatAnswerer(bot.index)  # type: ignore[assignment]
        bot.index.claims = []  # the baseline knows nothing of disputes
        return bot
    raise ValueError(f"unknown configuration {config!r} (known: shipped, naive)")


def _hit_rank(passages: list[Any], gold: list[dict[str, str]]) -> int | None:
    for rank, p in enumerate(passages, start=1):
        if any(p.source_id == g["source"] and g["quote"].lower() in p.text.lower() for g in gold):
            return rank
    return None


def evaluate_case(bot: Any, case: Case, corpus_root: Path) -> dict[str, Any]:
    t0 = time.perf_counter()
    passages = bot.retrieve(case.question, k=5, history=case.turns) if case.gold else []
    t1 = time.perf_counter()
    answer = bot.ask(case.question, history=case.turns)
    t2 = time.perf_counter()
    text = answer.text
    facts_ok = all(re.search(f, text, re.I) for f in case.facts)
    unquoted = _QUOTED.sub("", text)
    forbidden_hit = any(re.search(re.escape(f), unquoted, re.I) for f in case.forbidden)
    if answer.kind == "no_answer":
        outcome = 1 if case.expected_kind == "no_answer" else 0  # abstaining is the right answer out of scope
    elif answer.kind == case.expected_kind and facts_ok and not forbidden_hit:
        outcome = 1
    else:
        outcome = -1
    markers = {int(n) for n in re.findall(r"\[(\d+)\]", text)}
    numbers = {c.n for c in answer.citations}
    verbatim = all(c.quote and c.quote in (corpus_root / c.path).read_text(encoding="utf-8") for c in answer.citations)
    support = None
    if case.facts and answer.citations and case.expected_kind == "answer":
        quotes = " ".join(c.quote for c in answer.citations)
        support = any(re.search(f, quotes, re.I) for f in case.facts if f != "prescriber")
    rank = _hit_rank(passages, case.gold) if case.gold else None
    return {
        "id": case.id,
        "category": case.category,
        "split": case.split,
        "kind": answer.kind,
        "expected_kind": case.expected_kind,
        "outcome": outcome,
        "facts_ok": facts_ok,
        "forbidden_hit": forbidden_hit,
        "markers_resolve": markers <= numbers,
        "verbatim": verbatim,
        "support": support,
        "rank": rank,
        "has_gold": bool(case.gold),
        "disclaimer": answer.disclaimer == __import__("qa").DISCLAIMER and bool(answer.disclaimer),
        "dispute_flagged": (case.expect_dispute in answer.disputes or "disputed" in text)
        if case.expect_dispute
        else None,
        "retrieve_ms": (t1 - t0) * 1000,
        "answer_ms": (t2 - t1) * 1000,
        "chars": len(text) if answer.kind == "answer" else None,
    }


def _mean(values: list[float]) -> float:
    return round(sum(values) / len(values), 4) if values else float("nan")


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(math.ceil(q * len(ordered))) - 1)], 2)


def metrics(rows: list[dict[str, Any]]) -> dict[str, Any]:
    gold = [r for r in rows if r["has_gold"]]
    answerable = [r for r in rows if r["expected_kind"] == "answer"]
    predicted_abstain = [r for r in rows if r["kind"] == "no_answer"]
    should_abstain = [r for r in rows if r["expected_kind"] == "no_answer"]
    crisis = [r for r in rows if r["expected_kind"] == "crisis"]
    not_crisis = [r for r in rows if r["expected_kind"] != "crisis"]
    disputes = [r for r in rows if r["dispute_flagged"] is not None]
    supports = [r for r in rows if r["support"] is not None]
    return {
        "cases": len(rows),
        "hit_at_1": _mean([1.0 if r["rank"] == 1 else 0.0 for r in gold]),
        "hit_at_5": _mean([1.0 if r["rank"] else 0.0 for r in gold]),
        "mrr": _mean([1.0 / r["rank"] if r["rank"] else 0.0 for r in gold]),
        "ndcg_at_5": _mean([1.0 / math.log2(r["rank"] + 1) if r["rank"] else 0.0 for r in gold]),
        "answer_accuracy": _mean([1.0 if r["outcome"] == 1 else 0.0 for r in answerable]),
        "crag_score": _mean([float(r["outcome"]) for r in rows]),
        "markers_resolve": _mean([1.0 if r["markers_resolve"] else 0.0 for r in rows]),
        "citation_verbatim": _mean([1.0 if r["verbatim"] else 0.0 for r in rows]),
        "citation_support": _mean([1.0 if r["support"] else 0.0 for r in supports]),
        "dispute_flagged": _mean([1.0 if r["dispute_flagged"] else 0.0 for r in disputes]),
        "abstention_precision": _mean([1.0 if r["expected_kind"] == "no_answer" else 0.0 for r in predicted_abstain])
        if predicted_abstain
        else 1.0,
        "abstention_recall": _mean([1.0 if r["kind"] == "no_answer" else 0.0 for r in should_abstain]),
        "false_decline_rate": _mean([1.0 if r["kind"] == "no_answer" else 0.0 for r in answerable]),
        "answer_chars_p50": _pct([r["chars"] for r in rows if r.get("chars") is not None], 0.5),
        "answer_chars_mean": _mean([r["chars"] for r in rows if r.get("chars") is not None]),
        "crisis_recall": _mean([1.0 if r["kind"] == "crisis" else 0.0 for r in crisis]),
        "false_crisis_rate": _mean([1.0 if r["kind"] == "crisis" else 0.0 for r in not_crisis]),
        "disclaimer_presence": _mean([1.0 if r["disclaimer"] else 0.0 for r in rows]),
        "retrieve_ms_p50": _pct([r["retrieve_ms"] for r in rows if r["has_gold"]], 0.5),
        "retrieve_ms_p95": _pct([r["retrieve_ms"] for r in rows if r["has_gold"]], 0.95),
        "answer_ms_p50": _pct([r["answer_ms"] for r in rows], 0.5),
        "answer_ms_p95": _pct([r["answer_ms"] for r in rows], 0.95),
    }


def check_thresholds(results: dict[str, Any], thresholds: dict[str, Any]) -> list[str]:
    """Failures of the shipped configuration against thresholds.yaml: overall metrics (`name: min`,
    `name_max: max`), per-category ones (`by_category: {category: {metric: min}}`) and, when the
    naive baseline ran too, `at_least_naive: [metric, ...]` in every category."""
    shipped = results["configs"]["shipped"]
    failures = []
    for key, limit in thresholds.items():
        if key in ("by_category", "at_least_naive"):
            continue
        failures += _check(key, shipped["metrics"], key, limit)
    for category, limits in (thresholds.get("by_category") or {}).items():
        metrics_of = shipped["by_category"].get(category)
        if metrics_of is None:
            failures.append(f"{category}: no cases on this split")
            continue
        for key, limit in limits.items():
            failures += _check(key, metrics_of, f"{category}.{key}", limit)
    naive = results["configs"].get("naive")
    if naive is not None:
        for key in thresholds.get("at_least_naive") or []:
            for category, mine in shipped["by_category"].items():
                theirs = naive["by_category"].get(category, {}).get(key, float("nan"))
                if not math.isnan(mine[key]) and not math.isnan(theirs) and mine[key] < theirs:
                    failures.append(f"{category}.{key} = {mine[key]} < naive {theirs}")
    return failures


def _check(key: str, values: dict[str, Any], label: str, limit: float) -> list[str]:
    name = key[: -len("_max")] if key.endswith("_max") else key
    value = values[name]
    if isinstance(value, float) and math.isnan(value):
        return []
    if key.endswith("_max"):
        return [f"{label} = {value} > {limit}"] if value > limit else []
    return [f"{label} = {value} < {limit}"] if value < limit else []


def run(
    settings: Settings, split: str = "test", configs: list[str] | None = None, progress: bool = False
) -> dict[str, Any]:
    cases = [c for c in load_cases() if split == "all" or c.split == split]
    results: dict[str, Any] = {"split": split, "configs": {}}
    for config in configs or ["shipped"]:
        bot = build_bot(settings, config)
        iterator: Any = cases
        if progress:
            from tqdm import tqdm

            iterator = tqdm(cases, desc=f"eval {config}", unit="case")
        rows = [evaluate_case(bot, c, settings.corpus.path) for c in iterator]
        by_category = {
            cat: metrics([r for r in rows if r["category"] == cat]) for cat in sorted({r["category"] for r in rows})
        }
        results["configs"][config] = {"metrics": metrics(rows), "by_category": by_category, "rows": rows}
    return results


def write_reports(results: dict[str, Any], out: Path, failures: list[str]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out.mkdir(parents=True, exist_ok=True)
    (out / "report.json").write_text(json.dumps({**results, "threshold_failures": failures}, indent=2, default=str))
    configs = list(results["configs"])
    keys = [
        "hit_at_1",
        "hit_at_5",
        "mrr",
        "ndcg_at_5",
        "answer_accuracy",
        "crag_score",
        "citation_support",
        "dispute_flagged",
        "abstention_precision",
        "abstention_recall",
        "false_decline_rate",
        "crisis_recall",
        "false_crisis_rate",
        "disclaimer_presence",
        "answer_chars_p50",
        "answer_chars_mean",
        "retrieve_ms_p50",
        "retrieve_ms_p95",
        "answer_ms_p50",
        "answer_ms_p95",
    ]
    lines = [
        f"# Evaluation report ({results['split']} split)",
        "",
        "| metric | " + " | ".join(configs) + " |",
        "|---|" + "---|" * len(configs),
    ]
    for k in keys:
        lines.append(f"| {k} | " + " | ".join(str(results["configs"][c]["metrics"][k]) for c in configs) + " |")
    cats = sorted(results["configs"][configs[0]]["by_category"])
    lines += [
        "",
        "## By category: answer accuracy / CRAG score / median answer length (characters)",
        "",
        "| category | cases | " + " | ".join(configs) + " |",
        "|---|---|" + "---|" * len(configs),
    ]
    for cat in cats:
        cells = []
        for c in configs:
            m = results["configs"][c]["by_category"][cat]
            cells.append(f"{m['answer_accuracy']} / {m['crag_score']} / {m['answer_chars_p50']}")
        lines.append(
            f"| {cat} | {results['configs'][configs[0]]['by_category'][cat]['cases']} | " + " | ".join(cells) + " |"
        )
    lines += ["", "Threshold failures: " + ("none" if not failures else "; ".join(failures))]
    (out / "report.md").write_text("\n".join(lines) + "\n")
    fig, axes = plt.subplots(1, 2, figsize=(13, 4.5))
    width = 0.8 / len(configs)
    for i, c in enumerate(configs):
        vals = [results["configs"][c]["by_category"][cat]["crag_score"] for cat in cats]
        axes[0].bar([x + i * width for x in range(len(cats))], vals, width, label=c)
        main = ["hit_at_5", "mrr", "answer_accuracy", "crag_score", "abstention_recall", "dispute_flagged"]
        axes[1].bar(
            [x + i * width for x in range(len(main))],
            [results["configs"][c]["metrics"][k] for k in main],
            width,
            label=c,
        )
    axes[0].set_xticks(range(len(cats)), cats, rotation=35, ha="right")
    axes[0].set_title("CRAG score by category (+1 right, 0 abstain, -1 wrong)")
    axes[1].set_xticks(range(6), ["hit@5", "MRR", "accuracy", "CRAG", "abstain rec.", "disputes"], rotation=20)
    axes[1].set_title("Configurations side by side")
    for ax in axes:
        ax.axhline(0, color="grey", lw=0.5)
        ax.legend()
    fig.tight_layout()
    fig.savefig(out / "chart.png", dpi=110)
    plt.close(fig)


def run_cli(settings: Settings, *, split: str, compare: str | None, as_json: bool, out: Path | None) -> int:
    configs = [c.strip() for c in compare.split(",")] if compare else ["shipped"]
    if "shipped" not in configs:
        configs.append("shipped")
    results = run(settings, split, configs, progress=not as_json)
    failures = check_thresholds(results, load_thresholds())
    folder = out or settings.data_dir / "reports"
    write_reports(results, folder, failures)
    summary = {c: results["configs"][c]["metrics"] for c in configs}
    if as_json:
        print(json.dumps({"split": split, "metrics": summary, "threshold_failures": failures, "reports": str(folder)}))
    else:
        print((folder / "report.md").read_text())
        print(f"reports written to {folder}")
    return 1 if failures else 0


__all__ = ["run", "metrics", "load_cases"]
