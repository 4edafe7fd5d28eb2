"""M8.6: achievements and their units, completers, IP, translations and events."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kttc.core.models import ImmutableQuerySet, Organisation
from kttc.registry import choices
from kttc.registry.projects.models import FiscalProject


class Achievement(models.Model):
    """A scientific and technological achievement (科技成果), following the national results
    registration form. Classified results never get a row (M8.6)."""

    unit = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="achievements", verbose_name=_("unit")
    )
    name = models.CharField(_("name"), max_length=300)
    achievement_type = models.CharField(
        _("type"), max_length=16, choices=choices.AchievementType.choices
    )
    attribute = models.CharField(
        _("attribute"), max_length=16, choices=choices.AchievementAttribute.choices
    )
    keywords = models.JSONField(_("keywords"), default=list)
    abstract = models.TextField(_("abstract"))
    discipline_code = models.CharField(_("discipline (GB/T 13745)"), max_length=7)
    industry_code = models.CharField(_("industry (GB/T 4754)"), max_length=5)
    trl = models.PositiveSmallIntegerField(_("readiness level (GB/T 22900)"))
    stage = models.CharField(_("stage"), max_length=8, choices=choices.Stage.choices)
    evaluation_level = models.CharField(
        _("level"),
        max_length=32,
        choices=choices.EvaluationLevel.choices,
        default=choices.EvaluationLevel.NOT_EVALUATED,
    )
    formation_date = models.DateField(_("formation date"))
    source_project = models.ForeignKey(
        FiscalProject,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="achievements",
        verbose_name=_("source project"),
    )
    confidentiality = models.CharField(
        _("confidentiality"), max_length=16, choices=choices.Confidentiality.choices
    )
    national_interest = models.BooleanField(
        _("touches national security or major public interests (M1.8)"), default=False
    )
    transformation_modes = models.JSONField(_("transformation wanted"), default=list)
    use_first_pay_later = models.BooleanField(
        _("willing to license use first, pay later"), default=False
    )
    asking_terms = models.TextField(_("asking terms"), blank=True)
    advantage = models.TextField(_("advantage over existing solutions"), blank=True)
    target_market = models.TextField(_("target market"), blank=True)
    route_to_market = models.TextField(_("route to market"), blank=True)
    original_language = models.CharField(_("original language"), max_length=10, default="zh-hans")
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=choices.Status.choices,
        default=choices.Status.DRAFT,
    )
    submission_due = models.DateField(
        _("due on the platform (M8.6)"), null=True, blank=True, db_index=True
    )
    # DESIGN rule 5: when the sweep claimed the result for its reminder and for its overdue
    # notice (kttc.registry.sweep); each is set once, by a conditional UPDATE.
    due_reminded_at = models.DateTimeField(_("reminded of the due date"), null=True, blank=True)
    overdue_notified_at = models.DateTimeField(_("notified overdue"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)
    return_reason = models.TextField(_("reason for return"), blank=True)
    external_ref = models.CharField(_("unit's reference"), max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("achievement")
        verbose_name_plural = _("achievements")
        ordering = ("-published_at", "-id")
        constraints = (
            models.UniqueConstraint(
                fields=("unit", "external_ref"),
                condition=~models.Q(external_ref=""),
                name="achievement_ref_unique_per_unit",
            ),
            models.CheckConstraint(
                condition=models.Q(trl__gte=1, trl__lte=9), name="achievement_trl_1_to_9"
            ),
            models.CheckConstraint(
                condition=~models.Q(confidentiality="classified"),
                name="achievement_never_classified",
            ),
        )
        # Few indexes: each one is written for every result stored (a bulk import writes
        # millions). Facets and text are the search index's; these serve the public list
        # (status first), the unit's lists and the due dates.
        indexes = (
            models.Index(fields=("status", "confidentiality", "-published_at")),
            models.Index(fields=("unit", "status")),
            # The sweep's claims (M8.6): rows not yet claimed, by status and due date. Partial:
            # only fiscally funded results (with a due date) are written to them, and a claimed
            # row leaves the "not yet claimed" end, so a sweep with nothing to do reads nothing.
            models.Index(
                fields=("due_reminded_at", "status", "submission_due"),
                condition=models.Q(submission_due__isnull=False),
                name="achievement_due_reminder",
            ),
            models.Index(
                fields=("overdue_notified_at", "status", "submission_due"),
                condition=models.Q(submission_due__isnull=False),
                name="achievement_overdue_notice",
            ),
        )

    def __str__(self) -> str:
        return self.name

    @property
    def is_public(self) -> bool:
        return (
            self.status == choices.Status.PUBLISHED
            and self.confidentiality == choices.Confidentiality.PUBLIC
        )


class AchievementUnit(models.Model):
    """A completing unit, in order of contribution, with its share in percent."""

    achievement = models.ForeignKey(
        Achievement,
        on_delete=models.CASCADE,
        related_name="completing_units",
        db_index=False,  # the unique (achievement, position) index serves it
    )
    position = models.PositiveSmallIntegerField()
    name = models.CharField(_("unit"), max_length=200)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    share = models.DecimalField(_("share (%)"), max_digits=5, decimal_places=2)

    class Meta:
        ordering = ("position",)
        constraints = (
            models.UniqueConstraint(
                fields=("achievement", "position"), name="unit_position_unique"
            ),
        )

    def __str__(self) -> str:
        return self.name


class Completer(models.Model):
    """A completer (完成人), in order of contribution, with the share in percent."""

    achievement = models.ForeignKey(
        Achievement,
        on_delete=models.CASCADE,
        related_name="completers",
        db_index=False,  # the unique (achievement, position) index serves it
    )
    position = models.PositiveSmallIntegerField()
    name = models.CharField(_("name"), max_length=100)
    unit_name = models.CharField(_("unit"), max_length=200, blank=True)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    share = models.DecimalField(_("share (%)"), max_digits=5, decimal_places=2)

    class Meta:
        ordering = ("position",)
        constraints = (
            models.UniqueConstraint(
                fields=("achievement", "position"), name="completer_position_unique"
            ),
        )

    def __str__(self) -> str:
        return self.name


class IPRight(models.Model):
    """A patent, software copyright, plant variety or other right behind an achievement."""

    achievement = models.ForeignKey(Achievement, on_delete=models.CASCADE, related_name="ip_rights")
    kind = models.CharField(_("kind"), max_length=24, choices=choices.IPKind.choices)
    number = models.CharField(_("application or registration number"), max_length=40)
    title = models.CharField(_("title"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=choices.IPStatus.choices)
    grant_date = models.DateField(_("grant date"), null=True, blank=True)

    class Meta:
        ordering = ("kind", "number")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"


class AchievementTranslation(models.Model):
    """The title, abstract and keywords, and what enterprises read (the advantage, the target
    market, the route to market), in another language than the original."""

    achievement = models.ForeignKey(
        Achievement,
        on_delete=models.CASCADE,
        related_name="translations",
        db_index=False,  # the unique (achievement, language) index serves it
    )
    language = models.CharField(_("language"), max_length=10)
    name = models.CharField(_("name"), max_length=300)
    abstract = models.TextField(_("abstract"))
    keywords = models.JSONField(_("keywords"), default=list)
    advantage = models.TextField(_("advantage over existing solutions"), blank=True, default="")
    target_market = models.TextField(_("target market"), blank=True, default="")
    route_to_market = models.TextField(_("route to market"), blank=True, default="")

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=("achievement", "language"), name="one_translation_per_language"
            ),
        )

    def __str__(self) -> str:
        return f"{self.language}: {self.name}"


class AchievementEvent(models.Model):
    """One step of an achievement's workflow (M8.6). Never updated or deleted."""

    achievement = models.ForeignKey(Achievement, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, choices=choices.EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    reason = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        ordering = ("at", "id")

    def __str__(self) -> str:
        return f"{self.achievement_id} {self.kind}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise TypeError("Achievement events cannot be changed.")
        super().save(*args, **kwargs)
