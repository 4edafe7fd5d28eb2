"""Credit codes (GB 32100-2015, GB 11714-1997), patent numbers (ZC 0006-2003) and citizen
identity numbers (GB 11643-1999).

The worked examples are those of ``shared/policy/CONVENTIONS.md``, recomputed there by hand.
"""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kttc.policy.errors import IdentifierError
from kttc.policy.identifiers import (
    RESIDENT_ID_WEIGHTS,
    USCC_ALPHABET,
    USCC_WEIGHTS,
    PatentApplicationNumber,
    PatentKind,
    complete_patent_application_number,
    is_valid_uscc,
    make_resident_id,
    make_uscc,
    organisation_code_check_char,
    parse_patent_application_number,
    patent_check_char,
    resident_id_check_char,
    uscc_check_char,
    uscc_organisation_code_issue,
    uscc_organisation_code_warning,
    validate_resident_id,
    validate_uscc,
)

uscc_bodies = st.text(alphabet=USCC_ALPHABET, min_size=17, max_size=17)

# ---------------------------------------------------------------------------------------------
# GB 32100-2015: unified social credit code
# ---------------------------------------------------------------------------------------------


def test_uscc_weights_are_the_gb32100_powers_of_three_mod_31() -> None:
    assert USCC_WEIGHTS == (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def test_uscc_alphabet_has_31_characters_without_i_o_z_s_v_gb32100() -> None:
    assert len(USCC_ALPHABET) == 31
    assert len(set(USCC_ALPHABET)) == 31
    assert not set("IOZSV") & set(USCC_ALPHABET)


def test_uscc_worked_example_91512081ma62k0260e_is_valid_gb32100() -> None:
    assert uscc_check_char("91512081MA62K0260") == "E"
    assert validate_uscc("91512081MA62K0260E") == "91512081MA62K0260E"
    assert is_valid_uscc("91512081MA62K0260E")


def test_uscc_worked_example_ending_y4z_is_refused_naming_check_char_3_gb32100() -> None:
    assert uscc_check_char("91350100M000100Y4") == "3"
    with pytest.raises(IdentifierError) as caught:
        validate_uscc("91350100M000100Y4Z")
    error = caught.value
    assert error.code == "uscc.check_char"
    assert error.field == "credit_code"
    assert error.params == {"expected": "3", "actual": "Z"}
    assert "%(expected)s" in error.template
    assert "should be 3, not Z" in error.message
    assert not is_valid_uscc("91350100M000100Y4Z")


def test_uscc_wrong_check_char_inside_alphabet_is_refused_gb32100() -> None:
    with pytest.raises(IdentifierError) as caught:
        validate_uscc("91512081MA62K0260F")
    assert caught.value.code == "uscc.check_char"
    assert caught.value.params == {"expected": "E", "actual": "F"}


def test_uscc_remainder_zero_gives_check_char_0_gb32100() -> None:
    assert uscc_check_char("0" * 17) == "0"
    assert make_uscc("0" * 17) == "0" * 18


@pytest.mark.parametrize(
    "typed",
    [
        " 91512081MA62K0260E ",
        "91512081ma62k0260e",
        "9151 2081 MA62 K026 0E",
        "91512081MA62K0260E\n",
        "９１５１２０８１ＭＡ６２Ｋ０２６０Ｅ",  # full-width, as a Chinese input method types it
        "91512081\u3000MA62K0260E",  # ideographic space
    ],
)
def test_validate_uscc_normalises_spaces_case_and_full_width_gb32100(typed: str) -> None:
    assert validate_uscc(typed) == "91512081MA62K0260E"


@pytest.mark.parametrize("code", ["", "91512081MA62K0260", "91512081MA62K0260E0"])
def test_validate_uscc_refuses_a_code_not_18_characters_long_gb32100(code: str) -> None:
    with pytest.raises(IdentifierError) as caught:
        validate_uscc(code)
    error = caught.value
    assert error.code == "uscc.length"
    assert error.field == "credit_code"
    assert error.params == {"length": len(code)}
    assert error.message == (
        f"The unified social credit code must have 18 characters; it has {len(code)}."
    )


@pytest.mark.parametrize(
    ("code", "position", "character"),
    [
        ("91512081OA62K0260E", 9, "O"),  # letter O typed for the digit 0
        ("91512081MA62K0I60E", 15, "I"),
        ("9151208-MA62K0260E", 8, "-"),
    ],
)
def test_validate_uscc_refuses_characters_outside_the_alphabet_naming_them_gb32100(
    code: str, position: int, character: str
) -> None:
    with pytest.raises(IdentifierError) as caught:
        validate_uscc(code)
    assert caught.value.code == "uscc.alphabet"
    assert caught.value.params == {"position": position, "character": character}
    assert f"Character {position} " in caught.value.message


def test_uscc_check_char_refuses_a_body_not_17_characters_long_gb32100() -> None:
    with pytest.raises(IdentifierError) as caught:
        uscc_check_char("91512081MA62K026")
    assert caught.value.code == "uscc.body_length"
    assert caught.value.params == {"length": 16}


@given(uscc_bodies)
def test_every_make_uscc_output_validates_gb32100(body: str) -> None:
    code = make_uscc(body)
    assert len(code) == 18
    assert code[:17] == body
    assert validate_uscc(code) == code


@given(uscc_bodies, st.integers(min_value=0, max_value=17), st.sampled_from(USCC_ALPHABET))
def test_any_single_character_substitution_in_a_uscc_is_detected_gb32100(
    body: str, position: int, replacement: str
) -> None:
    code = make_uscc(body)
    if code[position] == replacement:
        replacement = USCC_ALPHABET[(USCC_ALPHABET.index(replacement) + 1) % 31]
    mutated = code[:position] + replacement + code[position + 1 :]
    with pytest.raises(IdentifierError) as caught:
        validate_uscc(mutated)
    assert caught.value.code == "uscc.check_char"


@given(uscc_bodies, st.integers(min_value=0, max_value=15))
def test_any_adjacent_transposition_in_a_uscc_body_is_detected_gb32100(
    body: str, position: int
) -> None:
    code = make_uscc(body)
    swapped = code[:position] + code[position + 1] + code[position] + code[position + 2 :]
    assert is_valid_uscc(swapped) == (swapped == code)


# ---------------------------------------------------------------------------------------------
# GB 11714-1997: organisation code inside positions 9–17
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("body", "check"), [("M000100Y", "4"), ("MA62K026", "0")])
def test_organisation_code_check_char_of_the_worked_examples_gb11714(body: str, check: str) -> None:
    assert organisation_code_check_char(body) == check


