"""Fusing the rankings of a search: for a query in Chinese, words rank first and meaning breaks
near ties far down and adds, after them, what shares none of the words; in other languages
meaning ranks as much as words do."""

from __future__ import annotations

from kttc.center.search.tantivy_backend import CHINESE_MEANING_WEIGHT, fuse


def test_for_a_chinese_query_what_shares_no_word_comes_after_what_does():
    lexical, meaning = [1, 2, 3, 4, 5], [9]
    assert fuse(lexical, meaning, meaning_weight=CHINESE_MEANING_WEIGHT) == [1, 2, 3, 4, 5, 9]
    assert fuse(lexical, meaning) == [1, 9, 2, 3, 4, 5]  # elsewhere meaning ranks with words
    # the words' first results keep their order (reordered by meaning, the held-out Chinese
    # demands of bench/crosslingual_bench.py lost their record's first place: R@1 0.90)
    assert fuse([1, 2], [2], meaning_weight=CHINESE_MEANING_WEIGHT) == [1, 2]
    # further down, where the words' scores are close, meaning breaks the near tie
    fused = fuse(list(range(1, 31)), [21], meaning_weight=CHINESE_MEANING_WEIGHT)
    assert fused.index(21) < fused.index(20) and fused[:19] == list(range(1, 20))
