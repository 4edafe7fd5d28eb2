"""M4.4 on the pages, in the API and on the deadlines page: the unit's page of results due or
listed, recording and justifying there, the bureau's queue, the public open licensing list;
permissions and empty states; the same refusals in the API's one error shape."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from kttc.core import services as core_services
from kttc.core.selectors import deadlines_for
from kttc.policy.roles import Role
from kttc.reform.licensing import services as licences
from kttc.reform.models import OpenLicensingEntry, Transformation, TransformationJustification
from kttc.reform.tests.factories import make_result
from kttc.reform.transformation import sweep as transformation_sweep
from kttc.registry import services as registry_services
from kttc.registry.models import IPRight

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 1)


@pytest.fixture(autouse=True)
def _today(travel):
    travel(TODAY)


def _published(personas, unit, **changes):
    result = make_result(personas, unit, **changes)
    registry_services.achievement_submit(actor=personas.transfer_office, achievement=result)
    return registry_services.achievement_publish(actor=personas.bureau, achievement=result)


@pytest.fixture
def listed(personas, unit):
    result = _published(personas, unit)
    transformation_sweep.run(TODAY)
    return result


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


# --- the unit's page ---------------------------------------------------------------------------


def test_m4_4_the_unit_sees_its_listed_result_and_one_coming_due(client, personas, unit, listed):
    coming = _published(personas, unit, name="明年到期的成果")
    IPRight.objects.filter(achievement=coming).update(grant_date=dt.date(2022, 6, 1))
    later = _published(personas, unit, name="多年后到期的成果")
    IPRight.objects.filter(achievement=later).update(grant_date=dt.date(2024, 6, 1))
    client.force_login(personas.transfer_office)
    response = client.get(reverse("transformation:home"))
    assert response.status_code == 200
    rows = list(response.context["page"].object_list)
    assert [r.name for r in rows] == [listed.name, coming.name]
    assert rows[0].listing == "listed" and rows[0].due_on == dt.date(2024, 5, 1)
    assert rows[1].listing is None and rows[1].due_on == dt.date(2027, 6, 1)
    text = response.content.decode()
    assert "M4.4" in text and reverse("transformation:record", args=[listed.pk]) in text
    assert reverse("transformation:justify", args=[coming.pk]) in text


def test_m4_4_the_unit_page_says_when_nothing_is_due(client, personas):
    client.force_login(personas.transfer_office)
    response = client.get(reverse("transformation:home"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "Nothing is due" in response.content.decode()


@pytest.mark.parametrize("role", [Role.RESEARCHER, Role.ENTERPRISE])
def test_m4_4_other_roles_are_turned_away_from_the_back_office_pages(client, personas, role):
    client.force_login(personas.by_role[role])
    assert client.get(reverse("transformation:home")).status_code == 403
    assert client.get(reverse("transformation:queue")).status_code == 403


def test_m4_4_anonymous_people_are_sent_to_sign_in(client):
    response = client.get(reverse("transformation:home"))
    assert response.status_code == 302 and "login" in response.url


def test_m4_4_the_unit_records_a_transformation_through_its_page(client, personas, listed):
    client.force_login(personas.transfer_office)
    url = reverse("transformation:record", args=[listed.pk])
    assert client.get(url).status_code == 200
    future = (TODAY + dt.timedelta(days=5)).isoformat()
    response = client.post(url, {"kind": "transfer", "happened_on": future, "description": "转让"})
    assert response.status_code == 200 and not Transformation.objects.exists()
    (error,) = response.context["form"].errors["happened_on"]
    assert error.startswith("M4.4: ")
    response = client.post(
        url, {"kind": "transfer", "happened_on": "2026-11-20", "description": "转让给云岭智造"}
    )
    assert response.status_code == 302 and response.url == reverse("transformation:home")
    assert OpenLicensingEntry.objects.get().status == "transformed"
    assert _messages(client.get(response.url))


def test_m4_4_a_unit_cannot_open_another_units_result(client, personas, listed):
    client.force_login(personas.bureau)  # the bureau manages no unit's licences
    assert client.get(reverse("transformation:record", args=[listed.pk])).status_code == 404
    assert client.get(reverse("transformation:justify", args=[listed.pk])).status_code == 404


def test_m4_4_the_unit_files_a_justification_and_the_bureau_accepts_it(client, personas, listed):
    client.force_login(personas.transfer_office)
    url = reverse("transformation:justify", args=[listed.pk])
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    response = client.post(url, {"reason": "临床试验尚未结束。"})
    assert response.status_code == 302
    again = client.post(url, {"reason": "再次提交"})
    assert again.status_code == 200
    (error,) = again.context["form"].non_field_errors()
    assert error.startswith("M4.4: ")
    filed = TransformationJustification.objects.get()

    client.force_login(personas.bureau)
    queue = client.get(reverse("transformation:queue"))
    assert queue.status_code == 200 and list(queue.context["page"].object_list) == [filed]
    decide = reverse("transformation:decide", args=[filed.pk])
    assert client.get(decide).status_code == 200
    response = client.post(decide, {"decision": "reject", "reason": ""})
    assert response.status_code == 200
    (error,) = response.context["form"].errors["reason"]
    assert error.startswith("M4.4: ")
    response = client.post(decide, {"decision": "accept", "valid_until": "2027-12-31"})
    assert response.status_code == 302
    filed.refresh_from_db()
    assert (filed.status, filed.valid_until) == ("accepted", dt.date(2027, 12, 31))
    assert OpenLicensingEntry.objects.get().status == "justified"
    empty = client.get(reverse("transformation:queue"), HTTP_ACCEPT_LANGUAGE="en")
    assert "No justification is waiting" in empty.content.decode()
    # Decided: the page shows it, without the form.
    assert client.get(decide).context["form"] is None


def test_m4_4_the_bureau_home_links_to_its_queue(client, personas):
    client.force_login(personas.bureau)
    response = client.get(reverse("transformation:home"))
    assert response.status_code == 200
    assert reverse("transformation:queue") in response.content.decode()


# --- the public list ---------------------------------------------------------------------------


def test_m4_4_the_public_list_shows_listed_public_results_with_their_default_terms(
    client, personas, unit, listed
):
    response = client.get(reverse("open_licensing:list"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    (entry,) = response.context["page"].object_list
    assert entry.achievement == listed
    text = response.content.decode()
    assert reverse("catalog:detail", args=[listed.pk]) in text
    assert "Payment after the licensee" in text and "5 years" in text
    filtered = client.get(reverse("open_licensing:list"), {"unit": unit.pk})
    assert len(filtered.context["page"].object_list) == 1
    other = client.get(reverse("open_licensing:list"), {"unit": unit.pk + 999})
    assert not other.context["page"].object_list
    assert client.get(reverse("open_licensing:list"), {"unit": "x"}).status_code == 200


def test_m4_4_the_unit_s_office_lists_a_result_of_the_list_for_bidding(
    client, personas, unit, listed
):
    marker = f'data-list-for-bidding="{listed.pk}"'
    assert marker not in client.get(reverse("open_licensing:list")).content.decode()
    client.force_login(personas.enterprise)
    assert marker not in client.get(reverse("open_licensing:list")).content.decode()
    client.force_login(personas.transfer_office)
    page = client.get(reverse("open_licensing:list")).content.decode()
    assert marker in page and f"/listings/new/?achievement={listed.pk}" in page


def test_m4_4_the_public_list_says_when_it_is_empty(client):
    response = client.get(reverse("open_licensing:list"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "The open licensing list is empty" in response.content.decode()


def test_m4_4_a_listed_result_later_withdrawn_leaves_the_public_list(client, personas, listed):
    registry_services.achievement_withdraw(actor=personas.bureau, achievement=listed, reason="撤回")
    response = client.get(reverse("open_licensing:list"))
    assert not response.context["page"].object_list
    assert client.get("/api/v1/open-licensing").json()["count"] == 0


def test_m4_4_the_public_list_pages(client, personas, unit, settings):
    settings.KTTC_PAGE_SIZE = 2
    for i in range(3):
        _published(personas, unit, name=f"到期成果{i}")
    transformation_sweep.run(TODAY)
    first = client.get(reverse("open_licensing:list"))
    assert len(first.context["page"].object_list) == 2
    second = client.get(reverse("open_licensing:list"), {"page": 2})
    assert len(second.context["page"].object_list) == 1


# --- the API -----------------------------------------------------------------------------------


def _auth(person) -> dict[str, str]:
    _token, key = core_services.api_token_create(user=person, name="t")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def _post(client, url, auth, body):
    return client.post(url, body, content_type="application/json", **auth)


def test_m4_4_the_open_list_in_the_api_is_public_and_paginated(client, listed, unit):
    body = client.get("/api/v1/open-licensing").json()
    assert body["count"] == 1
    (item,) = body["items"]
    assert (item["achievement_id"], item["name"], item["unit_id"]) == (
        listed.pk,
        listed.name,
        unit.pk,
    )
    assert item["ip_obtained_on"] == "2019-05-01" and item["listed_on"] == TODAY.isoformat()
    assert item["offer"]["payment_model"] == "after_first_revenue"
    assert item["offer"]["term_years"] == 5 and item["offer"]["exclusive"] is False
    assert client.get("/api/v1/open-licensing", {"unit_id": unit.pk + 999}).json()["count"] == 0


def test_m4_4_the_whole_way_through_the_api(client, personas, listed):
    office, bureau = _auth(personas.transfer_office), _auth(personas.bureau)
    base = f"/api/v1/transformation/achievements/{listed.pk}"
    bad = _post(client, f"{base}/justifications", office, {"reason": " "})
    assert bad.status_code == 400
    assert bad.json()["error"] | {"message": None} == {
        "code": "required",
        "message": None,
        "field": "reason",
        "clauses": ["M4.4"],
        "details": [],
    }
    filed = _post(client, f"{base}/justifications", office, {"reason": "试验未结束"})
    assert filed.status_code == 201 and filed.json()["status"] == "pending"
    pk = filed.json()["id"]
    queue = client.get("/api/v1/transformation/justifications", {"status": "pending"}, **bureau)
    assert [j["id"] for j in queue.json()["items"]] == [pk]
    url = f"/api/v1/transformation/justifications/{pk}/decision"
    assert _post(client, url, office, {"decision": "accept"}).status_code == 403
    past = _post(client, url, bureau, {"decision": "accept", "valid_until": "2020-01-01"})
    assert past.status_code == 400 and past.json()["error"]["field"] == "valid_until"
    rejected = _post(client, url, bureau, {"decision": "reject", "reason": "理由不足"})
    assert rejected.status_code == 200 and rejected.json()["status"] == "rejected"
    assert OpenLicensingEntry.objects.get().status == "listed"
    future = _post(
        client,
        f"{base}/transformations",
        office,
        {"kind": "own", "happened_on": "2027-01-01", "description": "自行实施"},
    )
    assert future.status_code == 400 and future.json()["error"]["field"] == "happened_on"
    done = _post(
        client,
        f"{base}/transformations",
        office,
        {"kind": "own", "happened_on": "2026-11-01", "description": "自行实施"},
    )
    assert done.status_code == 201 and done.json()["kind"] == "own"
    assert OpenLicensingEntry.objects.get().status == "transformed"
    assert client.get("/api/v1/open-licensing").json()["count"] == 0


def test_m4_4_the_api_hides_other_units_results_and_asks_for_a_token(client, personas, listed):
    url = f"/api/v1/transformation/achievements/{listed.pk}/justifications"
    assert _post(client, url, {}, {"reason": "x"}).status_code == 401
    assert _post(client, url, _auth(personas.enterprise), {"reason": "x"}).status_code == 404


# --- the deadlines page ------------------------------------------------------------------------


def _sections(person, days=30):
    (panel,) = deadlines_for(person, days=days, today=TODAY)
    with translation.override("en"):
        return {str(s.title): s for s in panel.sections}


def test_m4_4_the_office_sees_results_due_for_open_licensing(personas, unit, listed):
    coming = _published(personas, unit, name="即将到期的成果")
    IPRight.objects.filter(achievement=coming).update(grant_date=dt.date(2021, 12, 10))
    section = _sections(personas.transfer_office)["Results due for open licensing"]
    assert (section.overdue, section.upcoming, section.clauses) == (1, 1, ("M4.4",))
    assert [i.title for i in section.items] == [listed.name, coming.name]
    assert section.items[0].overdue and section.items[1].due == dt.date(2026, 12, 10)
    assert section.more_link == reverse("transformation:home")
    assert (
        _sections(personas.transfer_office, days=5)["Results due for open licensing"].upcoming == 0
    )


def test_m3_the_office_and_the_enterprise_see_the_instalments_still_owed(personas, unit, listed):
    enterprise = personas.organisations[Role.ENTERPRISE]
    entry = OpenLicensingEntry.objects.get()
    licence = licences.licence_conclude(
        actor=personas.transfer_office,
        offer=entry.offer,
        licensee=enterprise,
        starts_on=dt.date(2026, 1, 1),
        total_fee=Decimal("900.00"),
        instalments=3,
    )
    assert "Licence payments to make" not in _sections(personas.enterprise)  # not due yet
    licences.revenue_report(
        actor=personas.enterprise,
        licence=licence,
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 6, 30),
        revenue=Decimal("10000.00"),
    )
    to_make = _sections(personas.enterprise, days=400)["Licence payments to make"]
    to_receive = _sections(personas.transfer_office, days=400)["Licence payments to receive"]
    for section in (to_make, to_receive):
        assert section.overdue + section.upcoming == len(section.items) >= 1
        assert section.clauses == ("M3.2", "M3.3")
        assert section.items[0].link == reverse("licences:licence", args=[licence.pk])
    assert to_make.items[0].organisation == unit
    assert to_receive.items[0].organisation == enterprise


def test_the_bureau_has_no_reform_deadlines(personas):
    sections = _sections(personas.bureau)
    assert "Results due for open licensing" not in sections
    assert "Licence payments to make" not in sections
