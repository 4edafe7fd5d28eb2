"""``{{ user|may_request_evaluation }}``: whether the person may request an evaluation (M10.1),
so that a result's public page offers the request only to those who can make it."""

from __future__ import annotations

from typing import Any

from django import template

from kttc.center.evaluation import selectors

register = template.Library()


@register.filter
def may_request_evaluation(user: Any) -> bool:
    return bool(user.is_authenticated and selectors.requesters_of(user).exists())
