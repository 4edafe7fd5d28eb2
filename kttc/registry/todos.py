"""What waits in the registry (see ``kttc.core.todos``): a transfer office's results to
complete and submit (M8.6), the center's submissions to review."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from kttc.core.models import Membership
from kttc.core.todos import TodoSection, section
from kttc.policy.roles import Capability, Role, role_can
from kttc.registry.achievements.models import Achievement
from kttc.registry.choices import Status

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _result(a: Achievement) -> tuple[str, str]:
    return a.name, reverse("registry:achievement_detail", args=[a.pk])


def _status(a: Achievement) -> StrOrPromise:
    return Status(a.status).label


def sections(membership: Membership, *, limit: int) -> list[TodoSection]:
    role = Role(membership.role)
    results = Achievement.objects.select_related("unit")
    out = []
    if role_can(role, Capability.MANAGE_ACHIEVEMENTS):
        for status, title in (
            (Status.RETURNED, _("Results returned for changes")),
            (Status.DRAFT, _("Draft results to complete and submit")),
        ):
            rows = results.filter(unit_id=membership.organisation_id, status=status)
            more = reverse("registry:achievements") + "?" + urlencode({"status": status.value})
            out.append(
                section(
                    title, ("M8.6",), rows, limit=limit, more_link=more, describe=_result,
                    since="updated_at", status=_status,
                )
            )  # fmt: skip
    if role_can(role, Capability.REVIEW_ACHIEVEMENTS_ALL):
        rows = results.filter(status=Status.SUBMITTED)
        out.append(
            section(
                _("Submissions to review"), ("M8.6",), rows, limit=limit,
                more_link=reverse("registry:review"), describe=_result, since="submitted_at",
            )
        )  # fmt: skip
    return out
