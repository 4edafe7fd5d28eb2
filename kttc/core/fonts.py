"""The fonts of every PDF the platform draws (notices, statements), registered with ReportLab
once per process, and the text of those PDFs set in them.

**Chinese, Latin and Vietnamese** are drawn in a CJK font. The first TrueType font found among
``KTTC_CJK_FONT`` (a setting) and the usual Debian locations (``fonts-wqy-microhei``,
``fonts-wqy-zenhei``, ``fonts-arphic-uming``) is embedded. Without one, a PDF still renders: it
names ReportLab's built-in Adobe CID font ``STSong-Light``, which PDF readers supply themselves
(the font is then not embedded, and the document should say so in its metadata, see
:func:`not_embedded_note`), and a warning is logged.

**Thai, Lao, Burmese and Khmer** are drawn in their own font, Debian's Noto Sans of the script
(``fonts-noto-core``; another file can be named per script in the ``KTTC_SCRIPT_FONTS`` setting),
shaped by HarfBuzz (``uharfbuzz``, through ReportLab's ``shaping``): marks placed over and under
their letters, stacked and reordered consonants. A text that mixes scripts (a Thai sentence with
a Chinese result's name, numbers, Latin) is drawn in runs, each in the font that has its letters
(:func:`paragraph`). Those scripts are written without spaces between words, so a line may break
between two words (Burmese: two syllables) as their segmenters cut them
(:mod:`kttc.core.scripts`). Where a script's font file, or HarfBuzz, is missing, a PDF for that
language is drawn in English (:func:`pdf_language`) and a warning is logged, as before they were
supported: never boxes for letters, never an error.
"""

from __future__ import annotations

import io
import itertools
import logging
import re
import unicodedata
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from django.conf import settings
from reportlab.lib.rl_accel import fp_str
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus import Paragraph

from kttc.core import scripts

try:
    import uharfbuzz
except ImportError:  # pragma: no cover - a dependency; without it the scripts fall back to English
    uharfbuzz = None

logger = logging.getLogger(__name__)

#: Debian's CJK TrueType fonts, in order of preference (a collection's first face is used).
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
)
FALLBACK_FONT = "STSong-Light"

_NOTO = "/usr/share/fonts/truetype/noto/"
#: Debian's Noto fonts (``fonts-noto-core``) of the scripts the CJK fonts lack, by preference.
SCRIPT_FONT_CANDIDATES = {
    "thai": (_NOTO + "NotoSansThai-Regular.ttf", _NOTO + "NotoSerifThai-Regular.ttf"),
    "lao": (_NOTO + "NotoSansLao-Regular.ttf", _NOTO + "NotoSerifLao-Regular.ttf"),
    "myanmar": (_NOTO + "NotoSansMyanmar-Regular.ttf", _NOTO + "NotoSerifMyanmar-Regular.ttf"),
    "khmer": (_NOTO + "NotoSansKhmer-Regular.ttf", _NOTO + "NotoSerifKhmer-Regular.ttf"),
}
#: The languages of the platform written in those scripts.
LANGUAGE_SCRIPTS = {"th": "thai", "lo": "lao", "my": "myanmar", "km": "khmer"}
_LANGUAGE_OF_SCRIPT = {script: language for language, script in LANGUAGE_SCRIPTS.items()}

#: A sample of the letters each language of the platform writes with, beyond Latin and Chinese.
SCRIPT_SAMPLES = {
    "vi": "Chuyển giao Công nghệ",
    "th": "ศูนย์ถ่ายทอดเทคโนโลยี",
    "lo": "ສູນຖ່າຍທອດເຕັກໂນໂລຊີ",
    "my": "နည်းပညာလွှဲပြောင်းရေး",
    "km": "មជ្ឈមណ្ឌលផ្ទេរបច្ចេកវិទ្យា",
}

#: The OpenType features ReportLab shapes a word with (``reportlab.pdfbase.ttfonts``).
_FEATURES = {"kern": True, "liga": True, "dlig": True}
_PRIVATE = range(0xE000, 0xF900)


@dataclass(frozen=True)
class Font:
    """A registered font: its ReportLab name, whether the PDF embeds it, the file it came from."""

    name: str
    embedded: bool
    source: str


