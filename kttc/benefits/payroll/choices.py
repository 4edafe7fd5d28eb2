"""The identity documents a person's payroll data names (M5.1), as TextChoices."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from kttc.policy.payroll import IdDocument as Rule


class IdDocument(models.TextChoices):
    """Those of :class:`kttc.policy.payroll.IdDocument`: a resident identity card's number is
    checked (GB 11643-1999), the others are kept as typed."""

    RESIDENT_ID = Rule.RESIDENT_ID.value, _("Resident identity card")
    PASSPORT = Rule.PASSPORT.value, _("Passport")
    HK_MACAO_PERMIT = (
        Rule.HK_MACAO_PERMIT.value,
        _("Travel permit of a Hong Kong or Macao resident"),
    )
    TAIWAN_PERMIT = Rule.TAIWAN_PERMIT.value, _("Travel permit of a Taiwan resident")
    FOREIGN_PERMANENT_ID = Rule.FOREIGN_PERMANENT_ID.value, _("Foreign permanent resident ID card")
    OTHER = Rule.OTHER.value, _("Other identity document")
