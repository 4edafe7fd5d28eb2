"""M9.1, DESIGN rule 9: the bureau's clerks record the subsidy of one certification at the same
moment: exactly one subsidy is stored, the others are refused (``subsidy.once``), none fails
otherwise, and the chain stays intact. The same for two rewards of one subsidy (M9.2). Meant for
PostgreSQL (the chain's advisory lock, then the certification's row); on a file SQLite database
the writers are serialised."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import connection, connections

from kttc.center.institutions import services
from kttc.center.institutions.models import (
    BrokerReward,
    BrokerRewardLine,
    CertificationApplication,
    Subsidy,
)
from kttc.center.institutions.tests.factories import DAY, certified, institution
from kttc.core.models import AuditEntry
from kttc.core.selectors import audit_chain_verify
from kttc.policy.errors import PolicyError

pytestmark = pytest.mark.django_db(transaction=True)

CLERKS = 8


def _at_once(work) -> tuple[list[str], list[BaseException]]:
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("an in-memory SQLite database is one connection; nothing runs concurrently")
    start = threading.Barrier(CLERKS)
    refused: list[str] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            start.wait()
            try:
                work()
            except PolicyError as exc:
                refused.append(exc.code)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(CLERKS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return refused, errors


def test_m9_1_simultaneous_subsidy_records_of_one_certification_store_exactly_one(personas):
    certification = certified(personas)

    def record() -> None:
        services.subsidy_record(
            actor=personas.bureau,
            certification=CertificationApplication(pk=certification.pk),
            disbursed_on=DAY,
            today=DAY,
        )

    refused, errors = _at_once(record)
    assert errors == []
    assert refused == ["subsidy.once"] * (CLERKS - 1)
    assert Subsidy.objects.filter(certification_id=certification.pk).count() == 1
    assert AuditEntry.objects.filter(action="institution.subsidy_record").count() == 1
    assert audit_chain_verify().intact


def test_m9_2_simultaneous_rewards_of_one_subsidy_store_exactly_one(personas):
    found = institution(personas)
    certification = certified(personas, found)
    subsidy = services.subsidy_record(
        actor=personas.bureau, certification=certification, disbursed_on=DAY, today=DAY
    )
    a, b = found.brokers

    def decide() -> None:
        services.reward_decide(
            actor=found.staff,
            subsidy=Subsidy(pk=subsidy.pk),
            reward=services.Reward(Decimal("10000.00"), {a.pk: Decimal(70), b.pk: Decimal(30)}),
            today=DAY,
        )

    refused, errors = _at_once(decide)
    assert errors == []
    assert refused == ["reward.once"] * (CLERKS - 1)
    assert BrokerReward.objects.count() == 1 and BrokerRewardLine.objects.count() == 2
    assert audit_chain_verify().intact


def test_m9_simultaneous_namings_of_one_broker_on_one_licence_store_exactly_one(personas):
    """Staff of the unit name the same broker on the same licence at once: one name is stored,
    the others are refused (``facilitation.twice``), and the broker hears of it once."""
    from kttc.center.institutions import facilitations
    from kttc.center.institutions.models import BrokerProfile, Facilitation
    from kttc.center.institutions.tests.test_facilitations import _abroad, _licence
    from kttc.center.listings.tests.factories import published_result
    from kttc.core.models import Notification

    broker = institution(personas).brokers[0]
    result = published_result(personas)
    licence = _licence(personas, result, _abroad("LA", "LA-0101"), "50000.00", [])

    def name() -> None:
        facilitations.facilitation_record(
            actor=personas.transfer_office, broker=BrokerProfile(pk=broker.pk),
            kind="licence", deal_id=licence.pk,
        )  # fmt: skip

    refused, errors = _at_once(name)
    assert errors == []
    assert refused == ["facilitation.twice"] * (CLERKS - 1)
    assert Facilitation.objects.filter(licence_id=licence.pk, removed_at__isnull=True).count() == 1
    assert AuditEntry.objects.filter(action="institution.facilitation_record").count() == 1
    assert Notification.objects.filter(kind="institution.facilitated").count() == 1
    assert audit_chain_verify().intact