class ShapedFont(TTFont):
    """A TrueType font whose shaped glyphs still read as their letters.

    HarfBuzz draws some letters with glyphs the font maps to no character (Thai tone marks moved
    above a vowel, Khmer subscript consonants, Burmese ligatures); ReportLab gives each a
    private-use code, which a PDF reader would copy, search and extract as such. Each word is
    shaped here before ReportLab shapes it (:meth:`learn`), to know the letters such a glyph
    stands for, and the font's ``ToUnicode`` map in the PDF names them."""

    def __init__(self, name: str, filename: str, **kwargs: Any) -> None:
        super().__init__(name, filename, shapable=True, **kwargs)
        self._glyph_text: dict[int, str] = {}
        self._learned: set[str] = set()

    @property
    def _glyph_chars(self) -> dict[int, list[int]]:
        """The characters each glyph is drawn for (ReportLab's, made-up codes included)."""
        return self.face.glyphToChar  # type: ignore[attr-defined]  # not in the stubs

    def _mapped(self, gid: int) -> bool:
        """The glyph is the font's own for a character (not one ReportLab made up a code for)."""
        return any(code not in _PRIVATE for code in self._glyph_chars.get(gid, ()))

    @cached_property
    def _hb_font(self) -> Any:
        return uharfbuzz.Font(self.hbFace)

    @cached_property
    def _names(self) -> dict[str, str]:
        """The character of each glyph of the font's own, by the glyph's name."""
        names: dict[str, str] = {}
        for code, gid in sorted(self.face.charToGlyph.items()):
            if code not in _PRIVATE:
                names.setdefault(self._hb_font.glyph_to_string(gid), chr(code))
        return names

    def _named(self, gid: int) -> str:
        """The letters a glyph's name says it draws: a variant of a glyph of the font's own
        (``uni0E48.small``, ``maiEk-lao.small``, ``ga.sub``) or Unicode's (``uni179417B6``)."""
        name = self._hb_font.glyph_to_string(gid).split(".")[0]
        if name in self._names:
            return self._names[name]
        if found := re.fullmatch(r"uni((?:[0-9A-F]{4})+)|u([0-9A-F]{4,6})", name):
            codes = found.group(1) or found.group(2)
            step = 4 if found.group(1) else len(codes)
            return "".join(chr(int(codes[i : i + step], 16)) for i in range(0, len(codes), step))
        return ""

    def learn(self, word: str) -> None:
        """Shape ``word`` as ReportLab does and remember the letters behind each glyph that has
        no character of its own: those its name says (a variant or a ligature of the font's own
        glyphs), with the letters of its cluster no other glyph draws (the virama of a stacked
        consonant), or, for a glyph its name says nothing of, those letters alone."""
        if uharfbuzz is None or not self.shapable or word in self._learned:
            return
        if len(self._learned) >= 100_000:  # the words seen, bounded (their glyphs stay known)
            self._learned.clear()
        self._learned.add(word)
        buffer = uharfbuzz.Buffer()
        buffer.cluster_level = uharfbuzz.BufferClusterLevel.MONOTONE_CHARACTERS
        buffer.add_str(word)
        buffer.guess_segment_properties()
        uharfbuzz.shape(self._hb_font, buffer, _FEATURES)
        glyphs: dict[int, list[int]] = {}
        for info in buffer.glyph_infos:
            glyphs.setdefault(info.cluster, []).append(info.codepoint)
        starts = sorted(glyphs)
        for start, end in zip(starts, [*starts[1:], len(word)], strict=True):
            self._learn_cluster(word[start:end], glyphs[start])

    def _learn_cluster(self, text: str, gids: list[int]) -> None:
        free = list(range(len(text)))  # the positions of the letters no glyph has claimed yet

        def claim(letters: str) -> list[int]:
            taken = []
            for ch in letters:
                at = next((i for i in free if text[i] == ch), None)
                if at is not None:
                    free.remove(at)
                    taken.append(at)
            return taken

        for gid in gids:
            if self._mapped(gid):
                own = [chr(c) for c in self._glyph_chars[gid] if c not in _PRIVATE]
                claim(next((ch for ch in own if ch in text), ""))
        made_up = [gid for gid in gids if not self._mapped(gid)]
        drawn = {gid: claim(self._named(gid)) for gid in made_up}
        if free:
            unnamed = [gid for gid in made_up if not drawn[gid]]
            if unnamed or drawn:
                gid = (unnamed or list(drawn))[0]
                drawn[gid] = drawn[gid] + free
        for gid, positions in drawn.items():
            if positions:
                self._glyph_text.setdefault(gid, "".join(text[i] for i in sorted(positions)))

    def addObjects(self, doc: Any) -> None:  # noqa: N802 - ReportLab's name
        state = self.state.get(doc)
        subsets = [list(subset) for subset in state.subsets] if state is not None else []
        super().addObjects(doc)
        for n, subset in enumerate(subsets):
            base = b"".join((ttfonts.SUBSETN(n), b"+", self.face.name, self.face.subfontNameX))
            stream = doc.idToObject.get("toUnicodeCMap:" + base.decode("pdfdoc"))
            if stream is not None:
                stream.content = self._to_unicode(stream.content, subset)

    def _to_unicode(self, cmap: str, subset: list[int]) -> str:
        """ReportLab's ToUnicode map of a subset, each made-up code mapped to its letters."""
        for index, code in enumerate(subset):
            text = self._glyph_text.get(self.face.charToGlyph.get(code, -1), "")
            if code in _PRIVATE and text:
                utf16 = text.encode("utf-16-be").hex().upper()
                cmap = cmap.replace(f"<{index:02X}> <{code:04X}>", f"<{index:02X}> <{utf16}>", 1)
        return cmap


