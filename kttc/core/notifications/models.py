"""A person's choice, per kind of notice, of how it reaches them (re-exported by
``kttc.core.models``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Delivery(models.TextChoices):
    """How a kind of notice reaches a person (``kttc.core.notifications.kinds``)."""

    IMMEDIATE = "immediate", _("At once, by e-mail too")
    DIGEST = "digest", _("In one e-mail a day")
    OFF = "off", _("Off")


class NotificationPreference(models.Model):
    """How ``user`` wants the notices of ``kind``: a kind without a row gets its registered
    default. ``off`` is never stored for a mandatory kind (the services refuse it)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
        db_index=False,  # the unique (user, kind) index serves it
    )
    kind = models.CharField(_("kind"), max_length=80)
    delivery = models.CharField(_("delivery"), max_length=10, choices=Delivery.choices)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = (
            models.UniqueConstraint(fields=("user", "kind"), name="notification_preference_once"),
            models.CheckConstraint(
                condition=models.Q(delivery__in=("immediate", "digest", "off")),
                name="notification_preference_delivery",
            ),
        )
        # The deliveries' "who chose digest or off for this kind".
        indexes = (models.Index(fields=("kind", "delivery"), name="notification_pref_kind"),)

    def __str__(self) -> str:
        return f"{self.kind}: {self.delivery}"
