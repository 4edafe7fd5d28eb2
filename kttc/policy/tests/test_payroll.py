"""M5.1: a unit's payroll layout (known columns, each once, each with its own header, the name,
the amount and the mark outside the cap among them) and a person's payroll data."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kttc.policy import payroll
from kttc.policy.errors import IdentifierError, PolicyError
from kttc.policy.identifiers import make_resident_id
from kttc.policy.payroll import Column

DEFAULT = [(c.value, c.value.replace("_", " ").title()) for c in payroll.DEFAULT_COLUMNS]


def _refused(columns: list[tuple[str, str]]) -> PolicyError:
    with pytest.raises(PolicyError) as info:
        payroll.check_layout(columns)
    assert info.value.field == "columns" and info.value.clauses == ("M5.1",)
    return info.value


def test_m5_1_the_default_layout_is_todays_columns_then_the_persons_data() -> None:
    assert payroll.DEFAULT_COLUMNS[:9] == (
        Column.DISTRIBUTION, Column.CONTRACT, Column.REGISTRATION_NUMBER, Column.PERIOD,
        Column.BENEFICIARY, Column.NAME, Column.SHARE, Column.AMOUNT, Column.OUTSIDE_CAP,
    )  # fmt: skip
    assert payroll.DEFAULT_COLUMNS[9:] == (
        Column.STAFF_NUMBER, Column.ID_NUMBER, Column.BANK_NAME, Column.BANK_ACCOUNT,
    )  # fmt: skip
    assert [c for c, _h in payroll.check_layout(DEFAULT)] == list(payroll.DEFAULT_COLUMNS)


def test_m5_1_a_layout_keeps_the_units_order_and_headers() -> None:
    layout = payroll.check_layout(
        [("staff_number", " 工号 "), ("name", "姓名"), ("bank_account", "银行  账号"),
         ("amount", "实发金额"), ("outside_cap", "不计入绩效工资总量")]
    )  # fmt: skip
    assert layout == (
        (Column.STAFF_NUMBER, "工号"),
        (Column.NAME, "姓名"),
        (Column.BANK_ACCOUNT, "银行 账号"),
        (Column.AMOUNT, "实发金额"),
        (Column.OUTSIDE_CAP, "不计入绩效工资总量"),
    )


def test_m5_1_an_unknown_column_is_refused_naming_its_line() -> None:
    error = _refused([("name", "姓名"), ("salary", "工资")])
    assert error.code == "payroll.column_unknown"
    assert error.params == {"line": 2, "column": "salary"}


def test_m5_1_a_column_twice_is_refused_naming_both_lines() -> None:
    error = _refused([("name", "姓名"), ("amount", "金额"), ("name", "姓名2")])
    assert error.code == "payroll.column_twice" and error.params == {"line": 3, "first": 1}


@pytest.mark.parametrize("header", ["", "   ", "\u3000"])
def test_m5_1_an_empty_header_is_refused(header: str) -> None:
    error = _refused([("name", "姓名"), ("amount", header)])
    assert error.code == "payroll.header_empty" and error.params == {"line": 2}


def test_m5_1_two_columns_under_one_header_are_refused() -> None:
    error = _refused([("name", "Name"), ("staff_number", "NAME ")])
    assert error.code == "payroll.header_twice" and error.params["first"] == 1


def test_m5_1_a_header_too_long_or_with_a_control_character_is_refused() -> None:
    assert _refused([("name", "x" * 61)]).code == "payroll.header_long"
    with pytest.raises(PolicyError) as info:
        payroll.check_layout([("name", "姓\x00名")])
    assert info.value.code == "text.control_character"


@pytest.mark.parametrize("left_out", ["name", "amount", "outside_cap"])
def test_m5_1_the_name_the_amount_and_the_mark_outside_the_cap_are_required(left_out: str) -> None:
    error = _refused([(c, h) for c, h in DEFAULT if c != left_out])
    assert error.code == "payroll.column_required" and left_out in str(error.params["columns"])


@given(
    st.permutations(list(Column)).flatmap(
        lambda order: st.integers(0, len(order)).map(lambda n: order[:n])
    )
)
def test_m5_1_any_order_of_distinct_columns_with_distinct_headers_is_kept_as_given(
    columns: list[Column],
) -> None:
    lines = [(c.value, f"h{i}") for i, c in enumerate(columns)]
    if not set(payroll.REQUIRED_COLUMNS) <= set(columns):
        assert _refused(lines).code == "payroll.column_required"
        return
    assert payroll.check_layout(lines) == tuple((c, f"h{i}") for i, c in enumerate(columns))


# --- a person's data ------------------------------------------------------------------------


def test_m5_1_a_bank_account_is_8_to_30_digits_spaces_and_hyphens_aside() -> None:
    assert payroll.check_bank_account("6222 0202 0011 2233 445") == "6222020200112233445"
    assert payroll.check_bank_account("６２２２-０２０２-００１１") == "622202020011"
    assert payroll.check_bank_account("") == ""
    for wrong, code in (("1234567", "payroll.account_length"), ("1" * 31, "payroll.account_length"),
                        ("6222O20200112233", "payroll.account_digits")):  # fmt: skip
        with pytest.raises(PolicyError) as info:
            payroll.check_bank_account(wrong)
        assert info.value.code == code and info.value.field == "bank_account"


def test_m5_1_a_resident_identity_card_number_is_checked_other_documents_are_not() -> None:
    number = make_resident_id("53010219800101001")
    assert payroll.check_document("resident_id", number.lower()) == ("resident_id", number)
    with pytest.raises(IdentifierError) as wrong:
        payroll.check_document("resident_id", number[:-1] + ("0" if number[-1] != "0" else "1"))
    assert wrong.value.field == "id_number" and wrong.value.code == "resident_id.check_char"
    assert payroll.check_document("passport", " E12345678 ") == ("passport", "E12345678")
    assert payroll.check_document("", "") == ("", "")
    with pytest.raises(PolicyError) as info:
        payroll.check_document("", "E12345678")
    assert info.value.field == "id_type"
    with pytest.raises(PolicyError) as info:
        payroll.check_document("driving_licence", "123")
    assert info.value.code == "payroll.document_unknown"


def test_m5_1_texts_are_bounded() -> None:
    assert payroll.check_staff_number("  KM-0012 ") == "KM-0012"
    with pytest.raises(PolicyError) as info:
        payroll.check_bank_name("银" * 101)
    assert info.value.code == "payroll.too_long" and info.value.field == "bank_name"
    with pytest.raises(PolicyError) as info:
        payroll.check_name("  ")
    assert info.value.field == "name"


@given(st.text(alphabet="0123456789X", min_size=0, max_size=40))
def test_a_masked_number_shows_at_most_its_last_four_characters(number: str) -> None:
    shown = payroll.mask(number)
    if not number:
        assert shown == ""
        return
    assert shown.startswith(payroll.MASK)
    visible = shown[len(payroll.MASK) :]
    assert len(visible) <= 4 and number.endswith(visible)
    if len(number) <= 4:
        assert visible == ""  # a number that short is not shown at all
