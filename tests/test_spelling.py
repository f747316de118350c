"""Chat shorthand read as the words it stands for (qa/spelling.py)."""

from qa.spelling import plain_words


def test_shorthand_is_written_out() -> None:
    assert plain_words("wat r the odds n shud i") == "what are the odds and should i"
    assert plain_words("how long till its outta ur system after u stop") == (
        "how long till its out of your system after you stop"
    )
    assert plain_words("Shud I") == "should I"


def test_words_that_only_look_like_shorthand_are_left_alone() -> None:
    text = "in the U.S. (n=669), r/antidepressants, a bout of nausea, take 2 today, 4 weeks, Ur-text, n't"
    assert plain_words(text) == text
    assert plain_words("under") == "under" and plain_words("shudder") == "shudder"