def _rise_kept() -> bool:
    """Whether ReportLab remembers a text rise that replaces the one it has just set."""
    text: Any = Canvas(io.BytesIO()).beginText(0, 0)
    text.setRise(1)
    text.setRise(2)
    return text._rise == 2


def _set_rise(self: Any, rise: float) -> None:
    """ReportLab's ``PDFTextObject.setRise``, but that it also remembers a rise it sets in
    place of the one before."""
    operator = f"{fp_str(rise)} Ts"
    if self._code[-1].endswith(" Ts"):  # the rise before drew nothing: replaced
        self._y += self._rise
        self._code[-1] = operator
    else:
        self._code.append(operator)
    self._rise = rise  # what ReportLab's own forgets where it replaces
    self._y -= rise


if not _rise_kept():
    # ReportLab 5.1 draws a shaped mark with a text rise (its HarfBuzz y offset), then sets the
    # rise back; where two rises follow one another it replaces the first in the PDF but keeps
    # it as the current one, so that the rise is never set back and the rest of the line is
    # drawn as low as the mark (seen in Khmer: បញ្ចូលក្នុង). Replaced while it is so.
    PDFTextObject.setRise = _set_rise  # type: ignore[method-assign]  # a ReportLab bug, above


# --- Chinese, Latin, Vietnamese ---------------------------------------------------------------


def _candidates() -> tuple[str, ...]:
    configured = getattr(settings, "KTTC_CJK_FONT", "")
    return (configured, *FONT_CANDIDATES) if configured else FONT_CANDIDATES


@cache
def _register(candidates: tuple[str, ...]) -> Font:
    for path in candidates:
        if not Path(path).is_file():
            continue
        try:
            font = ShapedFont("KTTC-CJK-" + Path(path).stem, path, subfontIndex=0)
        except Exception as exc:  # a font ReportLab cannot read (CFF outlines, say)
            logger.warning("CJK font %s cannot be embedded: %s", path, exc)
            continue
        pdfmetrics.registerFont(font)
        return Font(font.fontName, True, path)
    logger.warning(
        "No CJK TrueType font found (%s); PDFs name the non-embedded CID font %s instead.",
        ", ".join(candidates),
        FALLBACK_FONT,
    )
    pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK_FONT))
    return Font(FALLBACK_FONT, False, "")


def cjk_font() -> Font:
    """The font the PDFs use: an embedded CJK TrueType font, or the CID fallback."""
    return _register(_candidates())


# --- Thai, Lao, Burmese, Khmer ----------------------------------------------------------------


