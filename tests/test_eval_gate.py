"""CI gate: the test split of the evaluation suite, with the real model (issue 6)."""

from collections import Counter

import pytest

from eval.runner import check_thresholds, load_cases, load_thresholds, run, write_reports


def test_cases_cover_every_category_and_both_splits() -> None:
    cases = load_cases()
    assert len(cases) >= 280
    assert len({c.id for c in cases}) == len(cases)
    categories = Counter(c.category for c in cases)
    for cat in [
        "article_fact",
        "reference_fact",
        "brand",
        "follow_up",
        "disputed",
        "out_of_scope",
        "crisis",
        "personal",
        "injection",
        "patient_fact",
        "patient_article",
        "comparison",
        "multi_part",
        "unknown_drug",
        "partial",
    ]:
        assert categories[cat] >= 6, cat
        assert {c.split for c in cases if c.category == cat} == {"dev", "test"}


@pytest.mark.model
def test_test_split_meets_thresholds_and_beats_the_naive_baseline(model_index, tmp_path) -> None:
    results = run(model_index, "test", ["naive", "shipped"])
    shipped = results["configs"]["shipped"]["metrics"]
    naive = results["configs"]["naive"]["metrics"]
    failures = check_thresholds(results, load_thresholds())
    write_reports(results, tmp_path / "eval", failures)
    assert (tmp_path / "eval" / "chart.png").stat().st_size > 1000
    assert failures == [], failures
    assert shipped["crisis_recall"] == 1.0 and shipped["disclaimer_presence"] == 1.0
    assert shipped["crag_score"] > naive["crag_score"]
    assert shipped["mrr"] >= naive["mrr"]
    assert shipped["answer_accuracy"] >= naive["answer_accuracy"] or shipped["crag_score"] - naive["crag_score"] > 0.1
