"""The notice of empowerment (M1.5) as a printable PDF, drawn with ReportLab in the platform's
fonts (:mod:`kttc.core.fonts`): the CJK font (embedded where a TrueType font is installed;
otherwise the CID fallback, and the document's metadata says it is not embedded), and Thai, Lao,
Burmese and Khmer text in runs of its script's font, shaped."""

from __future__ import annotations

import io

from django.utils import translation
from django.utils.translation import gettext
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer

from kttc.core.fonts import cjk_font, not_embedded_note, paragraph
from kttc.reform.empowerment import documents
from kttc.reform.empowerment.models import EmpowermentNotice


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
    small = ParagraphStyle(
        "kttc-small", parent=base, fontSize=8, leading=11, textColor=HexColor("#4f5f6f")
    )
    story = [paragraph(title, heading), Spacer(1, 6 * mm)]
    story += [paragraph(line, base) for line in body.splitlines() if line.strip()]
    story += [Spacer(1, 10 * mm), paragraph(footer, small)]
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
        keywords=[not_embedded_note(font)],
        invariant=True,
    )
    doc.build(story)
    return buffer.getvalue()
