"""State equity (M2) from investing results (M6.1): each matter of the unit's state equity as the
unit decided it (M2.1) or as it waits for, and receives, the superior's decision (M2.2);
impairments are matters too, reported apart (M2.3). A matter changes only its status, once, by the
superior's decision."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kttc.benefits.shareholding.models import EquityInvestment
from kttc.benefits.state_equity.choices import (
    StateEquityMatterKind,
    StateEquityRoute,
    StateEquityStatus,
)
from kttc.core.fields import MoneyField


class StateEquityMatter(models.Model):
    """M2: one matter of the unit's state equity in the company: a transfer, an outward
    investment or an impairment of ``amount`` (and, but for an impairment, of ``shares`` of the
    unit's shares). Routed when recorded: the unit's own decision (M2.1), or waiting for the
    superior (M2.2), who approves or rejects it once."""

    investment = models.ForeignKey(
        EquityInvestment, on_delete=models.PROTECT, related_name="state_equity_matters"
    )
    kind = models.CharField(_("matter"), max_length=32, choices=StateEquityMatterKind.choices)
    occurred_on = models.DateField(_("date"))
    amount = MoneyField(_("amount"))
    shares = models.PositiveBigIntegerField(_("shares"), null=True, blank=True)
    description = models.TextField(_("description"))
    touches_secrets = models.BooleanField(_("touches national secrets"), default=False)
    touches_security = models.BooleanField(_("touches national security"), default=False)
    key_core_technology = models.BooleanField(_("key core technology"), default=False)
    route = models.CharField(_("route"), max_length=32, choices=StateEquityRoute.choices)
    reasons = models.JSONField(_("reasons for the superior's approval"), default=list)
    status = models.CharField(
        _("status"), max_length=32, choices=StateEquityStatus.choices, db_index=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    decided_at = models.DateTimeField(_("superior's decision"), null=True, blank=True)
    decision_note = models.TextField(_("superior's note"), blank=True)

    class Meta:
        verbose_name = _("state equity matter")
        ordering = ("-occurred_on", "-id")
        constraints = (
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="state_equity_amount_positive"
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(route=StateEquityRoute.UNIT_DECIDES, status=StateEquityStatus.DECIDED)
                    | models.Q(
                        route=StateEquityRoute.SUPERIOR_APPROVAL,
                        status__in=(
                            StateEquityStatus.WAITING_APPROVAL,
                            StateEquityStatus.APPROVED,
                            StateEquityStatus.REJECTED,
                        ),
                    )
                ),
                name="state_equity_status_follows_route",
            ),
        )

    def __str__(self) -> str:
        return f"{self.investment.company}: {self.get_kind_display()} {self.occurred_on}"
