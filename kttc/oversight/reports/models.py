"""Units' periodic reports on their transformation of results (M13.3): the periods the bureau
opens with a due date, each unit's report for a period with the platform's figures beside the
figures filed and the reasons for each difference, and the report's history (each step with its
actor, its reason and the figures as they stood)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kttc.core.models import ImmutableQuerySet, Organisation
from kttc.oversight.reports.choices import EventKind, ReportStatus


class ReportPeriod(models.Model):
    """A period units report on (M13.3): a calendar year by default, opened by the bureau with
    the day reports are due."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    due_on = models.DateField(_("due on"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_on = models.DateField(_("opened on"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        ordering = ("-year",)

    def __str__(self) -> str:
        return str(self.year)


class UnitReport(models.Model):
    """A unit's report for a period (M13.3). ``platform`` holds the figures the platform took
    from its records (``None`` where it does not know them), ``figures`` those the unit files,
    ``reasons`` why a figure differs from the platform's: each keyed by the field's code (see
    :data:`kttc.policy.unit_reports.FIELDS`), the figures as exact decimal text."""

    period = models.ForeignKey(ReportPeriod, on_delete=models.PROTECT, related_name="reports")
    unit = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="unit_reports", verbose_name=_("unit")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    platform = models.JSONField(_("the platform's figures"), default=dict)
    platform_at = models.DateTimeField(_("the platform's figures taken"), null=True, blank=True)
    figures = models.JSONField(_("figures filed"), default=dict)
    reasons = models.JSONField(_("reasons"), default=dict)
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    #: The bureau's reason when it last returned the report.
    return_reason = models.TextField(_("reason for return"), blank=True)
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    #: The sweep's claims (DESIGN rule 5): the reminder before the due date, the late notice.
    reminded_at = models.DateTimeField(null=True, blank=True)
    overdue_notified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("unit's report")
        verbose_name_plural = _("units' reports")
        ordering = ("-period__year", "unit__name")
        constraints = (
            models.UniqueConstraint(fields=("period", "unit"), name="unit_report_once_a_period"),
            models.CheckConstraint(
                condition=models.Q(status="accepted", accepted_on__isnull=False)
                | ~models.Q(status="accepted"),
                name="unit_report_accepted_has_date",
            ),
        )
        indexes = (models.Index(fields=("status", "period")),)

    def __str__(self) -> str:
        return f"{self.unit} · {self.period}"


class UnitReportEvent(models.Model):
    """One step of a report (M13.3): prepared, saved, submitted, returned, accepted, with the
    actor, the reason and the figures as they stood. Never updated or deleted."""

    report = models.ForeignKey(UnitReport, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("step"), max_length=16, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    reason = models.TextField(_("reason"), blank=True)
    figures = models.JSONField(_("figures filed"), default=dict)
    at = models.DateTimeField(auto_now_add=True)

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        verbose_name = _("step of a unit's report")
        verbose_name_plural = _("steps of units' reports")
        ordering = ("at", "id")

    def __str__(self) -> str:
        return f"{self.report} · {self.get_kind_display()}"
