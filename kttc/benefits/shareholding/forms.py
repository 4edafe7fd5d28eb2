"""Forms of the researcher shareholding pages (M6.1). They parse what a
person types; the rules, and the refusals citing their clause, are the services'."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from kttc.benefits.forms import DATE, SharesField, organisation_choices
from kttc.benefits.shareholding.choices import HolderKind
from kttc.core.rows import ChoiceCell, Column, RowsField
from kttc.core.text import TextGuardMixin
from kttc.policy.equity import Holder


class ShareCountField(forms.IntegerField):
    """A number of shares; thousands separators (4,200) are allowed."""

    widget = forms.TextInput(attrs={"inputmode": "numeric"})

    def to_python(self, value: Any) -> int | None:
        if isinstance(value, str):
            value = value.replace(",", "").replace("，", "").replace(" ", "")
        return super().to_python(value)


HOLDER_COLUMNS = [
    Column("kind", _("Holder"), ChoiceCell(choices=HolderKind.choices, strict=False)),
    Column("name", _("Name"), forms.CharField(max_length=200), "wide"),
    Column("shares", _("Shares"), ShareCountField(min_value=0), "narrow"),
]


class CapTableField(RowsField):
    """The cap table, a holder per line: kind, name, shares. The kind is passed on as given: an
    unknown or disallowed kind is the rules' to refuse, citing M6.1."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(HOLDER_COLUMNS, **kwargs)

    def clean(self, value: Any) -> list[Holder]:  # type: ignore[override]
        return [
            Holder(name=row["name"], kind=row["kind"], stake=row["shares"])
            for row in super().clean(value)
        ]


class FlagsMixin(TextGuardMixin, forms.Form):
    """M2.2: what makes a matter the superior's to approve."""

    touches_secrets = forms.BooleanField(label=_("Touches national secrets"), required=False)
    touches_security = forms.BooleanField(label=_("Touches national security"), required=False)
    key_core_technology = forms.BooleanField(label=_("Key core technology"), required=False)


class InvestmentForm(FlagsMixin, forms.Form):
    unit = forms.TypedChoiceField(label=_("Unit"), coerce=int)
    achievement = forms.TypedChoiceField(label=_("Result"), coerce=int)
    company = forms.CharField(label=_("Company"), max_length=300)
    valuation = forms.DecimalField(label=_("Valuation of the result (yuan)"), decimal_places=2)
    shares_issued = forms.IntegerField(label=_("Shares issued for the result"), min_value=1)
    invested_on = forms.DateField(label=_("Invested on"), widget=DATE)
    holders = CapTableField(
        label=_("Cap table"),
        help_text=_(
            "A holder per line: the completers (directly), the unit or a municipal state-owned "
            "company, with their shares. The completers hold directly at least the minimum in "
            "force (M6.1)."
        ),
    )

    field_order = ("unit", "achievement", "company", "valuation", "shares_issued",
                   "invested_on", "holders")  # fmt: skip

    def __init__(self, *args: Any, units: Any, results: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisation_choices(self.fields["unit"], units)
        achievement = cast(forms.ChoiceField, self.fields["achievement"])
        achievement.choices = [("", "—"), *((r.pk, r.name) for r in results)]


class TeamSplitForm(TextGuardMixin, forms.Form):
    decided_on = forms.DateField(label=_("Decided on"), widget=DATE)
    internal_split = SharesField(
        label=_("The team's internal split"),
        help_text=_("A member per line with her percentage; they add up to 100."),
    )
