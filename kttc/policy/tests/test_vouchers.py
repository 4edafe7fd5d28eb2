"""Innovation vouchers (M12.2), without a database: a programme's terms, who may apply for what,
the value issued, the budget never exceeded, redemption once, before expiry, by a certified
institution (M9.1), and the report whose parts add up to the budget to the fen (examples and
properties)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kttc.policy import vouchers as rules
from kttc.policy.errors import PolicyError
from kttc.policy.identifiers import make_uscc

DAY = date(2026, 12, 1)
LOCAL = make_uscc("91530100MA6K00001")
BEIJING = make_uscc("91110108MA0000001")


def _refusal(func: Callable[..., object], *args: object, **kwargs: object) -> PolicyError:
    with pytest.raises(PolicyError) as refused:
        func(*args, **kwargs)
    return refused.value


def _programme(**changes: object) -> rules.Programme:
    values: dict[str, object] = {
        "name": "2026年昆明市科技创新券", "budget": "100000", "services": ["testing", "evaluation"],
        "value_mode": "maximum", "value": "20000", "opens_on": DAY,
        "closes_on": DAY + timedelta(days=30), "valid_until": DAY + timedelta(days=180),
    }  # fmt: skip
    values.update(changes)
    return rules.check_programme(**values)  # type: ignore[arg-type]


def _apply(programme: rules.Programme, **changes: object) -> tuple[rules.ServiceKind, Decimal]:
    values: dict[str, object] = {
        "programme": programme, "status": "open", "local_only": True,
        "applicant": rules.Applicant(True, LOCAL), "service": "testing", "amount": "15000",
        "today": DAY,
    }  # fmt: skip
    values.update(changes)
    return rules.check_application(**values)  # type: ignore[arg-type]


def test_m12_2_a_programme_is_checked_to_the_fen_with_its_services_in_order() -> None:
    programme = _programme(budget="100000.004")
    assert programme.budget == Decimal("100000.00")
    assert programme.services == (rules.ServiceKind.EVALUATION, rules.ServiceKind.TESTING)
    assert programme.value_mode is rules.ValueMode.MAXIMUM


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"budget": "0"}, "budget", "voucher.amount"),
        ({"budget": "abc"}, "budget", "money.invalid"),
        ({"services": []}, "services", "voucher.services"),
        ({"services": ["catering"]}, "services", "voucher.services"),
        ({"value_mode": "some"}, "value_mode", "voucher.value_mode"),
        ({"value": "-1"}, "value", "voucher.amount"),
        ({"value": "100000.01"}, "value", "voucher.value_over_budget"),
        ({"closes_on": DAY - timedelta(days=1)}, "closes_on", "voucher.period"),
        ({"valid_until": DAY + timedelta(days=29)}, "valid_until", "voucher.validity"),
        ({"name": "  "}, "name", "voucher.name"),
    ],
)
def test_m12_2_a_bad_programme_is_refused_naming_the_field_and_clause(
    changes: dict[str, object], field: str, code: str
) -> None:
    refused = _refusal(_programme, **changes)
    assert (refused.field, refused.code, refused.clauses) == (field, code, ("M12.2",))
    assert refused.message.startswith("M12.2")


def test_m12_2_a_verified_local_enterprise_applies_within_the_value() -> None:
    assert _apply(_programme()) == (rules.ServiceKind.TESTING, Decimal("15000.00"))
    assert _apply(_programme(), applicant=rules.Applicant(True, BEIJING), local_only=False)[1]


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"status": "closed"}, None, "voucher.not_open"),
        ({"today": DAY - timedelta(days=1)}, None, "voucher.not_open"),
        ({"today": DAY + timedelta(days=31)}, None, "voucher.not_open"),
        ({"applicant": rules.Applicant(False, LOCAL)}, None, "voucher.unverified"),
        ({"applicant": rules.Applicant(True, BEIJING)}, None, "voucher.local"),
        ({"applicant": rules.Applicant(True, "")}, None, "voucher.local"),
        ({"service": "ip_services"}, "service", "voucher.service"),
        ({"amount": "20000.01"}, "amount", "voucher.over_value"),
        ({"amount": "0"}, "amount", "voucher.amount"),
    ],
)
def test_m12_2_an_application_is_refused_naming_the_clause(
    changes: dict[str, object], field: str | None, code: str
) -> None:
    refused = _refusal(_apply, _programme(), **changes)
    assert (refused.field, refused.code, refused.clauses) == (field, code, ("M12.2",))


def test_m12_2_the_value_issued_is_fixed_or_within_the_amount_asked() -> None:
    asked = Decimal("15000.00")
    fixed = {"value_mode": "fixed", "programme_value": Decimal("5000.00"), "asked": asked}
    assert rules.check_issue_value(value=None, **fixed) == Decimal("5000.00")  # type: ignore[arg-type]
    assert rules.check_issue_value(value="5000", **fixed) == Decimal("5000.00")  # type: ignore[arg-type]
    refused = _refusal(rules.check_issue_value, value="4000", **fixed)
    assert (refused.field, refused.code) == ("value", "voucher.fixed_value")
    maximum = {"value_mode": "maximum", "programme_value": Decimal("20000.00"), "asked": asked}
    assert rules.check_issue_value(value="", **maximum) == asked  # type: ignore[arg-type]
    assert rules.check_issue_value(value="12000.5", **maximum) == Decimal("12000.50")  # type: ignore[arg-type]
    refused = _refusal(rules.check_issue_value, value="15000.01", **maximum)
    assert (refused.field, refused.code) == ("value", "voucher.over_asked")


@given(
    budget=st.integers(1, 10**9),
    committed=st.integers(0, 10**9),
    value=st.integers(1, 10**9),
)
def test_m12_2_the_budget_check_never_lets_the_committed_sum_pass_the_budget(
    budget: int, committed: int, value: int
) -> None:
    b, c, v = (Decimal(x).scaleb(-2) for x in (budget, committed, value))
    if c > b:
        return
    try:
        after = rules.check_budget(budget=b, committed=c, value=v)
    except PolicyError as refused:
        assert c + v > b
        assert refused.code == "voucher.budget" and "M12.2" in refused.message
    else:
        assert after == c + v <= b


def test_m12_2_redemption_once_before_expiry_by_a_certified_institution_within_the_value() -> None:
    ok = {
        "status": "issued", "expires_on": DAY, "value": Decimal("5000.00"), "certified": True,
        "amount": "4999.99", "today": DAY,
    }  # fmt: skip
    assert rules.check_redemption(**ok) == Decimal("4999.99")  # type: ignore[arg-type]
    refused = _refusal(rules.check_redemption, **{**ok, "certified": False})
    assert (refused.code, refused.clauses) == ("voucher.uncertified", ("M12.2", "M9.1"))
    assert "M9.1" in refused.message
    assert _refusal(rules.check_redemption, **{**ok, "status": "redeemed"}).code == (
        "voucher.redeemed"
    )
    late = {**ok, "today": DAY + timedelta(days=1)}
    assert _refusal(rules.check_redemption, **late).code == "voucher.expired"
    assert _refusal(rules.check_redemption, **{**ok, "status": "expired"}).code == "voucher.expired"
    refused = _refusal(rules.check_redemption, **{**ok, "amount": "5000.01"})
    assert (refused.field, refused.code) == ("amount", "voucher.over_voucher")


def test_invoice_numbers_and_codes() -> None:
    assert rules.check_invoice_number(" 04400123 ") == "04400123"
    assert _refusal(rules.check_invoice_number, "04 400").field == "invoice_number"
    code = rules.new_code()
    assert len(code) == rules.CODE_LENGTH and set(code) <= set(rules.CODE_ALPHABET)
    assert rules.expiring_soon(DAY + timedelta(days=30), DAY)
    assert not rules.expiring_soon(DAY + timedelta(days=31), DAY)
    assert rules.is_local(LOCAL) and not rules.is_local(BEIJING)


_fen = st.integers(1, 10**7).map(lambda n: Decimal(n).scaleb(-2))
_step = st.tuples(
    st.sampled_from(["issue", "redeem", "expire"]),
    _fen,
    st.integers(0, 1000),
    st.sampled_from(list(rules.ServiceKind)),
    st.sampled_from(["金马", "滇池检测", "春城评估"]),
)


@given(budget=st.integers(1, 10**9).map(lambda n: Decimal(n).scaleb(-2)), steps=st.lists(_step))
def test_m12_2_whatever_happens_the_reports_parts_add_up_to_the_budget_to_the_fen(
    budget: Decimal, steps: list[tuple[str, Decimal, int, rules.ServiceKind, str]]
) -> None:
    """M12.2: vouchers issued while the budget allows, some redeemed for part of their value,
    some expired: outstanding + redeemed + remaining is the budget, nothing is negative, and the
    parts by service kind and by institution add up to the totals."""
    lines: list[rules.VoucherLine] = []
    committed = Decimal("0.00")
    for action, amount, pick, kind, institution in steps:
        open_ = [i for i, line in enumerate(lines) if line.status == "issued"]
        if action == "issue":
            try:
                committed = rules.check_budget(budget=budget, committed=committed, value=amount)
            except PolicyError:
                continue
            lines.append(rules.VoucherLine("issued", amount, Decimal("0.00"), kind.value))
        elif open_:
            index = open_[pick % len(open_)]
            line = lines[index]
            if action == "redeem":
                spent = min(amount, line.value)
                lines[index] = rules.VoucherLine(
                    "redeemed", line.value, spent, line.service, institution
                )
                committed -= line.value - spent
            else:
                lines[index] = rules.VoucherLine("expired", line.value, Decimal(0), line.service)
                committed -= line.value
    found = rules.report(budget, lines)
    total = found.total
    assert total.outstanding + total.redeemed + found.remaining == budget
    assert found.remaining >= 0 and total.committed == committed <= budget
    assert total.issued == total.outstanding + total.redeemed + total.unspent + total.expired
    for name in ("count", "issued", "outstanding", "redeemed", "expired", "unspent"):
        assert sum(getattr(f, name) for f in found.by_service.values()) == getattr(total, name)
    assert sum(f.redeemed for f in found.by_institution.values()) == total.redeemed
    assert sum(f.redeemed_count for f in found.by_institution.values()) == total.redeemed_count
