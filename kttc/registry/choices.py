"""Kinds and statuses of the registry, with translated labels."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kttc.policy.registry import Confidentiality as PolicyConfidentiality
from kttc.policy.registry import Status as PolicyStatus


class AchievementType(models.TextChoices):
    APPLIED = "applied", _("Applied technology")
    BASIC = "basic", _("Basic theory")
    SOFT = "soft", _("Soft science")


class AchievementAttribute(models.TextChoices):
    ORIGINAL = "original", _("Original innovation")
    IMPORTED = "imported", _("Absorbed and re-innovated from abroad")
    SECONDARY = "secondary", _("Secondary development of domestic technology")


class EvaluationLevel(models.TextChoices):
    INTERNATIONAL_LEADING = "international_leading", _("Internationally leading")
    INTERNATIONAL_ADVANCED = "international_advanced", _("Internationally advanced")
    DOMESTIC_LEADING = "domestic_leading", _("Domestically leading")
    DOMESTIC_ADVANCED = "domestic_advanced", _("Domestically advanced")
    NOT_EVALUATED = "not_evaluated", _("Not evaluated")


class Stage(models.TextChoices):
    EARLY = "early", _("Early")
    MIDDLE = "middle", _("Middle")
    MATURE = "mature", _("Mature")


class Confidentiality(models.TextChoices):
    PUBLIC = PolicyConfidentiality.PUBLIC.value, _("Public")
    RESTRICTED = PolicyConfidentiality.RESTRICTED.value, _("Restricted (unit and bureau only)")


class Status(models.TextChoices):
    DRAFT = PolicyStatus.DRAFT.value, _("Draft")
    SUBMITTED = PolicyStatus.SUBMITTED.value, _("Submitted, awaiting review")
    RETURNED = PolicyStatus.RETURNED.value, _("Returned for changes")
    PUBLISHED = PolicyStatus.PUBLISHED.value, _("Published")
    WITHDRAWN = PolicyStatus.WITHDRAWN.value, _("Withdrawn")


class TransformationMode(models.TextChoices):
    TRANSFER = "transfer", _("Transfer")
    LICENCE = "licence", _("Licence")
    EQUITY = "equity", _("Equity investment")
    JOINT = "joint_development", _("Joint development")


class IPKind(models.TextChoices):
    INVENTION = "invention", _("Invention patent")
    UTILITY_MODEL = "utility_model", _("Utility model patent")
    DESIGN = "design", _("Design patent")
    SOFTWARE = "software_copyright", _("Software copyright")
    PLANT_VARIETY = "plant_variety", _("Plant variety right")
    OTHER = "other", _("Other")


class IPStatus(models.TextChoices):
    PENDING = "pending", _("Application pending")
    GRANTED = "granted", pgettext_lazy("IP right status", "Granted")
    LAPSED = "lapsed", _("Lapsed")


class ProjectStatus(models.TextChoices):
    APPROVED = "approved", _("Approved")
    ACCEPTED = "accepted", pgettext_lazy("project", "Accepted")


class EventKind(models.TextChoices):
    CREATED = "created", _("Created")
    UPDATED = "updated", _("Updated")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for changes")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    IMPORTED = "imported", _("Imported")
