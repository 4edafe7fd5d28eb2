"""Inspections, audits and supervisions recorded once by a supervising department (M14.2): the
subject units, the period covered, the clauses checked, the days of fieldwork and the findings,
each with its clause, severity, the objects concerned and the rectification required and its
deadline; documents kept by hash; amendments of an issued record with their reason; each
finding's rectification with the unit's evidence and the department's review."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kttc.core.models import Evidence, KeptDocument, Organisation
from kttc.oversight.findings.choices import Kind, Rectification, Severity, Status


class Inspection(models.Model):
    """An inspection, audit or supervision of one or more units by a department (M14.2)."""

    department = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="inspections_made",
        verbose_name=_("department"),
    )  # fmt: skip
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    reference = models.CharField(_("reference number"), max_length=60)
    title = models.CharField(_("title"), max_length=200)
    subjects = models.ManyToManyField(
        Organisation, related_name="inspections", verbose_name=_("inspected units")
    )
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period until"))
    #: The obligation ids of the measures the record checked (its scope).
    clauses = models.JSONField(_("clauses checked"), default=list)
    scope = models.TextField(_("scope"))
    fieldwork_start = models.DateField(_("fieldwork from"))
    fieldwork_end = models.DateField(_("fieldwork until"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_on = models.DateField(_("recorded on"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("inspection record")
        verbose_name_plural = _("inspection records")
        ordering = ("-fieldwork_end", "-id")
        constraints = (
            models.UniqueConstraint(
                fields=("department", "reference"), name="findings_reference_once_per_department"
            ),
            models.CheckConstraint(
                condition=models.Q(status="issued", issued_on__isnull=False)
                | ~models.Q(status="issued"),
                name="findings_issued_has_date",
            ),
        )
        indexes = (models.Index(fields=("status", "fieldwork_end")),)

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"


class InspectionDocument(KeptDocument):
    """A document of the record (report, working papers), kept by its SHA-256 (M14.2)."""

    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="documents")

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ("uploaded_at", "id")


class Finding(models.Model):
    """A finding of a record about one of its units (M14.2)."""

    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="findings")
    subject = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="findings",
        verbose_name=_("inspected unit"),
    )  # fmt: skip
    clause = models.CharField(_("clause"), max_length=10)
    severity = models.CharField(_("severity"), max_length=16, choices=Severity.choices)
    description = models.TextField(_("description"))
    #: The objects concerned, by their links on the platform.
    links = models.JSONField(_("objects concerned"), default=list, blank=True)
    rectification = models.CharField(
        _("rectification"), max_length=16, choices=Rectification.choices,
        default=Rectification.REQUIRED,
    )  # fmt: skip
    deadline = models.DateField(_("rectification deadline"), null=True, blank=True)
    #: The unit's latest rectification and the department's latest review of it.
    rectification_text = models.TextField(_("rectification"), blank=True)
    rectified_on = models.DateField(_("rectification recorded on"), null=True, blank=True)
    review_note = models.TextField(_("review"), blank=True)
    reviewed_on = models.DateField(_("reviewed on"), null=True, blank=True)
    #: The sweep's claims (DESIGN rule 5): the reminder before the deadline, the overdue notice.
    reminded_at = models.DateTimeField(null=True, blank=True)
    overdue_notified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ("inspection_id", "id")
        indexes = (models.Index(fields=("rectification", "deadline")),)

    def __str__(self) -> str:
        return f"{self.inspection.reference} · {self.clause} · {self.subject}"


class RectificationDocument(KeptDocument):
    """Evidence of a unit's rectification of a finding, kept by its SHA-256 (M14.2)."""

    finding = models.ForeignKey(Finding, on_delete=models.PROTECT, related_name="documents")

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ("uploaded_at", "id")


class Amendment(Evidence):
    """A correction of an issued record, with its reason and what it changed (M14.2): the
    history of an issued record, written once."""

    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="amendments")
    finding = models.ForeignKey(
        Finding, on_delete=models.PROTECT, null=True, blank=True, related_name="amendments"
    )
    reason = models.TextField(_("reason"))
    before = models.JSONField(default=dict)
    after = models.JSONField(default=dict)
    amended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    amended_on = models.DateField(_("amended on"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("amendment")
        verbose_name_plural = _("amendments")
        ordering = ("created_at", "id")

    def __str__(self) -> str:
        return f"{self.inspection.reference} · {self.amended_on}"
