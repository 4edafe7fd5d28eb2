"""The licence pages as a unit's office and an enterprise use them (M3.1-M3.4), and the public
transaction page (M8.5): every step through the pages, refusals shown beside their field with
the clause, nothing stored on a refusal, and each party kept to its own actions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from kttc.core.models import Membership
from kttc.core.tests.factories import OrganisationFactory, UserFactory
from kttc.policy.roles import Role
from kttc.reform.licensing import credit
from kttc.reform.licensing import services as licences
from kttc.reform.models import (
    CreditRecord,
    Licence,
    LicenceApplication,
    LicenceOffer,
    LicencePayment,
    RevenueReport,
)
from kttc.reform.tests.factories import make_result
from kttc.registry import services as registry_services

pytestmark = pytest.mark.django_db


def _publish(personas, result):
    registry_services.achievement_submit(actor=personas.transfer_office, achievement=result)
    return registry_services.achievement_publish(actor=personas.bureau, achievement=result)


@pytest.fixture(autouse=True)
def _english(client):
    """The pages in English, whose words the tests look for."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def published(personas, unit):
    return _publish(personas, make_result(personas, unit))


@pytest.fixture
def enterprise(personas):
    return personas.organisations[Role.ENTERPRISE]


def _errors(response) -> str:
    return response.content.decode()


def _offer(client, personas, published, model="staged_royalty", **extra) -> LicenceOffer:
    client.force_login(personas.transfer_office)
    data = {"achievement": published.pk, "payment_model": model, "term_years": 5, **extra}
    response = client.post(reverse("licences:offer_new"), data)
    assert response.status_code == 302, _errors(response)
    return LicenceOffer.objects.get(achievement=published)


def _apply(client, personas, offer, enterprise) -> LicenceApplication:
    client.force_login(personas.enterprise)
    response = client.post(
        reverse("licences:offer", args=[offer.pk]),
        {"applicant": enterprise.pk, "plan": "Build a pilot line", "proposed_terms": ""},
    )
    assert response.status_code == 302, _errors(response)
    return LicenceApplication.objects.get(offer=offer, applicant=enterprise)


def test_m3_1_the_office_offers_and_the_enterprise_finds_and_applies(
    client, personas, published, enterprise
):
    client.force_login(personas.enterprise)
    empty = client.get(reverse("licences:home"))
    assert "No result is offered for licence now." in empty.content.decode()
    offer = _offer(client, personas, published, exclusive="on", territory="Yunnan")
    assert offer.exclusive and offer.territory == "Yunnan" and offer.created_by_id
    client.force_login(personas.enterprise)
    listing = client.get(reverse("licences:home"), {"q": published.name[:4]})
    assert reverse("licences:offer", args=[offer.pk]) in listing.content.decode()
    nothing = client.get(reverse("licences:home"), {"q": "no such thing zzz"})
    assert "No open offer matches" in nothing.content.decode()
    application = _apply(client, personas, offer, enterprise)
    assert application.status == "pending" and application.applied_by == personas.enterprise
    again = client.post(
        reverse("licences:offer", args=[offer.pk]),
        {"applicant": enterprise.pk, "plan": "again"},
    )
    assert again.status_code == 200 and "M3.1" in again.content.decode()
    assert LicenceApplication.objects.count() == 1
    client.force_login(personas.transfer_office)
    home = client.get(reverse("licences:home")).content.decode()
    assert reverse("licences:application", args=[application.pk]) in home


def test_m3_1_only_the_office_offers_and_only_published_results(client, personas, unit):
    client.force_login(personas.enterprise)
    assert client.get(reverse("licences:offer_new")).status_code == 403
    client.force_login(personas.transfer_office)
    draft = make_result(personas, unit, name="草稿成果")
    page = client.get(reverse("licences:offer_new")).content.decode()
    assert "no published result to offer" in page
    response = client.post(
        reverse("licences:offer_new"),
        {"achievement": draft.pk, "payment_model": "deferred", "term_years": 5},
    )
    assert response.status_code == 200 and not LicenceOffer.objects.exists()