def _script_candidates(script: str) -> tuple[str, ...]:
    configured = (getattr(settings, "KTTC_SCRIPT_FONTS", None) or {}).get(script, "")
    found = SCRIPT_FONT_CANDIDATES[script]
    return (configured, *found) if configured else found


@cache
def _register_script(script: str, candidates: tuple[str, ...]) -> Font | None:
    if uharfbuzz is None:
        logger.warning(
            "uharfbuzz is not installed: %s cannot be shaped, its PDFs are drawn in English.",
            script,
        )
        return None
    sample = SCRIPT_SAMPLES[_LANGUAGE_OF_SCRIPT[script]]
    for path in candidates:
        if not Path(path).is_file():
            continue
        try:
            font = ShapedFont(f"KTTC-{script}-{Path(path).stem}", path)
        except Exception as exc:
            logger.warning("The %s font %s cannot be embedded: %s", script, path, exc)
            continue
        if not all(ord(ch) in font.face.charToGlyph for ch in sample if not ch.isspace()):
            logger.warning("The %s font %s lacks letters of the script.", script, path)
            continue
        pdfmetrics.registerFont(font)
        return Font(font.fontName, True, path)
    logger.warning(
        "No %s TrueType font found (%s; Debian's fonts-noto-core has it): PDFs in that "
        "language are drawn in English.",
        script,
        ", ".join(candidates),
    )
    return None


def script_font(script: str) -> Font | None:
    """The embedded font of a script of :data:`SCRIPT_FONT_CANDIDATES`, shaped by HarfBuzz;
    None (a warning logged once) where its file or HarfBuzz is missing."""
    return _register_script(script, _script_candidates(script))


# --- the language of a PDF ----------------------------------------------------------------------


@cache
def _covers(path: str, sample: str) -> bool:
    try:
        glyphs = TTFont("KTTC-probe", path, subfontIndex=0).face.charToGlyph
    except Exception:
        return False
    return all(ord(ch) in glyphs for ch in sample if not ch.isspace())


def pdf_language(language: str) -> str:
    """The language a PDF is drawn in: the reader's wherever the PDF has fonts for its letters
    (Chinese, English and Vietnamese in the CJK font; Thai, Lao, Burmese and Khmer in their Noto
    font, shaped); otherwise English, so that a reader never gets boxes for letters."""
    base = (language or "").lower()
    code = base.split("-")[0]
    script = LANGUAGE_SCRIPTS.get(code)
    if script is not None:
        if script_font(script) is not None:
            return base
        logger.warning("A PDF for %r is drawn in English: no %s font to draw it.", base, script)
        return "en"
    sample = SCRIPT_SAMPLES.get(code)
    if sample is None:
        return base or "en"
    font = cjk_font()
    return base if font.embedded and _covers(font.source, sample) else "en"


def not_embedded_note(font: Font) -> str:
    """What a PDF's metadata (its keywords) says of its font: nothing when it is embedded."""
    return "" if font.embedded else f"font not embedded: {FALLBACK_FONT}"


# --- text in runs of fonts ----------------------------------------------------------------------

#: A break between two runs that are not parted by a space: a space a hundredth of a point
#: wide (ReportLab breaks a line only at a space, and shapes a word in one font).
BREAK = '<font size="0.01"> </font>'
_WHITESPACE = re.compile(r"(\s+)")
#: Characters that close (no line starts with them) or open (none ends with them).
_CLOSING = set("，。、；：？！）」』】》〉”’,.;:?!)]}%…")
_OPENING = set("（「『【《〈“‘([{")


def _script_of(ch: str) -> str | None:
    """The script of a Thai, Lao, Burmese or Khmer letter whose font is installed, else None."""
    for name, letters in scripts.SEGMENTED.items():
        if letters.match(ch):
            return name if script_font(name) is not None else None
    return None


def _joins(ch: str) -> bool:
    """A character that belongs with the one before it: a mark, a joiner, a selector."""
    return unicodedata.category(ch) in ("Mn", "Mc", "Me") or ch in "\u200c\u200d\ufe0e\ufe0f"


def _breaks(ch: str) -> bool:
    """Whitespace a line may break at (not the no-break spaces, which hold two words together)."""
    return ch.isspace() and ch not in "\xa0\u2007\u202f"


