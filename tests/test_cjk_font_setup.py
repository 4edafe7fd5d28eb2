"""The PDF tests that check the embedded CJK font: skipped with the reason on a machine without
one, failed under CI (whose .ci/run installs the font), run wherever the font is."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import NO_CJK_FONT, embedded_cjk_font_or_skip


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
