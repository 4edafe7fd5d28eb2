"""M5.1: what a unit's payroll office needs to pay the cash rewards of a distribution: the
columns of its payroll file (which, in which order, under which headers) and each person's
payroll data (staff number, identity document, bank account).

M5.1 makes a person's cash reward a line of its own in the unit's pay: the payroll export carries
the person, the amount and the mark that the reward is outside the performance-pay cap, so a
layout without those is refused. The payroll office imports the file by its own headers, so the
unit chooses them; two columns under one header could not be told apart, and are refused too.

Pure Python: the payroll services store what these functions accept.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from enum import StrEnum
from typing import Final

from kttc.policy.errors import PolicyError, refuse
from kttc.policy.i18n import gettext_noop
from kttc.policy.identifiers import validate_resident_id
from kttc.policy.text import check_text

_M5_1: Final = ("M5.1",)


class Column(StrEnum):
    """A column the payroll export can carry."""

    DISTRIBUTION = "distribution"
    CONTRACT = "contract"
    REGISTRATION_NUMBER = "registration_number"
    PERIOD = "period"
    BENEFICIARY = "beneficiary"
    NAME = "name"
    SHARE = "share"
    AMOUNT = "amount"
    OUTSIDE_CAP = "outside_cap"
    STAFF_NUMBER = "staff_number"
    ID_TYPE = "id_type"
    ID_NUMBER = "id_number"
    BANK_NAME = "bank_name"
    BANK_ACCOUNT = "bank_account"


#: The columns the export has carried since M5.1 was built, then the person's payroll data: the
#: layout of a unit that has not chosen its own (an office importing the former file by column
#: position finds its columns where they were).
DEFAULT_COLUMNS: Final[tuple[Column, ...]] = (
    Column.DISTRIBUTION,
    Column.CONTRACT,
    Column.REGISTRATION_NUMBER,
    Column.PERIOD,
    Column.BENEFICIARY,
    Column.NAME,
    Column.SHARE,
    Column.AMOUNT,
    Column.OUTSIDE_CAP,
    Column.STAFF_NUMBER,
    Column.ID_NUMBER,
    Column.BANK_NAME,
    Column.BANK_ACCOUNT,
)
#: M5.1: who is paid, how much, and that the reward is outside the performance-pay cap.
REQUIRED_COLUMNS: Final[tuple[Column, ...]] = (Column.NAME, Column.AMOUNT, Column.OUTSIDE_CAP)
#: The columns that come from the person's payroll data (empty when there is none).
ROSTER_COLUMNS: Final[tuple[Column, ...]] = (
    Column.STAFF_NUMBER,
    Column.ID_TYPE,
    Column.ID_NUMBER,
    Column.BANK_NAME,
    Column.BANK_ACCOUNT,
)
MAX_HEADER_CHARS: Final = 60
MAX_NAME_CHARS: Final = 100  # as a distribution line's name
MAX_STAFF_NUMBER_CHARS: Final = 40
MAX_DOCUMENT_CHARS: Final = 40
MAX_BANK_NAME_CHARS: Final = 100
BANK_ACCOUNT_DIGITS: Final = (8, 30)
#: How many characters of a number a page shows (the rest masked).
SHOWN_CHARS: Final = 4
MASK: Final = "****"


class IdDocument(StrEnum):
    """The identity document a person is paid under: a resident identity card's number is
    checked (GB 11643-1999); the others are kept as typed."""

    RESIDENT_ID = "resident_id"
    PASSPORT = "passport"
    HK_MACAO_PERMIT = "hk_macao_permit"
    TAIWAN_PERMIT = "taiwan_permit"
    FOREIGN_PERMANENT_ID = "foreign_permanent_id"
    OTHER = "other"


# --- the layout ---------------------------------------------------------------------------------


def _layout_error(template: str, code: str, **params: object) -> PolicyError:
    return refuse(template, code, "columns", _M5_1, **params)


def _header(line: int, header: str) -> str:
    check_text(header, field="columns")
    text = " ".join(header.split())
    if not text:
        raise _layout_error(
            gettext_noop("Line %(line)s: give the column a header."),
            "payroll.header_empty",
            line=line,
        )
    if len(text) > MAX_HEADER_CHARS:
        raise _layout_error(
            gettext_noop("Line %(line)s: a header has at most %(max)s characters."),
            "payroll.header_long",
            line=line,
            max=MAX_HEADER_CHARS,
        )
    return text


def check_layout(columns: Sequence[tuple[str, str]]) -> tuple[tuple[Column, str], ...]:
    """M5.1: a unit's payroll layout, as ``(column, header)`` lines in the file's order: each
    column known and once, each header given, at most :data:`MAX_HEADER_CHARS` characters and
    unlike the others (the payroll office imports by header), and the name, the amount and the
    mark outside the performance-pay cap among them. Headers are kept with inner spaces folded.
    Each refusal names its line."""
    layout: list[tuple[Column, str]] = []
    seen: dict[Column, int] = {}
    headers: dict[str, int] = {}
    for line, (key, header) in enumerate(columns, start=1):
        try:
            column = Column(key)
        except ValueError:
            raise _layout_error(
                gettext_noop("Line %(line)s: “%(column)s” is not a column the payroll can carry."),
                "payroll.column_unknown",
                line=line,
                column=key,
            ) from None
        if column in seen:
            raise _layout_error(
                gettext_noop("Line %(line)s: this column is on line %(first)s already."),
                "payroll.column_twice",
                line=line,
                first=seen[column],
            )
        text = _header(line, header)
        folded = text.casefold()
        if folded in headers:
            raise _layout_error(
                gettext_noop(
                    "Line %(line)s: the header “%(header)s” is on line %(first)s already; the "
                    "payroll office could not tell the columns apart."
                ),
                "payroll.header_twice",
                line=line,
                header=text,
                first=headers[folded],
            )
        seen[column], headers[folded] = line, line
        layout.append((column, text))
    missing = [c for c in REQUIRED_COLUMNS if c not in seen]
    if missing:
        raise _layout_error(
            gettext_noop(
                "The payroll carries the name, the amount and the mark that the reward is "
                "outside the performance-pay cap; add %(columns)s."
            ),
            "payroll.column_required",
            columns=", ".join(c.value for c in missing),
        )
    return tuple(layout)


# --- a person's payroll data --------------------------------------------------------------------


def _folded(text: str) -> str:
    """Full-width characters (typed with a Chinese input method) as ASCII, blanks dropped."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def _bounded(text: str, field: str, limit: int) -> str:
    check_text(text, field=field)
    value = " ".join(text.split())
    if len(value) > limit:
        raise refuse(
            gettext_noop("At most %(max)s characters; this has %(length)s."),
            "payroll.too_long",
            field,
            _M5_1,
            max=limit,
            length=len(value),
        )
    return value


