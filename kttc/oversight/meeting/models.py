"""The joint meeting (M13.1, M13.2): difficulties and blockages (难点堵点) raised by units,
enterprises and institutions with their evidence kept by hash, the meeting's sessions with
agenda, attendees and minutes, the decisions taken on a difficulty and the tasks they are
broken into, each with an owning department or county/district, a deadline and a deliverable,
closed with its evidence."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kttc.core.models import KeptDocument, Organisation
from kttc.oversight.meeting.choices import (
    OWNER_CHOICES,
    DifficultyCategory,
    DifficultyStatus,
    TaskStatus,
    owner_name,
)


class Difficulty(models.Model):
    """A difficulty or blockage raised to the joint meeting, tracked to closure (M13.1)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="meeting_difficulties",
        verbose_name=_("raised by"),
    )  # fmt: skip
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    category = models.CharField(
        _("field"), max_length=16, choices=DifficultyCategory.choices,
        default=DifficultyCategory.OTHER,
    )  # fmt: skip
    status = models.CharField(
        _("status"), max_length=16, choices=DifficultyStatus.choices,
        default=DifficultyStatus.RAISED,
    )  # fmt: skip
    raised_on = models.DateField(_("raised on"))
    #: What resolved it (the tasks' outcome, summarised by the bureau) or why the bureau closed it.
    resolution = models.TextField(_("resolution"), blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("difficulty")
        verbose_name_plural = _("difficulties")
        ordering = ("-raised_on", "-id")
        indexes = (models.Index(fields=("status", "raised_on")),)

    def __str__(self) -> str:
        return self.title


class DifficultyDocument(KeptDocument):
    """Evidence of a difficulty: its title, file name, SHA-256 (also in the audit chain) and the
    file, stored under MEDIA_ROOT by its hash."""

    difficulty = models.ForeignKey(Difficulty, on_delete=models.PROTECT, related_name="documents")

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ("uploaded_at", "id")


class MeetingSession(models.Model):
    """A session of the joint meeting, convened by the bureau (M13.1)."""

    held_on = models.DateField(_("held on"))
    title = models.CharField(_("title"), max_length=200)
    place = models.CharField(_("place"), max_length=200, blank=True)
    #: Departments and people attending, one an item (free text).
    attendees = models.JSONField(_("attendees"), default=list)
    agenda = models.ManyToManyField(Difficulty, related_name="sessions", blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    minutes_recorded_at = models.DateTimeField(null=True, blank=True)
    convened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("session of the joint meeting")
        verbose_name_plural = _("sessions of the joint meeting")
        ordering = ("-held_on", "-id")

    def __str__(self) -> str:
        return f"{self.held_on} {self.title}"


class MeetingDecision(models.Model):
    """What a session decided on a difficulty (M13.1), broken into tasks (M13.2)."""

    session = models.ForeignKey(MeetingSession, on_delete=models.PROTECT, related_name="decisions")
    difficulty = models.ForeignKey(Difficulty, on_delete=models.PROTECT, related_name="decisions")
    text = models.TextField(_("decision"))
    decided_on = models.DateField(_("decided on"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("decision of the joint meeting")
        verbose_name_plural = _("decisions of the joint meeting")
        ordering = ("decided_on", "id")

    def __str__(self) -> str:
        return f"{self.session} · {self.difficulty}"


class MeetingTask(models.Model):
    """A task of a decision, owned by a department or a county/district (M13.2)."""

    decision = models.ForeignKey(MeetingDecision, on_delete=models.PROTECT, related_name="tasks")
    difficulty = models.ForeignKey(Difficulty, on_delete=models.PROTECT, related_name="tasks")
    owner = models.CharField(_("owner"), max_length=32, choices=OWNER_CHOICES)
    #: The platform's organisation of the owner, if it has one (its members close the task).
    owner_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True,
        related_name="meeting_tasks",
    )  # fmt: skip
    deliverable = models.TextField(_("deliverable"))
    deadline = models.DateField(_("deadline"))
    status = models.CharField(
        _("status"), max_length=16, choices=TaskStatus.choices, default=TaskStatus.OPEN
    )
    evidence = models.TextField(_("evidence"), blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    #: The sweep's claims (DESIGN rule 5): the reminder before the deadline, the overdue notice.
    reminded_at = models.DateTimeField(null=True, blank=True)
    overdue_notified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ("deadline", "id")
        indexes = (models.Index(fields=("status", "deadline")),)
        constraints = (
            models.CheckConstraint(
                condition=models.Q(status="closed", closed_on__isnull=False)
                | ~models.Q(status="closed"),
                name="meeting_task_closed_has_date",
            ),
        )

    def __str__(self) -> str:
        return f"{self.get_owner_display()} · {self.deadline}"

    def owner_name(self) -> str:
        """The owner in the reader's language, with its Chinese name (M13.2)."""
        return owner_name(self.owner)


class MeetingTaskDocument(KeptDocument):
    """A document of a task's evidence, kept by its SHA-256 (M13.2)."""

    task = models.ForeignKey(MeetingTask, on_delete=models.PROTECT, related_name="documents")

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ("uploaded_at", "id")
