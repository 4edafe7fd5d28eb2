"""The public catalog: search with facets, detail in the reader's language, export, curated
lists, feed and sitemap; and the canary: a restricted result never shows on a public route."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from kttc.center.catalog import services as catalog_services
from kttc.center.tests.factories import major_release

TODAY = dt.date(2026, 11, 25)
CANARY = "CANARY7F3A"


@pytest.fixture
def catalog(publish):
    graphene = publish(
        name="石墨烯导热膜制备技术",
        keywords=["石墨烯", "导热膜"],
        trl=7,
        external_ref="g",
        translations=[],
        abstract="一种石墨烯导热膜的连续化制备方法。",
    )
    tea = publish(
        name="普洱茶发酵监测",
        keywords=["普洱茶", "发酵"],
        trl=4,
        external_ref="t",
        abstract="普洱茶渥堆发酵过程的在线监测。",
        industry_code="C1530",
        translations=[
            {
                "language": "en",
                "name": "Pu'er tea fermentation monitoring",
                "abstract": "Online monitoring of tea fermentation.",
                "keywords": ["tea"],
            }
        ],
    )
    secret = publish(
        name=f"内部成果{CANARY}",
        keywords=[CANARY, "石墨烯"],
        external_ref="r",
        abstract=f"石墨烯 {CANARY} 内部资料。",
        confidentiality="restricted",
        translations=[
            {
                "language": "en",
                "name": f"Inside {CANARY}",
                "abstract": f"graphene {CANARY}",
                "keywords": [CANARY],
            }
        ],
    )
    return {"graphene": graphene, "tea": tea, "secret": secret}


def test_visitors_find_results_by_chinese_and_english_words_with_facets(client, catalog):
    page = client.get(reverse("catalog:list"), {"q": "石墨烯"})
    assert [a.pk for a, _s in page.context["rows"]] == [catalog["graphene"].pk]
    assert "<mark>" in page.content.decode()
    english = client.get(reverse("catalog:list"), {"q": "fermentation"}, HTTP_ACCEPT_LANGUAGE="en")
    assert [a.pk for a, _s in english.context["rows"]] == [catalog["tea"].pk]
    assert "Pu&#x27;er tea <mark>fermentation</mark> monitoring" in english.content.decode()
    filtered = client.get(reverse("catalog:list"), {"industry": "C"})
    assert filtered.context["found"].result.total == 2
    trl = dict((f, values) for f, _t, values in filtered.context["found"].facets)["trl"]
    assert {(v.value, v.count) for v in trl} == {("7", 1), ("4", 1)}
    both = client.get(reverse("catalog:list"), {"q": "普洱茶", "trl": "7"})
    assert both.context["found"].result.total == 0


def test_detail_is_in_the_readers_language_or_marked_original(client, catalog):
    tea = client.get(
        reverse("catalog:detail", args=[catalog["tea"].pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Online monitoring of tea fermentation." in tea
    graphene = client.get(
        reverse("catalog:detail", args=[catalog["graphene"].pk]), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert graphene.context["is_original"] and "石墨烯导热膜制备技术" in graphene.content.decode()


def test_export_of_the_current_results(client, catalog):
    xlsx = client.get(reverse("catalog:export", args=["xlsx"]), {"q": "石墨烯"})
    rows = list(load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "成果名称" and [r[0] for r in rows[1:]] == ["石墨烯导热膜制备技术"]
    csv = client.get(reverse("catalog:export", args=["csv"])).content.decode("utf-8-sig")
    assert "普洱茶发酵监测" in csv and "石墨烯导热膜制备技术" in csv


@pytest.mark.parametrize(
    ("language", "name", "link"), [("vi", "Tên", "Liên kết"), ("th", "ชื่อ", "ลิงก์")]
)
def test_an_export_has_headers_in_the_reader_s_language(client, catalog, language, name, link):
    client.cookies["django_language"] = language
    xlsx = client.get(reverse("catalog:export", args=["xlsx"]), {"q": "石墨烯"})
    book = load_workbook(io.BytesIO(xlsx.content))
    header = next(book.active.iter_rows(values_only=True))
    assert header[-1] == link and header[0] not in ("成果名称", "Name")
    with translation.override(language):
        assert (
            header[0] == translation.gettext("Name")
            and book.active.title == translation.gettext("Achievements")[:31]
        )


def test_m8_3_the_bureau_curates_the_promotion_list(client, personas, catalog):
    client.force_login(personas.bureau)
    client.post(reverse("catalog:promote", args=[catalog["tea"].pk]))
    page = client.get(reverse("catalog:promoted")).content.decode()
    assert "普洱茶发酵监测" in page
    client.force_login(personas.transfer_office)
    client.post(reverse("catalog:promote", args=[catalog["graphene"].pk]))
    assert "石墨烯导热膜制备技术" not in client.get(reverse("catalog:promoted")).content.decode()


def test_m8_2_a_major_release_takes_public_results_only(personas, catalog):
    from kttc.policy.errors import PolicyError

    with pytest.raises(PolicyError):
        catalog_services.major_release_create(
            actor=personas.bureau,
            title="发布",
            release_date=TODAY,
            achievement_ids=[catalog["secret"].pk],
        )
    release = major_release(personas, [catalog["graphene"], catalog["tea"]])
    assert release.achievements.count() == 2


def test_queries_with_operators_and_punctuation_never_break(client, catalog):
    for text in ['"石墨烯', "AND OR NOT", "-(*:\\)", "🔥石墨烯", "x" * 500, "' OR 1=1 --"]:
        response = client.get(reverse("catalog:list"), {"q": text, "page": "abc", "sort": "?"})
        assert response.status_code == 200


def test_canary_a_restricted_result_never_appears_on_a_public_route(client, personas, catalog):
    catalog_services.major_release_create(
        actor=personas.bureau,
        title="发布",
        release_date=TODAY,
        achievement_ids=[catalog["graphene"].pk],
    )
    secret = catalog["secret"].pk
    routes = [
        "/",
        "/achievements/",
        "/achievements/?q=内部资料",
        "/achievements/?q=Inside",
        "/achievements/?q=石墨烯",
        "/achievements/?q=内部资料&sort=newest",
        "/achievements/promoted/",
        "/achievements/releases/",
        "/achievements/feed/",
        "/sitemap.xml",
        f"/achievements/{secret}/",
        "/achievements/export.csv?q=内部资料",
        "/achievements/export.csv",
        "/organisations/",
        "/policy/",
        "/api/v1/catalog/achievements?q=内部资料",
        "/api/v1/catalog/achievements?q=石墨烯",
        f"/api/v1/catalog/achievements/{secret}",
        "/api/v1/catalog/achievements",
        "/api/v1/openapi.json",
        f"/achievements/{secret}/promote/",
    ]
    for language in ("zh-hans", "en"):
        for route in routes:
            body = client.get(route, HTTP_ACCEPT_LANGUAGE=language).content.decode("utf-8-sig")
            assert CANARY not in body, route
    xlsx = client.get("/achievements/export.xlsx")
    cells = [
        str(c)
        for row in load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True)
        for c in row
    ]
    assert not any(CANARY in c for c in cells)
    facets = client.get("/achievements/?q=石墨烯").context["found"].result
    assert facets.total == 1  # the restricted one, also about graphene, is not counted


@pytest.mark.parametrize(("language", "marked"), [("zh-hans", set()), ("en", {"g"}),
                                                  ("vi", {"g", "t"})])  # fmt: skip
def test_a_result_shown_in_its_original_language_is_marked_in_the_list(
    client, catalog, language, marked
):
    """A reader sees which results are not in her language yet: the tea result has an English
    translation, the graphene one none; a Chinese reader reads both in their original."""
    client.cookies["django_language"] = language
    page = client.get(reverse("catalog:list")).content.decode()
    hits = page.split('class="hit"')[1:]
    found = set()
    for key in ("g", "t"):
        a = catalog["graphene" if key == "g" else "tea"]
        hit = next(h for h in hits if f'/achievements/{a.pk}/"' in h)
        if 'class="tag original"' in hit:
            found.add(key)
    assert found == marked


def test_an_enterprise_reads_the_buyers_fields_in_its_language_where_translated(client, publish):
    result = publish(
        name="高原蓝莓组培快繁技术",
        external_ref="b",
        advantage="成本低",
        target_market="种苗企业",
        translations=[
            {
                "language": "vi",
                "name": "Nhân giống việt quất cao nguyên",
                "abstract": "Nuôi cấy mô nhân nhanh.",
                "keywords": ["việt quất"],
                "advantage": "Chi phí thấp",
            }
        ],
    )
    client.cookies["django_language"] = "vi"
    page = client.get(reverse("catalog:detail", args=[result.pk])).content.decode()
    facts = page[page.index('id="for-enterprises"') :]
    assert "<dd>Chi phí thấp</dd>" in facts  # translated: shown in Vietnamese
    assert '<dd lang="zh-Hans">种苗企业</dd>' in facts  # not translated: the original, marked
