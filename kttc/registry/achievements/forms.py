"""The achievement form: every field of the registration form; lists (units, completers, IP
rights) are one entry per line, the same shapes as the import template's cells."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kttc.core.text import TextGuardMixin
from kttc.registry import choices
from kttc.registry.achievements.validation import SCALAR_FIELDS


def _lines(text: str) -> list[list[str]]:
    rows = []
    for line in text.splitlines():
        if line.strip():
            rows.append([part.strip() for part in line.replace("，", ",").split(",")])
    return rows


class AchievementForm(TextGuardMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=300)
    achievement_type = forms.ChoiceField(label=_("Type"), choices=choices.AchievementType.choices)
    attribute = forms.ChoiceField(
        label=_("Attribute"), choices=choices.AchievementAttribute.choices
    )
    keywords = forms.CharField(
        label=_("Keywords"), max_length=500, help_text=_("Separated by commas; at most 10.")
    )
    abstract = forms.CharField(label=_("Abstract"), widget=forms.Textarea(attrs={"rows": 6}))
    discipline_code = forms.CharField(
        label=_("Discipline code (GB/T 13745)"),
        max_length=10,
        help_text=_("3, 5 or 7 digits, e.g. 4163010."),
    )
    industry_code = forms.CharField(
        label=_("Industry code (GB/T 4754)"), max_length=6, help_text=_("e.g. C2710.")
    )
    trl = forms.IntegerField(
        label=_("Technology readiness level (1–9, GB/T 22900)"), min_value=1, max_value=9
    )
    # A new result is "not evaluated" until someone says otherwise: a default is no claim.
    evaluation_level = forms.ChoiceField(
        label=_("Level"),
        choices=choices.EvaluationLevel.choices,
        initial=choices.EvaluationLevel.NOT_EVALUATED,
    )
    formation_date = forms.DateField(
        label=_("Formation date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    project_number = forms.CharField(
        label=_("Fiscal project number"),
        required=False,
        max_length=64,
        help_text=_(
            "For results of a fiscally funded project: due on the platform within "
            "3 months of formation (M8.6)."
        ),
    )
    confidentiality = forms.ChoiceField(
        label=_("Confidentiality"),
        choices=choices.Confidentiality.choices,
        help_text=_("Classified results are never entered on the platform."),
    )
    national_interest = forms.BooleanField(
        label=_("Touches national security or major public interests (M1.8)"), required=False
    )
    transformation_modes = forms.MultipleChoiceField(
        label=_("Transformation wanted"),
        choices=choices.TransformationMode.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    use_first_pay_later = forms.BooleanField(
        label=_("Willing to license “use first, pay later” (M3.2)"), required=False
    )
    asking_terms = forms.CharField(
        label=_("Asking terms"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    advantage = forms.CharField(
        label=_("Advantage over existing solutions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    target_market = forms.CharField(
        label=_("Target market"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    route_to_market = forms.CharField(
        label=_("Route to market"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    units = forms.CharField(
        label=_("Completing units"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line, in order: unit name, share in %. Shares sum to 100."),
    )
    completers = forms.CharField(
        label=_("Completers"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line, in order: name, unit, share in %. Shares sum to 100."),
    )
    ip_rights = forms.CharField(
        label=_("IP rights"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One per line: kind (invention, utility_model, design, software_copyright, "
            "plant_variety, other), number, status (pending, granted, lapsed), grant "
            "date, title."
        ),
    )
    name_en = forms.CharField(label=_("Name in English"), required=False, max_length=300)
    abstract_en = forms.CharField(
        label=_("Abstract in English"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    keywords_en = forms.CharField(label=_("Keywords in English"), required=False, max_length=500)
    external_ref = forms.CharField(label=_("Unit's reference"), required=False, max_length=64)

    def __init__(self, *args: Any, due_months: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["project_number"].help_text = _(
            "For results of a fiscally funded project: due on the platform within %(months)s "
            "months of formation (M8.6)."
        ) % {"months": due_months}

    def raw(self) -> dict[str, Any]:
        """The form's values in the shape ``validate_achievement`` reads."""
        d = self.cleaned_data
        raw: dict[str, Any] = {k: d.get(k) for k in (*SCALAR_FIELDS, "keywords", "project_number")}
        raw["units"] = [
            {"name": r[0], "share": r[1] if len(r) > 1 else ""}
            for r in _lines(d.get("units") or "")
        ]
        raw["completers"] = [
            {
                "name": r[0],
                "unit_name": r[1] if len(r) > 2 else "",
                "share": r[-1] if len(r) > 1 else "",
            }
            for r in _lines(d.get("completers") or "")
        ]
        raw["ip_rights"] = [
            {
                "kind": r[0],
                "number": r[1] if len(r) > 1 else "",
                "status": r[2] if len(r) > 2 else "pending",
                "grant_date": r[3] if len(r) > 3 else "",
                "title": r[4] if len(r) > 4 else "",
            }
            for r in _lines(d.get("ip_rights") or "")
        ]
        if d.get("name_en") or d.get("abstract_en"):
            raw["translations"] = [
                {
                    "language": "en",
                    "name": d.get("name_en"),
                    "abstract": d.get("abstract_en"),
                    "keywords": d.get("keywords_en"),
                }
            ]
        return raw

    @classmethod
    def initial_for(cls, achievement: Any) -> dict[str, Any]:
        initial = {f: getattr(achievement, f) for f in SCALAR_FIELDS}
        initial["keywords"] = ", ".join(achievement.keywords)
        initial["project_number"] = (
            achievement.source_project.project_number if achievement.source_project else ""
        )
        initial["units"] = "\n".join(
            f"{u.name}, {u.share.normalize():f}" for u in achievement.completing_units.all()
        )
        initial["completers"] = "\n".join(
            f"{p.name}, {p.unit_name}, {p.share.normalize():f}"
            for p in achievement.completers.all()
        )
        initial["ip_rights"] = "\n".join(
            f"{r.kind}, {r.number}, {r.status}, {r.grant_date or ''}, {r.title}"
            for r in achievement.ip_rights.all()
        )
        english = achievement.translations.filter(language="en").first()
        if english:
            initial.update(
                name_en=english.name,
                abstract_en=english.abstract,
                keywords_en=", ".join(english.keywords),
            )
        return initial


class ReviewForm(TextGuardMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[("publish", _("Publish")), ("return", _("Return to the unit"))],
    )
    reason = forms.CharField(
        label=_("Reason (required when returning)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class BulkForm(TextGuardMixin, forms.Form):
    """What to do with many results at once, and the one reason a return gives each: checked
    like the review form's (control characters refused, a bounded length)."""

    action = forms.ChoiceField(
        label=_("Action"),
        choices=[("submit", "submit"), ("publish", "publish"), ("return", "return")],
    )
    reason = forms.CharField(label=_("Reason"), required=False, max_length=2000)
