"""Model fields every part shares."""

from __future__ import annotations

from typing import Any

from django.db import models

from kttc.policy.money import MONEY_MAX_DIGITS


class MoneyField(models.DecimalField):
    """An amount of CNY, to the fen (DESIGN rule 4): ``DecimalField(max_digits=18,
    decimal_places=2)``. It deconstructs as that DecimalField, so a column switched to it needs
    no migration and migrations never import this module."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", MONEY_MAX_DIGITS)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.DecimalField", args, kwargs
