"""M8.1: the bureau publishes exchange rates (audited); public pages show amounts in yuan with an
indicative conversion into the reader's currency, never a wrong one; dates read as each
language writes them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from babel.dates import format_date
from babel.numbers import format_currency
from django.urls import reverse
from django.utils import timezone

from kttc.center.demands.tests.factories import published
from kttc.center.rates import selectors, services
from kttc.center.rates.choices import COOKIE
from kttc.center.rates.models import ExchangeRate
from kttc.core.dates import CLDR
from kttc.core.errors import AccessDenied
from kttc.core.models import AuditEntry

LANGUAGES = ["zh-hans", "en", "vi", "th", "lo", "my", "km"]


def _today() -> dt.date:
    return timezone.localdate()


def _publish(personas, currency="USD", rate="7.1", days_ago=1, source="测试来源"):
    return services.rates_publish(
        actor=personas.bureau,
        rates=[
            services.RateInput(
                currency=currency,
                cny_per_unit=Decimal(rate),
                rate_date=_today() - dt.timedelta(days=days_ago),
                source=source,
            )
        ],
    )[0]


def _rows(*lines):
    data = {"rates-count": str(len(lines))}
    for i, (currency, rate, day, source) in enumerate(lines):
        data |= {f"rates-{i}-currency": currency, f"rates-{i}-cny_per_unit": rate,
                 f"rates-{i}-rate_date": day, f"rates-{i}-source": source}  # fmt: skip
    return data


def test_m8_1_the_bureau_publishes_rates_on_its_page_each_audited(client, personas):
    client.force_login(personas.bureau)
    day = (_today() - dt.timedelta(days=1)).isoformat()
    response = client.post(
        reverse("rates:office"),
        _rows(("USD", "7.1", day, "中国外汇交易中心"), ("vnd", "0,00028", day, "中国外汇交易中心")),
    )
    assert response.status_code == 302
    assert set(ExchangeRate.objects.values_list("currency", "cny_per_unit")) == {
        ("USD", Decimal("7.1")), ("VND", Decimal("0.00028"))
    }  # fmt: skip
    entries = AuditEntry.objects.filter(action="rates.publish")
    assert entries.count() == 2
    assert {e.actor_id for e in entries} == {personas.bureau.pk}
    page = client.get(reverse("rates:office")).content.decode()
    assert 'data-currency="VND"' in page and "0.00028" in page and "中国外汇交易中心" in page


@pytest.mark.parametrize(
    ("line", "column"),
    [
        (("USD", "-7.1", None, "src"), "Yuan per unit"),
        (("XYZ", "7.1", None, "src"), "Currency"),
        (("USD", "7.1", "future", "src"), "Rate of"),
        (("USD", "abc", None, "src"), "Yuan per unit"),
    ],
)
def test_m8_1_a_bad_rate_is_refused_naming_its_line_and_column(client, personas, line, column):
    client.force_login(personas.bureau)
    currency, rate, day, source = line
    when = _today() + dt.timedelta(days=3) if day == "future" else _today()
    response = client.post(
        reverse("rates:office"), _rows((currency, rate, when.isoformat(), source)),
        HTTP_ACCEPT_LANGUAGE="en",
    )  # fmt: skip
    assert response.status_code == 200
    assert f"Line 1, {column}:" in response.content.decode()
    assert not ExchangeRate.objects.exists()
    assert not AuditEntry.objects.filter(action="rates.publish").exists()


@pytest.mark.parametrize("role", ["enterprise", "transfer_office", "researcher", "auditor"])
def test_m8_1_only_the_bureau_publishes_rates(client, personas, role):
    someone = getattr(personas, role)
    client.force_login(someone)
    assert client.get(reverse("rates:office")).status_code == 403
    day = _today().isoformat()
    assert client.post(reverse("rates:office"), _rows(("USD", "7", day, "x"))).status_code == 403
    with pytest.raises(AccessDenied):
        services.rates_publish(
            actor=someone,
            rates=[services.RateInput("USD", Decimal(7), _today(), "x")],
        )
    assert not ExchangeRate.objects.exists()


def test_the_rates_page_asks_to_sign_in(client):
    response = client.get(reverse("rates:office"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_m8_1_a_published_rate_converts_a_budget_on_the_demand_pages(client, personas):
    demand = published(personas, budget_min=Decimal("710000"), budget_max=Decimal("1420000"))
    _publish(personas, "USD", "7.1")
    for url in (reverse("demands:hall"), reverse("demands:detail", args=[demand.pk])):
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "710,000.00" in page  # the amount in yuan, as it was
        assert 'data-indicative="USD"' in page
        assert "≈\u00a0$100,000.00 – $200,000.00" in page
        assert 'id="indicative-note"' in page and "Dec" in page  # the rate's day, as read


@pytest.mark.parametrize(
    ("language", "currency", "rate", "expected"),
    [("vi", "VND", "0.00028", Decimal("2535714286")), ("th", "THB", "0.205", None),
     ("lo", "LAK", "0.00033", None), ("my", "MMK", "0.0034", None),
     ("km", "KHR", "0.00177", None)],
)  # fmt: skip
def test_m8_1_each_language_reads_its_currency_formatted_as_it_writes_it(
    client, personas, language, currency, rate, expected
):
    demand = published(personas, budget_min=Decimal("710000"), budget_max=None)
    _publish(personas, currency, rate)
    page = client.get(
        reverse("demands:detail", args=[demand.pk]), HTTP_ACCEPT_LANGUAGE=language
    ).content.decode()
    amount = selectors.Conversion(ExchangeRate.objects.get()).of(Decimal("710000"))
    if expected is not None:
        assert amount == expected  # the dong has no minor unit
    assert format_currency(amount, currency, locale=CLDR[language]) in page


def test_m8_1_no_rate_no_conversion(client, personas):
    demand = published(personas, budget_min=Decimal("710000"), budget_max=None)
    _publish(personas, "EUR", "7.7")  # a rate, but not of the English reader's dollar
    page = client.get(
        reverse("demands:detail", args=[demand.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "data-indicative" not in page and "indicative-note" not in page
    assert "710,000.00" in page


def test_m8_1_a_stale_rate_is_not_used(client, personas):
    demand = published(personas, budget_min=Decimal("710000"), budget_max=None)
    _publish(personas, "USD", "7.1", days_ago=40)
    page = client.get(
        reverse("demands:detail", args=[demand.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "data-indicative" not in page


def test_m8_1_a_chinese_reader_sees_yuan_only_unless_she_chooses(client, personas):
    demand = published(personas, budget_min=Decimal("710000"), budget_max=None)
    _publish(personas, "USD", "7.1")
    url = reverse("demands:detail", args=[demand.pk])
    assert "data-indicative" not in client.get(url).content.decode()
    response = client.post(reverse("choose_currency"), {"currency": "usd", "next": url})
    assert response.status_code == 302 and response["Location"] == url
    assert response.cookies[COOKIE].value == "USD"
    assert 'data-indicative="USD"' in client.get(url).content.decode()


def test_m8_1_a_correction_of_the_same_day_replaces_the_rate(client, personas):
    demand = published(personas, budget_min=Decimal("710000"), budget_max=None)
    _publish(personas, "USD", "7.0")
    _publish(personas, "USD", "7.1")
    page = client.get(
        reverse("demands:detail", args=[demand.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "$100,000.00" in page


def test_the_choice_of_currency_follows_a_signed_in_reader_to_another_device(client, personas):
    from django.test import Client

    demand = published(personas, budget_min=Decimal("710000"), budget_max=None)
    _publish(personas, "THB", "0.205")
    client.force_login(personas.researcher)
    client.post(reverse("choose_currency"), {"currency": "THB", "next": "/"})
    other = Client()
    other.force_login(personas.researcher)
    page = other.get(reverse("demands:detail", args=[demand.pk])).content.decode()
    assert 'data-indicative="THB"' in page
    # the yuan alone, chosen, is kept too
    other.post(reverse("choose_currency"), {"currency": "CNY"})
    assert (
        "data-indicative"
        not in other.get(
            reverse("demands:detail", args=[demand.pk]), HTTP_ACCEPT_LANGUAGE="th"
        ).content.decode()
    )


@pytest.mark.parametrize("bad", ["XYZ", "", "A" * 50, "<b>", "https://evil.example/"])
def test_a_bad_choice_of_currency_changes_nothing_and_never_fails(client, personas, bad):
    response = client.post(
        reverse("choose_currency"), {"currency": bad, "next": "https://evil.example/"}
    )
    assert response.status_code == 302 and response["Location"] == "/"
    assert COOKIE not in response.cookies


def test_the_back_office_keeps_yuan_only(client, personas):
    _publish(personas, "USD", "7.1")
    client.force_login(personas.bureau)
    page = client.get(reverse("rates:office"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "data-indicative" not in page


def test_the_header_offers_the_currencies_with_a_rate(client, personas):
    page = client.get(reverse("demands:hall"), HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert 'id="currency-select"' not in page  # no rate, no switch
    _publish(personas, "VND", "0.00028")
    page = client.get(reverse("demands:hall"), HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert 'id="currency-select"' in page and '<option value="VND" selected>' in page


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_results_page_shows_its_dates_as_each_language_writes_them(client, publish, language):
    result = publish(formation_date="2025-03-07")
    page = client.get(
        reverse("catalog:detail", args=[result.pk]), HTTP_ACCEPT_LANGUAGE=language
    ).content.decode()
    assert f"<dd>{format_date(dt.date(2025, 3, 7), 'medium', locale=CLDR[language])}</dd>" in page
    assert "2025-03-07" not in page


def test_a_rate_reads_with_its_own_decimals_as_the_language_writes_numbers(client, personas):
    _publish(personas, "KWD", "10")
    _publish(personas, "VND", "0.00028")
    client.force_login(personas.bureau)
    page = client.get(reverse("rates:office"), HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert ">10<" in page and "1E+1" not in page and "0,00028" in page
