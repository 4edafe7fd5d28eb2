"""Forms of service institutions and brokers (M9): a broker's record, the application for
certification with its materials, the bureau's decisions, the subsidy's disbursement and the
brokers' reward (a row editor: a broker and a percentage per line)."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from kttc.benefits.forms import DATE, PercentField
from kttc.center.demands.choices import DemandLanguage
from kttc.center.institutions import services
from kttc.center.institutions.choices import CertificateLevel, DealKind
from kttc.center.institutions.models import BrokerProfile
from kttc.core.rows import ChoiceCell, Column, RowsField
from kttc.core.services import Document
from kttc.core.text import TextGuardMixin


def as_document(upload: Any) -> Document:
    return Document(upload.name, upload.read())


def _names(text: str) -> list[str]:
    """Fields as typed: separated by commas, “、”, semicolons or lines."""
    return [name.strip() for name in re.split(r"[,，、;；\n]", text) if name.strip()]


class BrokerForm(TextGuardMixin, forms.Form):
    person = forms.ChoiceField(
        label=_("Broker"),
        help_text=_("A member of the institution; invite them first if they are not."),
    )
    certificate_number = forms.CharField(label=_("Certificate number"), max_length=40)
    certificate_level = forms.ChoiceField(
        label=_("Certificate level"), choices=CertificateLevel.choices
    )
    fields_text = forms.CharField(
        label=_("Fields"),
        max_length=1000,
        help_text=_("Separated by commas, for example: new materials, biomedicine."),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=DemandLanguage.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    introduction = forms.CharField(
        label=_("Introduction"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip

    def __init__(self, *args: Any, people: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        person = cast(forms.ChoiceField, self.fields["person"])
        if people is None:
            del self.fields["person"]
        else:
            person.choices = [(p.pk, f"{p.full_name} <{p.email}>") for p in people]

    def data_for_service(self) -> services.BrokerData:
        d = self.cleaned_data
        return services.BrokerData(
            certificate_number=d["certificate_number"],
            certificate_level=d["certificate_level"],
            fields=_names(d["fields_text"]),
            languages=list(d["languages"]),
            introduction=d.get("introduction", ""),
        )


#: The materials an application takes: the first is required.
MATERIALS = (
    ("application", _("Application form")),
    ("licence", _("Business licence and qualifications")),
    ("record", _("Service record and cases")),
    ("other", _("Other material")),
)


class ApplicationForm(TextGuardMixin, forms.Form):
    statement = forms.CharField(
        label=_("Statement"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "The institution's services, its brokers and its results in technology transfer."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for index, (key, label) in enumerate(MATERIALS):
            self.fields[f"material_{key}"] = forms.FileField(label=label, required=index == 0)

    def materials(self) -> list[services.Material]:
        return [
            services.Material(str(label), as_document(self.cleaned_data[f"material_{key}"]))
            for key, label in MATERIALS
            if self.cleaned_data.get(f"material_{key}")
        ]


class CertifyForm(forms.Form):
    term_start = forms.DateField(label=_("Term from"), widget=DATE)
    term_end = forms.DateField(label=_("Term until"), widget=DATE)


class ReasonForm(TextGuardMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class SubsidyForm(forms.Form):
    disbursed_on = forms.DateField(label=_("Disbursed on"), widget=DATE)


class RewardForm(forms.Form):
    total = forms.DecimalField(
        label=_("Brokers' total (yuan)"), max_digits=18, decimal_places=2, min_value=0
    )

    def __init__(self, *args: Any, brokers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["shares"] = RowsField(
            [
                Column(
                    "broker",
                    _("Broker"),
                    ChoiceCell(choices=[(str(b.pk), str(b)) for b in brokers]),
                ),
                Column(
                    "percent",
                    _("Percent"),
                    PercentField(max_digits=12, decimal_places=6),
                    "narrow",
                ),
            ],
            label=_("The brokers' agreed shares"),
            help_text=_("A broker and a percentage per line; the percentages add up to 100."),
        )

    def clean_shares(self) -> dict[int, Decimal]:
        shares: dict[int, Decimal] = {}
        for number, row in enumerate(self.cleaned_data["shares"], start=1):
            key = int(row["broker"])
            if key in shares:
                raise forms.ValidationError(
                    _("Line %(line)s: this broker is named twice."), params={"line": number}
                )
            if row["percent"] is None:
                raise forms.ValidationError(
                    _("Line %(line)s: give the broker's percentage."), params={"line": number}
                )
            shares[key] = row["percent"]
        return shares

    def reward(self) -> services.Reward:
        return services.Reward(self.cleaned_data["total"], self.cleaned_data["shares"])


class FacilitationForm(TextGuardMixin, forms.Form):
    """M9: a party names the broker who facilitated one of its deals, by the broker's
    certificate number (public on the broker's profile)."""

    deal = forms.ChoiceField(label=_("Deal"))
    certificate_number = forms.CharField(
        label=_("Broker's certificate number"),
        max_length=40,
        help_text=_("As shown on the broker's public profile."),
    )

    def __init__(self, *args: Any, deals: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        groups: dict[str, list[tuple[str, str]]] = {}
        labels = dict(DealKind.choices)
        for option in deals:
            label = str(labels[option.kind.value])
            groups.setdefault(label, []).append((option.value, f"{option.title} · {option.party}"))
        cast(forms.ChoiceField, self.fields["deal"]).choices = [
            ("", "—"),
            *((label, options) for label, options in groups.items()),
        ]

    def clean_certificate_number(self) -> BrokerProfile:
        number = self.cleaned_data["certificate_number"].strip().upper()
        found = (
            BrokerProfile.objects.filter(certificate_number=number, withdrawn_at__isnull=True)
            .select_related("person", "institution")
            .first()
        )
        if found is None:
            raise forms.ValidationError(
                _("No broker registered with a service institution has this certificate number.")
            )
        return found

    def deal_kind_and_id(self) -> tuple[str, int]:
        kind, _sep, pk = self.cleaned_data["deal"].partition(":")
        return kind, int(pk)
