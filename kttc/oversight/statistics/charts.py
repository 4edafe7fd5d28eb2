"""The statistics' charts (M13.3), drawn by pygal on the server as inline SVG.

Nothing is fetched at run time: pygal's tooltip script (from a CDN by default) is left out and
its stylesheets are inlined; the text is the browser's, in the site's font stack, so Chinese,
Thai, Lao, Burmese and Khmer labels show. The SVG has no fixed size (it takes the width of its
box, readable on a 390 px phone: few labels, long names on horizontal bars, truncated), carries
role="img" and is labelled by its title and a sentence saying what it shows; the same figures
are in the table under it."""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache

import pygal  # type: ignore[import-untyped]
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from pygal.style import Style  # type: ignore[import-untyped]

from kttc.oversight.statistics.selectors import Figure

#: The site's font stack (site.css) and colours (--ink, --muted, --line, --brand).
FONTS = (
    '"Noto Sans CJK SC","WenQuanYi Micro Hei","PingFang SC","Microsoft YaHei",system-ui,'
    '-apple-system,"Segoe UI",Roboto,"Noto Sans Thai","Noto Sans Lao","Noto Sans Myanmar",'
    '"Noto Sans Khmer",sans-serif'
)
STYLE = Style(
    background="transparent",
    plot_background="transparent",
    foreground="#1c2733",
    foreground_strong="#1c2733",
    foreground_subtle="#d9e1e8",
    opacity="1",
    opacity_hover="0.8",
    colors=("#0b6e4f", "#a63d28"),
    font_family=FONTS,
    label_font_family=FONTS,
    major_label_font_family=FONTS,
    value_font_family=FONTS,
    value_label_font_family=FONTS,
    title_font_family=FONTS,
    legend_font_family=FONTS,
    tooltip_font_family=FONTS,
    label_font_size=13,
    major_label_font_size=13,
    value_label_font_size=12,
)
#: The characters of a label a chart shows (the table has it whole).
LABEL_CHARS = 14


def _config(by_month: bool, bars: int) -> dict[str, object]:
    return {
        "style": STYLE,
        "js": [],
        "disable_xml_declaration": True,
        "show_legend": False,
        "explicit_size": False,
        "width": 640,
        "height": 320 if by_month else max(200, 34 * bars + 60),
        "truncate_label": LABEL_CHARS,
        "print_values": False,
        "margin": 8,
        "x_label_rotation": 45 if by_month else 0,
        "show_minor_x_labels": not by_month or bars <= 6,
        "x_labels_major_every": 3 if by_month else None,
        "y_labels_major_every": None,
        "no_data_text": "",
    }


#: The id pygal prefixes its stylesheet with; the stylesheet is served once for every chart
#: (:func:`stylesheet`) under the class ``kttc-chart`` (the pages allow no inline style).
PREFIX = "kttc"
_STYLE = re.compile(r"<style[^>]*>.*?</style>", re.S)
#: pygal writes its configuration for its tooltip script inline even without the script.
_SCRIPT = re.compile(r"<script[^>]*>.*?</script>", re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)


def _drawn(chart: pygal.graph.graph.Graph) -> str:
    chart.uuid = PREFIX
    return str(chart.render(is_unicode=True))


@cache
def stylesheet() -> str:
    """pygal's stylesheet of these charts, for every chart of a page, from the platform."""
    chart = pygal.Bar(**_config(True, 1))
    chart.x_labels = [""]
    chart.add("", [1])
    found = _STYLE.search(_drawn(chart))
    css = found.group(0).split(">", 1)[1].rsplit("<", 1)[0] if found else ""
    css = css.replace(f"#chart-{PREFIX}", ".kttc-chart")
    return css + "\n.kttc-chart{display:block;width:100%;height:auto}\n"


def svg(
    chart_id: str, title: str, description: str, figures: list[Figure], *, by_month: bool,
    amounts: bool,
) -> SafeString:  # fmt: skip
    """A bar chart of ``figures`` (by month: columns in time order; else horizontal bars, the
    largest at the top), labelled for assistive technology by ``title`` and ``description``."""
    kind = pygal.Bar if by_month else pygal.HorizontalBar
    shown = figures if by_month else list(reversed(figures))
    chart = kind(**_config(by_month, len(figures)))
    chart.x_labels = [f.label for f in shown]
    chart.add(title, [float(f.amount or Decimal(0)) if amounts else f.count for f in shown])
    drawn = _SCRIPT.sub("", _STYLE.sub("", _drawn(chart), count=1))
    # pygal's own title ("Pygal") and its credits would be read before ours.
    drawn = _COMMENT.sub(
        "", drawn.replace(' style="opacity: 0"', "").replace("<title>Pygal</title>", "")
    )
    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    head, rest = drawn.split(">", 1)
    head = head.replace(
        f'id="chart-{PREFIX}" class="pygal-chart"',
        f'id="{chart_id}" class="pygal-chart kttc-chart" role="img" '
        f'aria-labelledby="{title_id} {desc_id}"',
        1,
    )
    labels = (
        f'<title id="{title_id}">{escape(title)}</title>'
        f'<desc id="{desc_id}">{escape(description)}</desc>'
    )
    return mark_safe(f"{head}>{labels}{rest}")  # noqa: S308 -- pygal's SVG; our text escaped
