"""The joint meeting (M13.1, M13.2): a difficulty raised with its evidence kept by hash, put on a
session's agenda, decided and broken into tasks with owners and deadlines, each task closed with
its evidence, the difficulty concluded resolved by the bureau once all are closed (or closed
unresolved), a task closed by mistake reopened; each step
audited with its clauses, the raiser told at each step; every refusal and persona."""

from __future__ import annotations

import datetime as dt

import pytest

from kttc.core.errors import AccessDenied
from kttc.core.models import AuditEntry, Notification
from kttc.core.selectors import audit_chain_verify
from kttc.oversight.meeting import selectors, services
from kttc.oversight.meeting.models import Difficulty, DifficultyDocument, MeetingTaskDocument
from kttc.oversight.meeting.tests.factories import DAY, attachment, convened, decided, raised
from kttc.policy.errors import PolicyError
from kttc.policy.evidence import document_hash
from kttc.policy.roles import Role

pytestmark = pytest.mark.django_db


def _refused(call, **kwargs) -> PolicyError:
    with pytest.raises(PolicyError) as refused:
        call(**kwargs)
    return refused.value


def _told(user, kind: str) -> int:
    return Notification.objects.filter(recipient=user, kind=kind).count()


@pytest.mark.parametrize("role", [Role.TRANSFER_OFFICE, Role.ENTERPRISE, Role.SERVICE_BROKER])
def test_m13_1_a_unit_enterprise_or_institution_raises_and_the_bureau_hears(personas, role):
    difficulty = raised(personas, role=role)
    assert (difficulty.status, difficulty.organisation) == ("raised", personas.organisations[role])
    document = DifficultyDocument.objects.get(difficulty=difficulty)
    assert document.sha256 == document_hash(b"%PDF-1.4 approval flow")
    entry = AuditEntry.objects.get(action="meeting.raise")
    assert entry.clauses == ["M13.1"]
    assert entry.after["documents"] == {"审批流程说明": document.sha256}
    assert _told(personas.bureau, "meeting.raised") == 1
    assert audit_chain_verify().intact


@pytest.mark.parametrize(
    "role", [Role.RESEARCHER, Role.AUDITOR, Role.FINANCIAL_INSTITUTION, Role.PARTNER]
)
def test_m13_1_other_roles_do_not_raise(personas, role):
    with pytest.raises(AccessDenied):
        raised(personas, role=role)
    assert not Difficulty.objects.exists()


def test_m13_1_an_unverified_organisation_does_not_raise(personas):
    unit = personas.organisations[Role.TRANSFER_OFFICE]
    unit.verified_at = None
    unit.save()
    assert _refused(raised, personas=personas).code == "meeting.unverified"
    assert not Difficulty.objects.exists()


def test_m13_1_a_difficulty_without_title_or_description_is_refused_on_its_field(personas):
    assert _refused(raised, personas=personas, title=" ").field == "title"
    assert _refused(raised, personas=personas, description="").field == "description"
    assert not AuditEntry.objects.filter(action__startswith="meeting").exists()


