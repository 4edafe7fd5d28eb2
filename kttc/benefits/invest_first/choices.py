"""The stages, milestones and statuses of invest-first cases (M7), as TextChoices."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from kttc.policy import investment as invest_rules


class InvestFirstStage(models.TextChoices):
    """M7.2: what the support pays for."""

    CONCEPT_VERIFICATION = invest_rules.Stage.CONCEPT_VERIFICATION.value, _("Concept verification")
    SMALL_PILOT = invest_rules.Stage.SMALL_PILOT.value, _("Small pilot")
    MID_SCALE_PILOT = invest_rules.Stage.MID_SCALE_PILOT.value, _("Mid-scale pilot")
    SECONDARY_DEVELOPMENT = (
        invest_rules.Stage.SECONDARY_DEVELOPMENT.value,
        _("Secondary development"),
    )


class MilestoneKind(models.TextChoices):
    """M7.3: what may trigger the conversion."""

    MARKET_ROUND = invest_rules.TriggerKind.MARKET_ROUND.value, _("Market equity round")
    STABLE_DEVELOPMENT = (
        invest_rules.TriggerKind.STABLE_DEVELOPMENT.value,
        _("Stable development declared"),
    )


class InvestFirstStatus(models.TextChoices):
    INVESTED = "invested", _("Invested, not converted")
    CONVERTED = "converted", _("Converted into equity")
