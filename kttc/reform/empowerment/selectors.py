"""Reads of the empowerment reform (M1). A notice is read inside its unit only (M1.5); the public
sees a granted right only on a public result, through :func:`public_rights_of`."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q, QuerySet

from kttc.core.models import Organisation, User
from kttc.core.selectors import organisations_where, user_can
from kttc.policy.empowerment import OPEN
from kttc.policy.roles import Capability
from kttc.reform.dates import today
from kttc.reform.empowerment.choices import ApplicationStatus, RightStatus
from kttc.reform.empowerment.models import (
    EmpowermentApplication,
    EmpowermentGrant,
    EmpowermentNotice,
    EmpowermentRules,
)
from kttc.registry.models import Achievement


def rules_of(unit: Organisation) -> EmpowermentRules | None:
    """M1.3: the unit's own empowerment rules, if it has set them."""
    return EmpowermentRules.objects.filter(unit=unit).first()


def _oversees(user: User) -> bool:
    return user.is_superuser or user_can(user, Capability.VIEW_UNIT_ACHIEVEMENTS_ALL)


def managed_units(user: User) -> QuerySet[Organisation]:
    """The units whose empowerment the person's transfer office manages."""
    return organisations_where(user, Capability.MANAGE_EMPOWERMENT)


def member_units(user: User) -> QuerySet[Organisation]:
    """The units the person belongs to (any active role): where its notices are read."""
    return organisations_where(user, Capability.VIEW_OWN_ORGANISATION)


def applications_visible_to(user: User) -> QuerySet[EmpowermentApplication]:
    """The unit's applications for its transfer office, the person's own for an applicant, all
    of them for the bureau and auditors."""
    qs = EmpowermentApplication.objects.select_related("achievement", "unit", "applicant")
    if not user.is_authenticated:
        return qs.none()
    if _oversees(user):
        return qs
    return qs.filter(Q(unit__in=managed_units(user)) | Q(applicant=user))


def review_queue(user: User) -> QuerySet[EmpowermentApplication]:
    """Open applications of the units the person manages, oldest first, with their open
    objections counted."""
    return (
        EmpowermentApplication.objects.filter(
            unit__in=managed_units(user), status__in=[s.value for s in OPEN]
        )
        .select_related("achievement", "unit", "applicant", "notice")
        .annotate(
            open_objections=Count(
                "notice__objections", filter=Q(notice__objections__answered_at__isnull=True)
            )
        )
        .order_by("created_at", "id")
    )


def notices_for(user: User) -> QuerySet[EmpowermentNotice]:
    """M1.5: the notices published inside the person's units, newest first."""
    if not user.is_authenticated:
        return EmpowermentNotice.objects.none()
    return (
        EmpowermentNotice.objects.filter(application__unit__in=member_units(user))
        .select_related("application__achievement", "application__unit")
        .annotate(
            open_objections=Count("objections", filter=Q(objections__answered_at__isnull=True))
        )
        .order_by("-published_on", "-id")
    )


def notices_running(user: User, *, on: date | None = None) -> QuerySet[EmpowermentNotice]:
    """M1.5: the notices of the person's units still open for objections on ``on``."""
    return notices_for(user).filter(
        application__status=ApplicationStatus.IN_NOTICE, last_day__gte=on or today()
    )


def is_completer(user: User, achievement: Achievement) -> bool:
    """M1.4: whether the person is one of the result's completers (linked to the person, or
    named as the person is named)."""
    return achievement.completers.filter(
        Q(person=user) | Q(person__isnull=True, name=user.full_name)
    ).exists()


def results_to_apply_from(user: User) -> QuerySet[Achievement]:
    """M1.4: the results of the person's units on which the person is a completer."""
    units = organisations_where(user, Capability.APPLY_EMPOWERMENT)
    return (
        Achievement.objects.filter(unit__in=units)
        .filter(
            Q(completers__person=user)
            | Q(completers__person__isnull=True, completers__name=user.full_name)
        )
        .select_related("unit")
        .distinct()
        .order_by("-updated_at", "-id")
    )


def rights_visible_to(user: User) -> QuerySet[EmpowermentGrant]:
    """Granted rights: the unit's for its transfer office, the person's own grants for an
    applicant, all for the bureau and auditors."""
    qs = EmpowermentGrant.objects.select_related("achievement", "unit", "application__applicant")
    if not user.is_authenticated:
        return qs.none()
    if _oversees(user):
        return qs
    return qs.filter(Q(unit__in=managed_units(user)) | Q(application__applicant=user))


def rights_of(achievement: Achievement) -> QuerySet[EmpowermentGrant]:
    """M1.2: every right granted on the result, newest first (for the office's page)."""
    return EmpowermentGrant.objects.filter(achievement=achievement).order_by("-starts_on", "-id")


def public_rights_of(achievement: Achievement) -> QuerySet[EmpowermentGrant]:
    """M1.2: the rights in force on a public result; nothing for any other result."""
    if not (
        achievement.status == "published"
        and achievement.confidentiality == "public"
        and not achievement.national_interest
    ):
        return EmpowermentGrant.objects.none()
    return rights_of(achievement).filter(status=RightStatus.ACTIVE)


def open_application_of(achievement: Achievement) -> EmpowermentApplication | None:
    return EmpowermentApplication.objects.filter(
        achievement=achievement, status__in=[s.value for s in OPEN]
    ).first()


def rights_past_their_end(*, on: date | None = None) -> QuerySet[EmpowermentGrant]:
    """Long-term use rights still marked in force after their last day (for the sweep)."""
    return EmpowermentGrant.objects.filter(
        status=RightStatus.ACTIVE, ends_on__isnull=False, ends_on__lt=on or today()
    ).order_by("ends_on", "id")
