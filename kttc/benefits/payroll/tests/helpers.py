"""Data the payroll tests share: a distribution paying three people, valid numbers."""

from __future__ import annotations

from typing import Any

from kttc.benefits.contracts.tests.test_distribution import _contract, _decide
from kttc.benefits.payroll import services
from kttc.policy.identifiers import make_resident_id

#: 李明's resident identity card number (checks) and bank account.
LI_ID = make_resident_id("53010219800101001")
LI_ACCOUNT = "6222020200112233445"
ZHAO_PASSPORT = "E12345678"
ZHAO_ACCOUNT = "62170000123456789"


def distribution_of(personas: Any, unit: Any) -> Any:
    """A distribution of ``unit`` paying 李明 and 赵华 (the team) and 王芳 (service staff)."""
    return _decide(personas, _contract(personas, unit))


def li_and_zhao(personas: Any, unit: Any) -> services.RosterSaved:
    """李明 with a resident identity card, 赵华 with a passport; 王芳 not on the roster."""
    return services.payroll_roster_save(
        actor=personas.transfer_office,
        unit=unit,
        changes=[
            services.RosterChange(
                name="李明",
                staff_number="KM0012",
                id_type="resident_id",
                id_number=LI_ID,
                bank_name="中国工商银行昆明分行",
                bank_account=LI_ACCOUNT,
            ),
            services.RosterChange(
                name="赵华",
                staff_number="KM0034",
                id_type="passport",
                id_number=ZHAO_PASSPORT,
                bank_name="中国建设银行昆明分行",
                bank_account=ZHAO_ACCOUNT,
            ),
        ],
    )