def check_name(name: str) -> str:
    """M5.1: the person's name, as the distribution lines name her."""
    value = _bounded(name, "name", MAX_NAME_CHARS)
    if not value:
        raise refuse(gettext_noop("Give the person's name."), "required", "name", _M5_1)
    return value


def check_staff_number(text: str) -> str:
    """M5.1: the person's staff number in the unit (工号), as the unit writes it."""
    return _bounded(text, "staff_number", MAX_STAFF_NUMBER_CHARS)


def check_bank_name(text: str) -> str:
    """M5.1: the bank (and branch) of the person's account."""
    return _bounded(text, "bank_name", MAX_BANK_NAME_CHARS)


def check_bank_account(text: str) -> str:
    """M5.1: a bank account number: 8 to 30 digits. Spaces and hyphens, as printed on a card,
    and full-width digits are accepted and dropped."""
    value = _folded(text).replace("-", "")
    low, high = BANK_ACCOUNT_DIGITS
    if not value:
        return ""
    if not (value.isascii() and value.isdigit()):
        raise refuse(
            gettext_noop("A bank account number is digits only (spaces and hyphens aside)."),
            "payroll.account_digits",
            "bank_account",
            _M5_1,
        )
    if not low <= len(value) <= high:
        raise refuse(
            gettext_noop(
                "A bank account number has %(min)s to %(max)s digits; this one has %(length)s."
            ),
            "payroll.account_length",
            "bank_account",
            _M5_1,
            min=low,
            max=high,
            length=len(value),
        )
    return value


def check_document(kind: str, number: str) -> tuple[str, str]:
    """M5.1: the person's identity document and its number: a resident identity card's number
    is checked (GB 11643-1999, its ISO 7064 MOD 11-2 check character); another document's is
    kept as typed (at most :data:`MAX_DOCUMENT_CHARS` characters). A number needs its kind; a
    kind without a number is kept (the number to come)."""
    text = _bounded(number, "id_number", MAX_DOCUMENT_CHARS)
    if not kind:
        if text:
            raise refuse(
                gettext_noop("Say which identity document the number is of."),
                "payroll.document_kind",
                "id_type",
                _M5_1,
            )
        return "", ""
    try:
        document = IdDocument(kind)
    except ValueError:
        raise refuse(
            gettext_noop("“%(kind)s” is not an identity document the payroll takes."),
            "payroll.document_unknown",
            "id_type",
            _M5_1,
            kind=kind,
        ) from None
    if text and document is IdDocument.RESIDENT_ID:
        text = validate_resident_id(text, field="id_number")
    return document.value, text


def mask(number: str) -> str:
    """A number as a page shows it: only its last :data:`SHOWN_CHARS` characters (none of a
    number that short), the rest one mask of fixed length, so that its length is not told."""
    if not number:
        return ""
    return MASK + (number[-SHOWN_CHARS:] if len(number) > SHOWN_CHARS else "")


__all__ = [
    "DEFAULT_COLUMNS",
    "REQUIRED_COLUMNS",
    "ROSTER_COLUMNS",
    "Column",
    "IdDocument",
    "check_bank_account",
    "check_bank_name",
    "check_document",
    "check_layout",
    "check_name",
    "check_staff_number",
    "mask",
]
