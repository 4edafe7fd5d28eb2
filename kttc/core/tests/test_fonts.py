"""The one CJK font set-up of the platform's PDFs: the configured or a Debian font embedded, or
ReportLab's CID font named instead, and the document says which."""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.pdfbase import pdfmetrics

from conftest import embedded_cjk_font_or_skip
from kttc.core import fonts


def test_without_a_truetype_font_the_pdfs_name_the_cid_font_and_say_so(
    settings, monkeypatch, tmp_path
):
    settings.KTTC_CJK_FONT = str(tmp_path / "missing.ttc")
    monkeypatch.setattr(fonts, "FONT_CANDIDATES", (str(tmp_path / "also-missing.ttf"),))
    font = fonts.cjk_font()
    assert font == fonts.Font(fonts.FALLBACK_FONT, False, "")
    assert pdfmetrics.getFont(font.name)  # registered with ReportLab
    assert fonts.not_embedded_note(font) == f"font not embedded: {fonts.FALLBACK_FONT}"


def test_a_file_that_is_no_font_is_passed_over(settings, monkeypatch, tmp_path):
    broken = tmp_path / "broken.ttf"
    broken.write_bytes(b"not a font")
    settings.KTTC_CJK_FONT = str(broken)
    monkeypatch.setattr(fonts, "FONT_CANDIDATES", ())
    assert not fonts.cjk_font().embedded


def test_the_configured_font_comes_first_and_is_embedded(settings, monkeypatch):
    found = [p for p in fonts.FONT_CANDIDATES if Path(p).is_file()]
    font_file = found[0] if found else ""
    settings.KTTC_CJK_FONT = font_file
    monkeypatch.setattr(fonts, "FONT_CANDIDATES", ())
    font = fonts.cjk_font()
    embedded_cjk_font_or_skip(font)
    assert (font.source, font.embedded, fonts.not_embedded_note(font)) == (font_file, True, "")
    assert font.name == "KTTC-CJK-" + Path(font_file).stem


@pytest.mark.parametrize("language", ["th", "lo", "my", "km"])
def test_a_pdf_for_a_script_the_font_lacks_is_drawn_in_english(language):
    """No boxes for letters: Thai, Lao, Burmese and Khmer readers get the PDF in English until the
    PDFs have those scripts' fonts and text shaping."""
    assert fonts.pdf_language(language) == "en"


def test_a_pdf_is_drawn_in_chinese_english_and_vietnamese_as_read():
    font = fonts.cjk_font()
    embedded_cjk_font_or_skip(font)
    assert fonts.pdf_language("zh-hans") == "zh-hans"
    assert fonts.pdf_language("en") == "en"
    assert fonts.pdf_language("vi") == "vi"  # WenQuanYi has the Vietnamese letters
