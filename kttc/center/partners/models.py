"""Partner organisations abroad (M8.4): the center's partnership with each, and the enterprises
that agreed a partner posts their demands (those it referred need no agreement: see
:mod:`kttc.policy.partners`)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kttc.center.partners.choices import PartnershipStatus, PartnerType
from kttc.core.models import Organisation


class Partnership(models.Model):
    """The center's cooperation with a partner organisation abroad, as the bureau records it:
    the partner's type, the agreement's date, its scope and its status."""

    partner = models.OneToOneField(
        Organisation, on_delete=models.PROTECT, related_name="partnership"
    )
    partner_type = models.CharField(
        _("type of partner"), max_length=24, choices=PartnerType.choices
    )
    agreement_date = models.DateField(_("agreement signed on"))
    scope = models.TextField(_("scope of cooperation"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=PartnershipStatus.choices,
        default=PartnershipStatus.ACTIVE,
    )  # fmt: skip
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("partnership abroad")
        ordering = ("agreement_date", "id")

    def __str__(self) -> str:
        return f"{self.partner} ({self.get_partner_type_display()})"


class PartnerConsent(models.Model):
    """An enterprise agreed that a partner abroad posts technology demands for it; withdrawing
    keeps the row with the time."""

    enterprise = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="partner_consents"
    )
    partner = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    agreed_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("agreement with a partner abroad")
        constraints = (
            models.UniqueConstraint(
                fields=("enterprise", "partner"),
                condition=models.Q(withdrawn_at__isnull=True),
                name="one_open_partner_consent",
            ),
        )

    def __str__(self) -> str:
        return f"{self.enterprise} → {self.partner}"
