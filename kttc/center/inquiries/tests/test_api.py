"""The inquiries' API: open, list mine, read, write, close; only the two organisations see a
thread (404 otherwise); bad ids and bodies answer 404 or 422 in the one error shape, never 500."""

from __future__ import annotations

import pytest

from kttc.center.inquiries.models import Inquiry
from kttc.center.inquiries.tests.factories import other_enterprise_person
from kttc.core import services as core_services
from kttc.core.models import Notification
from kttc.policy.roles import Role

pytestmark = pytest.mark.django_db

BASE = "/api/v1/inquiries"


def _auth(person) -> dict[str, str]:
    _token, key = core_services.api_token_create(user=person, name="t")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def _post(client, url, auth, body=None):
    return client.post(url, body or {}, content_type="application/json", **auth)


def test_the_whole_way_through_the_api(
    client, personas, publish, django_capture_on_commit_callbacks
):
    result = publish(name="普洱茶发酵监测")
    firm, office = _auth(personas.enterprise), _auth(personas.transfer_office)
    body = {"achievement_id": result.pk, "kind": "interest", "subject": "试点", "text": "想合作"}
    with django_capture_on_commit_callbacks(execute=True):
        opened = _post(client, BASE, firm, body)
    assert opened.status_code == 201, opened.content
    pk = opened.json()["id"]
    assert opened.json()["asker_id"] == personas.organisations[Role.ENTERPRISE].pk
    assert [m["text"] for m in opened.json()["messages"]] == ["想合作"]
    listed = client.get(BASE, {"side": "unit", "status": "open"}, **office).json()
    assert [i["id"] for i in listed["items"]] == [pk]
    with django_capture_on_commit_callbacks(execute=True):
        reply = _post(client, f"{BASE}/{pk}/messages", office, {"text": "欢迎"})
    assert reply.status_code == 201 and reply.json()["side"] == "unit"
    assert (
        Notification.objects.filter(recipient=personas.enterprise, kind="inquiry.message").count()
        == 1
    )
    read = client.get(f"{BASE}/{pk}", **firm).json()
    assert [m["text"] for m in read["messages"]] == ["想合作", "欢迎"]
    closed = _post(client, f"{BASE}/{pk}/close", firm)
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    again = _post(client, f"{BASE}/{pk}/messages", office, {"text": "还在吗"})
    assert again.status_code == 400
    assert again.json()["error"]["code"] == "inquiry.closed"
    assert "已关闭" in again.json()["error"]["message"]


def test_strangers_get_404_and_bad_input_never_a_server_error(client, personas, publish):
    result = publish(name="高原特色作物育种")
    firm = _auth(personas.enterprise)
    pk = _post(
        client, BASE, firm, {"achievement_id": result.pk, "subject": "问", "text": "答"}
    ).json()["id"]
    stranger = _auth(other_enterprise_person())
    assert client.get(f"{BASE}/{pk}", **stranger).status_code == 404
    assert _post(client, f"{BASE}/{pk}/messages", stranger, {"text": "x"}).status_code == 404
    assert _post(client, f"{BASE}/{pk}/close", stranger).status_code == 404
    assert client.get(BASE, **stranger).json()["items"] == []
    for bad in ("0", "-1", "abc", "99999999999999999999999"):
        assert client.get(f"{BASE}/{bad}", **firm).status_code in (404, 422)
        assert _post(client, f"{BASE}/{bad}/messages", firm, {"text": "x"}).status_code in (
            404,
            422,
        )
    assert client.get(f"{BASE}/999999", **firm).status_code == 404
    cases = [
        {"achievement_id": 0, "subject": "a", "text": "b"},
        {"achievement_id": result.pk, "subject": "a", "text": "b", "kind": "spam"},
        {"achievement_id": result.pk, "subject": "a\u202eb", "text": "b"},
        {"achievement_id": result.pk, "subject": "a" * 201, "text": "b"},
        {"achievement_id": result.pk, "subject": "a", "text": "b" * 5001},
        {"achievement_id": result.pk},
    ]
    for body in cases:
        response = _post(client, BASE, firm, body)
        assert response.status_code == 422, (body, response.content)
        assert response.json()["error"]["field"]
    blank = _post(client, BASE, firm, {"achievement_id": result.pk, "subject": " ", "text": "b"})
    assert blank.status_code == 400 and blank.json()["error"]["field"] == "subject"
    assert (
        _post(
            client, BASE, firm, {"achievement_id": 999999, "subject": "a", "text": "b"}
        ).status_code
        == 404
    )
    other = personas.organisations[Role.SERVICE_BROKER].pk
    refused = _post(
        client, BASE, firm, {"achievement_id": result.pk, "asker_id": other, "subject": "a",
                             "text": "b"},
    )  # fmt: skip
    assert refused.status_code == 403
    office = _auth(personas.transfer_office)
    assert (
        _post(
            client, BASE, office, {"achievement_id": result.pk, "subject": "a", "text": "b"}
        ).status_code
        == 403
    )
    assert client.get(BASE, {"status": "nope"}, **firm).status_code == 422
    assert Inquiry.objects.count() == 1
