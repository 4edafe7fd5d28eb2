"""The one money field: a DecimalField of 18 digits, two after the point, that migrations see as
exactly that, so switching a column to it changes no table."""

from __future__ import annotations

from django.db import models

from kttc.core.fields import MoneyField


def test_rule_4_a_money_field_is_the_money_decimal_column_to_migrations():
    field = MoneyField("amount", null=True, blank=True)
    field.set_attributes_from_name("amount")
    plain = models.DecimalField("amount", max_digits=18, decimal_places=2, null=True, blank=True)
    plain.set_attributes_from_name("amount")
    assert field.deconstruct() == plain.deconstruct()
    assert field.deconstruct()[1] == "django.db.models.DecimalField"
    assert (field.max_digits, field.decimal_places) == (18, 2)
