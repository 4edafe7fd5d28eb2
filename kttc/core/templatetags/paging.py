"""Pages of a list: the hidden fields that keep a list's filters when a person jumps to a page."""

from __future__ import annotations

from django import template
from django.http import QueryDict
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag
def query_fields(querystring: str) -> SafeString:
    """Hidden inputs for each parameter of ``querystring`` (the list's filters, without its
    page), so a "go to page" form keeps them."""
    params = QueryDict(querystring or "")
    pairs = [(key, value) for key in params for value in params.getlist(key)]
    if not pairs:
        return SafeString("")
    return format_html_join("", '<input type="hidden" name="{}" value="{}">', pairs)
