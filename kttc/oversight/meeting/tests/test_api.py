"""The joint meeting's API (M13.1, M13.2): a unit raises a difficulty with a document in base64,
reads its own and not another's; the bureau reads all and closes the tasks, the last resolving
the difficulty; the public summary names organisations and departments only; refusals name the
field and the clause."""

from __future__ import annotations

import base64
import datetime as dt

import pytest

from kttc.core.services import api_token_create
from kttc.oversight.meeting import selectors, services
from kttc.oversight.meeting.models import Difficulty
from kttc.oversight.meeting.tests.factories import convened, decided, raised
from kttc.policy.evidence import document_hash
from kttc.policy.roles import Role

pytestmark = pytest.mark.django_db

BASE = "/api/v1/meeting"


def _auth(person) -> dict[str, str]:
    _token, key = api_token_create(user=person, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def _post(client, path: str, body: dict, auth: dict):
    return client.post(path, body, content_type="application/json", **auth)


def test_m13_1_a_unit_raises_through_the_api_and_reads_only_its_own(client, personas):
    office = _auth(personas.transfer_office)
    body = {
        "title": "科研人员离岗创业审批流程长",
        "description": "平均耗时四个月。",
        "documents": [
            {"title": "流程图", "file_name": "flow.pdf",
             "content_base64": base64.b64encode(b"%PDF flow").decode()},
        ],
    }  # fmt: skip
    response = _post(client, f"{BASE}/difficulties", body, office)
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["status"] == "raised"
    assert created["documents"][0]["sha256"] == document_hash(b"%PDF flow")
    other = raised(personas, role=Role.ENTERPRISE, title="中试熟化平台不足")
    listed = client.get(f"{BASE}/difficulties", **office).json()
    assert [d["id"] for d in listed] == [created["id"]]
    assert client.get(f"{BASE}/difficulties/{other.pk}", **office).status_code == 404
    bureau = _auth(personas.bureau)
    assert {d["id"] for d in client.get(f"{BASE}/difficulties", **bureau).json()} == {
        created["id"], other.pk,
    }  # fmt: skip


def test_m13_1_refusals_name_the_field_and_clause(client, personas):
    office = _auth(personas.transfer_office)
    response = _post(client, f"{BASE}/difficulties", {"title": " ", "description": "x"}, office)
    assert response.status_code == 400
    assert response.json()["error"]["field"] == "title"
    assert response.json()["error"]["clauses"] == ["M13.1"]
    researcher = _auth(personas.researcher)
    response = _post(client, f"{BASE}/difficulties", {"title": "t", "description": "d"}, researcher)
    assert response.status_code == 403
    assert not Difficulty.objects.exists()


def test_m13_2_the_bureau_closes_tasks_and_the_public_summary_shows_the_resolution(
    client, personas
):
    difficulty = raised(personas)
    session = convened(personas, difficulty)
    first, second = decided(
        personas, session, difficulty, owners=("dept_hrss", "wuhua")
    ).tasks.all()
    bureau = _auth(personas.bureau)
    office = _auth(personas.transfer_office)
    assert (
        _post(
            client, f"{BASE}/tasks/{first.pk}/close", {"evidence": "办法已印发"}, office
        ).status_code
        == 403
    )
    assert (
        _post(client, f"{BASE}/tasks/{first.pk}/close", {"evidence": "办法已印发"}, bureau).json()[
            "status"
        ]
        == "closed"
    )
    again = _post(client, f"{BASE}/tasks/{first.pk}/close", {"evidence": "x"}, bureau)
    assert again.status_code == 400 and again.json()["error"]["clauses"] == ["M13.2"]
    _post(client, f"{BASE}/tasks/{second.pk}/close", {"evidence": "窗口已设立"}, bureau)
    services.difficulty_resolve(actor=personas.bureau, difficulty=difficulty)
    assert (
        client.get(f"{BASE}/difficulties/{difficulty.pk}", **office).json()["status"] == "resolved"
    )
    summary = client.get(f"{BASE}/summary").json()
    assert {c["key"]: c["count"] for c in summary["by_status"]}["resolved"] == 1
    assert {c["label"] for c in summary["by_owner"]} == {"市人社局", "五华区"}
    (resolved,) = summary["resolved"]
    assert resolved["title"] == difficulty.title
    assert {t["owner_name"]: t["evidence"] for t in resolved["tasks"]} == {
        "市人社局": "办法已印发", "五华区": "窗口已设立",
    }  # fmt: skip
    assert "description" not in resolved and personas.transfer_office.email not in str(summary)


def test_m13_1_m13_2_the_bureau_convenes_decides_and_concludes_through_the_api(client, personas):
    difficulty = raised(personas, today=None)
    bureau = _auth(personas.bureau)
    office = _auth(personas.transfer_office)
    held_on = selectors.today()
    body = {
        "held_on": held_on.isoformat(), "title": "第一次会议", "place": "市政府第三会议室",
        "attendees": ["市科技局", "市人社局"], "agenda": [difficulty.pk],
    }  # fmt: skip
    assert _post(client, f"{BASE}/sessions", body, office).status_code == 403
    unknown = _post(client, f"{BASE}/sessions", {**body, "agenda": [difficulty.pk + 99]}, bureau)
    assert unknown.status_code == 400 and unknown.json()["error"]["field"] == "agenda"
    response = _post(client, f"{BASE}/sessions", body, bureau)
    assert response.status_code == 201, response.content
    session = response.json()
    assert (session["agenda"], session["place"]) == ([difficulty.pk], "市政府第三会议室")
    decide = f"{BASE}/sessions/{session['id']}/decisions"
    plan = {
        "difficulty_id": difficulty.pk, "text": "由市人社局牵头出台办法。",
        "tasks": [{"owner": "dept_hrss", "deliverable": "出台办法",
                   "deadline": (held_on + dt.timedelta(days=30)).isoformat()}],
    }  # fmt: skip
    wrong = _post(
        client, decide, {**plan, "tasks": [{**plan["tasks"][0], "owner": "nowhere"}]}, bureau
    )
    assert wrong.status_code == 400
    assert (wrong.json()["error"]["field"], wrong.json()["error"]["clauses"]) == (
        "owner",
        ["M13.2"],
    )
    made = _post(client, decide, plan, bureau)
    assert made.status_code == 201, made.content
    (task,) = made.json()["tasks"]
    assert (task["owner"], task["status"]) == ("dept_hrss", "open")
    conclude = f"{BASE}/difficulties/{difficulty.pk}/conclude"
    early = _post(client, conclude, {"outcome": "resolved"}, bureau)
    assert early.status_code == 400 and early.json()["error"]["code"] == "meeting.tasks_open"
    _post(client, f"{BASE}/tasks/{task['id']}/close", {"evidence": "误关"}, bureau)
    reopened = _post(client, f"{BASE}/tasks/{task['id']}/reopen", {"reason": "证据不全"}, bureau)
    assert reopened.json()["status"] == "open"
    _post(client, f"{BASE}/tasks/{task['id']}/close", {"evidence": "办法已印发"}, bureau)
    done = _post(client, conclude, {"outcome": "resolved"}, bureau)
    assert done.status_code == 200 and done.json()["status"] == "resolved"
    assert done.json()["resolution"] == "市人社局: 办法已印发"
