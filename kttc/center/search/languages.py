"""Words of the languages the platform serves, each cut by a tokenizer made for it.

Chinese goes to the Chinese segmenter (``segment``), after traditional characters are turned
into simplified ones (OpenCC's ``t2s``), so that 鋰離子電池 finds 锂离子电池. Every other script is
kept away from it (jieba cuts a Vietnamese word at each accented letter):

- Latin script (English, Vietnamese, pinyin, formulas): words between spaces and punctuation;
  Vietnamese is written a syllable a word, and a query matches its syllables;
- Thai, Lao, Khmer and Burmese: the segmenters of :mod:`kttc.core.scripts` (PyThaiNLP, LaoNLP,
  khmer-nltk; Burmese syllables), which the PDFs share to break their lines between words.

The same function serves documents (translations, indexed pre-cut under the whitespace
tokenizer) and queries.
"""

from __future__ import annotations

import functools
import logging
import re
import unicodedata
from collections.abc import Callable, Iterator

from kttc.center.search import segment
from kttc.core.scripts import HAN, KHMER, LAO, MYANMAR, THAI
from kttc.core.scripts import cutter as _cutter

logger = logging.getLogger(__name__)


def _separators() -> re.Pattern[str]:
    """Spaces, punctuation and symbols (of the basic plane), but for the dot and hyphen that
    join the parts of 3.5 or li-ion: where runs of text are cut before their script is known
    (combining marks stay with their letters)."""
    chars = [
        chr(code)
        for code in range(0x10000)
        if unicodedata.category(chr(code))[0] in "PSZC"
        and chr(code) not in ".-"
        and not 0xD800 <= code <= 0xDFFF
    ]
    return re.compile("[" + re.escape("".join(chars)) + "]+")


_SEPARATORS = _separators()
_LATIN_WORD = re.compile(r"[^\W_]+(?:[.\-][^\W_]+)*")


@functools.cache
def _t2s() -> Callable[[str], str]:
    try:
        import opencc

        converter: Callable[[str], str] = opencc.OpenCC("t2s").convert
        return converter
    except ImportError:  # pragma: no cover - a dependency; degrade rather than fail a search
        logger.warning("opencc missing: traditional characters are searched as written.")
        return lambda text: text


def simplified(text: str) -> str:
    """Traditional Chinese characters as simplified ones (other text unchanged)."""
    return _t2s()(text) if HAN.search(text) else text


def script(text: str) -> str:
    """The script a run of text is written in: han, thai, lao, myanmar, khmer or latin."""
    for name, pattern in (
        ("han", HAN),
        ("thai", THAI),
        ("lao", LAO),
        ("myanmar", MYANMAR),
        ("khmer", KHMER),
    ):
        if pattern.search(text):
            return name
    return "latin"


def words(text: str, *, limit: int = 200) -> Iterator[tuple[str, str]]:
    """(script, word) in order, at most ``limit``: Chinese runs as the segmenter's words (search
    mode is the caller's choice: these are plain cuts), the others by their own tokenizer."""
    count = 0
    for chunk in _SEPARATORS.split(unicodedata.normalize("NFC", text or "")):
        if not chunk:
            continue
        kind = script(chunk)
        if kind == "han":
            found = [(kind, w) for w in segment.cutter().cut(segment.normalise(simplified(chunk)))]
        elif kind == "latin":
            found = [(kind, w) for w in _LATIN_WORD.findall(segment.fold(chunk).lower())]
        else:
            try:
                found = [(kind, w) for w in _cutter(kind)(chunk)]
            except ImportError:  # pragma: no cover - a dependency missing: syllables unsplit
                found = [(kind, chunk)]
        for kind_, word in found:
            word = word.strip()
            if not word or word in segment.STOP_WORDS or len(word) > segment.MAX_TOKEN_CHARS:
                continue
            yield kind_, word
            count += 1
            if count >= limit:
                return


def index_text(text: str) -> str:
    """A translation's words joined by spaces, for a field under the whitespace tokenizer."""
    return " ".join(w for _kind, w in words(text, limit=100_000))
