"""The results that may meet a published demand (M8.1, M8.3), found by the catalog's search in
any language and kept with why they were found. Derived data: refreshed when the demand is
published or a result changes, in the background, and every day by the sweep."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kttc.center.demands.models import Demand
from kttc.registry.models import Achievement


class DemandMatch(models.Model):
    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="matches")
    achievement = models.ForeignKey(
        Achievement, on_delete=models.CASCADE, related_name="demand_matches"
    )
    rank = models.PositiveSmallIntegerField(_("rank"))
    #: cosine of the demand and the result (None: found by its words alone)
    closeness = models.FloatField(_("closeness in meaning"), null=True, blank=True)
    #: the demand's words the result has, and the fields they share ("industry", "discipline")
    terms = models.JSONField(_("words in common"), default=list, blank=True)
    same_fields = models.JSONField(_("fields in common"), default=list, blank=True)
    found_at = models.DateTimeField(_("found"), default=timezone.now)

    class Meta:
        verbose_name = _("match of a demand")
        verbose_name_plural = _("matches of demands")
        ordering = ("demand", "rank")
        constraints = (
            models.UniqueConstraint(fields=("demand", "achievement"), name="match_once"),
        )
        indexes = (models.Index(fields=("achievement", "demand"), name="match_by_result"),)

    def __str__(self) -> str:
        return f"{self.demand_id} ~ {self.achievement_id} #{self.rank}"
