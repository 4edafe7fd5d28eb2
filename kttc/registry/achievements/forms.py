"""The achievement form: every field of the registration form, in sections; national codes with
pickers; lists (completing units, completers, IP rights) as row editors, a line per entry, kinds
and states chosen from lists (the import template's Chinese labels are understood when pasted)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from kttc.core.codes import CodePicker
from kttc.core.rows import ChoiceCell, Column, RowsField
from kttc.core.text import TextGuardMixin
from kttc.registry import choices
from kttc.registry.achievements.labels import IP_KINDS, IP_STATUSES
from kttc.registry.achievements.validation import SCALAR_FIELDS

#: The languages a unit translates a result into on the form: the platform's other languages.
FORM_LANGUAGES = ("en", "vi", "th", "lo", "my", "km")
#: What a translation carries: the name, abstract and keywords, and what enterprises read.
TRANSLATED_FIELDS = ("name", "abstract", "keywords", "advantage", "target_market",
                     "route_to_market")  # fmt: skip


def _translation_fields() -> dict[str, forms.Field]:
    """A translation's fields (fresh instances for each language)."""

    def text(label: Any, rows: int, max_length: int | None = None) -> forms.CharField:
        widget = forms.Textarea(attrs={"rows": rows})
        return forms.CharField(label=label, required=False, max_length=max_length, widget=widget)

    keywords = forms.CharField(
        label=_("Keywords"),
        required=False,
        max_length=500,
        help_text=_("Separated by commas; at most 10."),
    )
    return {
        "name": forms.CharField(label=_("Name"), required=False, max_length=300),
        "abstract": text(_("Abstract"), 4),
        "keywords": keywords,
        "advantage": text(_("Advantage over existing solutions"), 2, 2000),
        "target_market": text(_("Target market"), 2, 2000),
        "route_to_market": text(_("Route to market"), 2, 2000),
    }


#: Pasted lines of this form may separate their cells by commas too, as the form always took.
LIST_SEPARATORS = "\t;；,，|｜"

UNIT_COLUMNS = [
    Column("name", _("Unit"), forms.CharField(max_length=200), "wide"),
    Column("share", _("Share (%)"), forms.DecimalField(max_digits=7, decimal_places=4), "narrow"),
]
COMPLETER_COLUMNS = [
    Column("name", _("Name"), forms.CharField(max_length=100)),
    Column("unit_name", _("Unit"), forms.CharField(max_length=200, required=False), "wide"),
    Column("share", _("Share (%)"), forms.DecimalField(max_digits=7, decimal_places=4), "narrow"),
]
IP_COLUMNS = [
    Column(
        "kind",
        _("Kind"),
        ChoiceCell(choices=choices.IPKind.choices, aliases=IP_KINDS.code),
    ),
    Column("number", _("Number"), forms.CharField(max_length=64, required=False)),
    Column(
        "status",
        _("Status"),
        ChoiceCell(choices=choices.IPStatus.choices, aliases=IP_STATUSES.code, required=False),
    ),
    Column(
        "grant_date",
        _("Granted on"),
        forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"})),
        "narrow",
    ),
    Column("title", _("Title"), forms.CharField(max_length=300, required=False), "wide"),
]

