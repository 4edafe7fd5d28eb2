"""The PDF tests that check the embedded CJK font, or a Thai, Lao, Burmese or Khmer font: skipped
with the reason on a machine without it, failed under CI (whose .ci/run installs the fonts), run
wherever the font is."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import NO_CJK_FONT, embedded_cjk_font_or_skip, script_font_or_skip
from kttc.core import fonts


@dataclass
class _Font:
    embedded: bool


def test_without_a_cjk_font_the_pdf_tests_skip_with_the_reason(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="fonts-wqy-microhei"):
        embedded_cjk_font_or_skip(_Font(embedded=False))


def test_under_ci_a_missing_cjk_font_fails_instead_of_skipping(monkeypatch):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI installs it"):
        embedded_cjk_font_or_skip(_Font(embedded=False))
    embedded_cjk_font_or_skip(_Font(embedded=True))  # and with the font, nothing to say


def test_ci_installs_the_font_file_the_pdfs_embed():
    script = (Path(__file__).resolve().parent.parent / ".ci" / "run").read_text()
    assert "fonts-wqy-microhei" in script and "wqy-microhei.ttc" in script
    assert "KTTC_CJK_FONT" in NO_CJK_FONT


@pytest.fixture
def without_thai_font(monkeypatch, settings):
    settings.KTTC_SCRIPT_FONTS = {}
    monkeypatch.setitem(fonts.SCRIPT_FONT_CANDIDATES, "thai", ("/nonexistent/NotoSansThai.ttf",))
    fonts._register_script.cache_clear()
    yield
    fonts._register_script.cache_clear()


def test_without_a_script_font_its_pdf_tests_skip_with_the_reason(monkeypatch, without_thai_font):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="fonts-noto-core"):
        script_font_or_skip("thai")


def test_under_ci_a_missing_script_font_fails_instead_of_skipping(monkeypatch, without_thai_font):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI installs it"):
        script_font_or_skip("thai")


def test_the_set_up_installs_the_script_fonts_and_harfbuzz():
    root = Path(__file__).resolve().parent.parent
    script = (root / ".ci" / "run").read_text()
    assert "for script in Thai Lao Myanmar Khmer" in script and "fonts-noto-core" in script
    checked = "/usr/share/fonts/truetype/noto/NotoSans{}-Regular.ttf"
    assert checked.format("${script}") in script
    assert [found[0] for found in fonts.SCRIPT_FONT_CANDIDATES.values()] == [
        checked.format(name) for name in ("Thai", "Lao", "Myanmar", "Khmer")
    ]
    assert '"uharfbuzz>=' in (root / "pyproject.toml").read_text()  # make install: pip -e .
