"""The exchange rates the center publishes, and a reader's chosen currency."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kttc.policy.exchange import RATE_PLACES


class ExchangeRate(models.Model):
    """M8.1: how many yuan one unit of ``currency`` was worth on ``rate_date``, as the bureau
    published it with its source. Rows are never changed: a correction is a newer rate, and the
    latest published of the latest day is the one in use."""

    currency = models.CharField(_("currency"), max_length=3)
    cny_per_unit = models.DecimalField(
        _("yuan per unit"), max_digits=RATE_PLACES + 10, decimal_places=RATE_PLACES
    )
    rate_date = models.DateField(_("rate of"))
    source = models.CharField(_("source"), max_length=200)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(_("published"), auto_now_add=True)

    class Meta:
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        ordering = ("-rate_date", "-published_at", "-pk")
        indexes = (models.Index(fields=("currency", "-rate_date"), name="rate_currency_date"),)
        constraints = (
            models.CheckConstraint(condition=models.Q(cny_per_unit__gt=0), name="rate_positive"),
        )

    def __str__(self) -> str:
        return f"{self.currency} {self.cny_per_unit} {self.rate_date}"


class ReaderCurrency(models.Model):
    """The currency a signed-in reader chose for indicative amounts (or the yuan alone), kept
    like her language so that another device shows the same."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="reader_currency",
    )
    currency = models.CharField(_("currency"), max_length=3)

    class Meta:
        verbose_name = _("reader's currency")
        verbose_name_plural = _("readers' currencies")

    def __str__(self) -> str:
        return f"{self.user_id} {self.currency}"
