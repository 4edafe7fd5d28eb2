"""The notice of empowerment (M1.5) as a printable PDF, drawn with ReportLab.

Chinese needs a CJK font. The first TrueType font found among ``KTTC_CJK_FONT`` (a setting)
and the usual Debian locations (``fonts-wqy-microhei``, ``fonts-wqy-zenhei``,
``fonts-arphic-uming``) is embedded. Without one, the PDF still renders: it names ReportLab's
built-in Adobe CID font ``STSong-Light``, which PDF readers supply themselves (the font is then
not embedded, and the document says so in its metadata), and a warning is logged.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from kttc.reform.empowerment import documents
from kttc.reform.empowerment.models import EmpowermentNotice

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
    name: str
    embedded: bool
    source: str


def _candidates() -> list[str]:
    configured = getattr(settings, "KTTC_CJK_FONT", "")
    return [configured, *FONT_CANDIDATES] if configured else list(FONT_CANDIDATES)


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
    return _register(tuple(_candidates()))


def notice_pdf(notice: EmpowermentNotice, *, language: str) -> bytes:
    """M1.5: the notice in ``language`` on A4, with the SHA-256 of the text of record."""
    font = cjk_font()
    application = notice.application
    with translation.override(language):
        text = documents.render_text(
            "reform/notice.txt", application, language=language, period=notice.as_policy()
        )
        title, _, body = text.partition("\n")
        footer = gettext(
            "Published on the platform on %(date)s. SHA-256 of the text of record: %(hash)s"
        ) % {"date": notice.published_on.isoformat(), "hash": notice.text_sha256}
        subject = gettext("Notice of the empowerment of a service achievement")
    base = ParagraphStyle(
        "kttc", fontName=font.name, fontSize=11, leading=18, wordWrap="CJK", spaceAfter=4
    )
    heading = ParagraphStyle("kttc-title", parent=base, fontSize=16, leading=24, alignment=1)
    small = ParagraphStyle("kttc-small", parent=base, fontSize=8, leading=11, textColor="#4f5f6f")
    story = [Paragraph(escape(title), heading), Spacer(1, 6 * mm)]
    story += [Paragraph(escape(line), base) for line in body.splitlines() if line.strip()]
    story += [Spacer(1, 10 * mm), Paragraph(escape(footer), small)]
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
        title=subject,
        subject="M1.5",
        author=application.unit.name,
        keywords="" if font.embedded else f"font not embedded: {FALLBACK_FONT}",
        invariant=True,
    )
    doc.build(story)
    return buffer.getvalue()
