"""Writes of the benefits part (M5): ``<thing>_<verb>`` functions, keyword-only, one transaction
each, recording their decisions through ``kttc.core.services.audit_record``.

Technology contracts of the unit, their registration (认定登记), the income received and the
costs deducted (evidence rows: never changed), and the income of a licence concluded on the
platform taken over from its payments."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction

from kttc.benefits.contracts.choices import Beneficiary, ContractKind
from kttc.benefits.contracts.models import (
    DISCLOSABLE,
    ContractIncome,
    DeductibleCost,
    Distribution,
    DistributionLine,
    IncomeRules,
    TechnologyContract,
)
from kttc.core import countries
from kttc.core.models import Organisation, User
from kttc.core.selectors import policy_version_in_force
from kttc.core.services import audit_record, decision, require_capability
from kttc.policy import benefits as benefit_rules
from kttc.policy.errors import refuse
from kttc.policy.i18n import gettext_noop
from kttc.policy.money import percent, to_money
from kttc.policy.roles import Capability
from kttc.reform.models import Licence
from kttc.registry.models import Achievement

#: The longest registration number the platform keeps (numbers differ between offices).
REGISTRATION_NUMBER_MAX = 40
_M5_2 = ("M5.2",)


def _text(value: str, field: str, template: str) -> str:
    if not value.strip():
        raise refuse(template, "required", field, _M5_2)
    return value.strip()


def _money(value: Decimal, field: str, *, positive: bool = True) -> Decimal:
    amount = to_money(value)
    if amount < 0 or (positive and amount == 0):
        raise refuse(
            gettext_noop("%(amount)s is not an amount this field takes."),
            "money",
            field,
            _M5_2,
            amount=amount,
        )
    return amount


def _audit(actor: User, contract: TechnologyContract, action: str, after: dict[str, Any],
           obj: Any = None) -> None:  # fmt: skip
    audit_record(
        actor=actor,
        organisation=contract.unit,
        action=f"contract.{action}",
        obj=obj or contract,
        after=after,
        clauses=["M5.2"],
    )


@decision
def contract_create(
    *,
    actor: User,
    unit: Organisation,
    kind: str,
    title: str,
    counterparty: str,
    signed_on: date,
    counterparty_country: str = "CN",
    amount: Decimal,
    achievement: Achievement | None = None,
    licence: Licence | None = None,
    disclosed: Sequence[str] = (),
) -> TechnologyContract:
    """M5: the unit records a technology contract it signed as the seller. A licence contract
    may point to the licence concluded on the platform (M3), of a result of the unit."""
    require_capability(actor, Capability.MANAGE_CONTRACTS, unit)
    unknown = sorted(set(disclosed) - set(DISCLOSABLE))
    if unknown:
        raise refuse(
            gettext_noop("%(fields)s cannot be published on the transaction page."),
            "contract.disclosed",
            "disclosed",
            ("M8.5",),
            fields=", ".join(unknown),
        )
    if kind not in ContractKind.values:
        raise refuse(
            gettext_noop("%(kind)s is not a kind of technology contract."),
            "contract.kind",
            "kind",
            _M5_2,
            kind=kind,
        )
    if achievement is not None and achievement.unit_id != unit.pk:
        raise refuse(
            gettext_noop("The result is another unit's."), "contract.result", "achievement", _M5_2
        )
    if not countries.is_country(counterparty_country):
        raise refuse(
            gettext_noop("%(country)s is not a country or region (ISO 3166-1)."),
            "contract.country",
            "counterparty_country",
            ("M8.4",),
            country=counterparty_country,
        )
    if licence is not None:
        if kind != ContractKind.LICENCE or licence.unit_id != unit.pk:
            raise refuse(
                gettext_noop("Only a licence contract of the unit points to its licence."),
                "contract.licence",
                "licence",
                _M5_2,
            )
        achievement = achievement or licence.achievement
        counterparty_country = licence.licensee.country
    contract = TechnologyContract.objects.create(
        unit=unit,
        kind=kind,
        title=_text(title, "title", gettext_noop("Give the contract's title.")),
        counterparty=_text(
            counterparty, "counterparty", gettext_noop("Name the other party of the contract.")
        ),
        counterparty_country=counterparty_country,
        signed_on=signed_on,
        amount=_money(amount, "amount", positive=False),
        achievement=achievement,
        licence=licence,
        disclosed=[f for f in DISCLOSABLE if f in set(disclosed)],
        created_by=actor,
    )
    _audit(
        actor,
        contract,
        "create",
        {
            "kind": kind,
            "amount": contract.amount,
            "achievement": contract.achievement_id,
            "counterparty_country": contract.counterparty_country,
        },
    )
    return contract


@decision
def contract_register(
    *,
    actor: User,
    contract: TechnologyContract,
    registration_number: str,
    registered_on: date,
    certified_amount: Decimal,
) -> TechnologyContract:
    """M5.2: the contract's registration (认定登记): the number the registration office gave and
    the technology-transaction amount it certified. Only registered transfers and licences are
    distributed under M5.2."""
    contract = TechnologyContract.objects.select_for_update().get(pk=contract.pk)
    require_capability(actor, Capability.MANAGE_CONTRACTS, contract.unit)
    if contract.is_registered:
        raise refuse(
            gettext_noop("The contract is registered already, as %(number)s."),
            "contract.registered",
            "registration_number",
            _M5_2,
            number=contract.registration_number,
        )
    number = _text(
        registration_number,
        "registration_number",
        gettext_noop("Give the registration number of the registration certificate."),
    )
    if len(number) > REGISTRATION_NUMBER_MAX:
        raise refuse(
            gettext_noop("A registration number has at most %(max)s characters."),
            "contract.registration_number",
            "registration_number",
            _M5_2,
            max=REGISTRATION_NUMBER_MAX,
        )
    if registered_on < contract.signed_on:
        raise refuse(
            gettext_noop("A contract is registered after it is signed (%(signed)s)."),
            "contract.registered_on",
            "registered_on",
            _M5_2,
            signed=contract.signed_on,
        )
    contract.registration_number, contract.registered_on = number, registered_on
    contract.certified_amount = _money(certified_amount, "certified_amount", positive=False)
    try:
        with transaction.atomic():
            contract.save(
                update_fields=["registration_number", "registered_on", "certified_amount"]
            )
    except IntegrityError:
        raise refuse(
            gettext_noop("Another contract is registered as %(number)s."),
            "contract.registration_taken",
            "registration_number",
            _M5_2,
            number=number,
        ) from None
    _audit(
        actor,
        contract,
        "register",
        {"registration_number": number, "certified_amount": contract.certified_amount},
    )
    return contract


@decision
def income_record(
    *, actor: User, contract: TechnologyContract, amount: Decimal, received_on: date, note: str = ""
) -> ContractIncome:
    """M5.2: income the unit received under the contract."""
    require_capability(actor, Capability.MANAGE_CONTRACTS, contract.unit)
    income = ContractIncome.objects.create(
        contract=contract,
        amount=_money(amount, "amount"),
        received_on=received_on,
        note=note.strip(),
        recorded_by=actor,
    )
    _audit(actor, contract, "income", {"amount": income.amount, "received_on": received_on},
           income)  # fmt: skip
    return income


@decision
def income_from_licence(*, actor: User, contract: TechnologyContract) -> list[ContractIncome]:
    """M3, M5.2: the payments received under the contract's licence on the platform that are
    not yet income of the contract become its income, each once."""
    require_capability(actor, Capability.MANAGE_CONTRACTS, contract.unit)
    licence = contract.licence
    if licence is None:
        raise refuse(
            gettext_noop("The contract points to no licence on the platform."),
            "contract.no_licence",
            "licence",
            _M5_2,
        )
    payments = licence.payments.filter(contract_income__isnull=True)
    created = ContractIncome.objects.bulk_create(
        ContractIncome(
            contract=contract,
            amount=p.amount,
            received_on=p.paid_on,
            note="licence payment",
            licence_payment=p,
            recorded_by=actor,
        )
        for p in payments.order_by("paid_on", "id")
    )
    if created:
        _audit(
            actor,
            contract,
            "income_from_licence",
            {"payments": [c.licence_payment_id for c in created],
             "amount": sum((c.amount for c in created), Decimal("0.00"))},
        )  # fmt: skip
    return created


@decision
def cost_record(
    *, actor: User, contract: TechnologyContract, amount: Decimal, reason: str, incurred_on: date
) -> DeductibleCost:
    """M5.2: a cost the unit deducts from the contract's income to reach the net income, with
    its reason."""
    require_capability(actor, Capability.MANAGE_CONTRACTS, contract.unit)
    cost = DeductibleCost.objects.create(
        contract=contract,
        amount=_money(amount, "amount"),
        reason=_text(reason, "reason", gettext_noop("Say why the cost is deducted.")),
        incurred_on=incurred_on,
        recorded_by=actor,
    )
    _audit(actor, contract, "cost", {"amount": cost.amount, "reason": cost.reason}, cost)
    return cost


# --- distribution of net income (M5.1-M5.3) -----------------------------------------------------


@decision
def income_rules_set(*, actor: User, unit: Organisation, team_min_ratio: Decimal) -> IncomeRules:
    """M5.2: the unit's own minimum share of net income for the completers of its registered
    transfers and licences. It may give them more than the policy's minimum, never less."""
    require_capability(actor, Capability.MANAGE_CONTRACTS, unit)
    ratio = benefit_rules.check_ratio(team_min_ratio, "team_min_ratio", ("M5.2",))
    minimum = policy_version_in_force().parameters.completer_income_min_share
    if ratio < minimum:
        raise refuse(
            gettext_noop(
                "A unit's rule may give the completers more than %(minimum)s of the net income, "
                "not less; %(ratio)s is less."
            ),
            "contract.rule_below_minimum",
            "team_min_ratio",
            _M5_2,
            minimum=percent(minimum),
            ratio=percent(ratio),
        )
    found, _created = IncomeRules.objects.update_or_create(
        unit=unit, defaults={"team_min_ratio": ratio, "updated_by": actor}
    )
    audit_record(
        actor=actor,
        organisation=unit,
        action="contract.income_rules",
        obj=found,
        after={"team_min_ratio": ratio},
        clauses=["M5.2"],
    )
    return found


