"""Payment models, triggers and statuses of "use first, pay later" licences (M3), with
translated labels; the payment models and triggers come from ``kttc.policy.licensing``."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from kttc.policy import licensing as licensing_rules


class PaymentModel(models.TextChoices):
    STAGED_ROYALTY = (
        licensing_rules.PaymentModel.STAGED_ROYALTY.value,
        _("Zero entry fee, staged payments and a royalty on revenue"),
    )
    DEFERRED = licensing_rules.PaymentModel.DEFERRED.value, _("Deferred payment by dates")
    AFTER_FIRST_REVENUE = (
        licensing_rules.PaymentModel.AFTER_FIRST_REVENUE.value,
        _("Payment after the licensee's first revenue"),
    )


class Trigger(models.TextChoices):
    DATE = licensing_rules.Trigger.DATE.value, _("on a date")
    MILESTONE = licensing_rules.Trigger.MILESTONE.value, _("at a milestone")
    FIRST_REVENUE = licensing_rules.Trigger.FIRST_REVENUE.value, _("after the first revenue")
    ROYALTY = licensing_rules.Trigger.ROYALTY.value, _("royalty on reported revenue")


class LicenceStatus(models.TextChoices):
    ACTIVE = "active", _("In force")
    BREACHED = "breached", _("Breached by the licensee")
    ENDED = "ended", _("Ended")


#: A licence in force: a breach does not end it (M3.4).
IN_FORCE = (LicenceStatus.ACTIVE, LicenceStatus.BREACHED)


class CreditStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ANSWERED = "answered", _("Answered by the licensee")
    REMOVED = "removed", _("Removed (cured)")


class LicenceApplicationStatus(models.TextChoices):
    """M3.1: where an enterprise's application on an offer stands."""

    PENDING = "pending", _("Waiting for the unit")
    CONCLUDED = "concluded", _("Licence concluded")
    DECLINED = "declined", _("Declined by the unit")
    WITHDRAWN = "withdrawn", _("Withdrawn by the enterprise")
