"""Forms of technology finance (M12.1, M12.3): a bank's product, an enterprise's application
(with the patents it pledges, chosen from its results in the registry), the bank's approval of
a loan or a cover, its refusal, and a repayment."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kttc.benefits.forms import DATE
from kttc.center.finance import services
from kttc.center.finance.choices import CoverPurpose, ProductKind, RepaymentMethod
from kttc.core.text import TextGuardMixin


class ProductForm(TextGuardMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ProductKind.choices)
    name = forms.CharField(label=_("Name (Chinese)"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200)
    description = forms.CharField(
        label=_("Description (Chinese)"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    description_en = forms.CharField(
        label=_("Description (English)"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    amount_min = forms.DecimalField(
        label=_("Least amount (yuan)"), max_digits=18, decimal_places=2, min_value=0
    )
    amount_max = forms.DecimalField(
        label=_("Most amount (yuan)"), max_digits=18, decimal_places=2, min_value=0
    )
    term_min = forms.IntegerField(label=_("Shortest term (months)"), min_value=1, max_value=360)
    term_max = forms.IntegerField(label=_("Longest term (months)"), min_value=1, max_value=360)
    rate = forms.DecimalField(
        label=_("Indicative annual rate (%)"), max_digits=6, decimal_places=3, min_value=0,
        help_text=_("For a guarantee or insurance, its fee or premium rate."),
    )  # fmt: skip
    eligible = forms.CharField(
        label=_("Eligible fields and collateral"), max_length=5000, required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip
    purposes = forms.MultipleChoiceField(
        label=_("Covers (guarantees and insurance, M12.3)"), choices=CoverPurpose.choices,
        required=False, widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    is_open = forms.BooleanField(label=_("Open to applications"), required=False, initial=True)

    def data_(self) -> services.ProductData:
        d = self.cleaned_data
        return services.ProductData(
            d["kind"], d["name"], d["name_en"], d["description"], d["description_en"],
            d["amount_min"], d["amount_max"], d["term_min"], d["term_max"], d["rate"],
            d["eligible"], tuple(d["purposes"]), bool(d["is_open"]),
        )  # fmt: skip


class ApplicationForm(TextGuardMixin, forms.Form):
    amount = forms.DecimalField(
        label=_("Amount (yuan)"), max_digits=18, decimal_places=2, min_value=0
    )
    term = forms.IntegerField(label=_("Term (months)"), min_value=1, max_value=360)
    purpose = forms.CharField(
        label=_("Purpose"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, patents: list[tuple[str, str]] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if patents is not None:
            self.fields["patents"] = forms.MultipleChoiceField(
                label=_("Patents pledged (your results in the registry)"),
                choices=patents, widget=forms.CheckboxSelectMultiple, required=False,
            )  # fmt: skip

    def request(self) -> services.Request:
        d = self.cleaned_data
        return services.Request(d["amount"], d["term"], d["purpose"], tuple(d.get("patents") or ()))


class ApproveForm(TextGuardMixin, forms.Form):
    amount = forms.DecimalField(
        label=_("Amount granted (yuan)"),
        required=False,
        max_digits=18,
        decimal_places=2,
        min_value=0,
    )
    rate = forms.DecimalField(
        label=_("Annual rate (%)"), max_digits=6, decimal_places=3, min_value=0, required=False
    )
    term = forms.IntegerField(label=_("Term (months)"), min_value=1, max_value=360, required=False)
    method = forms.ChoiceField(label=_("Repayment method"), choices=RepaymentMethod.choices)
    registration_number = forms.CharField(
        label=_("Pledge registration number"), max_length=60, required=False,
        help_text=_("For an IP pledge loan: the registration of the pledge (M12.1)."),
    )  # fmt: skip
    registered_on = forms.DateField(label=_("Pledge registered on"), widget=DATE, required=False)

    def grant(self) -> services.LoanDecision:
        d = self.cleaned_data
        return services.LoanDecision(
            d["amount"], d["rate"], d["term"], d["method"], d["registration_number"] or "",
            d["registered_on"],
        )  # fmt: skip


class CoverForm(TextGuardMixin, forms.Form):
    number = forms.CharField(label=_("Policy or guarantee number"), max_length=60, required=False)
    cover_amount = forms.DecimalField(
        label=_("Cover amount (yuan)"), required=False, max_digits=18, decimal_places=2, min_value=0
    )
    premium = forms.DecimalField(
        label=_("Premium or fee (yuan)"),
        required=False,
        max_digits=18,
        decimal_places=2,
        min_value=0,
    )
    start = forms.DateField(label=_("Cover from"), widget=DATE, required=False)
    end = forms.DateField(label=_("Cover until"), widget=DATE, required=False)

    def cover(self) -> services.CoverDecision:
        d = self.cleaned_data
        return services.CoverDecision(
            d["number"] or "", d["cover_amount"], d["premium"], d["start"], d["end"]
        )


class RefuseForm(TextGuardMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reasons"), max_length=2000, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip


class RepaymentForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Amount repaid (yuan)"),
        required=False,
        max_digits=18,
        decimal_places=2,
        min_value=0,
    )
    paid_on = forms.DateField(label=_("Paid on"), widget=DATE, required=False)
