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


def test_large_numbers_written_out_are_read_as_digits() -> None:
    assert plain_words("my grandpa is Seventy and on celexa") == "my grandpa is 70 and on celexa"
    assert plain_words("she's eighty-five, is a hundred mg ok") == "she's 85, is a 100 mg ok"
    assert plain_words("Twenty five mg") == "25 mg"


def test_small_numbers_stay_words() -> None:
    text = "that one, the two of them, week one, take one a day, for three weeks"
    assert plain_words(text) == text