def test_organisation_code_check_writes_10_as_x_and_11_as_0_gb11714() -> None:
    assert organisation_code_check_char("00000006") == "X"  # Σ = 12, 12 mod 11 = 1, 11 − 1
    assert organisation_code_check_char("00000000") == "0"  # Σ = 0, 11 − 0 = 11
    assert organisation_code_check_char("00000001") == "9"  # Σ = 2


def test_organisation_code_check_char_refuses_bad_bodies_gb11714() -> None:
    with pytest.raises(IdentifierError) as too_short:
        organisation_code_check_char("M000100")
    assert too_short.value.code == "orgcode.length"
    with pytest.raises(IdentifierError) as bad_char:
        organisation_code_check_char("M000-00Y")
    assert bad_char.value.code == "orgcode.alphabet"
    assert bad_char.value.params == {"position": 5, "character": "-"}


@pytest.mark.parametrize("code", ["91512081MA62K0260E", "91350100M000100Y43"])
def test_no_organisation_code_warning_when_positions_9_to_17_check_gb11714(code: str) -> None:
    assert uscc_organisation_code_warning(code) is None
    assert uscc_organisation_code_issue(code) is None


def test_organisation_code_warning_names_expected_char_without_refusing_the_code_gb11714() -> None:
    code = make_uscc("91350100M000100Y5")  # a valid credit code; inner check wants 4, not 5
    assert is_valid_uscc(code)
    issue = uscc_organisation_code_issue(code)
    assert issue is not None
    assert issue.code == "uscc.organisation_code"
    assert issue.field == "credit_code"
    assert issue.params == {"organisation_code": "M000100Y5", "expected": "4", "actual": "5"}
    assert "%(expected)s" in issue.template
    warning = uscc_organisation_code_warning(code)
    assert warning == issue.message
    assert "should be 4, not 5" in warning


def test_organisation_code_warning_refuses_an_invalid_credit_code_gb32100() -> None:
    with pytest.raises(IdentifierError):
        uscc_organisation_code_warning("91350100M000100Y4Z")


# ---------------------------------------------------------------------------------------------
# ZC 0006-2003: patent application numbers
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("digits", "check"), [("201710601862", "3"), ("95115608", "X"), ("97101765", "4")]
)
def test_patent_check_char_of_the_worked_examples_zc0006(digits: str, check: str) -> None:
    assert patent_check_char(digits) == check


