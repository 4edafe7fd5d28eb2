"""Highlighted snippets: the matched words of a stored original wrapped in ``<mark>``, everything
else HTML-escaped, so a template may print the snippet as it is.

The index holds segmented text, so tantivy's own snippet generator (which re-tokenizes the stored
text with the field's tokenizer) would not find Chinese words. Here the query's terms are first
looked for as substrings (a regular expression, fast), and each candidate is kept only if the
segmenter, run on a few characters around it, cuts it as a word: 中试 is marked in 进行中试生产
but not in 实验室中试验 (实验室/中/试验), just as the index would not have matched it there.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from html import escape

from kttc.center.search import segment

#: Characters of an abstract's snippet around its best match.
ABSTRACT_CHARS = 160
#: How far before the first match in the window a snippet starts.
LEAD_CHARS = 30
#: Context segmented around a candidate to confirm it is cut as a word.
CONTEXT_CHARS = 12
ELLIPSIS = "…"

_LATIN_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_ASCII_WORD = re.compile(r"[0-9a-z]")


def mark(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """``text`` HTML-escaped, with each (start, end) span wrapped in <mark>; spans are sorted and
    do not overlap."""
    out, position = [], 0
    for start, end in spans:
        out.append(escape(text[position:start]))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        position = end
    out.append(escape(text[position:]))
    return "".join(out)


def term_patterns(terms: Iterable[str]) -> tuple[re.Pattern[str], ...]:
    """One expression per (normalised) term, ignoring case; an ASCII term only as a whole word
    (``ai`` is not in ``Taiwan``)."""
    patterns = []
    for term in sorted(set(terms)):
        body = re.escape(term)
        if _ASCII_WORD.match(term[0]):
            body = r"(?<![0-9a-z])" + body
        if _ASCII_WORD.match(term[-1]):
            body += r"(?![0-9a-z])"
        patterns.append(re.compile(body, re.IGNORECASE))
    return tuple(patterns)


def _candidates(text: str, patterns: tuple[re.Pattern[str], ...]) -> list[tuple[int, int]]:
    """Every occurrence of every term, overlapping ones included, in reading order."""
    found = {m.span() for pattern in patterns for m in pattern.finditer(text)}
    return sorted(found, key=lambda span: (span[0], -span[1]))


def _verified(text: str, candidates: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The candidates the segmenter cuts as words (one run over the stretch of the normalised
    text that holds them, with some context), merged where they overlap (石墨烯 and the 石墨 in
    it give one span)."""
    if not candidates:
        return []
    left = max(0, candidates[0][0] - CONTEXT_CHARS)
    right = min(len(text), max(end for _s, end in candidates) + CONTEXT_CHARS)
    words = {
        (start + left, end + left)
        for _word, start, end in segment.cutter().tokenize(text[left:right], mode="search")
    }
    found: list[tuple[int, int]] = []
    for start, end in candidates:
        if (found and end <= found[-1][1]) or (start, end) not in words:
            continue  # inside a span already marked, or not a word here
        if found and start <= found[-1][1]:
            found[-1] = (found[-1][0], end)
        else:
            found.append((start, end))
    return found


def chinese_spans(text: str, patterns: tuple[re.Pattern[str], ...]) -> list[tuple[int, int]]:
    """Spans of ``text`` that are query terms and that the segmenter cuts as words there."""
    if not patterns or not text:
        return []
    normalised = segment.normalise_keeping_length(text)
    return _verified(normalised, _candidates(normalised, patterns))


def chinese_snippet(
    text: str, patterns: tuple[re.Pattern[str], ...], size: int = ABSTRACT_CHARS
) -> str:
    """At most ``size`` characters of ``text`` around its densest matches, highlighted; only the
    stretch shown is segmented."""
    if not patterns or len(text) <= size:
        return mark(text, chinese_spans(text, patterns))
    normalised = segment.normalise_keeping_length(text)
    candidates = _candidates(normalised, patterns)
    start, end = _bounds(len(text), candidates, size)
    inside = [(s, e) for s, e in candidates if s >= start and e <= end]
    return _excerpt(text, start, end, _verified(normalised, inside))


def analysed_spans(
    text: str, terms: frozenset[str], analyse: Callable[[str], list[str]]
) -> list[tuple[int, int]]:
    """Spans of the words of a space-separated language whose analysed form (stemmed, folded) is
    a query term: 'batteries' is marked for a query 'battery'."""
    if not terms:
        return []
    found = []
    for match in _LATIN_WORD.finditer(text):
        if any(token in terms for token in analyse(match.group())):
            found.append(match.span())
    return found


def window(text: str, spans: list[tuple[int, int]], size: int = ABSTRACT_CHARS) -> str:
    """At most ``size`` characters of ``text`` around the densest group of spans, highlighted."""
    if len(text) <= size:
        return mark(text, spans)
    start, end = _bounds(len(text), spans, size)
    return _excerpt(text, start, end, spans)


def _bounds(length: int, spans: list[tuple[int, int]], size: int) -> tuple[int, int]:
    start = _best_start(spans, size)
    end = min(length, start + size)
    return (max(0, end - size) if end == length else start), end


def _excerpt(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> str:
    inside = [
        (max(s, start) - start, min(e, end) - start) for s, e in spans if s < end and e > start
    ]
    body = mark(text[start:end], inside)
    return (ELLIPSIS if start > 0 else "") + body + (ELLIPSIS if end < len(text) else "")


def _best_start(spans: list[tuple[int, int]], size: int) -> int:
    """The start of the window holding the most spans, a little before the first of them."""
    if not spans:
        return 0
    best, best_count = spans[0][0], 0
    for i, (first, _end) in enumerate(spans):
        count = sum(1 for s, _e in spans[i:] if s < first + size - LEAD_CHARS)
        if count > best_count:
            best, best_count = first, count
    return max(0, best - LEAD_CHARS)
