"""``{{ organisation.country|country_name }}``: a country or region named in the reader's
language (ISO 3166-1 alpha-2, :mod:`kttc.core.countries`)."""

from __future__ import annotations

from django import template

from kttc.core import countries

register = template.Library()


@register.filter
def country_name(code: object) -> str:
    return countries.country_name(str(code or ""))
