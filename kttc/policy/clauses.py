"""The obligations of the Kunming measures, by id.

This is the code's copy of the ids and one-line titles of ``docs/policy/MEASURES.md`` (the working
digest of the authoritative Chinese text, ``docs/policy/measures.zh.txt``). Code, tests, errors and
pages cite these ids; ``kttc policy clauses`` lists each with the code and the tests that carry it.
A test keeps this table and the digest in step.
"""

from __future__ import annotations

import re
from typing import Final

CLAUSES: Final[dict[str, str]] = {
    "M1.1": "Empowerment scope: municipal universities, institutes, medical institutions; "
    "municipal fiscal projects may follow",
    "M1.2": "Rights granted: ownership or a long-term use right",
    "M1.3": "Each reform unit keeps its own empowerment rules",
    "M1.4": "Completers apply with a transformation implementation plan, alone or jointly",
    "M1.5": "Unit approval, then a notice inside the unit of not less than 15 days; "
    "objections handled before a grant",
    "M1.6": "Written agreement between unit and completers on income distribution",
    "M1.7": "The unit may extend a long-term use right",
    "M1.8": "Results touching national security or major public interests are excluded",
    "M2.1": "Units decide autonomously on state equity from investing a result",
    "M2.2": "Matters touching national secrets, security or key core technology need approval",
    "M2.3": "Impairment is excluded from the value preservation assessment",
    "M3.1": "Units may license results to enterprises or other units",
    "M3.2": "Payment models: zero entry fee + staged payments + royalty, or deferred payment",
    "M3.3": "Payment timing agreed, or starting after the licensee earns revenue",
    "M3.4": "A licensee in breach enters credit (integrity) management",
    "M4.1": "Transformation obligation and deadline fixed at project approval",
    "M4.2": "The deadline is at most 5 years from project approval",
    "M4.3": "Transformation and IP are content of approval and acceptance",
    "M4.4": "IP obtained 5 or more years ago and not transformed goes to open licensing",
    "M5.1": "Cash rewards not capped by, nor a base for, performance pay",
    "M5.2": "At least 70 % of net income of registered transfers and licences to the completers",
    "M5.3": "At least 10 % of the unit's retained share to reward transfer service staff",
    "M6.1": "At least 70 % of the shares from investing a result held directly by the completers",
    "M7.1": "A designated municipal state-owned investment platform is the investor",
    "M7.2": "Invest phase: fiscal funds for concept verification, pilots, secondary development",
    "M7.3": "Equity phase: funds convert into equity on market financing or stable development",
    "M7.4": "The investor exits on an appropriate-return principle",
    "M8.1": "The center works online and offline, radiating to BRICS and South/Southeast Asia",
    "M8.2": "Information aggregation, release and promotion of major achievements",
    "M8.3": "The achievement promotion list",
    "M8.4": "Open cooperation on domestic and international transfer",
    "M8.5": "Transaction information is publicly disclosed",
    "M8.6": "Non-classified fiscally funded results submitted within 3 months",
    "M9.1": "Certified demonstration service institutions receive a 100,000 CNY subsidy",
    "M9.2": "At least 10 % of that reward may go to technology brokers",
    "M10.1": "A multi-dimensional, standardised evaluation of achievements",
    "M11.1": "Fast patent pre-examination for two industries",
    "M11.2": "IP protection: enforcement channels and dispute adjudication",
    "M12.1": "Credit loans, IP pledge financing, innovation bonds",
    "M12.2": "Innovation vouchers",
    "M12.3": "Guarantees and insurance for R&D, transformation and IP",
    "M13.1": "A joint meeting tracks difficulties and blockages to closure",
    "M13.2": "Tasks broken down with owners",
    "M13.3": "Municipal units periodically report their transformation status",
    "M14.1": "Evidence of decisions in a record that cannot be silently altered",
    "M14.2": "Inspection, audit and supervision departments recognise each other's results",
    "V.1": "Valid 3 years from issuance; higher-level documents prevail",
}

#: How a clause id is written wherever it is cited (code, tests, messages, templates).
CLAUSE_ID_PATTERN: Final[re.Pattern[str]] = re.compile(
    r"(?<![\w.])(M\d{1,2}\.\d{1,2}|V\.1)(?![\d])"
)


def clause_ids() -> list[str]:
    """Every obligation id, in the order of the measures."""
    return list(CLAUSES)


def cited_clauses(text: str) -> list[str]:
    """The known clause ids cited in ``text``, in order of appearance, without repeats."""
    seen: dict[str, None] = {}
    for match in CLAUSE_ID_PATTERN.finditer(text):
        if match.group(1) in CLAUSES:
            seen.setdefault(match.group(1), None)
    return list(seen)
