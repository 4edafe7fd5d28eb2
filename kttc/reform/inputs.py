"""Form inputs the reform's mechanisms share: a date field's widget and one entry per line."""

from __future__ import annotations

from django import forms

DATE = forms.DateInput(attrs={"type": "date"})


def lines(text: str) -> list[str]:
    """The non-blank lines of ``text``, stripped."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]
