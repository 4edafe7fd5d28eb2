"""Reads of the benefits part (M5): a unit's contracts for its transfer office (every unit's for
the bureau and auditors), with their income, costs and net income."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet

from kttc.benefits.contracts.choices import Beneficiary
from kttc.benefits.contracts.models import DistributionLine, IncomeRules, TechnologyContract
from kttc.core.models import Organisation, User
from kttc.core.selectors import organisations_where, parameters_in_force, user_can
from kttc.policy import benefits as benefit_rules
from kttc.policy.roles import Capability

ZERO = Decimal("0.00")


def contract_units(user: User) -> QuerySet[Organisation]:
    """The units whose contracts ``user`` manages."""
    return organisations_where(user, Capability.MANAGE_CONTRACTS)


def contracts_visible_to(user: User) -> QuerySet[TechnologyContract]:
    query = TechnologyContract.objects.select_related("unit", "achievement")
    if user.is_superuser or user_can(user, Capability.VIEW_UNIT_ACHIEVEMENTS_ALL):
        return query
    return query.filter(unit__in=contract_units(user))


def contracts_listed(
    user: User, *, kind: str = "", registered: bool | None = None
) -> QuerySet[TechnologyContract]:
    """The contracts ``user`` sees, of one ``kind`` when given, and registered (认定登记) or not
    when ``registered`` says: the list of the contracts page and of the API."""
    rows = contracts_visible_to(user)
    if kind:
        rows = rows.filter(kind=kind)
    if registered is True:
        rows = rows.exclude(registration_number="")
    elif registered is False:
        rows = rows.filter(registration_number="")
    return rows


@dataclass(frozen=True)
class Totals:
    income: Decimal
    costs: Decimal

    @property
    def net(self) -> Decimal:
        return self.income - self.costs


def totals_of(contract: TechnologyContract) -> Totals:
    """M5.2: the income received, the costs deducted, and the net income of the contract."""
    # Summed in Python, exactly: SQLite adds decimals as floats.
    income = sum(contract.incomes.values_list("amount", flat=True), ZERO)
    costs = sum(contract.costs.values_list("amount", flat=True), ZERO)
    return Totals(income, costs)


def minimum_team_percent(contract: TechnologyContract) -> Decimal | None:
    """M5.2: the least share of net income, in percent, the team receives under the contract
    today (None where M5.2 sets no minimum: development, consulting, service)."""
    kind = benefit_rules.ContractKind(contract.kind)
    stored = IncomeRules.objects.filter(unit_id=contract.unit_id).first()
    minimum = benefit_rules.minimum_team_ratio(
        kind,
        policy_minimum=parameters_in_force().completer_income_min_share,
        unit_minimum=stored.team_min_ratio if stored is not None else None,
    )
    return minimum * 100 if minimum else None


def income_rules_of(units: QuerySet[Organisation]) -> list[tuple[Organisation, IncomeRules | None]]:
    """M5.2: each unit with its own rule for the team's share, if it has one."""
    stored = {r.unit_id: r for r in IncomeRules.objects.filter(unit__in=units)}
    return [(unit, stored.get(unit.pk)) for unit in units]


def lines_of_person(user: User) -> QuerySet[DistributionLine]:
    """M5.1: the distribution lines that pay ``user``: linked to the person, or naming her as she
    is named on a distribution of one of her units' contracts (the rule by which a completer is
    known, ``kttc.reform.empowerment.selectors.is_completer``). Never the unit's own line."""
    units = organisations_where(user, Capability.VIEW_UNIT_ACHIEVEMENTS)
    return DistributionLine.objects.exclude(beneficiary=Beneficiary.UNIT).filter(
        Q(person=user)
        | Q(person__isnull=True, name=user.full_name, distribution__contract__unit__in=units)
    )
