"""M12.2, DESIGN rule 9: the bureau's clerks issue many vouchers of one programme at the same
moment against a budget that fits only some: exactly as many as fit are issued, the others are
refused naming M12.2, the programme never passes its budget and the chain stays intact. Meant
for PostgreSQL (the chain's advisory lock, then the programme's row); on a file SQLite database
the writers are serialised."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import connection, connections
from django.db.models import Sum

from kttc.center.vouchers import services
from kttc.center.vouchers.models import Voucher, VoucherApplication
from kttc.center.vouchers.tests.factories import DAY, programme
from kttc.core.models import AuditEntry, Membership
from kttc.core.selectors import audit_chain_verify
from kttc.core.tests.factories import OrganisationFactory, UserFactory
from kttc.policy.errors import PolicyError
from kttc.policy.roles import OrganisationKind, Role

pytestmark = pytest.mark.django_db(transaction=True)

CLERKS = 8
FITS = 5


def _applications(personas, found) -> list[int]:
    out = []
    for n in range(CLERKS):
        company = OrganisationFactory(kind=OrganisationKind.ENTERPRISE.value)
        person = UserFactory(email=f"company{n}@vouchers.example")
        Membership.objects.create(user=person, organisation=company, role=Role.ENTERPRISE)
        application = services.voucher_apply(
            actor=person, enterprise=company, programme=found, service="testing",
            amount="10000", purpose="检测服务", today=DAY,
        )  # fmt: skip
        out.append(application.pk)
    return out


def test_m12_2_vouchers_issued_at_once_never_pass_the_budget(personas):
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("an in-memory SQLite database is one connection; nothing runs concurrently")
    found = programme(personas, budget=Decimal(FITS * 10000), value=Decimal("10000.00"))
    pks = _applications(personas, found)
    start = threading.Barrier(CLERKS)
    refused: list[PolicyError] = []
    errors: list[BaseException] = []

    def issue(pk: int) -> None:
        try:
            start.wait()
            try:
                services.voucher_issue(
                    actor=personas.bureau, application=VoucherApplication(pk=pk), today=DAY
                )
            except PolicyError as exc:
                refused.append(exc)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue, args=(pk,)) for pk in pks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert [e.code for e in refused] == ["voucher.budget"] * (CLERKS - FITS)
    assert all(e.message.startswith("M12.2") for e in refused)
    found.refresh_from_db()
    assert Voucher.objects.count() == FITS
    assert Voucher.objects.aggregate(s=Sum("value"))["s"] == found.committed == found.budget
    assert VoucherApplication.objects.filter(status="submitted").count() == CLERKS - FITS
    assert AuditEntry.objects.filter(action="voucher.issue").count() == FITS
    assert audit_chain_verify().intact
