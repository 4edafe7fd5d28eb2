"""The public catalog's pages kept a few seconds for anonymous visitors (kttc.core.pagecache):
served from the cache to them, never to a signed-in person, one copy per language, and a cached
page's forms work for each visitor (their own CSRF token)."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from kttc.core import pagecache

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"')


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.KTTC_PAGE_CACHE_SECONDS = 60
    cache.clear()
    pagecache._near.clear()
    yield
    cache.clear()
    pagecache._near.clear()


def test_anonymous_visitors_get_the_cached_list_and_signed_in_people_never(
    client, personas, publish
):
    publish(name="石墨烯导热膜制备技术", external_ref="g", translations=[])
    url = reverse("catalog:list")
    first = client.get(url)
    assert first.status_code == 200 and "X-Page-Cache" not in first
    publish(name="钙钛矿太阳能电池封装", external_ref="p", translations=[])
    again = client.get(url)
    assert again["X-Page-Cache"] == "hit"
    assert "石墨烯导热膜制备技术" in again.content.decode()
    assert "钙钛矿太阳能电池封装" not in again.content.decode()  # lags, within the few seconds
    client.force_login(personas.researcher)
    signed_in = client.get(url)
    assert "X-Page-Cache" not in signed_in
    assert "钙钛矿太阳能电池封装" in signed_in.content.decode()
    # What a signed-in person saw is never kept for anyone.
    cache.clear()
    pagecache._near.clear()
    client.get(url)
    assert "X-Page-Cache" not in Client().get(url)


def test_each_language_has_its_own_copy(publish):
    result = publish(name="普洱茶发酵监测", external_ref="t")
    url = reverse("catalog:detail", args=[result.pk])
    chinese = Client().get(url)
    assert "X-Page-Cache" not in chinese and '<html lang="zh-hans"' in chinese.content.decode()
    english = Client(headers={"Accept-Language": "en"})
    english.cookies["django_language"] = "en"
    first = english.get(url)
    assert "X-Page-Cache" not in first and '<html lang="en"' in first.content.decode()
    assert english.get(url)["X-Page-Cache"] == "hit"
    again = Client().get(url)
    assert again["X-Page-Cache"] == "hit" and '<html lang="zh-hans"' in again.content.decode()


def test_a_cached_page_carries_each_visitors_own_csrf_token_and_its_forms_work(publish):
    publish(name="石墨烯导热膜制备技术", external_ref="g", translations=[])
    url = reverse("catalog:list")
    first = Client(enforce_csrf_checks=True)
    made = first.get(url)
    second = Client(enforce_csrf_checks=True)
    served = second.get(url)
    assert served["X-Page-Cache"] == "hit"
    tokens = TOKEN.findall(served.content.decode())
    assert tokens and not set(tokens) & set(TOKEN.findall(made.content.decode()))
    token = tokens[0]
    assert "\x00" not in served.content.decode()
    # The visitor's language form posts with the token of the cached page and its cookie.
    switched = second.post(
        reverse("set_language"), {"language": "en", "next": url, "csrfmiddlewaretoken": token}
    )
    assert switched.status_code == 302


def test_an_out_of_date_copy_is_made_again_by_one_request_while_others_get_the_old_one(publish):
    publish(name="石墨烯导热膜制备技术", external_ref="g", translations=[])
    url = reverse("catalog:list")
    Client().get(url)
    [key] = [k for k in cache._cache if ":page:" in k and ":refresh" not in k]  # type: ignore[attr-defined]
    key = key.split(":", 2)[2]  # the local-memory cache's own prefix aside
    _fresh, *rest = cache.get(key)
    cache.set(key, (0.0, *rest), 60)  # out of date now
    pagecache._near.clear()  # (this process's own copy too)
    cache.add(key + ":refresh", 1, 30)  # another request is making the page again
    assert Client().get(url)["X-Page-Cache"] == "stale"
    cache.delete(key + ":refresh")
    remade = Client().get(url)
    assert "X-Page-Cache" not in remade
    assert Client().get(url)["X-Page-Cache"] == "hit"
