"""The findings' sweep (M14.2): the unit and the department are reminded once in the week before
a rectification's deadline and told once when it is overdue; a rectification recorded, a
finding without one required, and a draft are neither."""

from __future__ import annotations

import datetime as dt

import pytest

from kttc.core.models import Notification
from kttc.oversight import sweep as part_sweep
from kttc.oversight.findings import services
from kttc.oversight.findings.tests.factories import DAY, departments, issued, plan, recorded
from kttc.policy.roles import Role

pytestmark = pytest.mark.django_db


def _told(user, kind: str) -> int:
    return Notification.objects.filter(recipient=user, kind=kind).count()


def test_m14_2_reminder_once_then_overdue_once_to_the_unit_and_the_department(personas):
    world = departments(personas)
    unit = personas.organisations[Role.TRANSFER_OFFICE]
    done = issued(
        world.auditor_a, world.a, unit,
        findings=[plan(unit), plan(unit, clause="M5.3"), plan(unit, rectification_required=False)],
    )  # fmt: skip
    owed, rectified, _noted = done.findings.order_by("id")
    recorded(world.auditor_b, world.b, unit, reference="草稿")  # a draft: never reminded
    services.rectification_submit(
        actor=personas.transfer_office, finding=rectified, text="已整改。", today=DAY
    )
    deadline = owed.deadline

    def run(day: dt.date) -> dict[str, int]:
        counts = part_sweep.run(day)
        return {k: v for k, v in counts.items() if k.startswith("findings_")}

    assert run(deadline - dt.timedelta(days=8)) == {"findings_reminded": 0, "findings_overdue": 0}
    assert run(deadline - dt.timedelta(days=7))["findings_reminded"] == 1
    assert run(deadline)["findings_reminded"] == 0  # once
    assert _told(personas.transfer_office, "findings.reminder") == 1
    assert _told(world.auditor_a, "findings.reminder") == 1
    assert _told(world.auditor_b, "findings.reminder") == 0
    assert run(deadline)["findings_overdue"] == 0  # due today is not late
    assert run(deadline + dt.timedelta(days=1))["findings_overdue"] == 1
    assert run(deadline + dt.timedelta(days=2))["findings_overdue"] == 0
    assert _told(personas.transfer_office, "findings.overdue") == 1
    assert _told(world.auditor_a, "findings.overdue") == 1


def test_m14_2_a_deadline_moved_by_an_amendment_is_reminded_of_again(personas):
    world = departments(personas)
    unit = personas.organisations[Role.TRANSFER_OFFICE]
    finding = issued(world.auditor_a, world.a, unit).findings.get()
    first = finding.deadline
    assert part_sweep.run(first - dt.timedelta(days=3))["findings_reminded"] == 1
    later = first + dt.timedelta(days=30)
    services.inspection_amend(
        actor=world.auditor_a, inspection=finding.inspection, reason="延期整改",
        finding=finding, correction=services.Correction({"deadline": later}),
        today=first - dt.timedelta(days=3),
    )  # fmt: skip
    assert part_sweep.run(later - dt.timedelta(days=3))["findings_reminded"] == 1
    assert _told(personas.transfer_office, "findings.reminder") == 2
    assert _told(world.auditor_a, "findings.reminder") == 2
