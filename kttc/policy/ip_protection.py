"""Rules of IP protection cases (M11.2): a rights holder files an infringement complaint (侵权
投诉) or a request for patent dispute adjudication (专利侵权纠纷行政裁决) naming the parties and
the patent, with its evidence kept by hash; the center takes it in and accepts it or refuses it
saying why.

* **Case** (:func:`check_case`): its kind, the patent number (ZC 0006-2003, checked by
  :func:`kttc.policy.identifiers.parse_patent_application_number`), a complainant and a
  respondent who are not the same, and at least one piece of evidence.
* **Intake** (:func:`check_step`): a case filed waits for intake; it is accepted or refused,
  and a refusal says why (:func:`check_reason`).
* **Time limit** (:func:`intake_due_on`): the center decides on intake within
  :data:`INTAKE_WITHIN_WORKING_DAYS` working days of filing: its own service commitment (after
  the five working days of 《专利行政执法办法》 for a request for adjudication), not a number of
  the measures, so it lives here.

Pure functions; the services of a later slice store what they decide.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Final

from kttc.policy.errors import IdentifierError, PolicyError, refuse
from kttc.policy.i18n import gettext_noop
from kttc.policy.identifiers import parse_patent_application_number
from kttc.policy.ip_services import add_working_days

CLAUSES: Final = ("M11.2",)
INTAKE_WITHIN_WORKING_DAYS: Final = 5
PARTY_MAX: Final = 200


class CaseKind(StrEnum):
    COMPLAINT = "complaint"  # 侵权投诉
    ADJUDICATION = "adjudication"  # 专利侵权纠纷行政裁决


class CaseStatus(StrEnum):
    FILED = "filed"  # waiting for intake
    ACCEPTED = "accepted"  # taken on (立案)
    REFUSED = "refused"  # not taken on, with the reason


class Intake(StrEnum):
    ACCEPT = "accept"
    REFUSE = "refuse"


INTAKE: Final[dict[Intake, CaseStatus]] = {
    Intake.ACCEPT: CaseStatus.ACCEPTED,
    Intake.REFUSE: CaseStatus.REFUSED,
}


def _party(name: str, field: str) -> str:
    text = " ".join(name.split())
    if not text or len(text) > PARTY_MAX:
        raise refuse(
            gettext_noop("Name the party: 1 to %(max)s characters."),
            "ip_case.party",
            field,
            CLAUSES,
            max=PARTY_MAX,
        )
    return text


def check_case(
    kind: str, patent_number: str, complainant: str, respondent: str, evidence: int
) -> tuple[CaseKind, str, str, str]:
    """M11.2: a case names its kind, a valid patent number, two different parties and its
    evidence. Returns the kind, the patent number as written by the office and the parties."""
    try:
        checked_kind = CaseKind(kind)
    except ValueError:
        raise refuse(
            gettext_noop("Choose an infringement complaint or a request for dispute adjudication."),
            "ip_case.kind",
            "kind",
            CLAUSES,
        ) from None
    try:
        number = str(parse_patent_application_number(patent_number))
    except IdentifierError as error:
        raise PolicyError(
            error.template, code=error.code, field="patent_number", clauses=CLAUSES,
            params=error.params,
        ) from None  # fmt: skip
    first = _party(complainant, "complainant")
    second = _party(respondent, "respondent")
    if first.casefold() == second.casefold():
        raise refuse(
            gettext_noop("The respondent cannot be the complainant."),
            "ip_case.same_party",
            "respondent",
            CLAUSES,
        )
    if evidence < 1:
        raise refuse(
            gettext_noop("Attach the evidence of the infringement."),
            "ip_case.no_evidence",
            "evidence",
            CLAUSES,
        )
    return checked_kind, number, first, second


def check_step(status: str, step: Intake) -> CaseStatus:
    """M11.2: intake decides a filed case only."""
    if status != CaseStatus.FILED:
        raise refuse(
            gettext_noop("This case is no longer waiting for intake."),
            "ip_case.status",
            None,
            CLAUSES,
        )
    return INTAKE[step]


def check_reason(reason: str) -> str:
    """M11.2: a refusal says why."""
    text = reason.strip()
    if not text:
        raise refuse(
            gettext_noop("Say why the case is not taken on."), "ip_case.reason", "reason", CLAUSES
        )
    return text


def intake_due_on(filed_on: date) -> date:
    """M11.2 (the center's commitment): the day by which intake is decided."""
    return add_working_days(filed_on, INTAKE_WITHIN_WORKING_DAYS)
