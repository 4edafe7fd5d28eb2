"""DESIGN rule 12 (M8.6): each step of the submission workflow tells, at once and once, whoever
waits for it, on the platform and by one e-mail in their language after the commit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from kttc.core.models import Notification
from kttc.policy.errors import PolicyError
from kttc.policy.roles import Role
from kttc.registry import services
from kttc.registry.tests.factories import achievement_raw
from kttc.registry.validation import validate_achievement

TODAY = dt.date(2026, 11, 25)


@pytest.fixture
def result(personas):
    unit = personas.organisations[Role.TRANSFER_OFFICE]
    data = validate_achievement(achievement_raw(name="高原茶叶保鲜技术"), today=TODAY)
    return services.achievement_create(actor=personas.transfer_office, unit=unit, data=data)


def _step(capture, call, **kwargs):
    with capture(execute=True):
        return call(**kwargs)


def _of(kind):
    return list(Notification.objects.filter(kind=kind))


def test_a_submission_tells_the_reviewers_once(
    personas, result, django_capture_on_commit_callbacks
):
    personas.bureau.preferred_language = "en"
    personas.bureau.save()
    capture = django_capture_on_commit_callbacks
    _step(capture, services.achievement_submit, actor=personas.transfer_office, achievement=result)
    (notice,) = _of("registry.achievement_submitted")
    assert notice.recipient == personas.bureau
    assert notice.link == f"/office/registry/{result.pk}/review/"
    assert (notice.object_id, notice.clauses) == (str(result.pk), ["M8.6"])
    (message,) = mail.outbox
    assert message.to == [personas.bureau.email]
    assert message.subject == "KTTC: Result submitted for review: 高原茶叶保鲜技术"
    assert f"/office/registry/{result.pk}/review/" in message.body
    with pytest.raises(PolicyError):
        _step(
            capture, services.achievement_submit, actor=personas.transfer_office, achievement=result
        )
    assert Notification.objects.count() == 1 and len(mail.outbox) == 1


def test_a_publication_tells_the_units_transfer_office_once(
    personas, result, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    _step(capture, services.achievement_submit, actor=personas.transfer_office, achievement=result)
    mail.outbox.clear()
    _step(capture, services.achievement_publish, actor=personas.bureau, achievement=result)
    (notice,) = _of("registry.achievement_published")
    assert notice.recipient == personas.transfer_office  # not the researcher of the same unit
    assert notice.link == f"/office/registry/{result.pk}/"
    (message,) = mail.outbox
    assert message.to == [personas.transfer_office.email]
    assert message.subject == "KTTC: 成果已发布：高原茶叶保鲜技术"  # in the default language
    with pytest.raises(PolicyError):
        _step(capture, services.achievement_publish, actor=personas.bureau, achievement=result)
    assert len(_of("registry.achievement_published")) == 1 and len(mail.outbox) == 1


def test_a_return_tells_the_unit_why_and_a_second_submission_is_told_again(
    personas, result, django_capture_on_commit_callbacks
):
    personas.transfer_office.preferred_language = "en"
    personas.transfer_office.save()
    capture = django_capture_on_commit_callbacks
    _step(capture, services.achievement_submit, actor=personas.transfer_office, achievement=result)
    mail.outbox.clear()
    _step(
        capture,
        services.achievement_return,
        actor=personas.bureau,
        achievement=result,
        reason="Add the patent number.",
    )
    (notice,) = _of("registry.achievement_returned")
    assert notice.recipient == personas.transfer_office
    assert notice.link == f"/office/registry/{result.pk}/edit/"
    (message,) = mail.outbox
    assert message.to == [personas.transfer_office.email]
    assert "The reason given: Add the patent number." in message.body
    _step(capture, services.achievement_submit, actor=personas.transfer_office, achievement=result)
    assert len(_of("registry.achievement_submitted")) == 2  # each submission is its own event