def test_parse_12_digit_application_number_zc0006() -> None:
    number = parse_patent_application_number("201710601862.3")
    assert number == PatentApplicationNumber(
        digits="201710601862",
        year=2017,
        kind=PatentKind.INVENTION,
        serial="0601862",
        check_char="3",
    )
    assert number.application_number == "201710601862.3"
    assert number.patent_number == "ZL201710601862.3"
    assert str(number) == "201710601862.3"
    assert not number.is_pre_2003_form


@pytest.mark.parametrize(
    ("text", "year", "serial", "check"),
    [("95115608.X", 1995, "15608", "X"), ("97101765.4", 1997, "01765", "4")],
)
def test_parse_8_digit_application_number_from_before_2003_zc0006(
    text: str, year: int, serial: str, check: str
) -> None:
    number = parse_patent_application_number(text)
    assert number.year == year
    assert number.kind is PatentKind.INVENTION
    assert number.serial == serial
    assert number.check_char == check
    assert number.application_number == text
    assert number.patent_number == f"ZL{text}"
    assert number.is_pre_2003_form


@pytest.mark.parametrize(
    "typed",
    [
        "ZL201710601862.3",
        "zl 2017 1060 1862.3",
        "CN201710601862.3",
        "CN 201710601862.3",
        " 201710601862 . 3 ",
        "２０１７１０６０１８６２．３",  # full-width digits and point
        "201710601862。3",  # ideographic full stop
        "2017106018623",  # point left out
    ],
)
def test_parse_accepts_prefixes_spaces_and_full_width_forms_zc0006(typed: str) -> None:
    assert parse_patent_application_number(typed).application_number == "201710601862.3"


@pytest.mark.parametrize("typed", ["95115608.x", "ZL95115608X", "cn 95115608.X"])
def test_parse_accepts_lower_case_x_and_prefixes_on_8_digit_numbers_zc0006(typed: str) -> None:
    assert parse_patent_application_number(typed).application_number == "95115608.X"


def test_parse_refuses_a_wrong_check_char_naming_the_expected_one_zc0006() -> None:
    with pytest.raises(IdentifierError) as caught:
        parse_patent_application_number("201710601862.4")
    error = caught.value
    assert error.code == "patent.check_char"
    assert error.field == "patent_number"
    assert error.params == {"digits": "201710601862", "expected": "3", "actual": "4"}
    assert "should be 3, not 4" in error.message


@pytest.mark.parametrize("typed", ["201710601862", "201710601862.", "ZL95115608"])
def test_parse_requires_the_check_char_and_names_it_zc0006(typed: str) -> None:
    with pytest.raises(IdentifierError) as caught:
        parse_patent_application_number(typed)
    error = caught.value
    assert error.code == "patent.check_char_missing"
    expected = patent_check_char(str(error.params["digits"]))
    assert error.params["expected"] == expected
    assert f"{error.params['digits']}.{expected}" in error.message


@pytest.mark.parametrize(
    ("digits", "completed"),
    [("201710601862", "201710601862.3"), ("ZL 95115608", "95115608.X"), ("97101765", "97101765.4")],
)
def test_complete_patent_application_number_appends_the_check_char_zc0006(
    digits: str, completed: str
) -> None:
    assert complete_patent_application_number(digits) == completed


@pytest.mark.parametrize(
    ("digit", "kind"),
    [
        ("1", PatentKind.INVENTION),
        ("2", PatentKind.UTILITY_MODEL),
        ("3", PatentKind.DESIGN),
        ("8", PatentKind.PCT_INVENTION),
        ("9", PatentKind.PCT_UTILITY_MODEL),
    ],
)
def test_kind_digit_gives_the_kind_of_application_zc0006(digit: str, kind: PatentKind) -> None:
    new_form = complete_patent_application_number(f"2017{digit}0601862")
    old_form = complete_patent_application_number(f"97{digit}01765")
    assert parse_patent_application_number(new_form).kind is kind
    assert parse_patent_application_number(old_form).kind is kind
    assert kind.digit == digit


@pytest.mark.parametrize("digit", ["0", "4", "5", "6", "7"])
def test_parse_refuses_a_digit_that_is_no_kind_of_application_zc0006(digit: str) -> None:
    for digits, position in ((f"2017{digit}0601862", 5), (f"97{digit}01765", 3)):
        with pytest.raises(IdentifierError) as caught:
            parse_patent_application_number(f"{digits}.{patent_check_char(digits)}")
        assert caught.value.code == "patent.kind"
        assert caught.value.params == {"position": position, "digit": digit}


