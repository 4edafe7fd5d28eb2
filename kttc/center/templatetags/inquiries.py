"""The result page's contact block: the unit, its public contact and "ask a question"."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import template
from django.template.loader import select_template
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from kttc.center.inquiries import selectors as reads
from kttc.core.web import acting_user

register = template.Library()

#: The verified badge's include, where the platform has it.
BADGE = "includes/verified_badge.html"


@register.simple_tag(takes_context=True)
def ask_url(context: dict[str, Any], achievement: Any) -> str:
    """Where "ask a question / express interest" leads: the form (through the sign-in page for
    a visitor), or "" for a signed-in person who cannot ask (no enterprise or broker role)."""
    target = reverse("inquiries:ask", args=[achievement.pk])
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return f"{reverse('login')}?{urlencode({'next': target})}"
    return target if reads.askers_of(acting_user(request)).exists() else ""


@register.simple_tag(takes_context=True)
def verified_badge(context: dict[str, Any], organisation: Any) -> SafeString:
    """The verified badge of ``organisation`` where the platform's include exists, else nothing."""
    try:
        found = select_template([BADGE])
    except template.TemplateDoesNotExist:
        return mark_safe("")
    flat = context.flatten() if hasattr(context, "flatten") else dict(context)
    return mark_safe(found.render({**flat, "organisation": organisation}))  # noqa: S308 (rendered)
