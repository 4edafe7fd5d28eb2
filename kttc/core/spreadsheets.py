"""The one guard every xlsx and csv the platform writes goes through (CSV injection).

Names, titles and messages are typed by people. A cell whose text starts with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return is read by a spreadsheet as a formula (``=HYPERLINK(...)``
sends whoever clicks it anywhere, ``=cmd|...`` asks to run a program). So:

- in csv such a text is written with a leading apostrophe, which spreadsheets read as "text";
- in xlsx it is written as a text cell (never a formula) carrying Excel's own "quote prefix"
  mark, so that it stays text even when someone edits it; the text itself is kept.

Characters XML cannot hold (NUL, ESC, ...; refused at validation since, but possibly in older
rows) are left out, so that one such text never makes an export fail for everyone.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from openpyxl.cell import Cell, WriteOnlyCell

from kttc.policy.text import printable

#: What makes a spreadsheet read a cell as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_START)


def csv_cell(value: Any) -> Any:
    """A value as written to a csv file: a text never starts like a formula."""
    if isinstance(value, str):
        value = printable(value)
        if looks_like_formula(value):
            return "'" + value
    return value


def csv_row(values: Iterable[Any]) -> list[Any]:
    return [csv_cell(value) for value in values]


def xlsx_cell(sheet: Any, value: Any) -> Cell:
    """A cell of ``sheet`` holding ``value``; a text is always a text cell, never a formula."""
    if isinstance(value, str):
        value = printable(value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # openpyxl takes a text starting with "=" for a formula
        if looks_like_formula(value):
            cell.quotePrefix = True
    return cell


def xlsx_row(sheet: Any, values: Iterable[Any]) -> list[Cell]:
    """The cells of a row to append to ``sheet`` (write-only or not)."""
    return [xlsx_cell(sheet, value) for value in values]


__all__ = ["FORMULA_START", "csv_cell", "csv_row", "looks_like_formula", "xlsx_cell", "xlsx_row"]
