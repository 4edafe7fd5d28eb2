"""The kinds, routes and statuses of state equity matters (M2), as TextChoices."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from kttc.policy import equity as equity_rules


class StateEquityMatterKind(models.TextChoices):
    PUBLIC_MARKET_TRANSFER = (
        equity_rules.StateEquityMatter.PUBLIC_MARKET_TRANSFER.value,
        _("Transfer on the public market"),
    )
    FREE_INTERNAL_TRANSFER = (
        equity_rules.StateEquityMatter.FREE_INTERNAL_TRANSFER.value,
        _("Free internal transfer"),
    )
    OUTWARD_INVESTMENT = (
        equity_rules.StateEquityMatter.OUTWARD_INVESTMENT.value,
        _("Outward investment"),
    )
    IMPAIRMENT = equity_rules.StateEquityMatter.IMPAIRMENT.value, _("Impairment")


class StateEquityRoute(models.TextChoices):
    UNIT_DECIDES = equity_rules.Route.UNIT_DECIDES.value, _("The unit decides (M2.1)")
    SUPERIOR_APPROVAL = (
        equity_rules.Route.SUPERIOR_APPROVAL.value,
        _("The superior approves (M2.2)"),
    )


class StateEquityStatus(models.TextChoices):
    DECIDED = "decided", _("Decided by the unit")
    WAITING_APPROVAL = "waiting_approval", _("Waiting for the superior's approval")
    APPROVED = "approved", _("Approved by the superior")
    REJECTED = "rejected", _("Rejected by the superior")
