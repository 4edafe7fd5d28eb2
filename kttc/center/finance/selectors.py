"""Reads of technology finance (M12.1, M12.3): the public products, a bank's products and
applications, an enterprise's applications, the results and patents it may pledge, the patents
under an active pledge, and the repayments due or overdue."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.db.models import F, QuerySet, Sum

from kttc.center.evaluation.models import Evaluation
from kttc.center.finance.choices import ApplicationStatus, PledgeState
from kttc.center.finance.models import FinanceApplication, FinanceProduct, Instalment, Pledge
from kttc.core.models import Organisation, User
from kttc.core.selectors import organisations_where, user_can
from kttc.policy import calendar
from kttc.policy.roles import Capability
from kttc.registry import choices as registry
from kttc.registry.models import Achievement, IPRight

#: The kinds of IP right that can be pledged in an IP pledge loan: Chinese patents.
PLEDGEABLE_KINDS = (
    registry.IPKind.INVENTION,
    registry.IPKind.UTILITY_MODEL,
    registry.IPKind.DESIGN,
)
#: An instalment is "due soon" on the bank's home this many days ahead.
DUE_SOON_DAYS = 30


def today() -> date:
    """The legal date of a step: today in Asia/Shanghai."""
    return calendar.today_in_shanghai()


def public_products(kind: str = "") -> QuerySet[FinanceProduct]:
    """M12.1, M12.3: the products open to applications, of one kind when given."""
    found = FinanceProduct.objects.filter(is_open=True).select_related("bank")
    return found.filter(kind=kind) if kind else found


def banks_of(user: User) -> QuerySet[Organisation]:
    """The banks whose products and applications ``user`` keeps."""
    return organisations_where(user, Capability.MANAGE_FINANCE)


def applicants_of(user: User) -> QuerySet[Organisation]:
    """The enterprises ``user`` applies for."""
    return organisations_where(user, Capability.APPLY_FINANCE)


def products_of(bank: Organisation) -> QuerySet[FinanceProduct]:
    return FinanceProduct.objects.filter(bank=bank).select_related("bank")


def _applications() -> QuerySet[FinanceApplication]:
    return FinanceApplication.objects.select_related("product", "applicant", "bank")


def applications_of_bank(bank: Organisation) -> QuerySet[FinanceApplication]:
    return _applications().filter(bank=bank)


def applications_for(user: User) -> QuerySet[FinanceApplication]:
    """The applications of the enterprises ``user`` applies for, the latest first."""
    return _applications().filter(applicant__in=applicants_of(user))


def waiting_for(bank: Organisation) -> QuerySet[FinanceApplication]:
    """The applications waiting for the bank's decision, the oldest first."""
    return (
        applications_of_bank(bank)
        .filter(status=ApplicationStatus.SUBMITTED)
        .order_by("filed_on", "id")
    )


def may_view(user: User, application: FinanceApplication) -> bool:
    """The applicant's people and the bank's people see an application."""
    return user_can(user, Capability.MANAGE_FINANCE, application.bank) or user_can(
        user, Capability.APPLY_FINANCE, application.applicant
    )


def pledgeable_results(applicant: Organisation) -> QuerySet[Achievement]:
    """M12.1: the applicant's own results in the registry (it is their unit), withdrawn ones
    aside."""
    return (
        Achievement.objects.filter(unit=applicant)
        .exclude(status=registry.Status.WITHDRAWN)
        .order_by("name")
    )


def pledgeable_patents(applicant: Organisation) -> QuerySet[IPRight]:
    """M12.1: the granted Chinese patents of the applicant's results."""
    return (
        IPRight.objects.filter(
            achievement__in=pledgeable_results(applicant),
            kind__in=PLEDGEABLE_KINDS,
            status=registry.IPStatus.GRANTED,
        )
        .select_related("achievement")
        .order_by("achievement__name", "number")
    )


def active_pledges(numbers: list[str]) -> dict[str, str]:
    """M12.1: of these patent numbers, those under an active pledge, with the pledge's
    registration number."""
    return dict(
        Pledge.objects.filter(patent_number__in=numbers, state=PledgeState.ACTIVE).values_list(
            "patent_number", "application__registration_number"
        )
    )


def signed_evaluations(results: list[int]) -> QuerySet[Evaluation]:
    """M10.1: the signed evaluations of these results, the latest first."""
    return Evaluation.objects.filter(result_id__in=results, status="signed").order_by(
        "-signed_at", "-id"
    )


def outstanding(application: FinanceApplication) -> Decimal:
    """M12.1: what is still owed on a loan (the schedule's total less what was paid)."""
    totals = application.instalments.aggregate(due=Sum("amount"), paid=Sum("paid"))
    return (totals["due"] or Decimal("0.00")) - (totals["paid"] or Decimal("0.00"))


def unpaid_instalments() -> QuerySet[Instalment]:
    return Instalment.objects.filter(
        paid__lt=F("amount"), application__status=ApplicationStatus.APPROVED
    ).select_related("application__product", "application__applicant")


def due_instalments(bank: Organisation, on: date) -> QuerySet[Instalment]:
    """M12.1: the bank's instalments not fully paid and due within :data:`DUE_SOON_DAYS`."""
    return (
        unpaid_instalments()
        .filter(
            application__bank=bank, due_on__gte=on, due_on__lte=on + timedelta(days=DUE_SOON_DAYS)
        )
        .order_by("due_on", "id")
    )


def overdue_instalments(on: date, bank: Organisation | None = None) -> QuerySet[Instalment]:
    """M12.1: instalments past their due date and not fully paid."""
    found = unpaid_instalments().filter(due_on__lt=on)
    if bank is not None:
        found = found.filter(application__bank=bank)
    return found.order_by("due_on", "id")


def overdue_for(applicant: Organisation, on: date) -> QuerySet[Instalment]:
    return (
        unpaid_instalments()
        .filter(application__applicant=applicant, due_on__lt=on)
        .order_by("due_on")
    )
