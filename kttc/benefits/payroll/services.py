"""Writes of the payroll roster and layout (M5.1): ``<thing>_<verb>`` functions, keyword-only,
one decision transaction each (the audit chain's lock first, then the unit's rows, DESIGN rule
9), only for the unit's transfer office.

Each change of a person's payroll data is an audit entry, its numbers masked as pages show them:
the chain is read by auditors, the numbers are the person's. A roster is saved all or nothing:
one refused line stores no line."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from kttc.benefits.payroll.models import PayrollLayout, RosterEntry
from kttc.core.models import Organisation, User
from kttc.core.services import (
    Decision,
    audit_record,
    audit_record_many,
    decision,
    require_capability,
)
from kttc.policy import payroll as rules
from kttc.policy.errors import PolicyError, refuse
from kttc.policy.i18n import gettext_noop
from kttc.policy.roles import Capability

_M5_1 = ("M5.1",)
#: The payroll data of an entry, as stored and as changed.
FIELDS = ("staff_number", "id_type", "id_number", "bank_name", "bank_account")


@dataclass(frozen=True)
class RosterChange:
    """One person's payroll data as the office sends it, named as the distribution lines name
    her. ``None`` keeps what is stored, ``""`` clears it; ``remove`` takes her off the roster."""

    name: str
    staff_number: str | None = None
    id_type: str | None = None
    id_number: str | None = None
    bank_name: str | None = None
    bank_account: str | None = None
    remove: bool = False


class RowRefused(PolicyError):
    """The refusal of one line of a roster: ``row`` is its index among the changes sent, and
    ``name`` the person's; the field and the message are the rule's."""

    def __init__(self, error: PolicyError, *, row: int, name: str) -> None:
        super().__init__(
            error.template,
            code=error.code,
            field=error.field,
            clauses=error.clauses,
            params=error.params,
        )
        self.row = row
        self.name = name


@dataclass(frozen=True)
class RosterSaved:
    created: int = 0
    updated: int = 0
    removed: int = 0


def _kept(change: str | None, stored: str) -> str:
    return stored if change is None else change


def check_change(change: RosterChange, entry: RosterEntry | None) -> dict[str, str]:
    """M5.1: the person's payroll data once ``change`` is applied to ``entry``, every field
    checked (a resident identity card's number by its check character, GB 11643-1999), or the
    rule's refusal naming the field."""
    stored = {f: getattr(entry, f) if entry else "" for f in FIELDS}
    staff, bank, account = change.staff_number, change.bank_name, change.bank_account
    kind, number = rules.check_document(
        _kept(change.id_type, stored["id_type"]), _kept(change.id_number, stored["id_number"])
    )
    return {
        "staff_number": (
            stored["staff_number"] if staff is None else rules.check_staff_number(staff)
        ),
        "id_type": kind,
        "id_number": number,
        "bank_name": stored["bank_name"] if bank is None else rules.check_bank_name(bank),
        "bank_account": (
            stored["bank_account"] if account is None else rules.check_bank_account(account)
        ),
    }


def _audited(values: dict[str, str] | None) -> dict[str, str] | None:
    """What the audit entry keeps of the data: the numbers masked."""
    if values is None:
        return None
    return {
        **values,
        "id_number": rules.mask(values["id_number"]),
        "bank_account": rules.mask(values["bank_account"]),
    }


def _checked(
    changes: Sequence[RosterChange], entries: dict[str, RosterEntry]
) -> list[tuple[str, RosterChange, dict[str, str] | None]]:
    """Every line checked before any is stored: (name, change, new values or None to
    remove). A name given twice is refused on its second line."""
    checked: list[tuple[str, RosterChange, dict[str, str] | None]] = []
    lines: dict[str, int] = {}
    for row, change in enumerate(changes):
        try:
            name = rules.check_name(change.name)
            if name in lines:
                raise refuse(
                    gettext_noop("%(name)s is on line %(first)s already."),
                    "payroll.name_twice",
                    "name",
                    _M5_1,
                    name=name,
                    first=lines[name] + 1,
                )
            lines[name] = row
            values = None if change.remove else check_change(change, entries.get(name))
        except PolicyError as error:
            raise RowRefused(error, row=row, name=change.name) from None
        checked.append((name, change, values))
    return checked


@decision
def payroll_roster_save(
    *, actor: User, unit: Organisation, changes: Sequence[RosterChange]
) -> RosterSaved:
    """M5.1: the unit's office records its people's payroll data (staff number, identity
    document, bank account), all lines or none; each person whose data changes is one audit
    entry, the numbers masked. A person with no data left is taken off the roster."""
    require_capability(actor, Capability.MANAGE_CONTRACTS, unit)
    names = [" ".join(c.name.split()) for c in changes]
    entries = {
        e.name: e for e in RosterEntry.objects.select_for_update().filter(unit=unit, name__in=names)
    }
    decisions: list[Decision] = []
    created = updated = removed = 0
    for name, _change, values in _checked(changes, entries):
        entry = entries.get(name)
        before = {f: getattr(entry, f) for f in FIELDS} if entry else None
        if values is None or not any(values.values()):
            if entry is None:
                continue
            decisions.append(_decision("payroll.roster_remove", entry, before, None))
            entry.delete()
            removed += 1
            continue
        if entry is None:
            entry = RosterEntry.objects.create(unit=unit, name=name, updated_by=actor, **values)
            created += 1
        elif values != before:
            for field, value in values.items():
                setattr(entry, field, value)
            entry.updated_by = actor
            entry.save()
            updated += 1
        else:
            continue
        decisions.append(_decision("payroll.roster_set", entry, before, values))
    audit_record_many(actor=actor, organisation=unit, decisions=decisions, clauses=_M5_1)
    return RosterSaved(created, updated, removed)


def _decision(
    action: str, entry: RosterEntry, before: dict[str, str] | None, after: dict[str, str] | None
) -> Decision:
    return Decision(
        action,
        RosterEntry._meta.label_lower,
        str(entry.pk),
        entry.name,
        _audited(before),
        _audited(after),
    )


@decision
def payroll_layout_set(
    *, actor: User, unit: Organisation, columns: Sequence[tuple[str, str]]
) -> PayrollLayout:
    """M5.1: the unit's office sets the columns of its payroll file, their order and headers
    (:func:`kttc.policy.payroll.check_layout`)."""
    require_capability(actor, Capability.MANAGE_CONTRACTS, unit)
    layout = [[column.value, header] for column, header in rules.check_layout(columns)]
    stored = PayrollLayout.objects.select_for_update().filter(unit=unit).first()
    before: dict[str, Any] | None = {"columns": stored.columns} if stored else None
    if stored is None:
        stored = PayrollLayout.objects.create(unit=unit, columns=layout, updated_by=actor)
    else:
        stored.columns, stored.updated_by = layout, actor
        stored.save()
    audit_record(
        actor=actor,
        organisation=unit,
        action="payroll.layout_set",
        obj=stored,
        before=before,
        after={"columns": layout},
        clauses=_M5_1,
    )
    return stored


@decision
def payroll_layout_reset(*, actor: User, unit: Organisation) -> bool:
    """M5.1: the unit's payroll goes back to the default layout; False when it had no other."""
    require_capability(actor, Capability.MANAGE_CONTRACTS, unit)
    stored = PayrollLayout.objects.select_for_update().filter(unit=unit).first()
    if stored is None:
        return False
    audit_record(
        actor=actor,
        organisation=unit,
        action="payroll.layout_reset",
        obj=stored,
        before={"columns": stored.columns},
        after=None,
        clauses=_M5_1,
    )
    stored.delete()
    return True
