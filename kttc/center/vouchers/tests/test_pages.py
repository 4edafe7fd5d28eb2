"""The pages of innovation vouchers (M12.2): the bureau opens a programme (a bad one refused
beside its field), issues or refuses; the enterprise applies and presents its voucher; the
certified institution redeems it; the report adds up and its xlsx guards formulas; the homes
list what waits; strangers see nothing."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from kttc.center.vouchers.models import Voucher, VoucherApplication, VoucherProgramme
from kttc.center.vouchers.tests.factories import DAY, applied, institution, issued, programme
from kttc.core.models import Membership
from kttc.core.todos import sections

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("kttc.policy.calendar.today_in_shanghai", lambda now=None: DAY)


def _titles(person) -> list[str]:
    membership = Membership.objects.get(user=person)
    with translation.override("en"):
        return [str(s.title) for s in sections(membership)]


def test_m12_2_the_bureau_opens_a_programme_and_a_bad_value_is_refused_beside_it(client, personas):
    client.force_login(personas.bureau)
    url = reverse("vouchers:programmes")
    data = {
        "name": "2026年科技创新券", "budget": "50000", "services": ["testing", "evaluation"],
        "value_mode": "maximum", "value": "60000", "opens_on": DAY.isoformat(),
        "closes_on": (DAY + dt.timedelta(days=30)).isoformat(),
        "valid_until": (DAY + dt.timedelta(days=90)).isoformat(),
    }  # fmt: skip
    page = client.post(url, data)
    assert page.status_code == 200 and "value" in page.context["form"].errors
    assert not VoucherProgramme.objects.exists()
    page = client.post(url, {**data, "value": "10000"})
    found = VoucherProgramme.objects.get()
    assert page["Location"] == reverse("vouchers:programme", args=[found.pk])
    assert client.get(reverse("vouchers:home"))["Location"] == url
    assert "2026年科技创新券" in client.get(url).content.decode()


def test_m12_2_the_enterprise_applies_and_the_bureau_issues_on_the_page(client, personas):
    found = programme(personas)
    client.force_login(personas.enterprise)
    url = reverse("vouchers:mine")
    data = {"programme": found.pk, "service": "testing", "amount": "25000", "purpose": "检测"}
    page = client.post(url, data)
    assert page.status_code == 200 and "amount" in page.context["form"].errors
    assert client.post(url, {**data, "amount": "15000"}).status_code == 302
    application = VoucherApplication.objects.get()
    client.force_login(personas.bureau)
    assert "Voucher applications waiting for the bureau" in _titles(personas.bureau)
    page = client.get(reverse("vouchers:application", args=[application.pk]))
    assert page.status_code == 200
    page = client.post(reverse("vouchers:issue", args=[application.pk]), {"value": "12000"})
    assert page.status_code == 302
    voucher = Voucher.objects.get()
    assert voucher.value == Decimal("12000.00")
    client.force_login(personas.enterprise)
    mine = client.get(url).content.decode()
    assert voucher.code in mine
    assert "Innovation vouchers to use" in _titles(personas.enterprise)
    assert "Innovation vouchers expiring soon" not in _titles(personas.enterprise)


def test_m12_2_the_enterprise_presents_and_the_certified_institution_redeems(client, personas):
    voucher = issued(personas)
    certified = institution(personas)
    client.force_login(personas.enterprise)
    page = client.post(
        reverse("vouchers:present", args=[voucher.pk]), {"institution": certified.pk}
    )
    assert page.status_code == 302
    voucher.refresh_from_db()
    assert voucher.institution_id == certified.pk
    client.force_login(personas.service_broker)
    assert client.get(reverse("vouchers:home"))["Location"] == reverse("vouchers:redeem")
    page = client.get(reverse("vouchers:redeem")).content.decode()
    assert voucher.code in page
    assert "Innovation vouchers presented, waiting to be redeemed" in _titles(
        personas.service_broker
    )
    redeem = reverse("vouchers:redeem_voucher", args=[voucher.pk])
    data = {"description": "检测服务", "invoice_number": "53001", "amount": "16000"}
    client.post(redeem, data)
    voucher.refresh_from_db()
    assert voucher.status == "issued"  # more than the value: refused
    client.post(redeem, {**data, "amount": "15000"})
    voucher.refresh_from_db()
    assert voucher.status == "redeemed"
    assert "Recent voucher redemptions" in _titles(personas.service_broker)
    assert "53001" in client.get(reverse("vouchers:redeem")).content.decode()


def test_m12_2_the_report_adds_up_and_its_xlsx_keeps_a_formula_as_text(client, personas):
    found = programme(personas)
    voucher = issued(personas, found, amount="15000")
    certified = institution(personas)
    certified.name = '=HYPERLINK("http://x")'
    certified.save()
    from kttc.center.vouchers import services
    from kttc.center.vouchers.tests.factories import presented, service

    presented(personas, voucher)
    services.voucher_redeem(
        actor=personas.service_broker, voucher=voucher, institution=certified,
        service=service(amount="10000"), today=DAY,
    )  # fmt: skip
    issued(personas, found, amount="5000", service="evaluation")
    client.force_login(personas.bureau)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    page = client.get(reverse("vouchers:programme", args=[found.pk]))
    report = page.context["report"]
    assert (report.budget, report.total.outstanding, report.total.redeemed, report.remaining) == (
        Decimal("100000.00"), Decimal("5000.00"), Decimal("10000.00"), Decimal("85000.00"),
    )  # fmt: skip
    html = page.content.decode()
    assert 'data-figure="remaining">85,000.00' in html and 'id="by-institution"' in html
    answer = client.get(reverse("vouchers:report_xlsx", args=[found.pk]))
    assert answer.status_code == 200
    sheet = load_workbook(io.BytesIO(answer.content)).active
    cells = {c.value: c for row in sheet.iter_rows() for c in row if c.value is not None}
    formula = cells['=HYPERLINK("http://x")']
    assert formula.data_type == "s" and formula.quotePrefix
    values = [[c.value for c in row if c.value is not None] for row in sheet.iter_rows()]
    assert ["Remaining (yuan)", 85000] in values
    assert ["Budget (yuan)", 100000] in values
    assert ["Total", 2, 20000, 5000, 10000, 0] in values


def test_strangers_see_nothing(client, personas):
    found = programme(personas)
    application = applied(personas, found)
    client.force_login(personas.researcher)
    assert client.get(reverse("vouchers:home")).status_code == 403
    assert client.get(reverse("vouchers:programme", args=[found.pk])).status_code == 403
    assert client.get(reverse("vouchers:application", args=[application.pk])).status_code == 404
    assert client.get(reverse("vouchers:report_xlsx", args=[found.pk])).status_code == 403
    client.force_login(personas.enterprise)
    assert client.get(reverse("vouchers:programmes")).status_code == 403
    assert client.post(reverse("vouchers:issue", args=[application.pk])).status_code == 403
    assert client.get(reverse("vouchers:application", args=[999999999999])).status_code == 404
