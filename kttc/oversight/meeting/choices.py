"""Choices of the joint meeting (M13.1, M13.2), their values those of :mod:`kttc.policy.meeting`."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kttc.policy import meeting as rules


class DifficultyStatus(models.TextChoices):
    RAISED = rules.Status.RAISED, pgettext_lazy("difficulty", "raised")
    ON_AGENDA = rules.Status.ON_AGENDA, _("on the agenda")
    DECIDED = rules.Status.DECIDED, pgettext_lazy("difficulty", "decided")
    RESOLVED = rules.Status.RESOLVED, pgettext_lazy("difficulty", "resolved")
    CLOSED = rules.Status.CLOSED, pgettext_lazy("difficulty", "closed")


class TaskStatus(models.TextChoices):
    OPEN = rules.TaskStatus.OPEN, pgettext_lazy("task", "open")
    CLOSED = rules.TaskStatus.CLOSED, pgettext_lazy("task", "closed")


#: The owners of tasks (M13.2), named as the measures name them (Chinese proper names).
OWNER_CHOICES: list[tuple[str, str]] = [
    (code, name) for code, (_kind, name) in rules.OWNERS.items()
]
