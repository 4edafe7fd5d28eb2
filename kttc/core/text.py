"""The one rule for typed text (:func:`kttc.policy.text.check_text`) where text comes in: every
character field of a web form, a text posted beside a button, and the text fields of the API's
input schemas.

A form refuses a control character beside its field; the API answers 422 naming the field. A
field drawn as a text area (and a :data:`LongText` of the API) may keep tabs and line breaks.
"""

from __future__ import annotations

from typing import Annotated, Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from pydantic import AfterValidator, ValidationInfo
from pydantic_core import PydanticCustomError

from kttc.core.errors import translated_message
from kttc.core.parsing import ID_MAX
from kttc.policy.errors import PolicyError
from kttc.policy.i18n import gettext_noop
from kttc.policy.text import check_text


class TextValidator:
    """A form field's validator: no control characters (line breaks only in a text area)."""

    def __init__(self, *, multiline: bool) -> None:
        self.multiline = multiline

    def __call__(self, value: Any) -> None:
        if not isinstance(value, str):
            return
        try:
            check_text(value, field="", multiline=self.multiline)
        except PolicyError as exc:
            raise ValidationError(translated_message(exc), code=exc.code) from None

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TextValidator) and other.multiline == self.multiline

    def __hash__(self) -> int:
        return hash((TextValidator, self.multiline))


class TextGuardMixin:
    """Every character field of the form refuses control characters and bidirectional
    overrides, and every whole-number field stays within the database's integers (DESIGN rule
    10: a number past them would reach the database and fail there). Fields are looked at when
    the form is cleaned, so that fields added or given another widget in ``__init__`` are
    covered too."""

    fields: dict[str, forms.Field]

    def full_clean(self) -> None:
        for field in self.fields.values():
            if isinstance(field, forms.IntegerField):
                _bound_integer(field)
            if isinstance(field, forms.CharField) and not any(
                isinstance(v, TextValidator) for v in field.validators
            ):
                multiline = isinstance(field.widget, forms.Textarea)
                field.validators.append(TextValidator(multiline=multiline))
        super().full_clean()  # type: ignore[misc]


def _bound_integer(field: forms.IntegerField) -> None:
    if field.max_value is None or field.max_value > ID_MAX:
        field.max_value = ID_MAX
        field.validators.append(MaxValueValidator(ID_MAX))
    if field.min_value is None or field.min_value < -ID_MAX:
        field.min_value = -ID_MAX
        field.validators.append(MinValueValidator(-ID_MAX))


def posted_text(data: Any, name: str, *, label: str, multiline: bool = True) -> str:
    """A text posted beside a button, without a form (a reason, an answer, a note), checked
    like a form's field; the refusal starts with the field's ``label``."""
    value = str(data.get(name, ""))
    try:
        return check_text(value, field=name, multiline=multiline)
    except PolicyError as exc:
        raise PolicyError(
            gettext_noop(
                "%(label)s: this text holds an invisible control character (%(character)s) at "
                "position %(position)s; remove it."
            ),
            code=exc.code,
            field=name,
            params={"label": label, **exc.params},
        ) from None


def _schema_text(multiline: bool) -> Any:
    def check(value: str, info: ValidationInfo) -> str:
        try:
            return check_text(value, field=info.field_name or "", multiline=multiline)
        except PolicyError as exc:
            raise PydanticCustomError(exc.code, translated_message(exc)) from None

    return AfterValidator(check)


#: A text of one line in an API input: a name, a title, a code, a choice.
Text = Annotated[str, _schema_text(multiline=False)]
#: A text of several lines in an API input: a summary, a reason, terms.
LongText = Annotated[str, _schema_text(multiline=True)]

__all__ = ["LongText", "Text", "TextGuardMixin", "TextValidator", "posted_text"]
