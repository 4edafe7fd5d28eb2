"""Reads of the payroll roster and layout (M5.1). Only a unit's transfer office (the capability
to manage its contracts) reaches them: the roster is personal data."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from kttc.benefits.contracts import statements
from kttc.benefits.contracts.choices import Beneficiary
from kttc.benefits.contracts.models import Distribution, DistributionLine
from kttc.benefits.payroll.choices import IdDocument
from kttc.benefits.payroll.models import PayrollLayout, RosterEntry
from kttc.core.models import Organisation, User
from kttc.core.selectors import organisations_where
from kttc.policy import payroll as rules
from kttc.policy.payroll import Column
from kttc.policy.roles import Capability

PEOPLE = (Beneficiary.TEAM, Beneficiary.SERVICE_STAFF)


def payroll_units(user: User) -> QuerySet[Organisation]:
    """The units whose payroll data ``user`` keeps: those whose transfer office she is."""
    return organisations_where(user, Capability.MANAGE_CONTRACTS).order_by("name")


def distributions_for_payroll(user: User) -> QuerySet[Distribution]:
    """The distributions whose payroll ``user`` may export: her units' (never another unit's,
    nor the bureau's or an auditor's, who read the distributions but not the roster)."""
    return Distribution.objects.filter(contract__unit__in=payroll_units(user)).select_related(
        "contract", "contract__unit"
    )


def people_of(unit: Organisation) -> list[str]:
    """The people of the unit's teams: every name a distribution of its contracts pays (the
    completers and the service staff), and those on its roster, in name order."""
    paid = DistributionLine.objects.filter(
        distribution__contract__unit=unit, beneficiary__in=PEOPLE
    ).values_list("name", flat=True)
    listed = RosterEntry.objects.filter(unit=unit).values_list("name", flat=True)
    return sorted(set(paid) | set(listed))


def roster_of(unit: Organisation) -> dict[str, RosterEntry]:
    """The unit's roster by name."""
    return {e.name: e for e in RosterEntry.objects.filter(unit=unit)}


def layout_of(unit: Organisation) -> list[tuple[Column, str]]:
    """M5.1: the unit's payroll layout, or the default one (headers in the active language)."""
    stored = PayrollLayout.objects.filter(unit=unit).first()
    if stored is None:
        return statements.default_layout()
    return [(Column(column), header) for column, header in stored.columns]


def has_own_layout(unit: Organisation) -> bool:
    return PayrollLayout.objects.filter(unit=unit).exists()


def export_data(entry: RosterEntry) -> dict[Column, str]:
    """The entry's payroll data as the export writes it: numbers whole, the document by its
    name in the active language."""
    kind = IdDocument(entry.id_type).label if entry.id_type else ""
    return {
        Column.STAFF_NUMBER: entry.staff_number,
        Column.ID_TYPE: str(kind),
        Column.ID_NUMBER: entry.id_number,
        Column.BANK_NAME: entry.bank_name,
        Column.BANK_ACCOUNT: entry.bank_account,
    }


def export_roster(distribution: Distribution) -> dict[str, dict[Column, str]]:
    """The payroll data of the people the distribution pays, for its export."""
    names = distribution.lines.filter(beneficiary__in=PEOPLE).values_list("name", flat=True)
    entries = RosterEntry.objects.filter(unit_id=distribution.contract.unit_id, name__in=names)
    return {e.name: export_data(e) for e in entries}


@dataclass(frozen=True)
class Lacking:
    """A person the payroll pays whose payroll data the layout asks for and the roster lacks:
    ``columns`` are the headers of the layout's columns she has nothing in (all of them when she
    is not on the roster)."""

    name: str
    on_roster: bool
    columns: tuple[str, ...]


def lacking(distribution: Distribution, layout: list[tuple[Column, str]]) -> list[Lacking]:
    """M5.1: who the distribution pays without the payroll data its payroll asks for, in the
    order the payroll lists them: their cells export empty, so the office hears of them first."""
    asked = [(column, header) for column, header in layout if column in rules.ROSTER_COLUMNS]
    if not asked:
        return []
    entries = export_roster(distribution)
    found: list[Lacking] = []
    for line in statements.person_lines(distribution):
        data = entries.get(line.name)
        empty = tuple(header for column, header in asked if not (data or {}).get(column))
        if empty and line.name not in {f.name for f in found}:
            found.append(Lacking(line.name, data is not None, empty))
    return found


@dataclass(frozen=True)
class ShownEntry:
    """A person's payroll data as a page shows it: the numbers masked."""

    name: str
    entry: RosterEntry | None
    id_number: str
    bank_account: str

    @property
    def id_type(self) -> str:
        if self.entry is None or not self.entry.id_type:
            return ""
        return str(self.entry.get_id_type_display())


def shown(name: str, entry: RosterEntry | None) -> ShownEntry:
    """``entry`` with its identity document and account numbers masked (last 4 characters)."""
    if entry is None:
        return ShownEntry(name, None, "", "")
    return ShownEntry(name, entry, rules.mask(entry.id_number), rules.mask(entry.bank_account))


def roster_page(unit: Organisation) -> list[ShownEntry]:
    """Each person of the unit's teams with her payroll data as the roster page shows it."""
    entries = roster_of(unit)
    return [shown(name, entries.get(name)) for name in people_of(unit)]
