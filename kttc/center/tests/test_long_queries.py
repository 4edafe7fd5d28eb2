"""A demand written as a paragraph is a query too (M8.1): when no record has every word, the
records sharing a few of its words are found, ranked by BM25, never nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from kttc.center import search
from kttc.center.search.base import SearchQuery

TODAY = dt.date(2026, 11, 25)


@pytest.fixture
def index(settings, tmp_path):
    settings.KTTC_SEARCH_DIR = tmp_path / "search"
    search.reset()
    yield search.backend()
    search.reset()


def test_a_paragraph_finds_the_record_sharing_three_of_its_words(publish, index):
    battery = publish(
        today=TODAY,
        name="石墨烯改性锂离子电池负极材料制备技术",
        abstract="提高锂离子电池在低温下的容量保持率。",
        keywords=["负极材料"],
        translations=[],
    )
    publish(today=TODAY, name="高原湖泊蓝藻水华预警方法", abstract="蓝藻。", translations=[])
    demand = (
        "我公司生产储能电池，寻求在零下二十摄氏度仍能保持百分之八十容量的锂离子电池电解液配方，"
        "希望合作开发并在一年内完成中试"
    )
    found = search.search(SearchQuery(text=demand, with_facets=False)).hits
    assert [h.id for h in found] == [battery.pk]
