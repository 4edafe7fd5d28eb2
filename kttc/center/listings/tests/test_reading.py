"""Every list of results makes the catalog's choice: the result's name in the reader's language
where the unit translated it, the original marked with its language otherwise (the listings, the
transaction page, the open licensing list, the back office's results)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kttc.center.listings.tests.factories import listed, published_result
from kttc.registry.models import AchievementTranslation

pytestmark = pytest.mark.django_db


def _translate(result, language, name):
    AchievementTranslation.objects.update_or_create(
        achievement=result, language=language, defaults={"name": name, "abstract": "-"}
    )


def test_lists_show_the_reader_s_translation_or_the_marked_original(client, personas):
    translated = published_result(personas)
    _translate(translated, "vi", "Chiết xuất saponin tam thất")
    listed(personas, translated)
    untranslated = published_result(personas)
    listed(personas, untranslated)
    client.cookies["django_language"] = "vi"
    page = client.get(reverse("listings:list")).content.decode()
    assert "Chiết xuất saponin tam thất" in page
    assert f'<span lang="zh-Hans">{untranslated.name}</span>' in page
    client.force_login(personas.transfer_office)
    office = client.get(reverse("registry:achievements")).content.decode()
    assert "Chiết xuất saponin tam thất" in office
    client.cookies["django_language"] = "zh-hans"
    page = client.get(reverse("listings:list")).content.decode()
    assert "Chiết xuất" not in page and f'<span lang="zh-Hans">{translated.name}</span>' in page


def test_a_page_of_listings_loads_its_translations_in_one_query(client, personas):
    for n in range(6):
        result = published_result(personas)
        _translate(result, "en", f"Result {n}")
        listed(personas, result)
    client.cookies["django_language"] = "en"
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("listings:list"))
    lookups = [q for q in few.captured_queries if "achievementtranslation" in q["sql"]]
    assert len(lookups) == 1
