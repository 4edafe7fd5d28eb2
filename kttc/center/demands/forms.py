"""Forms of the demand pages: post or edit a demand, close it, answer it."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from kttc.center.demands.choices import CooperationMode, DemandLanguage
from kttc.center.demands.services import DemandData, DemandTranslationData
from kttc.core.text import TextGuardMixin
from kttc.policy import demands as demand_rules

DATE = forms.DateInput(attrs={"type": "date"})
TRL_CHOICES = [("", _("Not said")), *[(str(n), f"TRL {n}") for n in range(1, 10)]]


class TranslationsMixin(forms.Form):
    """The "Translations" section of a demand's form (as the result form has, see
    ``kttc.registry.achievements.forms``): a panel per language of the platform other than the
    demand's original, each with the title and the description; a panel begun must have both."""

    def add_translation_fields(self) -> None:
        for language in demand_rules.LANGUAGES:
            self.fields[f"title_{language}"] = forms.CharField(
                label=_("Title"),
                required=False,
                max_length=demand_rules.TITLE_MAX,
                widget=forms.TextInput(attrs={"lang": language}),
            )
            self.fields[f"description_{language}"] = forms.CharField(
                label=_("What you need"),
                required=False,
                max_length=demand_rules.DESCRIPTION_MAX,
                widget=forms.Textarea(attrs={"rows": 4, "lang": language}),
            )

    def original_language(self) -> str:
        value = self["language"].value() if "language" in self.fields else None
        return str(value or self.initial.get("language") or "zh-hans")

    def translation_panels(self) -> list[tuple[str, str, list[forms.BoundField], bool]]:
        """(code, name, fields, given) per language other than the original."""
        names = dict(settings.LANGUAGES)
        original = self.original_language()
        panels = []
        for language in demand_rules.LANGUAGES:
            own = [self[f"title_{language}"], self[f"description_{language}"]]
            given = any(f.value() for f in own) or any(f.errors for f in own)
            if language != original or given:
                panels.append((language, str(names.get(language, language)), own, given))
        return panels

    def translation_field_names(self) -> set[str]:
        return {f"{n}_{lang}" for lang in demand_rules.LANGUAGES for n in ("title", "description")}

    def translations(self) -> list[DemandTranslationData]:
        values = self.cleaned_data
        return [
            DemandTranslationData(
                language,
                values.get(f"title_{language}") or "",
                values.get(f"description_{language}") or "",
            )
            for language in demand_rules.LANGUAGES
            if values.get(f"title_{language}") or values.get(f"description_{language}")
        ]

    @staticmethod
    def initial_translations(demand: Any) -> dict[str, str]:
        initial = {}
        for t in demand.translations.all():
            initial[f"title_{t.language}"] = t.title
            initial[f"description_{t.language}"] = t.description
        return initial


class DemandForm(TranslationsMixin, TextGuardMixin, forms.Form):
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
        self.add_translation_fields()

    def main_fields(self) -> list[forms.BoundField]:
        hidden = self.translation_field_names()
        return [self[name] for name in self.fields if name not in hidden]

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
            translations=self.translations(),
        )


class TranslateForm(TranslationsMixin, TextGuardMixin, forms.Form):
    """The translations of a published demand, given or corrected by its author."""

    def __init__(self, *args: Any, original: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._original = original
        self.add_translation_fields()

    def original_language(self) -> str:
        return self._original


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
