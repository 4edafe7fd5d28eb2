"""Fast patent pre-examination (专利快速预审, M11.1): an applicant's request, its documents kept
by their hash, and the center's steps on it (acceptance with its due date, return for
correction, refusal, forwarding to the national pre-examination, its outcome)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kttc.center.ip_services.choices import Industry, PatentApplicationKind, PreExaminationStatus
from kttc.core.models import KeptDocument, Organisation


class PreExamination(models.Model):
    """A request for fast pre-examination of a patent application, as filed and as decided."""

    applicant = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="pre_examinations",
        verbose_name=_("applicant"),
    )  # fmt: skip
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title of the invention"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=PatentApplicationKind.choices)
    industry_code = models.CharField(_("industry code (GB/T 4754-2017)"), max_length=5)
    industry = models.CharField(_("industry"), max_length=32, choices=Industry.choices)
    #: The applicant's credit code as checked at filing (M11.1: registered in Kunming).
    credit_code = models.CharField(_("unified social credit code"), max_length=18)
    status = models.CharField(
        _("status"), max_length=16, choices=PreExaminationStatus.choices,
        default=PreExaminationStatus.SUBMITTED,
    )  # fmt: skip
    filed_on = models.DateField(_("filed on"))
    #: How many times it was filed (1, then one more at each correction filed again).
    submissions = models.PositiveSmallIntegerField(default=1)
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    #: DESIGN rule 5: computed once at acceptance and kept (the center's commitment, M11.1).
    due_on = models.DateField(_("due on"), null=True, blank=True)
    forwarded_on = models.DateField(_("forwarded on"), null=True, blank=True)
    reference = models.CharField(_("national pre-examination reference"), max_length=60, blank=True)
    outcome_on = models.DateField(_("outcome on"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    #: The sweep's claims (DESIGN rule 5): the reminder before the due date, the overdue notice.
    reminded_at = models.DateTimeField(null=True, blank=True)
    overdue_notified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("pre-examination request")
        verbose_name_plural = _("pre-examination requests")
        ordering = ("-filed_on", "-id")
        indexes = (models.Index(fields=("status", "due_on")),)
        constraints = (
            models.CheckConstraint(
                condition=models.Q(status="accepted", due_on__isnull=False)
                | ~models.Q(status="accepted"),
                name="pre_examination_accepted_has_due_date",
            ),
        )

    def __str__(self) -> str:
        return f"{self.applicant} · {self.title}"


class PreExaminationDocument(KeptDocument):
    """A document of a request: its title, file name, SHA-256 (also in the audit chain) and the
    file, stored under MEDIA_ROOT by its hash."""

    request = models.ForeignKey(PreExamination, on_delete=models.PROTECT, related_name="documents")

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ("uploaded_at", "id")
