"""Who may hold the shares of a result invested at a valuation (M6.1)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from kttc.policy import equity as equity_rules


class HolderKind(models.TextChoices):
    """M6.1: who may hold the shares from a result invested at a valuation."""

    COMPLETER = equity_rules.HolderKind.COMPLETER.value, _("Completer (directly)")
    UNIT = equity_rules.HolderKind.UNIT.value, _("The unit")
    MUNICIPAL_SOE = (
        equity_rules.HolderKind.MUNICIPAL_SOE.value,
        _("Municipal state-owned company"),
    )
