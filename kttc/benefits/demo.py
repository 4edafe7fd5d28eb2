"""Demo data of the benefits part: the demo licence's technology contract, registered, with the
licence's payments as income, a deductible cost and a distribution (M5); an invest-first case
converted at a round and partly exited (M7); the payroll data of two of the distribution's three
people (M5.1: the export page names the third). Loaded once, after the reform's demo."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.db import transaction

from kttc.benefits.contracts import services
from kttc.benefits.contracts.models import TechnologyContract
from kttc.benefits.invest_first import services as invest_first
from kttc.benefits.invest_first.models import InvestFirstCase
from kttc.benefits.payroll import services as payroll
from kttc.core.models import User
from kttc.policy import calendar
from kttc.policy.identifiers import make_resident_id
from kttc.policy.roles import Role
from kttc.reform.models import Licence

REGISTRATION = "2026530100000088"


def demo_loaded() -> bool:
    return TechnologyContract.objects.filter(registration_number=REGISTRATION).exists()


@transaction.atomic
def load_demo() -> None:
    office = User.objects.get(email="office@demo.kttc.example")
    today = calendar.today_in_shanghai()
    licence = Licence.objects.order_by("pk").first()  # the reform's demo licence
    if licence is not None:
        contract = services.contract_create(
            actor=office,
            unit=licence.unit,
            kind="licence",
            title=f"“{licence.achievement.name}”专利实施许可合同",
            counterparty=licence.licensee.name,
            signed_on=licence.starts_on,
            amount=Decimal("130000.00"),
            licence=licence,
        )
        services.contract_register(
            actor=office,
            contract=contract,
            registration_number=REGISTRATION,
            registered_on=licence.starts_on + timedelta(days=10),
            certified_amount=Decimal("130000.00"),
        )
        services.income_from_licence(actor=office, contract=contract)
        services.cost_record(
            actor=office,
            contract=contract,
            amount=Decimal("3200.00"),
            reason="专利年费与技术合同登记服务费",
            incurred_on=licence.starts_on + timedelta(days=20),
        )
        services.distribution_decide(
            actor=office,
            contract=contract,
            period_start=licence.starts_on,
            period_end=today,
            team_ratio=Decimal("0.75"),
            team_shares={"李明": Decimal("60"), "赵华": Decimal("40")},
            service_ratio=Decimal("0.10"),
            service_shares={"王芳": Decimal("100")},
        )
        _payroll_roster(office, contract)
    investor = User.objects.get(email="investor@demo.kttc.example")
    platform = investor.memberships.get(role=Role.INVESTMENT_PLATFORM.value).organisation
    if not platform.is_municipal:
        return
    granted = today - timedelta(days=400)
    case = invest_first.invest_first_grant(
        actor=investor,
        platform=platform,
        company="滇中生物制造有限公司",
        project="高原药用植物提取中试放大",
        stage="mid_scale_pilot",
        support=Decimal("1000000.00"),
        granted_on=granted,
        min_round_size=Decimal("5000000.00"),
        discount=Decimal("0.20"),
        valuation_cap=Decimal("31000000.00"),
        return_cap_ratio=Decimal("0.08"),
    )
    invest_first.invest_first_round(
        actor=investor,
        case=case,
        closed_on=granted + timedelta(days=200),
        round_size=Decimal("8000000.00"),
        price_per_share=Decimal("14.00"),
        pre_money_shares=3_000_000,
        note="A 轮融资",
    )
    invest_first.invest_first_exit(
        actor=investor,
        case=InvestFirstCase.objects.get(pk=case.pk),
        exited_on=today - timedelta(days=30),
        shares=40_000,
        proceeds=Decimal("612345.67"),
        buyer="云南产业投资基金",
    )


def _payroll_roster(office: User, contract: TechnologyContract) -> None:
    """M5.1: fictitious payroll data (the identity numbers check, no such people exist) of the
    team; the service staff's 王芳 is left out, for the export page to name her."""
    payroll.payroll_roster_save(
        actor=office,
        unit=contract.unit,
        changes=[
            payroll.RosterChange(
                name="李明",
                staff_number="KM2001",
                id_type="resident_id",
                id_number=make_resident_id("53010219800101001"),
                bank_name="中国工商银行昆明呈贡支行",
                bank_account="6222020200112233445",
            ),
            payroll.RosterChange(
                name="赵华",
                staff_number="KM2002",
                id_type="resident_id",
                id_number=make_resident_id("53011119850615002"),
                bank_name="富滇银行昆明分行",
                bank_account="6214830012345678",
            ),
        ],
    )