def _check_period(contract: TechnologyContract, period_start: date, period_end: date) -> None:
    """M5.2: a period that ends after it starts, and is distributed once."""
    if period_end < period_start:
        raise refuse(
            gettext_noop("The period ends before it starts."),
            "distribution.period",
            "period_end",
            _M5_2,
        )
    overlapping = contract.distributions.filter(
        period_start__lte=period_end, period_end__gte=period_start
    ).first()
    if overlapping is not None:
        raise refuse(
            gettext_noop(
                "The income from %(start)s to %(end)s is distributed already; a period is "
                "distributed once."
            ),
            "distribution.overlap",
            "period_start",
            _M5_2,
            start=overlapping.period_start,
            end=overlapping.period_end,
        )


def _net_income(
    contract: TechnologyContract, period_start: date, period_end: date
) -> benefit_rules.NetIncome:
    """M5.2: the income received and the costs incurred in the period, and what is left."""
    incomes = contract.incomes.filter(received_on__range=(period_start, period_end))
    costs = contract.costs.filter(incurred_on__range=(period_start, period_end))
    income = sum(incomes.values_list("amount", flat=True), Decimal("0.00"))
    if income <= 0:
        raise refuse(
            gettext_noop("No income was received under the contract in this period."),
            "distribution.no_income",
            "period_start",
            _M5_2,
        )
    return benefit_rules.net_income(income, [benefit_rules.Cost(c.amount, c.reason) for c in costs])


