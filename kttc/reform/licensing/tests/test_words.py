"""The licensing pages in Chinese speak of licences (许可), never of empowerment (赋权, M1):
words with two meanings carry a message context ("licence") so each flow has its own Chinese."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from kttc.policy.roles import Role
from kttc.reform.licensing import services as licences
from kttc.reform.tests.factories import make_result
from kttc.registry import services as registry_services

pytestmark = pytest.mark.django_db

# Words of the empowerment reform (M1) that have no place in a licence's pages.
EMPOWERMENT_WORDS = ("赋权", "权属", "长期使用权", "赋予")


def _chinese(client, url: str) -> str:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200, url
    assert response["Content-Language"] == "zh-hans"
    # The page's own words: its main part (the navigation links to every flow, empowerment
    # included), without the result's name and texts, which are data.
    html = response.content.decode().split('<main id="main"', 1)[1].split("</main>", 1)[0]
    return re.sub(r'<(\w+)[^>]*lang="zh-Hans"[^>]*>.*?</\1>', "", html, flags=re.S)


@pytest.fixture
def licensing(personas, unit):
    result = make_result(personas, unit)
    registry_services.achievement_submit(actor=personas.transfer_office, achievement=result)
    result = registry_services.achievement_publish(actor=personas.bureau, achievement=result)
    enterprise = personas.organisations[Role.ENTERPRISE]
    offer = licences.licence_offer(
        actor=personas.transfer_office,
        unit=unit,
        achievement=result,
        term_years=3,
        payment_model="deferred",
    )
    application = licences.licence_apply(
        actor=personas.enterprise, offer=offer, applicant=enterprise, plan="建设中试线"
    )
    licence = licences.licence_conclude(
        actor=personas.transfer_office,
        offer=offer,
        licensee=enterprise,
        starts_on=dt.date(2026, 1, 1),
        total_fee=Decimal("1000"),
        first_due=dt.date(2026, 6, 1),
    )
    return offer, application, licence


def test_m3_1_the_licence_pages_in_chinese_use_no_empowerment_words(client, personas, licensing):
    offer, application, licence = licensing
    pages = {
        personas.transfer_office: [
            reverse("licences:home"),
            reverse("licences:offer_new"),
            reverse("licences:offer", args=[offer.pk]),
            reverse("licences:application", args=[application.pk]),
            reverse("licences:licence", args=[licence.pk]),
        ],
        personas.enterprise: [
            reverse("licences:home"),
            reverse("licences:offer", args=[offer.pk]),
            reverse("licences:application", args=[application.pk]),
        ],
    }
    for person, urls in pages.items():
        client.force_login(person)
        for url in urls:
            html = _chinese(client, url)
            found = [w for w in EMPOWERMENT_WORDS if w in html]
            assert not found, (url, found)


def test_m3_1_the_offer_asks_enterprises_to_apply_for_a_licence(client, personas, licensing):
    offer, _, _ = licensing
    client.force_login(personas.enterprise)
    html = _chinese(client, reverse("licences:offer", args=[offer.pk]))
    assert re.search(r'id="apply-submit">申请许可</button>', html)
    client.force_login(personas.transfer_office)
    html = _chinese(client, reverse("licences:offer", args=[offer.pk]))
    assert '<h2 id="apps-h">许可申请</h2>' in html
    home = _chinese(client, reverse("licences:home"))
    assert '<span class="tag status-published">接受申请</span>' in home  # not 未处理
