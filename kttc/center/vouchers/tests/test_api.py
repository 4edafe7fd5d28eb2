"""The innovation vouchers API (M12.2): the same use cases as the pages, one operation each;
refusals in the one error shape naming the field and the clause."""

from __future__ import annotations

import datetime as dt

import pytest

from kttc.center.vouchers.tests.factories import DAY, institution
from kttc.core.services import api_token_create

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("kttc.policy.calendar.today_in_shanghai", lambda now=None: DAY)


def _auth(person) -> dict[str, str]:
    _token, key = api_token_create(user=person, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def _post(client, url, data, auth):
    return client.post(url, data, content_type="application/json", **auth)


def test_m12_2_the_api_walks_a_voucher_from_programme_to_report(client, personas):
    bureau, company, broker = (
        _auth(personas.bureau), _auth(personas.enterprise), _auth(personas.service_broker),
    )  # fmt: skip
    base = "/api/v1/vouchers"
    terms = {
        "name": "科技创新券", "budget": "30000.00", "services": ["testing"],
        "value_mode": "maximum", "value": "20000", "opens_on": DAY.isoformat(),
        "closes_on": (DAY + dt.timedelta(days=10)).isoformat(),
        "valid_until": DAY.isoformat(),
    }  # fmt: skip
    answer = _post(client, f"{base}/programmes", terms, bureau)
    error = answer.json()["error"]
    assert answer.status_code == 400
    assert (error["field"], error["clauses"]) == ("valid_until", ["M12.2"])
    assert _post(client, f"{base}/programmes", terms, company).status_code == 403
    terms["valid_until"] = (DAY + dt.timedelta(days=60)).isoformat()
    answer = _post(client, f"{base}/programmes", terms, bureau)
    assert answer.status_code == 201 and answer.json()["remaining"] == "30000.00"
    pk = answer.json()["id"]
    assert [p["id"] for p in client.get(f"{base}/programmes", **company).json()] == [pk]
    application = {"service": "testing", "amount": "20000.01", "purpose": "检测"}
    answer = _post(client, f"{base}/programmes/{pk}/applications", application, company)
    assert answer.status_code == 400 and answer.json()["error"]["field"] == "amount"
    application["amount"] = "20000"
    answer = _post(client, f"{base}/programmes/{pk}/applications", application, company)
    assert answer.status_code == 201
    application_id = answer.json()["id"]
    assert [a["id"] for a in client.get(f"{base}/applications", **bureau).json()] == [
        application_id
    ]
    assert _post(
        client, f"{base}/applications/{application_id}/issue", {}, company
    ).status_code == (403)
    answer = _post(client, f"{base}/applications/{application_id}/issue", {}, bureau)
    assert answer.status_code == 201 and answer.json()["value"] == "20000.00"
    voucher = answer.json()["id"]
    assert [v["id"] for v in client.get(f"{base}/mine", **company).json()] == [voucher]
    certified = institution(personas)
    answer = _post(
        client, f"{base}/vouchers/{voucher}/present", {"institution_id": certified.pk}, company
    )
    assert answer.status_code == 200 and answer.json()["institution_id"] == certified.pk
    assert [v["id"] for v in client.get(f"{base}/presented", **broker).json()] == [voucher]
    redemption = {"description": "热稳定性检测", "invoice_number": "INV-1", "amount": "18000.50"}
    answer = _post(client, f"{base}/vouchers/{voucher}/redeem", redemption, broker)
    assert answer.status_code == 201 and answer.json()["amount"] == "18000.50"
    answer = _post(client, f"{base}/vouchers/{voucher}/redeem", redemption, broker)
    error = answer.json()["error"]
    assert answer.status_code == 400 and error["code"] == "voucher.redeemed"
    report = client.get(f"{base}/programmes/{pk}/report", **bureau).json()
    assert (report["budget"], report["redeemed"], report["remaining"]) == (
        "30000.00", "18000.50", "11999.50",
    )  # fmt: skip
    assert report["by_service"]["testing"]["redeemed"] == "18000.50"
    assert client.get(f"{base}/programmes/{pk}/report", **company).status_code == 403
    assert client.get(f"{base}/programmes/999999/report", **bureau).status_code == 404
