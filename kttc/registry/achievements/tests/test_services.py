"""Results and the submission workflow (M8.6), and the one store step, through the services."""

from __future__ import annotations

import datetime as dt

import pytest

from kttc.core.errors import AccessDenied
from kttc.core.models import AuditEntry
from kttc.core.tests.factories import OrganisationFactory
from kttc.policy.errors import PolicyError
from kttc.policy.roles import Role
from kttc.registry import selectors, services
from kttc.registry.achievements import store
from kttc.registry.models import Achievement, AchievementEvent
from kttc.registry.tests.factories import achievement_raw, fiscal_project
from kttc.registry.validation import validate_achievement

TODAY = dt.date(2026, 11, 25)


@pytest.fixture
def unit(personas):
    return personas.organisations[Role.TRANSFER_OFFICE]


@pytest.fixture
def project(personas, unit):
    return fiscal_project(personas, unit)


def _create(personas, unit, **changes):
    data = validate_achievement(achievement_raw(**changes), today=TODAY)
    return services.achievement_create(actor=personas.transfer_office, unit=unit, data=data)


def test_m8_6_a_fiscal_result_is_due_three_months_after_formation(personas, unit, project):
    achievement = _create(personas, unit, project_number="KM2026-001", formation_date="2026-09-30")
    assert achievement.source_project == project
    assert achievement.submission_due == dt.date(2026, 12, 30)
    plain = _create(personas, unit, external_ref="no-project")
    assert plain.submission_due is None


def test_m8_6_due_and_overdue_show_for_the_unit_and_the_bureau(personas, unit, project):
    late = _create(
        personas,
        unit,
        project_number="KM2026-001",
        formation_date="2026-06-01",
        external_ref="late",
    )
    soon = _create(
        personas,
        unit,
        project_number="KM2026-001",
        formation_date="2026-10-01",
        external_ref="soon",
    )
    for viewer in (personas.transfer_office, personas.bureau, personas.auditor):
        rows = list(selectors.submissions_due(viewer, on=TODAY))
        assert [(a.pk, a.overdue) for a in rows] == [(late.pk, True), (soon.pk, False)]
    assert not selectors.submissions_due(personas.enterprise, on=TODAY).exists()
    services.achievement_submit(actor=personas.transfer_office, achievement=late)
    assert [a.pk for a in selectors.submissions_due(personas.bureau, on=TODAY)] == [soon.pk]


def test_m8_6_submit_review_publish_and_return_with_reasons(personas, unit):
    achievement = _create(personas, unit)
    services.achievement_submit(actor=personas.transfer_office, achievement=achievement)
    with pytest.raises(PolicyError) as info:
        services.achievement_return(actor=personas.bureau, achievement=achievement, reason=" ")
    assert info.value.field == "reason"
    services.achievement_return(
        actor=personas.bureau, achievement=achievement, reason="摘要需补充应用场景"
    )
    achievement.refresh_from_db()
    assert achievement.status == "returned" and achievement.return_reason == "摘要需补充应用场景"
    services.achievement_submit(actor=personas.transfer_office, achievement=achievement)
    services.achievement_publish(actor=personas.bureau, achievement=achievement)
    achievement.refresh_from_db()
    assert achievement.is_public
    kinds = list(
        AchievementEvent.objects.filter(achievement=achievement).values_list("kind", flat=True)
    )
    assert kinds == ["created", "submitted", "returned", "submitted", "published"]
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "achievement.create",
        "achievement.submitted",
        "achievement.returned",
        "achievement.published",
    } <= actions
    assert achievement in selectors.public_achievements()


def test_the_unit_cannot_publish_and_the_center_cannot_submit(personas, unit):
    achievement = _create(personas, unit)
    with pytest.raises(AccessDenied):
        services.achievement_submit(actor=personas.bureau, achievement=achievement)
    services.achievement_submit(actor=personas.transfer_office, achievement=achievement)
    with pytest.raises(AccessDenied):
        services.achievement_publish(actor=personas.transfer_office, achievement=achievement)
    with pytest.raises(PolicyError):
        services.achievement_update(
            actor=personas.transfer_office,
            achievement=achievement,
            data=validate_achievement(achievement_raw(), today=TODAY),
        )


def test_another_units_office_and_researchers_cannot_enter_results(personas, unit):
    data = validate_achievement(achievement_raw(), today=TODAY)
    with pytest.raises(AccessDenied):
        services.achievement_create(
            actor=personas.transfer_office, unit=OrganisationFactory(), data=data
        )
    with pytest.raises(AccessDenied):
        services.achievement_create(actor=personas.researcher, unit=unit, data=data)
    with pytest.raises(AccessDenied):
        services.achievement_create(actor=personas.auditor, unit=unit, data=data)
    assert not Achievement.objects.exists()


