"""The CJK font of every PDF the platform draws (notices, statements), registered with ReportLab
once per process.

Chinese needs a CJK font. The first TrueType font found among ``KTTC_CJK_FONT`` (a setting) and
the usual Debian locations (``fonts-wqy-microhei``, ``fonts-wqy-zenhei``, ``fonts-arphic-uming``)
is embedded. Without one, a PDF still renders: it names ReportLab's built-in Adobe CID font
``STSong-Light``, which PDF readers supply themselves (the font is then not embedded, and the
document should say so in its metadata, see :func:`not_embedded_note`), and a warning is logged.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont

logger = logging.getLogger(__name__)

#: Debian's CJK TrueType fonts, in order of preference (a collection's first face is used).
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
)
FALLBACK_FONT = "STSong-Light"


@dataclass(frozen=True)
class Font:
    """A registered font: its ReportLab name, whether the PDF embeds it, the file it came from."""

    name: str
    embedded: bool
    source: str


def _candidates() -> tuple[str, ...]:
    configured = getattr(settings, "KTTC_CJK_FONT", "")
    return (configured, *FONT_CANDIDATES) if configured else FONT_CANDIDATES


@cache
def _register(candidates: tuple[str, ...]) -> Font:
    for path in candidates:
        if not Path(path).is_file():
            continue
        try:
            font = TTFont("KTTC-CJK-" + Path(path).stem, path, subfontIndex=0)
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


#: A sample of the letters each language of the platform writes with, beyond Latin and Chinese.
SCRIPT_SAMPLES = {
    "vi": "Chuyển giao Công nghệ",
    "th": "ศูนย์ถ่ายทอดเทคโนโลยี",
    "lo": "ສູນຖ່າຍທອດເຕັກໂນໂລຊີ",
    "my": "နည်းပညာလွှဲပြောင်းရေး",
    "km": "មជ្ឈមណ្ឌលផ្ទេរបច្ចេកវិទ្យា",
}


@cache
def _covers(path: str, sample: str) -> bool:
    try:
        glyphs = TTFont("KTTC-probe", path, subfontIndex=0).face.charToGlyph
    except Exception:
        return False
    return all(ord(ch) in glyphs for ch in sample if not ch.isspace())


def pdf_language(language: str) -> str:
    """The language a PDF is drawn in: the reader's when the embedded font has its letters
    (Chinese, English and Vietnamese with Debian's WenQuanYi); otherwise English, so that a
    Thai, Lao, Burmese or Khmer reader never gets boxes for letters (their scripts need their
    own fonts and text shaping, which the PDFs do not have yet)."""
    base = (language or "").lower()
    sample = SCRIPT_SAMPLES.get(base.split("-")[0])
    if sample is None:
        return base or "en"
    font = cjk_font()
    return base if font.embedded and _covers(font.source, sample) else "en"


def not_embedded_note(font: Font) -> str:
    """What a PDF's metadata (its keywords) says of its font: nothing when it is embedded."""
    return "" if font.embedded else f"font not embedded: {FALLBACK_FONT}"
