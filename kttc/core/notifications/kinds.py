"""The kinds of notices the platform sends, with their labels, for people's preferences.

Each part registers the kinds it sends, beside the notices themselves::

    register_kind("reform.licence_concluded", _("A licence is concluded"), group=_("Licences"))

A kind's ``default`` is the delivery a person gets until they choose (``immediate``, ``digest``
or ``off``). A kind marked ``mandatory`` carries a notice the rules require the person to receive
(a deadline or a decision citing a clause): it may come at once or in the daily digest, never
``off``. A notice whose kind is not registered is delivered at once, like before preferences.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

IMMEDIATE = "immediate"
DIGEST = "digest"
OFF = "off"
DELIVERIES = (IMMEDIATE, DIGEST, OFF)

#: The group of a kind registered without one: its area, the part of the kind before the dot.
AREAS: dict[str, Any] = {
    "registry": _("Results and projects"),
    "reform": _("Licences and transformation"),
    "benefits": _("Benefits"),
    "organisation": _("Your organisation"),
    "inquiry": _("Questions about results"),
    "demand": _("Technology demands"),
    "search": _("Saved searches and followed fields"),
    "voucher": _("Innovation vouchers"),
}


@dataclass(frozen=True)
class Kind:
    """A registered kind of notice."""

    kind: str
    label: str | Promise
    group: str | Promise
    default: str = IMMEDIATE
    mandatory: bool = False

    @property
    def choices(self) -> tuple[str, ...]:
        """The deliveries a person may choose for it (never ``off`` when it is mandatory)."""
        return (IMMEDIATE, DIGEST) if self.mandatory else DELIVERIES


_KINDS: dict[str, Kind] = {}
_discovered = False


def register_kind(
    kind: str,
    label: str | Promise,
    *,
    group: str | Promise | None = None,
    default: str = IMMEDIATE,
    mandatory: bool = False,
) -> Kind:
    """Register (or register again, the same) a kind of notice; returns it."""
    if default not in DELIVERIES:
        raise ValueError(f"default of {kind!r} must be one of {DELIVERIES}, not {default!r}")
    if mandatory and default == OFF:
        raise ValueError(f"mandatory kind {kind!r} cannot be off by default")
    area = kind.split(".", 1)[0]
    registered = Kind(
        kind=kind,
        label=label,
        group=group if group is not None else AREAS.get(area, area),
        default=default,
        mandatory=mandatory,
    )
    _KINDS[kind] = registered
    return registered


def _discover() -> None:
    """Import the modules that send notices, so that their kinds are registered: the URL
    configuration (views import the services that send at once) and each part's sweep."""
    global _discovered
    if _discovered:
        return
    _discovered = True
    from django.conf import settings

    from kttc.core.parts import part_modules

    importlib.import_module(settings.ROOT_URLCONF)
    part_modules("sweep")


def kinds() -> list[Kind]:
    """Every registered kind, in the order registered."""
    _discover()
    return list(_KINDS.values())


def get_kind(kind: str) -> Kind | None:
    """The registered kind named ``kind``, or None."""
    _discover()
    return _KINDS.get(kind)


def label_of(kind: str) -> str:
    """A kind's label in the active language (the kind itself when it is not registered)."""
    found = get_kind(kind)
    return str(found.label) if found else kind
