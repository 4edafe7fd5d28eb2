"""From user text to a tantivy query, without tantivy's query parser: whatever the reader typed
(quotes, AND/OR, a minus, stars, colons, brackets, backslashes, emoji) is only text to segment.

Semantics: every word of the query must match (in the name, keywords, abstract, unit or a
translation); the score is the sum of the words' BM25 scores. When nothing matches every word,
``relaxed`` lets a third of them do (at least one), still ranked by BM25, so the results with the
most words come first.

Fields: all the texts of a document are indexed together in one field per language (``all``,
``en_all``, ``other``), the name three times and the keywords twice, so BM25 itself ranks a match
in the name above one in the abstract (its saturation keeps the boost bounded: a name match counts
about 1.6 times an abstract match). A word then walks one posting list, as in a bare index;
optional boost clauses on separate name fields cost three times as much on common words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import tantivy

from kttc.center.search import highlight, segment

#: How many times each text goes into the match field: the boost of a field, at index time.
REPEAT = {"name": 3, "keywords": 2, "abstract": 1, "unit": 1}
#: A word's parts (锂离子 + 电池 for 锂离子电池) count for a little less than the word itself.
PARTS_WEIGHT = 0.8
#: Only so much of a query is read: a pasted page is not a query.
MAX_QUERY_CHARS = 200
MAX_WORDS = 16
#: When nothing has every word, a third of them must match, but never more than this many: a
#: demand written as a paragraph shares three words with the record that meets it, not six.
RELAXED_MOST = 3

_NOT_HAN = re.compile(r"[^\u2e80-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]")


@dataclass(frozen=True)
class Analyzers:
    """The analyzers the index uses for translations, applied to queries too."""

    english: Any
    folded: Any


@dataclass(frozen=True)
class CompiledText:
    """The text part of a search: ``query`` is None when the text has no words (browse)."""

    query: Any = None
    relaxed: Any = None
    #: normalised segmented words (and covering parts) to highlight in the original text
    terms: frozenset[str] = field(default_factory=frozenset)
    #: stemmed English terms, to highlight in an English translation
    english: frozenset[str] = field(default_factory=frozenset)
    #: folded terms, to highlight in other translations
    folded: frozenset[str] = field(default_factory=frozenset)
    #: one expression per term of ``terms``, to find them in the original text
    patterns: tuple[re.Pattern[str], ...] = ()
    #: the words, to recognise the same text again (the facet cache)
    key: tuple[tuple[str, tuple[str, ...]], ...] = ()


def _term(schema: Any, name: str, value: str, boost: float = 1.0) -> Any:
    term = tantivy.Query.term_query(schema, name, value, index_option="freq")
    return term if boost == 1.0 else tantivy.Query.boost_query(term, boost)


def _must(queries: list[Any]) -> Any:
    if len(queries) == 1:
        return queries[0]
    return tantivy.Query.boolean_query([(tantivy.Occur.Must, q) for q in queries])


def _should(queries: list[Any]) -> Any:
    if len(queries) == 1:
        return queries[0]
    return tantivy.Query.boolean_query([(tantivy.Occur.Should, q) for q in queries])


def _word_query(
    schema: Any, word: segment.QueryWord, analyzers: Analyzers, seen: dict[str, set[str]]
) -> Any:
    """Documents with the word: itself, or all its covering parts, or (for a word not in Han
    characters) its analysed forms in a translation."""
    alternatives = [_term(schema, "all", word.word)]
    seen["terms"].add(word.word)
    if word.parts:
        alternatives.append(_must([_term(schema, "all", p, PARTS_WEIGHT) for p in word.parts]))
        seen["terms"].update(word.parts)
    if _NOT_HAN.search(word.word):
        for key, field_name, analyzer in (
            ("english", "en_all", analyzers.english),
            ("folded", "other", analyzers.folded),
        ):
            values = list(dict.fromkeys(analyzer.analyze(word.word)))
            if values:
                alternatives.append(_must([_term(schema, field_name, v) for v in values]))
                seen[key].update(values)
    return _should(alternatives)


def compile_text(text: str, schema: Any, analyzers: Analyzers) -> CompiledText:
    """The query for ``text``: all words must match; ``relaxed`` needs a third of them."""
    words = segment.query_words((text or "")[:MAX_QUERY_CHARS], limit=MAX_WORDS)
    if not words:
        return CompiledText()
    seen: dict[str, set[str]] = {"terms": set(), "english": set(), "folded": set()}
    word_queries = [_word_query(schema, w, analyzers, seen) for w in words]
    if len(word_queries) == 1:
        query, relaxed = word_queries[0], None
    else:
        query = tantivy.Query.boolean_query([(tantivy.Occur.Must, q) for q in word_queries])
        relaxed = tantivy.Query.boolean_query(
            [(tantivy.Occur.Should, q) for q in word_queries],
            minimum_number_should_match=max(1, min(RELAXED_MOST, len(word_queries) // 3)),
        )
    return CompiledText(
        query=query,
        relaxed=relaxed,
        terms=frozenset(seen["terms"]),
        english=frozenset(seen["english"]),
        folded=frozenset(seen["folded"]),
        patterns=highlight.term_patterns(seen["terms"]),
        key=tuple((w.word, w.parts) for w in words),
    )


def _han_term_query(schema: Any, term: str) -> Any | None:
    """Documents with a Chinese term as the index cut it: each of its words, or the word's
    covering parts."""
    words = segment.query_words(term, limit=4)
    if not words:
        return None
    queries = []
    for w in words:
        alternatives = [_term(schema, "all", w.word)]
        if w.parts:
            alternatives.append(_must([_term(schema, "all", p, PARTS_WEIGHT) for p in w.parts]))
        queries.append(_should(alternatives))
    return _must(queries)


def translated_query(text: str, schema: Any) -> Any | None:
    """Chinese records for an English query, through the dictionary (``translation``): each
    English phrase matches any of its Chinese terms, and a third of the phrases (at least one)
    must match; ranked by BM25. None when the text gives no Chinese term (a Chinese query, or no
    known English word)."""
    from kttc.center.search import translation

    phrases = translation.translate((text or "")[:MAX_QUERY_CHARS])[:MAX_WORDS]
    phrase_queries = []
    for _english, terms in phrases:
        alternatives = [q for q in (_han_term_query(schema, t) for t in terms) if q is not None]
        if alternatives:
            phrase_queries.append(_should(alternatives))
    if not phrase_queries:
        return None
    if len(phrase_queries) == 1:
        return phrase_queries[0]
    return tantivy.Query.boolean_query(
        [(tantivy.Occur.Should, q) for q in phrase_queries],
        minimum_number_should_match=max(1, round(len(phrase_queries) / 3)),
    )