def test_m13_1_m13_2_raised_to_convened_to_decided_to_resolved(personas):
    difficulty = raised(personas)
    session = convened(personas, difficulty)
    difficulty.refresh_from_db()
    assert difficulty.status == "on_agenda"
    assert session.attendees == ["市科技局", "市人社局", "五华区"]
    assert _told(personas.transfer_office, "meeting.scheduled") == 1
    services.session_minutes(
        actor=personas.bureau, session=session, minutes="会议讨论了…", today=DAY
    )
    made = decided(personas, session, difficulty, owners=("dept_hrss", "wuhua"))
    difficulty.refresh_from_db()
    assert difficulty.status == "decided"
    assert _told(personas.transfer_office, "meeting.decided") == 1
    first, second = made.tasks.order_by("id")
    assert (first.owner, first.get_owner_display(), second.owner) == (
        "dept_hrss",
        "市人社局",
        "wuhua",
    )
    assert AuditEntry.objects.get(action="meeting.decide").clauses == ["M13.1", "M13.2"]

    services.task_close(
        actor=personas.bureau, task=first, evidence="已出台办法", documents=[attachment(b"doc")],
        today=DAY + dt.timedelta(days=3),
    )  # fmt: skip
    difficulty.refresh_from_db()
    assert difficulty.status == "decided"  # one task still open
    assert MeetingTaskDocument.objects.get(task=first).sha256 == document_hash(b"doc")
    assert _told(personas.transfer_office, "meeting.task_closed") == 1
    assert _told(personas.transfer_office, "meeting.resolved") == 0

    services.task_close(
        actor=personas.bureau,
        task=second,
        evidence="五华区已设窗口",
        today=DAY + dt.timedelta(days=5),
    )
    difficulty.refresh_from_db()
    assert difficulty.status == "decided"  # every task closed: waiting for the bureau
    assert list(selectors.to_conclude()) == [difficulty]
    assert _told(personas.transfer_office, "meeting.resolved") == 0
    services.difficulty_resolve(
        actor=personas.bureau, difficulty=difficulty, today=DAY + dt.timedelta(days=6)
    )
    difficulty.refresh_from_db()
    assert (difficulty.status, difficulty.ended_on) == ("resolved", DAY + dt.timedelta(days=6))
    assert "市人社局: 已出台办法" in difficulty.resolution
    assert _told(personas.transfer_office, "meeting.resolved") == 1
    assert AuditEntry.objects.filter(action="meeting.resolve").count() == 1
    assert list(selectors.resolved()) == [difficulty]
    assert not selectors.to_conclude().exists()
    counts = selectors.public_counts()
    assert counts["by_status"] == {"resolved": 1}
    assert counts["by_owner"] == {"dept_hrss": 1, "wuhua": 1}
    assert audit_chain_verify().intact


def test_m13_2_a_closed_task_is_not_closed_again(personas):
    difficulty = raised(personas)
    session = convened(personas, difficulty)
    (task,) = decided(personas, session, difficulty, owners=("wuhua",)).tasks.all()
    services.task_close(actor=personas.bureau, task=task, evidence="完成", today=DAY)
    refused = _refused(
        services.task_close, actor=personas.bureau, task=task, evidence="again", today=DAY
    )
    assert (refused.code, refused.clauses) == ("meeting.task_closed", ("M13.2",))


def test_m13_1_refusals_of_convening_and_deciding(personas):
    difficulty = raised(personas)
    other = raised(personas, role=Role.ENTERPRISE, title="中试平台不足")
    assert _refused(convened, personas=personas).code == "meeting.agenda_empty"
    refused = _refused(
        services.session_convene, actor=personas.bureau, held_on=DAY, title="会议",
        attendees=[" "], agenda=[difficulty], today=DAY,
    )  # fmt: skip
    assert refused.field == "attendees"
    session = convened(personas, difficulty)
    # deciding on a difficulty not on the agenda
    refused = _refused(
        decided, personas=personas, session=session, difficulty=other, owners=("wuhua",)
    )
    assert refused.code == "meeting.not_on_agenda"
    # an owner not on the list, a deadline before the session, no tasks
    assert (
        _refused(
            decided, personas=personas, session=session, difficulty=difficulty, owners=("beijing",)
        ).field
        == "owner"
    )
    refused = _refused(
        services.decision_record, actor=personas.bureau, session=session, difficulty=difficulty,
        text="决定", tasks=[services.TaskPlan("wuhua", "办法", DAY)], today=DAY,
    )  # fmt: skip
    assert (refused.field, refused.clauses) == ("deadline", ("M13.2",))
    assert _refused(
        services.decision_record, actor=personas.bureau, session=session, difficulty=difficulty,
        text="决定", tasks=[], today=DAY,
    ).field == "tasks"  # fmt: skip
    # minutes before the session is held
    future = convened(personas, other, held_on=DAY + dt.timedelta(days=10))
    refused = _refused(
        services.session_minutes, actor=personas.bureau, session=future, minutes="…", today=DAY
    )
    assert refused.field == "minutes"


def test_m13_1_only_the_bureau_convenes_decides_and_closes(personas):
    difficulty = raised(personas)
    for persona in (personas.transfer_office, personas.enterprise, personas.auditor):
        with pytest.raises(AccessDenied):
            services.session_convene(
                actor=persona, held_on=DAY, title="会议", attendees=["市科技局"],
                agenda=[difficulty], today=DAY,
            )  # fmt: skip
        with pytest.raises(AccessDenied):
            services.difficulty_close(actor=persona, difficulty=difficulty, reason="x", today=DAY)


