"""Errors the interfaces turn into one shape: a code, a translated message, the field at fault
and the clauses at stake. Rules raise ``kttc.policy.errors.PolicyError``; services add these for
access and existence."""

from __future__ import annotations

from django.utils.translation import gettext

from kttc.core.dates import localized_params
from kttc.policy.errors import PolicyError
from kttc.policy.i18n import gettext_noop


class AccessDenied(PolicyError):
    """The person's memberships do not allow this."""

    def __init__(
        self, template: str = gettext_noop("You are not allowed to do this."), **kw: object
    ) -> None:
        kw.setdefault("code", "access.denied")
        super().__init__(template, **kw)  # type: ignore[arg-type]


class NotFound(PolicyError):
    """Nothing the person may see has this id."""

    def __init__(self, template: str = gettext_noop("Not found."), **kw: object) -> None:
        kw.setdefault("code", "not_found")
        super().__init__(template, **kw)  # type: ignore[arg-type]


def translated_message(error: PolicyError, *, dates_as_read: bool = True) -> str:
    """The message in the active language, prefixed with the clauses it cites; a date among
    its parameters (ISO) reads as the reader's language writes it, unless ``dates_as_read`` is
    false (the API's messages keep ISO dates, as its data does)."""
    params = {
        key: gettext(value) if isinstance(value, str) else value
        for key, value in error.params.items()
    }
    if dates_as_read:
        params = localized_params(params)
    text = gettext(error.template)
    if params:
        text = text % params
    if error.clauses and not text.startswith(error.clauses[0]):
        text = f"{', '.join(error.clauses)}: {text}"
    return text


def error_payload(error: PolicyError) -> dict[str, object]:
    """The one error shape of the API (and of JSON answers on the web)."""
    return {
        "error": {
            "code": error.code,
            "message": translated_message(error, dates_as_read=False),
            "field": error.field,
            "clauses": list(error.clauses),
        }
    }
