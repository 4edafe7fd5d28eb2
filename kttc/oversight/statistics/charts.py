"""The statistics' charts (M13.3), drawn by pygal on the server as inline SVG.

Nothing is fetched at run time: pygal's tooltip script (from a CDN by default) is left out and
its stylesheets are inlined; the text is the browser's, in the site's font stack, so Chinese,
Thai, Lao, Burmese and Khmer labels show. The SVG has no fixed size (it takes the width of its
box, readable on a 390 px phone: few labels, long names on horizontal bars, truncated), carries
role="img" and is labelled by its title and a sentence saying what it shows; the same figures
are in the table under it."""

from __future__ import annotations

import html
import math
import re
import unicodedata
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
#: The room of a label a chart shows, in pygal's units (the table has it whole).
LABEL_ROOM = 14
MARGIN = 8


#: The widths a chart is drawn at: for a desktop, and for a phone (a 390 px screen shows it
#: about at its size, so its 13 px labels stay readable); the page shows the one that fits.
WIDE, NARROW = 640, 360


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


def fitted(label: str, room: float) -> str:
    """``label`` cut to ``room`` (in pygal's units, 0.6 em: a Chinese character takes about
    1.7 of them), ending in "…" when cut; the table under the chart has it whole."""
    widths = [1.7 if _wide(char) else 1.0 for char in label]
    if sum(widths) <= room:
        return label
    used, kept = 0.0, []
    for char, width in zip(label, widths, strict=True):
        if used + width + 1.0 > room:  # "…" takes one
            break
        kept.append(char)
        used += width
    return "".join(kept) + "…"


def _left_margin(labels: list[str]) -> int:
    """pygal reserves 0.6 em a character for the labels left of horizontal bars; a Chinese
    character takes about 1 em, so the difference is added to the left margin."""
    wider = max((sum(0.4 for c in label if _wide(c)) for label in labels), default=0.0)
    return MARGIN + round(wider * STYLE.label_font_size)


def _grouped(value: float) -> str:
    return f"{value:,.0f}"


def ticks(top: float, most: int) -> list[int]:
    """The value axis's labels: whole numbers from 0 past ``top`` in a round step (1, 2 or 5
    times a power of ten), at most ``most`` steps; a count of 1 is never labelled 0, 0.2 …"""
    if top <= 0:
        return [0, 1]
    ratio = top / most
    power = 10 ** math.floor(math.log10(ratio)) if ratio >= 1 else 1
    step = next(m * power for m in (1, 2, 5, 10) if m * power * most >= top)
    return list(range(0, math.ceil(top / step) * step + 1, step))


def _config(by_month: bool, bars: int, width: int = WIDE) -> dict[str, object]:
    narrow = width < WIDE
    return {
        "style": STYLE,
        "js": [],
        "disable_xml_declaration": True,
        "show_legend": False,
        "explicit_size": False,
        "width": width,
        "height": (260 if narrow else 320) if by_month else max(160, 30 * bars + 50),
        "truncate_label": -1,  # cut by fitted(), which knows a Chinese character is wider
        "print_values": False,
        "margin": MARGIN,
        "x_label_rotation": 45 if by_month else 0,
        "show_minor_x_labels": not by_month or bars <= (3 if narrow else 6),
        "x_labels_major_every": (6 if narrow else 3) if by_month else None,
        # few values on the value axis, grouped by thousands: they must not run into each other
        "min_scale": 2,
        "max_scale": 3 if narrow else 6,
        "value_formatter": _grouped,
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
    # The SVG's text is XML-escaped ("&gt;" for a child selector); a stylesheet is not.
    css = html.unescape(found.group(0).split(">", 1)[1].rsplit("<", 1)[0]) if found else ""
    css = css.replace(f"#chart-{PREFIX}", ".kttc-chart")
    return css + LAYOUT


#: Each chart takes its box's width (up to a readable size); a phone shows the narrow drawing.
LAYOUT = """
.kttc-chart{display:block;width:100%;height:auto;margin:.5rem 0}
.kttc-chart.wide{max-width:820px}
figure.chart{margin:0 0 1rem}
.kttc-chart.narrow{display:none}
@media (max-width:600px){.kttc-chart.wide{display:none}.kttc-chart.narrow{display:block}}
"""


def svg(
    chart_id: str, title: str, description: str, figures: list[Figure], *, by_month: bool,
    amounts: bool,
) -> SafeString:  # fmt: skip
    """A bar chart of ``figures`` (by month: columns in time order; else horizontal bars, the
    largest at the top), labelled for assistive technology by ``title`` and ``description``;
    drawn twice, for a desktop and for a phone (the stylesheet shows one)."""
    return mark_safe(  # noqa: S308 -- pygal's SVG; our text escaped
        _one(chart_id, "wide", WIDE, title, description, figures, by_month, amounts)
        + _one(f"{chart_id}-narrow", "narrow", NARROW, title, description, figures, by_month,
               amounts)
    )  # fmt: skip


def _one(
    chart_id: str, size: str, width: int, title: str, description: str, figures: list[Figure],
    by_month: bool, amounts: bool,
) -> str:  # fmt: skip
    kind = pygal.Bar if by_month else pygal.HorizontalBar
    shown = figures if by_month else list(reversed(figures))
    config = _config(by_month, len(figures), width)
    room = LABEL_ROOM if width == WIDE else LABEL_ROOM - 4
    labels = [f.label if by_month else fitted(f.label, room) for f in shown]
    if not by_month:
        config["margin_left"] = _left_margin(labels)
    values = [float(f.amount or Decimal(0)) if amounts else f.count for f in shown]
    config["y_labels"] = ticks(max(values, default=0), 3 if width < WIDE else 6)
    chart = kind(**config)
    chart.x_labels = labels
    chart.add(title, values)
    drawn = _SCRIPT.sub("", _STYLE.sub("", _drawn(chart), count=1))
    # pygal's own title ("Pygal") and its credits would be read before ours.
    drawn = _COMMENT.sub(
        "", drawn.replace(' style="opacity: 0"', "").replace("<title>Pygal</title>", "")
    )
    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    head, rest = drawn.split(">", 1)
    head = head.replace(
        f'id="chart-{PREFIX}" class="pygal-chart"',
        f'id="{chart_id}" class="pygal-chart kttc-chart {size}" role="img" '
        f'aria-labelledby="{title_id} {desc_id}"',
        1,
    )
    named = (
        f'<title id="{title_id}">{escape(title)}</title>'
        f'<desc id="{desc_id}">{escape(description)}</desc>'
    )
    return f"{head}>{named}{rest}"
