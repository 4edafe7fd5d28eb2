"""Forms of the demand pages: post or edit a demand, close it, answer it."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from kttc.center.demands.choices import CooperationMode, DemandLanguage
from kttc.center.demands.services import DemandData
from kttc.core.text import TextGuardMixin
from kttc.policy import demands as demand_rules

DATE = forms.DateInput(attrs={"type": "date"})
TRL_CHOICES = [("", _("Not said")), *[(str(n), f"TRL {n}") for n in range(1, 10)]]


class DemandForm(TextGuardMixin, forms.Form):
    organisation = forms.TypedChoiceField(label=_("Enterprise"), coerce=int)
    title = forms.CharField(label=_("Title"), max_length=demand_rules.TITLE_MAX)
    description = forms.CharField(
        label=_("What you need"),
        max_length=demand_rules.DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("The problem, the conditions, what a solution must achieve."),
    )
    modes = forms.MultipleChoiceField(
        label=_("Ways of cooperation"),
        choices=CooperationMode.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    industry = forms.CharField(
        label=_("Industry (GB/T 4754)"), required=False, max_length=5,
        help_text=_("A code such as C or C35; optional."),
    )  # fmt: skip
    discipline = forms.CharField(
        label=_("Discipline (GB/T 13745)"), required=False, max_length=8,
        help_text=_("A code such as 520 or 52020; optional."),
    )  # fmt: skip
    trl = forms.TypedChoiceField(
        label=_("Readiness wanted"), choices=TRL_CHOICES, coerce=int, required=False,
        empty_value=None,
    )  # fmt: skip
    budget_min = forms.DecimalField(
        label=_("Budget from (yuan)"), required=False, min_value=0, decimal_places=2,
        max_digits=18,
    )  # fmt: skip
    budget_max = forms.DecimalField(
        label=_("Budget up to (yuan)"), required=False, min_value=0, decimal_places=2,
        max_digits=18,
    )  # fmt: skip
    deadline = forms.DateField(label=_("Answers wanted by"), widget=DATE)
    country = forms.CharField(
        label=_("Country (ISO 3166)"), max_length=2, initial="CN",
        help_text=_("Where the need is: CN, VN, TH, LA, MM, KH …"),
    )  # fmt: skip
    language = forms.ChoiceField(
        label=_("Language of the demand"), choices=DemandLanguage.choices, initial="zh-hans"
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.TypedChoiceField, self.fields["organisation"])
        field.choices = [(o.pk, o.name) for o in organisations]

    def data_for_service(self) -> DemandData:
        values = self.cleaned_data
        return DemandData(
            title=values["title"],
            description=values["description"],
            deadline=values["deadline"],
            modes=list(values["modes"]),
            industry=values["industry"] or "",
            discipline=values["discipline"] or "",
            trl=values["trl"],
            budget_min=values["budget_min"],
            budget_max=values["budget_max"],
            country=values["country"] or "",
            language=values["language"],
        )


class CloseForm(TextGuardMixin, forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[("met", _("Met")), ("withdrawn", _("Withdrawn: no longer needed"))],
        widget=forms.RadioSelect,
    )
    licence = forms.TypedChoiceField(label=_("Met by the licence"), coerce=int, required=False,
                                     empty_value=None)  # fmt: skip
    contract = forms.TypedChoiceField(label=_("Met by the contract"), coerce=int, required=False,
                                      empty_value=None)  # fmt: skip
    reason = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, licences: Any, contracts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        none = [("", _("None"))]
        licence = cast(forms.TypedChoiceField, self.fields["licence"])
        licence.choices = none + [(x.pk, f"{x.achievement.name} · {x.unit.name}") for x in licences]
        contract = cast(forms.TypedChoiceField, self.fields["contract"])
        contract.choices = none + [(x.pk, f"{x.title} · {x.unit.name}") for x in contracts]


class AnswerForm(TextGuardMixin, forms.Form):
    organisation = forms.TypedChoiceField(label=_("Answering for"), coerce=int)
    achievement = forms.TypedChoiceField(
        label=_("One of your published results"), coerce=int, required=False, empty_value=None
    )
    proposal = forms.CharField(
        label=_("Proposal"),
        required=False,
        max_length=demand_rules.DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("How you would meet the demand: approach, time, terms."),
    )

    def __init__(self, *args: Any, organisations: Any, results: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        org = cast(forms.TypedChoiceField, self.fields["organisation"])
        org.choices = [(o.pk, o.name) for o in organisations]
        result = cast(forms.TypedChoiceField, self.fields["achievement"])
        result.choices = [("", _("None"))] + [(a.pk, a.name) for a in results]
