"""What waits in evaluation (see ``kttc.core.todos``, M10.1): for the institution, the requests
waiting for its answer and the evaluations accepted and not yet signed; for the requester, the
reports signed in the last 30 days."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kttc.center.evaluation import selectors
from kttc.center.evaluation.choices import EvaluationStatus
from kttc.center.evaluation.models import Evaluation
from kttc.core.models import Membership
from kttc.core.todos import TodoSection, section
from kttc.policy.roles import Capability, OrganisationKind, Role, role_can

#: How long a signed report stays on the requester's home.
READY_DAYS = 30


def _evaluation(e: Evaluation) -> tuple[str, str]:
    return f"{e.result.name} · {e.requester.name}", reverse("evaluation:detail", args=[e.pk])


def _report(e: Evaluation) -> tuple[str, str]:
    return f"{e.result.name} · {e.institution.name} · {e.total}", reverse(
        "evaluation:detail", args=[e.pk]
    )


def sections(membership: Membership, *, limit: int) -> list[TodoSection]:
    role = Role(membership.role)
    org = membership.organisation
    out = []
    if (
        role_can(role, Capability.EVALUATE_RESULTS)
        and org.kind == OrganisationKind.SERVICE_INSTITUTION
    ):
        out.append(
            section(
                _("Evaluation requests waiting for your institution"), ("M10.1",),
                selectors.queue_of(org), limit=limit, more_link=reverse("evaluation:queue"),
                describe=_evaluation, since="requested_on",
            )
        )  # fmt: skip
        out.append(
            section(
                _("Evaluations to score and sign"), ("M10.1",), selectors.in_progress_of(org),
                limit=limit, more_link=reverse("evaluation:queue"), describe=_evaluation,
                since="decided_on",
            )
        )  # fmt: skip
    if role_can(role, Capability.REQUEST_EVALUATION):
        ready = (
            Evaluation.objects.filter(
                requester=org,
                status=EvaluationStatus.SIGNED,
                signed_at__gte=timezone.now() - timedelta(days=READY_DAYS),
            )
            .select_related("result", "institution")
            .order_by("signed_at", "id")
        )
        out.append(
            section(
                _("Evaluation reports ready"), ("M10.1",), ready, limit=limit,
                more_link=reverse("evaluation:mine"), describe=_report, since="signed_at",
            )
        )  # fmt: skip
    return out
