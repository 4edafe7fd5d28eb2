"""Forms of the payroll pages (M5.1): the roster, a row per person; the layout, a row per
column; the roster's file to import.

The roster's numbers (identity document, bank account) are never sent back to the browser: their
inputs come empty, showing the stored number masked, and an input left empty keeps it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kttc.benefits.contracts import statements
from kttc.benefits.payroll import services
from kttc.benefits.payroll.choices import IdDocument
from kttc.benefits.payroll.models import RosterEntry
from kttc.benefits.payroll.selectors import ShownEntry
from kttc.core import parsing, rows
from kttc.core.errors import translated_message
from kttc.core.text import TextGuardMixin
from kttc.policy import payroll as rules
from kttc.policy.errors import PolicyError
from kttc.policy.payroll import Column

#: How many empty lines the roster offers for people not yet on a distribution.
NEW_LINES = 3
#: The most lines a roster form takes (a unit's teams are far fewer).
MAX_LINES = 2000
#: The roster's data fields, in the order of the page's columns.
DATA = ("staff_number", "id_type", "id_number", "bank_name", "bank_account")
#: The fields left empty to keep what is stored (they are never shown whole).
KEPT_WHEN_EMPTY = ("id_number", "bank_account")


def data_label(field: str) -> str:
    """The column header of a roster field, in the active language."""
    return statements.column_label(Column(field))


def _text(limit: int, *, placeholder: str = "") -> forms.CharField:
    attrs = {"placeholder": placeholder, "autocomplete": "off"} if placeholder else {}
    return forms.CharField(
        required=False, max_length=limit, widget=forms.TextInput(attrs=attrs), strip=False
    )


class RosterForm(TextGuardMixin, forms.Form):
    """A line per person: the people of the unit's teams (their names fixed), then a few empty
    lines to add someone by name. Cleaning checks each line as the service will (a resident
    identity card's number by its check character) and puts a refusal beside its cell."""

    def __init__(
        self,
        data: Any = None,
        *,
        people: list[ShownEntry],
        entries: dict[str, RosterEntry],
        **kwargs: Any,
    ) -> None:
        super().__init__(data, **kwargs)
        self.entries = entries
        if self.is_bound:
            count = parsing.integer(self.data.get("lines"), minimum=0, maximum=MAX_LINES) or 0
            names = [str(self.data.get(f"r{i}-name", "")) for i in range(count)]
            known = [self.data.get(f"r{i}-new") != "1" for i in range(count)]
        else:
            names = [p.name for p in people] + [""] * NEW_LINES
            known = [True] * len(people) + [False] * NEW_LINES
        self.lines: list[dict[str, Any]] = []
        for index, (name, fixed) in enumerate(zip(names, known, strict=True)):
            self._add_line(index, name, fixed)

    def _add_line(self, index: int, name: str, known: bool) -> None:
        entry = self.entries.get(" ".join(name.split())) if known else None
        shown = name or gettext("New person")
        prefix = f"r{index}-"
        name_field = _text(rules.MAX_NAME_CHARS)
        name_field.label = gettext("Name of the new person")
        if known:
            name_field.widget = forms.HiddenInput()
        self.fields[prefix + "name"] = name_field
        self.fields[prefix + "new"] = forms.CharField(required=False, widget=forms.HiddenInput())
        self.fields[prefix + "staff_number"] = _text(rules.MAX_STAFF_NUMBER_CHARS)
        self.fields[prefix + "id_type"] = forms.ChoiceField(
            required=False, choices=[("", "—"), *IdDocument.choices]
        )
        self.fields[prefix + "id_number"] = _text(
            rules.MAX_DOCUMENT_CHARS, placeholder=rules.mask(entry.id_number) if entry else ""
        )
        self.fields[prefix + "bank_name"] = _text(rules.MAX_BANK_NAME_CHARS)
        self.fields[prefix + "bank_account"] = _text(
            40, placeholder=rules.mask(entry.bank_account) if entry else ""
        )
        self.fields[prefix + "remove"] = forms.BooleanField(required=False)
        for field in DATA:
            self.fields[prefix + field].label = f"{shown} · {data_label(field)}"
        self.fields[prefix + "remove"].label = f"{shown} · {gettext('Take off the roster')}"
        self.initial[prefix + "name"] = name
        self.initial[prefix + "new"] = "" if known else "1"
        if entry is not None:
            for field in ("staff_number", "id_type", "bank_name"):
                self.initial[prefix + field] = getattr(entry, field)
        self.lines.append({"index": index, "name": name, "known": known, "entry": entry})

    def shown_lines(self) -> list[dict[str, Any]]:
        """The lines with their bound fields, for the page."""
        return [
            {
                **line,
                "shown": rules.mask(line["entry"].id_number) if line["entry"] else "",
                "account": rules.mask(line["entry"].bank_account) if line["entry"] else "",
                "fields": {f: self[f"r{line['index']}-{f}"] for f in (*DATA, "name", "remove")},
                "hidden": [self[f"r{line['index']}-new"]],
            }
            for line in self.lines
        ]

    def _change(self, index: int) -> services.RosterChange | None:
        data = self.cleaned_data
        prefix = f"r{index}-"
        name = data.get(prefix + "name") or ""
        values = {f: data.get(prefix + f) or "" for f in DATA}
        remove = bool(data.get(prefix + "remove"))
        if not name.strip():
            if any(values.values()):
                self.add_error(prefix + "name", gettext("Give the person's name."))
            return None
        kept = {f: (None if f in KEPT_WHEN_EMPTY and not values[f] else values[f]) for f in DATA}
        return services.RosterChange(name=name, remove=remove, **kept)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or self.cleaned_data
        self.changes: list[services.RosterChange] = []
        self.change_lines: list[int] = []
        for line in self.lines:
            change = self._change(line["index"])
            if change is None:
                continue
            if not change.remove:
                entry = self.entries.get(" ".join(change.name.split()))
                try:
                    services.check_change(change, entry)
                except PolicyError as error:
                    self.refuse_line(line["index"], error)
                    continue
            self.changes.append(change)
            self.change_lines.append(line["index"])
        return cleaned

    def refuse_line(self, index: int, error: PolicyError) -> None:
        """A rule's refusal beside the cell of line ``index`` it names."""
        name = f"r{index}-{error.field}"
        self.add_error(name if name in self.fields else None, translated_message(error))


def layout_field() -> rows.RowsField:
    """The row editor of the layout: a column chosen by its name in the active language (any
    value passes, for the rule to refuse an unknown one naming its line) and its header."""
    choices = [(c.value, statements.column_label(c)) for c in Column]
    return rows.RowsField(
        columns=[
            rows.Column(
                "column", gettext("Column"), rows.ChoiceCell(choices=choices, strict=False)
            ),
            rows.Column(
                "header",
                gettext("Header in the file"),
                forms.CharField(required=False, max_length=200),
                width="wide",
            ),
        ],
        label=gettext("Columns of the payroll file"),
        help_text=gettext(
            "One line per column, in the file's order; the header is what your payroll office's "
            "import reads (M5.1: the name, the amount and the mark outside the cap are needed)."
        ),
        max_rows=len(Column) + 5,
        orderable=True,
    )


class LayoutForm(TextGuardMixin, forms.Form):
    """M5.1: the payroll's columns, a line each, in the file's order, with their headers."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["columns"] = layout_field()

    def lines(self) -> list[tuple[str, str]]:
        return [(row["column"], row["header"]) for row in self.cleaned_data["columns"]]


class RosterImportForm(TextGuardMixin, forms.Form):
    """M5.1: the roster as a file (xlsx or csv), a line per person."""

    file = forms.FileField(label=_("Roster file (xlsx or csv)"))
