"""The fonts of the platform's PDFs: the configured or a Debian CJK font embedded, or ReportLab's
CID font named instead, and the document says which; Thai, Lao, Burmese and Khmer in their Noto
fonts, shaped, a mixed line drawn in runs of fonts, and English where a script's font is
missing."""

from __future__ import annotations

import io
import logging
import re
from pathlib import Path

import pytest
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import SimpleDocTemplate

from conftest import (
    embedded_cjk_font_or_skip,
    pdf_font_names,
    pdf_text,
    readable,
    script_font_or_skip,
)
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


@pytest.fixture
def fresh_script_fonts():
    """The script fonts registered anew around a test that changes where they are found."""
    fonts._register_script.cache_clear()
    yield
    fonts._register_script.cache_clear()


@pytest.mark.parametrize(("language", "script"), sorted(fonts.LANGUAGE_SCRIPTS.items()))
def test_a_pdf_is_drawn_in_thai_lao_burmese_and_khmer_with_their_fonts(language, script):
    font = script_font_or_skip(script)
    assert fonts.pdf_language(language) == language
    assert font.embedded and Path(font.source).name.startswith("Noto")
    assert pdfmetrics.getFont(font.name).shapable  # HarfBuzz shapes it


@pytest.mark.parametrize(("language", "script"), sorted(fonts.LANGUAGE_SCRIPTS.items()))
def test_without_its_font_a_script_s_pdfs_are_drawn_in_english_with_a_warning(
    language, script, monkeypatch, settings, caplog, fresh_script_fonts
):
    """No boxes for letters on a machine without the script's font: English, and a warning."""
    settings.KTTC_SCRIPT_FONTS = {}
    monkeypatch.setitem(fonts.SCRIPT_FONT_CANDIDATES, script, ("/nonexistent/Noto.ttf",))
    with caplog.at_level(logging.WARNING, logger="kttc.core.fonts"):
        assert fonts.script_font(script) is None
        assert fonts.pdf_language(language) == "en"
    assert f"No {script} TrueType font found" in caplog.text
    assert "fonts-noto-core" in caplog.text
    assert fonts.runs("ไทย ລາວ မြန်မာ ខ្មែរ")  # text of that script still splits, in the CJK font


def test_a_configured_script_font_comes_first(settings, fresh_script_fonts):
    path = script_font_or_skip("thai").source
    serif = path.replace("NotoSansThai", "NotoSerifThai")
    if not Path(serif).is_file():
        pytest.skip(f"{serif} is not installed")
    fonts._register_script.cache_clear()
    settings.KTTC_SCRIPT_FONTS = {"thai": serif}
    assert fonts.script_font("thai").source == serif


def test_a_mixed_line_is_cut_into_runs_of_scripts():
    script_font_or_skip("thai")
    assert fonts.runs("ผลงาน: 新型电池 3.5V") == [
        ("thai", "ผลงาน"),
        (None, ":"),
        (None, " "),
        (None, "新型电池"),
        (None, " "),
        (None, "3.5V"),
    ]
    # marks stay with their letter, a line may break between two words (not inside a cluster)
    assert fonts.runs("ที่") == [("thai", "ที่")]
    assert fonts._pieces("thai", "ประกาศการมอบสิทธิ") == ["ประกาศ", "การ", "มอบ", "สิทธิ"]
    assert fonts._pieces(None, "科技成果（M1.5）。") == ["科", "技", "成", "果", "（M1.5）。"]


def test_a_line_without_those_scripts_is_drawn_as_before():
    style = ParagraphStyle("kttc", fontName=fonts.cjk_font().name, wordWrap="CJK")
    drawn = fonts.paragraph("科技成果 <M1.5> & Co", style)
    assert drawn.style is style and drawn.text == "科技成果 &lt;M1.5&gt; &amp; Co"


