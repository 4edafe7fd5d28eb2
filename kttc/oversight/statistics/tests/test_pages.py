"""The statistics' pages (M13.3, M8.5): the bureau's and auditors' dashboard with its breakdowns,
drill-down and xlsx, refused to a unit; the public page with charts and tables and nothing
confidential; charts that fetch nothing from elsewhere."""

from __future__ import annotations

import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from kttc.oversight.statistics import services
from kttc.oversight.statistics.models import StatisticsRefresh
from kttc.oversight.statistics.tests.factories import TODAY, world

pytestmark = pytest.mark.django_db

#: A script or a stylesheet from another site (a CDN) in a page or an SVG.
FETCHED = re.compile(
    r"<script[^>]*\bsrc=[\"']?(https?:)?//|<link[^>]*\bhref=[\"']?(https?:)?//"
    r"|@import|url\([\"']?(https?:)?//|xml-stylesheet",
    re.I,
)


@pytest.fixture
def counted(personas, client):
    found = world(personas)
    services.statistics_refresh(today=TODAY)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return found


@pytest.mark.parametrize("role", ["bureau", "auditor"])
def test_m13_3_the_bureau_and_auditors_read_the_dashboard_by_each_breakdown(
    client, personas, counted, role
):
    client.force_login(getattr(personas, role))
    url = reverse("statistics:dashboard")
    page = client.get(url, {"measure": "transfers", "by": "country"}).content.decode()
    assert 'data-chart="transfers"' in page and "M8.5" in page
    assert 'role="img"' in page and 'aria-labelledby="chart-main-title chart-main-desc"' in page
    assert "Laos" in page and "500,000.00" in page and "880,000.00" in page
    assert ">Laos</text>" in page  # the bar's own label in the chart, beside the table's
    assert "?measure=transfers&amp;by=country&amp;key=LA" in page  # the drill-down of the bar
    for breakdown in ("month", "unit", "industry", "field"):
        response = client.get(url, {"measure": "results_published", "by": breakdown})
        assert response.status_code == 200
        assert f'<option value="{breakdown}" selected>' in response.content.decode()
    assert not FETCHED.search(page)


def test_m13_3_a_unit_office_gets_no_statistics_nor_rows_nor_xlsx(client, personas, counted):
    client.force_login(personas.transfer_office)
    query = {"measure": "transfers", "by": "country", "key": "LA"}
    assert client.get(reverse("statistics:dashboard")).status_code == 403
    assert client.get(reverse("statistics:rows"), query).status_code == 403
    assert client.get(reverse("statistics:export"), query).status_code == 403
    client.logout()
    assert client.get(reverse("statistics:rows"), query).status_code == 302  # to sign in


def test_m13_3_the_drill_down_leads_to_each_row(client, personas, counted):
    client.force_login(personas.bureau)
    rows = reverse("statistics:rows")
    page = client.get(rows, {"measure": "transfers", "by": "country", "key": "LA"})
    assert reverse("contracts:detail", args=[counted.transfer_published.pk]) in page.text
    assert reverse("contracts:detail", args=[counted.transfer_secret.pk]) not in page.text
    assert client.get(rows, {"measure": "transfers", "by": "nope", "key": "LA"}).status_code == 404
    assert client.get(rows, {"measure": "public_results", "by": "month"}).status_code == 404
    for bad in ("LA\x00", "x" * 41, "2026-13", "'; --"):
        query = {"measure": "transfers", "by": "month", "key": bad}
        assert client.get(rows, query).status_code == 404


def test_m13_3_each_table_downloads_as_xlsx_through_the_formula_guard(client, personas, counted):
    counted.unit.name = '=HYPERLINK("http://x")'
    counted.unit.save(update_fields=["name"])
    services.statistics_refresh(today=TODAY)
    client.force_login(personas.auditor)
    response = client.get(reverse("statistics:export"), {"measure": "transfers", "by": "unit"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0].endswith("(M8.5)")
    assert rows[2][1:] == ('=HYPERLINK("http://x")', 2, 1380000)
    assert sheet.cell(row=3, column=2).data_type == "s"  # text, never a formula


def test_m8_5_the_public_page_shows_charts_and_tables_of_what_is_public_only(client, counted):
    page = client.get(reverse("statistics_public:page")).content.decode()
    assert page.count("<svg") >= 4 and page.count("<details") >= 4
    assert "公开成果" not in page  # figures only, no titles
    assert "880,000.00" not in page and "1,380,000.00" not in page  # the unpublished amount
    assert "500,000.00" in page and "30,000.00" in page
    assert "Laos" in page and "Vietnam" in page.replace("Viet Nam", "Vietnam")
    assert not FETCHED.search(page)
    by_industry = client.get(reverse("statistics_public:page"), {"by": "industry"}).text
    assert 'data-figures="public_results"' in by_industry
    results = by_industry[by_industry.index('data-figures="public_results"') :]
    results = results[: results.index("</table>")]
    assert results.count("data-key=") == 1  # the restricted result's industry is not there


def test_m8_5_every_page_leads_to_the_public_statistics_and_the_office_home_to_the_dashboard(
    client, personas
):
    home = client.get(reverse("home")).content.decode()
    footer = home[home.index('<footer class="site-footer">') :]
    assert f'href="{reverse("statistics_public:page")}"' in footer
    client.force_login(personas.bureau)
    assert 'id="nav-statistics"' in client.get(reverse("office:home")).content.decode()
    client.force_login(personas.transfer_office)
    assert 'id="nav-statistics"' not in client.get(reverse("office:home")).content.decode()


def test_m13_3_the_first_view_refreshes_and_an_empty_platform_reads_as_empty(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    page = client.get(reverse("statistics_public:page")).content.decode()
    assert StatisticsRefresh.objects.count() == 1
    assert "Nothing to count yet." in page and "<svg" not in page
    css = client.get(reverse("statistics_public:css"))
    assert css["Content-Type"].startswith("text/css")
    body = css.content.decode()
    assert ".kttc-chart .graph > .background{fill:transparent" in body and "&gt;" not in body
