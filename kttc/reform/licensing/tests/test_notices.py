"""DESIGN rule 12 (M3): each step of a licence tells, at once and once, the party waiting for it,
on the platform and by one e-mail in their language after the decision commits; nobody else."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail

from kttc.core.models import Notification
from kttc.core.tests.factories import MembershipFactory, UserFactory
from kttc.policy.errors import PolicyError
from kttc.policy.licensing import Stage
from kttc.policy.roles import Role
from kttc.reform.licensing import credit, notices
from kttc.reform.licensing import services as licences
from kttc.reform.tests.factories import make_result
from kttc.registry import services as registry_services

pytestmark = pytest.mark.django_db
NAME = "高原茶叶保鲜技术"


@pytest.fixture
def enterprise(personas):
    return personas.organisations[Role.ENTERPRISE]


@pytest.fixture
def offer(personas, unit):
    result = make_result(personas, unit, name=NAME)
    registry_services.achievement_submit(actor=personas.transfer_office, achievement=result)
    result = registry_services.achievement_publish(actor=personas.bureau, achievement=result)
    return licences.licence_offer(
        actor=personas.transfer_office,
        unit=unit,
        achievement=result,
        term_years=5,
        payment_model="staged_royalty",
    )


@pytest.fixture
def step(django_capture_on_commit_callbacks):
    """Run a service as its own committed decision; return (its result, the notifications it
    wrote, the e-mails sent after the commit)."""

    def run(call, **kwargs):
        before, sent = set(Notification.objects.values_list("pk", flat=True)), len(mail.outbox)
        with django_capture_on_commit_callbacks(execute=True):
            value = call(**kwargs)
        written = list(Notification.objects.exclude(pk__in=before).select_related("recipient"))
        return value, written, mail.outbox[sent:]

    return run


@pytest.fixture
def licence(personas, offer, enterprise):
    return licences.licence_conclude(
        actor=personas.transfer_office,
        offer=offer,
        licensee=enterprise,
        starts_on=dt.date(2026, 12, 1),
        stages=[Stage(Decimal("1000.00"), due=dt.date(2027, 6, 1))],
        royalty_rate=Decimal("0.05"),
    )


def _only(written, kind, person):
    assert [(n.kind, n.recipient) for n in written] == [(kind, person)]
    return written[0]


def test_an_application_tells_the_offering_units_transfer_office_once(
    personas, offer, enterprise, step
):
    personas.transfer_office.preferred_language = "en"
    personas.transfer_office.save()
    apply = {"actor": personas.enterprise, "offer": offer, "applicant": enterprise}
    application, written, sent = step(licences.licence_apply, plan="Pilot line in Kunming", **apply)
    notice = _only(written, "reform.licence_application_received", personas.transfer_office)
    assert notice.link == f"/office/licences/applications/{application.pk}/"
    assert notice.clauses == ["M3.1"] and notice.organisation == offer.unit
    (message,) = sent
    assert message.to == [personas.transfer_office.email]
    assert message.subject == f"KTTC: Licence application from {enterprise.name}: {NAME}"
    with pytest.raises(PolicyError):
        step(licences.licence_apply, plan="Again", **apply)
    assert Notification.objects.filter(kind=notice.kind).count() == 1 and len(mail.outbox) == 1


def test_a_declined_application_tells_the_applicant_why_once(personas, offer, enterprise, step):
    application = licences.licence_apply(
        actor=personas.enterprise, offer=offer, applicant=enterprise, plan="Pilot"
    )
    decline = {"actor": personas.transfer_office, "application": application}
    _, written, sent = step(licences.licence_application_decline, reason="用途不明确", **decline)
    notice = _only(written, "reform.licence_application_declined", personas.enterprise)
    assert notice.link == f"/office/licences/applications/{application.pk}/"
    (message,) = sent
    assert message.to == [personas.enterprise.email]
    assert message.subject == f"KTTC: 许可申请未获同意：{NAME}"  # the default language
    assert "用途不明确" in message.body
    with pytest.raises(PolicyError):
        step(licences.licence_application_decline, reason="again", **decline)
    assert Notification.objects.filter(kind=notice.kind).count() == 1 and len(mail.outbox) == 1


def test_a_concluded_licence_tells_the_licensee_once(personas, offer, enterprise, step):
    colleague = UserFactory(email="colleague@test.kttc.example", preferred_language="en")
    MembershipFactory(user=colleague, organisation=enterprise, role=Role.ENTERPRISE)
    licence, written, sent = step(
        licences.licence_conclude,
        actor=personas.transfer_office,
        offer=offer,
        licensee=enterprise,
        starts_on=dt.date(2026, 12, 1),
        royalty_rate=Decimal("0.05"),
        stages=[Stage(Decimal("1000.00"), due=dt.date(2027, 6, 1))],
    )
    assert {(n.kind, n.recipient) for n in written} == {
        ("reform.licence_concluded", personas.enterprise),
        ("reform.licence_concluded", colleague),
    }
    assert {n.link for n in written} == {f"/office/licences/{licence.pk}/"}
    by_person = {m.to[0]: m for m in sent}
    assert len(sent) == 2 and set(by_person) == {personas.enterprise.email, colleague.email}
    assert by_person[colleague.email].subject == f"KTTC: Licence concluded: {NAME}"
    assert by_person[personas.enterprise.email].subject == f"KTTC: 许可合同已订立：{NAME}"
    assert notices.tell_enterprise(notices.CONCLUDED, enterprise, licence, "/x/") == 0


def test_reported_revenue_tells_the_unit_once(personas, licence, step, travel):
    travel(dt.date(2028, 1, 2))  # the year reported below has ended (M3.2)
    report = {
        "actor": personas.enterprise,
        "licence": licence,
        "period_start": dt.date(2027, 1, 1),
        "period_end": dt.date(2027, 12, 31),
    }
    _, written, sent = step(licences.revenue_report, revenue=Decimal("20000.00"), **report)
    notice = _only(written, "reform.licence_revenue_reported", personas.transfer_office)
    assert notice.link == f"/office/licences/{licence.pk}/"
    assert notice.params["royalty"] == "1000.00"
    assert notice.params["due"] == "2028-01-30"  # the licence's 30 days after the period (M3.3)
    (message,) = sent
    assert message.to == [personas.transfer_office.email]
    with pytest.raises(PolicyError):
        step(licences.revenue_report, revenue=Decimal("20000.00"), **report)
    assert Notification.objects.filter(kind=notice.kind).count() == 1 and len(mail.outbox) == 1


def test_a_recorded_payment_tells_the_licensee_once(personas, licence, enterprise, step):
    personas.enterprise.preferred_language = "en"
    personas.enterprise.save()
    payment, written, sent = step(
        licences.payment_record,
        actor=personas.transfer_office,
        licence=licence,
        amount=Decimal("500"),
        paid_on=dt.date(2027, 6, 2),
    )
    notice = _only(written, "reform.licence_payment_recorded", personas.enterprise)
    assert notice.link == f"/office/licences/{licence.pk}/"
    (message,) = sent
    assert message.subject == f"KTTC: Payment of 500.00 yuan recorded: {NAME}"
    assert "received on Jun 2, 2027" in message.body  # the date as she reads it
    again = notices.tell_enterprise(notices.PAYMENT_RECORDED, enterprise, payment, "/x/")
    assert again == 0 and len(mail.outbox) == 1


def test_a_declared_breach_tells_the_licensee_once(personas, licence, enterprise, step):
    record, written, sent = step(
        credit.licence_breach_declare,
        actor=personas.transfer_office,
        licence=licence,
        reason="未按期付款",
    )
    notice = _only(written, "reform.licence_breach_declared", personas.enterprise)
    assert notice.link == f"/office/licences/{licence.pk}/" and notice.clauses == ["M3.4"]
    (message,) = sent
    assert message.to == [personas.enterprise.email] and "未按期付款" in message.body
    assert notices.tell_enterprise(notices.BREACH_DECLARED, enterprise, record, "/x/") == 0
    assert len(mail.outbox) == 1


def _second_enterprise():
    from kttc.core.tests.factories import OrganisationFactory

    other = OrganisationFactory(kind="enterprise", name="滇池生物科技有限公司")
    person = UserFactory(email="other@test.kttc.example", preferred_language="en")
    MembershipFactory(user=person, organisation=other, role=Role.ENTERPRISE)
    return other, person


def test_an_exclusive_licence_tells_every_other_applicant_why_it_is_declined(
    personas, unit, enterprise, step
):
    result = make_result(personas, unit, name="滇池蓝藻监测技术")
    registry_services.achievement_submit(actor=personas.transfer_office, achievement=result)
    result = registry_services.achievement_publish(actor=personas.bureau, achievement=result)
    offer = licences.licence_offer(
        actor=personas.transfer_office, unit=unit, achievement=result, term_years=5,
        payment_model="deferred", exclusive=True,
    )  # fmt: skip
    other, person = _second_enterprise()
    winning = licences.licence_apply(
        actor=personas.enterprise, offer=offer, applicant=enterprise, plan="A"
    )
    losing = licences.licence_apply(actor=person, offer=offer, applicant=other, plan="B")
    _licence, written, sent = step(
        licences.licence_conclude,
        actor=personas.transfer_office,
        offer=offer,
        licensee=enterprise,
        starts_on=dt.date(2026, 12, 1),
        total_fee=Decimal("9000.00"),
        first_due=dt.date(2027, 6, 1),
        application=winning,
    )
    told = [n for n in written if n.kind == "reform.licence_application_declined_exclusive"]
    assert [(n.recipient, n.link) for n in told] == [
        (person, f"/office/licences/applications/{losing.pk}/")
    ]
    (message,) = [m for m in sent if m.to == [person.email]]
    assert message.subject == "KTTC: Licence application declined: 滇池蓝藻监测技术"
    assert "exclusive licence" in message.body


def test_closing_an_offer_tells_its_applicants(personas, offer, enterprise, step):
    application = licences.licence_apply(
        actor=personas.enterprise, offer=offer, applicant=enterprise, plan="Pilot"
    )
    _offer, written, sent = step(licences.offer_close, actor=personas.transfer_office, offer=offer)
    notice = _only(written, "reform.licence_application_declined_closed", personas.enterprise)
    assert notice.link == f"/office/licences/applications/{application.pk}/"
    (message,) = sent
    assert message.to == [personas.enterprise.email] and NAME in message.subject
