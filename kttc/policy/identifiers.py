"""National identifiers: the unified social credit code, Chinese patent application numbers and
the citizen identity number.

Each code is parsed and checked here, once, so that forms, the API, imports and demo data refuse
the same typing errors with the same message. The algorithms follow the national standards as
recorded (with recomputed worked examples) in ``shared/policy/CONVENTIONS.md``:

* GB 32100-2015, the 18-character unified social credit code (统一社会信用代码) of every
  organisation, with a mod-31 check character;
* GB 11714-1997, the organisation code (组织机构代码) that positions 9–17 of a credit code usually
  carry, with its own mod-11 check character — checked as a *warning* only;
* ZC 0006-2003, the patent application number (专利申请号): 12 digits since 1 October 2003,
  8 digits before, then a point and a mod-11 check character; the patent number is ``ZL`` + it;
* GB 11643-1999, the citizen identity number (公民身份号码) of a resident identity card:
  6 digits of the address code, the date of birth, 3 digits of order and an ISO 7064
  MOD 11-2 check character (a person's payroll data, M5.1).

Input is forgiving about form (surrounding and inner spaces, lower case, full-width characters
typed with a Chinese input method, ``ZL``/``CN`` prefixes) and strict about substance.
"""

from __future__ import annotations

import dataclasses
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Final

from kttc.policy.errors import IdentifierError
from kttc.policy.i18n import gettext_noop

# --------------------------------------------------------------------------------------------
# Shared input clean-up
# --------------------------------------------------------------------------------------------


def _normalise(text: str) -> str:
    """Fold full-width forms to ASCII (NFKC), drop every whitespace character, upper-case.

    A Chinese input method easily yields ``９１５１…`` or ``２０１７．３``; NFKC maps those to
    ASCII, and ``str.split`` also removes the ideographic space U+3000.
    """
    folded = unicodedata.normalize("NFKC", text)
    return "".join(folded.split()).upper()


@dataclass(frozen=True)
class IdentifierWarning:
    """A doubt about a code that is not a reason to refuse it.

    Like :class:`~kttc.policy.errors.PolicyError` it carries a ``gettext_noop`` template and its
    parameters, so that the interfaces can translate it; :attr:`message` is the English text.
    """

    template: str
    code: str
    field: str
    params: Mapping[str, object] = dataclasses.field(default_factory=dict)

    @property
    def message(self) -> str:
        """The English message with its parameters filled in."""
        return self.template % dict(self.params)


# --------------------------------------------------------------------------------------------
# Unified social credit code, GB 32100-2015
# --------------------------------------------------------------------------------------------

USCC_FIELD: Final = "credit_code"
USCC_LENGTH: Final = 18
#: The 31 characters of a credit code, by value 0–30: no I, O, Z, S or V (GB 32100-2015).
USCC_ALPHABET: Final = "0123456789ABCDEFGHJKLMNPQRTUWXY"
#: Weight of position i (1-based) is 3^(i-1) mod 31: 1, 3, 9, 27, 19, 26, 16, 17, 20, …, 28.
USCC_WEIGHTS: Final[tuple[int, ...]] = tuple(pow(3, i, 31) for i in range(USCC_LENGTH - 1))
_USCC_VALUE: Final[Mapping[str, int]] = {char: value for value, char in enumerate(USCC_ALPHABET)}


def _uscc_check_alphabet(text: str) -> None:
    """Refuse the first character of ``text`` that is not in the credit-code alphabet."""
    for position, char in enumerate(text, start=1):
        if char not in _USCC_VALUE:
            raise IdentifierError(
                gettext_noop(
                    "Character %(position)s of the unified social credit code, "
                    "“%(character)s”, is not allowed: the code uses the digits and the capital "
                    "letters except I, O, S, V and Z (GB 32100-2015)."
                ),
                code="uscc.alphabet",
                field=USCC_FIELD,
                params={"position": position, "character": char},
            )