def _pdf(*lines: str, size: float = 11) -> bytes:
    style = ParagraphStyle("kttc", fontName=fonts.cjk_font().name, fontSize=size, leading=18)
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, invariant=True).build([fonts.paragraph(x, style) for x in lines])
    return buffer.getvalue()


def test_a_thai_line_with_a_chinese_name_is_drawn_in_both_fonts():
    thai = script_font_or_skip("thai")
    cjk = fonts.cjk_font()
    embedded_cjk_font_or_skip(cjk)
    markup = fonts.markup("ผลงาน新型锂电池")
    assert f'<font name="{thai.name}">' in markup and f'<font name="{cjk.name}">' in markup
    assert fonts.BREAK in markup  # each word shaped in its own font
    body = _pdf("ผลงาน: 新型锂电池 (ทีม) ผลงาน新型锂电池ที่ดี 3.5V")
    assert {"NotoSansThai-Regular", _pdf_name(cjk)} <= pdf_font_names(body)
    text = pdf_text(body)
    assert readable("ผลงาน: 新型锂电池 (ทีม)") in text
    assert readable("ผลงาน新型锂电池ที่ดี 3.5V") in text


def _pdf_name(font: fonts.Font) -> str:
    """A font's name in a PDF (a collection's face with its index appended)."""
    face = pdfmetrics.getFont(font.name).face
    return (face.name + face.subfontNameX).decode()


@pytest.mark.parametrize(
    ("script", "word"),
    [("thai", "หน้าที่"), ("lao", "ສະຫຼຸບ"), ("khmer", "ស្តីពី"), ("myanmar", "နှင်း")],
)
def test_a_shaped_glyph_reads_back_as_its_letters(script, word):
    """HarfBuzz draws ่ over ี, Khmer's subscript ្ត, Burmese's ှ with glyphs of no character
    of their own: the PDF maps each to the letters it stands for, so that text is copied and
    searched as written."""
    script_font_or_skip(script)
    text = pdf_text(_pdf(word))
    assert readable(word) in text and not any(0xE000 <= ord(ch) < 0xF900 for ch in text)


def test_a_mark_s_rise_ends_with_its_cluster():
    """ReportLab 5.1 forgot a text rise set in place of another, leaving the rest of the line as
    low as a Khmer mark; kttc.core.fonts mends it while it is so: each word starts at the line's
    baseline."""
    assert fonts._rise_kept()
    script_font_or_skip("khmer")
    rise, words = b"0", 0
    for found in re.finditer(rb"(-?[\d.]+) Ts|Tf", _pdf_uncompressed("បញ្ចូលក្នុងប្រាក់លើក")):
        if found.group(1) is not None:
            rise = found.group(1)
        else:
            assert rise == b"0"
            words += 1
    assert words >= 4 and rise == b"0"


def _pdf_uncompressed(line: str) -> bytes:
    style = ParagraphStyle("kttc", fontName=fonts.cjk_font().name, fontSize=20, leading=30)
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pageCompression=0).build([fonts.paragraph(line, style)])
    return buffer.getvalue()


def test_burmese_lines_are_as_far_apart_as_its_font_is_tall():
    font = script_font_or_skip("myanmar")
    style = ParagraphStyle("kttc", fontName=fonts.cjk_font().name, fontSize=10, leading=15)
    face = pdfmetrics.getFont(font.name).face
    drawn = fonts.paragraph("အများသိကြေညာချက်", style)
    assert drawn.style.leading == pytest.approx(10 * (face.ascent - face.descent) / 1000)
    assert drawn.style.leading > 20 and drawn.style.shaping and drawn.style.wordWrap is None


def test_a_pdf_is_drawn_in_chinese_english_and_vietnamese_as_read():
    font = fonts.cjk_font()
    embedded_cjk_font_or_skip(font)
    assert fonts.pdf_language("zh-hans") == "zh-hans"
    assert fonts.pdf_language("en") == "en"
    assert fonts.pdf_language("vi") == "vi"  # WenQuanYi has the Vietnamese letters
