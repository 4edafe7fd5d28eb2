"""National classification codes used by the results registration form.

GB/T 13745-2009 disciplines: three levels, 3, 5 or 7 digits (the 1992 edition wrote a point after
the first three digits, ``510.10``; it is accepted and dropped). GB/T 4754-2017 industries: a
section letter A–T, then a division (2 digits), group (3) or class (4); the section is derived
from the division's range, so a code such as ``C3562`` must have ``C`` for division 35.
"""

from __future__ import annotations

import re
from typing import Final

from kttc.policy.errors import IdentifierError
from kttc.policy.i18n import gettext_noop

_DISCIPLINE = re.compile(r"^\d{3}(\d{2}){0,2}$")

#: GB/T 4754-2017: the division ranges (大类) of each section (门类).
INDUSTRY_SECTIONS: Final[dict[str, tuple[int, int]]] = {
    "A": (1, 5), "B": (6, 12), "C": (13, 43), "D": (44, 46), "E": (47, 50), "F": (51, 52),
    "G": (53, 60), "H": (61, 62), "I": (63, 65), "J": (66, 69), "K": (70, 70), "L": (71, 72),
    "M": (73, 75), "N": (76, 79), "O": (80, 82), "P": (83, 83), "Q": (84, 85), "R": (86, 90),
    "S": (91, 96), "T": (97, 97),
}  # fmt: skip


def validate_discipline_code(code: str) -> str:
    """GB/T 13745-2009: a 3-, 5- or 7-digit discipline code; returns it without a point."""
    text = code.strip().replace(".", "")
    if not _DISCIPLINE.match(text):
        raise IdentifierError(
            gettext_noop(
                "The discipline code %(code)s is not a GB/T 13745 code: 3, 5 or 7 digits, "
                "such as 520 or 5202010."
            ),
            code="discipline.format",
            field="discipline_code",
            params={"code": code},
        )
    return text


def industry_section(division: int) -> str | None:
    """GB/T 4754-2017: the section letter of a two-digit division, if the division exists."""
    for letter, (first, last) in INDUSTRY_SECTIONS.items():
        if first <= division <= last:
            return letter
    return None


def validate_industry_code(code: str) -> str:
    """GB/T 4754-2017: ``C``, ``C35``, ``C356`` or ``C3562`` (the letter may be left out and is
    then derived); returns the code with its section letter."""
    text = code.strip().upper()
    match = re.fullmatch(r"([A-T])?(\d{2,4})?", text)
    if not text or match is None:
        raise _industry_error(code)
    letter, digits = match.group(1), match.group(2)
    if digits is None:
        return str(letter)
    section = industry_section(int(digits[:2]))
    if section is None or (letter is not None and letter != section):
        raise _industry_error(code)
    return section + digits


def _industry_error(code: str) -> IdentifierError:
    return IdentifierError(
        gettext_noop(
            "The industry code %(code)s is not a GB/T 4754-2017 code: a section letter and a "
            "2- to 4-digit class that belongs to it, such as C3562."
        ),
        code="industry.format",
        field="industry_code",
        params={"code": code},
    )