def runs(text: str) -> list[tuple[str | None, str]]:
    """``text`` as (script, run) in order: each run of Thai, Lao, Burmese or Khmer letters (with
    their marks) whose font is installed, named by its script; each run of whitespace, and each
    of the rest (Chinese, Latin, digits, punctuation: the CJK font's), with None."""
    found: list[tuple[str | None, str]] = []
    keys: list[tuple[str | None, bool]] = []
    for ch in text:
        space = _breaks(ch)
        if space:
            kind = None
        elif keys and not keys[-1][1] and _joins(ch):
            kind = keys[-1][0]
        else:
            kind = _script_of(ch)
        if keys and keys[-1] == (kind, space):
            found[-1] = (kind, found[-1][1] + ch)
        else:
            found.append((kind, ch))
            keys.append((kind, space))
    return found


@lru_cache(maxsize=4096)
def _words(script: str, run: str) -> tuple[str, ...]:
    """A run's words by its script's segmenter, kept (the PDFs' sentences come back from the
    catalogues: the Khmer segmenter takes a millisecond or more a sentence)."""
    try:
        words = scripts.cutter(script)(run)
    except Exception:  # a segmenter that cannot load: the run breaks only at its ends
        logger.warning("The %s segmenter failed; a run is kept whole.", script, exc_info=True)
        return (run,)
    return tuple(words) if "".join(words) == run else (run,)


def _pieces(script: str | None, run: str) -> list[str]:
    """Where a line may break inside a run without spaces: between the words of a script's
    segmenter, around each Chinese character (not before a closing or after an opening sign)."""
    if script is not None:
        return list(_words(script, run))
    pieces = [run[:1]]
    for before, ch in itertools.pairwise(run):
        han = scripts.HAN.match(before) or scripts.HAN.match(ch)
        if han and ch not in _CLOSING and before not in _OPENING:
            pieces.append(ch)
        else:
            pieces[-1] += ch
    return pieces


def _font_of(script: str | None) -> tuple[str, ShapedFont | None]:
    """The ReportLab name of the font a run is drawn in, and the font where it is shaped."""
    found = cjk_font() if script is None else script_font(script)
    assert found is not None  # runs() names a script only where its font is installed
    font = pdfmetrics.getFont(found.name)
    return found.name, font if isinstance(font, ShapedFont) else None


def markup(text: str) -> str:
    """``text`` as Paragraph markup drawn in runs: each piece in the font that has its letters
    (``<font name=…>``), a line free to break between two pieces (:data:`BREAK`), every piece
    shaped once here so that the PDF reads its made-up glyphs as their letters."""
    parts: list[str] = []
    touching = False  # the last part is a piece the next one touches
    for script, run in runs(text):
        if _breaks(run[0]):
            parts.append(escape(run))
            touching = False
            continue
        name, font = _font_of(script)
        for piece in _pieces(script, run):
            if font is not None:
                font.learn(piece)
            if touching:
                parts.append(BREAK)
            parts.append(f"<font name={quoteattr(name)}>{escape(piece)}</font>")
            touching = True
    return "".join(parts)


def paragraph(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain ``text`` in a PDF: as written in ``style`` (the CJK font, lines
    broken between any two Chinese characters) where it has no Thai, Lao, Burmese or Khmer
    letters; otherwise drawn in runs of fonts (:func:`markup`), shaped, its lines broken at
    spaces and between words, the lines at least as far apart as the script's font is tall (its
    marks over and under the letters), the style's size and alignment kept."""
    found = [script for script, _run in runs(text) if script is not None]
    if not found:
        return Paragraph(escape(text), style)
    name, _font = _font_of(found[0])
    faces = [font.face for script in set(found) if (font := _font_of(script)[1]) is not None]
    height = max(((face.ascent - face.descent) / 1000 for face in faces), default=0)  # my: 2.2
    shaped = ParagraphStyle(
        f"{style.name}-shaped",
        parent=style,
        fontName=name,
        wordWrap=None,
        shaping=1,
        leading=max(style.leading, style.fontSize * height),
    )
    return Paragraph(markup(text), shaped)
