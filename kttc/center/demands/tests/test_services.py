"""Posting, moderating, answering, closing and expiring demands (M8.1, M8.4): each step checked,
audited, and told at once to whoever waits for it (DESIGN rule 12)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command

from kttc.center.demands import services, sweep
from kttc.center.demands.choices import DemandStatus
from kttc.center.demands.tests.factories import demand_data, in_days, posted, published
from kttc.core.errors import AccessDenied
from kttc.core.models import AuditEntry, Notification
from kttc.core.tests.factories import OrganisationFactory
from kttc.policy.errors import PolicyError
from kttc.policy.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def step(django_capture_on_commit_callbacks):
    """Run a service as its own committed decision; return (its value, the notifications it
    wrote, the e-mails sent after the commit)."""

    def run(call, **kwargs):
        before, sent = set(Notification.objects.values_list("pk", flat=True)), len(mail.outbox)
        with django_capture_on_commit_callbacks(execute=True):
            value = call(**kwargs)
        written = list(Notification.objects.exclude(pk__in=before).select_related("recipient"))
        return value, written, mail.outbox[sent:]

    return run


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"budget_min": Decimal("500"), "budget_max": Decimal("100")}, "budget_max"),
        ({"budget_min": Decimal("-1")}, "budget_min"),
        ({"deadline": dt.date(2020, 1, 1)}, "deadline"),
        ({"modes": []}, "modes"),
        ({"modes": ["barter"]}, "modes"),
        ({"industry": "Q99X"}, "industry"),
        ({"discipline": "12"}, "discipline"),
        ({"country": "ZZ"}, "country"),
        ({"language": "fr"}, "language"),
        ({"trl": 0}, "trl"),
        ({"title": "电池\x1b技术"}, "title"),
        ({"description": "需求\u202e说明"}, "description"),
        ({"title": "   "}, "title"),
    ],
)
def test_m8_1_a_bad_field_is_refused_by_name_and_nothing_is_stored(personas, changes, field):
    with pytest.raises(PolicyError) as refused:
        posted(personas, **changes)
    assert refused.value.field == field
    assert not services.Demand.objects.exists()


def test_m8_1_only_a_person_of_a_verified_enterprise_posts(personas):
    enterprise = personas.organisations[Role.ENTERPRISE]
    for person in (personas.transfer_office, personas.bureau, personas.service_broker):
        with pytest.raises(AccessDenied):
            services.demand_post(actor=person, organisation=enterprise, data=demand_data())
    other = OrganisationFactory(kind="enterprise")
    with pytest.raises(AccessDenied):
        services.demand_post(actor=personas.enterprise, organisation=other, data=demand_data())
    enterprise.verified_at = None
    enterprise.save()
    with pytest.raises(PolicyError) as refused:
        posted(personas)
    assert refused.value.code == "demand.unverified"


def test_m8_1_a_posted_demand_waits_and_the_reviewers_hear_of_it(personas, step):
    demand, written, _mails = step(
        services.demand_post,
        actor=personas.enterprise,
        organisation=personas.organisations[Role.ENTERPRISE],
        data=demand_data(),
    )
    assert demand.status == DemandStatus.PENDING
    assert [(n.kind, n.recipient) for n in written] == [("demand.submitted", personas.bureau)]
    assert AuditEntry.objects.filter(action="demand.posted").count() == 1


def test_m8_1_publishing_tells_the_enterprise_at_once_by_mail_too(personas, step):
    demand = posted(personas)
    demand, written, mails = step(services.demand_publish, actor=personas.bureau, demand=demand)
    assert demand.status == DemandStatus.PUBLISHED and demand.published_at
    assert [(n.kind, n.recipient) for n in written] == [("demand.published", personas.enterprise)]
    assert [m.to for m in mails] == [[personas.enterprise.email]]


def test_m8_1_rejecting_needs_a_reason_and_tells_it(personas, step):
    demand = posted(personas)
    with pytest.raises(PolicyError) as refused:
        services.demand_reject(actor=personas.bureau, demand=demand, reason="  ")
    assert refused.value.field == "reason"
    demand, written, _ = step(
        services.demand_reject, actor=personas.bureau, demand=demand, reason="联系方式不完整"
    )
    assert demand.status == DemandStatus.REJECTED
    (notice,) = written
    assert notice.kind == "demand.rejected" and notice.recipient == personas.enterprise
    assert "联系方式不完整" in notice.params["reason"]


def test_m8_1_only_the_center_moderates_and_only_once(personas):
    demand = posted(personas)
    for person in (personas.enterprise, personas.transfer_office, personas.auditor):
        with pytest.raises(AccessDenied):
            services.demand_publish(actor=person, demand=demand)
    services.demand_publish(actor=personas.bureau, demand=demand)
    with pytest.raises(PolicyError):
        services.demand_reject(actor=personas.bureau, demand=demand, reason="late")


def test_the_author_edits_only_while_pending(personas):
    demand = posted(personas)
    services.demand_update(
        actor=personas.enterprise, demand=demand, data=demand_data(title="新的标题")
    )
    demand.refresh_from_db()
    assert demand.title == "新的标题"
    with pytest.raises(AccessDenied):
        services.demand_update(actor=personas.service_broker, demand=demand, data=demand_data())
    services.demand_publish(actor=personas.bureau, demand=demand)
    with pytest.raises(PolicyError) as refused:
        services.demand_update(actor=personas.enterprise, demand=demand, data=demand_data())
    assert refused.value.code == "demand.not_editable"


def test_m8_4_an_answer_with_a_result_tells_the_enterprise(personas, publish, step):
    demand = published(personas)
    result = publish()
    unit = personas.organisations[Role.TRANSFER_OFFICE]
    answer, written, mails = step(
        services.answer_create,
        actor=personas.transfer_office,
        demand=demand,
        organisation=unit,
        achievement=result,
        proposal="可提供技术许可及现场指导。",
    )
    assert [(n.kind, n.recipient) for n in written] == [("demand.answered", personas.enterprise)]
    assert len(mails) == 1
    services.answer_withdraw(actor=personas.transfer_office, answer=answer)
    answer.refresh_from_db()
    assert answer.withdrawn_at is not None


def test_m8_4_answers_are_refused_when_empty_foreign_or_closed(personas, publish):
    demand = published(personas)
    unit = personas.organisations[Role.TRANSFER_OFFICE]
    broker = personas.organisations[Role.SERVICE_BROKER]
    result = publish()
    with pytest.raises(PolicyError) as refused:
        services.answer_create(actor=personas.transfer_office, demand=demand, organisation=unit)
    assert refused.value.field == "proposal"
    with pytest.raises(PolicyError) as refused:  # a broker offers no unit's result
        services.answer_create(
            actor=personas.service_broker, demand=demand, organisation=broker, achievement=result
        )
    assert refused.value.field == "achievement"
    with pytest.raises(AccessDenied):
        services.answer_create(
            actor=personas.enterprise, demand=demand, organisation=unit, proposal="x"
        )
    services.answer_create(
        actor=personas.service_broker, demand=demand, organisation=broker, proposal="撮合服务"
    )
    services.demand_close(actor=personas.enterprise, demand=demand, met=False)
    with pytest.raises(PolicyError) as refused:
        services.answer_create(
            actor=personas.service_broker, demand=demand, organisation=broker, proposal="again"
        )
    assert refused.value.code == "demand.closed"


def test_only_its_author_withdraws_an_answer(personas):
    demand = published(personas)
    broker = personas.organisations[Role.SERVICE_BROKER]
    answer = services.answer_create(
        actor=personas.service_broker, demand=demand, organisation=broker, proposal="方案"
    )
    with pytest.raises(AccessDenied):
        services.answer_withdraw(actor=personas.enterprise, answer=answer)


@pytest.fixture
def licence(personas, publish):
    from kttc.policy.licensing import Stage
    from kttc.reform.licensing import services as licences

    unit = personas.organisations[Role.TRANSFER_OFFICE]
    result = publish()
    result.refresh_from_db()
    offer = licences.licence_offer(
        actor=personas.transfer_office,
        unit=unit,
        achievement=result,
        term_years=5,
        payment_model="staged_royalty",
    )
    return licences.licence_conclude(
        actor=personas.transfer_office,
        offer=offer,
        licensee=personas.organisations[Role.ENTERPRISE],
        starts_on=dt.date(2026, 12, 1),
        stages=[Stage(Decimal("1000.00"), due=dt.date(2027, 6, 1))],
        royalty_rate=Decimal("0.05"),
    )


def test_m8_1_a_demand_closes_as_met_by_the_licence_the_enterprise_holds(personas, licence):
    demand = published(personas)
    closed = services.demand_close(
        actor=personas.enterprise, demand=demand, met=True, licence=licence
    )
    assert closed.status == DemandStatus.CLOSED_MET and closed.met_licence == licence
    entry = AuditEntry.objects.get(action="demand.closed_met")
    assert entry.after["met_licence"] == licence.pk


def test_a_licence_of_another_enterprise_cannot_close_a_demand_as_met(personas, licence):
    other = OrganisationFactory(kind="enterprise")
    licence.licensee = other
    licence.save()
    demand = published(personas)
    with pytest.raises(PolicyError) as refused:
        services.demand_close(actor=personas.enterprise, demand=demand, met=True, licence=licence)
    assert refused.value.field == "licence"


def test_m8_1_the_sweep_expires_past_deadlines_and_tells_once(personas, publish):
    open_one = published(personas)
    waiting = posted(personas, title="待审核需求")
    later = in_days(61)
    counts = sweep.run(later)
    assert counts["demands expired (M8.1)"] == 2
    for demand in (open_one, waiting):
        demand.refresh_from_db()
        assert demand.status == DemandStatus.EXPIRED
    told = Notification.objects.filter(kind="demand.expired")
    assert told.count() == 2 and {n.recipient for n in told} == {personas.enterprise}
    again = sweep.run(later)
    assert again["demands expired (M8.1)"] == 0
    assert told.count() == 2


def test_m8_1_kttc_sweep_runs_the_center_part_twice_with_one_notice(personas):
    published(personas)
    later = in_days(61).isoformat()
    call_command("sweep", "--today", later, "--no-mail")
    call_command("sweep", "--today", later, "--no-mail")
    assert Notification.objects.filter(kind="demand.expired").count() == 1
