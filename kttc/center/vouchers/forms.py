"""Forms of innovation vouchers (M12.2): the bureau's programme, an enterprise's application,
the bureau's issue (the value) or refusal (the reason), the enterprise's choice of a certified
institution, and the institution's redemption (the service delivered, its invoice, the amount)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kttc.benefits.forms import DATE
from kttc.center.vouchers.choices import ServiceKind, ValueMode
from kttc.center.vouchers.models import VoucherProgramme
from kttc.center.vouchers.services import ProgrammeTerms, Service
from kttc.core.models import Organisation
from kttc.core.text import TextGuardMixin


def _money(label: Any, *, required: bool = True, help_text: Any = "") -> forms.DecimalField:
    """An amount in yuan above 0, to the fen."""
    return forms.DecimalField(
        label=label, max_digits=18, decimal_places=2, min_value=Decimal("0.01"),
        required=required, help_text=help_text,
    )  # fmt: skip


class ProgrammeForm(TextGuardMixin, forms.Form):
    name = forms.CharField(label=_("Name of the programme"), max_length=200)
    budget = _money(_("Budget (yuan)"))
    services = forms.MultipleChoiceField(
        label=_("Eligible services"), choices=ServiceKind.choices,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    value_mode = forms.ChoiceField(label=_("Value of a voucher"), choices=ValueMode.choices)
    value = _money(_("Value per voucher (yuan)"))
    opens_on = forms.DateField(label=_("Applications open on"), widget=DATE)
    closes_on = forms.DateField(label=_("Applications close on"), widget=DATE)
    valid_until = forms.DateField(label=_("Vouchers valid until"), widget=DATE)
    local_only = forms.BooleanField(
        label=_("Only enterprises registered in Kunming"), required=False
    )

    def terms(self) -> ProgrammeTerms:
        return ProgrammeTerms(**self.cleaned_data)


class ApplicationForm(TextGuardMixin, forms.Form):
    programme = forms.ModelChoiceField(
        label=_("Programme"), queryset=VoucherProgramme.objects.none(), empty_label=None
    )
    service = forms.ChoiceField(label=_("Service wanted"), choices=ServiceKind.choices)
    amount = _money(_("Amount asked (yuan)"))
    purpose = forms.CharField(
        label=_("Purpose"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, programmes: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["programme"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = programmes if programmes is not None else VoucherProgramme.objects.none()


class IssueForm(forms.Form):
    value = _money(
        _("Value of the voucher (yuan)"), required=False,
        help_text=_("Left empty: the amount asked (or the programme's fixed value)."),
    )  # fmt: skip


class ReasonForm(TextGuardMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class PresentForm(forms.Form):
    institution = forms.ModelChoiceField(
        label=_("Certified service institution"), queryset=Organisation.objects.none()
    )

    def __init__(self, *args: Any, institutions: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["institution"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Organisation.objects.filter(pk__in=[o.pk for o in institutions])


class RedeemForm(TextGuardMixin, forms.Form):
    description = forms.CharField(
        label=_("Service delivered"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    invoice_number = forms.CharField(label=_("Invoice number"), max_length=40)
    amount = _money(_("Amount (yuan)"))

    def service(self) -> Service:
        data = self.cleaned_data
        return Service(data["description"], data["invoice_number"], data["amount"])
