"""M4.1-M4.3: fiscal projects, with the transformation obligation and deadline fixed at approval."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from kttc.core.fields import MoneyField
from kttc.core.models import Organisation
from kttc.registry import choices


class FiscalProject(models.Model):
    """A fiscally funded S&T project; its transformation obligation and deadline are fixed at
    approval (M4.1), the deadline at most 5 years later (M4.2)."""

    undertaking_unit = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="fiscal_projects",
        verbose_name=_("undertaking unit"),
    )
    competent_department = models.CharField(_("competent department"), max_length=200)
    programme = models.CharField(_("plan / programme"), max_length=200)
    project_number = models.CharField(_("project number"), max_length=64)
    title = models.CharField(_("title"), max_length=300)
    is_municipal = models.BooleanField(_("municipal S&T plan project"), default=True)
    approval_date = models.DateField(_("approval date"))
    budget = MoneyField(_("budget (CNY)"))
    transformation_obligation = models.TextField(_("transformation obligation"))
    transformation_deadline = models.DateField(_("transformation deadline"), db_index=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=choices.ProjectStatus.choices,
        default=choices.ProjectStatus.APPROVED,
    )
    acceptance_date = models.DateField(_("acceptance date"), null=True, blank=True)
    transformation_outcome = models.TextField(_("transformation outcome"), blank=True)
    ip_outcome = models.TextField(_("IP creation and use"), blank=True)
    # DESIGN rule 5: when the sweep reminded the undertaking unit of the transformation deadline
    # and when it told the unit and the bureau the deadline passed without a transformation
    # (kttc.registry.sweep); each is set once, by a conditional UPDATE.
    transformation_reminded_at = models.DateTimeField(
        _("reminded of the transformation deadline"), null=True, blank=True
    )
    transformation_overdue_at = models.DateTimeField(
        _("notified the transformation deadline passed"), null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("fiscal project")
        verbose_name_plural = _("fiscal projects")
        ordering = ("-approval_date", "project_number")
        constraints = (
            models.UniqueConstraint(
                fields=("competent_department", "project_number"),
                name="project_number_unique_per_department",
            ),
        )

    def __str__(self) -> str:
        return f"{self.project_number} {self.title}"
