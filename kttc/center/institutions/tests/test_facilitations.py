"""Brokers named on the deals they facilitated (M9.1, M9.2): a party names a broker on its
licence, contract, listing or demand by the broker's certificate number; the broker hears of it;
only the party may name or remove; the public profile counts only public deals and sums only the
amounts their parties published, by country and industry."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from kttc.benefits.contracts import services as contracts
from kttc.center.demands.tests.factories import published
from kttc.center.institutions import facilitations
from kttc.center.institutions.models import Facilitation
from kttc.center.institutions.tests.factories import institution
from kttc.center.listings.tests.factories import listed, published_result
from kttc.core.errors import AccessDenied
from kttc.core.models import AuditEntry, Notification
from kttc.core.tests.factories import OrganisationFactory
from kttc.policy.errors import PolicyError
from kttc.policy.roles import OrganisationKind
from kttc.reform.licensing import services as licences

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def _abroad(country: str, number: str):
    return OrganisationFactory(
        kind=OrganisationKind.ENTERPRISE.value, is_municipal=False, country=country,
        credit_code="", registration_number=number,
    )  # fmt: skip


def _licence(personas, result, licensee, fee, disclosed):
    offer = licences.licence_offer(
        actor=personas.transfer_office, unit=result.unit, achievement=result, term_years=3,
        payment_model="deferred",
    )  # fmt: skip
    return licences.licence_conclude(
        actor=personas.transfer_office, offer=offer, licensee=licensee,
        starts_on=dt.date(2026, 1, 1), total_fee=Decimal(fee), first_due=dt.date(2026, 6, 1),
        disclosed=disclosed,
    )  # fmt: skip


def _contract(personas, result, country, amount, *, kind="transfer", disclosed=("amount",)):
    return contracts.contract_create(
        actor=personas.transfer_office, unit=result.unit, kind=kind, title="转让合同",
        counterparty="Hanoi Agro JSC", counterparty_country=country,
        signed_on=dt.date(2026, 3, 1), amount=Decimal(amount), achievement=result,
        disclosed=disclosed,
    )  # fmt: skip


def _name(personas, broker, kind, deal):
    return facilitations.facilitation_record(
        actor=personas.transfer_office, broker=broker, kind=kind, deal_id=deal.pk
    )


def test_m9_a_unit_names_a_broker_on_its_licence_and_the_broker_hears_of_it(personas):
    broker = institution(personas).brokers[1]
    result = published_result(personas)
    licence = _licence(personas, result, _abroad("LA", "LA-0101"), "50000.00", ["total_fee"])
    link = _name(personas, broker, "licence", licence)
    assert (link.kind, link.licence, link.party) == ("licence", licence, result.unit)
    entry = AuditEntry.objects.filter(action="institution.facilitation_record").get()
    assert entry.clauses == ["M9.1", "M9.2"]
    notice = Notification.objects.get(recipient=broker.person, kind="institution.facilitated")
    assert notice.params["deal"] == result.name and notice.params["party"] == result.unit.name
    assert notice.link == reverse("service_institutions:broker", args=[broker.pk])


def test_m9_a_broker_is_named_once_per_deal_and_a_withdrawn_one_is_refused(personas):
    found = institution(personas)
    result = published_result(personas)
    licence = _licence(personas, result, _abroad("LA", "LA-0101"), "50000.00", [])
    _name(personas, found.brokers[0], "licence", licence)
    with pytest.raises(PolicyError) as twice:
        _name(personas, found.brokers[0], "licence", licence)
    assert (twice.value.field, twice.value.clauses) == ("broker", ("M9.1", "M9.2"))
    from kttc.center.institutions import services

    services.broker_withdraw(actor=found.staff, profile=found.brokers[1])
    with pytest.raises(PolicyError) as withdrawn:
        _name(personas, found.brokers[1], "licence", licence)
    assert withdrawn.value.code == "facilitation.broker_withdrawn"
    assert withdrawn.value.field == "broker"
    assert Facilitation.objects.count() == 1


def test_m9_the_database_keeps_one_live_name_per_broker_and_deal(personas):
    found = institution(personas)
    result = published_result(personas)
    licence = _licence(personas, result, _abroad("LA", "LA-0101"), "50000.00", [])
    first = _name(personas, found.brokers[0], "licence", licence)
    with pytest.raises(IntegrityError), transaction.atomic():
        Facilitation.objects.create(
            broker=first.broker, kind="licence", licence=licence, party=first.party,
            recorded_by=first.recorded_by,
        )  # fmt: skip
    with pytest.raises(IntegrityError), transaction.atomic():  # two deals on one row
        Facilitation.objects.create(
            broker=found.brokers[1], kind="licence", licence=licence, demand=published(personas),
            party=first.party, recorded_by=first.recorded_by,
        )  # fmt: skip


def test_m9_only_the_party_names_a_broker_on_its_deal(personas):
    broker = institution(personas).brokers[0]
    result = published_result(personas)
    licence = _licence(personas, result, _abroad("LA", "LA-0101"), "50000.00", [])
    for stranger in (personas.enterprise, personas.service_broker, personas.researcher):
        with pytest.raises(AccessDenied):
            facilitations.facilitation_record(
                actor=stranger, broker=broker, kind="licence", deal_id=licence.pk
            )
    demand = published(personas)
    with pytest.raises(AccessDenied):
        _name(personas, broker, "demand", demand)  # the unit does not own the enterprise's demand
    link = facilitations.facilitation_record(
        actor=personas.enterprise, broker=broker, kind="demand", deal_id=demand.pk
    )
    assert link.party == demand.organisation
    with pytest.raises(PolicyError) as unknown:
        facilitations.facilitation_record(
            actor=personas.enterprise, broker=broker, kind="patent", deal_id=demand.pk
        )
    assert unknown.value.field == "deal"


def test_m9_removing_a_name_keeps_the_row_and_lets_it_be_named_again(personas):
    broker = institution(personas).brokers[0]
    result = published_result(personas)
    licence = _licence(personas, result, _abroad("LA", "LA-0101"), "50000.00", ["total_fee"])
    link = _name(personas, broker, "licence", licence)
    with pytest.raises(AccessDenied):
        facilitations.facilitation_remove(actor=personas.enterprise, facilitation=link)
    facilitations.facilitation_remove(actor=personas.transfer_office, facilitation=link)
    with pytest.raises(PolicyError):
        facilitations.facilitation_remove(actor=personas.transfer_office, facilitation=link)
    assert facilitations.public_deals(broker) == []
    _name(personas, broker, "licence", licence)
    assert Facilitation.objects.filter(broker=broker).count() == 2
    assert len(facilitations.public_deals(broker)) == 1


def test_m9_2_the_public_record_counts_public_deals_and_sums_only_published_amounts(personas):
    broker = institution(personas).brokers[0]
    result = published_result(personas)
    lao = _licence(personas, result, _abroad("LA", "LA-0101"), "50000.00", ["total_fee"])
    hidden_fee = _licence(personas, result, _abroad("LA", "LA-0102"), "70000.00", [])
    vietnam = _contract(personas, result, "VN", "120000.00")
    # A development contract is not on the transaction page: it stays out of the record.
    private = _contract(personas, result, "CN", "999999.00", kind="development")
    for kind, deal in (
        ("licence", lao), ("licence", hidden_fee), ("contract", vietnam), ("contract", private),
    ):  # fmt: skip
        _name(personas, broker, kind, deal)
    deals = facilitations.public_deals(broker)
    figures = facilitations.figures(deals)
    assert figures.by_kind == {"licence": 2, "contract": 1, "listing": 0, "demand": 0}
    assert figures.published_amount == Decimal("170000.00")
    assert figures.countries == [("LA", 2), ("VN", 1)]
    assert figures.industries == [(result.industry_code, 3)]


def test_m9_2_a_listing_and_a_demand_count_on_the_profile_page(client, personas):
    broker = institution(personas).brokers[0]
    listing = listed(personas)
    _name(personas, broker, "listing", listing)
    demand = published(personas)
    facilitations.facilitation_record(
        actor=personas.enterprise, broker=broker, kind="demand", deal_id=demand.pk
    )
    page = client.get(reverse("service_institutions:broker", args=[broker.pk])).content.decode()
    assert listing.achievement.name in page and demand.title in page
    assert reverse("listings:detail", args=[listing.pk]) in page


def test_m9_the_party_names_and_removes_a_broker_on_its_page(client, personas):
    broker = institution(personas).brokers[0]
    result = published_result(personas)
    licence = _licence(personas, result, _abroad("LA", "LA-0101"), "50000.00", ["total_fee"])
    client.force_login(personas.transfer_office)
    url = reverse("institutions:deals")
    page = client.get(url + f"?deal=licence:{licence.pk}").content.decode()
    assert f'value="licence:{licence.pk}" selected' in page
    assert "You have not named a broker on any deal yet." in page
    # An unknown certificate: refused beside the field, nothing stored.
    answer = client.post(url, {"deal": f"licence:{licence.pk}", "certificate_number": "NOPE-1"})
    assert answer.status_code == 200 and Facilitation.objects.count() == 0
    assert "No broker registered with a service institution" in answer.content.decode()
    answer = client.post(
        url, {"deal": f"licence:{licence.pk}", "certificate_number": broker.certificate_number}
    )
    assert answer.status_code == 302
    link = Facilitation.objects.get()
    page = client.get(url).content.decode()
    assert f'data-facilitation="{link.pk}"' in page
    # Twice: refused beside the certificate number.
    answer = client.post(
        url, {"deal": f"licence:{licence.pk}", "certificate_number": broker.certificate_number}
    )
    assert "already named on this deal" in answer.content.decode()
    profile = client.get(reverse("service_institutions:broker", args=[broker.pk])).content.decode()
    assert "50,000.00" in profile and "Laos" in profile
    client.post(reverse("institutions:deal_remove", args=[link.pk]))
    link.refresh_from_db()
    assert link.removed_at is not None


def test_m9_a_person_without_deals_is_told_who_names_brokers(client, personas):
    client.force_login(personas.researcher)
    answer = client.get(reverse("institutions:deals"))
    assert answer.status_code == 403
    assert client.post(reverse("institutions:deal_remove", args=[99999])).status_code == 404


def test_m9_1_the_record_counts_each_named_deal_once_beside_the_demands_met(personas):
    from kttc.center.institutions import selectors

    found = institution(personas)
    result = published_result(personas)
    licence = _licence(personas, result, _abroad("LA", "LA-0101"), "50000.00", [])
    for broker in found.brokers:  # two brokers of one institution on one licence
        _name(personas, broker, "licence", licence)
    assert selectors.institution_record(found.organisation).deals == 1
    assert selectors.broker_record(found.brokers[0]).deals == 1
    contract = _contract(personas, result, "CN", "1000.00")
    link = _name(personas, found.brokers[0], "contract", contract)
    assert selectors.institution_record(found.organisation).deals == 2
    facilitations.facilitation_remove(actor=personas.transfer_office, facilitation=link)
    assert selectors.institution_record(found.organisation).deals == 1


def test_m9_the_office_and_the_enterprise_find_the_page_from_their_home(client, personas):
    for person in (personas.transfer_office, personas.enterprise):
        client.force_login(person)
        home = client.get(reverse("office:home")).content.decode()
        assert reverse("institutions:deals") in home


def _auth(person) -> dict[str, str]:
    from kttc.core.services import api_token_create

    _token, key = api_token_create(user=person, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_m9_the_api_names_lists_removes_and_publishes_the_record(client, personas):
    broker = institution(personas).brokers[0]
    result = published_result(personas)
    licence = _licence(personas, result, _abroad("LA", "LA-0101"), "50000.00", ["total_fee"])
    office = _auth(personas.transfer_office)
    body = {"certificate_number": broker.certificate_number.lower(), "kind": "licence",
            "deal_id": licence.pk}  # fmt: skip
    answer = client.post("/api/v1/institutions/deals", body, "application/json", **office)
    assert answer.status_code == 201, answer.content
    link = answer.json()
    assert (link["kind"], link["deal_id"], link["broker_id"]) == ("licence", licence.pk, broker.pk)
    again = client.post("/api/v1/institutions/deals", body, "application/json", **office)
    assert again.status_code == 400 and again.json()["error"]["field"] == "broker"
    unknown = client.post(
        "/api/v1/institutions/deals", {**body, "certificate_number": "NONE"}, "application/json",
        **office,
    )  # fmt: skip
    assert unknown.status_code == 400 and unknown.json()["error"]["field"] == "certificate_number"
    stranger = client.post(
        "/api/v1/institutions/deals", body, "application/json", **_auth(personas.enterprise)
    )
    assert stranger.status_code == 403
    record = client.get(f"/api/v1/institutions/brokers/{broker.pk}/deals").json()
    assert record["deals"] == 1 and record["countries"] == {"LA": 1}
    assert record["published_amount"] == "50000.00"
    assert record["rows"][0]["party"] == result.unit.name
    listed_ = client.get("/api/v1/institutions/deals", **office).json()
    assert [row["id"] for row in listed_] == [link["id"]]
    removed = client.post(f"/api/v1/institutions/deals/{link['id']}/remove", **office)
    assert removed.status_code == 200 and removed.json()["removed_at"]
    assert client.get(f"/api/v1/institutions/brokers/{broker.pk}/deals").json()["deals"] == 0
