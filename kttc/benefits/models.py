"""The models of the benefits part, one package per mechanism; Django finds them through this
module, and ``from kttc.benefits.models import …`` keeps working.

* ``contracts``: technology contracts, their income and costs, and its distribution (M5);
* ``shareholding``: a result invested at a valuation, its cap table and the team's split (M6.1);
* ``state_equity``: the ledger of the state equity those investments form (M2);
* ``invest_first``: "invest first, equity later" cases of the designated platform (M7);
* ``payroll``: each unit's payroll roster and the layout of its payroll file (M5.1)."""

from kttc.benefits.contracts.models import (
    DISCLOSABLE,
    ContractIncome,
    DeductibleCost,
    Distribution,
    DistributionLine,
    IncomeRules,
    TechnologyContract,
)
from kttc.benefits.invest_first.models import (
    InvestFirstCase,
    InvestFirstConversion,
    InvestFirstExit,
    InvestFirstMilestone,
)
from kttc.benefits.payroll.models import PayrollLayout, RosterEntry
from kttc.benefits.shareholding.models import (
    CapTableHolder,
    EquityInvestment,
    TeamSplit,
    TeamSplitLine,
)
from kttc.benefits.state_equity.models import StateEquityMatter

__all__ = [
    "DISCLOSABLE", "CapTableHolder", "ContractIncome", "DeductibleCost", "Distribution",
    "DistributionLine", "EquityInvestment", "IncomeRules", "InvestFirstCase",
    "InvestFirstConversion", "InvestFirstExit", "InvestFirstMilestone", "PayrollLayout",
    "RosterEntry", "StateEquityMatter", "TeamSplit", "TeamSplitLine", "TechnologyContract",
]  # fmt: skip
