"""Chinese (and mixed) segmentation for the search index, the same for documents and queries.

jieba's search mode (``cut_for_search``) emits every word and, for longer words, their dictionary
parts as well: 锂离子电池 gives 离子, 电池, 锂离子, 锂离子电池. Indexing those cuts lets a query for
a part (电池, 石墨) find the whole, while the domain dictionary (``dictionary.txt``) keeps terms
such as 石墨烯 whole, so that a query for 石墨烯 does not match every 石墨 (graphite).

The rust binding (rjieba, about 3M characters/s) is used when it is installed, with Python jieba
(about 0.18M characters/s) as the fallback; both take the same dictionary. Whatever the engine,
text is normalised first (full-width letters and digits folded to ASCII, lowercased, punctuation,
symbols and emoji turned into spaces), and spaces and a short list of stop words are dropped from
the tokens. English words are lowercased here; translations are stemmed by the index.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

DICTIONARY = Path(__file__).with_name("dictionary.txt")

_STOP = """
的 了 和 与 及 或 等 在 对 以 为 是 其 并 中 由 从 将 把 被 于 之 而 也 又 这 那 该 此
一种 一个 一些 我们 本 所 可 能 上 下 个
a an and are as at be but by for if in into is it no not of on or such that the their then
there these they this to was will with
"""
#: Words too common to search for: they match nearly every record and carry no meaning alone
#: (Chinese function words and Lucene's English stop words).
STOP_WORDS = frozenset(_STOP.split())

#: Full-width letters and digits (ＡＢＣ, ０１２) folded to ASCII, one character for one character,
#: so offsets in the folded text are offsets in the original. Full-width punctuation (，：（）) is
#: no part of a word either way and is left alone.
_FULL_WIDTH = (range(0xFF10, 0xFF1A), range(0xFF21, 0xFF3B), range(0xFF41, 0xFF5B))
_FOLD = {code: code - 0xFEE0 for block in _FULL_WIDTH for code in block}
_FOLDABLE = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")

#: Tokens longer than this are not words (a pasted hash, a run of digits); tantivy would refuse
#: terms over 65,530 bytes anyway.
MAX_TOKEN_CHARS = 40


class _Cutter(Protocol):
    def cut_for_search(self, text: str) -> Iterable[str]: ...
    def cut(self, text: str) -> Iterable[str]: ...
    def tokenize(self, text: str, mode: str = ...) -> Iterable[tuple[str, int, int]]: ...


def fold(text: str) -> str:
    """Full-width letters and digits to ASCII; same length."""
    return text.translate(_FOLD) if _FOLDABLE.search(text) else text


def dictionary_terms(path: Path = DICTIONARY) -> list[tuple[str, int | None]]:
    """The domain terms with their optional frequency; ``#`` starts a comment."""
    terms: list[tuple[str, int | None]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("#", 1)[0].split()
        if not parts:
            continue
        freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
        terms.append((parts[0], freq))
    return terms


class _JiebaAdapter:
    """Python jieba behind the rjieba interface (``tokenize`` yields (word, start, end))."""

    def __init__(self) -> None:
        import jieba

        self._tokenizer = jieba.Tokenizer()
        self._tokenizer.initialize()

    def add_word(self, word: str, freq: int | None) -> None:
        self._tokenizer.add_word(word, freq)

    def cut_for_search(self, text: str) -> list[str]:
        return list(self._tokenizer.cut_for_search(text))

    def cut(self, text: str) -> list[str]:
        return list(self._tokenizer.cut(text))

    def tokenize(self, text: str, mode: str = "default") -> list[tuple[str, int, int]]:
        return list(self._tokenizer.tokenize(text, mode=mode))


def _load_rjieba() -> Any:
    import rjieba

    cutter = rjieba.Jieba()
    for word, freq in dictionary_terms():
        cutter.add_word(word, freq, None)
        if word.lower() != word:  # text is lowercased before it is cut
            cutter.add_word(word.lower(), freq, None)
    return cutter


def _load_jieba() -> _JiebaAdapter:
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    cutter = _JiebaAdapter()
    for word, freq in dictionary_terms():
        cutter.add_word(word, freq)
        if word.lower() != word:
            cutter.add_word(word.lower(), freq)
    return cutter


_lock = threading.Lock()


@functools.cache
def cutter() -> _Cutter:
    """The segmenter with the domain dictionary loaded (once per process)."""
    with _lock:
        try:
            return _load_rjieba()
        except ImportError:
            return _load_jieba()


def engine() -> str:
    return "jieba" if isinstance(cutter(), _JiebaAdapter) else "rjieba"


#: Runs of characters that are no part of a word; a dot or hyphen is kept between letters or
#: digits (3.5 and li-ion stay whole) and dropped elsewhere.
_NOT_WORD = re.compile(r"[^\w.\-]+|(?<![0-9a-z])[.\-]+|[.\-]+(?![0-9a-z])")
_NOT_WORD_CHAR = re.compile(r"[^\w.\-]|(?<![0-9a-z])[.\-]|[.\-](?![0-9a-z])")
_DROP = STOP_WORDS | {" ", ""}


def normalise(text: str) -> str:
    """Folded, lowercased, with punctuation, symbols and emoji turned into spaces: the text the
    segmenter sees, for documents and queries alike."""
    return _NOT_WORD.sub(" ", fold(text).lower())


def normalise_keeping_length(text: str) -> str:
    """:func:`normalise` one character for one character, so offsets point into ``text``: the
    same cuts as the index made, for highlighting."""
    lowered = fold(text).lower()
    if len(lowered) != len(text):  # a rare letter whose lower case is longer (İ)
        lowered = fold(text)
    return _NOT_WORD_CHAR.sub(" ", lowered)


def normalise_token(token: str) -> str | None:
    """A token as the index keeps it, or None when it is no word (a space, a stop word)."""
    token = token.strip()
    if token in _DROP or len(token) > MAX_TOKEN_CHARS:
        return None
    return token


def tokens(text: str) -> list[str]:
    """Search-mode tokens of a text, for the index and for queries alike (traditional characters
    as simplified ones)."""
    if not text:
        return []
    from kttc.center.search.languages import simplified

    text = simplified(text)
    drop, longest = _DROP, MAX_TOKEN_CHARS
    return [
        t for t in cutter().cut_for_search(normalise(text)) if t not in drop and len(t) <= longest
    ]


def index_text(text: str) -> str:
    """The tokens joined by single spaces, for a field indexed with the whitespace tokenizer."""
    return " ".join(tokens(text))


@dataclass(frozen=True)
class QueryWord:
    """One word of a query: a document matches it when it has the word itself or, if the word's
    search-mode parts cover every character of it, all of those parts (a record that wrote
    锂离子 电池 still matches 锂离子电池)."""

    word: str
    parts: tuple[str, ...] = ()


def query_words(text: str, *, limit: int = 32) -> list[QueryWord]:
    """The words of a query in order, without repeats, at most ``limit`` of them."""
    from kttc.center.search import languages  # it cuts each script with its own tokenizer

    words: list[QueryWord] = []
    seen: set[str] = set()
    for kind, raw in languages.words(text, limit=limit * 4):
        word = normalise_token(raw)
        if word is None or word in seen:
            continue
        seen.add(word)
        words.append(QueryWord(word, _covering_parts(word) if kind == "han" else ()))
        if len(words) >= limit:
            break
    return words


def _covering_parts(word: str) -> tuple[str, ...]:
    if len(word) < 3:
        return ()
    spans = [
        (start, end)
        for part, start, end in cutter().tokenize(word, mode="search")
        if part != word and normalise_token(part) is not None
    ]
    covered = [False] * len(word)
    for start, end in spans:
        for i in range(start, end):
            covered[i] = True
    if not spans or not all(covered):
        return ()
    return tuple(dict.fromkeys(word[start:end] for start, end in spans))


def spans(text: str, terms: frozenset[str]) -> Iterator[tuple[int, int]]:
    """Character spans of ``text`` whose search-mode token is one of ``terms``, merged where they
    overlap (石墨 and 石墨烯 give one span), in order."""
    found = sorted(
        (start, end)
        for word, start, end in cutter().tokenize(fold(text), mode="search")
        if word.strip().lower() in terms
    )
    current: tuple[int, int] | None = None
    for start, end in found:
        if current is not None and start <= current[1]:
            current = (current[0], max(current[1], end))
            continue
        if current is not None:
            yield current
        current = (start, end)
    if current is not None:
        yield current
