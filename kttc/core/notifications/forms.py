"""The form of a person's notification preferences: one choice per registered kind."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms

from kttc.core.notifications import kinds as notice_kinds
from kttc.core.notifications.models import Delivery


@dataclass
class Row:
    """One kind on the page: its field, the choice in force and whether off is refused."""

    kind: notice_kinds.Kind
    field: forms.BoundField
    current: str
    slug: str


class PreferencesForm(forms.Form):
    """A radio choice per kind; a kind left out of the post keeps its delivery. A mandatory kind
    offers ``off`` too, so that the service refuses it naming the kind (the page disables it)."""

    def __init__(self, *args: Any, current: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.current = current
        for kind in notice_kinds.kinds():
            self.fields[kind.kind] = forms.ChoiceField(
                label=str(kind.label),  # the form is built per request, in its language
                choices=Delivery.choices,
                widget=forms.RadioSelect,
                required=False,
                initial=current.get(kind.kind, kind.default),
            )

    def changes(self) -> dict[str, str]:
        """The kinds posted with their delivery (after ``is_valid``)."""
        return {k: v for k, v in self.cleaned_data.items() if v}

    def groups(self) -> list[tuple[str, list[Row]]]:
        """The kinds by group, in the order registered, for the page."""
        grouped: dict[str, list[Row]] = {}
        for index, kind in enumerate(notice_kinds.kinds()):
            value = self.data.get(kind.kind) if self.is_bound else None
            row = Row(
                kind=kind,
                field=self[kind.kind],
                current=value or self.current.get(kind.kind, kind.default),
                slug=f"k{index}",
            )
            grouped.setdefault(str(kind.group), []).append(row)
        return list(grouped.items())
