"""Innovation vouchers (M12.2): the bureau opens a programme, enterprises apply, the bureau
issues within the budget or refuses, the enterprise presents its voucher to a certified
institution (M9.1) which redeems it once, before it expires; the sweep expires the rest and
returns their value; every step audited with its clauses and its people notified; each refusal
names its field and clause; each persona may do only its part."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from kttc.center.institutions import services as institution_services
from kttc.center.institutions.models import CertificationApplication
from kttc.center.vouchers import selectors, services, sweep
from kttc.center.vouchers.models import Voucher, VoucherApplication, VoucherProgramme
from kttc.center.vouchers.tests.factories import (
    DAY,
    applied,
    enterprise,
    institution,
    issued,
    presented,
    programme,
    service,
    terms,
)
from kttc.core.errors import AccessDenied
from kttc.core.models import AuditEntry, Notification
from kttc.core.selectors import audit_chain_verify
from kttc.policy.errors import PolicyError
from kttc.policy.identifiers import make_uscc
from kttc.policy.roles import Role

pytestmark = pytest.mark.django_db


def _refused(call, **kwargs) -> PolicyError:
    with pytest.raises(PolicyError) as refused:
        call(**kwargs)
    return refused.value


def _told(user, kind: str) -> int:
    return Notification.objects.filter(recipient=user, kind=kind).count()


def test_m12_2_the_bureau_opens_a_programme_and_enterprises_hear_of_it(personas):
    found = programme(personas)
    assert (found.budget, found.value, found.services) == (
        Decimal("100000.00"), Decimal("20000.00"), ["evaluation", "ip_services", "testing"],
    )  # fmt: skip
    entry = AuditEntry.objects.get(action="voucher.programme_open")
    assert entry.clauses == ["M12.2"] and entry.after["budget"] == "100000.00"
    assert _told(personas.enterprise, "voucher.programme_opened") == 1
    assert _told(personas.researcher, "voucher.programme_opened") == 0
    refused = _refused(programme, personas=personas, value=Decimal("100000.01"))
    assert (refused.field, refused.clauses) == ("value", ("M12.2",))
    for persona in (personas.enterprise, personas.service_broker, personas.auditor):
        with pytest.raises(AccessDenied):
            services.programme_open(actor=persona, terms=terms(), today=DAY)
    assert VoucherProgramme.objects.count() == 1


def test_m12_2_an_enterprise_applies_and_the_bureau_issues_a_voucher(personas):
    application = applied(personas)
    assert _told(personas.bureau, "voucher.applied") == 1
    assert [a.pk for a in selectors.applications_waiting()] == [application.pk]
    voucher = services.voucher_issue(
        actor=personas.bureau, application=application, value="12000.005", today=DAY
    )
    assert (voucher.value, voucher.status, voucher.expires_on) == (
        Decimal("12000.01"), "issued", DAY + dt.timedelta(days=90),
    )  # fmt: skip
    assert len(voucher.code) == 10
    application.refresh_from_db()
    voucher.programme.refresh_from_db()
    assert application.status == "issued" and voucher.programme.committed == Decimal("12000.01")
    assert _told(personas.enterprise, "voucher.issued") == 1
    entry = AuditEntry.objects.get(action="voucher.issue")
    assert entry.clauses == ["M12.2"] and entry.after["code"] == voucher.code
    assert audit_chain_verify().intact


def test_m12_2_a_fixed_programme_issues_its_value_and_the_bureau_may_refuse(personas):
    found = programme(personas, value_mode="fixed", value=Decimal("5000.00"))
    voucher = issued(personas, found, amount="5000")
    assert voucher.value == Decimal("5000.00")
    application = applied(personas, found, amount="3000", service="ip_services")
    refused = _refused(
        services.voucher_issue, actor=personas.bureau, application=application, value="4000",
        today=DAY,
    )  # fmt: skip
    assert (refused.field, refused.code) == ("value", "voucher.fixed_value")
    assert (
        _refused(
            services.voucher_refuse, actor=personas.bureau, application=application, reason=" "
        ).field
        == "reason"
    )
    services.voucher_refuse(
        actor=personas.bureau, application=application, reason="本年度同类检测已获支持", today=DAY
    )
    application.refresh_from_db()
    assert (application.status, application.reason) == ("refused", "本年度同类检测已获支持")
    assert _told(personas.enterprise, "voucher.refused") == 1
    again = _refused(services.voucher_refuse, actor=personas.bureau, application=application,
                     reason="x")  # fmt: skip
    assert again.code == "voucher.decided"
    assert AuditEntry.objects.get(action="voucher.refuse").clauses == ["M12.2"]


def test_m12_2_the_budget_is_never_exceeded_and_the_refusal_names_the_clause(personas):
    found = programme(personas, budget=Decimal("30000.00"))
    issued(personas, found, amount="20000")
    application = applied(personas, found, amount="10000.01")
    refused = _refused(
        services.voucher_issue, actor=personas.bureau, application=application, today=DAY
    )
    assert (refused.code, refused.clauses) == ("voucher.budget", ("M12.2",))
    assert refused.message.startswith("M12.2") and "10000.00" in refused.message
    found.refresh_from_db()
    assert found.committed == Decimal("20000.00") and Voucher.objects.count() == 1
    voucher = services.voucher_issue(
        actor=personas.bureau, application=application, value="10000", today=DAY
    )
    found.refresh_from_db()
    assert voucher.value == Decimal("10000.00") and found.committed == found.budget


def test_m12_2_applications_are_refused_naming_the_clause(personas):
    found = programme(personas)
    company = enterprise(personas)
    assert _refused(applied, personas=personas, found=found, amount="20000.01").field == "amount"
    assert _refused(applied, personas=personas, found=found, service="finance_services").field == (
        "service"
    )
    late = _refused(applied, personas=personas, found=found, today=DAY + dt.timedelta(days=31))
    assert late.code == "voucher.not_open"
    company.credit_code = make_uscc("91110108MA0000001")  # Beijing, Haidian
    company.save()
    refused = _refused(applied, personas=personas, found=found)
    assert (refused.code, refused.clauses) == ("voucher.local", ("M12.2",))
    company.verified_at = None
    company.save()
    assert _refused(applied, personas=personas, found=found).code == "voucher.unverified"
    assert not VoucherApplication.objects.exists()


def test_m12_2_one_waiting_application_and_a_closed_programme_takes_none(personas):
    found = programme(personas)
    applied(personas, found)
    assert _refused(applied, personas=personas, found=found).code == "voucher.waiting"
    services.programme_close(actor=personas.bureau, programme=found, today=DAY)
    found.refresh_from_db()
    assert found.status == "closed"
    assert _told(personas.enterprise, "voucher.programme_closed") == 1
    assert AuditEntry.objects.get(action="voucher.programme_close").clauses == ["M12.2"]
    VoucherApplication.objects.all().delete()
    assert _refused(applied, personas=personas, found=found).code == "voucher.not_open"


def test_only_each_persona_does_its_part(personas):
    found = programme(personas)
    for persona in (personas.service_broker, personas.transfer_office, personas.bureau):
        with pytest.raises(AccessDenied):
            services.voucher_apply(
                actor=persona, enterprise=enterprise(personas), programme=found,
                service="testing", amount="1000", purpose="x", today=DAY,
            )  # fmt: skip
    application = applied(personas, found)
    for persona in (personas.enterprise, personas.service_broker, personas.auditor):
        with pytest.raises(AccessDenied):
            services.voucher_issue(actor=persona, application=application, today=DAY)
    voucher = services.voucher_issue(actor=personas.bureau, application=application, today=DAY)
    with pytest.raises(AccessDenied):
        services.voucher_present(
            actor=personas.service_broker, voucher=voucher,
            institution=institution(personas), today=DAY,
        )  # fmt: skip
    presented(personas, voucher)
    for persona in (personas.enterprise, personas.bureau):
        with pytest.raises(AccessDenied):
            services.voucher_redeem(
                actor=persona, voucher=voucher, institution=institution_of(personas),
                service=service(), today=DAY,
            )  # fmt: skip


def institution_of(personas):
    return personas.organisations[Role.SERVICE_BROKER]


def test_m12_2_the_certified_institution_redeems_once_and_the_unspent_part_returns(personas):
    voucher = presented(personas, issued(personas, amount="15000"))
    assert _told(personas.service_broker, "voucher.presented") == 1
    assert [v.pk for v in selectors.vouchers_presented(institution_of(personas), DAY)] == [
        voucher.pk
    ]
    redemption = services.voucher_redeem(
        actor=personas.service_broker, voucher=voucher, institution=institution_of(personas),
        service=service(amount="12000.00"), today=DAY,
    )  # fmt: skip
    voucher.refresh_from_db()
    voucher.programme.refresh_from_db()
    assert voucher.status == "redeemed" and redemption.amount == Decimal("12000.00")
    assert voucher.programme.committed == Decimal("12000.00")  # 3000 returned to the budget
    assert _told(personas.enterprise, "voucher.redeemed") == 1
    assert _told(personas.bureau, "voucher.redeemed") == 1
    entry = AuditEntry.objects.get(action="voucher.redeem")
    assert entry.clauses == ["M12.2", "M9.1"] and entry.after["invoice_number"] == "53001234"
    twice = _refused(
        services.voucher_redeem, actor=personas.service_broker, voucher=voucher,
        institution=institution_of(personas), service=service(invoice_number="53009999"),
        today=DAY,
    )  # fmt: skip
    assert twice.code == "voucher.redeemed"
    other = presented(personas, issued(personas, voucher.programme, amount="5000"))
    reused = _refused(
        services.voucher_redeem, actor=personas.service_broker, voucher=other,
        institution=institution_of(personas), service=service(amount="5000"), today=DAY,
    )  # fmt: skip
    assert (reused.field, reused.code) == ("invoice_number", "voucher.invoice_used")
    assert audit_chain_verify().intact


def test_m12_2_redemption_refusals_name_their_clause(personas):
    voucher = presented(personas, issued(personas, amount="15000"))
    kwargs = {
        "actor": personas.service_broker, "voucher": voucher,
        "institution": institution_of(personas), "today": DAY,
    }  # fmt: skip
    over = _refused(services.voucher_redeem, service=service(amount="15000.01"), **kwargs)
    assert (over.field, over.code) == ("amount", "voucher.over_voucher")
    bad = _refused(services.voucher_redeem, service=service(invoice_number="53 00"), **kwargs)
    assert bad.field == "invoice_number"
    late = _refused(
        services.voucher_redeem, service=service(), **{**kwargs, "today": voucher.expires_on
        + dt.timedelta(days=1)},
    )  # fmt: skip
    assert (late.code, late.clauses) == ("voucher.expired", ("M12.2",))
    certification = CertificationApplication.objects.get()
    institution_services.certification_revoke(
        actor=personas.bureau, application=certification, reason="年度考核不合格", today=DAY
    )
    uncertified = _refused(services.voucher_redeem, service=service(), **kwargs)
    assert uncertified.code == "voucher.uncertified"
    assert uncertified.clauses == ("M12.2", "M9.1") and "M9.1" in uncertified.message
    voucher.refresh_from_db()
    assert (
        voucher.status == "issued"
        and not AuditEntry.objects.filter(action="voucher.redeem").exists()
    )


def test_m12_2_an_uncertified_institution_is_refused_when_presented_and_must_be_the_chosen_one(
    personas,
):
    voucher = issued(personas)
    stranger = personas.organisations[Role.SERVICE_BROKER]
    refused = _refused(
        services.voucher_present, actor=personas.enterprise, voucher=voucher,
        institution=stranger, today=DAY,
    )  # fmt: skip
    assert (refused.code, refused.clauses) == ("voucher.uncertified", ("M12.2", "M9.1"))
    institution(personas)
    not_presented = _refused(
        services.voucher_redeem, actor=personas.service_broker, voucher=voucher,
        institution=stranger, service=service(), today=DAY,
    )  # fmt: skip
    assert not_presented.code == "voucher.not_presented"


def test_m12_2_the_sweep_expires_once_returns_the_value_and_tells_once(personas):
    found = programme(personas)
    kept = presented(personas, issued(personas, found, amount="8000"))
    services.voucher_redeem(
        actor=personas.service_broker, voucher=kept, institution=institution_of(personas),
        service=service(amount="8000"), today=DAY,
    )  # fmt: skip
    lapsed = issued(personas, found, amount="5000", service="evaluation")
    found.refresh_from_db()
    assert found.committed == Decimal("13000.00")
    assert sweep.run(lapsed.expires_on)["innovation vouchers expired (M12.2)"] == 0
    after = lapsed.expires_on + dt.timedelta(days=1)
    counts = sweep.run(after)
    assert counts["innovation vouchers expired (M12.2)"] == 1
    assert counts["enterprises told of an expired voucher"] == 1
    assert sweep.run(after)["innovation vouchers expired (M12.2)"] == 0
    lapsed.refresh_from_db()
    found.refresh_from_db()
    assert lapsed.status == "expired" and found.committed == Decimal("8000.00")
    assert _told(personas.enterprise, "voucher.expired") == 1
    assert _told(personas.bureau, "voucher.expired_for_bureau") == 1
    assert AuditEntry.objects.get(action="voucher.expire").clauses == ["M12.2"]
    assert audit_chain_verify().intact
    report = selectors.report(found)
    assert (report.total.redeemed, report.total.expired, report.remaining) == (
        Decimal("8000.00"), Decimal("5000.00"), Decimal("92000.00"),
    )  # fmt: skip
    assert report.by_service["evaluation"].expired == Decimal("5000.00")
    assert report.by_institution[institution_of(personas).name].redeemed == Decimal("8000.00")


def test_m12_2_the_database_refuses_a_programme_committed_past_its_budget(personas):
    from django.db import IntegrityError, transaction
    from django.db.models import F

    found = programme(personas, budget=Decimal("30000.00"))
    with pytest.raises(IntegrityError), transaction.atomic():
        VoucherProgramme.objects.filter(pk=found.pk).update(committed=F("budget") + Decimal("0.01"))
    with pytest.raises(IntegrityError), transaction.atomic():
        VoucherProgramme.objects.filter(pk=found.pk).update(committed=Decimal("-0.01"))
    found.refresh_from_db()
    assert found.committed == Decimal("0.00")
