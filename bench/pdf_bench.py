"""Time to draw one notice PDF (M1.5) in each language, beside Chinese as the baseline.

Chinese, English and Vietnamese are drawn in the CJK font alone; Thai, Lao, Burmese and Khmer
in runs of their Noto font (shaped by HarfBuzz, their lines broken between words by the
segmenters) and the CJK font for the record's Chinese names. The notice is built from unsaved
records (no database): the figures are ReportLab's drawing, not queries.

    .venv/bin/python bench/pdf_bench.py              # 30 draws per language
    .venv/bin/python bench/pdf_bench.py --runs 100

It prints, per language, the first draw in the process (registering the fonts, loading the
segmenter's dictionary or model), then the median and p95 of the next draws, their ratio to
Chinese, and the PDF's size.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

LANGUAGES = ("zh-hans", "en", "vi", "th", "lo", "my", "km")


def _notice():  # type: ignore[no-untyped-def]
    from kttc.core.models import Organisation
    from kttc.reform.empowerment.models import EmpowermentApplication, EmpowermentNotice
    from kttc.registry.achievements.models import Achievement

    unit = Organisation(name="春城测试大学", name_en="Chuncheng Test University")
    application = EmpowermentApplication(
        achievement=Achievement(name="一种高原特色农产品品质无损检测方法及其装置"),
        unit=unit,
        right="long_term_use",
        term_years=10,
        team=["李明", "王芳", "Chen Jie"],
        partners=["云岭智造科技有限公司"],
        summary="与云岭智造共同开展中试，三年内实现产业化。",
    )
    published = dt.date(2026, 11, 25)
    return EmpowermentNotice(
        application=application,
        published_on=published,
        days=15,
        min_days=15,
        last_day=published + dt.timedelta(days=15),
        grant_from=published + dt.timedelta(days=16),
        text_sha256="ab" * 32,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()

    import django

    django.setup()
    from kttc.core import fonts
    from kttc.reform.empowerment import pdf

    notice = _notice()
    print(f"CJK font: {fonts.cjk_font().source or fonts.FALLBACK_FONT}")
    rows = []
    for language in LANGUAGES:
        drawn_in = fonts.pdf_language(language)
        started = time.perf_counter()
        body = pdf.notice_pdf(notice, language=drawn_in)
        first = time.perf_counter() - started
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            pdf.notice_pdf(notice, language=drawn_in)
            times.append(time.perf_counter() - started)
        times.sort()
        rows.append((language, drawn_in, first, statistics.median(times),
                     times[int(0.95 * (len(times) - 1))], len(body)))  # fmt: skip
    base = rows[0][3]
    print(f"{'language':<9} {'drawn in':<9} {'first ms':>9} {'median ms':>10} {'p95 ms':>8} "
          f"{'x zh':>6} {'KiB':>6}")  # fmt: skip
    for language, drawn_in, first, median, p95, size in rows:
        print(f"{language:<9} {drawn_in:<9} {first * 1000:>9.1f} {median * 1000:>10.1f} "
              f"{p95 * 1000:>8.1f} {median / base:>6.2f} {size / 1024:>6.1f}")  # fmt: skip


if __name__ == "__main__":
    main()
