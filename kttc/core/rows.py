"""Row editors: a list of like things (completing units, completers, IP rights, shares, payment
stages, a cap table) entered a line at a time, one input per column, in every form that takes one.

The same field serves every list, so that every list is entered the same way:

* each line is a row of inputs, each input labelled by its column and line;
* "Add a line", "Remove" and, where the order matters, "Move up" are submit buttons of the form
  (``_add`` / ``_remove`` / ``_up``): without a
  script the page comes back with the line added or removed and nothing checked yet; with htmx
  only the editor is swapped (``hx-select``), the new line's first input focused;
* several lines can be pasted at once (from a spreadsheet: cells separated by a tab or ";");
  the posted text of the field's own name is read as such lines, so a client that posts the
  former one-line-per-entry text is understood too;
* cleaning checks every cell with its column's field and names the line and the column of each
  error; the cleaned value is a list of dicts, one per non-blank line.

A view calls :func:`ready` instead of ``form.is_valid()``: a press of "Add a line" or "Remove"
re-renders the form without checking it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.forms.utils import ErrorDict
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kttc.core.text import TextValidator, _bound_integer

#: The most lines a row editor takes (a cap table or a team is far shorter).
MAX_ROWS = 200

ADD = "_add"
REMOVE = "_remove"
UP = "_up"


@dataclass(frozen=True)
class Column:
    """One column of a row editor: its posted name, its header and the field that checks it."""

    name: str
    label: str | Promise
    field: forms.Field
    #: a width class of the input: ``narrow`` (a number, a date), ``wide`` (a title) or "".
    width: str = ""


class ChoiceCell(forms.ChoiceField):
    """A cell chosen from a list, shown as a select with an empty first choice (so that an
    untouched line stays blank). Pasted text may give the code, the label in the reader's
    language, or a name ``aliases`` knows (the import template's Chinese labels). With
    ``strict=False`` a value outside the list is passed on as typed, for the rules to refuse
    citing their clause."""

    def __init__(
        self,
        *,
        choices: Any,
        aliases: Callable[[str], str | None] | None = None,
        strict: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(choices=[("", "—"), *choices], **kwargs)
        self.aliases = aliases
        self.strict = strict

    def to_python(self, value: Any) -> str:
        text = super().to_python(value)
        code = self.aliases(text) if self.aliases else None
        if code:
            return str(code)
        for key, label in self.choices:  # type: ignore[misc,union-attr]
            if key and text.lower() in (str(key).lower(), str(label).lower()):
                return str(key)
        return text

    def valid_value(self, value: Any) -> bool:
        return super().valid_value(value) or not self.strict


class Posted(list[dict[str, str]]):
    """The lines as posted (not the form's initial value), with the line to focus, if any."""

    focus: int | None = None


def _split(line: str, separators: str) -> list[str]:
    return [cell.strip() for cell in re.split(f"[{re.escape(separators)}]", line)]


def parse_lines(text: str, columns: Sequence[Column], separators: str) -> list[dict[str, str]]:
    """Pasted text as lines of cells: one line per entry, cells in the columns' order. Extra
    cells go to the last column (a title may hold a separator)."""
    rows = []
    for line in text.splitlines()[: MAX_ROWS + 1]:
        if not line.strip():
            continue
        cells = _split(line, separators)
        if len(cells) > len(columns):
            joiner = "\t" if "\t" in line else separators[0] + " "
            cells = [*cells[: len(columns) - 1], joiner.join(cells[len(columns) - 1 :])]
        rows.append({c.name: (cells[i] if i < len(cells) else "") for i, c in enumerate(columns)})
    return rows


def _count(value: Any) -> int:
    try:
        return max(0, min(int(str(value)), MAX_ROWS + 1))
    except (TypeError, ValueError):
        return 0


def _blank(row: Mapping[str, Any]) -> bool:
    return not any(str(v if v is not None else "").strip() for v in row.values())


class RowsWidget(forms.Widget):
    template_name = "core/widgets/rows.html"

    def __init__(
        self,
        columns: Sequence[Column],
        *,
        separators: str = ";；\t",
        paste_help: str | Promise = "",
        orderable: bool = False,
        attrs: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(attrs)
        self.columns = list(columns)
        self.separators = separators
        self.paste_help = paste_help
        self.orderable = orderable

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Posted:
        removed = data.get(REMOVE)
        rows = Posted()
        for i in range(_count(data.get(f"{name}-count"))):
            if removed == f"{name}-{i}":
                continue
            rows.append({c.name: str(data.get(f"{name}-{i}-{c.name}", "")) for c in self.columns})
        pasted = data.get(name)
        if pasted:
            kept = [r for r in rows if not _blank(r)]
            rows = Posted([*kept, *parse_lines(str(pasted), self.columns, self.separators)])
        if data.get(ADD) == name:
            rows.append({c.name: "" for c in self.columns})
            rows.focus = len(rows) - 1
        up = str(data.get(UP, ""))
        if self.orderable and up.startswith(f"{name}-"):
            index = _count(up[len(name) + 1 :])
            if 0 < index < len(rows):
                rows[index - 1], rows[index] = rows[index], rows[index - 1]
                rows.focus = index - 1
        return rows

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return f"{name}-count" not in data and name not in data

    def id_for_label(self, id_: str) -> str:
        return id_

    def _lines(self, value: Any) -> tuple[list[dict[str, str]], int | None]:
        if isinstance(value, Posted):
            rows = list(value) or [{c.name: "" for c in self.columns}]
            return rows, value.focus
        if isinstance(value, str):
            rows = parse_lines(value, self.columns, self.separators)
        else:
            rows = [
                {c.name: "" if r.get(c.name) is None else str(r.get(c.name)) for c in self.columns}
                for r in (value or [])
            ]
        return [*rows, {c.name: "" for c in self.columns}], None  # room for one more

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        base = (attrs or {}).get("id") or f"id_{name}"
        rows, focus = self._lines(value)
        lines = []
        for i, row in enumerate(rows):
            cells: list[dict[str, Any]] = []
            for column in self.columns:
                cell_id = f"{base}-{i}-{column.name}"
                cell_attrs: dict[str, Any] = {"id": cell_id}
                if column.width:
                    cell_attrs["class"] = column.width
                if focus == i and not cells:
                    cell_attrs["autofocus"] = True
                html = column.field.widget.render(
                    f"{name}-{i}-{column.name}", row.get(column.name, ""), cell_attrs
                )
                cells.append({"id": cell_id, "label": column.label, "input": html})
            lines.append({"index": i, "number": i + 1, "cells": cells})
        context["widget"].update(
            base_id=base,
            columns=self.columns,
            lines=lines,
            count=len(rows),
            paste_help=self.paste_help,
            separators=self.separators,
            orderable=self.orderable,
        )
        return context


class RowsField(forms.Field):
    """A list entered as rows; cleans to a list of dicts (one per non-blank line), each cell
    checked by its column's field, each error naming its line and column."""

    widget = RowsWidget

    def __init__(
        self,
        columns: Sequence[Column],
        *,
        separators: str = ";；\t",
        paste_help: str | Promise = "",
        max_rows: int = MAX_ROWS,
        orderable: bool = False,
        **kwargs: Any,
    ) -> None:
        self.columns = list(columns)
        self.separators = separators
        self.max_rows = min(max_rows, MAX_ROWS)
        for column in self.columns:
            if isinstance(column.field, forms.CharField):
                column.field.validators.append(TextValidator(multiline=False))
            if isinstance(column.field, forms.IntegerField):
                _bound_integer(column.field)
        kwargs.setdefault(
            "widget",
            RowsWidget(
                self.columns, separators=separators, paste_help=paste_help, orderable=orderable
            ),
        )
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> list[dict[str, str]]:
        if isinstance(value, str):
            value = parse_lines(value, self.columns, self.separators)
        return [r for r in (value or []) if not _blank(r)]

    def clean(self, value: Any) -> list[dict[str, Any]]:
        rows = self.to_python(value)
        if self.required and not rows:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        if len(rows) > self.max_rows:
            raise forms.ValidationError(
                _("At most %(count)s lines."), code="max_rows", params={"count": self.max_rows}
            )
        cleaned: list[dict[str, Any]] = []
        errors: list[forms.ValidationError] = []
        for number, row in enumerate(rows, start=1):
            out: dict[str, Any] = {}
            for column in self.columns:
                raw = row.get(column.name, "")
                try:
                    text = raw.strip() if isinstance(raw, str) else raw
                    out[column.name] = column.field.clean(text)
                except forms.ValidationError as exc:
                    for message in exc.messages:
                        errors.append(
                            forms.ValidationError(
                                _("Line %(line)s, %(column)s: %(message)s"),
                                code="row",
                                params={"line": number, "column": column.label, "message": message},
                            )
                        )
            cleaned.append(out)
        if errors:
            raise forms.ValidationError(errors)
        return cleaned


def editing(data: Any) -> bool:
    """Whether the post was a press of "Add a line", "Remove" or "Move up" (not the form's
    submit)."""
    return data is not None and (ADD in data or REMOVE in data or UP in data)


def ready(form: forms.BaseForm) -> bool:
    """``form.is_valid()``, except that a press of "Add a line" or "Remove" is not a submit:
    the form is then shown again as posted, with no errors, and nothing is done."""
    if not form.is_bound:
        return False
    if editing(form.data):
        form._errors = ErrorDict()  # type: ignore[attr-defined]
        form.cleaned_data = {}
        return False
    return form.is_valid()


__all__ = ["ChoiceCell", "Column", "RowsField", "RowsWidget", "editing", "parse_lines", "ready"]
