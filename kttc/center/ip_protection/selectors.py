"""Reads of IP protection cases (M11.2): a party's cases (filed, or against it), the center's
cases by the limit of the step they wait for (the overdue marked), the published decisions, and
who may see a case."""

from __future__ import annotations

from datetime import date

from django.db.models import BooleanField, Case, F, Q, QuerySet, Value, When

from kttc.center.ip_protection.choices import CaseStatus
from kttc.center.ip_protection.models import IpCase
from kttc.core.models import User
from kttc.core.selectors import organisations_where, user_can
from kttc.policy import calendar
from kttc.policy import ip_protection as rules
from kttc.policy.roles import Capability

TIMED = tuple(s.value for s in rules.TIMED)
#: A respondent hears of a case once the center takes it on (立案): not while it waits for
#: intake, nor when it is not taken on.
HIDDEN_FROM_RESPONDENT = (CaseStatus.FILED, CaseStatus.REFUSED)


def today() -> date:
    """The legal date of a step: today in Asia/Shanghai."""
    return calendar.today_in_shanghai()


def _cases() -> QuerySet[IpCase]:
    return IpCase.objects.select_related("complainant", "respondent")


def filed_by(user: User) -> QuerySet[IpCase]:
    """The cases the organisations ``user`` files for have filed, the latest first."""
    return _cases().filter(complainant__in=organisations_where(user, Capability.FILE_IP_CASES))


def against(user: User) -> QuerySet[IpCase]:
    """The cases against the organisations of ``user`` on the platform, once taken on."""
    return (
        _cases()
        .filter(respondent__in=organisations_where(user, Capability.FILE_IP_CASES))
        .exclude(status__in=HIDDEN_FROM_RESPONDENT)
    )


def respondent_sees(case: IpCase) -> bool:
    """Whether the respondent's people see the case (and hear of its steps)."""
    return case.respondent_id is not None and case.status not in HIDDEN_FROM_RESPONDENT


def handling(on: date) -> QuerySet[IpCase]:
    """The center's cases with a step to take, by the limit of that step (those past it marked
    ``overdue``)."""
    return (
        _cases()
        .filter(status__in=TIMED)
        .annotate(
            overdue=Case(
                When(Q(due_on__lt=on), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .order_by(F("due_on").asc(nulls_last=True), "filed_on", "id")
    )


def waiting_for_intake() -> QuerySet[IpCase]:
    return _cases().filter(status=CaseStatus.FILED).order_by("intake_due_on", "id")


def to_publish() -> QuerySet[IpCase]:
    """Decided cases whose decision is not published yet."""
    return _cases().filter(
        status__in=(CaseStatus.ENFORCEMENT, CaseStatus.CLOSED), published_on__isnull=True
    )


def published() -> QuerySet[IpCase]:
    """The decisions published, the latest first (what the public page shows)."""
    return _cases().filter(published_on__isnull=False).order_by("-published_on", "-id")


def is_staff(user: User) -> bool:
    return user_can(user, Capability.HANDLE_IP_CASES_ALL)


def is_party(user: User, case: IpCase) -> bool:
    return user_can(user, Capability.FILE_IP_CASES, case.complainant) or (
        respondent_sees(case) and user_can(user, Capability.FILE_IP_CASES, case.respondent)
    )


def may_view(user: User, case: IpCase) -> bool:
    """The parties' people and the center's IP staff see a case."""
    return is_staff(user) or is_party(user, case)
