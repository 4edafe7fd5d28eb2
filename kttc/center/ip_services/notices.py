"""What people hear of a pre-examination request at once (DESIGN rule 12, M11.1): the center's
staff of each request filed (or filed again after correction); the applicant of each step the
center takes. Each notice is sent once per event (its dedupe key), on the platform and by e-mail
after the decision commits."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from kttc.center.ip_services.models import PreExamination
from kttc.core.notifications.kinds import register_kind
from kttc.core.notifications.services import Notice, notification_send_now
from kttc.policy.i18n import gettext_noop
from kttc.policy.roles import Capability, Role, role_can

CLAUSES = ("M11.1",)

FILED = Notice(
    kind="pre_examination.filed",
    subject=gettext_noop("Pre-examination request: %(title)s"),
    body=gettext_noop(
        "%(applicant)s filed a request for fast patent pre-examination of “%(title)s” (M11.1). "
        "Accept it into the queue, return it for correction or refuse it."
    ),
    clauses=CLAUSES,
)
ACCEPTED = Notice(
    kind="pre_examination.accepted",
    subject=gettext_noop("Pre-examination request accepted: %(title)s"),
    body=gettext_noop(
        "The center accepted your request for fast pre-examination of “%(title)s” (M11.1) and "
        "will forward it to the national pre-examination by %(due)s."
    ),
    clauses=CLAUSES,
)
RETURNED = Notice(
    kind="pre_examination.returned",
    subject=gettext_noop("Pre-examination request returned: %(title)s"),
    body=gettext_noop(
        "The center returned your request for fast pre-examination of “%(title)s” for "
        "correction (M11.1): %(reason)s Correct it and file it again."
    ),
    clauses=CLAUSES,
)
REFUSED = Notice(
    kind="pre_examination.refused",
    subject=gettext_noop("Pre-examination request refused: %(title)s"),
    body=gettext_noop(
        "The center refused your request for fast pre-examination of “%(title)s” (M11.1): "
        "%(reason)s"
    ),
    clauses=CLAUSES,
)
FORWARDED = Notice(
    kind="pre_examination.forwarded",
    subject=gettext_noop("Forwarded to the national pre-examination: %(title)s"),
    body=gettext_noop(
        "The center forwarded your request for fast pre-examination of “%(title)s” to the "
        "national pre-examination on %(date)s under the reference %(reference)s (M11.1)."
    ),
    clauses=CLAUSES,
)
PASSED = Notice(
    kind="pre_examination.outcome",
    subject=gettext_noop("Pre-examination passed: %(title)s"),
    body=gettext_noop(
        "The national pre-examination of “%(title)s” passed on %(date)s (M11.1). File the "
        "patent application through the fast channel."
    ),
    clauses=CLAUSES,
)
FAILED = Notice(
    PASSED.kind,
    gettext_noop("Pre-examination not passed: %(title)s"),
    gettext_noop("The national pre-examination of “%(title)s” did not pass (%(date)s, M11.1)."),
    CLAUSES,
)

register_kind(FILED.kind, _("A pre-examination request waits for the center"))
register_kind(ACCEPTED.kind, _("Your pre-examination request is accepted"))
register_kind(RETURNED.kind, _("Your pre-examination request is returned for correction"))
register_kind(REFUSED.kind, _("Your pre-examination request is refused"))
register_kind(FORWARDED.kind, _("Your pre-examination request is forwarded"))
register_kind(PASSED.kind, _("The outcome of your pre-examination"))


def roles_with(capability: Capability) -> tuple[str, ...]:
    return tuple(r.value for r in Role if role_can(r, capability))


def request_page(request: PreExamination) -> str:
    """The request's page (empty where the pages are not installed)."""
    try:
        return reverse("ip_services:detail", args=[request.pk])
    except NoReverseMatch:
        return ""


def tell_staff(request: PreExamination) -> int:
    """The center's staff hear of a request waiting for them, once per filing."""
    return notification_send_now(
        roles=roles_with(Capability.PRE_EXAMINE_ALL),
        notice=replace(FILED, params={"title": request.title, "applicant": request.applicant.name}),
        dedupe_key=f"{FILED.kind}:{request.pk}:{request.submissions}",
        about=request,
        link=request_page(request),
    )


def tell_applicant(notice: Notice, request: PreExamination, **params: Any) -> int:
    """The applicant's people hear of the center's step on their request, once per step."""
    return notification_send_now(
        roles=roles_with(Capability.REQUEST_PRE_EXAMINATION),
        organisation=request.applicant,
        notice=replace(notice, params={"title": request.title, **params}),
        dedupe_key=f"{notice.kind}:{request.pk}:{request.submissions}",
        about=request,
        link=request_page(request),
    )
