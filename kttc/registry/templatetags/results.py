"""``{% result_name achievement %}``: a result's name in the reader's language where the unit
translated it, the original (Chinese, marked with its ``lang``) otherwise — the one choice every
list of results makes (the catalog, the transaction page, open licensing, listings, the back
office). Lists load the translations of a page at once with
:func:`kttc.registry.selectors.with_readings`; a result not loaded so is looked up alone."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from kttc.registry.selectors import reading_in

register = template.Library()


@register.simple_tag
def result_name(achievement: Any) -> SafeString:
    if achievement is None:
        return format_html("")
    reading = reading_in(achievement)
    if reading is not None:
        return format_html("{}", reading.name)
    return format_html('<span lang="zh-Hans">{}</span>', achievement.name)