def test_m3_4_the_office_sees_the_applicants_credit_records_before_it_decides(
    client, personas, unit, published, enterprise
):
    other_result = _publish(personas, make_result(personas, unit, name="另一项成果"))
    earlier = licences.licence_conclude(
        actor=personas.transfer_office,
        offer=licences.licence_offer(
            actor=personas.transfer_office,
            unit=unit,
            achievement=other_result,
            term_years=3,
            payment_model="deferred",
        ),
        licensee=enterprise,
        starts_on=dt.date(2026, 1, 1),
        total_fee=Decimal("1000"),
        first_due=dt.date(2026, 6, 1),
    )
    credit.licence_breach_declare(
        actor=personas.transfer_office, licence=earlier, reason="Royalties never paid"
    )
    offer = _offer(client, personas, published)
    application = _apply(client, personas, offer, enterprise)
    client.force_login(personas.transfer_office)
    page = client.get(reverse("licences:application", args=[application.pk])).content.decode()
    assert "Royalties never paid" in page and "M3.4" in page
    offer_page = client.get(reverse("licences:offer", args=[offer.pk])).content.decode()
    assert "1 credit record" in offer_page


def test_m3_2_conclude_then_report_pay_and_breach_through_the_pages(
    client, personas, published, enterprise, travel
):
    travel(dt.date(2027, 8, 1))
    offer = _offer(client, personas, published)
    application = _apply(client, personas, offer, enterprise)
    client.force_login(personas.transfer_office)
    url = reverse("licences:application", args=[application.pk])
    bad = client.post(
        url,
        {
            "action": "conclude",
            "conclude-starts_on": "2027-01-01",
            "conclude-stages": "lots; 2027-06-30",
        },
    )
    assert bad.status_code == 200 and "Line 1" in bad.content.decode()
    no_stage = client.post(url, {"action": "conclude", "conclude-starts_on": "2027-01-01"})
    assert "M3.2" in no_stage.content.decode() and not Licence.objects.exists()
    too_long = client.post(
        url,
        {
            "action": "conclude",
            "conclude-starts_on": "2027-01-01",
            "conclude-stages": "50000; 2027-06-30",
            "conclude-royalty_percent": "5",
            "conclude-royalty_due_days": "400",
        },
    )
    assert too_long.status_code == 200 and not Licence.objects.exists()
    assert too_long.context["conclude_form"].errors["royalty_due_days"]
    response = client.post(
        url,
        {
            "action": "conclude",
            "conclude-starts_on": "2027-01-01",
            "conclude-stages": "50000; 2027-06-30\n80000; pilot line accepted",
            "conclude-royalty_percent": "5",
            "conclude-royalty_due_days": "31",
            "conclude-disclosed": ["licensee", "payment_model"],
        },
    )
    licence = Licence.objects.get()
    assert licence.royalty_due_days == 31
    assert response.status_code == 302 and response["Location"].endswith(f"/{licence.pk}/")
    assert licence.royalty_rate == Decimal("0.05") and licence.disclosed == [
        "licensee",
        "payment_model",
    ]
    application.refresh_from_db()
    assert application.status == "concluded"

    page = reverse("licences:licence", args=[licence.pk])
    client.force_login(personas.enterprise)
    shown = client.get(page).content.decode()
    assert "31 days after the end of each period reported" in shown  # the licence's term
    assert 'name="revenue-due"' not in shown  # the licensee no longer picks the day
    negative = client.post(
        page,
        {
            "action": "revenue",
            "revenue-period_start": "2027-01-01",
            "revenue-period_end": "2027-06-30",
            "revenue-revenue": "-5",
        },
    )
    assert negative.status_code == 200 and "M3.2" in negative.content.decode()
    assert not RevenueReport.objects.exists()
    client.post(
        page,
        {
            "action": "revenue",
            "revenue-period_start": "2027-01-01",
            "revenue-period_end": "2027-06-30",
            "revenue-revenue": "200000",
        },
    )
    report = RevenueReport.objects.get()
    assert report.royalty == Decimal("10000.00") and report.due == dt.date(2027, 7, 31)
    # The enterprise cannot record a payment to itself.
    forbidden = client.post(
        page, {"action": "payment", "payment-amount": "1", "payment-paid_on": "2027-07-01"}
    )
    assert forbidden.status_code == 403 and not LicencePayment.objects.exists()

    client.force_login(personas.transfer_office)
    client.post(
        page, {"action": "payment", "payment-amount": "50000", "payment-paid_on": "2027-07-01"}
    )
    client.post(
        page,
        {"action": "milestone", "milestone-milestone": "pilot line accepted",
         "milestone-on": "2027-07-15"},
    )  # fmt: skip
    shown = client.get(page)
    lines = {line.number: line.state for line in shown.context["lines"]}
    assert lines == {1: "paid", 2: "overdue", 3: "overdue"}  # 3: the royalty, due 31 July
    assert shown.context["balance"].overdue == Decimal("90000.00")  # 80000 + royalty 10000
    assert '<span class="tag overdue">90,000.00</span>' in shown.content.decode()  # grouped
    client.post(page, {"action": "breach", "breach-reason": "Milestone payment not made"})
    record = CreditRecord.objects.get()
    licence.refresh_from_db()
    assert licence.status == "breached"

    client.force_login(personas.enterprise)
    client.post(
        page,
        {"action": "answer", "record": record.pk, f"answer-{record.pk}-answer": "Paying now"},
    )
    record.refresh_from_db()
    assert record.status == "answered" and record.answer == "Paying now"
    client.force_login(personas.transfer_office)
    client.post(
        page,
        {"action": "remove", "record": record.pk, f"remove-{record.pk}-reason": "Paid in full"},
    )
    record.refresh_from_db()
    licence.refresh_from_db()
    assert record.status == "removed" and licence.status == "active"


