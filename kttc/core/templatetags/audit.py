"""The audit record's rows as people read them (M14.1): ``{{ e|audit_object }}`` the object named
with its kind, ``{{ e|audit_diff }}`` what the decision changed, key by key."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from django import template
from django.apps import apps

register = template.Library()

#: Django's default ``__str__`` ("DeductibleCost object (2)"), kept by entries written before the
#: model had a name of its own.
DEFAULT_STR = re.compile(r"^\w+ object \((?P<pk>[^)]*)\)$")


def _verbose_name(object_type: str) -> str:
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        return ""
    return str(model._meta.verbose_name)


@register.filter
def audit_object(entry: Any) -> str:
    """The object's kind and name: "deductible cost · #2", not "DeductibleCost object (2)"."""
    kind = _verbose_name(entry.object_type)
    name = entry.object_repr
    default = DEFAULT_STR.match(name)
    if default:
        name = f"#{default.group('pk')}"
    return f"{kind} · {name}" if kind else name


@dataclass(frozen=True)
class Change:
    key: str
    before: str
    after: str


def _text(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


@register.filter
def audit_diff(entry: Any) -> list[Change]:
    """The keys whose value the decision changed (or set, or removed), each before and after."""
    before = entry.before if isinstance(entry.before, dict) else {"": entry.before}
    after = entry.after if isinstance(entry.after, dict) else {"": entry.after}
    if entry.before is None:
        before = {}
    if entry.after is None:
        after = {}
    keys = list(dict.fromkeys([*before, *after]))
    return [
        Change(key, _text(before.get(key)), _text(after.get(key)))
        for key in keys
        if before.get(key) != after.get(key) or key not in before or key not in after
    ]
