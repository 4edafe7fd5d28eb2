"""The pages of service institutions and brokers (M9.1, M9.2): the institution's staff register
brokers, apply with materials and reward the brokers through the row editor; the bureau's queue,
certification, refusal, revocation and subsidy; each broker's lines; the public list of certified
institutions and a broker's public profile; the back office homes of both."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kttc.center.demands import services as demand_services
from kttc.center.demands.tests.factories import published
from kttc.center.institutions.models import (
    BrokerProfile,
    BrokerReward,
    CertificationApplication,
    Subsidy,
)
from kttc.center.institutions.tests.factories import (
    applied,
    certified,
    institution,
    member,
    subsidised,
)
from kttc.policy import calendar
from kttc.policy.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def test_m9_2_the_institution_registers_a_broker_on_its_page(client, personas):
    organisation = personas.organisations[Role.SERVICE_BROKER]
    client.force_login(personas.service_broker)
    page = client.get(reverse("institutions:home")).content.decode()
    assert "No broker is registered yet." in page and 'data-certification="none"' in page
    url = reverse("institutions:broker_new") + f"?institution={organisation.pk}"
    form = {
        "person": str(personas.service_broker.pk), "certificate_number": "km-2026-0042",
        "certificate_level": "senior", "fields_text": "新材料、生物医药",
        "languages": ["zh-hans", "lo"],
    }  # fmt: skip
    answer = client.post(url, form)
    assert answer.status_code == 302
    profile = BrokerProfile.objects.get()
    assert (profile.certificate_number, profile.fields, profile.languages) == (
        "KM-2026-0042", ["新材料", "生物医药"], ["zh-hans", "lo"],
    )  # fmt: skip
    page = client.get(reverse("institutions:home")).content.decode()
    assert "KM-2026-0042" in page and "ລາວ" in page
    # A second one with the same certificate: refused beside the field, nothing stored.
    other = member(organisation, 5)
    answer = client.post(url, {**form, "person": str(other.pk)})
    assert answer.status_code == 200 and "is registered already" in answer.content.decode()
    assert BrokerProfile.objects.count() == 1
    # Correct, then withdraw.
    edit = reverse("institutions:broker_edit", args=[profile.pk])
    client.post(edit, {**form, "fields_text": "智能制造", "certificate_number": "KM-2026-0042"})
    profile.refresh_from_db()
    assert profile.fields == ["智能制造"]
    client.post(reverse("institutions:broker_withdraw", args=[profile.pk]))
    profile.refresh_from_db()
    assert profile.withdrawn_at is not None
    # Another organisation's person sees nothing of it.
    client.force_login(personas.enterprise)
    assert client.get(reverse("institutions:home")).status_code == 403


def test_m9_1_an_application_is_sent_with_its_materials_and_the_bureau_certifies_it(
    client, personas
):
    found = institution(personas)
    client.force_login(found.staff)
    url = reverse("institutions:apply") + f"?institution={found.organisation.pk}"
    answer = client.post(url, {"statement": "申请认定"})
    assert answer.status_code == 200 and not CertificationApplication.objects.exists()
    upload = SimpleUploadedFile("申请表.pdf", b"%PDF-1.4 form", content_type="application/pdf")
    answer = client.post(url, {"statement": "申请认定", "material_application": upload})
    application = CertificationApplication.objects.get()
    assert answer.status_code == 302 and answer["Location"].endswith(f"/{application.pk}/")
    page = client.get(answer["Location"]).content.decode()
    assert "申请表.pdf" in page and "Waiting for the bureau" in page
    document = application.documents.get()
    assert client.get(reverse("institutions:document", args=[document.pk])).status_code == 200
    # The applicant cannot decide.
    client.post(reverse("institutions:certify", args=[application.pk]), {})
    application.refresh_from_db()
    assert application.status == "submitted"
    # The bureau sees it waiting, and certifies it.
    client.force_login(personas.bureau)
    home = client.get(reverse("office:home")).content.decode()
    assert "Applications for certification waiting for the bureau" in home
    queue = client.get(reverse("institutions:queue")).content.decode()
    assert found.organisation.name_en in queue  # named as an English reader reads it
    today = calendar.today_in_shanghai()
    client.post(
        reverse("institutions:certify", args=[application.pk]),
        {"term_start": today.isoformat(), "term_end": today.replace(year=today.year + 3)},
    )
    application.refresh_from_db()
    assert application.status == "certified"
    page = client.get(reverse("institutions:application", args=[application.pk])).content
    assert b"100,000.00" in page  # the subsidy in force on the certification day
    client.post(
        reverse("institutions:subsidy", args=[application.pk]),
        {"disbursed_on": application.decided_on.isoformat()},
    )
    assert Subsidy.objects.get().amount == Decimal("100000.00")
    # The public list shows it, with its brokers.
    client.logout()
    public = client.get(reverse("service_institutions:list")).content.decode()
    assert found.organisation.name_en in public and found.brokers[1].person.full_name in public


def test_m9_1_the_bureau_refuses_and_revokes_saying_why(client, personas):
    application = applied(personas)
    client.force_login(personas.bureau)
    refuse = reverse("institutions:refuse", args=[application.pk])
    client.post(refuse, {"refuse-reason": ""})
    application.refresh_from_db()
    assert application.status == "submitted"
    client.post(refuse, {"refuse-reason": "材料不全"})
    application.refresh_from_db()
    assert (application.status, application.reason) == ("refused", "材料不全")
    other = certified(personas, _same(personas))
    client.post(reverse("institutions:revoke", args=[other.pk]), {"revoke-reason": "弄虚作假"})
    other.refresh_from_db()
    assert other.status == "revoked"
    assert (
        client.get(reverse("service_institutions:list")).content.decode().count("data-institution")
        == 0
    )


def _same(personas):
    from kttc.center.institutions.tests.factories import existing

    return existing(personas)


def test_m9_2_the_reward_form_splits_the_subsidy_and_refuses_below_the_minimum(client, personas):
    found = institution(personas)
    subsidy = subsidised(personas, found)
    a, b = found.brokers
    client.force_login(found.staff)
    home = client.get(reverse("office:home")).content.decode()
    assert "Subsidies from which to reward the brokers" in home
    url = reverse("institutions:reward", args=[subsidy.pk])
    page = client.get(url).content.decode()
    assert "10,000.00" in page and "shares-0-broker" in page
    rows = {
        "shares-count": "2", "shares-0-broker": str(a.pk), "shares-0-percent": "60",
        "shares-1-broker": str(b.pk), "shares-1-percent": "40",
    }  # fmt: skip
    answer = client.post(url, {"total": "9999.99", **rows})
    text = answer.content.decode()
    assert answer.status_code == 200 and "M9.2" in text and "at least 10%" in text
    assert not BrokerReward.objects.exists()
    # "Add a line" is no submit.
    answer = client.post(url, {"total": "10000.00", **rows, "_add": "shares"})
    assert answer.status_code == 200 and not BrokerReward.objects.exists()
    answer = client.post(url, {"total": "12345.67", **rows})
    assert answer.status_code == 302
    reward = BrokerReward.objects.get()
    assert sorted(line.amount for line in reward.lines.all()) == [
        Decimal("4938.27"), Decimal("7407.40"),
    ]  # fmt: skip
    # Each broker sees their own line.
    client.force_login(b.person)
    mine = client.get(reverse("institutions:my_rewards")).content.decode()
    assert "4,938.27" in mine and "7,407.40" not in mine


def test_m9_2_a_broker_s_public_profile_shows_fields_languages_and_deals(client, personas):
    found = institution(personas)
    broker = found.brokers[1]
    demand = published(personas, title="高效干燥设备")
    demand_services.answer_create(
        actor=broker.person, demand=demand, organisation=found.organisation, proposal="方案"
    )
    demand_services.demand_close(actor=personas.enterprise, demand=demand, met=True)
    page = client.get(reverse("service_institutions:broker", args=[broker.pk])).content.decode()
    assert broker.person.full_name in page and "新材料" in page and "English" in page
    assert 'data-figure="deals">1<' in page and "高效干燥设备" in page
    assert client.get(reverse("service_institutions:broker", args=[98765])).status_code == 404
