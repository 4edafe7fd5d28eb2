"""The joint meeting's forms (M13.1, M13.2): a unit raises a difficulty with evidence on its page,
the bureau convenes, records minutes and a decision with tasks (the row editor), records each
closing with its evidence, reopens one closed by mistake and concludes the difficulty; every
refusal shows beside its field naming the clause; the documents come back only to those who read
the difficulty and only while their hash holds."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kttc.core.models import AuditEntry
from kttc.oversight.meeting import forms as meeting_forms
from kttc.oversight.meeting import selectors
from kttc.oversight.meeting.models import Difficulty, MeetingSession, MeetingTask
from kttc.oversight.meeting.tests.factories import convened, decided, raised
from kttc.policy.evidence import document_hash
from kttc.policy.roles import Role

pytestmark = pytest.mark.django_db


def _errors_beside(page: str, field_id: str) -> str:
    """The text of the field's block: from its input to the next field."""
    start = page.index(f'id="{field_id}"')
    return page[start : page.find('class="field', start + 1)]


def test_m13_1_a_unit_raises_with_evidence_and_downloads_it_hash_checked(
    client, personas, settings, monkeypatch, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(personas.transfer_office)
    url = reverse("meeting:raise")
    assert client.get(url).status_code == 200
    monkeypatch.setattr(meeting_forms, "MAX_DOCUMENT_BYTES", 10)
    too_big = client.post(url, {
        "organisation": personas.organisations[Role.TRANSFER_OFFICE].pk, "title": "审批慢",
        "category": "policy", "description": "四个月",
        "document_1": SimpleUploadedFile("big.pdf", b"x" * 11),
    })  # fmt: skip
    assert too_big.status_code == 200 and not Difficulty.objects.exists()
    assert "at most" in _errors_beside(too_big.content.decode(), "id_document_1")
    monkeypatch.setattr(meeting_forms, "MAX_DOCUMENT_BYTES", 2**20)
    blank = client.post(url, {
        "organisation": personas.organisations[Role.TRANSFER_OFFICE].pk, "title": "\u202e",
        "category": "policy", "description": "四个月",
    })  # fmt: skip
    assert not Difficulty.objects.exists() and 'class="field invalid"' in blank.content.decode()
    response = client.post(url, {
        "organisation": personas.organisations[Role.TRANSFER_OFFICE].pk,
        "title": "科研人员离岗创业审批流程长", "category": "policy",
        "description": "平均耗时四个月。",
        "document_1": SimpleUploadedFile("flow.pdf", b"%PDF flow"),
    })  # fmt: skip
    found = Difficulty.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "meeting:detail", args=[found.pk]
    )
    assert (found.category, found.get_category_display()) == ("policy", "Rules and approvals")
    (doc,) = found.documents.all()
    assert doc.sha256 == document_hash(b"%PDF flow")
    link = reverse("meeting:document", args=[doc.pk])
    assert link in client.get(response["Location"]).content.decode()
    got = client.get(link)
    assert got.status_code == 200 and b"".join(got.streaming_content) == b"%PDF flow"
    client.force_login(personas.enterprise)  # another organisation does not read it
    assert client.get(link).status_code == 404
    client.force_login(personas.auditor)
    assert client.get(link).status_code == 200
    with default_storage.open(doc.file.name, "wb") as handle:  # the kept file altered
        handle.write(b"%PDF forged")
    assert client.get(link).status_code == 409
    default_storage.delete(doc.file.name)  # the kept file gone
    assert client.get(link).status_code == 409


