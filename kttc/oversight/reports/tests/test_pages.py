"""The units' reports' pages and files (M13.3): the unit's pre-filled form with the platform's
figure and source beside each field, a correction refused without its reason and kept with it,
the submission; the bureau's overview with its filters and summary; the report as xlsx and PDF
with both figures and the reason; who reads what; every language."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from openpyxl import load_workbook

from conftest import pdf_text
from kttc.core.tests.factories import OrganisationFactory
from kttc.oversight.reports import selectors, services
from kttc.oversight.reports.tests.factories import DAY, filled, period, records, report_of
from kttc.policy import unit_reports as rules

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    """The pages' today is the tests' day (before the due date)."""
    monkeypatch.setattr(selectors, "today", lambda: DAY)


def _post(report, **changes):
    data = {}
    for field in rules.FIELDS:
        data[f"v_{field.code}"] = report.figures.get(field.code) or ""
        data[f"r_{field.code}"] = report.reasons.get(field.code, "")
    for code, (value, reason) in filled().items():
        data[f"v_{code}"], data[f"r_{code}"] = value, reason
    data.update(changes)
    return data


def test_m13_3_the_unit_corrects_a_figure_with_its_reason_and_submits(client, personas):
    records(personas)
    report = report_of(personas, period(personas))
    client.force_login(personas.transfer_office)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    url = reverse("unit_reports:edit", args=[report.pk])
    page = client.get(url).content.decode()
    assert 'value="300000.50"' in page  # transfers' amount, pre-filled
    assert "the unit&#x27;s technology contracts on the platform (M5)" in page
    refused = client.post(url, _post(report, v_licences_amount="90000.00", action="submit"))
    assert refused.status_code == 200
    body = refused.content.decode()
    assert "M13.3" in body and "Licences (amount, yuan)" in body and "say why" in body
    report.refresh_from_db()
    assert report.status == "draft" and report.figures["licences_amount"] == "80000.00"
    done = client.post(
        url,
        _post(
            report, v_licences_amount="90000", r_licences_amount="补充协议未录入", action="submit"
        ),
    )
    assert done.status_code == 302 and done.url == reverse("unit_reports:detail", args=[report.pk])
    report.refresh_from_db()
    assert report.status == "submitted"
    assert report.figures["licences_amount"] == "90000.00"
    assert report.platform["licences_amount"] == "80000.00"
    detail = client.get(done.url).content.decode()
    assert "补充协议未录入" in detail and "90,000.00" in detail and "80,000.00" in detail
    assert client.get(url).status_code == 302  # submitted: no more editing


def test_m13_3_the_bureau_sees_who_has_not_filed_filters_and_downloads_the_summary(
    client, personas
):
    institute = OrganisationFactory(kind="research_institute", name="昆明测试研究所")
    found = period(personas)
    services.report_submit(
        actor=personas.transfer_office, report=report_of(personas, found), entries=filled(),
        today=DAY,
    )  # fmt: skip
    client.force_login(personas.bureau)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    url = reverse("unit_reports:period", args=[found.pk])
    page = client.get(url, {"state": "not_filed"}).content.decode()
    assert f'data-unit="{institute.pk}"' in page and institute.name_en in page
    filed = client.get(url, {"state": "filed"}).content.decode()
    assert f'data-unit="{institute.pk}"' not in filed
    assert 'data-filing="filed"' in filed
    assert client.get(url, {"state": "nonsense", "page": "x"}).status_code == 200
    summary = client.get(reverse("unit_reports:period_xlsx", args=[found.pk]))
    sheet = load_workbook(io.BytesIO(summary.content)).active
    rows = [[c.value for c in r] for r in sheet.iter_rows(min_row=5)]
    by_unit = {r[0]: r for r in rows}
    assert by_unit[institute.name][2] == "not filed"
    university = report_of(personas, found).unit.name
    assert by_unit[university][2] == "filed, waiting for review"
    rd = 5 + rules.CODES.index("rd_staff")
    assert by_unit[university][rd] == 320 and by_unit[institute.name][rd] in ("", None)


def test_m13_3_the_report_as_xlsx_and_pdf_holds_both_figures_and_the_reason(client, personas):
    records(personas)
    report = report_of(personas, period(personas))
    services.report_save(
        actor=personas.transfer_office, report=report,
        entries={"income_received": ("125000.00", "一笔五千元收入线下到账")},
    )  # fmt: skip
    client.force_login(personas.auditor)  # auditors read every report
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-hans"
    xlsx = client.get(reverse("unit_reports:download", args=[report.pk, "xlsx"]))
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = {r[1]: r for r in sheet.iter_rows(values_only=True) if r and len(r) > 7}
    income = next(r for label, r in rows.items() if label and "到账" in str(r[2]))
    assert income[5] == Decimal("120000.00") and income[6] == Decimal("125000.00")
    assert income[7] == "一笔五千元收入线下到账"
    pdf = client.get(reverse("unit_reports:download", args=[report.pk, "pdf"]))
    assert pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content)
    assert "120,000.00" in text and "125,000.00" in text and "一笔五千元收入线下到账" in text
    assert "300,000.50" in text  # the transfers' amount


def test_m13_3_who_reads_and_who_decides(client, personas):
    found = period(personas)
    report = services.report_submit(
        actor=personas.transfer_office, report=report_of(personas, found), entries=filled(),
        today=DAY,
    )  # fmt: skip
    detail = reverse("unit_reports:detail", args=[report.pk])
    client.force_login(personas.enterprise)
    assert client.get(detail).status_code == 404
    assert client.get(reverse("unit_reports:index")).status_code == 403
    client.force_login(personas.auditor)
    assert client.get(detail).status_code == 200
    assert client.post(reverse("unit_reports:accept", args=[report.pk])).status_code == 403
    client.force_login(personas.bureau)
    client.post(reverse("unit_reports:return", args=[report.pk]), {"return-reason": ""})
    report.refresh_from_db()
    assert report.status == "submitted"  # a return needs its reason
    client.post(reverse("unit_reports:return", args=[report.pk]), {"return-reason": "请核实"})
    report.refresh_from_db()
    assert (report.status, report.return_reason) == ("returned", "请核实")


@pytest.mark.parametrize("language", [code for code, _ in settings.LANGUAGES])
def test_m13_3_the_pages_read_in_every_language(client, personas, language):
    found = period(personas)
    report = report_of(personas, found)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    client.force_login(personas.transfer_office)
    for url in (
        reverse("unit_reports:index"),
        reverse("unit_reports:edit", args=[report.pk]),
        reverse("unit_reports:detail", args=[report.pk]),
    ):
        assert client.get(url).status_code == 200
    client.force_login(personas.bureau)
    for url in (reverse("unit_reports:index"), reverse("unit_reports:period", args=[found.pk])):
        response = client.get(url)
        assert response.status_code == 200 and f'lang="{language}' in response.content.decode()
    pdf = client.get(reverse("unit_reports:download", args=[report.pk, "pdf"]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_m13_3_the_back_office_homes_list_the_reports_waiting(client, personas):
    found = period(personas)
    report = report_of(personas, found)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    index = f'href="{reverse("unit_reports:index")}"'
    client.force_login(personas.transfer_office)
    home = client.get(reverse("office:home")).content.decode()
    assert "Reports on transformation to submit" in home and index in home
    assert reverse("unit_reports:edit", args=[report.pk]) in home
    services.report_submit(
        actor=personas.transfer_office, report=report, entries=filled(), today=DAY
    )
    client.force_login(personas.bureau)
    home = client.get(reverse("office:home")).content.decode()
    assert "Units&#x27; reports on transformation to review" in home
    assert reverse("unit_reports:detail", args=[report.pk]) in home
    services.report_return(actor=personas.bureau, report=report, reason="请核实", today=DAY)
    client.force_login(personas.transfer_office)
    home = client.get(reverse("office:home")).content.decode()
    assert "Reports on transformation returned by the bureau" in home
    client.force_login(personas.auditor)
    assert index in client.get(reverse("office:home")).content.decode()
    client.force_login(personas.enterprise)
    assert index not in client.get(reverse("office:home")).content.decode()