def test_restricted_results_stay_out_of_the_public_set_even_when_published(personas, unit):
    achievement = _create(personas, unit, confidentiality="restricted")
    services.achievement_submit(actor=personas.transfer_office, achievement=achievement)
    services.achievement_publish(actor=personas.bureau, achievement=achievement)
    assert achievement not in selectors.public_achievements()
    assert achievement in selectors.achievements_visible_to(personas.researcher)
    assert achievement not in selectors.achievements_visible_to(personas.enterprise)


def test_an_unknown_project_number_names_the_field(personas, unit):
    with pytest.raises(PolicyError) as info:
        _create(personas, unit, project_number="NOPE")
    assert info.value.field == "project_number"
    assert not Achievement.objects.exists()


def test_the_database_itself_refuses_a_classified_row(personas, unit):
    from django.db import IntegrityError, transaction

    achievement = _create(personas, unit)
    with pytest.raises(IntegrityError), transaction.atomic():
        Achievement.objects.filter(pk=achievement.pk).update(confidentiality="classified")


def _data(**changes):
    return validate_achievement(achievement_raw(**changes), today=TODAY)


def test_m8_6_many_results_are_stored_at_once_each_with_children_event_and_audit(
    personas, unit, project
):
    from django.db import transaction

    from kttc.core.selectors import audit_chain_verify

    draft = _create(personas, unit, name="旧名称")
    changes = [store.Change(_data(name=f"成果{i}", project_number="KM2026-001")) for i in range(3)]
    changes.append(store.Change(_data(name="新名称"), draft.pk))
    with transaction.atomic():
        stored = store.achievements_store(
            actor=personas.transfer_office, unit=unit, changes=changes, imported=True, batch_size=2
        )
    names = Achievement.objects.in_bulk(stored)
    assert [names[pk].name for pk in stored] == ["成果0", "成果1", "成果2", "新名称"]
    assert stored[3] == draft.pk and Achievement.objects.count() == 4
    first = names[stored[0]]
    assert first.source_project == project and first.submission_due is not None
    assert first.completers.count() == len(changes[0].data.completers)
    assert draft.completers.count() == len(changes[3].data.completers)  # replaced, not added
    assert AchievementEvent.objects.filter(kind="imported").count() == 4
    assert AuditEntry.objects.filter(action="achievement.create").count() == 4  # 3 + the draft
    # The snapshot of a stored row is the one the model itself gives.
    from kttc.core.services import model_snapshot

    created = AuditEntry.objects.get(action="achievement.create", object_id=str(stored[0]))
    assert created.after == model_snapshot(first, store.SNAPSHOT_FIELDS)
    assert created.after["submission_due"] and created.after["source_project"] == project.pk
    update = AuditEntry.objects.get(action="achievement.update")
    assert update.before["name"] == "旧名称" and update.after["name"] == "新名称"
    assert audit_chain_verify().intact


def test_a_refused_change_in_a_batch_names_its_index_and_stores_nothing(personas, unit):
    from django.db import transaction

    submitted = services.achievement_submit(
        actor=personas.transfer_office, achievement=_create(personas, unit)
    )
    entries = AuditEntry.objects.count()
    for changes, index, code in (
        ([store.Change(_data()), store.Change(_data(project_number="NOPE"))], 1,
         "achievement.project"),
        ([store.Change(_data()), store.Change(_data(), submitted.pk)], 1,
         "achievement.not_editable"),
    ):  # fmt: skip
        with pytest.raises(store.StoreRefused) as info, transaction.atomic():
            store.achievements_store(actor=personas.transfer_office, unit=unit, changes=changes)
        assert info.value.index == index and info.value.error.code == code
    assert Achievement.objects.count() == 1 and AuditEntry.objects.count() == entries


def test_a_batch_for_another_units_result_is_refused(personas, unit):
    from django.db import transaction

    other = OrganisationFactory(kind="university")
    mine = _create(personas, unit)
    with pytest.raises(AccessDenied), transaction.atomic():
        store.achievements_store(
            actor=personas.transfer_office, unit=other, changes=[store.Change(_data())]
        )
    from kttc.core.tests.factories import MembershipFactory

    MembershipFactory(user=personas.transfer_office, organisation=other, role=Role.TRANSFER_OFFICE)
    with pytest.raises(store.StoreRefused) as info, transaction.atomic():
        store.achievements_store(
            actor=personas.transfer_office, unit=other, changes=[store.Change(_data(), mine.pk)]
        )
    assert info.value.error.code == "import.conflict"
