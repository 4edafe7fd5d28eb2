"""Rules of fast patent pre-examination (专利快速预审, M11.1): the center takes requests for the
two industries the measures name, biological products manufacturing and intelligent
manufacturing equipment, from applicants registered in Kunming, checks them, and forwards
those it accepts to the national pre-examination.

* **Industry** (:func:`check_industry`): the request's GB/T 4754-2017 industry code lies within
  one of :data:`ELIGIBLE_CLASSES` (a class, or a group all of whose classes are eligible).
* **Local registration** (:func:`check_local`): the applicant's unified social credit code
  checks (GB 32100-2015) and its administrative division (characters 3-8, GB/T 2260) is in
  Kunming, ``5301xx``.
* **Kinds** (:data:`APPLICATION_KINDS`): an invention, a utility model or a design.
* **Steps** (:func:`check_step`): the center's staff accept a request into the queue, return it
  for correction or refuse it saying why; a returned request is corrected and filed again; an
  accepted one is forwarded to the national pre-examination with its reference, whose outcome
  (passed or failed, on a day) is recorded.
* **Time limits** (:func:`due_on`): the center's own service commitment, not the measures': it
  forwards an accepted request (or refuses it) within :data:`DECIDE_WITHIN_WORKING_DAYS`
  working days of acceptance, and reminds its staff :data:`REMIND_BEFORE_DAYS` days before.
  Working days are Monday to Friday; the State Council's holiday arrangements (调休) are not
  modelled, so a due date falling in a public holiday is read as the next working day by staff.
  These numbers are the service's, so they live here rather than in the versioned parameters of
  :mod:`kttc.policy.params`, which hold only the numbers of the measures.

Pure functions over plain values; ``kttc.center.ip_services.services`` calls them under the
request's row lock and turns a refusal into an error the user sees beside the field it names.
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum
from typing import Final

from kttc.policy.classifications import validate_industry_code
from kttc.policy.errors import IdentifierError, PolicyError, refuse
from kttc.policy.i18n import gettext_noop
from kttc.policy.identifiers import PatentKind, validate_uscc

CLAUSES: Final = ("M11.1",)

#: The center's service commitment: an accepted request is forwarded (or refused) within this
#: many working days of its acceptance.
DECIDE_WITHIN_WORKING_DAYS: Final = 5
#: The staff are reminded of a request this many calendar days before its due date.
REMIND_BEFORE_DAYS: Final = 2
#: The longest title and national reference the center records.
TITLE_MAX: Final = 200
REFERENCE_MAX: Final = 60

#: GB/T 2260: the administrative divisions of Kunming start with these four digits.
KUNMING_DIVISION_PREFIX: Final = "5301"


class Industry(StrEnum):
    BIOLOGICAL_PRODUCTS = "biological_products"  # 生物制品制造
    INTELLIGENT_EQUIPMENT = "intelligent_equipment"  # 智能制造装备


#: The GB/T 4754-2017 classes (or whole groups) eligible for each industry. Sources: GB/T
#: 4754-2017 (as amended 2019) for biological products manufacturing, group C276 生物药品制品制造
#: (C2761 生物药品制造, C2762 基因工程药物和疫苗制造); and the National Bureau of Statistics'
#: 《战略性新兴产业分类（2018）》, 2.1 智能制造装备产业, for the classes of intelligent
#: manufacturing equipment it maps to GB/T 4754-2017 (robots, additive manufacturing, industrial
#: automatic control and metal-working machinery). A code listed here covers its sub-classes.
ELIGIBLE_CLASSES: Final[dict[str, Industry]] = {
    "C276": Industry.BIOLOGICAL_PRODUCTS,  # 生物药品制品制造
    "C3421": Industry.INTELLIGENT_EQUIPMENT,  # 金属切削机床制造
    "C3422": Industry.INTELLIGENT_EQUIPMENT,  # 金属成形机床制造
    "C3423": Industry.INTELLIGENT_EQUIPMENT,  # 铸造机械制造
    "C3424": Industry.INTELLIGENT_EQUIPMENT,  # 金属切割及焊接设备制造
    "C3425": Industry.INTELLIGENT_EQUIPMENT,  # 机床功能部件及附件制造
    "C3429": Industry.INTELLIGENT_EQUIPMENT,  # 其他金属加工机械制造
    "C3491": Industry.INTELLIGENT_EQUIPMENT,  # 工业机器人制造
    "C3492": Industry.INTELLIGENT_EQUIPMENT,  # 特殊作业机器人制造
    "C3493": Industry.INTELLIGENT_EQUIPMENT,  # 增材制造装备制造
    "C4011": Industry.INTELLIGENT_EQUIPMENT,  # 工业自动控制系统装置制造
}

#: The kinds of patent application the pre-examination takes (not international ones).
APPLICATION_KINDS: Final = (PatentKind.INVENTION, PatentKind.UTILITY_MODEL, PatentKind.DESIGN)


class Status(StrEnum):
    SUBMITTED = "submitted"  # filed, waiting for the center's staff
    RETURNED = "returned"  # returned to the applicant for correction
    ACCEPTED = "accepted"  # in the queue, to be forwarded by its due date
    REFUSED = "refused"  # refused, with the reason
    FORWARDED = "forwarded"  # sent to the national pre-examination, with its reference
    PASSED = "passed"  # the pre-examination passed
    FAILED = "failed"  # the pre-examination did not pass


class Step(StrEnum):
    ACCEPT = "accept"
    RETURN = "return"
    REFUSE = "refuse"
    RESUBMIT = "resubmit"
    FORWARD = "forward"
    PASS = "pass"  # noqa: S105 (a step, not a password)
    FAIL = "fail"


#: From which statuses each step is taken, and the status it leads to.
TRANSITIONS: Final[dict[Step, tuple[frozenset[Status], Status]]] = {
    Step.ACCEPT: (frozenset({Status.SUBMITTED}), Status.ACCEPTED),
    Step.RETURN: (frozenset({Status.SUBMITTED}), Status.RETURNED),
    Step.REFUSE: (frozenset({Status.SUBMITTED, Status.ACCEPTED}), Status.REFUSED),
    Step.RESUBMIT: (frozenset({Status.RETURNED}), Status.SUBMITTED),
    Step.FORWARD: (frozenset({Status.ACCEPTED}), Status.FORWARDED),
    Step.PASS: (frozenset({Status.FORWARDED}), Status.PASSED),
    Step.FAIL: (frozenset({Status.FORWARDED}), Status.FAILED),
}
#: The statuses in which the center still owes the applicant a step.
WAITING: Final = frozenset({Status.SUBMITTED, Status.ACCEPTED})


def industry_of(code: str) -> Industry | None:
    """The eligible industry a GB/T 4754-2017 code lies in, or None."""
    for prefix, industry in ELIGIBLE_CLASSES.items():
        if code.startswith(prefix):
            return industry
    return None


def check_industry(code: str) -> tuple[str, Industry]:
    """M11.1: the request's industry code is a GB/T 4754-2017 code within biological products
    manufacturing or intelligent manufacturing equipment (:data:`ELIGIBLE_CLASSES`). Returns
    the code with its section letter and the industry."""
    try:
        checked = validate_industry_code(code)
    except IdentifierError as error:
        raise PolicyError(
            error.template,
            code=error.code,
            field="industry_code",
            clauses=CLAUSES,
            params=error.params,
        ) from None
    industry = industry_of(checked)
    if industry is None:
        raise refuse(
            gettext_noop(
                "Fast pre-examination is for biological products manufacturing and intelligent "
                "manufacturing equipment; the industry %(industry)s is neither."
            ),
            "pre_examination.industry",
            "industry_code",
            CLAUSES,
            industry=checked,
        )
    return checked, industry


def division_of(credit_code: str) -> str:
    """GB 32100-2015: the administrative division (GB/T 2260) a credit code was registered in,
    its characters 3 to 8."""
    return credit_code[2:8]


def check_local(credit_code: str) -> str:
    """M11.1: the applicant's unified social credit code checks and was registered in Kunming
    (its division starts with 5301). Returns the normalised code."""
    if not credit_code.strip():
        raise refuse(
            gettext_noop("The applicant has no unified social credit code on the platform."),
            "pre_examination.credit_code",
            "credit_code",
            CLAUSES,
        )
    try:
        checked = validate_uscc(credit_code)
    except IdentifierError as error:
        raise PolicyError(
            error.template,
            code=error.code,
            field="credit_code",
            clauses=CLAUSES,
            params=error.params,
        ) from None
    if not division_of(checked).startswith(KUNMING_DIVISION_PREFIX):
        raise refuse(
            gettext_noop(
                "Fast pre-examination is for applicants registered in Kunming; the credit code "
                "gives the division %(division)s."
            ),
            "pre_examination.local",
            "credit_code",
            CLAUSES,
            division=division_of(checked),
        )
    return checked


def check_kind(kind: str) -> PatentKind:
    """M11.1: an invention, a utility model or a design."""
    try:
        checked = PatentKind(kind)
    except ValueError:
        checked = None
    if checked not in APPLICATION_KINDS:
        raise refuse(
            gettext_noop(
                "Choose the kind of patent application: invention, utility model or design."
            ),
            "pre_examination.kind",
            "kind",
            CLAUSES,
        )
    assert checked is not None
    return checked


def check_step(status: str, step: Step) -> Status:
    """M11.1: the step is one the request's status allows; returns the new status."""
    before, after = TRANSITIONS[step]
    if status not in before:
        raise refuse(
            gettext_noop("This request is no longer waiting for that step."),
            "pre_examination.status",
            None,
            CLAUSES,
        )
    return after


