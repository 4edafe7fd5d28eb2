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

* **Steps** (:data:`TRANSITIONS`, :func:`check_case_step`): an accepted case goes to mediation
  (sessions on a day with an outcome: settled, the case closed with the agreement; failed, the
  case goes to a hearing; adjourned, another session); a hearing is noticed at least
  :data:`HEARING_NOTICE_WORKING_DAYS` working days ahead (《专利行政执法办法》 art. 14) with its
  place, then its record is kept; the decision (its text, day and outcome: infringement found or
  not for a complaint, the dispute decided for one party for an adjudication) ends the case or
  orders measures; the measures' enforcement is recorded and closes the case.
* **Time limits** (:func:`limit_for`): each step's day, computed once when the case enters it:
  intake within five working days of filing; mediation within :data:`MEDIATION_WITHIN_DAYS` days
  of acceptance (the center's commitment); the decision within :data:`DECIDE_WITHIN_MONTHS`
  months of acceptance (《专利行政执法办法》 art. 21, 3 months from 立案); the enforcement recorded
  within :data:`ENFORCE_WITHIN_DAYS` days of the decision (the center's commitment, after the
  15 days in which a party may sue, Patent Law art. 65). The staff are reminded
  :data:`REMIND_BEFORE_DAYS` days before a limit.
* **Publication** (:func:`redact`): a decided case is published without personal data: e-mail
  addresses, telephone numbers, identity card numbers, street addresses and the names of the
  people the case names are replaced by a mark. Organisations are named (the parties of an
  administrative decision on a patent dispute are legal persons, and the decision is public
  information, 《政府信息公开条例》); a respondent who is a natural person (or a sole trader
  trading under a person's name) is not named.

Pure functions over plain values; ``kttc.center.ip_protection.services`` calls them under the
case's row lock.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, timedelta
from enum import StrEnum
from typing import Final

from kttc.policy.calendar import add_months
from kttc.policy.errors import IdentifierError, PolicyError, refuse
from kttc.policy.i18n import gettext_noop
from kttc.policy.identifiers import parse_patent_application_number
from kttc.policy.ip_services import add_working_days

CLAUSES: Final = ("M11.2",)
INTAKE_WITHIN_WORKING_DAYS: Final = 5
#: The center's commitment: mediation ends (settled or failed) within this many days of acceptance.
MEDIATION_WITHIN_DAYS: Final = 30
#: 《专利行政执法办法》 art. 21: a dispute is decided within 3 months of 立案.
DECIDE_WITHIN_MONTHS: Final = 3
#: 《专利行政执法办法》 art. 14: the parties hear of a hearing at least 3 working days ahead.
HEARING_NOTICE_WORKING_DAYS: Final = 3
#: The center's commitment: the measures ordered are recorded done within this many days.
ENFORCE_WITHIN_DAYS: Final = 30
#: The staff are reminded of a step this many days before its limit.
REMIND_BEFORE_DAYS: Final = 2
PARTY_MAX: Final = 200
TEXT_MAX: Final = 10000
PLACE_MAX: Final = 200
#: The mark that replaces personal data in a published decision.
REDACTED: Final = "[***]"


class CaseKind(StrEnum):
    COMPLAINT = "complaint"  # 侵权投诉
    ADJUDICATION = "adjudication"  # 专利侵权纠纷行政裁决


class CaseStatus(StrEnum):
    FILED = "filed"  # waiting for intake
    ACCEPTED = "accepted"  # taken on (立案), in mediation
    REFUSED = "refused"  # not taken on, with the reason
    SETTLED = "settled"  # closed by the mediation's agreement
    HEARING = "hearing"  # mediation failed: to be heard and decided
    ENFORCEMENT = "enforcement"  # decided, the measures ordered to be enforced
    CLOSED = "closed"  # decided (and enforced where measures were ordered)


class Step(StrEnum):
    ACCEPT = "accept"
    REFUSE = "refuse"
    MEDIATE = "mediate"  # a mediation session (its outcome says where the case goes)
    SCHEDULE = "schedule"  # the hearing's day and place
    HEAR = "hear"  # the hearing's record
    DECIDE = "decide"
    ENFORCE = "enforce"
    PUBLISH = "publish"


class MediationOutcome(StrEnum):
    SETTLED = "settled"
    FAILED = "failed"
    ADJOURNED = "adjourned"


class Outcome(StrEnum):
    INFRINGEMENT_FOUND = "infringement_found"  # a complaint
    NO_INFRINGEMENT = "no_infringement"
    FOR_COMPLAINANT = "for_complainant"  # an adjudication
    FOR_RESPONDENT = "for_respondent"


#: The outcomes a decision of each kind can have.
OUTCOMES: Final[dict[CaseKind, frozenset[Outcome]]] = {
    CaseKind.COMPLAINT: frozenset({Outcome.INFRINGEMENT_FOUND, Outcome.NO_INFRINGEMENT}),
    CaseKind.ADJUDICATION: frozenset({Outcome.FOR_COMPLAINANT, Outcome.FOR_RESPONDENT}),
}
#: The outcomes under which measures can be ordered against the respondent.
MEASURES_ALLOWED: Final = frozenset({Outcome.INFRINGEMENT_FOUND, Outcome.FOR_COMPLAINANT})

#: From which statuses each step is taken (the status it leads to is decided by the step's
#: function where it has more than one).
FROM: Final[dict[Step, frozenset[CaseStatus]]] = {
    Step.ACCEPT: frozenset({CaseStatus.FILED}),
    Step.REFUSE: frozenset({CaseStatus.FILED}),
    Step.MEDIATE: frozenset({CaseStatus.ACCEPTED}),
    Step.SCHEDULE: frozenset({CaseStatus.HEARING}),
    Step.HEAR: frozenset({CaseStatus.HEARING}),
    Step.DECIDE: frozenset({CaseStatus.HEARING}),
    Step.ENFORCE: frozenset({CaseStatus.ENFORCEMENT}),
    Step.PUBLISH: frozenset({CaseStatus.ENFORCEMENT, CaseStatus.CLOSED}),
}
#: The statuses with a time limit running (the sweep watches them).
TIMED: Final = frozenset(
    {CaseStatus.FILED, CaseStatus.ACCEPTED, CaseStatus.HEARING, CaseStatus.ENFORCEMENT}
)
MEDIATION: Final[dict[MediationOutcome, CaseStatus]] = {
    MediationOutcome.SETTLED: CaseStatus.SETTLED,
    MediationOutcome.FAILED: CaseStatus.HEARING,
    MediationOutcome.ADJOURNED: CaseStatus.ACCEPTED,
}


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


def check_case_step(status: str, step: Step) -> None:
    """M11.2: the step is one the case's status allows."""
    if status not in FROM[step]:
        raise refuse(
            gettext_noop("This case is no longer waiting for that step."),
            "ip_case.status",
            None,
            CLAUSES,
        )


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


def limit_for(status: CaseStatus, since: date) -> date | None:
    """M11.2: the limit of the step a case enters in ``status`` on ``since`` (for a hearing,
    ``since`` is the day of acceptance: the whole case is decided within 3 months of it);
    None for a status with no step left."""
    if status is CaseStatus.FILED:
        return intake_due_on(since)
    if status is CaseStatus.ACCEPTED:
        return since + timedelta(days=MEDIATION_WITHIN_DAYS)
    if status is CaseStatus.HEARING:
        return add_months(since, DECIDE_WITHIN_MONTHS)
    if status is CaseStatus.ENFORCEMENT:
        return since + timedelta(days=ENFORCE_WITHIN_DAYS)
    return None


def remind_from(due: date) -> date:
    """The first day the staff are reminded of a step due on ``due``."""
    return due - timedelta(days=REMIND_BEFORE_DAYS)


def check_text(value: str, field: str, *, max_length: int = TEXT_MAX) -> str:
    """M11.2: a statement (facts, agreement, record, decision, measures) is given and not
    longer than ``max_length``."""
    text = value.strip()
    if not text:
        raise refuse(gettext_noop("Fill this in."), "ip_case.required", field, CLAUSES)
    if len(text) > max_length:
        raise refuse(
            gettext_noop("At most %(max)s characters."),
            "ip_case.too_long",
            field,
            CLAUSES,
            max=max_length,
        )
    return text


def check_day(day: date, *, field: str, after: date, today: date) -> date:
    """M11.2: a step's day (a session, the decision, the enforcement) falls between the step
    before it (``after``) and today."""
    if day < after or day > today:
        raise refuse(
            gettext_noop("The day falls between %(start)s and today."),
            "ip_case.day",
            field,
            CLAUSES,
            start=after.isoformat(),
        )
    return day


def check_mediation(outcome: str, agreement: str) -> tuple[MediationOutcome, CaseStatus, str]:
    """M11.2: a session's outcome; a settlement records its agreement. Returns the outcome, the
    status it leads to and the agreement (empty unless settled)."""
    try:
        checked = MediationOutcome(outcome)
    except ValueError:
        raise refuse(
            gettext_noop("Choose the session's outcome: settled, failed or adjourned."),
            "ip_case.mediation_outcome",
            "outcome",
            CLAUSES,
        ) from None
    text = agreement.strip()
    if checked is MediationOutcome.SETTLED:
        text = check_text(agreement, "agreement")
    return checked, MEDIATION[checked], text


def check_hearing(day: date, place: str, *, today: date) -> tuple[date, str]:
    """M11.2 (《专利行政执法办法》 art. 14): the hearing is noticed at least three working days
    ahead and has a place."""
    earliest = add_working_days(today, HEARING_NOTICE_WORKING_DAYS)
    if day < earliest:
        raise refuse(
            gettext_noop(
                "Notice the hearing at least %(days)s working days ahead: on %(earliest)s or later."
            ),
            "ip_case.hearing_notice",
            "hearing_on",
            CLAUSES,
            days=HEARING_NOTICE_WORKING_DAYS,
            earliest=earliest.isoformat(),
        )
    return day, check_text(place, "place", max_length=PLACE_MAX)


def check_hearing_held(hearing_on: date | None, today: date) -> date:
    """M11.2: the record is kept of a hearing scheduled and come."""
    if hearing_on is None or hearing_on > today:
        raise refuse(
            gettext_noop("Record the hearing once it has been held."),
            "ip_case.hearing_not_held",
            "record",
            CLAUSES,
        )
    return hearing_on


def check_decision(
    kind: CaseKind, outcome: str, measures: str, *, heard: bool
) -> tuple[Outcome, CaseStatus, str]:
    """M11.2: a decision follows the hearing's record, has an outcome of its kind, and orders
    measures only against a respondent found to infringe. Returns the outcome, the status it
    leads to (enforcement when measures are ordered) and the measures."""
    if not heard:
        raise refuse(
            gettext_noop("Decide once the hearing's record is kept."),
            "ip_case.not_heard",
            None,
            CLAUSES,
        )
    try:
        checked = Outcome(outcome)
    except ValueError:
        checked = None
    if checked is None or checked not in OUTCOMES[kind]:
        raise refuse(
            gettext_noop("Choose an outcome of this kind of case."),
            "ip_case.outcome",
            "outcome",
            CLAUSES,
        )
    text = measures.strip()
    if text and checked not in MEASURES_ALLOWED:
        raise refuse(
            gettext_noop("Measures are ordered only against a respondent found to infringe."),
            "ip_case.measures",
            "measures",
            CLAUSES,
        )
    if text:
        text = check_text(text, "measures")
    return checked, CaseStatus.ENFORCEMENT if text else CaseStatus.CLOSED, text


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
#: Resident identity card numbers (GB 11643: 18 characters, the last maybe X; or the old 15),
#: passport-like numbers are caught by the long digit runs below.
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])|(?<!\d)\d{15}(?!\d)")
#: Telephone numbers: mobiles (1 and 10 digits), landlines with an area code, international.
_PHONE = re.compile(
    r"(?<!\d)(?:\+?86[ -]?)?1[3-9]\d[ -]?\d{4}[ -]?\d{4}(?!\d)"
    r"|(?<!\d)0\d{2,3}[ -]?\d{7,8}(?!\d)"
    r"|\+\d{1,3}[ -]?\d{2,4}[ -]?\d{3,4}[ -]?\d{3,4}(?!\d)"
)
#: Any other run of nine digits or more (a number of a person's, however written together).
_LONG_NUMBER = re.compile(r"\d{9,}")
#: Patent numbers (ZC 0006-2003, with their point) stay: they are the case's subject.
_PATENT = re.compile(r"(?:ZL|CN)?\s?(?:\d{12}|\d{8})\.[\dXx]")
#: Street addresses as Chinese writes them: a road, street or lane and a number (号), with what
#: follows (building, unit, room), or in English "No. 12 … Road".
_ADDRESS = re.compile(
    r"[\u4e00-\u9fff\w]{0,20}(?:路|街|大道|巷|弄|胡同|村)[\d一二三四五六七八九十百零〇]+号"
    r"(?:[\d\w一二三四五六七八九十百零〇]{0,12}(?:栋|幢|楼|单元|室|号楼))*"
    r"|\b(?:No\.|Room)\s*\d+[\w ,.-]{0,60}\b(?:Road|Street|Avenue|Lane|Rd\.|St\.)"
)


