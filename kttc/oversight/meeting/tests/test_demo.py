"""The joint meeting's demo (M13.1, M13.2): two difficulties discussed at a session two weeks
ago, one resolved by 市人社局's closed task, the other with 五华区's task open and due soon;
loading twice adds nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kttc.center import demo as center_demo
from kttc.core.demo import load_demo as load_core_demo
from kttc.core.models import User
from kttc.core.selectors import audit_chain_verify
from kttc.oversight import demo as oversight_demo
from kttc.oversight.meeting import selectors
from kttc.oversight.meeting.models import Difficulty, MeetingSession, MeetingTask

pytestmark = pytest.mark.django_db


def test_m13_1_the_demo_has_a_resolved_difficulty_and_an_open_task_due_soon(client):
    load_core_demo()
    center_demo.load_demo()
    oversight_demo.load_demo()
    today = selectors.today()
    session = MeetingSession.objects.get()
    assert (today - session.held_on).days == 14
    assert session.minutes
    statuses = dict(Difficulty.objects.values_list("title", "status"))
    assert statuses == {
        "科研人员离岗创业审批流程长": "resolved",
        "中试熟化平台不足，成果难以放大生产": "decided",
    }
    closed = MeetingTask.objects.get(owner="dept_hrss")
    assert closed.status == "closed" and closed.documents.count() == 1
    open_task = MeetingTask.objects.get(owner="wuhua")
    assert open_task.status == "open" and 0 < (open_task.deadline - today).days <= 7
    assert [d.title for d in selectors.resolved()] == ["科研人员离岗创业审批流程长"]
    assert audit_chain_verify().intact
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-hans"
    summary = client.get(reverse("difficulties:summary")).content.decode()
    assert "科研人员离岗创业审批流程长" in summary and "市人社局" in summary
    assert "中试熟化平台不足" not in summary
    # the bureau's home lists the open task due within the week (M13.2)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(User.objects.get(email="bureau@demo.kttc.example"))
    home = client.get(reverse("office:home")).content.decode()
    assert "Tasks of the joint meeting due within a week or overdue" in home
    assert "Wuhua District (五华区)" in home  # the owner in the reader's language
    counts = (Difficulty.objects.count(), MeetingTask.objects.count())
    oversight_demo.load_demo()
    assert (Difficulty.objects.count(), MeetingTask.objects.count()) == counts