@pytest.mark.parametrize(
    ("year_digits", "year"), [("85", 1985), ("99", 1999), ("00", 2000), ("03", 2003)]
)
def test_two_digit_years_of_the_8_digit_form_read_as_1985_to_2003_zc0006(
    year_digits: str, year: int
) -> None:
    completed = complete_patent_application_number(f"{year_digits}100001")
    assert parse_patent_application_number(completed).year == year


@pytest.mark.parametrize("year_digits", ["04", "50", "84"])
def test_8_digit_form_refuses_years_outside_1985_to_2003_zc0006(year_digits: str) -> None:
    digits = f"{year_digits}100001"
    with pytest.raises(IdentifierError) as caught:
        parse_patent_application_number(f"{digits}.{patent_check_char(digits)}")
    assert caught.value.code == "patent.year"


@pytest.mark.parametrize("year", ["1984", "1998", "2002"])
def test_12_digit_form_refuses_years_before_2003_zc0006(year: str) -> None:
    digits = f"{year}10601862"
    with pytest.raises(IdentifierError) as caught:
        parse_patent_application_number(f"{digits}.{patent_check_char(digits)}")
    assert caught.value.code == "patent.year"
    assert caught.value.params == {"year": int(year)}


def test_12_digit_form_accepts_2003_the_year_it_began_zc0006() -> None:
    assert parse_patent_application_number(complete_patent_application_number("200310000001"))


def test_parse_refuses_a_filing_year_after_today_when_today_is_given_zc0006() -> None:
    text = complete_patent_application_number("202610000001")
    with pytest.raises(IdentifierError) as caught:
        parse_patent_application_number(text, today=date(2025, 12, 31))
    assert caught.value.code == "patent.year"
    assert caught.value.params == {"year": 2026}
    assert parse_patent_application_number(text, today=date(2026, 1, 1)).year == 2026
    with pytest.raises(IdentifierError):
        complete_patent_application_number("202610000001", today=date(2025, 12, 31))


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("", "patent.format"),
        ("ZL", "patent.format"),
        ("201710601862.34", "patent.format"),
        ("201710601862.A", "patent.format"),
        ("2017A0601862.3", "patent.format"),
        ("2017106018.3", "patent.length"),
        ("20171060186200.3", "patent.length"),
    ],
)
def test_parse_refuses_malformed_numbers_zc0006(typed: str, code: str) -> None:
    with pytest.raises(IdentifierError) as caught:
        parse_patent_application_number(typed)
    assert caught.value.code == code
    assert caught.value.field == "patent_number"


def test_patent_application_number_is_frozen_and_refuses_inconsistent_parts() -> None:
    number = parse_patent_application_number("201710601862.3")
    with pytest.raises(dataclasses.FrozenInstanceError):
        number.year = 2018  # type: ignore[misc]
    with pytest.raises(ValueError, match="inconsistent"):
        dataclasses.replace(number, year=2018)
    with pytest.raises(ValueError, match="inconsistent"):
        dataclasses.replace(number, kind=PatentKind.DESIGN)
    with pytest.raises(ValueError, match="inconsistent"):
        dataclasses.replace(number, check_char="4")


twelve_digit_numbers = st.builds(
    lambda year, kind, serial: f"{year}{kind}{serial:07d}",
    st.integers(min_value=2003, max_value=2099),
    st.sampled_from("12389"),
    st.integers(min_value=0, max_value=9_999_999),
)


@given(twelve_digit_numbers)
def test_completed_patent_numbers_parse_back_to_their_digits_zc0006(digits: str) -> None:
    number = parse_patent_application_number(complete_patent_application_number(digits))
    assert number.digits == digits
    assert number.year == int(digits[:4])
    assert number.serial == digits[5:]
    assert parse_patent_application_number(number.patent_number) == number


@given(
    st.text(alphabet="0123456789", min_size=12, max_size=12),
    st.integers(min_value=0, max_value=11),
    st.integers(min_value=1, max_value=9),
)
def test_any_single_digit_substitution_changes_the_patent_check_char_zc0006(
    digits: str, position: int, shift: int
) -> None:
    replaced = str((int(digits[position]) + shift) % 10)
    mutated = digits[:position] + replaced + digits[position + 1 :]
    assert patent_check_char(mutated) != patent_check_char(digits)


