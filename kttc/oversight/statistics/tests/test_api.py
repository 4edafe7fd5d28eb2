"""The statistics' API (M13.3, M8.5): the bureau and auditors read a measure's figures by a
breakdown, a unit's office is refused in the one error shape; anyone reads the public figures,
which count nothing confidential; a wrong measure or breakdown is refused naming its field."""

from __future__ import annotations

import pytest

from kttc.benefits.tests.factories import api_auth
from kttc.oversight.statistics import services
from kttc.oversight.statistics.tests.factories import TODAY, world

pytestmark = pytest.mark.django_db

URL = "/api/v1/statistics"


@pytest.fixture
def counted(personas):
    found = world(personas)
    services.statistics_refresh(today=TODAY)
    return found


def test_m13_3_the_bureau_reads_a_measure_by_a_breakdown_and_a_unit_is_refused(
    client, personas, counted
):
    query = {"measure": "transfers", "by": "country"}
    body = client.get(f"{URL}/figures", query, **api_auth(personas.auditor)).json()
    assert body["clause"] == "M8.5" and body["as_of"] == TODAY.isoformat()
    assert {(f["key"], f["count"], f["amount"]) for f in body["figures"]} == {
        ("LA", 1, "500000.00"), ("CN", 1, "880000.00")
    }  # fmt: skip
    refused = client.get(f"{URL}/figures", query, **api_auth(personas.transfer_office))
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "access.denied"
    bureau = api_auth(personas.bureau)
    wrong = client.get(f"{URL}/figures", {"measure": "public_results"}, **bureau)
    assert wrong.status_code == 400 and wrong.json()["error"]["field"] == "measure"
    assert wrong.json()["error"]["clauses"] == ["M13.3"]
    unbroken = {"measure": "invest_first_out", "by": "industry"}
    assert client.get(f"{URL}/figures", unbroken, **bureau).json()["error"]["field"] == "by"
    assert (
        client.get(f"{URL}/figures", {"measure": "transfers", "by": "x"}, **bureau).status_code
        == 422
    )


def test_m8_5_anyone_reads_the_public_figures_and_nothing_confidential(client, counted):
    body = client.get(f"{URL}/public", {"by": "industry"}).json()
    totals = {t["measure"]: (t["count"], t["amount"]) for t in body["totals"]}
    assert totals["public_results"] == (1, None)
    assert totals["public_contracts"] == (2, "500000.00")  # the other amount is not published
    assert body["countries"] == ["LA", "VN"]
    tables = {t["measure"]: t for t in body["tables"]}
    assert [f["key"] for f in tables["public_results"]["figures"]] == ["C"]
    assert client.get(f"{URL}/public", {"by": "unit"}).status_code == 422
