"""Acting from a result: its public page shows each open licence offer's terms in words with the
way into the application (M3.1), the "licensable" and "open licensing" badges (M4.4), and the
unit's page; a closed offer, or an offer on a restricted result, never shows."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import quote

import pytest
from django.urls import reverse

from kttc.policy.roles import Role
from kttc.reform.licensing import services as licences
from kttc.reform.transformation.models import OpenLicensingEntry

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def _offer(personas, result, **terms):
    values = {"term_years": 5, "payment_model": "staged_royalty"}
    values.update(terms)
    result.refresh_from_db()
    return licences.licence_offer(
        actor=personas.transfer_office,
        unit=personas.organisations[Role.TRANSFER_OFFICE],
        achievement=result,
        **values,
    )


def _page(client, result) -> str:
    response = client.get(reverse("catalog:detail", args=[result.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _term(page: str, offer, name: str) -> str:
    section = page.split(f'data-offer="{offer.pk}"', 1)[1].split("</section>", 1)[0]
    found = re.search(rf'data-term="{name}"[^>]*>(.*?)</dd>', section, re.S)
    assert found, name
    return found.group(1).strip()


def test_the_offer_terms_are_in_words_with_the_way_to_apply(client, personas, publish):
    result = publish(name="石墨烯导热膜制备技术")
    offer = _offer(
        personas,
        result,
        exclusive=True,
        field_of_use="Consumer electronics",
        territory="Yunnan",
        term_years=7,
        payment_model="deferred",
    )
    page = _page(client, result)
    assert _term(page, offer, "exclusive") == "Exclusive licence"
    assert _term(page, offer, "field") == "Consumer electronics"
    assert _term(page, offer, "territory") == "Yunnan"
    assert _term(page, offer, "term") == "7 years"
    assert _term(page, offer, "payment") == "Deferred payment by dates"
    assert 'data-badge="licensable"' in page and 'data-badge="open-licensing"' not in page
    # an anonymous visitor signs in first, then comes back to the offer
    target = reverse("licences:offer", args=[offer.pk])
    assert f'href="{reverse("login")}?next={quote(target, safe="")}"' in page
    unit = personas.organisations[Role.TRANSFER_OFFICE]
    assert f'href="{reverse("organisation_detail", args=[unit.pk])}" data-unit-link' in page
    # no clause id in a heading
    assert not re.search(r"<h[1-6][^>]*>[^<]*M\d\.\d", page)


def test_the_enterprise_goes_straight_to_the_application(client, personas, publish):
    result = publish(name="普洱茶发酵监测")
    offer = _offer(personas, result)
    client.force_login(personas.enterprise)
    page = _page(client, result)
    target = reverse("licences:offer", args=[offer.pk])
    assert f'href="{target}" data-apply="{offer.pk}"' in page
    assert _term(page, offer, "exclusive") == "Non-exclusive licence"
    assert _term(page, offer, "field") == "Any field"
    # the button leads to the form the enterprise applies with
    form = client.get(target)
    assert form.status_code == 200 and form.context["form"] is not None


def test_no_offer_no_badge_and_a_closed_offer_is_gone(client, personas, publish):
    result = publish(name="石墨烯导热膜制备技术")
    page = _page(client, result)
    assert "data-offer=" not in page and 'data-badge="licensable"' not in page
    offer = _offer(personas, result)
    licences.offer_close(actor=personas.transfer_office, offer=offer)
    assert "data-offer=" not in _page(client, result)


def test_m4_4_a_result_on_the_open_licensing_list_has_its_badge(client, personas, publish):
    result = publish(name="石墨烯导热膜制备技术")
    offer = _offer(personas, result)
    OpenLicensingEntry.objects.create(
        achievement=result,
        unit=result.unit,
        ip_obtained_on=dt.date(2024, 1, 1),
        listed_on=dt.date(2026, 11, 25),
        offer=offer,
    )
    page = _page(client, result)
    assert 'data-badge="open-licensing"' in page and 'data-badge="licensable"' in page


# --- the catalog's facet "has an open offer" -------------------------------------------------


@pytest.fixture
def offered(personas, publish, django_capture_on_commit_callbacks):
    """Three public results, one with an open offer; a restricted one with an open offer too."""
    with_offer = publish(name="石墨烯导热膜制备技术", external_ref="o")
    publish(name="石墨烯涂料", external_ref="n")
    publish(name="三七种植", external_ref="s")
    secret = publish(name="石墨烯内部成果", external_ref="r", confidentiality="restricted")
    with django_capture_on_commit_callbacks(execute=True):
        offer = _offer(personas, with_offer)
    # an offer written straight on a restricted result (the service refuses to make one)
    with django_capture_on_commit_callbacks(execute=True):
        type(offer).objects.create(
            achievement=secret,
            unit=secret.unit,
            term_years=5,
            payment_model="staged_royalty",
        )
    return {"with_offer": with_offer, "offer": offer, "secret": secret}


def _hit_ids(page: str) -> set[int]:
    return {int(pk) for pk in re.findall(r'href="/achievements/(\d+)/"', page)}


def test_the_catalog_page_filters_on_an_open_offer(client, offered):
    everything = client.get(reverse("catalog:list")).content.decode()
    assert 'data-facet="open_offer"' in everything
    assert 'name="open_offer" value="1">' in everything  # unchecked
    page = client.get(reverse("catalog:list"), {"open_offer": "1"}).content.decode()
    assert 'name="open_offer" value="1" checked' in page
    assert _hit_ids(page) == {offered["with_offer"].pk}
    # text and other facets keep the filter on
    page = client.get(reverse("catalog:list"), {"open_offer": "1", "q": "石墨烯"}).content.decode()
    assert _hit_ids(page) == {offered["with_offer"].pk}
    assert '<input type="hidden" name="open_offer" value="1">' in page
    # a value that is not "on" leaves the filter off, never an error
    page = client.get(reverse("catalog:list"), {"open_offer": "x" * 5000})
    assert page.status_code == 200 and len(_hit_ids(page.content.decode())) == 3


def test_the_api_filters_on_an_open_offer(client, offered):
    url = "/api/v1/catalog/achievements"
    found = client.get(url, {"open_offer": "true"}).json()
    assert [i["id"] for i in found["items"]] == [offered["with_offer"].pk]
    assert found["total"] == 1
    assert client.get(url, {"open_offer": "false"}).json()["total"] == 3
    assert client.get(url).json()["total"] == 3
    assert client.get(url, {"open_offer": "maybe"}).status_code == 422
    schema = client.get("/api/v1/openapi.json").json()
    params = schema["paths"]["/api/v1/catalog/achievements"]["get"]["parameters"]
    described = {p["name"]: p for p in params}["open_offer"]
    assert described["schema"]["type"] == "boolean" and described["schema"]["default"] is False


def test_a_closed_offer_leaves_the_facet_and_the_index_agrees_with_the_database(
    client, personas, offered, django_capture_on_commit_callbacks
):
    from kttc.center.catalog import selectors

    def indexed() -> set[int]:
        query = selectors.catalog_query({"open_offer": ["1"]}, language="en")
        return {a.pk for a in selectors.catalog_search(query).achievements}

    def in_database() -> set[int]:
        from kttc.reform.licensing.selectors import offers_open

        return set(offers_open().values_list("achievement_id", flat=True))

    assert indexed() == in_database() == {offered["with_offer"].pk}
    with django_capture_on_commit_callbacks(execute=True):
        licences.offer_close(actor=personas.transfer_office, offer=offered["offer"])
    assert indexed() == in_database() == set()


def test_search_rebuild_fills_the_open_offer_field(offered):
    import io

    from django.core.management import call_command

    from kttc.center import search
    from kttc.center.catalog import selectors

    search.backend().clear()
    call_command("search_rebuild", stdout=io.StringIO())
    query = selectors.catalog_query({"open_offer": ["1"]}, language="en")
    assert [a.pk for a in selectors.catalog_search(query).achievements] == [
        offered["with_offer"].pk
    ]


def test_m4_4_the_open_licensing_sweeps_keep_the_facet_in_step(
    client, personas, publish, django_capture_on_commit_callbacks
):
    """The sweeps write default offers in bulk (no model signal): the facet follows them."""
    from decimal import Decimal

    from kttc.center.catalog import selectors
    from kttc.reform.transformation import sweep as transformation_sweep

    result = publish(name="石墨烯导热膜制备技术")  # its IP was granted on 2019-05-01
    swept_on = dt.date(2026, 12, 1)

    def indexed() -> list[int]:
        query = selectors.catalog_query({"open_offer": ["1"]}, language="en")
        return [a.pk for a in selectors.catalog_search(query).achievements]

    assert indexed() == []
    with django_capture_on_commit_callbacks(execute=True):
        transformation_sweep.run(swept_on)
    assert indexed() == [result.pk]
    page = _page(client, result)
    assert 'data-badge="open-licensing"' in page and 'data-badge="licensable"' in page
    entry = OpenLicensingEntry.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        licences.licence_conclude(
            actor=personas.transfer_office,
            offer=entry.offer,
            licensee=personas.organisations[Role.ENTERPRISE],
            starts_on=swept_on,
            total_fee=Decimal("5000.00"),
        )
    assert indexed() == [result.pk]  # a non-exclusive offer stays open until the next sweep
    with django_capture_on_commit_callbacks(execute=True):
        transformation_sweep.run(swept_on + dt.timedelta(days=1))
    assert indexed() == []
    assert 'data-badge="licensable"' not in _page(client, result)