@given(st.text(alphabet="0123456789", min_size=12, max_size=12), st.integers(0, 10))
def test_any_adjacent_transposition_changes_the_patent_check_char_zc0006(
    digits: str, position: int
) -> None:
    swapped = digits[:position] + digits[position + 1] + digits[position] + digits[position + 2 :]
    assert (patent_check_char(swapped) == patent_check_char(digits)) == (swapped == digits)


# ---------------------------------------------------------------------------------------------
# GB 11643-1999: citizen identity number (resident identity card), ISO 7064 MOD 11-2
# ---------------------------------------------------------------------------------------------

#: 17 digits of a plausible number: an address code, a date of birth, an order code.
resident_bodies = st.builds(
    lambda area, born, order: f"{area:06d}{born:%Y%m%d}{order:03d}",
    st.integers(110000, 829999),
    st.dates(min_value=date(1900, 1, 1), max_value=date(2025, 12, 31)),
    st.integers(0, 999),
)


def test_resident_id_weights_are_the_powers_of_two_mod_11() -> None:
    assert RESIDENT_ID_WEIGHTS == (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def test_the_standards_example_checks() -> None:
    # GB 11643-1999's own example number, whose check character is X
    assert resident_id_check_char("11010519491231002") == "X"
    assert validate_resident_id("11010519491231002X") == "11010519491231002X"
    # spaces, full-width digits and a lower-case x, as typed with a Chinese input method
    assert validate_resident_id(" 110105 19491231 002x ") == "11010519491231002X"
    assert validate_resident_id("１１０１０５１９４９１２３１００２Ｘ") == "11010519491231002X"


@given(resident_bodies)
def test_gb11643_a_made_number_always_checks_mod_11_2(body: str) -> None:
    number = make_resident_id(body)
    assert validate_resident_id(number) == number
    # ISO 7064 MOD 11-2: the weighted sum of all 18 characters (X = 10, weight 1) is 1 mod 11
    values = [10 if c == "X" else int(c) for c in number]
    assert (sum(v * w for v, w in zip(values, (*RESIDENT_ID_WEIGHTS, 1), strict=True))) % 11 == 1


@given(resident_bodies, st.integers(0, 16), st.integers(1, 9))
def test_gb11643_any_one_wrong_digit_is_refused(body: str, position: int, shift: int) -> None:
    number = make_resident_id(body)
    changed = str((int(number[position]) + shift) % 10)
    typo = number[:position] + changed + number[position + 1 :]
    with pytest.raises(IdentifierError) as info:
        validate_resident_id(typo, field="id_number")
    assert info.value.code in ("resident_id.check_char", "resident_id.birth_date")
    assert info.value.field == "id_number"


@given(resident_bodies, st.sampled_from("0123456789X"))
def test_gb11643_a_wrong_check_character_names_the_right_one(body: str, last: str) -> None:
    expected = resident_id_check_char(body)
    if last == expected:
        assert validate_resident_id(body + last) == body + last
        return
    with pytest.raises(IdentifierError) as info:
        validate_resident_id(body + last)
    assert info.value.code == "resident_id.check_char"
    assert info.value.params == {"expected": expected, "actual": last}
    assert "GB 11643-1999" in info.value.message and expected in info.value.message


@given(resident_bodies, st.integers(0, 15))
def test_gb11643_swapping_two_different_neighbours_is_refused(body: str, position: int) -> None:
    number = make_resident_id(body)
    a, b = number[position], number[position + 1]
    if a == b:
        return
    swapped = number[:position] + b + a + number[position + 2 :]
    with pytest.raises(IdentifierError):
        validate_resident_id(swapped)


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("11010519491231002", "resident_id.length"),  # the check character left out
        ("110105194912310021X", "resident_id.length"),
        ("110105491231002", "resident_id.length"),  # a 15-digit first-generation number
        ("1101051949123100XX", "resident_id.digit"),
        ("11010519491331002X", "resident_id.birth_date"),  # month 13
        ("110105194902300021", "resident_id.birth_date"),  # 30 February
        ("110105194912310021", "resident_id.check_char"),
    ],
)
def test_gb11643_refusals_name_what_is_wrong(number: str, code: str) -> None:
    with pytest.raises(IdentifierError) as info:
        validate_resident_id(number, field="id_number")
    assert info.value.code == code and info.value.field == "id_number"
