from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kttc.core.choices import OrganisationKind, Role


class OrganisationFilterForm(forms.Form):
    q = forms.CharField(label=_("Name contains"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *OrganisationKind.choices]
    )


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("What the token is for, e.g. the unit's reporting script."),
    )


class MembershipGrantForm(forms.Form):
    email = forms.EmailField(label=_("Person's e-mail"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class AuditFilterForm(forms.Form):
    action = forms.CharField(label=_("Action"), required=False, max_length=80)
