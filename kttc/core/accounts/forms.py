"""Signing in, signing up an organisation, accepting an invitation, and the center's answers."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kttc.core import countries
from kttc.core.accounts.services import SELF_REGISTERING_KINDS
from kttc.core.choices import OrganisationKind, Role
from kttc.core.models import CHINA, User
from kttc.core.text import TextGuardMixin


class SignInForm(AuthenticationForm):
    """Sign-in by e-mail and password; django-axes throttles failures."""

    username = forms.EmailField(
        label=_("E-mail"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )


class _PasswordMixin:
    """A new password, twice, checked by Django's validators against the person's name and
    e-mail."""

    def _check_password(self, email: str, full_name: str) -> None:
        form = cast(forms.Form, self)
        password = form.cleaned_data.get("password1")
        again = form.cleaned_data.get("password2")
        if password and again and password != again:
            form.add_error("password2", _("The two passwords differ."))
            return
        if password:
            try:
                password_validation.validate_password(
                    password, User(email=email, full_name=full_name)
                )
            except ValidationError as exc:
                form.add_error("password1", exc)


def _password_fields() -> tuple[forms.CharField, forms.CharField]:
    return (
        forms.CharField(
            label=_("Password"),
            strip=False,
            widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
            help_text=password_validation.password_validators_help_text_html(),
        ),
        forms.CharField(
            label=_("Password again"),
            strip=False,
            widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        ),
    )


class SignUpForm(_PasswordMixin, TextGuardMixin, forms.Form):
    """An organisation and its first person. An organisation of the Chinese mainland gives its
    unified social credit code; one from elsewhere its country and registration number (the
    service checks them and names the field at fault)."""

    name = forms.CharField(label=_("Name of the organisation"), max_length=200)
    name_en = forms.CharField(label=_("Name in English"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Kind of organisation"))
    country = forms.ChoiceField(
        label=_("Country or region of registration"),
        help_text=_(
            "Organisations of the Chinese mainland give their unified social credit code; "
            "others their number in their country's register."
        ),
    )
    credit_code = forms.CharField(
        label=_("Unified social credit code"),
        max_length=40,
        required=False,
        help_text=_(
            "18 characters, as on the business licence; the last one is a check character "
            "computed from the first 17 (GB 32100-2015)."
        ),
    )
    registration_number = forms.CharField(
        label=_("National registration number"),
        max_length=64,
        required=False,
        help_text=_("For organisations registered outside the Chinese mainland."),
    )
    contact_phone = forms.CharField(label=_("Contact telephone"), max_length=40, required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    full_name = forms.CharField(label=_("Your full name"), max_length=100)
    email = forms.EmailField(
        label=_("Your e-mail"),
        help_text=_("We send a link to confirm it. It is also the organisation's public contact."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password1, password2 = _password_fields()
    language = forms.ChoiceField(label=_("Preferred language"), choices=settings.LANGUAGES)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kinds = {k.value for k in SELF_REGISTERING_KINDS}
        cast(forms.ChoiceField, self.fields["kind"]).choices = [
            (value, label) for value, label in OrganisationKind.choices if value in kinds
        ]
        cast(forms.ChoiceField, self.fields["country"]).choices = countries.country_choices()
        self.fields["country"].initial = CHINA

    PERSON = ("full_name", "email", "password1", "password2", "language")

    def organisation_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name not in self.PERSON]

    def person_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.PERSON]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        country = data.get("country")
        if country == CHINA and not data.get("credit_code", "").strip():
            self.add_error(
                "credit_code",
                _("An organisation of the Chinese mainland gives its unified social credit code."),
            )
        elif country and country != CHINA and not data.get("registration_number", "").strip():
            self.add_error(
                "registration_number",
                _(
                    "An organisation registered outside the Chinese mainland gives its number "
                    "in its country's register."
                ),
            )
        self._check_password(data.get("email", ""), data.get("full_name", ""))
        return data


class InvitationAcceptForm(_PasswordMixin, TextGuardMixin, forms.Form):
    """A new person joining through an invitation: their e-mail is the invitation's."""

    full_name = forms.CharField(label=_("Your full name"), max_length=100)
    password1, password2 = _password_fields()
    language = forms.ChoiceField(label=_("Preferred language"), choices=settings.LANGUAGES)

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self._check_password(self.email, data.get("full_name", ""))
        return data


class InvitationForm(TextGuardMixin, forms.Form):
    email = forms.EmailField(label=_("Colleague's e-mail"))
    role = forms.ChoiceField(label=_("Role"))

    def __init__(self, *args: Any, roles: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["role"]).choices = [
            (value, label) for value, label in Role.choices if value in roles
        ]


class RejectionForm(TextGuardMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why the organisation cannot be verified"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
