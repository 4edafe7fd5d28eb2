"""A person's saved catalog searches and followed fields (re-exported by ``kttc.center.models``).

Removing one only stamps ``deleted_at``, so that it can be restored (the page offers "undo");
the daily alerts skip removed ones. ``checked_at`` is when the alerts last looked: what was
published after it is new."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kttc.center.alerts.choices import FieldScheme


class SavedSearch(models.Model):
    """A catalog search (its query string: text, facet filters, open offer) kept by a person."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches"
    )
    name = models.CharField(_("name"), max_length=120)
    query = models.CharField(_("search"), max_length=1000)
    created_at = models.DateTimeField(_("saved"), default=timezone.now)
    checked_at = models.DateTimeField(_("last checked"), default=timezone.now)
    deleted_at = models.DateTimeField(_("removed"), null=True, blank=True)

    class Meta:
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return self.name


class FollowedField(models.Model):
    """A discipline (GB/T 13745) or an industry (GB/T 4754) code a person follows: new results
    and demands whose code starts with it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="followed_fields"
    )
    scheme = models.CharField(_("classification"), max_length=12, choices=FieldScheme.choices)
    code = models.CharField(_("code"), max_length=7)
    created_at = models.DateTimeField(_("followed"), default=timezone.now)
    checked_at = models.DateTimeField(_("last checked"), default=timezone.now)
    deleted_at = models.DateTimeField(_("removed"), null=True, blank=True)

    class Meta:
        verbose_name = _("followed field")
        verbose_name_plural = _("followed fields")
        ordering = ("scheme", "code")
        constraints = (
            models.UniqueConstraint(
                fields=("user", "scheme", "code"),
                condition=models.Q(deleted_at__isnull=True),
                name="followed_field_once",
            ),
        )

    def __str__(self) -> str:
        return f"{self.scheme} {self.code}"
