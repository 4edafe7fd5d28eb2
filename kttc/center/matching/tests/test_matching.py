"""Matching demands and results (M8.1, M8.3): a demand in any language gets the results that may
meet it, explained, the same moment it is published; a result published later that may meet it
is added and the enterprise told once; a closed demand keeps no matches."""

from __future__ import annotations

import datetime as dt

import pytest

from kttc.center import search
from kttc.center.demands import services as demand_services
from kttc.center.demands.tests.factories import published
from kttc.center.matching import services as matching
from kttc.center.matching.models import DemandMatch
from kttc.center.search import embedding, semantic
from kttc.core.models import Notification

TODAY = dt.date(2026, 11, 25)
PLAIN = {"keywords": ["材料"], "translations": []}


@pytest.fixture
def meaning(settings, tmp_path):
    settings.KTTC_SEARCH_DIR = tmp_path / "search"
    settings.KTTC_EMBEDDINGS = "e5"
    settings.KTTC_EMBED_WORKER = "inline"
    search.reset()
    embedding.encoder.cache_clear()
    matching._stores.clear()
    yield
    embedding.encoder.cache_clear()
    search.reset()
    matching._stores.clear()


@pytest.fixture
def results(meaning, publish):
    def make(name, abstract, **changes):
        return publish(today=TODAY, **(PLAIN | {"name": name, "abstract": abstract} | changes))

    return make


def notices(kind="demand.new_match"):
    return Notification.objects.filter(kind=kind)


def publish_demand(personas, capture, **changes):
    with capture(execute=True):
        return published(personas, **changes)


def test_an_english_demand_gets_the_chinese_results_that_meet_it_with_why(
    results, personas, django_capture_on_commit_callbacks, mailoutbox
):
    tea = results("一种茶园节水滴灌系统及其控制方法", "根据土壤湿度自动控制茶园的滴灌，节约用水。")
    alloy = results("高强度铝合金的热处理工艺", "提高铝合金的强度和韧性。")
    demand = publish_demand(
        personas,
        django_capture_on_commit_callbacks,
        title="Water-saving drip irrigation for our tea plantations",
        description="We grow tea on hills in Vietnam and need automatic drip irrigation.",
        language="en",
        country="VN",
    )
    matches = list(DemandMatch.objects.filter(demand=demand))
    assert matches[0].achievement_id == tea.pk
    assert matches[0].rank == 1 and matches[0].closeness > 0.8
    assert matches[0].achievement_id != alloy.pk
    told = notices().get()
    assert told.organisation_id == demand.organisation_id
    assert told.params["title"] == demand.title and told.params["first"] == tea.name
    assert any("tea" in m.subject.lower() or "茶" in m.subject for m in mailoutbox)
    # searching again finds nothing new: nobody is told twice
    assert matching.refresh(demand) == []
    assert notices().count() == 1


def test_a_chinese_demand_is_explained_by_its_words_and_fields(
    results, personas, django_capture_on_commit_callbacks
):
    battery = results(
        "锂离子电池低温电解液", "零下20摄氏度保持容量的锂离子电池电解液配方。", industry_code="C38"
    )
    demand = publish_demand(personas, django_capture_on_commit_callbacks)
    match = DemandMatch.objects.get(demand=demand, achievement=battery)
    assert "锂离子电池" in match.terms or "电解液" in match.terms
    assert "industry" in match.same_fields


def test_a_result_published_later_joins_the_demand_and_the_enterprise_hears_once(
    results, personas, django_capture_on_commit_callbacks
):
    results("高强度铝合金的热处理工艺", "提高铝合金的强度和韧性。")
    demand = publish_demand(
        personas,
        django_capture_on_commit_callbacks,
        title="Drip irrigation for tea gardens",
        description="Automatic water-saving irrigation of tea plantations on hills.",
        language="en",
    )
    first = notices().count()
    tea = results("一种茶园节水滴灌系统及其控制方法", "根据土壤湿度自动控制茶园的滴灌，节约用水。")
    ids = list(DemandMatch.objects.filter(demand=demand).values_list("achievement_id", flat=True))
    assert ids[0] == tea.pk
    assert notices().count() == first + 1
    assert notices().order_by("-id").first().params["first"] == tea.name


def test_a_closed_demand_keeps_no_matches(results, personas, django_capture_on_commit_callbacks):
    results("一种茶园节水滴灌系统及其控制方法", "根据土壤湿度自动控制茶园的滴灌。")
    demand = publish_demand(
        personas,
        django_capture_on_commit_callbacks,
        title="茶园滴灌",
        description="茶园节水滴灌技术",
    )
    assert DemandMatch.objects.filter(demand=demand).exists()
    with django_capture_on_commit_callbacks(execute=True):
        demand_services.demand_close(actor=personas.enterprise, demand=demand, met=False)
    assert not DemandMatch.objects.filter(demand=demand).exists()
    assert demand.pk not in matching.demand_vectors().ids()


def test_the_daily_refresh_catches_up_on_every_open_demand(
    results, personas, django_capture_on_commit_callbacks, settings
):
    demand = publish_demand(
        personas,
        django_capture_on_commit_callbacks,
        title="茶园滴灌",
        description="茶园节水滴灌技术",
    )
    settings.KTTC_EMBED_WORKER = "external"  # results are encoded by nobody now
    tea = results("一种茶园节水滴灌系统及其控制方法", "根据土壤湿度自动控制茶园的滴灌。")
    assert not DemandMatch.objects.filter(demand=demand, achievement=tea).exists()
    semantic.drain()
    assert matching.refresh_open() == 1
    assert DemandMatch.objects.filter(demand=demand, achievement=tea).exists()


def test_the_pages_show_why_a_result_may_meet_a_demand_and_the_demands_it_may_meet(
    results, personas, django_capture_on_commit_callbacks, client
):
    tea = results("一种茶园节水滴灌系统及其控制方法", "根据土壤湿度自动控制茶园的滴灌，节约用水。")
    drip = results("果园滴灌施肥一体化装置", "滴灌与施肥结合的节水装置。")
    demand = publish_demand(
        personas,
        django_capture_on_commit_callbacks,
        title="Drip irrigation for tea gardens",
        description="Automatic water-saving irrigation of tea plantations on hills.",
        language="en",
    )
    page = client.get(f"/demands/{demand.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'data-match="{tea.pk}"' in page and "data-closeness" in page
    answer = client.get(f"/api/v1/demands/{demand.pk}/matches").json()
    assert answer[0]["id"] == tea.pk and answer[0]["closeness"] > 0.8
    result = client.get(f"/achievements/{tea.pk}/").content.decode()
    assert "data-demands" in result and f"/demands/{demand.pk}/" in result
    assert "data-similar" in result and f"/achievements/{drip.pk}/" in result
