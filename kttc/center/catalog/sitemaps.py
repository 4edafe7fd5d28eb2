from datetime import datetime

from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet
from django.urls import reverse

from kttc.registry.models import Achievement
from kttc.registry.selectors import public_achievements


class AchievementSitemap(Sitemap):
    """Public achievements only (rule 8): restricted ones are never listed."""

    changefreq = "weekly"
    limit = 10000

    def items(self) -> QuerySet[Achievement]:
        return public_achievements().order_by("pk").only("pk", "updated_at")

    def location(self, item: Achievement) -> str:
        return reverse("catalog:detail", args=[item.pk])

    def lastmod(self, item: Achievement) -> datetime:
        return item.updated_at


class PagesSitemap(Sitemap):
    def items(self) -> list[str]:
        return [
            "home",
            "catalog:list",
            "catalog:promoted",
            "catalog:releases",
            "organisation_list",
            "policy_parameters",
        ]

    def location(self, item: str) -> str:
        return reverse(item)