def test_m13_1_m13_2_the_bureau_convenes_decides_closes_reopens_and_concludes_on_pages(
    client, personas, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    difficulty = raised(personas, today=None)
    client.force_login(personas.transfer_office)
    assert client.get(reverse("meeting:convene")).status_code == 403
    client.force_login(personas.bureau)
    held_on = selectors.today()
    response = client.post(reverse("meeting:convene"), {
        "held_on": held_on.isoformat(), "title": "第一次会议", "place": "市政府第三会议室",
        "agenda": [difficulty.pk], "attendees": "市科技局\n市人社局\n五华区",
    })  # fmt: skip
    session = MeetingSession.objects.get()
    assert response["Location"] == reverse("meeting:session", args=[session.pk])
    assert (session.place, session.attendees) == (
        "市政府第三会议室",
        ["市科技局", "市人社局", "五华区"],
    )
    assert client.post(
        reverse("meeting:minutes", args=[session.pk]), {"minutes": "会议议定两项任务。"}
    ).status_code == 302  # fmt: skip
    decide = reverse("meeting:decide", args=[session.pk, difficulty.pk])
    rows = {
        "text": "由市人社局牵头出台办法。", "tasks-count": "2",
        "tasks-0-owner": "dept_hrss", "tasks-0-deliverable": "出台办法",
        "tasks-0-deadline": (held_on + dt.timedelta(days=30)).isoformat(),
        "tasks-1-owner": "wuhua", "tasks-1-deliverable": "设立窗口",
        "tasks-1-deadline": held_on.isoformat(),  # not after the session: refused
    }  # fmt: skip
    refused = client.post(decide, rows)
    assert refused.status_code == 200 and not MeetingTask.objects.exists()
    assert "M13.2" in _errors_beside(refused.content.decode(), "id_tasks")
    rows["tasks-1-deadline"] = (held_on + dt.timedelta(days=20)).isoformat()
    assert client.post(decide, rows).status_code == 302
    first, second = MeetingTask.objects.order_by("id")
    detail = reverse("meeting:detail", args=[difficulty.pk])
    page = client.get(detail).content.decode()
    assert "Human Resources and Social Security Bureau (市人社局)" in page
    assert "Wuhua District (五华区)" in page

    conclude = reverse("meeting:conclude", args=[difficulty.pk])
    early = client.post(conclude, {"conclude-outcome": "resolved", "conclude-text": "已解决"})
    assert early.status_code == 400 and "M13.1, M13.2" in early.content.decode()
    close = reverse("meeting:task_close", args=[first.pk])
    empty = client.post(close, {f"close-{first.pk}-evidence": " "})
    assert empty.status_code == 400
    closed = client.post(close, {
        f"close-{first.pk}-evidence": "已印发办法",
        f"close-{first.pk}-document_1": SimpleUploadedFile("办法.pdf", b"%PDF rule"),
    })  # fmt: skip
    assert closed.status_code == 302
    reopen = reverse("meeting:task_reopen", args=[first.pk])
    assert client.post(reopen, {f"reopen-{first.pk}-reason": "证据不全"}).status_code == 302
    first.refresh_from_db()
    assert first.status == "open" and first.documents.count() == 1
    for task, text in ((first, "已印发办法（正式文号）"), (second, "窗口已设立")):
        client.post(
            reverse("meeting:task_close", args=[task.pk]), {f"close-{task.pk}-evidence": text}
        )
    page = client.get(detail).content.decode()
    assert "市人社局: 已印发办法（正式文号）" in page  # the conclusion drafted from the evidence
    home = client.get(reverse("office:home")).content.decode()
    assert "Difficulties whose every task is closed, to conclude" in home and detail in home
    assert client.post(conclude, {
        "conclude-outcome": "resolved", "conclude-text": "并联审批办法已印发，窗口已设立。",
    }).status_code == 302  # fmt: skip
    difficulty.refresh_from_db()
    assert (difficulty.status, difficulty.resolution) == (
        "resolved",
        "并联审批办法已印发，窗口已设立。",
    )
    assert AuditEntry.objects.filter(action="meeting.task_reopen").count() == 1
    summary = client.get(reverse("difficulties:summary")).content.decode()
    assert difficulty.title in summary and 'data-label="' in summary


def test_m13_1_the_bureau_concludes_not_resolved_with_a_reason_and_only_the_bureau_acts(
    client, personas
):
    difficulty = raised(personas)
    session = convened(personas, difficulty)
    (task,) = decided(personas, session, difficulty, owners=("wuhua",)).tasks.all()
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(personas.transfer_office)
    page = client.get(reverse("meeting:detail", args=[difficulty.pk])).content.decode()
    assert "conclude-submit" not in page and f'data-close="{task.pk}"' not in page
    close = reverse("meeting:task_close", args=[task.pk])
    assert client.post(close, {f"close-{task.pk}-evidence": "x"}).status_code == 403
    client.force_login(personas.bureau)
    page = client.get(reverse("meeting:detail", args=[difficulty.pk])).content.decode()
    assert f'data-close="{task.pk}"' in page
    conclude = reverse("meeting:conclude", args=[difficulty.pk])
    no_reason = client.post(conclude, {"conclude-outcome": "not_resolved", "conclude-text": ""})
    assert no_reason.status_code == 400
    client.post(conclude, {"conclude-outcome": "not_resolved", "conclude-text": "已由省级政策解决"})
    difficulty.refresh_from_db()
    assert (difficulty.status, difficulty.resolution) == ("closed", "已由省级政策解决")
