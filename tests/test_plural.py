"""Counts in words: what every CLI line with a number uses."""

import pytest

from pipeline.plural import plural


@pytest.mark.parametrize("count, noun, expected", [
    (1, "paper", "1 paper"), (0, "paper", "0 papers"), (2, "paper", "2 papers"), (25841, "paper", "25,841 papers"),
    (2, "batch", "2 batches"), (3, "query", "3 queries"), (2, "key", "2 keys"), (1, "new paper", "1 new paper"),
    (2, "analysis", "2 analyses"),
])
def test_plural(count, noun, expected):
    assert plural(count, noun, "analyses" if noun == "analysis" else None) == expected
