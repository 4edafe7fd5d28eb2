"""Technology finance (M12.1, M12.3): a bank's products; an enterprise's application, pledging
granted patents of its own results with their signed evaluations (M10.1); the bank's approval
with the pledge's registration, or refusal saying why; a patent under an active pledge is not
pledged again; the schedule to the fen and the repayments until the pledge is released;
guarantees and insurance; each step audited with its clause, its people notified, each persona
allowed only its own part; the sweep's overdue notice, once."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from kttc.center.evaluation.models import Evaluation
from kttc.center.finance import selectors, services, sweep
from kttc.center.finance.models import FinanceApplication, Instalment, Pledge
from kttc.center.finance.tests.factories import (
    DAY,
    PATENT,
    applied,
    approved,
    enterprise_result,
    grant,
    patent,
    product,
    product_data,
    request,
)
from kttc.core.errors import AccessDenied
from kttc.core.models import AuditEntry, Notification
from kttc.core.selectors import audit_chain_verify
from kttc.policy.errors import PolicyError
from kttc.policy.roles import Role

pytestmark = pytest.mark.django_db


def _refused(call, **kwargs) -> PolicyError:
    with pytest.raises(PolicyError) as refused:
        call(**kwargs)
    return refused.value


def _told(user, kind: str) -> int:
    return Notification.objects.filter(recipient=user, kind=kind).count()


def _signed(personas, result) -> Evaluation:
    return Evaluation.objects.create(
        result=result,
        requester=personas.organisations[Role.ENTERPRISE],
        requester_kind="enterprise",
        requested_by=personas.enterprise,
        institution=personas.organisations[Role.SERVICE_BROKER],
        purpose="质押融资",
        status="signed",
        requested_on=DAY,
        total=Decimal("82.50"),
        signed_at=timezone.now(),
    )


def test_m12_1_a_bank_publishes_its_products_and_others_may_not(personas):
    found = product(personas)
    assert (found.kind, found.amount_min, found.rate, found.is_open) == (
        "pledge_loan", Decimal("100000.00"), Decimal("3.850"), True,
    )  # fmt: skip
    entry = AuditEntry.objects.get(action="finance.product_publish")
    assert entry.clauses == ["M12.1"]
    for persona in ("enterprise", "bureau", "transfer_office"):
        with pytest.raises(AccessDenied):
            services.product_publish(
                actor=getattr(personas, persona),
                bank=personas.organisations[Role.FINANCIAL_INSTITUTION],
                data=product_data(),
            )
    refused = _refused(
        services.product_publish, actor=personas.financial_institution,
        bank=personas.organisations[Role.FINANCIAL_INSTITUTION],
        data=product_data(name_en=""),
    )  # fmt: skip
    assert (refused.field, refused.clauses) == ("name_en", ("M12.1",))


def test_m12_3_an_insurance_names_what_it_covers_and_is_audited_under_m12_3(personas):
    refused = _refused(
        services.product_publish, actor=personas.financial_institution,
        bank=personas.organisations[Role.FINANCIAL_INSTITUTION],
        data=product_data("insurance", purposes=()),
    )  # fmt: skip
    assert (refused.field, refused.clauses) == ("purposes", ("M12.3",))
    found = product(personas, "insurance", purposes=("ip", "data_security"))
    assert found.purposes == ["ip", "data_security"]
    assert AuditEntry.objects.get(action="finance.product_publish").clauses == ["M12.3"]


def test_m12_1_an_enterprise_pledges_its_patents_with_their_signed_evaluations(personas):
    result = enterprise_result(personas)
    evaluation = _signed(personas, result)
    application = applied(personas, product(personas))
    assert application.status == "submitted"
    pledge = Pledge.objects.get(application=application)
    assert (pledge.patent_number, pledge.state, pledge.achievement_id) == (
        PATENT, "requested", result.pk,
    )  # fmt: skip
    assert list(application.evaluations.all()) == [evaluation]
    entry = AuditEntry.objects.get(action="finance.apply")
    assert entry.clauses == ["M12.1"] and entry.after["evaluations"] == [evaluation.pk]
    assert _told(personas.financial_institution, "finance.applied") == 1
    assert audit_chain_verify().intact


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"amount": "99999"}, "amount", "finance.amount_outside"),
        ({"term": 48}, "term", "finance.term_outside"),
        ({"patents": ()}, "patents", "finance.no_pledge"),
        ({"patents": (patent(7),)}, "patents", "finance.not_yours"),
        ({"patents": ("201710601862.4",)}, "patents", "patent.check_char"),
        ({"purpose": " "}, "purpose", "required"),
    ],
)
def test_m12_1_a_wrong_application_is_refused_on_its_field_and_nothing_stored(
    personas, changes, field, code
):
    enterprise_result(personas)
    found = product(personas)
    refused = _refused(
        services.application_file, actor=personas.enterprise,
        applicant=personas.organisations[Role.ENTERPRISE], product=found,
        request=request(**changes), today=DAY,
    )  # fmt: skip
    assert (refused.field, refused.code, refused.clauses) == (field, code, ("M12.1",))
    assert not FinanceApplication.objects.exists()


def test_m12_1_a_closed_product_takes_no_application_and_only_enterprises_apply(personas):
    enterprise_result(personas)
    found = product(personas)
    for persona in ("financial_institution", "transfer_office", "bureau"):
        with pytest.raises(AccessDenied):
            services.application_file(
                actor=getattr(personas, persona),
                applicant=personas.organisations[Role.ENTERPRISE], product=found,
                request=request(), today=DAY,
            )  # fmt: skip
    services.product_update(
        actor=personas.financial_institution, product=found, data=product_data(is_open=False)
    )
    refused = _refused(applied, personas=personas, found=found)
    assert (refused.code, refused.clauses) == ("finance.closed", ("M12.1",))
    assert not selectors.public_products().exists()


def test_m12_1_the_bank_approves_a_pledge_loan_with_its_registration_and_schedule(personas):
    enterprise_result(personas)
    application = approved(personas, applied(personas, product(personas)))
    assert (application.status, application.approved_amount, application.approved_term) == (
        "approved", Decimal("800000.00"), 24,
    )  # fmt: skip
    assert (application.registration_number, application.registered_on) == ("KM-ZY-2026-001", DAY)
    assert Pledge.objects.get().state == "active"
    instalments = list(Instalment.objects.filter(application=application))
    assert len(instalments) == 24
    assert sum(i.principal for i in instalments) == Decimal("800000.00")
    assert instalments[0].due_on == dt.date(2027, 1, 4)
    assert selectors.outstanding(application) == sum(i.amount for i in instalments)
    entry = AuditEntry.objects.get(action="finance.approve")
    assert entry.clauses == ["M12.1"] and entry.after["pledged"] == [PATENT]
    assert _told(personas.enterprise, "finance.decided") == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"amount": None}, "approved_amount"),
        ({"rate": None}, "approved_rate"),
        ({"term": None}, "approved_term"),
        ({"registration_number": ""}, "registration_number"),
        ({"registered_on": None}, "registered_on"),
        ({"registered_on": DAY + dt.timedelta(days=1)}, "registered_on"),
        ({"method": "balloon"}, "method"),
    ],
)
def test_m12_1_an_approval_missing_a_term_is_refused_naming_it(personas, changes, field):
    enterprise_result(personas)
    application = applied(personas, product(personas))
    refused = _refused(
        services.application_approve, actor=personas.financial_institution,
        application=application, grant=grant(**changes), today=DAY,
    )  # fmt: skip
    assert (refused.field, refused.clauses) == (field, ("M12.1",))
    application.refresh_from_db()
    assert application.status == "submitted"
    assert Pledge.objects.get().state == "requested"


def test_m12_1_a_patent_under_an_active_pledge_is_not_pledged_again(personas):
    enterprise_result(personas)
    found = product(personas)
    first, second = applied(personas, found), applied(personas, found)
    approved(personas, first)
    refused = _refused(
        services.application_approve, actor=personas.financial_institution,
        application=second, grant=grant(registration_number="KM-ZY-2026-002"), today=DAY,
    )  # fmt: skip
    assert (refused.code, refused.field, refused.clauses) == (
        "finance.already_pledged", "patents", ("M12.1",),
    )  # fmt: skip
    assert "KM-ZY-2026-001" in refused.message
    refused = _refused(applied, personas=personas, found=found)
    assert refused.code == "finance.already_pledged"
    assert Pledge.objects.filter(state="active").count() == 1


def test_m12_1_the_bank_refuses_saying_why(personas):
    enterprise_result(personas)
    application = applied(personas, product(personas))
    refused = _refused(
        services.application_refuse, actor=personas.financial_institution,
        application=application, reason="  ", today=DAY,
    )  # fmt: skip
    assert (refused.field, refused.code) == ("reason", "finance.reason")
    with pytest.raises(AccessDenied):
        services.application_refuse(
            actor=personas.enterprise, application=application, reason="x", today=DAY
        )
    done = services.application_refuse(
        actor=personas.financial_institution, application=application,
        reason="质押专利剩余保护期不足", today=DAY,
    )  # fmt: skip
    assert (done.status, done.reason) == ("refused", "质押专利剩余保护期不足")
    assert Pledge.objects.get().state == "void"
    assert _told(personas.enterprise, "finance.decided") == 1
    again = _refused(
        services.application_approve, actor=personas.financial_institution,
        application=done, grant=grant(), today=DAY,
    )  # fmt: skip
    assert again.code == "finance.status"


def test_the_enterprise_withdraws_a_waiting_application(personas):
    enterprise_result(personas)
    application = applied(personas, product(personas))
    with pytest.raises(AccessDenied):
        services.application_withdraw(actor=personas.financial_institution, application=application)
    done = services.application_withdraw(actor=personas.enterprise, application=application)
    assert done.status == "withdrawn"
    assert _told(personas.financial_institution, "finance.withdrawn") == 1


def test_m12_1_repayments_until_the_pledge_is_released_and_the_patent_pledged_again(personas):
    enterprise_result(personas)
    found = product(personas)
    application = approved(
        personas, applied(personas, found, request(amount="120000", term=12)),
        amount=Decimal("120000"), rate=Decimal("6"), term=12,
    )  # fmt: skip
    bank = personas.financial_institution
    first = services.repayment_record(
        actor=bank, application=application, amount=Decimal("10327.97"), paid_on=DAY, today=DAY
    )
    assert first.amount == Decimal("10327.97")
    assert Instalment.objects.get(application=application, number=1).paid == Decimal("10327.97")
    owed = selectors.outstanding(application)
    assert _told(personas.enterprise, "finance.repayment") == 1
    refused = _refused(
        services.repayment_record, actor=bank, application=application,
        amount=owed + Decimal("0.01"), paid_on=DAY, today=DAY,
    )  # fmt: skip
    assert (refused.code, refused.field) == ("finance.overpaid", "amount")
    with pytest.raises(AccessDenied):
        services.repayment_record(
            actor=personas.enterprise, application=application, amount=owed, paid_on=DAY
        )
    services.repayment_record(
        actor=bank, application=application, amount=owed, paid_on=DAY, today=DAY
    )
    application.refresh_from_db()
    assert (application.status, application.repaid_on) == ("repaid", DAY)
    assert Pledge.objects.get(application=application).state == "released"
    assert _told(personas.enterprise, "finance.repaid") == 1
    assert _told(bank, "finance.repaid") == 1
    assert AuditEntry.objects.get(action="finance.repaid").after["released"] == [PATENT]
    again = approved(personas, applied(personas, found), registration_number="KM-ZY-2026-009")
    assert again.pledges.get().state == "active"
    assert audit_chain_verify().intact


def test_m12_1_a_credit_loan_pledges_nothing_and_follows_equal_principal(personas):
    found = product(personas, "credit_loan", name="科技信用贷", name_en="Tech credit loan")
    application = applied(personas, found, request(amount="300000", term=6, patents=()))
    done = services.application_approve(
        actor=personas.financial_institution, application=application,
        grant=grant(amount=Decimal("300000"), term=6, method="equal_principal",
                    registration_number="", registered_on=None),
        today=DAY,
    )  # fmt: skip
    principals = list(done.instalments.values_list("principal", flat=True))
    assert principals == [Decimal("50000.00")] * 6
    assert done.registration_number == ""


def test_m12_3_a_guarantee_is_approved_with_its_number_cover_premium_and_period(personas):
    found = product(personas, "guarantee", name="研发担保", name_en="R&D guarantee",
                    purposes=("rd",))  # fmt: skip
    application = applied(personas, found, request(amount="1000000", term=12, patents=()))
    bank = personas.financial_institution
    wrong = _refused(
        services.application_approve, actor=bank, application=application, grant=grant(),
        today=DAY,
    )  # fmt: skip
    assert wrong.clauses == ("M12.3",)
    cover = services.CoverDecision("DB-2026-018", Decimal("1000000"), Decimal("15000"), DAY, None)
    refused = _refused(
        services.cover_approve, actor=bank, application=application, cover=cover, today=DAY
    )
    assert (refused.field, refused.clauses) == ("cover_end", ("M12.3",))
    done = services.cover_approve(
        actor=bank, application=application, today=DAY,
        cover=services.CoverDecision(
            "DB-2026-018", Decimal("1000000"), Decimal("15000"), DAY, dt.date(2027, 12, 3)
        ),
    )  # fmt: skip
    assert (done.status, done.policy_number, done.premium) == (
        "approved", "DB-2026-018", Decimal("15000.00"),
    )  # fmt: skip
    assert not done.instalments.exists()
    assert AuditEntry.objects.get(action="finance.approve").clauses == ["M12.3"]
    assert _told(personas.enterprise, "finance.decided") == 1
    refused = _refused(
        services.repayment_record, actor=bank, application=done, amount=Decimal(1),
        paid_on=DAY, today=DAY,
    )  # fmt: skip
    assert refused.code == "finance.not_repayable"


def test_m12_1_an_overdue_instalment_is_told_once(personas):
    enterprise_result(personas)
    application = approved(personas, applied(personas, product(personas)))
    later = DAY + dt.timedelta(days=70)  # the first two instalments are past due
    counts = sweep.run(later)
    assert counts["loan instalments overdue (M12.1)"] == 2
    assert _told(personas.enterprise, "finance.overdue") == 2
    assert _told(personas.financial_institution, "finance.overdue_for_bank") == 1
    assert sweep.run(later)["loan instalments overdue (M12.1)"] == 0
    assert _told(personas.enterprise, "finance.overdue") == 2
    assert selectors.overdue_instalments(later, application.bank).count() == 2


def test_every_finance_step_audited_has_a_readable_label(personas):
    from kttc.core.choices import AUDIT_ACTION_LABELS

    enterprise_result(personas)
    found = product(personas)
    services.product_update(
        actor=personas.financial_institution, product=found, data=product_data(rate=Decimal(4))
    )
    bank = personas.financial_institution
    services.application_withdraw(actor=personas.enterprise, application=applied(personas, found))
    services.application_refuse(
        actor=bank, application=applied(personas, found), reason="材料不全", today=DAY
    )
    loan = approved(personas, applied(personas, found, request(amount="100000", term=6)),
                    amount=Decimal("100000"), term=6)  # fmt: skip
    services.repayment_record(
        actor=bank, application=loan, amount=selectors.outstanding(loan), paid_on=DAY, today=DAY
    )
    actions = set(
        AuditEntry.objects.filter(action__startswith="finance.").values_list("action", flat=True)
    )
    assert len(actions) == 8
    for action in actions:
        assert action in AUDIT_ACTION_LABELS, action


@pytest.mark.parametrize("role", list(Role))
def test_only_the_bank_publishes_and_decides_and_only_the_enterprise_applies(personas, role):
    """M12.1, M12.3: one persona per role against the bank's products and the enterprise's
    application; every other role is refused (AccessDenied) and nothing is stored."""
    enterprise_result(personas)
    found = product(personas)
    person = personas.by_role[role]
    bank = personas.organisations[Role.FINANCIAL_INSTITUTION]
    enterprise = personas.organisations[Role.ENTERPRISE]
    calls = {
        "publish": lambda: services.product_publish(actor=person, bank=bank, data=product_data()),
        "apply": lambda: services.application_file(
            actor=person, applicant=enterprise, product=found, request=request(), today=DAY
        ),
        "approve": lambda: services.application_approve(
            actor=person, application=applied(personas, found), grant=grant(), today=DAY
        ),
    }
    allowed = {
        "publish": role == Role.FINANCIAL_INSTITUTION,
        "apply": role == Role.ENTERPRISE,
        "approve": role == Role.FINANCIAL_INSTITUTION,
    }
    for name, call in calls.items():
        if allowed[name]:
            call()
            continue
        with pytest.raises(AccessDenied):
            call()
    assert Pledge.objects.filter(state="active").count() == int(allowed["approve"])
