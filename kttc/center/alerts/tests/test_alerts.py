"""Saved searches and followed fields: saved from the catalog, listed only to their owner,
removed with undo; the daily alert finds only what was published since, matching, in one
notice a person and day, once."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from kttc.center.alerts import selectors, services, sweep
from kttc.center.alerts.models import FollowedField, SavedSearch
from kttc.core import services as core_services
from kttc.core.models import Notification
from kttc.policy.errors import PolicyError

DAY = dt.date(2026, 11, 26)


def _alerts(user):
    return Notification.objects.filter(recipient=user, kind="search.new_results")


@pytest.fixture
def graphene(publish):
    return publish(name="石墨烯导热膜制备技术", keywords=["石墨烯", "导热膜"], external_ref="g1",
                   translations=[], discipline_code="43020", industry_code="C3985")  # fmt: skip


def _earlier(saved) -> None:
    """Make the last look a minute ago, so that what is published now is new."""
    type(saved).objects.filter(pk=saved.pk).update(
        checked_at=timezone.now() - dt.timedelta(minutes=1)
    )


def test_the_daily_alert_finds_only_new_matching_results_once(personas, publish, graphene):
    person = personas.enterprise
    saved = services.search_save(user=person, query="q=石墨烯&sort=newest&page=3")
    assert saved.query == "q=%E7%9F%B3%E5%A2%A8%E7%83%AF" and saved.name == "石墨烯"
    assert sweep.run(DAY) == {"people told of new results for their searches and fields": 0}
    publish(name="石墨烯电池负极材料", keywords=["石墨烯"], external_ref="g2", translations=[])
    publish(name="普洱茶发酵监测", keywords=["普洱茶"], external_ref="t1", translations=[])
    assert sweep.run(DAY)["people told of new results for their searches and fields"] == 1
    notice = _alerts(person).get()
    assert notice.params["count"] == 1
    assert "石墨烯电池负极材料" in notice.params["lines"]
    assert "导热膜" not in notice.params["lines"]  # published before the search was saved
    assert "普洱茶" not in notice.params["lines"]  # does not match
    assert notice.link == reverse("alerts:list")
    # a second run the same day, and the next day with nothing new: nothing more
    assert sweep.run(DAY)["people told of new results for their searches and fields"] == 0
    assert (
        sweep.run(DAY + dt.timedelta(days=1))[
            "people told of new results for their searches and fields"
        ]
        == 0
    )
    assert _alerts(person).count() == 1


def test_a_followed_field_tells_of_new_results_in_it(personas, publish):
    person = personas.enterprise
    followed = services.field_follow(user=person, scheme="discipline", code="430")
    _earlier(followed)
    publish(name="新材料甲", external_ref="m1", translations=[], discipline_code="43050")
    publish(name="农学乙", external_ref="a1", translations=[], discipline_code="21010")
    sweep.run(DAY)
    lines = _alerts(person).get().params["lines"]
    assert "新材料甲" in lines and "农学乙" not in lines


def test_new_demands_in_a_followed_field_when_the_demand_hall_exists(personas):
    demands = pytest.importorskip("kttc.center.demands.models")
    followed = services.field_follow(user=personas.researcher, scheme="industry", code="C")
    _earlier(followed)
    fields = {f.name for f in demands.Demand._meta.get_fields()}
    if not {"industry", "published_at", "status"} <= fields:
        pytest.skip("the demand hall has other fields")
    demand = demands.Demand.objects.create(
        organisation=personas.organisations["enterprise"],
        author=personas.enterprise,
        title="求购石墨烯散热方案",
        description="散热",
        industry="C3985",
        deadline=timezone.localdate() + dt.timedelta(days=30),
        status="published",
        published_at=timezone.now(),
    )
    found = selectors.new_demands_in_field(followed, followed.checked_at - dt.timedelta(days=1))
    assert (demand.pk, demand.title) in found


@pytest.mark.django_db(transaction=True)
def test_the_alert_is_emailed_once_or_waits_for_the_digest(personas, publish):
    person = personas.enterprise
    services.search_save(user=person, query="q=石墨烯")
    publish(name="石墨烯电池负极材料", keywords=["石墨烯"], external_ref="g2", translations=[])
    mail.outbox.clear()
    sweep.run(DAY)
    assert [m.to for m in mail.outbox] == [[person.email]]


def test_saving_refuses_an_empty_search_and_control_characters(personas):
    with pytest.raises(PolicyError) as empty:
        services.search_save(user=personas.enterprise, query="sort=newest&page=2")
    assert empty.value.field == "query"
    with pytest.raises(PolicyError) as control:
        services.search_save(user=personas.enterprise, query="q=a", name="a\x00b")
    assert control.value.field == "name"
    with pytest.raises(PolicyError) as code:
        services.field_follow(user=personas.enterprise, scheme="industry", code="99")
    assert code.value.field == "code"


# --- pages ------------------------------------------------------------------------------------


def test_the_catalog_offers_save_this_search_to_a_signed_in_person(client, personas, graphene):
    url = reverse("catalog:list") + "?q=石墨烯&discipline=430"
    anonymous = client.get(url).content.decode()
    assert 'id="save-search"' not in anonymous and reverse("login") in anonymous
    client.force_login(personas.enterprise)
    html = client.get(url).content.decode()
    assert 'id="save-search"' in html
    assert 'name="query" value="q=%E7%9F%B3%E5%A2%A8%E7%83%AF&amp;discipline=430"' in html
    response = client.post(
        reverse("alerts:search_save"), {"query": "q=%E7%9F%B3%E5%A2%A8%E7%83%AF&discipline=430"}
    )
    assert response.status_code == 302
    assert SavedSearch.objects.get(user=personas.enterprise).query == (
        "q=%E7%9F%B3%E5%A2%A8%E7%83%AF&discipline=430"
    )
    listing = client.get(reverse("alerts:list")).content.decode()
    assert "石墨烯" in listing


def test_remove_shows_undo_and_restores(client, personas):
    saved = services.search_save(user=personas.enterprise, query="q=tea")
    client.force_login(personas.enterprise)
    response = client.post(reverse("alerts:remove", args=["searches", saved.pk]))
    assert response.status_code == 302 and "removed=searches-" in response["Location"]
    page = client.get(response["Location"]).content.decode()
    assert 'id="undo-button"' in page
    assert not selectors.searches_of(personas.enterprise).exists()
    client.post(reverse("alerts:restore", args=["searches", saved.pk]))
    assert selectors.searches_of(personas.enterprise).get() == saved


def test_another_persons_alerts_are_not_found(client, personas):
    saved = services.search_save(user=personas.enterprise, query="q=tea")
    followed = services.field_follow(user=personas.enterprise, scheme="industry", code="C")
    client.force_login(personas.researcher)
    for kind, pk in (("searches", saved.pk), ("fields", followed.pk)):
        for action in ("remove", "restore"):
            assert client.post(reverse(f"alerts:{action}", args=[kind, pk])).status_code == 404
    assert "tea" not in client.get(reverse("alerts:list")).content.decode()
    assert SavedSearch.objects.get(pk=saved.pk).deleted_at is None


@pytest.mark.parametrize(
    ("kind", "pk"), [("searches", "0"), ("searches", "9" * 30), ("other", "1"), ("fields", "x")]
)
def test_bad_ids_are_not_found(client, personas, kind, pk):
    client.force_login(personas.enterprise)
    assert client.post(reverse("alerts:remove", args=[kind, pk])).status_code == 404


@pytest.mark.parametrize(
    "data", [{"scheme": "x", "code": "1"}, {"scheme": "industry", "code": "\x00"}, {}]
)
def test_a_bad_follow_is_refused_on_the_page(client, personas, data):
    client.force_login(personas.enterprise)
    response = client.post(reverse("alerts:field_follow"), data)
    assert response.status_code == 400
    assert not FollowedField.objects.exists()


def test_a_bad_save_goes_back_to_the_catalog_with_the_reason(client, personas):
    client.force_login(personas.enterprise)
    response = client.post(reverse("alerts:search_save"), {"query": "page=2", "name": "\x01"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("catalog:list"))
    assert not SavedSearch.objects.exists()


def test_the_pages_need_sign_in(client, db):
    assert client.get(reverse("alerts:list")).status_code == 302
    assert client.post(reverse("alerts:search_save"), {"query": "q=a"}).status_code == 302


# --- API --------------------------------------------------------------------------------------


def _auth(user):
    _token, key = core_services.api_token_create(user=user, name="t")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_the_api_saves_lists_removes_and_restores(client, personas):
    auth = _auth(personas.enterprise)
    body = json.dumps({"query": "q=graphene&industry=C", "name": "Graphene"})
    created = client.post("/api/v1/alerts/searches", body, content_type="application/json",
                          **auth)  # fmt: skip
    assert created.status_code == 201
    pk = created.json()["id"]
    assert [s["name"] for s in client.get("/api/v1/alerts/searches", **auth).json()] == ["Graphene"]
    assert client.delete(f"/api/v1/alerts/searches/{pk}", **auth).status_code == 204
    assert client.get("/api/v1/alerts/searches", **auth).json() == []
    assert client.post(f"/api/v1/alerts/searches/{pk}/restore", **auth).status_code == 200
    body = json.dumps({"scheme": "discipline", "code": "520"})
    followed = client.post("/api/v1/alerts/fields", body, content_type="application/json", **auth)
    assert followed.status_code == 201 and followed.json()["code"] == "520"


def test_the_api_hides_another_persons_alerts(client, personas):
    saved = services.search_save(user=personas.enterprise, query="q=tea")
    auth = _auth(personas.researcher)
    assert client.delete(f"/api/v1/alerts/searches/{saved.pk}", **auth).status_code == 404
    assert client.post(f"/api/v1/alerts/searches/{saved.pk}/restore", **auth).status_code == 404
    assert client.get("/api/v1/alerts/searches", **auth).json() == []


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/v1/alerts/searches", "{}"),
        ("/api/v1/alerts/searches", '{"query": "page=1"}'),
        ("/api/v1/alerts/searches", '{"query": "q=a\\u0000"}'),
        ("/api/v1/alerts/fields", '{"scheme": "industry", "code": "ZZ"}'),
        ("/api/v1/alerts/fields", "["),
    ],
)
def test_the_api_never_fails_on_bad_input(client, personas, path, body):
    response = client.post(path, body, content_type="application/json",
                           **_auth(personas.enterprise))  # fmt: skip
    assert response.status_code in (400, 422) and "error" in response.json()


def test_the_api_bad_ids_are_not_found(client, personas):
    auth = _auth(personas.enterprise)
    for pk in ("0", "x", "9" * 30):
        assert client.delete(f"/api/v1/alerts/searches/{pk}", **auth).status_code == 404
