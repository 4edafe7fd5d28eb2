"""Demands in every language (M8.1, M8.4): translations entered on the form and in the API, the
demand's page and every list of demands in the reader's language where translated, the original
marked (with its ``lang``) otherwise; the hall's search and the matching read translations."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from kttc.center.alerts import selectors as alert_selectors
from kttc.center.alerts.models import FollowedField
from kttc.center.demands import selectors, services
from kttc.center.demands.models import Demand, DemandTranslation
from kttc.center.demands.tests.factories import in_days, posted, published
from kttc.center.matching.services import demand_text
from kttc.core.models import AuditEntry
from kttc.policy.roles import Role

pytestmark = pytest.mark.django_db

LAO = {"title": "ເຄື່ອງອົບເຂົ້າ", "description": "ຕ້ອງການເຄື່ອງອົບເຂົ້າ", "language": "lo",
       "country": "LA"}  # fmt: skip
EN = services.DemandTranslationData("en", "Rice dryer", "We need a solar rice dryer.")
VI = services.DemandTranslationData("vi", "Máy sấy lúa", "Cần máy sấy lúa năng lượng mặt trời.")


def _form(**changes):
    values = {
        "title": "ເຄື່ອງອົບເຂົ້າ", "description": "ຕ້ອງການເຄື່ອງອົບເຂົ້າ", "modes": ["licence"],
        "industry": "", "discipline": "", "trl": "", "budget_min": "", "budget_max": "",
        "deadline": in_days(30).isoformat(), "country": "LA", "language": "lo",
    }  # fmt: skip
    values.update(changes)
    return values


def test_m8_4_the_form_has_a_translation_panel_per_language_but_the_original(client, personas):
    client.force_login(personas.enterprise)
    page = client.get(reverse("demands:new"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for language in ("en", "vi", "th", "lo", "my", "km"):
        assert f'id="translation-{language}"' in page
    assert 'id="translation-zh-hans"' not in page  # the default original
    assert 'name="title_en"' in page and 'lang="vi"' in page


def test_m8_4_the_author_posts_with_translations_and_a_half_one_is_refused_beside_it(
    client, personas
):
    enterprise = personas.organisations[Role.ENTERPRISE]
    client.force_login(personas.enterprise)
    refused = client.post(
        reverse("demands:new"),
        _form(organisation=enterprise.pk, title_en="Rice dryer"),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert refused.status_code == 200 and not Demand.objects.exists()
    assert "both the title and the description" in refused.content.decode()
    assert "description_en" in refused.context["form"].errors
    client.post(
        reverse("demands:new"),
        _form(organisation=enterprise.pk, title_en=EN.title, description_en=EN.description,
              title_lo="x", description_lo="y"),  # the original's own panel: refused
    )  # fmt: skip
    assert not Demand.objects.exists()
    client.post(
        reverse("demands:new"),
        _form(organisation=enterprise.pk, title_en=EN.title, description_en=EN.description),
    )
    demand = Demand.objects.get()
    assert dict(demand.translations.values_list("language", "title")) == {"en": "Rice dryer"}
    assert AuditEntry.objects.get(action="demand.posted").after["translations"] == {
        "en": "Rice dryer"
    }


def test_m8_4_editing_keeps_changes_and_removes_translations(client, personas):
    demand = posted(personas, translations=[EN, VI], **LAO)
    client.force_login(personas.enterprise)
    page = client.get(reverse("demands:edit", args=[demand.pk])).content.decode()
    assert "Máy sấy lúa" in page  # the saved translations are on the form
    values = _form(organisation=demand.organisation_id, title_en="Solar rice dryer",
                   description_en=EN.description)  # fmt: skip
    client.post(reverse("demands:edit", args=[demand.pk]), values)
    assert dict(demand.translations.values_list("language", "title")) == {"en": "Solar rice dryer"}


def _hall(client, language):
    return client.get(reverse("demands:hall"), HTTP_ACCEPT_LANGUAGE=language).content.decode()


def test_m8_4_the_hall_shows_the_reader_s_language_or_marks_the_original(client, personas):
    published(personas, translations=[EN], **LAO)
    english = _hall(client, "en")
    assert '<span lang="en">Rice dryer</span>' in english
    assert "ເຄື່ອງອົບເຂົ້າ" not in english and "In the original language" not in english
    thai = _hall(client, "th")  # no Thai translation: the original, marked, with its lang
    assert '<span lang="lo">ເຄື່ອງອົບເຂົ້າ</span>' in thai
    assert "data-original" in thai
    lao = _hall(client, "lo")  # its own language: nothing to mark
    assert '<span lang="lo">ເຄື່ອງອົບເຂົ້າ</span>' in lao and "data-original" not in lao


def test_m8_4_the_demand_s_page_reads_the_translation_with_the_original_at_hand(client, personas):
    demand = published(personas, translations=[VI], **LAO)
    page = client.get(
        reverse("demands:detail", args=[demand.pk]), HTTP_ACCEPT_LANGUAGE="vi"
    ).content.decode()
    assert '<h1 lang="vi">Máy sấy lúa</h1>' in page
    assert re.search(r'<details class="original">.*lang="lo">ເຄື່ອງອົບເຂົ້າ', page, re.S)
    english = client.get(
        reverse("demands:detail", args=[demand.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert '<h1 lang="lo">ເຄື່ອງອົບເຂົ້າ</h1>' in english and "data-original" in english


def test_m8_4_back_office_lists_use_the_reader_s_language(client, personas):
    demand = posted(personas, translations=[EN], **LAO)
    client.force_login(personas.bureau)
    queue = client.get(reverse("demands:moderation"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Rice dryer" in queue
    home = client.get(reverse("office:home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Rice dryer" in home  # the bureau's "waiting for moderation"
    client.force_login(personas.enterprise)
    mine = client.get(reverse("demands:mine"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert '<span lang="lo">ເຄື່ອງອົບເຂົ້າ</span>' in mine and "data-original" in mine
    assert demand.pk


def test_m8_4_the_hall_search_finds_words_of_a_translation(personas):
    demand = published(personas, translations=[EN], **LAO)
    found = selectors.search_demands("solar", selectors.HallFilters())
    assert list(found.page.object_list) == [demand]
    assert not selectors.search_demands("nothing-like-it", selectors.HallFilters()).page


def test_m8_4_the_matching_searches_with_the_chinese_or_english_text_first(personas):
    demand = published(
        personas,
        translations=[EN, services.DemandTranslationData("zh-hans", "稻谷干燥机", "稻谷干燥")],
        **LAO,
    )
    text = demand_text(demand)
    assert text.startswith("稻谷干燥机") and "Rice dryer" in text


def test_m8_4_a_followed_field_s_demands_are_named_in_the_follower_s_language(personas):
    published(personas, translations=[EN], industry="C13", **LAO)
    followed = FollowedField.objects.create(
        user=personas.researcher, scheme="industry", code="C13",
        checked_at=__import__("django.utils.timezone").utils.timezone.now()
        - __import__("datetime").timedelta(days=1),
    )  # fmt: skip
    assert [t for _pk, t in alert_selectors.new_demands_in_field(
        followed, followed.checked_at, "en")] == ["Rice dryer"]  # fmt: skip
    assert [t for _pk, t in alert_selectors.new_demands_in_field(
        followed, followed.checked_at, "th")] == ["ເຄື່ອງອົບເຂົ້າ"]  # fmt: skip


def test_m8_4_the_author_translates_a_published_demand_and_the_api_carries_them(client, personas):
    demand = published(personas, **LAO)
    client.force_login(personas.enterprise)
    client.post(
        reverse("demands:translate", args=[demand.pk]),
        {"title_th": "เครื่องอบข้าว", "description_th": "ต้องการเครื่องอบข้าว"},
    )
    assert DemandTranslation.objects.get(demand=demand).language == "th"
    assert AuditEntry.objects.filter(action="demand.translated").exists()
    client.force_login(personas.researcher)  # not the author: not even the page
    assert client.get(reverse("demands:translate", args=[demand.pk])).status_code == 404
    body = client.get(f"/api/v1/demands/{demand.pk}").json()
    assert body["translations"] == [
        {"language": "th", "title": "เครื่องอบข้าว", "description": "ต้องการเครื่องอบข้าว"}
    ]


def test_m8_4_the_api_posts_translations_and_refuses_a_bad_one_naming_its_field(client, personas):
    client.force_login(personas.enterprise)
    payload = {
        "organisation_id": personas.organisations[Role.ENTERPRISE].pk,
        "title": "ເຄື່ອງອົບເຂົ້າ", "description": "ຕ້ອງການ", "deadline": in_days(20).isoformat(),
        "modes": ["licence"], "country": "LA", "language": "lo",
        "translations": [{"language": "en", "title": "Rice dryer", "description": ""}],
    }  # fmt: skip
    refused = client.post("/api/v1/demands", payload, content_type="application/json")
    assert refused.status_code == 400
    assert refused.json()["error"]["field"] == "description_en"
    payload["translations"][0]["description"] = "We need one."
    created = client.post("/api/v1/demands", payload, content_type="application/json")
    assert created.status_code == 201
    assert created.json()["translations"][0]["title"] == "Rice dryer"
