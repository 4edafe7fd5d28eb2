"""``{% organisation_name organisation %}``: an organisation's name as the reader reads it
(:func:`kttc.core.countries.name_for_reader`), marked with the language it is written in (an
English name on an English page needs no mark)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import SafeString

from kttc.core.countries import NAME_LANGUAGE, name_for_reader

register = template.Library()


@register.simple_tag
def organisation_name(organisation: Any) -> SafeString:
    if organisation is None:
        return format_html("")
    page = translation.get_language() or "zh-hans"
    text, language = name_for_reader(
        organisation.name, organisation.name_en, organisation.country, page
    )
    if not language or (language == "en" and page.lower().startswith("en")):
        return format_html("{}", text)
    return format_html('<span lang="{}">{}</span>', language, text)


@register.filter
def name_language(country: Any) -> str:
    """The language a party of ``country`` writes its name in ("" when the platform does not
    know it), for the ``lang`` of a name typed as text (a contract's counterparty)."""
    return NAME_LANGUAGE.get(str(country or ""), "")
