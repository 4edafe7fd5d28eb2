"""Reads of evaluations (M10.1): who may see which evaluation, the institutions one may ask,
an institution's queue, the requester's reports, the public ones of a result, and the signed
evaluations a bank reads for a pledge-loan application (M12.1)."""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet

from kttc.center.evaluation.choices import EvaluationStatus
from kttc.center.evaluation.models import Evaluation
from kttc.center.institutions import selectors as institutions
from kttc.core.models import Organisation, User
from kttc.core.selectors import organisations_where, user_can
from kttc.policy import calendar
from kttc.policy.roles import Capability, OrganisationKind
from kttc.registry import choices as registry
from kttc.registry.models import Achievement

OPEN = (EvaluationStatus.REQUESTED, EvaluationStatus.ACCEPTED)


def today() -> date:
    """The legal date of a step: today in Asia/Shanghai."""
    return calendar.today_in_shanghai()


def _base() -> QuerySet[Evaluation]:
    return Evaluation.objects.select_related(
        "result", "result__unit", "requester", "institution", "evaluator", "report"
    )


def certified_institutions(on: date | None = None) -> QuerySet[Organisation]:
    """M10.1 with M9.1: the institutions one may ask, those whose certification is in force."""
    ids = institutions.certified_institutions(on).values("institution_id")
    return Organisation.objects.filter(
        pk__in=ids, kind=OrganisationKind.SERVICE_INSTITUTION
    ).order_by("name")


def requesters_of(user: User) -> QuerySet[Organisation]:
    """The organisations for which the person may request an evaluation."""
    return organisations_where(user, Capability.REQUEST_EVALUATION).order_by("name")


def evaluating_institutions_of(user: User) -> QuerySet[Organisation]:
    """The service institutions whose evaluations the person handles."""
    return organisations_where(user, Capability.EVALUATE_RESULTS).filter(
        kind=OrganisationKind.SERVICE_INSTITUTION
    )


def requestable_results(requesters: QuerySet[Organisation]) -> QuerySet[Achievement]:
    """The results requesters may ask to evaluate: their own (as their unit), or public ones."""
    return (
        Achievement.objects.filter(
            Q(unit__in=requesters.values("pk"))
            | Q(status=registry.Status.PUBLISHED, confidentiality=registry.Confidentiality.PUBLIC)
        )
        .exclude(status=registry.Status.WITHDRAWN)
        .order_by("name")
    )


def visible_to(user: User) -> QuerySet[Evaluation]:
    """M10.1: the evaluations a person may read: those their organisation asked for, performs,
    or whose result is its own, and (M12.1) those attached to a finance application made to it
    as a bank; the bureau and the auditor read all."""
    if user.is_superuser or user_can(user, Capability.VIEW_UNIT_ACHIEVEMENTS_ALL):
        return _base()
    orgs = organisations_where(user, Capability.VIEW_OWN_ORGANISATION).values("pk")
    attached = Evaluation.objects.filter(finance_applications__bank__in=orgs).values("pk")
    return _base().filter(
        Q(requester__in=orgs)
        | Q(institution__in=orgs)
        | Q(result__unit__in=orgs)
        | Q(pk__in=attached)
    )


def evaluation_for(user: User, pk: int) -> Evaluation | None:
    return visible_to(user).filter(pk=pk).prefetch_related("scores").first()


def queue_of(institution: Organisation) -> QuerySet[Evaluation]:
    """The institution's requests waiting for its answer, oldest first."""
    return (
        _base()
        .filter(institution=institution, status=EvaluationStatus.REQUESTED)
        .order_by("requested_on", "id")
    )


def in_progress_of(institution: Organisation) -> QuerySet[Evaluation]:
    """The institution's accepted evaluations, not signed yet, oldest first."""
    return (
        _base()
        .filter(institution=institution, status=EvaluationStatus.ACCEPTED)
        .order_by("decided_on", "id")
    )


def to_sign_by(user: User) -> QuerySet[Evaluation]:
    """The evaluations the person is the evaluator of and has not signed yet."""
    return _base().filter(evaluator=user, status=EvaluationStatus.ACCEPTED).order_by("id")


def requested_by_orgs(orgs: QuerySet[Organisation]) -> QuerySet[Evaluation]:
    return _base().filter(requester__in=orgs.values("pk")).order_by("-requested_on", "-id")


def reports_ready_for(user: User) -> QuerySet[Evaluation]:
    """The signed reports of the person's requests (the requester's home)."""
    return requested_by_orgs(requesters_of(user)).filter(status=EvaluationStatus.SIGNED)


def signed_of(result: Achievement) -> QuerySet[Evaluation]:
    """Every signed evaluation of a result, the latest first."""
    return (
        _base().filter(result=result, status=EvaluationStatus.SIGNED).order_by("-signed_at", "-id")
    )


def evaluations_for_bank(result: Achievement) -> QuerySet[Evaluation]:
    """M12.1: the signed evaluations of a result that a bank reads with a pledge-loan
    application. The finance package calls this only for a result pledged to that bank."""
    return signed_of(result).prefetch_related("scores")


def public_of(result: Achievement) -> QuerySet[Evaluation]:
    """M10.1: what the result's public page shows: signed evaluations the unit agreed to show,
    of a public result."""
    if not result.is_public:
        return Evaluation.objects.none()
    return signed_of(result).filter(shown_publicly=True).prefetch_related("scores")


def comparable_with(evaluation: Evaluation, user: User) -> QuerySet[Evaluation]:
    """The other signed evaluations of the same result the person may read."""
    return (
        visible_to(user)
        .filter(result_id=evaluation.result_id, status=EvaluationStatus.SIGNED)
        .exclude(pk=evaluation.pk)
        .order_by("-signed_at")
    )
