"""Reads of fiscal projects (M4.1-M4.3): those a person follows, and those whose transformation
deadline runs or passed without a transformation."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet

from kttc.core.models import User
from kttc.core.selectors import organisations_where, user_can
from kttc.policy import calendar
from kttc.policy.roles import Capability
from kttc.registry.choices import ProjectStatus
from kttc.registry.projects.models import FiscalProject


def projects_visible_to(user: User) -> QuerySet[FiscalProject]:
    if (
        user.is_superuser
        or user_can(user, Capability.MANAGE_PROJECTS_ALL)
        or user_can(user, Capability.VIEW_UNIT_ACHIEVEMENTS_ALL)
    ):
        return FiscalProject.objects.all()
    units = organisations_where(user, Capability.VIEW_UNIT_ACHIEVEMENTS)
    return FiscalProject.objects.filter(undertaking_unit__in=units)


def projects_past_deadline(*, on: date | None = None) -> QuerySet[FiscalProject]:
    """M4.1: projects whose transformation deadline has passed."""
    return FiscalProject.objects.filter(
        transformation_deadline__lt=on or calendar.today_in_shanghai()
    )


def projects_without_transformation() -> QuerySet[FiscalProject]:
    """M4.1-M4.3: projects that have not shown a transformation: still only approved, with no
    transformation outcome recorded.

    The registry decides this from its own data. Acceptance (M4.3, ``fiscal_project_accept``)
    requires the transformation outcome, so an accepted project has recorded one; a project
    still only approved has not. Transformations and licences recorded on its results live in
    the reform part, which the registry may not read (the parts sit above it): a unit whose
    project's results were transformed records that as the outcome when the project is
    accepted, which takes it off the list."""
    return FiscalProject.objects.filter(status=ProjectStatus.APPROVED, transformation_outcome="")


def projects_missed(on: date) -> QuerySet[FiscalProject]:
    """M4.1, M4.2: projects whose transformation deadline passed before ``on`` without one."""
    return projects_without_transformation().filter(transformation_deadline__lt=on)
