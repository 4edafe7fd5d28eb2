"""National codes in words for the public pages: a discipline (GB/T 13745), an industry
(GB/T 4754), a readiness level (GB/T 22900) and the ways of transformation a result's unit
wants, each in the reader's language (the names live in :mod:`kttc.policy.classifications`)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language

from kttc.policy import classifications
from kttc.registry.choices import TransformationMode

register = template.Library()


def _language() -> str:
    return get_language() or "zh-hans"


@register.filter
def discipline_name(code: Any) -> str:
    return classifications.discipline_name(str(code or ""), _language()) or ""


@register.filter
def industry_name(code: Any) -> str:
    return classifications.industry_name(str(code or ""), _language()) or ""


@register.filter
def readiness_name(level: Any) -> str:
    return classifications.readiness_name(level, _language()) or ""


@register.filter
def mode_names(modes: Any) -> list[str]:
    """The labels of a list of transformation modes (an unknown one stays as it is)."""
    labels = dict(TransformationMode.choices)
    return [str(labels.get(m, m)) for m in modes or []]
