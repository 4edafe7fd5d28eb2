"""Threads of questions and expressions of interest on a published result (M8.1, M8.3): between
the organisation that asks (an enterprise or a service institution) and the result's unit, whose
transfer office answers. Messages are never changed once written; a thread is open or closed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kttc.center.inquiries.choices import InquiryKind, InquiryStatus, Side
from kttc.core.models import Organisation
from kttc.registry.models import Achievement

SUBJECT_MAX = 200
TEXT_MAX = 5000


class Inquiry(models.Model):
    """A thread on ``achievement`` between ``asker`` and the result's ``unit``. Each side's
    ``*_read_at`` is when one of its people last read the thread: a message of the other side
    written after it is unread for that side."""

    achievement = models.ForeignKey(
        Achievement, on_delete=models.PROTECT, related_name="inquiries", verbose_name=_("result")
    )
    unit = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="inquiries_received",
        verbose_name=_("unit"),
    )  # fmt: skip
    asker = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="inquiries_asked",
        verbose_name=_("asking organisation"),
    )  # fmt: skip
    kind = models.CharField(_("kind"), max_length=16, choices=InquiryKind.choices)
    subject = models.CharField(_("subject"), max_length=SUBJECT_MAX)
    status = models.CharField(
        _("status"), max_length=16, choices=InquiryStatus.choices, default=InquiryStatus.OPEN
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("opened"), auto_now_add=True, db_index=True)
    last_message_at = models.DateTimeField(_("last message"), db_index=True)
    last_message_side = models.CharField(max_length=8, choices=Side.choices)
    asker_read_at = models.DateTimeField(null=True, blank=True)
    unit_read_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True,
        blank=True,
    )  # fmt: skip

    class Meta:
        verbose_name = _("question on a result")
        verbose_name_plural = _("questions on results")
        ordering = ("-last_message_at", "-id")
        indexes = [models.Index(fields=["opened_by", "created_at"], name="inquiry_opened_by")]

    def __str__(self) -> str:
        return self.subject

    def unread_for(self, side: str) -> bool:
        """Whether the last message, written by the other side, is newer than ``side``'s read."""
        if self.last_message_side == side:
            return False
        read = self.unit_read_at if side == Side.UNIT else self.asker_read_at
        return read is None or read < self.last_message_at


class InquiryMessage(models.Model):
    """One message of a thread, by a person of one side; never changed."""

    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    side = models.CharField(_("side"), max_length=8, choices=Side.choices)
    text = models.TextField(_("message"))
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ("created_at", "id")

    def __str__(self) -> str:
        return self.text[:80]
