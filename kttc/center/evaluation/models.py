"""Evaluation of results (科技成果评价, M10.1): a requester's evaluation of a registry result by a
certified evaluation institution, its scores on the published rubric, the evaluator's
declaration of interests, and the signed report whose frozen content and hash are evidence
(M14.1)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kttc.center.evaluation.choices import Dimension, EvaluationStatus, RequesterKind
from kttc.core.models import Evidence, Organisation
from kttc.registry.models import Achievement


class Evaluation(models.Model):
    """One evaluation of one result: who asked, which institution, its evaluator and declaration,
    the weights version in force on its date, the total, the signature and the unit's consent
    to show it on the result's public page."""

    result = models.ForeignKey(
        Achievement, on_delete=models.PROTECT, related_name="evaluations", verbose_name=_("result")
    )
    requester = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="evaluations_requested",
        verbose_name=_("requester"),
    )  # fmt: skip
    requester_kind = models.CharField(
        _("requested as"), max_length=16, choices=RequesterKind.choices
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    institution = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="evaluations_performed",
        verbose_name=_("evaluation institution"),
    )  # fmt: skip
    purpose = models.TextField(_("purpose"))
    status = models.CharField(
        _("status"), max_length=16, choices=EvaluationStatus.choices,
        default=EvaluationStatus.REQUESTED, db_index=True,
    )  # fmt: skip
    requested_on = models.DateField(_("requested on"))
    decided_on = models.DateField(_("accepted or declined on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    reason = models.TextField(_("reason"), blank=True)
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="evaluations_evaluated", verbose_name=_("evaluator"),
    )  # fmt: skip
    #: The evaluator's declaration before scoring: when, and the interest ("" for none).
    declared_at = models.DateTimeField(_("interests declared"), null=True, blank=True)
    declared_interest = models.TextField(_("declared interest"), blank=True)
    #: The readiness level (GB/T 22900) the evaluator found.
    trl = models.PositiveSmallIntegerField(_("readiness level (GB/T 22900)"), null=True, blank=True)
    #: The evaluation's date: the weights in force on it are used and their code kept.
    evaluated_on = models.DateField(_("evaluated on"), null=True, blank=True)
    weights_version = models.CharField(_("weights version"), max_length=40, blank=True)
    weights = models.JSONField(_("weights"), default=dict, blank=True)
    total = models.DecimalField(
        _("weighted total"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    summary = models.TextField(_("conclusion"), blank=True)
    signed_at = models.DateTimeField(_("signed"), null=True, blank=True)
    #: The unit's consent to show the signed evaluation on the result's public page; revocable.
    shown_publicly = models.BooleanField(_("shown on the result's public page"), default=False)
    consent_changed_at = models.DateTimeField(null=True, blank=True)
    consent_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ("-requested_on", "-id")
        indexes = (
            models.Index(fields=("institution", "status")),
            models.Index(fields=("result", "status")),
        )
        constraints = (
            models.CheckConstraint(
                condition=~models.Q(status="signed")
                | models.Q(signed_at__isnull=False, total__isnull=False),
                name="evaluation_signed_has_total",
            ),
            models.CheckConstraint(
                condition=models.Q(shown_publicly=False) | models.Q(status="signed"),
                name="evaluation_shown_only_signed",
            ),
        )

    def __str__(self) -> str:
        return f"{self.result} · {self.institution}"


class DimensionScore(models.Model):
    """The evaluator's score of one dimension, on the rubric's 0–100, with its evidence text
    and the dimension's details (the IP's claims, family, remaining term and legal status; the
    market's size, competitors and route). Frozen once the report is signed."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="scores")
    dimension = models.CharField(_("dimension"), max_length=16, choices=Dimension.choices)
    score = models.PositiveSmallIntegerField(_("score"))
    evidence = models.TextField(_("evidence"))
    details = models.JSONField(_("details"), default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("dimension score")
        verbose_name_plural = _("dimension scores")
        ordering = ("evaluation", "id")
        constraints = (
            models.UniqueConstraint(
                fields=("evaluation", "dimension"), name="evaluation_one_score_per_dimension"
            ),
            models.CheckConstraint(
                condition=models.Q(score__lte=100), name="evaluation_score_at_most_100"
            ),
        )

    def __str__(self) -> str:
        return f"{self.evaluation_id} · {self.dimension} · {self.score}"


class EvaluationReport(Evidence):
    """M10.1, M14.1: the signed report: its content frozen as canonical JSON, its SHA-256 (also
    in the signature's audit entry), the named evaluator and the moment of the signature.
    Written once; the PDF is drawn from this content, so it verifies against the chain."""

    evaluation = models.OneToOneField(Evaluation, on_delete=models.PROTECT, related_name="report")
    content = models.TextField(_("report content (canonical JSON)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("evaluator"),
    )  # fmt: skip
    signed_at = models.DateTimeField(_("signed"))

    class Meta:
        verbose_name = _("evaluation report")
        verbose_name_plural = _("evaluation reports")
        ordering = ("-signed_at", "-id")

    def __str__(self) -> str:
        return f"{self.evaluation} · {self.sha256[:12]}"
