"""Time-limited transformation (M4.4): the transformations recorded of a result (a licence
counts by itself), the open licensing list the sweep keeps of results whose IP is 5 or more
years old and still untransformed, and the units' justifications that the bureau accepts or
rejects."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kttc.core.models import Evidence, Organisation
from kttc.reform.licensing.models import LicenceOffer
from kttc.reform.transformation.choices import (
    JustificationStatus,
    ListingStatus,
    TransformationKind,
)
from kttc.registry.models import Achievement


class Transformation(Evidence):
    """M4.4: a transformation of the result recorded by its unit (licences concluded on the
    platform count without one). Evidence: never changed or deleted."""

    achievement = models.ForeignKey(
        Achievement, on_delete=models.PROTECT, related_name="transformations"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=TransformationKind.choices)
    happened_on = models.DateField(_("date"))
    description = models.TextField(_("description"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("transformation")
        ordering = ("-happened_on", "-id")

    def __str__(self) -> str:
        return f"{self.achievement_id} {self.kind} {self.happened_on}"


class OpenLicensingEntry(models.Model):
    """M4.4: a result on the open licensing list, with the default "use first, pay later"
    offer made for it. One per result; taken off when it is transformed or justified."""

    achievement = models.OneToOneField(
        Achievement, on_delete=models.PROTECT, related_name="open_licensing"
    )
    unit = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    ip_obtained_on = models.DateField(_("IP obtained"))
    listed_on = models.DateField(_("listed on"), db_index=True)
    offer = models.OneToOneField(
        LicenceOffer, on_delete=models.PROTECT, related_name="open_listing", null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ListingStatus.choices, default=ListingStatus.LISTED
    )
    delisted_on = models.DateField(_("taken off on"), null=True, blank=True)

    class Meta:
        verbose_name = _("open licensing list entry")
        verbose_name_plural = _("open licensing list")
        ordering = ("-listed_on", "id")
        indexes = (
            models.Index(fields=("status", "unit")),
            # The public list, newest listings first: read in this order, a page costs a few
            # rows, not a sort of the whole list (1M results: 5 ms instead of 250 ms).
            models.Index(fields=("status", "listed_on", "id"), name="open_list_order"),
        )

    def __str__(self) -> str:
        return str(self.achievement)


class TransformationJustification(models.Model):
    """M4.4: the unit's justified reason why a result is not transformed; the bureau accepts
    (the result stays off the list) or rejects it, with its reason."""

    achievement = models.ForeignKey(
        Achievement, on_delete=models.PROTECT, related_name="transformation_justifications"
    )
    unit = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("justification"))
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    filed_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=JustificationStatus.choices,
        default=JustificationStatus.PENDING,
    )
    valid_until = models.DateField(_("accepted until"), null=True, blank=True)
    decision_reason = models.TextField(_("the bureau's reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("transformation justification")
        ordering = ("-filed_at",)
        constraints = (
            models.UniqueConstraint(
                fields=("achievement",),
                condition=models.Q(status="pending"),
                name="one_pending_justification_per_result",
            ),
        )

    def __str__(self) -> str:
        return f"{self.achievement_id}: {self.reason[:40]}"
