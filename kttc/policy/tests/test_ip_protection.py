"""IP protection cases (M11.2), without a database: a case's kind, patent, parties and
evidence; intake accepts or refuses a filed case, a refusal saying why; the intake time limit."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kttc.policy import ip_protection as rules
from kttc.policy.errors import PolicyError
from kttc.policy.ip_services import is_working_day

PATENT = "201710601862.3"


def _refusal(func: Callable[..., object], *args: object, **kwargs: object) -> PolicyError:
    with pytest.raises(PolicyError) as refused:
        func(*args, **kwargs)
    return refused.value


def test_m11_2_a_case_names_its_kind_patent_parties_and_evidence() -> None:
    assert rules.check_case("complaint", "ZL 2017106018623", " 甲公司 ", "乙  公司", 2) == (
        rules.CaseKind.COMPLAINT,
        PATENT,
        "甲公司",
        "乙 公司",
    )


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (("appeal", PATENT, "甲", "乙", 1), "kind"),
        (("complaint", "201710601862.4", "甲", "乙", 1), "patent_number"),
        (("adjudication", PATENT, " ", "乙", 1), "complainant"),
        (("adjudication", PATENT, "甲", "x" * 201, 1), "respondent"),
        (("adjudication", PATENT, "Acme", "ACME", 1), "respondent"),
        (("adjudication", PATENT, "甲", "乙", 0), "evidence"),
    ],
)
def test_m11_2_refusals_name_the_field_and_clause(
    args: tuple[str, str, str, str, int], field: str
) -> None:
    refused = _refusal(rules.check_case, *args)
    assert (refused.field, refused.clauses) == (field, ("M11.2",))


@given(st.sampled_from(list(rules.CaseStatus)), st.sampled_from(list(rules.Intake)))
def test_intake_decides_only_a_filed_case(status: rules.CaseStatus, step: rules.Intake) -> None:
    if status is rules.CaseStatus.FILED:
        assert rules.check_step(status.value, step) is rules.INTAKE[step]
    else:
        assert _refusal(rules.check_step, status.value, step).clauses == ("M11.2",)


@given(st.text(max_size=20))
def test_a_refusal_says_why(reason: str) -> None:
    if reason.strip():
        assert rules.check_reason(reason) == reason.strip()
    else:
        assert _refusal(rules.check_reason, reason).field == "reason"


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)))
def test_intake_is_due_on_a_working_day_within_five(filed: date) -> None:
    due = rules.intake_due_on(filed)
    assert is_working_day(due) and 5 <= (due - filed).days <= 9
