"""A unit's payroll roster and layout (M5.1): what its payroll office needs to pay the cash
rewards of its distributions.

The roster holds, for each person of the unit's teams (named as the distribution lines name
her), her staff number, identity document and bank account. It is personal data: only the
unit's transfer office reads or changes it, pages show the numbers masked, the payroll export
gives them whole, and each change is an audit entry with the numbers masked. The layout is which
columns the unit's payroll file carries, in which order, under which headers; a unit without one
exports the default (``kttc.policy.payroll.DEFAULT_COLUMNS``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kttc.benefits.payroll.choices import IdDocument
from kttc.core.models import Organisation


class RosterEntry(models.Model):
    """M5.1: one person's payroll data in the unit; blank where the office does not have it."""

    unit = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="payroll_roster")
    name = models.CharField(_("name"), max_length=100)
    staff_number = models.CharField(_("staff number"), max_length=40, blank=True)
    id_type = models.CharField(
        _("identity document"), max_length=24, choices=IdDocument.choices, blank=True
    )
    id_number = models.CharField(_("identity document number"), max_length=40, blank=True)
    bank_name = models.CharField(_("bank"), max_length=100, blank=True)
    bank_account = models.CharField(_("bank account number"), max_length=30, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("payroll roster entry")
        ordering = ("unit", "name")
        constraints = (
            models.UniqueConstraint(fields=("unit", "name"), name="payroll_roster_one_per_name"),
        )

    def __str__(self) -> str:
        return self.name  # never a number: this is what an audit entry names


class PayrollLayout(models.Model):
    """M5.1: the columns of the unit's payroll file: ``[[column, header], …]`` in the file's
    order, as :func:`kttc.policy.payroll.check_layout` accepted them."""

    unit = models.OneToOneField(
        Organisation, on_delete=models.PROTECT, related_name="payroll_layout"
    )
    columns = models.JSONField(_("columns"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("payroll layout")

    def __str__(self) -> str:
        return str(self.unit)
