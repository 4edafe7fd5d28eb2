"""Fusing the rankings of a search: for a query in Chinese, words rank first and meaning breaks
near ties and adds, after them, what shares none of the words; in other languages meaning ranks
as much as words do."""

from __future__ import annotations

from kttc.center.search.tantivy_backend import CHINESE_MEANING_WEIGHT, fuse


def test_for_a_chinese_query_what_shares_no_word_comes_after_what_does():
    lexical, meaning = [1, 2, 3, 4, 5], [9]
    assert fuse(lexical, meaning, meaning_weight=CHINESE_MEANING_WEIGHT) == [1, 2, 3, 4, 5, 9]
    assert fuse(lexical, meaning) == [1, 9, 2, 3, 4, 5]  # elsewhere meaning ranks with words
    # meaning still breaks a near tie between two results of the words
    assert fuse([1, 2], [2], meaning_weight=CHINESE_MEANING_WEIGHT) == [2, 1]
