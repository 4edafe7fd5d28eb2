"""A summary of a page's form errors at its top, each linking to its field: a refusal is seen
at once, however long the page and wherever the form sits on it (GOV.UK's error summary
pattern; WCAG 3.3.1)."""

from __future__ import annotations

from typing import Any

from django import template
from django.forms import BaseForm

register = template.Library()

#: How deep into the context's dictionaries forms are looked for (``forms.distribute``).
DEPTH = 2


def _forms(value: Any, depth: int, found: list[BaseForm]) -> None:
    if isinstance(value, BaseForm):
        if value.is_bound and value.errors and all(f is not value for f in found):
            found.append(value)
    elif isinstance(value, dict) and depth > 0:
        for item in value.values():
            _forms(item, depth - 1, found)


@register.inclusion_tag("includes/error_summary.html", takes_context=True)
def error_summary(context: Any) -> dict[str, Any]:
    """The errors of every bound form of the page: (link to the field or "", label, message)."""
    found: list[BaseForm] = []
    for layer in context.dicts:
        for value in layer.values():
            _forms(value, DEPTH, found)
    rows: list[tuple[str, str, str]] = []
    for form in found:
        for name, messages in form.errors.items():
            field = form.fields.get(name)
            if name == "__all__" or field is None:
                rows += [("", "", str(m)) for m in messages]
                continue
            link = f"#{form[name].auto_id}" if form[name].auto_id else ""
            rows += [(link, str(field.label or name), str(m)) for m in messages]
    return {"rows": rows}
