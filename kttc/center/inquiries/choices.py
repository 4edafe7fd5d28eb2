"""Kinds, states and sides of a thread of questions on a result."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class InquiryKind(models.TextChoices):
    QUESTION = "question", _("Question")
    INTEREST = "interest", _("Expression of interest")


class InquiryStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("inquiry status", "Open")
    CLOSED = "closed", pgettext_lazy("inquiry status", "Closed")


class Side(models.TextChoices):
    """Who wrote a message: the organisation that asked, or the result's unit."""

    ASKER = "asker", _("Asking organisation")
    UNIT = "unit", _("The result's unit")
