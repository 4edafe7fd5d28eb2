"""The fields a person may follow."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class FieldScheme(models.TextChoices):
    """A classification a followed field's code belongs to, as the catalog's facets use it."""

    DISCIPLINE = "discipline", _("Discipline (GB/T 13745)")
    INDUSTRY = "industry", _("Industry (GB/T 4754)")
