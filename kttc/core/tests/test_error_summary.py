"""A page with refused forms opens with a summary of their errors, each linking to its field
(a refusal at the bottom of a long page is seen at once)."""

from __future__ import annotations

from django import forms
from django.template import Context, Template


class Distribute(forms.Form):
    team_ratio = forms.DecimalField(label="Team's share")
    shares = forms.IntegerField(label="Shares")

    def clean(self):
        raise forms.ValidationError("M5.2: the completers receive at least 70 %.")


def _render(**context):
    return Template("{% load error_summary %}{% error_summary %}").render(Context(context))


def test_each_error_of_each_refused_form_is_listed_with_a_link_to_its_field():
    refused = Distribute({"team_ratio": "x"}, prefix="distribute")
    html = _render(forms={"distribute": refused, "other": Distribute()})
    assert 'role="alert"' in html
    assert 'href="#id_distribute-team_ratio"' in html and "Team&#x27;s share" in html
    assert 'href="#id_distribute-shares"' in html
    assert "M5.2: the completers receive at least 70 %." in html  # the form's own refusal


def test_a_page_without_refused_forms_has_no_summary():
    assert _render(form=Distribute()).strip() == ""  # unbound
    assert _render(form=Distribute({"team_ratio": "0.7", "shares": "3"}, prefix="x")) != ""
    assert _render(nothing=None).strip() == ""
