"""Whole numbers past the database's integers (DESIGN rule 10): refused at validation naming
their field, on the API (422) and in forms, never a server error and nothing stored; and the
API's last net, a value the database or the calendar cannot hold answering 422."""

from __future__ import annotations

import json

import pytest
from django import forms
from django.db import DataError

from kttc.benefits.shareholding.models import EquityInvestment
from kttc.benefits.tests.factories import API_HOLDERS, api_auth, api_post, result_of
from kttc.core.parsing import ID_MAX
from kttc.core.text import TextGuardMixin

pytestmark = pytest.mark.django_db

HUGE = 10**20


def test_rule_10_shares_past_the_databases_integers_are_a_422_naming_the_field(
    client, personas, unit
):
    office = api_auth(personas.transfer_office)
    body = {
        "unit_id": unit.pk,
        "achievement_id": result_of(personas, unit).pk,
        "company": "云岭新材料科技有限公司",
        "valuation": "5000000",
        "shares_issued": HUGE,
        "invested_on": "2026-03-01",
        "holders": API_HOLDERS,
    }
    answer = api_post(client, "/api/v1/equity/investments", office, body)
    assert answer.status_code == 422
    assert answer.json()["error"]["field"] == "shares_issued"
    holders = [{**API_HOLDERS[0], "shares": ID_MAX + 1}, *API_HOLDERS[1:]]
    answer = api_post(
        client, "/api/v1/equity/investments", office, {**body, "shares_issued": 10000,
                                                       "holders": holders}
    )  # fmt: skip
    assert answer.status_code == 422
    assert answer.json()["error"]["field"] == "holders.0.shares"
    assert not EquityInvestment.objects.exists()


def test_rule_10_a_form_refuses_a_whole_number_past_the_databases_integers():
    class Counted(TextGuardMixin, forms.Form):
        shares = forms.IntegerField(min_value=1)
        delta = forms.IntegerField()

    form = Counted({"shares": str(HUGE), "delta": str(-HUGE)})
    assert not form.is_valid()
    assert set(form.errors) == {"shares", "delta"}
    assert Counted({"shares": str(ID_MAX), "delta": "-5"}).is_valid()


def test_rule_10_the_equity_page_refuses_huge_shares_beside_the_field(client, personas, unit):
    client.force_login(personas.transfer_office)
    result = result_of(personas, unit)
    answer = client.post(
        "/office/equity/new/",
        {
            "unit": unit.pk,
            "achievement": result.pk,
            "company": "云岭新材料科技有限公司",
            "valuation": "5000000",
            "shares_issued": str(HUGE),
            "invested_on": "2026-03-01",
        },
    )
    assert answer.status_code == 200
    assert "shares_issued" in answer.context["form"].errors
    assert not EquityInvestment.objects.exists()


@pytest.mark.parametrize("error", [OverflowError("date value out of range"), DataError("out")])
def test_rule_10_a_value_the_database_cannot_hold_is_a_422_not_a_server_error(rf, error):
    """The net under every operation: should a value pass its schema and still overflow the
    database or the calendar, the caller gets 422 in the one error shape, not a 500."""
    from config.api import api

    answer = api.on_exception(rf.post("/api/v1/anything"), error)
    assert answer.status_code == 422
    assert json.loads(answer.content)["error"]["code"] == "validation.range"
