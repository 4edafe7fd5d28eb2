"""Forms of fast patent pre-examination (M11.1): the applicant's filing with its documents, the
staff's return or refusal with a reason, the forwarding's reference and the outcome."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kttc.benefits.forms import DATE
from kttc.center.ip_services import services
from kttc.center.ip_services.choices import PatentApplicationKind
from kttc.core.services import Document
from kttc.core.text import TextGuardMixin

#: The documents a filing asks for: the first is required.
DOCUMENTS = (
    ("claims", _("Claims and description")),
    ("drawings", _("Drawings")),
    ("other", _("Other document")),
)


class FilingForm(TextGuardMixin, forms.Form):
    title = forms.CharField(label=_("Title of the invention"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind of application"), choices=PatentApplicationKind.choices)
    industry_code = forms.CharField(
        label=_("Industry code (GB/T 4754-2017)"),
        max_length=8,
        help_text=_(
            "Biological products manufacturing (C276…) or intelligent manufacturing equipment "
            "(C3421–C3429, C3491–C3493, C4011)."
        ),
    )

    def __init__(self, *args: Any, required: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for index, (key, label) in enumerate(DOCUMENTS):
            self.fields[f"document_{key}"] = forms.FileField(
                label=label, required=required and index == 0
            )

    def filing(self) -> services.Filing:
        data = self.cleaned_data
        return services.Filing(data["title"], data["kind"], data["industry_code"])

    def documents(self) -> list[services.Attachment]:
        out = []
        for key, label in DOCUMENTS:
            upload = self.cleaned_data.get(f"document_{key}")
            if upload:
                out.append(services.Attachment(str(label), Document(upload.name, upload.read())))
        return out


class ReasonForm(TextGuardMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ForwardForm(TextGuardMixin, forms.Form):
    reference = forms.CharField(label=_("National pre-examination reference"), max_length=60)


class OutcomeForm(forms.Form):
    passed = forms.TypedChoiceField(
        label=_("Outcome"),
        choices=(("1", _("Pre-examination passed")), ("0", _("Pre-examination not passed"))),
        coerce=lambda value: value == "1",
    )
    decided_on = forms.DateField(label=_("Outcome on"), widget=DATE)
