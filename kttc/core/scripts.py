"""The scripts of the region and the words each is cut into, shared by search (which indexes
words) and the PDFs (which may break a line between two words of a script written without
spaces).

- Thai: PyThaiNLP's dictionary segmenter (``newmm``);
- Lao: LaoNLP's dictionary segmenter;
- Khmer: khmer-nltk's word segmenter (a CRF model shipped in the package);
- Burmese: syllables, by the syllable-break rule of Ye Kyaw Thu's *sylbreak* (consonant not
  stacked or killed starts a syllable): no maintained Burmese word segmenter is published as a
  package, and syllables are how Burmese search engines index and where Burmese lines break.

Each segmenter loads its dictionary or model on its first call (a second or two), once per
process.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Callable

HAN = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]")
THAI = re.compile(r"[\u0e00-\u0e7f]")
LAO = re.compile(r"[\u0e80-\u0eff]")
MYANMAR = re.compile(r"[\u1000-\u109f\uaa60-\uaa7f\ua9e0-\ua9ff]")
KHMER = re.compile(r"[\u1780-\u17ff\u19e0-\u19ff]")

#: The scripts written without spaces between words, each with the letters it is written in.
SEGMENTED = {"thai": THAI, "lao": LAO, "myanmar": MYANMAR, "khmer": KHMER}

MY_BREAK = re.compile(
    "((?<!\u1039)[\u1000-\u1021](?![\u103a\u1039])|[a-zA-Z0-9\u1023-\u1027\u1029\u102a\u103f\u104c-\u104f\u1040-\u104b])"
)


@functools.cache
def cutter(name: str) -> Callable[[str], list[str]]:
    """The word (Burmese: syllable) segmenter of a script of :data:`SEGMENTED`."""
    if name == "thai":
        from pythainlp.tokenize import word_tokenize as thai

        return lambda text: thai(text, engine="newmm", keep_whitespace=False)
    if name == "lao":
        from laonlp.tokenize import word_tokenize as lao

        return lambda text: list(lao(text))
    if name == "khmer":
        logging.getLogger("khmer-nltk").setLevel(logging.WARNING)
        from khmernltk import word_tokenize as khmer

        return lambda text: list(khmer(text))
    if name == "myanmar":
        return lambda text: MY_BREAK.sub(r" \1", text).split()
    raise ValueError(name)
