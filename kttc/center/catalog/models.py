"""The catalog's curated lists: the promotion list (M8.3) and major-achievement releases (M8.2)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kttc.registry.models import Achievement


class PromotionEntry(models.Model):
    """M8.3: an achievement on the promotion list (推广清单), in the bureau's order."""

    achievement = models.OneToOneField(
        Achievement, on_delete=models.PROTECT, related_name="promotion"
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    note = models.CharField(_("why it is promoted"), max_length=300, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("promotion list entry")
        verbose_name_plural = _("promotion list")
        ordering = ("position", "added_at")

    def __str__(self) -> str:
        return str(self.achievement)


class MajorRelease(models.Model):
    """M8.2: a release of major achievements (重大科技成果发布), dated, with its selection."""

    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title in English"), max_length=200, blank=True)
    release_date = models.DateField(_("release date"))
    description = models.TextField(_("description"), blank=True)
    achievements = models.ManyToManyField(
        Achievement, related_name="major_releases", verbose_name=_("achievements")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("major achievement release")
        verbose_name_plural = _("major achievement releases")
        ordering = ("-release_date", "-id")

    def __str__(self) -> str:
        return self.title
