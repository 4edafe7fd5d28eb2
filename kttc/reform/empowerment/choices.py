"""Statuses and kinds of the empowerment reform (M1), with translated labels; the values come
from ``kttc.policy.empowerment``, whose transition table moves them."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kttc.policy.empowerment import Right as PolicyRight
from kttc.policy.empowerment import RightStatus as PolicyRightStatus
from kttc.policy.empowerment import Status as PolicyStatus


class Right(models.TextChoices):
    OWNERSHIP = PolicyRight.OWNERSHIP.value, _("Ownership")
    LONG_TERM_USE = PolicyRight.LONG_TERM_USE.value, _("Long-term use right")


class ApplicationStatus(models.TextChoices):
    APPLIED = PolicyStatus.APPLIED.value, _("Applied, awaiting the unit's review")
    APPROVED = PolicyStatus.APPROVED.value, _("Approved, notice to be published")
    IN_NOTICE = PolicyStatus.IN_NOTICE.value, _("In notice inside the unit")
    GRANTED = PolicyStatus.GRANTED.value, pgettext_lazy("empowerment", "Right granted")
    REJECTED = PolicyStatus.REJECTED.value, _("Rejected by the unit")
    WITHDRAWN = PolicyStatus.WITHDRAWN.value, _("Withdrawn by the completers")


class RightStatus(models.TextChoices):
    ACTIVE = PolicyRightStatus.ACTIVE.value, _("In force")
    EXPIRED = PolicyRightStatus.EXPIRED.value, _("Expired")
    REVOKED = PolicyRightStatus.REVOKED.value, _("Revoked")


class DocumentKind(models.TextChoices):
    PLAN = "plan", _("Transformation implementation plan")
    REQUIRED = "required", _("Document the unit's rules require")
    OTHER = "other", _("Other document")
    REPORT = "report", _("Progress and income report")


class Side(models.TextChoices):
    """The two parties of the written agreement (M1.6)."""

    UNIT = "unit", _("The unit")
    TEAM = "team", _("The completers (team)")


class EventKind(models.TextChoices):
    APPLIED = "applied", _("Applied")
    APPROVED = "approved", _("Approved by the unit")
    REJECTED = "rejected", _("Rejected by the unit")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    NOTICE = "notice", _("Notice published")
    OBJECTION = "objection", _("Objection raised")
    ANSWER = "answer", _("Objection answered")
    AGREEMENT = "agreement", _("Agreement drawn up")
    SIGNED = "signed", _("Agreement signed")
    GRANTED = "granted", pgettext_lazy("empowerment", "Right granted")
    EXTENDED = "extended", _("Right extended")
    EXPIRED = "expired", _("Right expired")
    REVOKED = "revoked", _("Right revoked")
