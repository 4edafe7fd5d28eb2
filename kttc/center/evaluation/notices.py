"""What people hear of evaluations at once (DESIGN rule 12, M10.1): the institution of a request
and of its withdrawal; the requester and the result's unit of the acceptance, the refusal (with
the reason) and the signed report; the evaluator of the evaluation given to them; the requester
and the institution of the unit's consent to show the report publicly, or its revocation. Each
notice is sent once per event (its dedupe key), on the platform and by e-mail after the step
commits, in each reader's language."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kttc.center.evaluation.models import Evaluation
from kttc.core.models import Organisation
from kttc.core.notifications.kinds import register_kind
from kttc.core.notifications.services import (
    Notice,
    notification_send_now,
    notification_send_to,
)
from kttc.policy.i18n import gettext_noop
from kttc.policy.roles import Capability, Role, role_can

REQUESTED = Notice(
    kind="evaluation.requested",
    subject=gettext_noop("Evaluation requested: %(result)s"),
    body=gettext_noop(
        "%(requester)s asks your institution to evaluate “%(result)s” (M10.1). Accept it and "
        "name the evaluator, or decline it saying why."
    ),
    clauses=("M10.1",),
)
ACCEPTED = Notice(
    kind="evaluation.accepted",
    subject=gettext_noop("Evaluation accepted: %(result)s"),
    body=gettext_noop(
        "%(institution)s accepted the evaluation of “%(result)s”; %(evaluator)s performs it "
        "(M10.1)."
    ),
    clauses=("M10.1",),
)
ASSIGNED = Notice(
    kind="evaluation.assigned",
    subject=gettext_noop("You evaluate “%(result)s”"),
    body=gettext_noop(
        "%(institution)s named you the evaluator of “%(result)s” (M10.1). Declare any conflict "
        "of interest first, then score each dimension on the rubric and sign the report."
    ),
    clauses=("M10.1",),
)
DECLINED = Notice(
    kind="evaluation.declined",
    subject=gettext_noop("Evaluation declined: %(result)s"),
    body=gettext_noop(
        "%(institution)s declined to evaluate “%(result)s” (M10.1). The reason given: %(reason)s"
    ),
    clauses=("M10.1",),
)
WITHDRAWN = Notice(
    kind="evaluation.withdrawn",
    subject=gettext_noop("Evaluation request withdrawn: %(result)s"),
    body=gettext_noop("%(requester)s withdrew its request to evaluate “%(result)s” (M10.1)."),
    clauses=("M10.1",),
)
SIGNED = Notice(
    kind="evaluation.signed",
    subject=gettext_noop("Evaluation report signed: %(result)s"),
    body=gettext_noop(
        "%(evaluator)s of %(institution)s signed the evaluation report of “%(result)s”: total "
        "%(total)s (M10.1). Its content hash is in the audit chain (M14.1)."
    ),
    clauses=("M10.1", "M14.1"),
)
SHOWN = Notice(
    kind="evaluation.shown",
    subject=gettext_noop("Evaluation shown publicly: %(result)s"),
    body=gettext_noop(
        "%(unit)s agreed to show the evaluation of “%(result)s” by %(institution)s on the "
        "result's public page (M10.1)."
    ),
    clauses=("M10.1",),
)
HIDDEN = Notice(
    kind="evaluation.hidden",
    subject=gettext_noop("Evaluation no longer shown publicly: %(result)s"),
    body=gettext_noop(
        "%(unit)s withdrew its consent: the evaluation of “%(result)s” by %(institution)s is no "
        "longer on the result's public page (M10.1)."
    ),
    clauses=("M10.1",),
)

register_kind(REQUESTED.kind, _("An evaluation is requested from your institution"))
register_kind(ACCEPTED.kind, _("An evaluation is accepted"))
register_kind(ASSIGNED.kind, _("You are named the evaluator"))
register_kind(DECLINED.kind, _("An evaluation is declined"))
register_kind(WITHDRAWN.kind, _("An evaluation request is withdrawn"))
register_kind(SIGNED.kind, _("An evaluation report is signed"))
register_kind(SHOWN.kind, _("An evaluation is shown publicly"))
register_kind(HIDDEN.kind, _("An evaluation is no longer shown publicly"))


def _roles(capability: Capability) -> tuple[str, ...]:
    return tuple(r.value for r in Role if role_can(r, capability))


def _params(evaluation: Evaluation, **params: Any) -> dict[str, Any]:
    return {
        "result": evaluation.result.name,
        "requester": evaluation.requester.name,
        "institution": evaluation.institution.name,
        "unit": evaluation.result.unit.name,
        **params,
    }


def _send(
    notice: Notice, evaluation: Evaluation, organisation: Organisation, capability: Capability,
    **params: Any,
) -> int:  # fmt: skip
    return notification_send_now(
        roles=_roles(capability),
        organisation=organisation,
        notice=Notice(
            notice.kind, notice.subject, notice.body, notice.clauses, _params(evaluation, **params)
        ),
        dedupe_key=f"{notice.kind}:{evaluation.pk}:{organisation.pk}:{params.get('step', '')}",
        about=evaluation,
        link=reverse("evaluation:detail", args=[evaluation.pk]),
    )


def tell_institution(notice: Notice, evaluation: Evaluation, **params: Any) -> int:
    return _send(notice, evaluation, evaluation.institution, Capability.EVALUATE_RESULTS, **params)


def tell_requester(notice: Notice, evaluation: Evaluation, **params: Any) -> int:
    return _send(notice, evaluation, evaluation.requester, Capability.REQUEST_EVALUATION, **params)


def tell_unit(notice: Notice, evaluation: Evaluation, **params: Any) -> int:
    """The result's unit (its transfer office), when it is not the requester itself."""
    if evaluation.result.unit_id == evaluation.requester_id:
        return 0
    return _send(
        notice, evaluation, evaluation.result.unit, Capability.MANAGE_ACHIEVEMENTS, **params
    )


def tell_evaluator(evaluation: Evaluation) -> int:
    assert evaluation.evaluator is not None
    return notification_send_to(
        user=evaluation.evaluator,
        notice=Notice(
            ASSIGNED.kind, ASSIGNED.subject, ASSIGNED.body, ASSIGNED.clauses, _params(evaluation)
        ),
        dedupe_key=f"{ASSIGNED.kind}:{evaluation.pk}",
        about=evaluation,
        link=reverse("evaluation:detail", args=[evaluation.pk]),
    )
