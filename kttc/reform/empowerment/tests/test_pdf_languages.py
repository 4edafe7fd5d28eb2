"""M1.5: the notice PDF in Thai, Lao, Burmese and Khmer: drawn in the reader's language with the
script's Noto font embedded and shaped, the Chinese names of the record in the CJK font beside
it, and read back (copied, searched) as written; in English where the script's font is missing.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from conftest import pdf_font_names, pdf_text, readable, script_font_or_skip, words_read_back
from kttc.core import fonts
from kttc.reform.empowerment import pdf
from kttc.reform.tests.factories import to_notice

pytestmark = pytest.mark.django_db
HEADING = "Notice of the empowerment of a service achievement"
NOTO = {"thai": "NotoSansThai", "lao": "NotoSansLao", "myanmar": "NotoSansMyanmar",
        "khmer": "NotoSansKhmer"}  # fmt: skip


@pytest.mark.parametrize(("language", "script"), sorted(fonts.LANGUAGE_SCRIPTS.items()))
def test_m1_5_the_notice_pdf_is_drawn_in_thai_lao_burmese_and_khmer(
    client, personas, rules, result, language, script
):
    script_font_or_skip(script)
    notice = to_notice(personas, result)
    client.force_login(personas.researcher)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    response = client.get(reverse("reform:notice_pdf", args=[notice.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    body = response.content
    # the script's font embedded (a subset, with its glyph outlines), the CJK font beside it
    names = pdf_font_names(body)
    assert f"{NOTO[script]}-Regular" in names and b"/FontFile2" in body
    assert any(name.startswith("WenQuanYi") for name in names) or not fonts.cjk_font().embedded
    with translation.override(language):
        heading = gettext(HEADING)
    assert heading != HEADING  # the catalogue translates it
    text = pdf_text(body)
    if script in ("thai", "lao"):  # written as drawn: the whole heading reads back
        assert readable(heading) in text
    words = words_read_back(language, heading)
    assert len(words) >= 3 and [w for w in words if w not in text] == []
    assert "(M1.5)" in text and notice.text_sha256 in text
    assert result.name in text  # the result's Chinese name, in the CJK font


def test_m1_5_a_thai_notice_without_the_thai_font_is_drawn_in_english(
    client, personas, rules, result, monkeypatch, settings, caplog
):
    """Never a server error, never boxes: the notice in English, and a warning in the log."""
    notice = to_notice(personas, result)
    settings.KTTC_SCRIPT_FONTS = {}
    monkeypatch.setitem(fonts.SCRIPT_FONT_CANDIDATES, "thai", ("/nonexistent/NotoSansThai.ttf",))
    fonts._register_script.cache_clear()
    client.force_login(personas.researcher)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "th"
    try:
        with caplog.at_level("WARNING", logger="kttc.core.fonts"):
            response = client.get(reverse("reform:notice_pdf", args=[notice.pk]))
    finally:
        fonts._register_script.cache_clear()
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert "NotoSansThai-Regular" not in pdf_font_names(response.content)
    assert "drawn in English" in caplog.text
    if fonts.cjk_font().embedded:
        assert readable(HEADING) in pdf_text(response.content)


def test_m1_5_a_thai_notice_names_a_thai_partner_in_thai(personas, rules, result):
    """A line mixing scripts (a Chinese unit, a Thai partner) is drawn in runs of both fonts."""
    script_font_or_skip("thai")
    notice = to_notice(personas, result, partners=["บริษัท ไทยเทค จำกัด", "云岭智造科技有限公司"])
    body = pdf.notice_pdf(notice, language="th")
    text = pdf_text(body)
    assert readable("บริษัทไทยเทคจำกัด") in text  # ำ reads back as ํา
    assert "云岭智造科技有限公司" in text
    assert "NotoSansThai-Regular" in pdf_font_names(body)
