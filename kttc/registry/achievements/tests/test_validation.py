"""One validation for form, API and import: every problem named with its field and clause."""

from __future__ import annotations

import datetime as dt

import pytest

from kttc.registry.tests.factories import achievement_raw
from kttc.registry.validation import Invalid, validate_achievement

TODAY = dt.date(2026, 11, 25)


def _errors(raw) -> dict[str, str]:
    with pytest.raises(Invalid) as info:
        validate_achievement(raw, today=TODAY)
    return {e.field: e.code for e in info.value.errors}


def test_a_complete_record_is_normalised():
    data = validate_achievement(achievement_raw(keywords="石墨烯，植物提取、高原"), today=TODAY)
    assert data.keywords == ["石墨烯", "植物提取", "高原"]
    assert data.stage == "middle" and data.trl == 6
    assert data.ip_rights[0].number == "201710601862.3"
    assert data.industry_code == "C2710" and data.discipline_code == "41630"


def test_m8_6_a_classified_result_is_refused_at_the_door_and_nothing_else_is_read():
    with pytest.raises(Invalid) as info:
        validate_achievement(achievement_raw(confidentiality="classified", name=""), today=TODAY)
    assert [e.code for e in info.value.errors] == ["achievement.classified"]
    assert info.value.clauses == ("M8.6",)


def test_every_problem_is_reported_at_once_with_its_field():
    errors = _errors(
        achievement_raw(
            name="",
            trl=12,
            discipline_code="52",
            industry_code="A35",
            formation_date="2030-01-01",
            keywords=[],
            transformation_modes=["sale"],
        )
    )
    assert errors == {
        "name": "required",
        "trl": "achievement.trl",
        "discipline_code": "discipline.format",
        "industry_code": "industry.format",
        "formation_date": "date.future",
        "keywords": "required",
        "transformation_modes": "choice",
    }


@pytest.mark.parametrize(
    "shares,code",
    [
        (["60", "30"], "shares.total"),
        (["100", "0"], "shares.positive"),
        (["sixty", "40"], "number"),
    ],
)
def test_completer_shares_sum_to_one_hundred(shares, code):
    completers = [{"name": f"人{i}", "share": s} for i, s in enumerate(shares)]
    assert _errors(achievement_raw(completers=completers)) == {"completers": code}


def test_patent_numbers_are_checked_and_must_fit_the_kind():
    bad_check = [{"kind": "invention", "number": "201710601862.4", "status": "pending"}]
    assert _errors(achievement_raw(ip_rights=bad_check)) == {"patent_number": "patent.check_char"}
    wrong_kind = [{"kind": "design", "number": "201710601862.3", "status": "pending"}]
    assert _errors(achievement_raw(ip_rights=wrong_kind)) == {"number": "patent.kind_mismatch"}
    no_date = [{"kind": "software_copyright", "number": "2020SR0012345", "status": "granted"}]
    assert _errors(achievement_raw(ip_rights=no_date)) == {"grant_date": "required"}


def test_translations_need_a_known_language_and_text():
    assert _errors(
        achievement_raw(translations=[{"language": "xx", "name": "a", "abstract": "b"}])
    ) == {"translations": "translation.language"}
    assert _errors(achievement_raw(translations=[{"language": "vi", "name": "tên"}])) == {
        "translations": "required"
    }
