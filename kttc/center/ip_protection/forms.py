"""Forms of IP protection cases (M11.2): the rights holder's filing with its evidence; the
staff's refusal, mediation session, hearing, record, decision and enforcement."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kttc.benefits.forms import DATE
from kttc.center.ip_protection import services
from kttc.center.ip_protection.choices import CaseKind, MediationOutcome, Outcome
from kttc.core.services import Document
from kttc.core.text import TextGuardMixin
from kttc.policy import ip_protection as rules

#: The evidence a filing asks for: the first is required.
EVIDENCE = (
    ("first", _("Evidence")),
    ("second", _("More evidence")),
    ("third", _("More evidence")),
)
AREA = forms.Textarea(attrs={"rows": 4})


class CaseForm(TextGuardMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind of case"), choices=CaseKind.choices)
    patent_number = forms.CharField(
        label=_("Patent number"), max_length=24, help_text=_("For example ZL 201710601862.3")
    )
    patent_title = forms.CharField(label=_("Title of the patent"), max_length=200, required=False)
    respondent_name = forms.CharField(label=_("Respondent"), max_length=200)
    respondent_credit_code = forms.CharField(
        label=_("Respondent's unified social credit code"), max_length=18, required=False,
        help_text=_("When the respondent is on the platform, it sees the case."),
    )  # fmt: skip
    respondent_is_person = forms.BooleanField(
        label=_("The respondent is a natural person"), required=False,
        help_text=_("A natural person is never named in a published decision."),
    )  # fmt: skip
    respondent_address = forms.CharField(
        label=_("Respondent's address"), max_length=300, required=False,
        help_text=_("Kept for the center's notices; never published."),
    )  # fmt: skip
    facts = forms.CharField(label=_("Facts and request"), max_length=rules.TEXT_MAX, widget=AREA)
    persons = forms.CharField(
        label=_("People the case names"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Agents, representatives, witnesses: one per line. Left out of a publication."),
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for index, (key, label) in enumerate(EVIDENCE):
            self.fields[f"evidence_{key}"] = forms.FileField(label=label, required=index == 0)

    def filing(self) -> services.Filing:
        data = self.cleaned_data
        return services.Filing(
            kind=data["kind"], respondent_name=data["respondent_name"],
            patent_number=data["patent_number"], facts=data["facts"],
            patent_title=data["patent_title"],
            respondent_credit_code=data["respondent_credit_code"],
            respondent_is_person=data["respondent_is_person"],
            respondent_address=data["respondent_address"],
            persons=data["persons"].splitlines()[: services.MAX_PERSONS + 1],
        )  # fmt: skip

    def evidence(self) -> list[services.Attachment]:
        out = []
        for key, label in EVIDENCE:
            upload = self.cleaned_data.get(f"evidence_{key}")
            if upload:
                out.append(services.Attachment(str(label), Document(upload.name, upload.read())))
        return out


class ReasonForm(TextGuardMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=AREA)


class SessionForm(TextGuardMixin, forms.Form):
    held_on = forms.DateField(label=_("Held on"), widget=DATE)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=MediationOutcome.choices)
    agreement = forms.CharField(
        label=_("Agreement"), required=False, max_length=rules.TEXT_MAX, widget=AREA,
        help_text=_("When settled: what the parties agreed."),
    )  # fmt: skip
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=rules.TEXT_MAX, widget=AREA
    )


class HearingForm(TextGuardMixin, forms.Form):
    hearing_on = forms.DateField(
        label=_("Hearing on"), widget=DATE,
        help_text=_("At least three working days from today."),
    )  # fmt: skip
    place = forms.CharField(label=_("Place"), max_length=rules.PLACE_MAX)


class RecordForm(TextGuardMixin, forms.Form):
    record = forms.CharField(label=_("Record"), max_length=rules.TEXT_MAX, widget=AREA)


class DecisionForm(TextGuardMixin, forms.Form):
    decision = forms.CharField(
        label=_("Decision"), max_length=rules.TEXT_MAX, widget=forms.Textarea(attrs={"rows": 8})
    )
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    decided_on = forms.DateField(label=_("Decided on"), widget=DATE)
    measures = forms.CharField(
        label=_("Measures ordered"), required=False, max_length=rules.TEXT_MAX, widget=AREA,
        help_text=_("Only against a respondent found to infringe; leave empty for none."),
    )  # fmt: skip

    def __init__(self, *args: Any, kind: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if kind in rules.OUTCOMES:
            allowed = {o.value for o in rules.OUTCOMES[rules.CaseKind(kind)]}
            field = self.fields["outcome"]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [(v, label) for v, label in Outcome.choices if v in allowed]


class EnforceForm(TextGuardMixin, forms.Form):
    record = forms.CharField(label=_("Enforcement record"), max_length=rules.TEXT_MAX, widget=AREA)
    enforced_on = forms.DateField(label=_("Enforced on"), widget=DATE)
