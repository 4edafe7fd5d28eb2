"""The statistics' figures (M13.3) on a small fixture: each measure counts what it should, by
each breakdown; the public measures leave out what is confidential or unpublished; the refresh
writes the same rows twice over."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from kttc.oversight.statistics import measures, selectors, services
from kttc.oversight.statistics.models import StatisticsFigure, StatisticsRefresh
from kttc.oversight.statistics.tests.factories import TODAY, world

pytestmark = pytest.mark.django_db


@pytest.fixture
def counted(personas):
    found = world(personas)
    services.statistics_refresh(today=TODAY)
    return found


def total(key: str) -> selectors.Total:
    (found,) = selectors.totals([measures.BY_KEY[key]])
    return found


def by(key: str, breakdown: str) -> dict[str, tuple[int, Decimal | None]]:
    return {f.key: (f.count, f.amount) for f in selectors.figures(measures.BY_KEY[key], breakdown)}


def test_m13_3_a_month_is_the_month_in_kunming(personas):
    from kttc.oversight.statistics.tests.factories import moment

    found = world(personas)
    # 20:00 UTC on 31 March is 04:00 on 1 April in Kunming
    found.public.published_at = moment(dt.date(2026, 4, 1)).replace(hour=4)
    found.public.save(update_fields=["published_at"])
    services.statistics_refresh(today=TODAY)
    assert by("public_results", "month") == {"2026-04": (1, None)}
    assert by("results_on_time", "month") == {"2026-03": (1, None)}
    # M8.6: due on 1 April, submitted at 01:00 on 2 April in Kunming (17:00 UTC on 1 April)
    found.public.submitted_at = moment(dt.date(2026, 4, 2)).replace(hour=1)
    found.public.save(update_fields=["submitted_at"])
    services.statistics_refresh(today=TODAY)
    assert total("results_on_time").count == 0
    assert total("results_overdue").count == 2


def test_m8_6_results_registered_on_time_and_overdue(counted):
    assert total("results_registered").count == 4
    assert total("results_on_time").count == 1  # submitted 1 March, due 1 April
    assert total("results_overdue").count == 1  # due 1 October, never submitted
    assert by("results_overdue", "month") == {"2026-10": (1, None)}
    assert total("results_published").count == 2


def test_m13_3_each_measure_by_unit_industry_field_and_country(counted):
    assert by("results_published", "unit") == {
        str(counted.unit.pk): (1, None),
        str(counted.other.pk): (1, None),
    }
    assert by("results_published", "industry") == {"C": (1, None), "A": (1, None)}
    assert by("results_published", "field") == {"416": (1, None), "210": (1, None)}
    assert by("transfers", "country") == {
        "LA": (1, Decimal("500000.00")),
        "CN": (1, Decimal("880000.00")),
    }
    assert by("licences", "month") == {"2026-06": (1, Decimal("30000.00"))}
    assert total("open_licensing").count == 1
    assert by("demands", "country") == {"VN": (1, None)}  # the pending one is not published
    assert total("matches").count == 2
    assert total("deals_abroad").amount == Decimal("500000.00")


def test_m8_5_the_public_measures_count_nothing_confidential_or_unpublished(counted):
    assert total("public_results").count == 1  # not the restricted one, nor the drafts
    assert by("public_results", "industry") == {"C": (1, None)}
    # both transfers are public by their kind and date; only one amount was agreed to publish
    assert total("public_contracts").count == 2
    assert total("public_contracts").amount == Decimal("500000.00")
    assert total("public_licences").amount == Decimal("30000.00")
    assert total("public_open_licensing").count == 0  # its result is restricted
    assert total("public_demands").count == 1
    assert total("public_matches").count == 1  # not the match with the restricted result
    assert selectors.countries_reached() == ["LA", "VN"]


def test_m13_3_a_refresh_run_twice_writes_the_same_rows(counted):
    def rows():
        return sorted(
            StatisticsFigure.objects.values_list("measure", "breakdown", "key", "count", "amount")
        )

    first = rows()
    services.statistics_refresh(today=TODAY)
    assert rows() == first
    assert StatisticsRefresh.objects.count() == 2
    assert selectors.last_refresh().rows == len(first)


def test_m13_3_the_drill_down_lists_the_rows_behind_a_bar(counted):
    measure = measures.BY_KEY["transfers"]
    figure, page = selectors.drill_page(measure, "country", "LA", 1)
    assert figure.count == 1 and figure.label
    assert [r.title for r in (measure.describe(x) for x in page.object_list)] == ["公开转让"]
    published = measures.BY_KEY["results_published"]
    _figure, month = selectors.drill_page(published, "month", "2026-05", 1)
    assert [x.name for x in month.object_list] == ["受限成果"]
    assert selectors.drill_page(measure, "country", "ZZ", 1) == (None, None)


def test_m13_3_the_daily_sweep_refreshes_the_figures(personas):
    from kttc.oversight import sweep

    world(personas)
    counts = sweep.run(TODAY)
    assert counts["statistics_rows"] == StatisticsFigure.objects.count() > 0
    assert selectors.last_refresh().as_of == TODAY
    assert sweep.run(TODAY)["statistics_rows"] == 0  # once a day
    assert StatisticsRefresh.objects.count() == 1
    assert sweep.run(TODAY + dt.timedelta(days=1))["statistics_rows"] > 0


def test_m13_3_kttc_statistics_refresh_rebuilds_as_on_a_day(personas):
    import io

    from django.core.management import CommandError, call_command

    from kttc.cli import translate

    assert translate(["statistics", "refresh"]) == ["statistics_refresh"]
    world(personas)
    out = io.StringIO()
    call_command("statistics_refresh", "--today", "2026-11-20", stdout=out)
    assert selectors.last_refresh().as_of == TODAY
    assert f"{StatisticsFigure.objects.count()} figures as of 2026-11-20" in out.getvalue()
    with pytest.raises(CommandError, match="--today"):
        call_command("statistics_refresh", "--today", "20 November")


def test_m13_3_a_long_label_is_cut_by_its_width_on_the_chart():
    from kttc.oversight.statistics.charts import fitted

    assert fitted("Laos", 10) == "Laos"
    assert fitted("老挝人民民主共和国", 10) == "老挝人民民…"  # 5 characters of 1.7 fill 8.5
    assert fitted("Lao People's Democratic Republic", 10) == "Lao Peopl…"


def test_m8_6_the_drill_down_lists_what_was_overdue_on_the_figures_day(counted):
    from kttc.oversight.statistics.tests.factories import result

    later = {"status": "draft", "submitted_at": None, "published_at": None}
    result(counted.unit, "十月底到期", submission_due=dt.date(2026, 10, 25), **later)
    # as on 10 October only the result due on 1 October was overdue, not the one due on the 25th
    services.statistics_refresh(today=dt.date(2026, 10, 10))
    overdue = measures.BY_KEY["results_overdue"]
    figure, page = selectors.drill_page(overdue, "month", "2026-10", 1)
    assert figure.count == 1
    assert [x.name for x in page.object_list] == ["逾期成果"]


def test_m13_3_the_refresh_runs_under_a_debug_cursor_as_in_development(personas):
    """``make run`` serves with DEBUG on, where each query is formatted with its parameters for
    the log: a month's SQL must survive it (a bare '%Y' broke ``kttc demo``)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    world(personas)
    with CaptureQueriesContext(connection) as queries:
        services.statistics_refresh(today=TODAY)
    assert any("2026" in str(q["sql"]) or "strftime" in str(q["sql"]) for q in queries)
    assert by("results_registered", "month")
