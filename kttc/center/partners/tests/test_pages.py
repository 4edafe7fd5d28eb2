"""The pages of partners abroad (M8.4): a partner's cases (its own only), its referrals, the
bureau's partnerships, an enterprise's agreement, the verification queue's mark, and the public
international cooperation page with its figures and empty states."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from kttc.center.demands import services as demand_services
from kttc.center.demands.tests.factories import demand_data, in_days
from kttc.center.partners.models import PartnerConsent, Partnership
from kttc.center.partners.tests.factories import partner_abroad, referred
from kttc.core.models import Membership, Organisation
from kttc.core.tests.factories import UserFactory
from kttc.policy.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def test_m8_4_a_partner_sees_its_cases_and_never_another_partner_s(client, personas):
    partner = partner_abroad(personas)
    other = partner_abroad(personas, number="02-999", name="Other partner")
    mine = referred(personas, partner, number="LA-MINE")
    theirs = referred(personas, other, number="LA-THEIRS")
    demand_services.demand_post(
        actor=partner.staff, organisation=mine, partner=partner.organisation,
        data=demand_data(title="ເຄື່ອງອົບເຂົ້າ", country="LA", language="lo"),
    )  # fmt: skip
    client.force_login(partner.staff)
    page = client.get(reverse("partners:cases")).content.decode()
    assert mine.name in page and theirs.name not in page and "ເຄື່ອງອົບເຂົ້າ" in page
    assert "data-verification" in page
    # Asking for the other partner's cases: not found, not shown.
    response = client.get(reverse("partners:cases"), {"partner": other.organisation.pk})
    assert response.status_code == 404
    client.force_login(other.staff)
    page = client.get(reverse("partners:cases")).content.decode()
    assert theirs.name in page and mine.name not in page
    for persona in (personas.enterprise, personas.bureau, personas.transfer_office):
        client.force_login(persona)
        assert client.get(reverse("partners:cases")).status_code == 403


def test_m8_4_a_partner_refers_an_enterprise_which_is_mailed_and_queued_marked(client, personas):
    partner = partner_abroad(personas)
    client.force_login(partner.staff)
    response = client.post(
        reverse("partners:refer"),
        {"name": "ບໍລິສັດ ກະສິກຳ", "name_en": "Lao Agro", "registration_number": "16-0003381",
         "email": "khamla@lao.example"},
    )  # fmt: skip
    assert response.status_code == 302
    enterprise = Organisation.objects.get(registration_number="16-0003381")
    assert enterprise.referred_by == partner.organisation and enterprise.country == "LA"
    (message,) = mail.outbox
    assert message.to == ["khamla@lao.example"] and partner.organisation.name in message.body
    client.force_login(personas.bureau)
    queue = client.get(reverse("office:verification")).content.decode()
    assert f"Referred by {partner.organisation.name}" in queue
    # The same number again: refused beside the field, not registered twice.
    client.force_login(partner.staff)
    again = client.post(
        reverse("partners:refer"),
        {"name": "X", "registration_number": "16-0003381", "email": "x@lao.example"},
    )
    assert again.status_code == 200 and "registration_number" in again.context["form"].errors
    # Someone else refers nothing.
    client.force_login(personas.enterprise)
    assert client.get(reverse("partners:refer")).status_code == 403


def test_m8_4_a_partner_posts_a_demand_for_its_enterprise_on_the_form(client, personas):
    partner = partner_abroad(personas)
    enterprise = referred(personas, partner)
    stranger = referred(personas, partner_abroad(personas, number="9", name="P9"), number="S")
    client.force_login(partner.staff)
    form = client.get(reverse("demands:new")).content.decode()
    assert enterprise.name in form and stranger.name not in form
    values = {
        "organisation": stranger.pk, "title": "ເຄື່ອງອົບເຂົ້າ", "description": "ຕ້ອງການ",
        "modes": ["licence"], "deadline": in_days(30).isoformat(),
        "country": "LA", "language": "lo", "title_en": "Rice dryer",
        "description_en": "We need a rice dryer.",
    }  # fmt: skip
    refused = client.post(reverse("demands:new"), values)
    assert refused.status_code == 200  # not one of its enterprises: not a choice
    values["organisation"] = enterprise.pk
    client.post(reverse("demands:new"), values)
    demand = enterprise.demands.get()
    assert demand.posted_by == partner.organisation
    page = client.get(reverse("demands:detail", args=[demand.pk])).content.decode()
    assert "data-posted-by" in page and partner.organisation.name in page


def test_m8_4_the_bureau_records_a_partnership_on_its_page(client, personas):
    partner = partner_abroad(personas)
    client.force_login(personas.bureau)
    listing = client.get(reverse("partners:partnerships")).content.decode()
    assert partner.organisation.name in listing
    response = client.post(
        reverse("partners:partnership", args=[partner.organisation.pk]),
        {"partner_type": "industrial_park", "agreement_date": "2024-05-01", "scope": "parks",
         "status": "suspended"},
    )  # fmt: skip
    assert response.status_code == 302
    found = Partnership.objects.get(partner=partner.organisation)
    assert (found.partner_type, found.status) == ("industrial_park", "suspended")
    future = client.post(
        reverse("partners:partnership", args=[partner.organisation.pk]),
        {"partner_type": "university", "agreement_date": "2999-01-01", "status": "active"},
    )
    assert "agreement_date" in future.context["form"].errors
    client.force_login(partner.staff)
    assert client.get(reverse("partners:partnerships")).status_code == 403


def test_m8_4_an_enterprise_abroad_agrees_and_withdraws_on_its_page(client, personas):
    partner = partner_abroad(personas)
    enterprise = referred(personas, partner_abroad(personas, number="7", name="P7"), number="E")
    boss = UserFactory()
    Membership.objects.create(user=boss, organisation=enterprise, role=Role.ENTERPRISE.value)
    client.force_login(boss)
    page = client.get(reverse("partners:agreements")).content.decode()
    assert partner.organisation.name in page
    url = reverse("partners:agreement", args=[enterprise.pk, partner.organisation.pk])
    client.post(url, {"agree": "1"})
    assert PartnerConsent.objects.get(withdrawn_at__isnull=True).partner == partner.organisation
    client.post(url, {})
    assert not PartnerConsent.objects.filter(withdrawn_at__isnull=True).exists()
    # A person of another enterprise cannot agree for this one.
    client.force_login(personas.enterprise)
    client.post(url, {"agree": "1"})
    assert not PartnerConsent.objects.filter(withdrawn_at__isnull=True).exists()
    assert client.get(reverse("partners:agreements")).status_code == 403  # a Chinese one


def test_m8_4_the_cooperation_page_is_public_with_tables_and_empty_states(client, personas):
    empty = client.get(reverse("cooperation:page")).content.decode()
    assert "No partnership abroad is recorded yet." in empty
    assert "No demand from abroad has been published yet." in empty
    assert "No result has been transferred or licensed abroad" in empty
    partner = partner_abroad(personas)
    partner_abroad(personas, country="VN", number="0101", name="Hanoi TTC")
    enterprise = referred(personas, partner)
    demand = demand_services.demand_post(
        actor=partner.staff, organisation=enterprise, partner=partner.organisation,
        data=demand_data(country="LA", language="lo"),
    )  # fmt: skip
    demand_services.demand_publish(actor=personas.bureau, demand=demand)
    page = client.get(reverse("cooperation:page")).content.decode()
    assert partner.organisation.name in page and "Hanoi TTC" in page
    assert 'data-figure="partners">2<' in page and 'data-figure="demands">1<' in page
    assert '<table class="list cards-on-phone" id="partners">' in page
    assert '<th scope="col">' in page and "Laos" in page
    # It is in the public site's navigation, in every language.
    for language in ("zh-hans", "vi", "lo"):
        home = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert reverse("cooperation:page") in home


def test_m8_4_the_partner_s_home_lists_its_work(client, personas):
    partner = partner_abroad(personas)
    referred(personas, partner, verify=False)
    client.force_login(partner.staff)
    home = client.get(reverse("office:home")).content.decode()
    assert reverse("partners:cases") in home and reverse("partners:refer") in home
    assert "Referred enterprises waiting for the center" in home
