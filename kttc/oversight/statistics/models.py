"""The summary table of the statistics (M13.3): one row per measure, breakdown and key, with
how many source rows it counts and the sum of their amounts. The dashboard reads it in one small
query per chart whatever the size of the registry; :func:`services.statistics_refresh` rebuilds
it from the source tables (by the sweep, ``kttc statistics refresh`` and the demo)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from kttc.core.fields import MoneyField


class StatisticsFigure(models.Model):
    """How many rows of ``measure`` fall under ``key`` of ``breakdown`` (an organisation's id,
    a GB/T 4754 section letter, a GB/T 13745 first-level discipline, a month ``YYYY-MM`` or an
    ISO 3166-1 country; ``""`` when the source row has none), and the sum of their amounts."""

    measure = models.CharField(_("measure"), max_length=40)
    breakdown = models.CharField(_("breakdown"), max_length=16)
    key = models.CharField(_("key"), max_length=40)
    #: The organisation's name when the breakdown is by unit (names are not translated).
    label = models.CharField(_("label"), max_length=200, blank=True)
    count = models.PositiveBigIntegerField(_("count"))
    amount = MoneyField(_("amount"), null=True, blank=True)

    class Meta:
        verbose_name = _("statistics figure")
        ordering = ("measure", "breakdown", "key")
        constraints = (
            models.UniqueConstraint(
                fields=("measure", "breakdown", "key"), name="statistics_figure_unique"
            ),
        )

    def __str__(self) -> str:
        return f"{self.measure}/{self.breakdown}/{self.key}: {self.count}"


class StatisticsRefresh(models.Model):
    """One rebuild of the summary table: when it ran, on which legal date, how many rows it wrote
    and how long it took."""

    refreshed_at = models.DateTimeField(_("refreshed"), db_index=True)
    as_of = models.DateField(_("as of"))
    rows = models.PositiveIntegerField(_("rows"))
    seconds = models.FloatField(_("seconds"))

    class Meta:
        verbose_name = _("statistics refresh")
        ordering = ("-refreshed_at", "-id")

    def __str__(self) -> str:
        return f"{self.refreshed_at:%Y-%m-%d %H:%M} ({self.rows})"