def test_a_licence_is_read_only_by_its_parties(client, personas, published, enterprise):
    offer = licences.licence_offer(
        actor=personas.transfer_office,
        unit=published.unit,
        achievement=published,
        term_years=3,
        payment_model="deferred",
    )
    licence = licences.licence_conclude(
        actor=personas.transfer_office,
        offer=offer,
        licensee=enterprise,
        starts_on=dt.date(2026, 1, 1),
        total_fee=Decimal("1000"),
        first_due=dt.date(2026, 6, 1),
    )
    stranger_org = OrganisationFactory(kind="enterprise")
    stranger = UserFactory()
    Membership.objects.create(user=stranger, organisation=stranger_org, role=Role.ENTERPRISE)
    client.force_login(stranger)
    assert client.get(reverse("licences:licence", args=[licence.pk])).status_code == 404
    client.force_login(personas.enterprise)
    assert client.get(reverse("licences:licence", args=[licence.pk])).status_code == 200


def test_m8_5_the_transaction_page_shows_only_what_the_parties_published(
    client, personas, published, enterprise
):
    assert (
        "No transaction is disclosed yet."
        in client.get(reverse("transactions:list")).content.decode()
    )
    offer = licences.licence_offer(
        actor=personas.transfer_office,
        unit=published.unit,
        achievement=published,
        term_years=3,
        payment_model="deferred",
    )
    base = dict(
        actor=personas.transfer_office,
        offer=offer,
        starts_on=dt.date(2026, 1, 1),
        total_fee=Decimal("123456.78"),
        first_due=dt.date(2026, 6, 1),
    )
    licences.licence_conclude(licensee=enterprise, disclosed=["payment_model"], **base)
    page = client.get(reverse("transactions:list")).content.decode()
    # The page is in English: the result is named as its unit translated it.
    english = published.translations.get(language="en").name
    assert english in page and "Deferred payment by dates" in page
    assert "123456.78" not in page and "123,456.78" not in page
    assert enterprise.name not in page and enterprise.name_en not in page
    second = OrganisationFactory(kind="enterprise", name="公开费用企业", name_en="")
    licences.licence_conclude(licensee=second, disclosed=["total_fee", "licensee"], **base)
    page = client.get(reverse("transactions:list")).content.decode()
    assert "123,456.78" in page and "公开费用企业" in page
    filtered = client.get(reverse("transactions:list"), {"unit": published.unit_id})
    assert len(filtered.context["page"].object_list) == 2


def test_bad_ids_in_requests_are_not_found_never_a_server_error(client, personas, published):
    huge = "9" * 30
    assert client.get(reverse("transactions:list"), {"unit": huge}).status_code == 200
    api = client.get("/api/v1/transactions", {"unit": huge})
    assert api.status_code == 422 and api.json()["error"]["field"] == "unit"
    offer = licences.licence_offer(
        actor=personas.transfer_office,
        unit=published.unit,
        achievement=published,
        term_years=3,
        payment_model="deferred",
    )
    licence = licences.licence_conclude(
        actor=personas.transfer_office,
        offer=offer,
        licensee=personas.organisations[Role.ENTERPRISE],
        starts_on=dt.date(2026, 1, 1),
        total_fee=Decimal("1000"),
        first_due=dt.date(2026, 6, 1),
    )
    client.force_login(personas.enterprise)
    page = reverse("licences:licence", args=[licence.pk])
    for record in ("abc", huge, ""):
        data = {"action": "answer", "record": record}
        assert client.post(page, data).status_code == 404
