"""Concurrent writers on one licence and its contract (DESIGN rule 9, M3.2, M5.2, M14.1): the
transfer office records payments, milestones, costs, breaches and takes the payments over as
the contract's income while the enterprise reports revenue and answers credit records, all at
once through the API. Every decision takes the audit chain's lock before any row lock, so none
of them deadlocks: no server error, nothing lost, the sums right to the fen and the chain
intact. Meant for PostgreSQL (row locks, deferred foreign keys, an advisory lock); it runs on a
file SQLite database too, where IMMEDIATE transactions serialise the writers."""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter
from decimal import Decimal

import pytest
from django.db import connection, connections
from django.test import Client

from kttc.benefits.contracts import services as benefits
from kttc.benefits.models import ContractIncome, DeductibleCost
from kttc.core import services as core_services
from kttc.core.selectors import audit_chain_verify
from kttc.policy.licensing import Stage
from kttc.policy.roles import Role
from kttc.reform.licensing import credit
from kttc.reform.licensing import services as licences
from kttc.reform.models import CreditRecord, LicenceInstalment, LicencePayment, RevenueReport
from kttc.reform.tests.factories import published_result

pytestmark = pytest.mark.django_db(transaction=True)

WRITERS = 24
ROUNDS = 4
PAYMENT = Decimal("100.01")
REVENUE = Decimal("1234.57")
RATE = Decimal("0.05")


def _skip_in_memory() -> None:
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("an in-memory SQLite database is one connection; nothing runs concurrently")


def _licence_with_contract(personas):
    unit = personas.organisations[Role.TRANSFER_OFFICE]
    office = personas.transfer_office
    result = published_result(personas, unit)
    offer = licences.licence_offer(
        actor=office, unit=unit, achievement=result, term_years=5, payment_model="staged_royalty"
    )
    licence = licences.licence_conclude(
        actor=office,
        offer=offer,
        licensee=personas.organisations[Role.ENTERPRISE],
        starts_on=dt.date(2026, 1, 1),
        stages=[
            Stage(Decimal("1000.00"), due=dt.date(2026, 6, 1)),
            Stage(Decimal("2000.00"), milestone="中试完成"),
        ],
        royalty_rate=RATE,
    )
    contract = benefits.contract_create(
        actor=office,
        unit=unit,
        kind="licence",
        title="专利实施许可合同",
        counterparty="云岭智造科技有限公司",
        signed_on=dt.date(2026, 1, 1),
        amount=Decimal("90000"),
        licence=licence,
    )
    return licence, contract


def _token(person) -> str:
    _token_row, key = core_services.api_token_create(user=person, name="concurrency")
    return f"Bearer {key}"