def _store(
    contract: TechnologyContract,
    actor: User,
    period: tuple[date, date],
    net: benefit_rules.NetIncome,
    result: benefit_rules.IncomeDistribution,
    version_code: str,
) -> Distribution:
    """The distribution and its lines to the fen: the completers, the service staff, the unit."""
    distribution = Distribution.objects.create(
        contract=contract,
        period_start=period[0],
        period_end=period[1],
        income=net.income,
        costs=net.costs_total,
        net_income=net.net,
        team_ratio=result.team_ratio,
        service_ratio=result.service_ratio,
        policy_version=version_code,
        decided_by=actor,
    )
    lines = [
        DistributionLine(
            distribution=distribution,
            beneficiary=line.role.value,
            name=line.name,
            share=line.share,
            amount=line.amount,
        )
        for line in (*result.completers, *result.service_staff)
    ]
    lines.append(
        DistributionLine(
            distribution=distribution,
            beneficiary=Beneficiary.UNIT,
            name=contract.unit.name,
            amount=result.unit_remainder,
        )
    )
    DistributionLine.objects.bulk_create(lines)
    return distribution


@decision
def distribution_decide(
    *,
    actor: User,
    contract: TechnologyContract,
    period_start: date,
    period_end: date,
    team_ratio: Decimal,
    team_shares: Mapping[str, Decimal],
    service_ratio: Decimal | None = None,
    service_shares: Mapping[str, Decimal] | None = None,
) -> Distribution:
    """M5.1-M5.3: the unit distributes the net income of the contract received in a period:
    the income received and the costs incurred in it, the team's part (at least the minimum in
    force for a registered transfer or licence, or the unit's own rule where it sets more) split
    by the team's agreed shares, the service staff's reward from the unit's part (at least the
    minimum when used) and the unit's remainder, each line to the fen. The rules are
    ``kttc.policy.benefits.distribute``; the parameters those in force on the period's end. The
    team's minimum comes from the policy and the unit's stored rule only, never from the caller,
    and the entry records which applied."""
    contract = TechnologyContract.objects.select_for_update().get(pk=contract.pk)
    require_capability(actor, Capability.MANAGE_CONTRACTS, contract.unit)
    _check_period(contract, period_start, period_end)
    net = _net_income(contract, period_start, period_end)
    version = policy_version_in_force(period_end)
    kind = benefit_rules.ContractKind(contract.kind)
    stored = IncomeRules.objects.filter(unit=contract.unit).first()
    unit_minimum = stored.team_min_ratio if stored is not None else None
    minimum = benefit_rules.minimum_team_ratio(
        kind,
        policy_minimum=version.parameters.completer_income_min_share,
        unit_minimum=unit_minimum,
    )
    result = benefit_rules.distribute(
        net.net,
        registered=contract.is_registered,
        kind=kind,
        team_ratio=team_ratio,
        min_team_ratio=minimum,
        team_shares=team_shares,
        min_service_ratio=version.parameters.service_staff_reward_min_share,
        service_ratio=service_ratio,
        service_shares=service_shares or {},
    )
    distribution = _store(contract, actor, (period_start, period_end), net, result, version.code)
    audit_record(
        actor=actor,
        organisation=contract.unit,
        action="distribution.decide",
        obj=distribution,
        after={
            "contract": contract.pk,
            "net_income": net.net,
            "team_ratio": result.team_ratio,
            "team_total": result.team_total,
            "service_reward": result.service_reward,
            "unit_remainder": result.unit_remainder,
            "policy_version": version.code,
            "min_team_ratio": minimum,
            "policy_min_team_ratio": version.parameters.completer_income_min_share,
            "unit_min_team_ratio": unit_minimum,
        },
        clauses=list(result.clauses),
    )
    return distribution