def test_m13_1_the_bureau_closes_an_open_difficulty_with_a_reason_once(personas):
    difficulty = raised(personas)
    assert _refused(
        services.difficulty_close, actor=personas.bureau, difficulty=difficulty, reason=" ",
        today=DAY,
    ).field == "reason"  # fmt: skip
    services.difficulty_close(
        actor=personas.bureau, difficulty=difficulty, reason="已由省级政策解决", today=DAY
    )
    difficulty.refresh_from_db()
    assert (difficulty.status, difficulty.resolution) == ("closed", "已由省级政策解决")
    assert _told(personas.transfer_office, "meeting.closed") == 1
    refused = _refused(
        services.difficulty_close, actor=personas.bureau, difficulty=difficulty, reason="again",
        today=DAY,
    )  # fmt: skip
    assert refused.code == "meeting.status"
    assert _refused(convened, personas=personas, held_on=DAY).code == "meeting.agenda_empty"
    assert _refused(
        services.session_convene, actor=personas.bureau, held_on=DAY, title="会议",
        attendees=["市科技局"], agenda=[difficulty], today=DAY,
    ).code == "meeting.agenda_closed"  # fmt: skip


def test_m13_1_the_raiser_reads_its_own_the_bureau_and_auditor_read_all(personas):
    mine = raised(personas)
    theirs = raised(personas, role=Role.ENTERPRISE, title="中试平台不足")
    assert list(selectors.difficulties_for(personas.transfer_office)) == [mine]
    assert set(selectors.difficulties_for(personas.enterprise)) == {theirs}
    assert set(selectors.difficulties_for(personas.bureau)) == {mine, theirs}
    assert set(selectors.difficulties_for(personas.auditor)) == {mine, theirs}


def test_m13_2_a_task_closed_by_mistake_is_reopened_by_the_bureau_until_the_conclusion(personas):
    difficulty = raised(personas)
    session = convened(personas, difficulty)
    (task,) = decided(personas, session, difficulty, owners=("wuhua",)).tasks.all()
    assert _refused(
        services.difficulty_resolve, actor=personas.bureau, difficulty=difficulty, today=DAY
    ).code == "meeting.tasks_open"  # fmt: skip
    services.task_close(
        actor=personas.bureau, task=task, evidence="误关", documents=[attachment(b"x")], today=DAY
    )
    with pytest.raises(AccessDenied):
        services.task_reopen(actor=personas.auditor, task=task, reason="误关", today=DAY)
    assert _refused(
        services.task_reopen, actor=personas.bureau, task=task, reason=" ", today=DAY
    ).field == "reason"  # fmt: skip
    services.task_reopen(actor=personas.bureau, task=task, reason="证据不全，误关", today=DAY)
    task.refresh_from_db()
    assert (task.status, task.evidence, task.closed_on) == ("open", "", None)
    entry = AuditEntry.objects.get(action="meeting.task_reopen")
    assert entry.clauses == ["M13.2"] and entry.before["evidence"] == "误关"
    assert _told(personas.transfer_office, "meeting.task_reopened") == 1
    assert _refused(
        services.task_reopen, actor=personas.bureau, task=task, reason="again", today=DAY
    ).code == "meeting.task_open"  # fmt: skip
    services.task_close(actor=personas.bureau, task=task, evidence="已设窗口", today=DAY)
    assert _told(personas.transfer_office, "meeting.task_closed") == 2
    assert MeetingTaskDocument.objects.filter(task=task).count() == 1  # the first evidence kept
    services.difficulty_resolve(
        actor=personas.bureau, difficulty=difficulty, resolution="窗口已设立", today=DAY
    )
    assert _refused(
        services.task_reopen, actor=personas.bureau, task=task, reason="late", today=DAY
    ).code == "meeting.task_concluded"  # fmt: skip
    assert Difficulty.objects.get(pk=difficulty.pk).resolution == "窗口已设立"
    assert audit_chain_verify().intact