#: The form's sections, in order: (title, fields). Every field is in one.
SECTIONS: list[tuple[Any, tuple[str, ...]]] = [
    (_("The result"), ("name", "achievement_type", "attribute", "keywords", "abstract")),
    (
        _("Classification"),
        ("discipline_code", "industry_code", "trl", "evaluation_level", "formation_date",
         "project_number", "confidentiality", "national_interest"),
    ),
    (_("Units and people"), ("units", "completers")),
    (_("Intellectual property"), ("ip_rights",)),
    (
        _("For enterprises"),
        ("transformation_modes", "use_first_pay_later", "asking_terms", "advantage",
         "target_market", "route_to_market"),
    ),
    (_("Translations"), ()),
    (_("Unit's reference"), ("external_ref",)),
]


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
        help_text=_(
            "3, 5 or 7 digits, e.g. 4163010; type a code or a name in Chinese or English and "
            "choose."
        ),
        widget=CodePicker("discipline"),
    )
    industry_code = forms.CharField(
        label=_("Industry code (GB/T 4754)"),
        max_length=6,
        help_text=_("e.g. C2710; type a code or a name in Chinese or English and choose."),
        widget=CodePicker("industry"),
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
    units = RowsField(
        UNIT_COLUMNS,
        separators=LIST_SEPARATORS,
        label=_("Completing units"),
        help_text=_("In order of contribution; shares sum to 100."),
    )
    completers = RowsField(
        COMPLETER_COLUMNS,
        separators=LIST_SEPARATORS,
        label=_("Completers"),
        help_text=_(
            "In order of contribution, each with the unit they belong to; shares sum to 100."
        ),
    )
    ip_rights = RowsField(
        IP_COLUMNS, separators=LIST_SEPARATORS, label=_("IP rights"), required=False
    )
    external_ref = forms.CharField(label=_("Unit's reference"), required=False, max_length=64)

    def __init__(self, *args: Any, due_months: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for language in FORM_LANGUAGES:
            for name, field in _translation_fields().items():
                self.fields[f"{name}_{language}"] = field
        self.fields["project_number"].help_text = _(
            "For results of a fiscally funded project: due on the platform within %(months)s "
            "months of formation (M8.6)."
        ) % {"months": due_months}

    def sections(self) -> list[tuple[Any, list[forms.BoundField], int, list[Any]]]:
        """The form's sections in order: title, bound fields, how many of them have errors, and
        for the translations a (code, name, fields, given) per language."""
        found = []
        for title, names in SECTIONS:
            fields = [self[name] for name in names]
            languages = []
            if not names:  # the translations
                local = dict(settings.LANGUAGES)
                for language in FORM_LANGUAGES:
                    own = [self[f"{name}_{language}"] for name in TRANSLATED_FIELDS]
                    given = any(f.value() for f in own)
                    languages.append((language, local.get(language, language), own, given))
                    fields += own
            found.append((title, fields, sum(1 for f in fields if f.errors), languages))
        return found

    def clean(self) -> dict[str, Any]:
        """A translation begun in a language needs its name and its abstract, said beside them."""
        data = super().clean() or {}
        for language in FORM_LANGUAGES:
            given = [n for n in TRANSLATED_FIELDS if data.get(f"{n}_{language}")]
            for needed in ("name", "abstract"):
                if given and needed not in given:
                    self.add_error(
                        f"{needed}_{language}",
                        _("A translation needs at least the name and the abstract."),
                    )
        return data

    def raw(self) -> dict[str, Any]:
        """The form's values in the shape ``validate_achievement`` reads."""
        d = self.cleaned_data
        raw: dict[str, Any] = {k: d.get(k) for k in (*SCALAR_FIELDS, "keywords", "project_number")}
        raw["units"] = [{"name": r["name"], "share": r["share"]} for r in d.get("units") or []]
        raw["completers"] = [
            {"name": r["name"], "unit_name": r["unit_name"], "share": r["share"]}
            for r in d.get("completers") or []
        ]
        raw["ip_rights"] = [
            {
                "kind": r["kind"],
                "number": r["number"],
                "status": r["status"] or "pending",
                "grant_date": r["grant_date"].isoformat() if r["grant_date"] else "",
                "title": r["title"],
            }
            for r in d.get("ip_rights") or []
        ]
        raw["translations"] = [
            {"language": language, **{n: d.get(f"{n}_{language}") for n in TRANSLATED_FIELDS}}
            for language in FORM_LANGUAGES
            if any(d.get(f"{n}_{language}") for n in TRANSLATED_FIELDS)
        ]
        return raw

    @classmethod
    def initial_for(cls, achievement: Any) -> dict[str, Any]:
        initial = {f: getattr(achievement, f) for f in SCALAR_FIELDS}
        initial["keywords"] = ", ".join(achievement.keywords)
        initial["project_number"] = (
            achievement.source_project.project_number if achievement.source_project else ""
        )
        initial["units"] = [
            {"name": u.name, "share": f"{u.share.normalize():f}"}
            for u in achievement.completing_units.all()
        ]
        initial["completers"] = [
            {"name": p.name, "unit_name": p.unit_name, "share": f"{p.share.normalize():f}"}
            for p in achievement.completers.all()
        ]
        initial["ip_rights"] = [
            {
                "kind": r.kind,
                "number": r.number,
                "status": r.status,
                "grant_date": r.grant_date.isoformat() if r.grant_date else "",
                "title": r.title,
            }
            for r in achievement.ip_rights.all()
        ]
        for t in achievement.translations.all():
            for name in TRANSLATED_FIELDS:
                value = getattr(t, name)
                initial[f"{name}_{t.language}"] = ", ".join(value) if name == "keywords" else value
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