def uscc_check_char(body: str) -> str:
    """GB 32100-2015: the check character (position 18) of a credit code's first 17 characters.

    C18 = (31 − Σ Ci·Wi mod 31) mod 31 with Wi = 3^(i−1) mod 31, mapped back through
    :data:`USCC_ALPHABET`. ``body`` is normalised like a full code; a body that is not 17
    characters of the alphabet raises :class:`IdentifierError`.
    """
    body = _normalise(body)
    if len(body) != USCC_LENGTH - 1:
        raise IdentifierError(
            gettext_noop(
                "The body of a unified social credit code must have 17 characters; "
                "it has %(length)s."
            ),
            code="uscc.body_length",
            field=USCC_FIELD,
            params={"length": len(body)},
        )
    _uscc_check_alphabet(body)
    total = sum(_USCC_VALUE[char] * weight for char, weight in zip(body, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def validate_uscc(code: str) -> str:
    """GB 32100-2015: return the normalised 18-character credit code, or raise IdentifierError.

    Normalisation strips spaces (also inside the code), folds full-width characters and
    upper-cases. The refusals, in order: ``uscc.length``, ``uscc.alphabet`` (naming the first
    bad character among the first 17), ``uscc.check_char`` (naming the expected check
    character).
    """
    normalised = _normalise(code)
    if len(normalised) != USCC_LENGTH:
        raise IdentifierError(
            gettext_noop(
                "The unified social credit code must have 18 characters; it has %(length)s."
            ),
            code="uscc.length",
            field=USCC_FIELD,
            params={"length": len(normalised)},
        )
    # A wrong last character is reported as a wrong check character (naming the right one),
    # even when it is outside the alphabet, e.g. the ``Z`` of the standard's negative example.
    expected = uscc_check_char(normalised[:-1])
    actual = normalised[-1]
    if actual != expected:
        raise IdentifierError(
            gettext_noop(
                "The unified social credit code does not check: the check character should be "
                "%(expected)s, not %(actual)s (GB 32100-2015)."
            ),
            code="uscc.check_char",
            field=USCC_FIELD,
            params={"expected": expected, "actual": actual},
        )
    return normalised


def is_valid_uscc(code: str) -> bool:
    """GB 32100-2015: whether ``code`` is a well-formed credit code with a correct check."""
    try:
        validate_uscc(code)
    except IdentifierError:
        return False
    return True


def make_uscc(body17: str) -> str:
    """GB 32100-2015: the full credit code for a 17-character body (for demo data and tests)."""
    body = _normalise(body17)
    return body + uscc_check_char(body)


# --------------------------------------------------------------------------------------------
# Organisation code, GB 11714-1997 (positions 9–17 of a credit code)
# --------------------------------------------------------------------------------------------

ORGANISATION_CODE_FIELD: Final = "organisation_code"
#: Weights of the 8 body characters of an organisation code (GB 11714-1997).
ORGANISATION_CODE_WEIGHTS: Final[tuple[int, ...]] = (3, 7, 9, 10, 5, 8, 4, 2)
_ORGANISATION_CODE_CHARS: Final = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def organisation_code_check_char(body8: str) -> str:
    """GB 11714-1997: the check character of an organisation code's 8 body characters.

    Values are 0–9 for digits and A=10 … Z=35; C9 = 11 − (Σ Ci·Wi mod 11) with weights
    3, 7, 9, 10, 5, 8, 4, 2, written ``X`` for 10 and ``0`` for 11.
    """
    body = _normalise(body8)
    if len(body) != len(ORGANISATION_CODE_WEIGHTS):
        raise IdentifierError(
            gettext_noop(
                "The body of an organisation code must have 8 characters; it has %(length)s."
            ),
            code="orgcode.length",
            field=ORGANISATION_CODE_FIELD,
            params={"length": len(body)},
        )
    for position, char in enumerate(body, start=1):
        if char not in _ORGANISATION_CODE_CHARS:
            raise IdentifierError(
                gettext_noop(
                    "Character %(position)s of the organisation code, “%(character)s”, is not "
                    "a digit or a capital letter (GB 11714-1997)."
                ),
                code="orgcode.alphabet",
                field=ORGANISATION_CODE_FIELD,
                params={"position": position, "character": char},
            )
    total = sum(
        _ORGANISATION_CODE_CHARS.index(char) * weight
        for char, weight in zip(body, ORGANISATION_CODE_WEIGHTS, strict=True)
    )
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def uscc_organisation_code_issue(code: str) -> IdentifierWarning | None:
    """GB 11714-1997 on GB 32100-2015 positions 9–17: a translatable warning, or None.

    ``code`` must be a valid credit code (else :class:`IdentifierError`, as
    :func:`validate_uscc`). Positions 9–17 normally hold the organisation code with its own
    check character; a mismatch hints at a typing error that happens to pass the outer check,
    but some registrations carry no organisation code there, so it is a warning, not a refusal.
    """
    normalised = validate_uscc(code)
    inner = normalised[8:17]
    expected = organisation_code_check_char(inner[:8])
    actual = inner[8]
    if actual == expected:
        return None
    return IdentifierWarning(
        template=gettext_noop(
            "Positions 9–17 of the unified social credit code (%(organisation_code)s) do not "
            "pass the organisation code check: the last of them should be %(expected)s, not "
            "%(actual)s (GB 11714-1997). Please compare the code with the business licence."
        ),
        code="uscc.organisation_code",
        field=USCC_FIELD,
        params={"organisation_code": inner, "expected": expected, "actual": actual},
    )


def uscc_organisation_code_warning(code: str) -> str | None:
    """GB 11714-1997 on GB 32100-2015 positions 9–17: the English warning text, or None.

    See :func:`uscc_organisation_code_issue`, which returns the translatable form.
    """
    issue = uscc_organisation_code_issue(code)
    return None if issue is None else issue.message


# --------------------------------------------------------------------------------------------
# Chinese patent application numbers, ZC 0006-2003
# --------------------------------------------------------------------------------------------

PATENT_FIELD: Final = "patent_number"
#: China's Patent Law took effect on 1 April 1985: no application is older.
FIRST_PATENT_YEAR: Final = 1985
#: ZC 0006-2003 took effect on 1 October 2003: the 8-digit form ends and the 12-digit one starts
#: in that year.
TWELVE_DIGIT_FORM_YEAR: Final = 2003
_PATENT_PREFIXES: Final = ("ZL", "CN")


class PatentKind(StrEnum):
    """ZC 0006-2003: the kind of application, given by one digit of the number."""

    INVENTION = "invention"
    UTILITY_MODEL = "utility_model"
    DESIGN = "design"
    PCT_INVENTION = "pct_invention"
    PCT_UTILITY_MODEL = "pct_utility_model"

    @property
    def digit(self) -> str:
        """The digit that stands for this kind in an application number."""
        return _PATENT_KIND_DIGIT[self]


PATENT_KINDS_BY_DIGIT: Final[Mapping[str, PatentKind]] = {
    "1": PatentKind.INVENTION,
    "2": PatentKind.UTILITY_MODEL,
    "3": PatentKind.DESIGN,
    "8": PatentKind.PCT_INVENTION,
    "9": PatentKind.PCT_UTILITY_MODEL,
}
_PATENT_KIND_DIGIT: Final[Mapping[PatentKind, str]] = {
    kind: digit for digit, kind in PATENT_KINDS_BY_DIGIT.items()
}


def _patent_error(template: str, code: str, **params: object) -> IdentifierError:
    return IdentifierError(template, code=code, field=PATENT_FIELD, params=params)


def _is_ascii_digits(text: str) -> bool:
    return bool(text) and all("0" <= char <= "9" for char in text)


def patent_check_char(digits: str) -> str:
    """ZC 0006-2003: the check character of the 12 (or, before 2003, 8) digits of a number.

    The digits are multiplied left to right by 2, 3, 4, 5, 6, 7, 8, 9, repeating; the sum mod 11
    is the check character, ``X`` for 10.
    """
    if not _is_ascii_digits(digits):
        raise _patent_error(
            gettext_noop(
                "The digits of a patent application number can only be digits, not “%(digits)s”."
            ),
            "patent.format",
            digits=digits,
        )
    if len(digits) not in (8, 12):
        raise _patent_error(
            gettext_noop(
                "A patent application number has 12 digits (8 for applications filed before "
                "October 2003) before its check character; this one has %(length)s."
            ),
            "patent.length",
            length=len(digits),
        )
    remainder = sum(int(char) * (2 + index % 8) for index, char in enumerate(digits)) % 11
    return "X" if remainder == 10 else str(remainder)


@dataclass(frozen=True)
class PatentApplicationNumber:
    """ZC 0006-2003: a checked Chinese patent application number.

    ``digits`` are the 12 (or 8) digits before the point, ``serial`` the 7 (or 5) digits of the
    serial number with their leading zeros, ``year`` the full filing year. Build one with
    :func:`parse_patent_application_number`; construction checks that the parts agree.
    """

    digits: str
    year: int
    kind: PatentKind
    serial: str
    check_char: str

    def __post_init__(self) -> None:
        year_digits = 4 if len(self.digits) == 12 else 2
        agrees = (
            len(self.digits) in (8, 12)
            and self.digits[year_digits] == self.kind.digit
            and self.digits[year_digits + 1 :] == self.serial
            and str(self.year)[-year_digits:] == self.digits[:year_digits]
            and patent_check_char(self.digits) == self.check_char
        )
        if not agrees:
            raise ValueError(f"inconsistent patent application number parts: {self!r}")

    @property
    def application_number(self) -> str:
        """The application number as written, e.g. ``201710601862.3``."""
        return f"{self.digits}.{self.check_char}"

    @property
    def patent_number(self) -> str:
        """The patent number of the granted patent, e.g. ``ZL201710601862.3``."""
        return f"ZL{self.application_number}"

    @property
    def is_pre_2003_form(self) -> bool:
        """Whether the number has the 8-digit form used before 1 October 2003."""
        return len(self.digits) == 8

    def __str__(self) -> str:
        return self.application_number


def _patent_year(digits: str, today: date | None) -> int:
    """ZC 0006-2003: the filing year of 8 or 12 digits, refusing impossible years."""
    if len(digits) == 12:
        year = int(digits[:4])
        if year < TWELVE_DIGIT_FORM_YEAR:
            raise _patent_error(
                gettext_noop(
                    "The 12-digit form of patent application numbers began on 1 October 2003; "
                    "the year %(year)s is earlier (ZC 0006-2003)."
                ),
                "patent.year",
                year=year,
            )
    else:
        two_digits = int(digits[:2])
        # The 8-digit form ran from 1985 (Patent Law in force) to September 2003.
        year = 1900 + two_digits if two_digits >= FIRST_PATENT_YEAR % 100 else 2000 + two_digits
        if year > TWELVE_DIGIT_FORM_YEAR:
            raise _patent_error(
                gettext_noop(
                    "The 8-digit form of patent application numbers was used from 1985 to "
                    "September 2003; the year digits %(year_digits)s fit neither (ZC 0006-2003)."
                ),
                "patent.year",
                year_digits=digits[:2],
            )
    if today is not None and year > today.year:
        raise _patent_error(
            gettext_noop("The filing year %(year)s of the patent application is in the future."),
            "patent.year",
            year=year,
        )
    return year


def _parse_patent_digits(
    digits: str, check_char: str, today: date | None
) -> PatentApplicationNumber:
    expected = patent_check_char(digits)  # refuses non-digits and wrong lengths first
    year_digits = 4 if len(digits) == 12 else 2
    kind_digit = digits[year_digits]
    kind = PATENT_KINDS_BY_DIGIT.get(kind_digit)
    if kind is None:
        raise _patent_error(
            gettext_noop(
                "Digit %(position)s of a patent application number gives the kind of "
                "application (1, 2, 3, 8 or 9); %(digit)s is not a kind (ZC 0006-2003)."
            ),
            "patent.kind",
            position=year_digits + 1,
            digit=kind_digit,
        )
    year = _patent_year(digits, today)
    if not check_char:
        raise _patent_error(
            gettext_noop(
                "The patent application number needs its check character after the point: "
                "%(digits)s.%(expected)s (ZC 0006-2003)."
            ),
            "patent.check_char_missing",
            digits=digits,
            expected=expected,
        )
    if check_char != expected:
        raise _patent_error(
            gettext_noop(
                "The patent application number does not check: the check character after "
                "%(digits)s should be %(expected)s, not %(actual)s (ZC 0006-2003)."
            ),
            "patent.check_char",
            digits=digits,
            expected=expected,
            actual=check_char,
        )
    return PatentApplicationNumber(
        digits=digits,
        year=year,
        kind=kind,
        serial=digits[year_digits + 1 :],
        check_char=check_char,
    )


def _split_patent_text(text: str) -> tuple[str, str]:
    """Clean ``text`` and split it into (digits, check character or "")."""
    cleaned = _normalise(text).replace("。", ".")  # the ideographic full stop of a Chinese IME
    for prefix in _PATENT_PREFIXES:
        if cleaned.startswith(prefix):
            cleaned = cleaned[len(prefix) :]
            break
    digits, point, check = cleaned.partition(".")
    if not point and len(cleaned) in (9, 13):
        # Written without the point: the last character is the check character.
        digits, check = cleaned[:-1], cleaned[-1]
    if not cleaned or len(check) > 1 or (check and check not in "0123456789X"):
        raise _patent_error(
            gettext_noop(
                "“%(text)s” is not a patent application number: it is written as 12 digits "
                "(8 before October 2003), a point and a check character, e.g. 201710601862.3."
            ),
            "patent.format",
            text=text.strip(),
        )
    return digits, check


def parse_patent_application_number(
    text: str, *, today: date | None = None
) -> PatentApplicationNumber:
    """ZC 0006-2003: parse and check a Chinese patent application (or patent) number.

    Accepts an optional ``ZL`` or ``CN`` prefix, spaces, full-width characters, lower-case ``x``
    and the point left out (``2017106018623``). The check character is required (the registration
    form records it; :func:`complete_patent_application_number` supplies it for data that lacks
    it). Refuses, as :class:`IdentifierError` on ``patent_number``: ``patent.format``,
    ``patent.length``, ``patent.kind`` (not 1, 2, 3, 8 or 9), ``patent.year`` (before 1985, a
    12-digit number before 2003, an 8-digit one after 2003, or after ``today``'s year when given),
    ``patent.check_char_missing`` and ``patent.check_char`` (both naming the expected character).
    """
    digits, check = _split_patent_text(text)
    return _parse_patent_digits(digits, check, today)


def complete_patent_application_number(digits: str, *, today: date | None = None) -> str:
    """ZC 0006-2003: the application number with its check character, from the bare digits.

    ``digits`` may carry a ``ZL``/``CN`` prefix and spaces, but no check character; the result
    reads like ``201710601862.3``. Kind and year are checked as in
    :func:`parse_patent_application_number`.
    """
    cleaned = _normalise(digits)
    for prefix in _PATENT_PREFIXES:
        if cleaned.startswith(prefix):
            cleaned = cleaned[len(prefix) :]
            break
    expected = patent_check_char(cleaned)
    return _parse_patent_digits(cleaned, expected, today).application_number


# --------------------------------------------------------------------------------------------
# Citizen identity number, GB 11643-1999 (resident identity card)
# --------------------------------------------------------------------------------------------

RESIDENT_ID_FIELD: Final = "id_number"
RESIDENT_ID_LENGTH: Final = 18
#: ISO 7064 MOD 11-2: the weight of position i (1-based) is 2^(18-i) mod 11: 7, 9, 10, 5, 8, …, 2.
RESIDENT_ID_WEIGHTS: Final[tuple[int, ...]] = tuple(pow(2, 17 - i, 11) for i in range(17))
#: The check character by the weighted sum mod 11 (0 → 1, 1 → 0, 2 → X, 3 → 9, …, 10 → 2).
_RESIDENT_ID_CHECK: Final = "10X98765432"


def _resident_id_error(template: str, code: str, field: str, **params: object) -> IdentifierError:
    return IdentifierError(template, code=code, field=field, params=params)


def resident_id_check_char(body17: str) -> str:
    """GB 11643-1999: the check character of the first 17 digits of a citizen identity number,
    ISO 7064 MOD 11-2: ``(12 − Σ ai·Wi mod 11) mod 11``, ``X`` for 10."""
    if len(body17) != RESIDENT_ID_LENGTH - 1 or not _is_ascii_digits(body17):
        raise ValueError(f"the body of an identity number is 17 digits, not {body17!r}")
    pairs = zip(body17, RESIDENT_ID_WEIGHTS, strict=True)
    total = sum(int(char) * weight for char, weight in pairs)
    return _RESIDENT_ID_CHECK[total % 11]


def validate_resident_id(number: str, *, field: str = RESIDENT_ID_FIELD) -> str:
    """GB 11643-1999: the normalised 18-character citizen identity number of a resident identity
    card, or :class:`IdentifierError` on ``field``: ``resident_id.length``, ``resident_id.digit``
    (naming the first character that is not a digit), ``resident_id.birth_date`` (positions
    7–14 are no date) and ``resident_id.check_char`` (naming the expected character). Spaces,
    full-width characters and a lower-case ``x`` are accepted."""
    text = _normalise(number)
    if len(text) != RESIDENT_ID_LENGTH:
        raise _resident_id_error(
            gettext_noop(
                "A resident identity card number has 18 characters; this one has %(length)s."
            ),
            "resident_id.length",
            field,
            length=len(text),
        )
    for position, char in enumerate(text[:-1], start=1):
        if not "0" <= char <= "9":
            raise _resident_id_error(
                gettext_noop(
                    "Character %(position)s of the resident identity card number, "
                    "“%(character)s”, is not a digit: only the last one may be X."
                ),
                "resident_id.digit",
                field,
                position=position,
                character=char,
            )
    born = text[6:14]
    try:
        date(int(born[:4]), int(born[4:6]), int(born[6:]))
    except ValueError:
        raise _resident_id_error(
            gettext_noop(
                "Characters 7–14 of the resident identity card number are the date of birth; "
                "%(digits)s is not a date."
            ),
            "resident_id.birth_date",
            field,
            digits=born,
        ) from None
    expected = resident_id_check_char(text[:-1])
    if text[-1] != expected:
        raise _resident_id_error(
            gettext_noop(
                "The resident identity card number does not check: its last character should be "
                "%(expected)s, not %(actual)s (GB 11643-1999)."
            ),
            "resident_id.check_char",
            field,
            expected=expected,
            actual=text[-1],
        )
    return text


def make_resident_id(body17: str) -> str:
    """GB 11643-1999: the full identity number for 17 digits (for demo data and tests)."""
    return body17 + resident_id_check_char(body17)
