"""M5.1: the unit's office keeps its people's payroll data and its payroll layout: every line
checked (a resident identity card by its check character), all lines or none, each change an
audit entry with the numbers masked; only the unit's office."""

from __future__ import annotations

import json
from functools import partial

import pytest
from django.utils import translation

from kttc.benefits.payroll import selectors, services
from kttc.benefits.payroll.models import PayrollLayout, RosterEntry
from kttc.benefits.payroll.tests.helpers import (
    LI_ACCOUNT,
    LI_ID,
    ZHAO_ACCOUNT,
    distribution_of,
    li_and_zhao,
)
from kttc.benefits.tests.factories import refused as refused_storing
from kttc.core.errors import AccessDenied
from kttc.core.models import AuditEntry
from kttc.core.tests.factories import MembershipFactory, OrganisationFactory
from kttc.policy.payroll import Column

pytestmark = pytest.mark.django_db
refused = partial(refused_storing, (RosterEntry, PayrollLayout, AuditEntry))
Change = services.RosterChange


def _save(personas, unit, *changes):
    return services.payroll_roster_save(
        actor=personas.transfer_office, unit=unit, changes=list(changes)
    )


def test_m5_1_the_office_records_payroll_data_and_each_change_is_audited_masked(personas, unit):
    saved = li_and_zhao(personas, unit)
    assert (saved.created, saved.updated, saved.removed) == (2, 0, 0)
    li = RosterEntry.objects.get(unit=unit, name="李明")
    assert (li.id_number, li.bank_account, li.staff_number) == (LI_ID, LI_ACCOUNT, "KM0012")
    entries = AuditEntry.objects.filter(action="payroll.roster_set").order_by("seq")
    assert [e.object_repr for e in entries] == ["李明", "赵华"]
    assert all(e.clauses == ["M5.1"] and e.organisation_id == unit.pk for e in entries)
    chain = json.dumps([e.after for e in entries] + [e.object_repr for e in entries])
    assert LI_ID not in chain and LI_ACCOUNT not in chain and ZHAO_ACCOUNT not in chain
    assert entries[0].after["id_number"] == "****" + LI_ID[-4:]
    assert entries[0].after["bank_account"] == "****" + LI_ACCOUNT[-4:]


def test_m5_1_a_number_left_out_is_kept_a_change_is_one_entry_an_unchanged_line_none(
    personas, unit
):
    li_and_zhao(personas, unit)
    before = AuditEntry.objects.count()
    saved = _save(personas, unit, Change("李明", staff_number="KM0099"), Change("赵华"))
    assert (saved.created, saved.updated) == (0, 1)
    li = RosterEntry.objects.get(name="李明")
    assert (li.staff_number, li.id_number, li.bank_account) == ("KM0099", LI_ID, LI_ACCOUNT)
    entry = AuditEntry.objects.get(seq=before + 1)
    assert entry.before["staff_number"] == "KM0012" and entry.after["staff_number"] == "KM0099"
    assert AuditEntry.objects.count() == before + 1


def test_m5_1_a_person_taken_off_the_roster_or_left_with_nothing_is_removed(personas, unit):
    li_and_zhao(personas, unit)
    saved = _save(
        personas,
        unit,
        Change("李明", remove=True),
        Change("赵华", staff_number="", id_type="", id_number="", bank_name="", bank_account=""),
    )
    assert saved.removed == 2 and not RosterEntry.objects.exists()
    removals = AuditEntry.objects.filter(action="payroll.roster_remove")
    assert removals.count() == 2 and all(e.after is None for e in removals)
    assert LI_ID not in json.dumps([e.before for e in removals])


def test_gb11643_a_wrong_check_character_is_refused_naming_the_line_and_field(personas, unit):
    wrong = LI_ID[:-1] + ("1" if LI_ID[-1] != "1" else "2")
    error = refused(
        services.payroll_roster_save,
        actor=personas.transfer_office,
        unit=unit,
        changes=[
            Change("赵华", bank_account=ZHAO_ACCOUNT),
            Change("李明", id_type="resident_id", id_number=wrong),
        ],
    )
    assert isinstance(error, services.RowRefused)
    assert (error.row, error.name, error.field) == (1, "李明", "id_number")
    assert error.code == "resident_id.check_char" and "GB 11643-1999" in error.message
    assert not RosterEntry.objects.exists()  # the good line is not stored either


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        (Change("李明", bank_account="1234"), "bank_account", "payroll.account_length"),
        (Change("李明", bank_account="62220202001122O3"), "bank_account", "payroll.account_digits"),
        (Change("李明", id_number="E1234"), "id_type", "payroll.document_kind"),
        (Change("李明", id_type="visa", id_number="1"), "id_type", "payroll.document_unknown"),
        (Change("李明", staff_number="K\x00M"), "staff_number", "text.control_character"),
        (Change("李明", bank_name="银" * 101), "bank_name", "payroll.too_long"),
        (Change(" ", staff_number="1"), "name", "required"),
    ],
)
def test_m5_1_bad_payroll_data_is_refused_naming_its_field(personas, unit, change, field, code):
    error = refused(
        services.payroll_roster_save, actor=personas.transfer_office, unit=unit, changes=[change]
    )
    assert (error.field, error.code) == (field, code)