def test_rule_9_mixed_writers_on_one_licence_never_deadlock_and_lose_nothing(personas):
    _skip_in_memory()
    licence, contract = _licence_with_contract(personas)
    office, firm = _token(personas.transfer_office), _token(personas.enterprise)
    record = credit.licence_breach_declare(
        actor=personas.transfer_office, licence=licence, reason="逾期未付第一期"
    )
    statuses: Counter[tuple[str, int]] = Counter()
    errors: list[BaseException] = []
    start = threading.Barrier(WRITERS)

    def calls(writer: int, round_: int) -> tuple[str, str, str, dict[str, object]]:
        """What writer ``writer`` sends in round ``round_``: six kinds, by two roles."""
        kind = writer % 6
        day = dt.date(2026, 7, 1) + dt.timedelta(days=writer * ROUNDS + round_)
        if kind == 0:
            return "payment", office, f"/api/v1/licences/{licence.pk}/payments", {
                "amount": str(PAYMENT), "paid_on": day.isoformat()}  # fmt: skip
        if kind == 1:
            month = dt.date(2000 + writer, 1 + round_, 1)  # periods over (M3.2)
            return "revenue", firm, f"/api/v1/licences/{licence.pk}/revenue-reports", {
                "period_start": month.isoformat(),
                "period_end": (month + dt.timedelta(days=27)).isoformat(),
                "revenue": str(REVENUE)}  # fmt: skip
        if kind == 2:
            return "takeover", office, f"/api/v1/contracts/{contract.pk}/licence-income", {}
        if kind == 3:
            return "milestone", office, f"/api/v1/licences/{licence.pk}/milestones", {
                "milestone": "中试完成", "on": day.isoformat()}  # fmt: skip
        if kind == 4:
            return "cost", office, f"/api/v1/contracts/{contract.pk}/costs", {
                "amount": "10.00", "reason": "专利年费",
                "incurred_on": day.isoformat()}  # fmt: skip
        return "answer", firm, f"/api/v1/licences/credit-records/{record.pk}/answer", {
            "answer": f"第{writer}-{round_}次说明"}  # fmt: skip

    def write(writer: int) -> None:
        client = Client(raise_request_exception=False)
        try:
            start.wait()
            for round_ in range(ROUNDS):
                kind, auth, url, body = calls(writer, round_)
                answer = client.post(
                    url, body, content_type="application/json", HTTP_AUTHORIZATION=auth
                )
                statuses[(kind, answer.status_code)] += 1
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(w,)) for w in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not errors
    assert not any(thread.is_alive() for thread in threads)
    assert not [k for k in statuses if k[1] >= 500], statuses

    by_kind = Counter()
    for (kind, _status), n in statuses.items():
        by_kind[kind] += n
    ok = Counter(k for (k, s), n in statuses.items() if s in (200, 201) for _ in range(n))
    # Writers of each kind: payments, revenue, costs and answers all succeed, each stored once.
    payments = LicencePayment.objects.filter(licence=licence)
    assert ok["payment"] == by_kind["payment"] == payments.count()
    assert sum(p.amount for p in payments) == PAYMENT * ok["payment"]
    reports = RevenueReport.objects.filter(licence=licence)
    assert ok["revenue"] == by_kind["revenue"] == reports.count()
    royalty = (REVENUE * RATE).quantize(Decimal("0.01"))
    royalties = LicenceInstalment.objects.filter(licence=licence, trigger="royalty")
    assert royalties.count() == reports.count()
    assert sum(r.amount for r in royalties) == royalty * reports.count()
    assert sorted(royalties.values_list("number", flat=True)) == list(
        range(3, 3 + reports.count())
    )
    assert ok["cost"] == by_kind["cost"] == DeductibleCost.objects.filter(contract=contract).count()
    assert ok["answer"] == by_kind["answer"]
    assert CreditRecord.objects.get(pk=record.pk).answer
    # The milestone is recorded once; the others are refused with the clause, not a 500.
    assert ok["milestone"] == 1
    assert statuses[("milestone", 400)] == by_kind["milestone"] - 1
    # Every payment became the contract's income at most once; one more takeover gets the rest.
    assert ok["takeover"] == by_kind["takeover"]
    benefits.income_from_licence(actor=personas.transfer_office, contract=contract)
    incomes = ContractIncome.objects.filter(contract=contract, licence_payment__isnull=False)
    assert incomes.count() == payments.count()
    assert sum(i.amount for i in incomes) == sum(p.amount for p in payments)
    assert audit_chain_verify().intact


def test_rule_9_concurrent_takeovers_of_the_same_payments_store_each_once(personas):
    """Eight offices' clicks at once on "take over the licence payments": each payment becomes
    income once; the late clicks find nothing left and answer an empty list, never a 500."""
    _skip_in_memory()
    licence, contract = _licence_with_contract(personas)
    for n in range(5):
        licences.payment_record(
            actor=personas.transfer_office,
            licence=licence,
            amount=PAYMENT,
            paid_on=dt.date(2026, 7, 1 + n),
        )
    office = _token(personas.transfer_office)
    answers: list[tuple[int, int]] = []
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def take() -> None:
        client = Client(raise_request_exception=False)
        try:
            start.wait()
            answer = client.post(
                f"/api/v1/contracts/{contract.pk}/licence-income",
                {},
                content_type="application/json",
                HTTP_AUTHORIZATION=office,
            )
            answers.append((answer.status_code, len(answer.json())))
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=take) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors
    assert sorted(answers) == [(200, 0)] * 7 + [(200, 5)]
    assert ContractIncome.objects.filter(contract=contract).count() == 5
    assert audit_chain_verify().intact
