"""The pages of technology finance (M12.1, M12.3): the public products by kind in every
language; the bank publishes a product (a wrong range refused beside its field); the enterprise
applies pledging a patent of its result; the bank reads the pledged result with its signed
evaluation (M10.1), approves (a missing registration refused beside its field), sees the
schedule and records a repayment; the back office homes list what waits; strangers see
nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from kttc.center.evaluation.models import Evaluation
from kttc.center.finance.models import FinanceApplication, FinanceProduct
from kttc.center.finance.tests.factories import (
    DAY,
    PATENT,
    applied,
    approved,
    enterprise_result,
    product,
)
from kttc.core.models import Membership
from kttc.core.todos import sections
from kttc.policy.roles import Role

pytestmark = pytest.mark.django_db

LANGUAGES = ["zh-hans", "en", "vi", "th", "lo", "my", "km"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_m12_the_public_products_page_reads_in_every_language_and_filters_by_kind(
    client, personas, language
):
    product(personas)
    product(personas, "insurance", name="知识产权保险", name_en="IP insurance", purposes=("ip",))
    url = reverse("finance_public:products")
    page = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count("data-product=") == 2
    name = "知识产权质押贷" if language == "zh-hans" else "IP pledge loan"
    assert name in html
    only = client.get(url, {"kind": "insurance"}, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert only.count("data-product=") == 1 and 'data-kind="insurance"' in only
    assert client.get(url, {"kind": "nonsense"}).status_code == 200


def test_m12_1_the_bank_publishes_a_product_and_a_wrong_range_is_refused_beside_it(
    client, personas
):
    client.force_login(personas.financial_institution)
    url = reverse("finance:product_new")
    data = {
        "kind": "credit_loan", "name": "科技信用贷", "name_en": "Tech credit loan",
        "description": "无抵押", "description_en": "No collateral", "amount_min": "500000",
        "amount_max": "100000", "term_min": "6", "term_max": "12", "rate": "4.2",
        "is_open": "on",
    }  # fmt: skip
    page = client.post(url, data)
    assert page.status_code == 200 and "amount_max" in page.context["form"].errors
    assert not FinanceProduct.objects.exists()
    page = client.post(url, {**data, "amount_max": "3000000"})
    assert page.status_code == 302
    assert FinanceProduct.objects.get().amount_max == Decimal("3000000.00")
    assert (
        "Tech credit loan"
        in client.get(reverse("finance:bank"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )
    client.force_login(personas.enterprise)
    assert client.get(url).status_code == 403


def test_m12_1_the_enterprise_applies_pledging_a_patent_of_its_result(client, personas):
    enterprise_result(personas)
    found = product(personas)
    client.force_login(personas.enterprise)
    url = reverse("finance:apply", args=[found.pk])
    page = client.get(url)
    assert page.status_code == 200 and f"ZL{PATENT}" in page.content.decode()
    data = {"amount": "800000", "term": "24", "purpose": "中试线建设"}
    page = client.post(url, data)
    assert page.status_code == 200 and "patents" in page.context["form"].errors
    page = client.post(url, {**data, "patents": [PATENT]})
    application = FinanceApplication.objects.get()
    assert page.status_code == 302 and page["Location"] == reverse(
        "finance:application", args=[application.pk]
    )
    mine = client.get(reverse("finance:mine")).content.decode()
    assert f'data-application="{application.pk}"' in mine


def test_m12_1_the_bank_reads_the_evaluations_approves_and_records_a_repayment(client, personas):
    result = enterprise_result(personas)
    Evaluation.objects.create(
        result=result, requester=personas.organisations[Role.ENTERPRISE],
        requester_kind="enterprise", requested_by=personas.enterprise,
        institution=personas.organisations[Role.SERVICE_BROKER], purpose="质押融资",
        status="signed", requested_on=DAY, total=Decimal("82.50"), signed_at=timezone.now(),
    )  # fmt: skip
    application = applied(personas, product(personas))
    client.force_login(personas.financial_institution)
    detail = reverse("finance:application", args=[application.pk])
    html = client.get(detail, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'data-pledge="{PATENT}"' in html and "82.50" in html
    data = {
        "approve-amount": "800000", "approve-rate": "3.85", "approve-term": "24",
        "approve-method": "equal_principal", "approve-registration_number": "",
        "approve-registered_on": DAY.isoformat(),
    }  # fmt: skip
    page = client.post(reverse("finance:approve", args=[application.pk]), data)
    assert page.status_code == 422
    assert "registration_number" in page.context["approve_form"].errors
    page = client.post(
        reverse("finance:approve", args=[application.pk]),
        {**data, "approve-registration_number": "KM-ZY-2026-001"},
    )
    assert page.status_code == 302
    html = client.get(detail).content.decode()
    assert html.count("data-instalment=") == 24 and "KM-ZY-2026-001" in html
    page = client.post(
        reverse("finance:repay", args=[application.pk]),
        {"repay-amount": "36000", "repay-paid_on": DAY.isoformat()},
    )
    assert page.status_code == 302
    assert "data-repayment=" in client.get(detail).content.decode()


def test_m12_the_homes_list_what_waits_and_strangers_see_nothing(client, personas):
    enterprise_result(personas)
    found = product(personas)
    waiting = applied(personas, found)
    bank = Membership.objects.get(user=personas.financial_institution)
    with translation.override("en"):
        titles = [str(s.title) for s in sections(bank)]
    assert "Finance applications waiting for the bank" in titles
    for persona in ("investment_platform", "bureau"):
        client.force_login(getattr(personas, persona))
        assert client.get(reverse("finance:application", args=[waiting.pk])).status_code == 404
    client.force_login(personas.enterprise)
    page = client.post(
        reverse("finance:refuse", args=[waiting.pk]), {"refuse-reason": "不符合条件"}
    )
    assert page.status_code == 403
    waiting.refresh_from_db()
    assert waiting.status == "submitted"


def test_m12_1_an_overdue_repayment_waits_on_both_homes(client, personas, monkeypatch):
    enterprise_result(personas)
    approved(personas, applied(personas, product(personas)))
    monkeypatch.setattr(
        "kttc.policy.calendar.today_in_shanghai", lambda now=None: DAY + dt.timedelta(days=40)
    )
    with translation.override("en"):
        bank = [
            str(s.title)
            for s in sections(Membership.objects.get(user=personas.financial_institution))
        ]
        mine = [str(s.title) for s in sections(Membership.objects.get(user=personas.enterprise))]
    assert "Loan repayments overdue" in bank and "Our loan repayments overdue" in mine
    client.force_login(personas.financial_institution)
    assert "data-overdue" in client.get(reverse("finance:bank")).content.decode()


def test_the_office_home_leads_the_bank_and_the_enterprise_to_finance(client, personas):
    client.force_login(personas.financial_institution)
    home = client.get(reverse("office:home")).content.decode()
    assert f'href="{reverse("finance:bank")}" id="nav-finance-bank"' in home
    client.force_login(personas.enterprise)
    home = client.get(reverse("office:home")).content.decode()
    assert f'href="{reverse("finance:mine")}" id="nav-finance"' in home
    assert 'id="nav-finance-bank"' not in home


@pytest.mark.parametrize("language", LANGUAGES)
def test_m12_1_the_application_and_back_office_pages_read_in_every_language(
    client, personas, language
):
    enterprise_result(personas)
    application = approved(personas, applied(personas, product(personas)))
    with translation.override(language):
        schedule = translation.gettext("Repayment schedule")
        waiting = translation.gettext("Applications waiting for a decision")
        mine = translation.gettext("Our finance applications")
    client.force_login(personas.financial_institution)
    page = client.get(
        reverse("finance:application", args=[application.pk]), HTTP_ACCEPT_LANGUAGE=language
    ).content.decode()
    assert f'lang="{language}"' in page and schedule in page
    if language != "en":
        assert schedule != "Repayment schedule"
    page = client.get(reverse("finance:bank"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert waiting in page
    client.force_login(personas.enterprise)
    page = client.get(reverse("finance:mine"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert mine in page