def test_m5_1_a_name_twice_is_refused_on_its_second_line(personas, unit):
    error = refused(
        services.payroll_roster_save,
        actor=personas.transfer_office,
        unit=unit,
        changes=[Change("李明", staff_number="1"), Change(" 李明 ", staff_number="2")],
    )
    assert error.code == "payroll.name_twice" and error.row == 1


def test_m5_1_changing_the_document_rechecks_the_stored_number(personas, unit):
    _save(personas, unit, Change("赵华", id_type="passport", id_number="E12345678"))
    error = refused(
        services.payroll_roster_save,
        actor=personas.transfer_office,
        unit=unit,
        changes=[Change("赵华", id_type="resident_id")],
    )
    assert error.field == "id_number" and error.code == "resident_id.length"


def test_m5_1_only_the_units_office_keeps_its_roster_and_layout(personas, unit):
    other = OrganisationFactory(name="另一所大学")
    other_office = MembershipFactory(organisation=other, role="transfer_office").user
    for actor in (other_office, personas.researcher, personas.bureau, personas.auditor):
        with pytest.raises(AccessDenied):
            services.payroll_roster_save(actor=actor, unit=unit, changes=[Change("李明")])
        with pytest.raises(AccessDenied):
            services.payroll_layout_set(actor=actor, unit=unit, columns=[("name", "姓名")])
        with pytest.raises(AccessDenied):
            services.payroll_layout_reset(actor=actor, unit=unit)
    assert not RosterEntry.objects.exists() and not PayrollLayout.objects.exists()
    assert list(selectors.payroll_units(other_office)) == [other]
    assert not selectors.payroll_units(personas.bureau).exists()
    assert not selectors.payroll_units(personas.researcher).exists()


LAYOUT = [("staff_number", "工号"), ("name", "姓名"), ("id_number", "身份证号"),
          ("bank_account", "账号"), ("amount", "金额"), ("outside_cap", "单列")]  # fmt: skip


def test_m5_1_the_office_sets_its_layout_and_restores_the_default(personas, unit):
    assert selectors.layout_of(unit)[0][0] is Column.DISTRIBUTION  # the default
    layout = services.payroll_layout_set(actor=personas.transfer_office, unit=unit, columns=LAYOUT)
    assert layout.columns == [list(line) for line in LAYOUT]
    assert selectors.layout_of(unit) == [(Column(c), h) for c, h in LAYOUT]
    entry = AuditEntry.objects.get(action="payroll.layout_set")
    assert entry.before is None and entry.after == {"columns": [list(x) for x in LAYOUT]}
    assert services.payroll_layout_reset(actor=personas.transfer_office, unit=unit) is True
    assert not PayrollLayout.objects.exists()
    assert selectors.layout_of(unit)[0][0] is Column.DISTRIBUTION
    reset = AuditEntry.objects.get(action="payroll.layout_reset")
    assert reset.before == {"columns": [list(x) for x in LAYOUT]}
    assert services.payroll_layout_reset(actor=personas.transfer_office, unit=unit) is False


@pytest.mark.parametrize(
    ("columns", "code"),
    [
        ([*LAYOUT, ("salary", "工资")], "payroll.column_unknown"),
        ([*LAYOUT, ("name", "姓名2")], "payroll.column_twice"),
        ([*LAYOUT, ("bank_name", " ")], "payroll.header_empty"),
        ([*LAYOUT, ("bank_name", "姓名")], "payroll.header_twice"),
        (LAYOUT[:-1], "payroll.column_required"),
    ],
)
def test_m5_1_a_bad_layout_is_refused_and_nothing_stored(personas, unit, columns, code):
    error = refused(
        services.payroll_layout_set, actor=personas.transfer_office, unit=unit, columns=columns
    )
    assert error.code == code and error.field == "columns" and "M5.1" in error.message


def test_m5_1_the_people_of_the_teams_and_who_lacks_payroll_data(personas, unit):
    distribution = distribution_of(personas, unit)
    assert selectors.people_of(unit) == sorted(["李明", "赵华", "王芳"])
    li_and_zhao(personas, unit)
    _save(personas, unit, Change("赵华", bank_account=""))  # 赵华's account cleared
    with translation.override("en"):
        lacking = selectors.lacking(distribution, selectors.layout_of(unit))
    assert [(p.name, p.on_roster) for p in lacking] == [("赵华", True), ("王芳", False)]
    assert lacking[0].columns == ("Bank account number",)
    assert lacking[1].columns == (
        "Staff number", "Identity document number", "Bank", "Bank account number",
    )  # fmt: skip
    own = [("name", "姓名"), ("amount", "金额"), ("outside_cap", "单列")]
    services.payroll_layout_set(actor=personas.transfer_office, unit=unit, columns=own)
    assert selectors.lacking(distribution, selectors.layout_of(unit)) == []  # none asked for
