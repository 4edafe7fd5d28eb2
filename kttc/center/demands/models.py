"""A technology demand an enterprise posts (M8.1), and the answers units and brokers give."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kttc.benefits.contracts.models import TechnologyContract
from kttc.center.demands.choices import DemandLanguage, DemandStatus
from kttc.core.fields import MoneyField
from kttc.core.models import Organisation
from kttc.reform.licensing.models import Licence
from kttc.registry.models import Achievement


class Demand(models.Model):
    """What an enterprise needs, in its own words, until its deadline (M8.1, M8.4)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="demands")
    #: M8.4: the partner organisation abroad that posted the demand for the enterprise
    #: (``organisation``, whose demand it is); empty when the enterprise posted it itself.
    posted_by = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="demands_posted_for_others",
        null=True,
        blank=True,
        verbose_name=_("posted by"),
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    industry = models.CharField(_("industry (GB/T 4754)"), max_length=5, blank=True)
    discipline = models.CharField(_("discipline (GB/T 13745)"), max_length=7, blank=True)
    trl = models.PositiveSmallIntegerField(_("readiness wanted (TRL)"), null=True, blank=True)
    budget_min = MoneyField(_("budget from (yuan)"), null=True, blank=True)
    budget_max = MoneyField(_("budget up to (yuan)"), null=True, blank=True)
    #: The ways of cooperation, values of ``CooperationMode`` (filtered with ``icontains`` on the
    #: quoted value, which both databases answer).
    modes = models.JSONField(_("ways of cooperation"), default=list)
    deadline = models.DateField(_("deadline"), db_index=True)
    country = models.CharField(_("country"), max_length=2, default="CN")
    language = models.CharField(
        _("language"), max_length=8, choices=DemandLanguage.choices, default="zh-hans"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=DemandStatus.choices, default=DemandStatus.PENDING
    )
    reason = models.TextField(_("reason"), blank=True)
    met_licence = models.ForeignKey(
        Licence, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    met_contract = models.ForeignKey(
        TechnologyContract, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("technology demand")
        verbose_name_plural = _("technology demands")
        ordering = ("-published_at", "-id")
        indexes = (models.Index(fields=("status", "deadline")),)
        constraints = (
            models.CheckConstraint(
                condition=models.Q(budget_min__isnull=True)
                | models.Q(budget_max__isnull=True)
                | models.Q(budget_min__lte=models.F("budget_max")),
                name="demand_budget_range",
            ),
            models.CheckConstraint(
                condition=models.Q(trl__isnull=True) | models.Q(trl__gte=1, trl__lte=9),
                name="demand_trl_range",
            ),
        )

    def __str__(self) -> str:
        return self.title

    @property
    def mode_labels(self) -> list[str]:
        from kttc.center.demands.choices import CooperationMode

        labels = dict(CooperationMode.choices)
        return [str(labels.get(m, m)) for m in self.modes]


class DemandTranslation(models.Model):
    """The demand's title and description in another language of the platform than its
    original (``Demand.language``), given by its author, for readers in that language."""

    demand = models.ForeignKey(
        Demand,
        on_delete=models.CASCADE,
        related_name="translations",
        db_index=False,  # the unique (demand, language) index serves it
    )
    language = models.CharField(_("language"), max_length=8, choices=DemandLanguage.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))

    class Meta:
        verbose_name = _("translation of a demand")
        constraints = (
            models.UniqueConstraint(
                fields=("demand", "language"), name="one_demand_translation_per_language"
            ),
        )

    def __str__(self) -> str:
        return f"{self.language}: {self.title}"


class DemandAnswer(models.Model):
    """A unit's or a broker's answer: one of its published results and/or a proposal."""

    demand = models.ForeignKey(Demand, on_delete=models.PROTECT, related_name="answers")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    achievement = models.ForeignKey(
        Achievement, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    proposal = models.TextField(_("proposal"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("answer to a demand")
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"{self.organisation} → {self.demand}"