def redact(text: str, names: Iterable[str] = ()) -> str:
    """M11.2: ``text`` without personal data: the ``names`` of the people the case names (the
    longest first, so a full name goes before a part of it), e-mail addresses, identity card
    numbers, telephone numbers and street addresses, each replaced by :data:`REDACTED`."""
    patents: list[str] = []

    def keep(found: re.Match[str]) -> str:
        patents.append(found.group(0))
        return f"\x00{len(patents) - 1}\x00"

    out = _PATENT.sub(keep, text.replace("\x00", ""))
    for name in sorted({n.strip() for n in names if len(n.strip()) >= 2}, key=len, reverse=True):
        out = re.sub(re.escape(name), REDACTED, out, flags=re.IGNORECASE)
    for pattern in (_EMAIL, _ID_NUMBER, _PHONE, _LONG_NUMBER, _ADDRESS):
        out = pattern.sub(REDACTED, out)
    return re.sub("\x00(\\d+)\x00", lambda found: patents[int(found.group(1))], out)


def check_names(names: Iterable[str]) -> list[str]:
    """M11.2: the people a case names (agents, representatives, witnesses), one per entry, each
    at most :data:`PARTY_MAX` characters; kept so that a publication leaves them out."""
    out: list[str] = []
    for name in names:
        text = " ".join(name.split())
        if not text:
            continue
        if len(text) > PARTY_MAX:
            raise refuse(
                gettext_noop("Name the party: 1 to %(max)s characters."),
                "ip_case.party",
                "persons",
                CLAUSES,
                max=PARTY_MAX,
            )
        if text not in out:
            out.append(text)
    return out
