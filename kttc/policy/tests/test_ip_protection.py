"""IP protection cases (M11.2), without a database: a case's kind, patent, parties and
evidence; intake accepts or refuses a filed case, a refusal saying why; the intake time limit."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kttc.policy import ip_protection as rules
from kttc.policy.errors import PolicyError
from kttc.policy.ip_services import add_working_days, is_working_day

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


# The steps after intake: mediation, hearing, decision, enforcement, publication.

ANY_STATUS = st.sampled_from(list(rules.CaseStatus))


@given(ANY_STATUS, st.sampled_from(list(rules.Step)))
def test_m11_2_a_step_is_taken_only_from_the_statuses_it_allows(
    status: rules.CaseStatus, step: rules.Step
) -> None:
    if status in rules.FROM[step]:
        rules.check_case_step(status.value, step)
    else:
        assert _refusal(rules.check_case_step, status.value, step).code == "ip_case.status"


def test_m11_2_no_step_leaves_a_refused_or_settled_case() -> None:
    for step in rules.Step:
        for status in (rules.CaseStatus.REFUSED, rules.CaseStatus.SETTLED):
            assert status not in rules.FROM[step]


@given(st.sampled_from(list(rules.MediationOutcome)), st.text(max_size=30))
def test_m11_2_a_settlement_records_its_agreement(
    outcome: rules.MediationOutcome, agreement: str
) -> None:
    if outcome is rules.MediationOutcome.SETTLED and not agreement.strip():
        assert _refusal(rules.check_mediation, outcome.value, agreement).field == "agreement"
        return
    checked, status, _text = rules.check_mediation(outcome.value, agreement)
    assert checked is outcome and status is rules.MEDIATION[outcome]
    assert (status is rules.CaseStatus.HEARING) == (outcome is rules.MediationOutcome.FAILED)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)), st.integers(0, 10))
def test_m11_2_a_hearing_is_noticed_three_working_days_ahead(today: date, ahead: int) -> None:
    day = today + timedelta(days=ahead)
    earliest = add_working_days(today, rules.HEARING_NOTICE_WORKING_DAYS)
    if day >= earliest:
        assert rules.check_hearing(day, " 会议室 ", today=today) == (day, "会议室")
    else:
        assert _refusal(rules.check_hearing, day, "会议室", today=today).field == "hearing_on"


def test_m11_2_a_hearing_has_a_place_and_is_recorded_once_held() -> None:
    day = date(2026, 12, 14)
    assert _refusal(rules.check_hearing, day, "  ", today=date(2026, 12, 1)).field == "place"
    assert _refusal(rules.check_hearing_held, None, day).field == "record"
    assert _refusal(rules.check_hearing_held, day, day - timedelta(days=1)).field == "record"
    assert rules.check_hearing_held(day, day) == day


@given(
    st.sampled_from(list(rules.CaseKind)),
    st.sampled_from(list(rules.Outcome)),
    st.sampled_from(["", "责令停止制造、销售侵权产品"]),
)
def test_m11_2_a_decision_has_an_outcome_of_its_kind_and_measures_only_on_infringement(
    kind: rules.CaseKind, outcome: rules.Outcome, measures: str
) -> None:
    assert _refusal(rules.check_decision, kind, outcome.value, measures, heard=False)
    if outcome not in rules.OUTCOMES[kind]:
        refused = _refusal(rules.check_decision, kind, outcome.value, measures, heard=True)
        assert refused.field == "outcome"
    elif measures and outcome not in rules.MEASURES_ALLOWED:
        refused = _refusal(rules.check_decision, kind, outcome.value, measures, heard=True)
        assert refused.field == "measures"
    else:
        _outcome, status, ordered = rules.check_decision(kind, outcome.value, measures, heard=True)
        assert ordered == measures
        expected = rules.CaseStatus.ENFORCEMENT if measures else rules.CaseStatus.CLOSED
        assert status is expected


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)))
def test_m11_2_each_timed_step_has_its_limit_after_it_starts(since: date) -> None:
    for status in rules.CaseStatus:
        limit = rules.limit_for(status, since)
        assert (limit is not None) == (status in rules.TIMED)
        if limit is not None:
            assert limit > since and rules.remind_from(limit) < limit
    assert rules.limit_for(rules.CaseStatus.HEARING, date(2026, 11, 30)) == date(2027, 2, 28)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)), st.integers(-5, 5))
def test_m11_2_a_step_day_falls_between_the_step_before_and_today(after: date, shift: int) -> None:
    today = after + timedelta(days=3)
    day = after + timedelta(days=shift)
    if after <= day <= today:
        assert rules.check_day(day, field="decided_on", after=after, today=today) == day
    else:
        refused = _refusal(rules.check_day, day, field="decided_on", after=after, today=today)
        assert refused.field == "decided_on"


# Publication without personal data.

NAMES = st.sampled_from(["张伟", "王芳", "李娜", "Nguyen Van An", "Somchai Jaidee"])
MOBILES = st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True)
LANDLINES = st.from_regex(r"0871-6[0-9]{7}", fullmatch=True)
EMAILS = st.from_regex(r"[a-z]{1,8}\.[a-z]{1,8}@[a-z]{2,8}\.(com|cn|org)", fullmatch=True)
IDS = st.from_regex(r"5301[0-9]{13}[0-9X]", fullmatch=True)
ADDRESSES = st.builds(
    "昆明市{}区{}路{}号{}栋{}室".format,
    st.sampled_from(["五华", "盘龙", "官渡"]),
    st.sampled_from(["人民中", "北京", "滇池"]),
    st.integers(1, 999),
    st.integers(1, 30),
    st.integers(101, 2999),
)
FILLER = st.sampled_from(["，", "。", " ", "经查明，", "被请求人", "; ", "\n"])


@given(
    st.lists(st.one_of(NAMES, MOBILES, LANDLINES, EMAILS, IDS, ADDRESSES, FILLER), max_size=12),
    st.lists(NAMES, max_size=3),
)
def test_m11_2_a_publication_carries_no_personal_data(parts: list[str], named: list[str]) -> None:
    text = "".join(parts)
    everyone = ["张伟", "王芳", "李娜", "Nguyen Van An", "Somchai Jaidee"]
    published = rules.redact(text, [*named, *everyone])
    for part in parts:
        if part.strip("，。; \n") and part not in ("经查明，", "被请求人"):
            assert part not in published, (part, published)


def test_m11_2_a_publication_keeps_the_patent_number_organisations_and_dates() -> None:
    text = (
        "请求人昆明生物科技有限公司诉被请求人云南某机械有限公司侵犯专利号 ZL201710601862.3 "
        "一案，于2026-12-01口头审理。委托代理人张伟（电话13812345678，zhang.wei@law.cn）出庭。"
    )
    published = rules.redact(text, ["张伟"])
    assert "ZL201710601862.3" in published and "2026-12-01" in published
    assert "昆明生物科技有限公司" in published and "云南某机械有限公司" in published
    for private in ("张伟", "13812345678", "zhang.wei@law.cn"):
        assert private not in published


def test_m11_2_the_people_named_are_kept_once_each() -> None:
    assert rules.check_names([" 张伟 ", "", "张伟", "王  芳"]) == ["张伟", "王 芳"]
    assert _refusal(rules.check_names, ["x" * 201]).field == "persons"
