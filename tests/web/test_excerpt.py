"""The excerpt filter: at most N characters, cut at a word, ended "…"; short texts whole."""

from __future__ import annotations

import pytest

from vawg.web.templatetags.vawg import EXCERPT_CHARACTERS, excerpt


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("Short enough.", 20, "Short enough."),
        ("Exactly twenty chars", 20, "Exactly twenty chars"),
        ("One two three four five six", 20, "One two three four…"),
        # The cut falls just after a word: that word is kept, its comma dropped.
        ("One two three four, five six", 20, "One two three four…"),
        # One run with no space in reach: cut at the limit rather than show it whole.
        ("x" * 50, 20, "x" * 19 + "…"),
        ("Line one\nline two and more words", 20, "Line one\nline two…"),
        ("", 20, ""),
        (None, 20, ""),
    ],
)
def test_excerpt(text, limit, expected):
    assert excerpt(text, limit) == expected
    assert len(excerpt(text, limit)) <= limit


def test_the_default_is_300_characters():
    assert EXCERPT_CHARACTERS == 300
    assert len(excerpt("word " * 2000)) <= 300
    assert excerpt("word " * 2000) == ("word " * 60)[:299].rstrip() + "…"