def is_working_day(day: date) -> bool:
    """Monday to Friday."""
    return day.weekday() < 5


def add_working_days(start: date, days: int) -> date:
    """The ``days``-th working day after ``start`` (``start`` itself not counted)."""
    if days < 0:
        raise ValueError("days must not be negative")
    day = start
    while days:
        day += timedelta(days=1)
        if is_working_day(day):
            days -= 1
    return day


def due_on(accepted_on: date) -> date:
    """M11.1 (the center's commitment): the day by which an accepted request is forwarded."""
    return add_working_days(accepted_on, DECIDE_WITHIN_WORKING_DAYS)


def remind_from(due: date) -> date:
    """The first day the staff are reminded of a request due on ``due``."""
    return due - timedelta(days=REMIND_BEFORE_DAYS)


def check_reference(reference: str) -> str:
    """M11.1: the national pre-examination's reference for a forwarded request: 1 to
    :data:`REFERENCE_MAX` characters, no spaces inside."""
    text = reference.strip()
    if not text or len(text) > REFERENCE_MAX or any(c.isspace() for c in text):
        raise refuse(
            gettext_noop(
                "Give the national pre-examination's reference: 1 to %(max)s characters without "
                "spaces."
            ),
            "pre_examination.reference",
            "reference",
            CLAUSES,
            max=REFERENCE_MAX,
        )
    return text


def check_outcome_date(decided_on: date, *, forwarded_on: date, today: date) -> date:
    """M11.1: the outcome came on or after the day of forwarding and not after today."""
    if decided_on < forwarded_on or decided_on > today:
        raise refuse(
            gettext_noop("The outcome's date falls between the forwarding (%(start)s) and today."),
            "pre_examination.outcome_date",
            "decided_on",
            CLAUSES,
            start=forwarded_on.isoformat(),
        )
    return decided_on


__all__ = [
    "APPLICATION_KINDS",
    "CLAUSES",
    "DECIDE_WITHIN_WORKING_DAYS",
    "ELIGIBLE_CLASSES",
    "REMIND_BEFORE_DAYS",
    "Industry",
    "Status",
    "Step",
    "add_working_days",
    "check_industry",
    "check_kind",
    "check_local",
    "check_outcome_date",
    "check_reference",
    "check_step",
    "division_of",
    "due_on",
    "industry_of",
    "remind_from",
]
