"""Questions and expressions of interest on a result: only the two organisations' people read a
thread (anyone else: 404), a visitor signs in first, each message tells the other side once, a
closed thread refuses messages, text is guarded and new threads are rate-limited."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.core import mail
from django.urls import reverse

from kttc.center.inquiries import services
from kttc.center.inquiries.models import Inquiry, InquiryMessage
from kttc.center.inquiries.tests.factories import other_enterprise_person, thread
from kttc.core.models import AuditEntry, Notification
from kttc.policy.errors import PolicyError
from kttc.policy.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def result(publish):
    return publish(name="石墨烯导热膜制备技术")


def _kinds(user) -> list[str]:
    mine = Notification.objects.filter(recipient=user, kind__startswith="inquiry.")
    return list(mine.values_list("kind", flat=True))


def test_an_enterprise_asks_from_the_result_page_and_the_office_hears(
    client, personas, result, django_capture_on_commit_callbacks
):
    client.force_login(personas.enterprise)
    page = client.get(reverse("catalog:detail", args=[result.pk])).content.decode()
    ask = reverse("inquiries:ask", args=[result.pk])
    assert f'href="{ask}" data-ask' in page
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            ask,
            {
                "asker": personas.organisations[Role.ENTERPRISE].pk,
                "kind": "interest",
                "subject": "Pilot in Kunming",
                "text": "We want to try it.",
            },
        )
    inquiry = Inquiry.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "inquiries:thread", args=[inquiry.pk]
    )
    assert (inquiry.unit, inquiry.asker) == (
        personas.organisations[Role.TRANSFER_OFFICE],
        personas.organisations[Role.ENTERPRISE],
    )
    assert _kinds(personas.transfer_office) == ["inquiry.opened"]
    assert _kinds(personas.enterprise) == [] and _kinds(personas.researcher) == []
    note = Notification.objects.get(recipient=personas.transfer_office, kind="inquiry.opened")
    assert note.link == reverse("inquiries:thread", args=[inquiry.pk])
    assert [m.to for m in mail.outbox] == [[personas.transfer_office.email]]
    assert AuditEntry.objects.filter(action="inquiry.open", object_id=str(inquiry.pk)).exists()


def test_a_visitor_is_sent_to_sign_in_and_back(client, result):
    page = client.get(reverse("catalog:detail", args=[result.pk])).content.decode()
    ask = reverse("inquiries:ask", args=[result.pk])
    assert f'href="{reverse("login")}?next={quote(ask, safe="")}"' in page
    response = client.get(ask)
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={ask}"


def test_a_person_who_cannot_ask_sees_no_button_and_is_refused(client, personas, result):
    client.force_login(personas.researcher)
    page = client.get(reverse("catalog:detail", args=[result.pk])).content.decode()
    assert "data-ask" not in page
    response = client.get(reverse("inquiries:ask", args=[result.pk]))
    assert response.status_code == 403
    assert "enterprise or a service institution" in response.content.decode()
    assert client.get(reverse("inquiries:inbox")).status_code == 403
    assert client.get(reverse("inquiries:mine")).status_code == 403


def test_only_the_two_organisations_read_a_thread(client, personas, result):
    inquiry = thread(personas, result)
    url = reverse("inquiries:thread", args=[inquiry.pk])
    for insider in (personas.enterprise, personas.transfer_office):
        client.force_login(insider)
        assert client.get(url).status_code == 200
    stranger = other_enterprise_person()
    for outsider in (
        stranger,
        personas.researcher,
        personas.bureau,
        personas.auditor,
        personas.service_broker,
    ):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
        assert client.post(url, {"text": "hello"}).status_code == 404
        assert client.post(reverse("inquiries:close", args=[inquiry.pk])).status_code == 404
    assert InquiryMessage.objects.count() == 1
    with pytest.raises(PolicyError):
        services.inquiry_reply(actor=stranger, inquiry=inquiry, text="hello")
    client.logout()
    assert client.get(url).status_code == 302


def test_each_message_tells_the_other_side_once(
    client, personas, result, django_capture_on_commit_callbacks
):
    inquiry = thread(personas, result)
    office, enterprise = personas.transfer_office, personas.enterprise
    client.force_login(office)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("inquiries:thread", args=[inquiry.pk]), {"text": "可以，欢迎来访。"})
    assert _kinds(enterprise) == ["inquiry.message"]
    assert _kinds(office) == ["inquiry.opened"]
    client.force_login(enterprise)
    page = client.get(reverse("inquiries:thread", args=[inquiry.pk])).content.decode()
    assert "可以，欢迎来访。" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("inquiries:thread", args=[inquiry.pk]), {"text": "下周二可以吗？"})
    assert sorted(_kinds(office)) == ["inquiry.message", "inquiry.opened"]
    assert _kinds(enterprise) == ["inquiry.message"]
    assert Notification.objects.filter(kind__startswith="inquiry.").count() == 3
    # each notice says who wrote and what, in the reader's language
    received = Notification.objects.get(recipient=office, kind="inquiry.message")
    assert "下周二可以吗？" in received.body_text


def test_a_closed_thread_refuses_messages_with_a_clear_message(
    client, personas, result, django_capture_on_commit_callbacks
):
    inquiry = thread(personas, result)
    client.force_login(personas.transfer_office)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("inquiries:close", args=[inquiry.pk]))
    inquiry.refresh_from_db()
    assert inquiry.status == "closed" and inquiry.closed_by == personas.transfer_office
    assert _kinds(personas.enterprise) == ["inquiry.closed"]
    assert AuditEntry.objects.filter(action="inquiry.close").count() == 1
    client.force_login(personas.enterprise)
    response = client.post(reverse("inquiries:thread", args=[inquiry.pk]), {"text": "还有问题"})
    page = response.content.decode()
    assert "This thread is closed" in page
    assert InquiryMessage.objects.count() == 1
    with pytest.raises(PolicyError) as refused:
        services.inquiry_reply(actor=personas.enterprise, inquiry=inquiry, text="还有问题")
    assert refused.value.code == "inquiry.closed"


def test_the_inbox_marks_unread_filters_and_pages(client, personas, publish, settings):
    settings.KTTC_PAGE_SIZE = 2
    results = [publish(name=f"成果{i}") for i in range(3)]
    threads = [thread(personas, r, subject=f"问题{i}") for i, r in enumerate(results)]
    services.inquiry_close(actor=personas.enterprise, inquiry=threads[0])
    client.force_login(personas.transfer_office)
    first = client.get(reverse("inquiries:inbox"))
    assert first.status_code == 200
    assert first.context["page"].paginator.count == 3
    assert len(first.context["rows"]) == 2
    assert all(unread for _i, unread in first.context["rows"])
    closed = client.get(reverse("inquiries:inbox"), {"status": "closed"})
    assert [i.pk for i, _u in closed.context["rows"]] == [threads[0].pk]
    client.get(reverse("inquiries:thread", args=[threads[1].pk]))
    rows = dict(client.get(reverse("inquiries:inbox"), {"status": "open"}).context["rows"])
    assert rows[Inquiry.objects.get(pk=threads[1].pk)] is False
    assert rows[Inquiry.objects.get(pk=threads[2].pk)] is True
    # bad filters and pages are ignored or bounded, never an error
    assert client.get(reverse("inquiries:inbox"), {"status": "x", "page": "abc"}).status_code == 200
    client.force_login(personas.enterprise)
    mine = client.get(reverse("inquiries:mine"))
    assert mine.context["page"].paginator.count == 3
    assert not any(unread for _i, unread in mine.context["rows"])


def test_text_is_guarded_and_limited_naming_the_field(personas, result):
    with pytest.raises(PolicyError) as control:
        thread(personas, result, subject="试用\u202e条件")
    assert control.value.field == "subject"
    with pytest.raises(PolicyError) as long:
        thread(personas, result, text="长" * 5001)
    assert long.value.field == "text" and long.value.code == "text.too_long"
    with pytest.raises(PolicyError) as empty:
        thread(personas, result, text="   ")
    assert empty.value.field == "text"
    assert not Inquiry.objects.exists()


def test_the_form_shows_the_refusal_beside_the_field(client, personas, result):
    client.force_login(personas.enterprise)
    response = client.post(
        reverse("inquiries:ask", args=[result.pk]),
        {
            "asker": personas.organisations[Role.ENTERPRISE].pk,
            "kind": "question",
            "subject": "a\x07b",
            "text": "ok",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["subject"]
    assert not Inquiry.objects.exists()


def test_new_threads_are_rate_limited_per_person(personas, result, settings):
    settings.KTTC_INQUIRIES_PER_DAY = 2
    thread(personas, result)
    thread(personas, result)
    with pytest.raises(PolicyError) as refused:
        thread(personas, result)
    assert refused.value.code == "inquiry.rate"
    assert "2 threads in the last 24 hours" in refused.value.message
    assert Inquiry.objects.count() == 2


def test_a_restricted_or_unknown_result_cannot_be_asked_about(client, personas, publish):
    restricted = publish(name="内部成果", confidentiality="restricted")
    client.force_login(personas.enterprise)
    assert client.get(reverse("inquiries:ask", args=[restricted.pk])).status_code == 404
    assert client.get(reverse("inquiries:ask", args=[999999])).status_code == 404
    assert client.get("/office/inquiries/ask/99999999999999999999/").status_code == 404


def test_the_back_office_links_each_side_to_its_threads(client, personas):
    for person, name, absent in (
        (personas.transfer_office, "inquiries:inbox", "inquiries:mine"),
        (personas.enterprise, "inquiries:mine", "inquiries:inbox"),
        (personas.service_broker, "inquiries:mine", "inquiries:inbox"),
    ):
        client.force_login(person)
        page = client.get(reverse("office:home")).content.decode()
        assert f'href="{reverse(name)}"' in page
        assert f'href="{reverse(absent)}"' not in page


def test_an_unverified_organisation_cannot_write_to_units(personas, result):
    enterprise = personas.organisations[Role.ENTERPRISE]
    enterprise.verified_at = None
    enterprise.save(update_fields=["verified_at"])
    with pytest.raises(PolicyError) as refused:
        thread(personas, result)
    assert (refused.value.code, refused.value.field) == ("inquiry.unverified", "asker")
    assert not Inquiry.objects.exists()
