"""One rule for typed text where it comes in: every character field of every form, and every
text field of every input schema of the API, refuses control characters."""

from __future__ import annotations

import importlib
import pkgutil
from typing import Annotated, Any, get_args, get_origin

import pytest
from django import forms
from ninja import Schema
from pydantic import AfterValidator

import kttc
from kttc.core.text import TextGuardMixin, TextValidator

#: Forms that store no text: signing in checks a password, it keeps nothing.
NOT_STORING = {"SignInForm"}


def _all_subclasses(cls: type) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found |= {sub, *_all_subclasses(sub)}
    return found


@pytest.fixture(scope="module")
def kttc_modules():
    for info in pkgutil.walk_packages(kttc.__path__, "kttc."):
        name = info.name
        if ".tests" in name or ".migrations" in name or ".management" in name:
            continue
        if name.rsplit(".", 1)[-1].startswith(("forms", "api", "admin", "views")):
            importlib.import_module(name)


def test_every_form_with_text_fields_refuses_control_characters(kttc_modules):
    forms_of_kttc = [
        form
        for form in _all_subclasses(forms.BaseForm)
        if form.__module__.startswith("kttc.") and form.__name__ not in NOT_STORING
    ]
    assert len(forms_of_kttc) > 30
    unguarded = [
        f"{form.__module__}.{form.__name__}"
        for form in forms_of_kttc
        if any(isinstance(f, forms.CharField) for f in form.base_fields.values())
        and not issubclass(form, TextGuardMixin)
    ]
    assert unguarded == [], "\n".join(unguarded)


def _guarded(metadata: Any) -> bool:
    return any(
        isinstance(m, AfterValidator) and m.func.__qualname__.startswith("_schema_text")
        for m in metadata
    )


def _bare_text(annotation: Any) -> bool:
    """Whether a ``str`` without the text guard appears in the annotation."""
    if annotation is str:
        return True
    if get_origin(annotation) is Annotated:
        base, *metadata = get_args(annotation)
        return False if base is str and _guarded(metadata) else _bare_text(base)
    return any(_bare_text(arg) for arg in get_args(annotation))


def test_every_text_field_of_the_apis_input_schemas_refuses_control_characters(kttc_modules):
    inputs = [s for s in _all_subclasses(Schema) if s.__module__.startswith("kttc.")]
    inputs = [s for s in inputs if s.__name__.endswith("In")]
    assert len(inputs) > 25
    unguarded = []
    for schema in inputs:
        for name, field in schema.model_fields.items():
            top = field.annotation is str and not _guarded(field.metadata)
            if top or (field.annotation is not str and _bare_text(field.annotation)):
                unguarded.append(f"{schema.__module__}.{schema.__name__}.{name}")
    assert unguarded == [], "\n".join(unguarded)


def test_a_form_refuses_beside_the_field_and_a_text_area_keeps_its_lines():
    class Example(TextGuardMixin, forms.Form):
        name = forms.CharField()
        summary = forms.CharField(widget=forms.Textarea)

    bad = Example({"name": "甲\x1b[2J", "summary": "一\n二\x00"})
    assert not bad.is_valid()
    assert set(bad.errors) == {"name", "summary"}
    assert "U+001B" in str(bad.errors["name"])
    good = Example({"name": "甲", "summary": "一\r\n\t二"})
    assert good.is_valid(), good.errors
    assert Example().fields["name"].validators.count(TextValidator(multiline=False)) == 0
    bad.full_clean()
    assert bad.fields["name"].validators.count(TextValidator(multiline=False)) == 1
