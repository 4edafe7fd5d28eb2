"""Forms of the researcher shareholding pages (M6.1). They parse what a
person types; the rules, and the refusals citing their clause, are the services'."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from kttc.benefits.forms import DATE, organisation_choices, parse_shares
from kttc.core import parsing
from kttc.core.text import TextGuardMixin
from kttc.policy.equity import Holder


def parse_cap_table(text: str) -> list[Holder]:
    """``kind; name; shares`` per line → the cap table's holders. The kind is passed on as
    typed: an unknown or disallowed kind is the rules' to refuse, citing M6.1."""
    holders: list[Holder] = []
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    for number, line in enumerate(lines, start=1):
        parts = [part.strip() for part in line.replace("；", ";").split(";")]
        count = parts[2].replace(",", "").replace("，", "") if len(parts) == 3 else ""
        # ASCII digits within the database's integers ("²".isdigit() is true, int() refuses it)
        stake = parsing.integer(count, minimum=0, maximum=parsing.ID_MAX)
        if len(parts) != 3 or stake is None or count.startswith("-"):
            raise forms.ValidationError(
                _(
                    "Line %(line)s: write “kind; name; shares”, for example "
                    "“completer; 李明; 4200”."
                ),
                params={"line": number},
            )
        holders.append(Holder(name=parts[1], kind=parts[0], stake=stake))  # type: ignore[arg-type]  # the kind as typed, a str: the rules refuse an unknown one (M6.1)
    return holders


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
    holders = forms.CharField(
        label=_("Cap table"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "One holder per line: kind; name; shares. Kinds: completer, unit, municipal_soe. "
            "The completers hold directly at least the minimum in force (M6.1)."
        ),
    )

    field_order = ("unit", "achievement", "company", "valuation", "shares_issued",
                   "invested_on", "holders")  # fmt: skip

    def __init__(self, *args: Any, units: Any, results: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisation_choices(self.fields["unit"], units)
        achievement = cast(forms.ChoiceField, self.fields["achievement"])
        achievement.choices = [("", "—"), *((r.pk, r.name) for r in results)]

    def clean_holders(self) -> list[Holder]:
        return parse_cap_table(self.cleaned_data.get("holders", ""))


class TeamSplitForm(TextGuardMixin, forms.Form):
    decided_on = forms.DateField(label=_("Decided on"), widget=DATE)
    internal_split = forms.CharField(
        label=_("The team's internal split"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One member per line: name; percent. The percentages add up to 100."),
    )

    def clean_internal_split(self) -> dict[str, Decimal]:
        return parse_shares(self.cleaned_data.get("internal_split", ""))
