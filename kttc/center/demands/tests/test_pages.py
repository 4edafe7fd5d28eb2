"""The demand pages and API: the public hall (search, filters, pages, empty state), a demand's
page as each reader may see it, posting, moderation, answers and closing; the wrong persona is
refused (403 saying why, or 404 for what must not be known to exist), never a server error."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from kttc.center.demands import selectors, services
from kttc.center.demands.choices import DemandStatus
from kttc.center.demands.models import Demand
from kttc.center.demands.tests.factories import in_days, posted, published
from kttc.core.models import Notification
from kttc.policy.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def _form(**changes):
    values = {
        "title": "Low-temperature lithium battery electrolyte",
        "description": "Keep 80% capacity at -20 °C.",
        "modes": ["licence", "consulting"],
        "industry": "C38",
        "discipline": "",
        "trl": "6",
        "budget_min": "100000",
        "budget_max": "500000",
        "deadline": in_days(30).isoformat(),
        "country": "VN",
        "language": "en",
    }
    values.update(changes)
    return values


def test_an_enterprise_posts_through_the_page_and_sees_it_in_my_demands(client, personas):
    enterprise = personas.organisations[Role.ENTERPRISE]
    client.force_login(personas.enterprise)
    response = client.post(reverse("demands:new"), _form(organisation=enterprise.pk))
    demand = Demand.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/demands/{demand.pk}/")
    assert demand.status == DemandStatus.PENDING and demand.country == "VN"
    mine = client.get(reverse("demands:mine")).content.decode()
    assert "Low-temperature lithium battery electrolyte" in mine


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"budget_min": "900", "budget_max": "100"}, "budget_max", "lower end"),
        ({"deadline": "2020-01-01"}, "deadline", "after today"),
        ({"industry": "Q99X"}, "industry", "GB/T 4754"),
        ({"title": "bad\x07title"}, "title", "control character"),
        ({"modes": ["barter"]}, "modes", "barter"),
        ({"country": "ZZ"}, "country", "ISO 3166"),
    ],
)
def test_a_bad_field_comes_back_beside_it(client, personas, changes, field, words):
    enterprise = personas.organisations[Role.ENTERPRISE]
    client.force_login(personas.enterprise)
    response = client.post(reverse("demands:new"), _form(organisation=enterprise.pk, **changes))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors and words in " ".join(errors[field])
    assert not Demand.objects.exists()


def test_wrong_personas_are_refused_and_never_see_a_server_error(client, personas):
    pending = posted(personas)
    for url in (reverse("demands:new"), reverse("demands:mine"), reverse("demands:moderation")):
        assert client.get(url).status_code == 302  # to sign in
    assert client.get(reverse("demands:detail", args=[pending.pk])).status_code == 404
    client.force_login(personas.transfer_office)
    assert client.get(reverse("demands:new")).status_code == 403
    assert client.get(reverse("demands:mine")).status_code == 403
    assert client.get(reverse("demands:moderation")).status_code == 403
    assert client.post(reverse("demands:publish", args=[pending.pk])).status_code == 403
    assert client.get(reverse("demands:detail", args=[pending.pk])).status_code == 404
    assert client.get(reverse("demands:edit", args=[pending.pk])).status_code == 404
    assert client.get(reverse("demands:close", args=[pending.pk])).status_code == 404
    assert client.get("/demands/99999999999999999999/").status_code == 404
    assert client.get("/demands/?page=x&budget=%00&country=%F0").status_code == 200
    client.force_login(personas.enterprise)
    assert client.get(reverse("demands:answer", args=[pending.pk])).status_code == 403
    pending.refresh_from_db()
    assert pending.status == DemandStatus.PENDING


def test_another_enterprise_cannot_see_or_touch_a_pending_demand(client, personas):
    from kttc.core.models import Membership
    from kttc.core.tests.factories import OrganisationFactory, UserFactory

    pending = posted(personas)
    stranger = UserFactory(email="other@test.kttc.example")
    Membership.objects.create(
        user=stranger, organisation=OrganisationFactory(kind="enterprise"), role="enterprise"
    )
    client.force_login(stranger)
    for name in ("detail", "edit", "close"):
        assert client.get(reverse(f"demands:{name}", args=[pending.pk])).status_code == 404
    assert (
        client.post(
            reverse("demands:close", args=[pending.pk]), {"outcome": "withdrawn"}
        ).status_code
        == 404
    )


def test_the_reviewer_publishes_and_rejects_from_the_queue(
    client, personas, django_capture_on_commit_callbacks
):
    first, second = posted(personas), posted(personas, title="第二个需求")
    client.force_login(personas.bureau)
    page = client.get(reverse("demands:moderation")).content.decode()
    assert first.title in page and "第二个需求" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("demands:publish", args=[first.pk]))
        client.post(reverse("demands:reject", args=[second.pk]), {"reason": "不是技术需求"})
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (DemandStatus.PUBLISHED, DemandStatus.REJECTED)
    kinds = set(
        Notification.objects.filter(recipient=personas.enterprise).values_list("kind", flat=True)
    )
    assert kinds == {"demand.published", "demand.rejected"}
    client.force_login(personas.researcher)
    assert client.get(reverse("demands:detail", args=[second.pk])).status_code == 404


def test_the_public_page_shows_the_organisation_not_the_author(client, personas):
    demand = published(personas)
    page = client.get(reverse("demands:detail", args=[demand.pk])).content.decode()
    assert demand.title in page and demand.organisation.name_en in page
    assert 'class="badge verified"' in page
    assert personas.enterprise.email not in page and personas.enterprise.full_name not in page
    assert "Results that may meet this demand" in page


def test_answers_are_read_by_the_enterprise_the_answering_unit_sees_its_own_others_a_count(
    client, personas, publish
):
    demand = published(personas)
    result = publish()
    client.force_login(personas.transfer_office)
    response = client.post(
        reverse("demands:answer", args=[demand.pk]),
        {
            "organisation": personas.organisations[Role.TRANSFER_OFFICE].pk,
            "achievement": result.pk,
            "proposal": "方案甲",
        },
    )
    assert response.status_code == 302
    services.answer_create(
        actor=personas.service_broker,
        demand=demand,
        organisation=personas.organisations[Role.SERVICE_BROKER],
        proposal="方案乙",
    )
    mine = client.get(reverse("demands:detail", args=[demand.pk])).content.decode()
    assert "方案甲" in mine and "方案乙" not in mine
    client.force_login(personas.enterprise)
    theirs = client.get(reverse("demands:detail", args=[demand.pk])).content.decode()
    assert "方案甲" in theirs and "方案乙" in theirs and result.name in theirs
    client.logout()
    public = client.get(reverse("demands:detail", args=[demand.pk]))
    assert "方案甲" not in public.content.decode() and public.context["answer_count"] == 2


def test_the_enterprise_closes_as_met_through_the_page(client, personas):
    demand = published(personas)
    client.force_login(personas.enterprise)
    response = client.post(
        reverse("demands:close", args=[demand.pk]), {"outcome": "met", "reason": "已解决"}
    )
    assert response.status_code == 302
    demand.refresh_from_db()
    assert demand.status == DemandStatus.CLOSED_MET
    assert demand not in selectors.demands_open()


def test_the_hall_pages_filters_and_searches(client, personas):
    for n in range(23):
        published(personas, title=f"需求{n:02d}", country="VN" if n % 2 else "CN")
    published(
        personas,
        title="Solar drying",
        description="solar dryer for coffee",
        modes=["equity"],
        budget_min=Decimal("2000000"),
        budget_max=None,
    )
    first = client.get(reverse("demands:hall"))
    assert first.status_code == 200 and first.context["page"].paginator.count == 24
    assert len(first.context["page"].object_list) == 20
    second = client.get(reverse("demands:hall"), {"page": "2"})
    assert len(second.context["page"].object_list) == 4
    vn = client.get(reverse("demands:hall"), {"country": "vn"})
    assert vn.context["page"].paginator.count == 11
    equity = client.get(reverse("demands:hall"), {"mode": "equity"})
    assert [d.title for d in equity.context["page"].object_list] == ["Solar drying"]
    big = client.get(reverse("demands:hall"), {"budget": "gt1m"})
    assert [d.title for d in big.context["page"].object_list] == ["Solar drying"]
    small = client.get(reverse("demands:hall"), {"budget": "lt100k"})
    assert small.context["page"].paginator.count == 0
    words = client.get(reverse("demands:hall"), {"q": "coffee"})
    assert [d.title for d in words.context["page"].object_list] == ["Solar drying"]
    nothing = client.get(reverse("demands:hall"), {"q": "nothing-like-this"})
    assert "No open demand matches" in nothing.content.decode()


def test_an_expired_or_pending_demand_is_not_in_the_hall(personas):
    posted(personas, title="待审核")
    open_one = published(personas, title="开放")
    found = selectors.search_demands("", selectors.HallFilters(), 1)
    assert [d.pk for d in found.page.object_list] == [open_one.pk]


def test_matching_results_runs_the_catalog_search_on_the_demand(personas, publish):
    result = publish(name="一种低温锂离子电池电解液", abstract="零下20摄氏度保持容量。")
    demand = published(personas, title="锂离子电池电解液", description="低温")
    assert result.pk in [m.achievement.pk for m in selectors.matching_results(demand)]


# --- the API -----------------------------------------------------------------------------


def _api_body(**changes):
    values = {
        "title": "Coffee drying", "description": "Solar dryer", "deadline": in_days(20).isoformat(),
        "modes": ["licence"], "country": "VN", "language": "vi",
    }  # fmt: skip
    values.update(changes)
    return values


def test_the_api_posts_moderates_and_lists_in_the_hall(client, personas):
    enterprise = personas.organisations[Role.ENTERPRISE]
    client.force_login(personas.enterprise)
    created = client.post(
        "/api/v1/demands", _api_body(organisation_id=enterprise.pk), content_type="application/json"
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert client.post(f"/api/v1/demands/{pk}/publish").status_code == 403
    client.force_login(personas.bureau)
    assert client.post(f"/api/v1/demands/{pk}/publish").json()["status"] == "published"
    client.logout()
    hall = client.get("/api/v1/demands", {"country": "VN"}).json()
    assert hall["total"] == 1 and hall["items"][0]["id"] == pk
    assert client.get(f"/api/v1/demands/{pk}/matches").status_code == 200


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"budget_min": "10", "budget_max": "1"}, "budget_max"),
        ({"deadline": "2020-01-01"}, "deadline"),
        ({"modes": []}, "modes"),
        ({"title": "x\u202ey"}, "title"),
        ({"budget_min": "NaN"}, "budget_min"),
    ],
)
def test_the_api_refuses_bad_fields_by_name(client, personas, changes, field):
    enterprise = personas.organisations[Role.ENTERPRISE]
    client.force_login(personas.enterprise)
    response = client.post(
        "/api/v1/demands",
        _api_body(organisation_id=enterprise.pk, **changes),
        content_type="application/json",
    )
    assert response.status_code in (400, 422), response.content
    assert response.json()["error"]["field"] == field


def test_the_api_refuses_the_wrong_persona(client, personas):
    pending = posted(personas)
    enterprise = personas.organisations[Role.ENTERPRISE]
    assert (
        client.post(
            "/api/v1/demands",
            _api_body(organisation_id=enterprise.pk),
            content_type="application/json",
        ).status_code
        == 401
    )
    assert client.get(f"/api/v1/demands/{pending.pk}").status_code == 404
    client.force_login(personas.transfer_office)
    assert (
        client.post(
            "/api/v1/demands",
            _api_body(organisation_id=enterprise.pk),
            content_type="application/json",
        ).status_code
        == 403
    )
    assert client.get("/api/v1/demands/moderation").status_code == 403
    assert client.get(f"/api/v1/demands/{pending.pk}").status_code == 404
    assert client.get("/api/v1/demands/99999999999999999999999").status_code == 422
