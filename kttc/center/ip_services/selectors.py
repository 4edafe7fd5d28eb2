"""Reads of fast patent pre-examination (M11.1): an applicant's requests, the center's queue
ordered by due date with the overdue marked, and what waits for whom."""

from __future__ import annotations

from datetime import date

from django.db.models import BooleanField, Case, F, Q, QuerySet, Value, When

from kttc.center.ip_services.choices import PreExaminationStatus
from kttc.center.ip_services.models import PreExamination
from kttc.core.models import Organisation, User
from kttc.core.selectors import organisations_where, user_can
from kttc.policy import calendar
from kttc.policy.roles import Capability

WAITING = (PreExaminationStatus.SUBMITTED, PreExaminationStatus.ACCEPTED)


def today() -> date:
    """The legal date of a step: today in Asia/Shanghai."""
    return calendar.today_in_shanghai()


def requests_of(applicant: Organisation) -> QuerySet[PreExamination]:
    """An applicant's requests, the latest first."""
    return PreExamination.objects.filter(applicant=applicant).select_related("applicant")


def requests_for(user: User) -> QuerySet[PreExamination]:
    """The requests of the organisations ``user`` files for."""
    units = organisations_where(user, Capability.REQUEST_PRE_EXAMINATION)
    return PreExamination.objects.filter(applicant__in=units).select_related("applicant")


def queue(on: date) -> QuerySet[PreExamination]:
    """The center's queue: requests waiting for a step, the accepted ones first by due date
    (those past it marked ``overdue``), then the new ones by the day they were filed."""
    return (
        PreExamination.objects.filter(status__in=WAITING)
        .select_related("applicant")
        .annotate(
            overdue=Case(
                When(Q(status=PreExaminationStatus.ACCEPTED, due_on__lt=on), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .order_by(F("due_on").asc(nulls_last=True), "filed_on", "id")
    )


def forwarded() -> QuerySet[PreExamination]:
    """Requests forwarded to the national pre-examination, waiting for its outcome."""
    return PreExamination.objects.filter(status=PreExaminationStatus.FORWARDED).select_related(
        "applicant"
    )


def may_view(user: User, request: PreExamination) -> bool:
    """The applicant's people and the center's staff see a request."""
    return user_can(user, Capability.PRE_EXAMINE_ALL) or user_can(
        user, Capability.REQUEST_PRE_EXAMINATION, request.applicant
    )
