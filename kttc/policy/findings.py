"""Rules of inspection, audit and supervision findings shared between the supervising
departments (M14.2: "inspection, audit and supervision departments recognise each other's
results").

* **Recorded once**: a supervising department records an inspection, an audit or a supervision
  once, under its own reference number (:func:`check_reference`; the same department never
  records the same reference twice). Before recording one, the other departments' inspections
  of the same unit within :data:`RECENT_DAYS` days covering the same clauses are shown
  (:func:`overlapping_clauses`, :func:`is_recent`): a warning, never a block.
* **Scope**: the period covered (:func:`check_period`), the days of fieldwork
  (:func:`check_fieldwork`) and the clauses checked, each one an obligation id of the measures
  (:func:`check_clauses`).
* **Findings**: each names the clause it found against, a severity, a description, the objects
  concerned by their links on the platform (:func:`check_links`) and, when rectification is
  required, its deadline (:func:`check_rectification_deadline`).
* **Steps**: a record is a draft until its department issues it (:func:`check_issue`); once
  issued it never changes, corrections being amendments with a reason (:func:`check_amend`).
* **Rectification** (:func:`check_rectification_step`): the inspected unit records its
  rectification of a finding with its evidence; the department marks it rectified or not (the
  unit then rectifies again). The unit and the department are reminded
  :data:`REMIND_BEFORE_DAYS` days before the deadline and told once when it has passed.

Pure functions over plain values; ``kttc.oversight.findings.services`` calls them under the
inspection's row lock and turns a refusal into an error shown beside the field it names.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date, timedelta
from enum import StrEnum
from typing import Final

from kttc.policy.errors import PolicyError, refuse
from kttc.policy.i18n import gettext_noop
from kttc.policy.text import check_text

FINDINGS: Final = ("M14.2",)

TITLE_MAX: Final = 200
TEXT_MAX: Final = 4000
REFERENCE_MAX: Final = 60
#: The most clauses an inspection's scope names, findings one record holds, links one finding.
CLAUSES_MAX: Final = 60
FINDINGS_MAX: Final = 100
LINKS_MAX: Final = 10
LINK_MAX: Final = 300
#: A period covered or a fieldwork lasts at most this many days; a deadline lies at most this
#: many days after the day it is set.
PERIOD_DAYS_MAX: Final = 3660
DEADLINE_DAYS_MAX: Final = 366
#: Inspections of the same unit within this many days are shown before recording another.
RECENT_DAYS: Final = 365
#: The unit and the department are reminded this many days before a rectification deadline.
REMIND_BEFORE_DAYS: Final = 7


class Kind(StrEnum):
    INSPECTION = "inspection"  # 检查
    AUDIT = "audit"  # 审计
    SUPERVISION = "supervision"  # 监督


class Severity(StrEnum):
    MINOR = "minor"
    SIGNIFICANT = "significant"
    SERIOUS = "serious"


class Status(StrEnum):
    DRAFT = "draft"
    ISSUED = "issued"


class Rectification(StrEnum):
    NOT_REQUIRED = "not_required"  # a finding noted, nothing to rectify
    REQUIRED = "required"  # waiting for the unit's rectification
    SUBMITTED = "submitted"  # the unit recorded its rectification, the department reviews
    RECTIFIED = "rectified"  # the department accepted it
    NOT_RECTIFIED = "not_rectified"  # the department did not; the unit rectifies again


class RectificationStep(StrEnum):
    SUBMIT = "submit"
    ACCEPT = "accept"
    REJECT = "reject"


RECTIFICATION_TRANSITIONS: Final[
    dict[RectificationStep, tuple[frozenset[Rectification], Rectification]]
] = {
    RectificationStep.SUBMIT: (
        frozenset({Rectification.REQUIRED, Rectification.NOT_RECTIFIED}),
        Rectification.SUBMITTED,
    ),
    RectificationStep.ACCEPT: (frozenset({Rectification.SUBMITTED}), Rectification.RECTIFIED),
    RectificationStep.REJECT: (frozenset({Rectification.SUBMITTED}), Rectification.NOT_RECTIFIED),
}
#: The findings whose rectification the unit still owes (the sweep reminds of their deadline).
OWED: Final = frozenset({Rectification.REQUIRED, Rectification.NOT_RECTIFIED})


def _clean(value: str, *, field: str, multiline: bool) -> str:
    try:
        return check_text(value.strip(), field=field, multiline=multiline)
    except PolicyError as error:
        raise PolicyError(
            error.template, code=error.code, field=field, clauses=FINDINGS, params=error.params
        ) from None


def check_text_field(value: str, *, field: str, maximum: int = TEXT_MAX) -> str:
    """M14.2: a description, a scope, a reason or evidence: 1 to ``maximum`` characters."""
    text = _clean(value, field=field, multiline=True)
    if not text or len(text) > maximum:
        raise refuse(
            gettext_noop("Write 1 to %(max)s characters here."),
            "findings.text",
            field,
            FINDINGS,
            max=maximum,
        )
    return text


def check_title(value: str) -> str:
    """M14.2: the record's title, 1 to :data:`TITLE_MAX` characters on one line."""
    text = _clean(value, field="title", multiline=False)
    if not text or len(text) > TITLE_MAX:
        raise refuse(
            gettext_noop("Write 1 to %(max)s characters here."),
            "findings.text",
            "title",
            FINDINGS,
            max=TITLE_MAX,
        )
    return text


def check_reference(value: str) -> str:
    """M14.2: the department's reference number (文号) of the record, on one line, without
    surrounding spaces: 1 to :data:`REFERENCE_MAX` characters."""
    text = _clean(value, field="reference", multiline=False)
    if not text or len(text) > REFERENCE_MAX:
        raise refuse(
            gettext_noop("Give the department's reference number, at most %(max)s characters."),
            "findings.reference",
            "reference",
            FINDINGS,
            max=REFERENCE_MAX,
        )
    return text


def check_kind(value: str) -> Kind:
    try:
        return Kind(value)
    except ValueError:
        raise refuse(
            gettext_noop("Choose an inspection, an audit or a supervision."),
            "findings.kind",
            "kind",
            FINDINGS,
        ) from None


def check_severity(value: str) -> Severity:
    try:
        return Severity(value)
    except ValueError:
        raise refuse(
            gettext_noop("Choose the finding's severity."), "findings.severity", "severity",
            FINDINGS,
        ) from None  # fmt: skip


def _span(start: date, end: date, *, field: str, today: date) -> tuple[date, date]:
    if end < start:
        raise refuse(gettext_noop("The end is before the start."), "findings.span", field, FINDINGS)
    if end > today or (end - start).days > PERIOD_DAYS_MAX:
        raise refuse(
            gettext_noop("The days lie on or before today and span at most ten years."),
            "findings.span",
            field,
            FINDINGS,
        )
    return start, end


def check_period(start: date, end: date, *, today: date) -> tuple[date, date]:
    """M14.2: the period the record covers ends on or before today, after its start."""
    return _span(start, end, field="period_end", today=today)


def check_fieldwork(start: date, end: date, *, today: date) -> tuple[date, date]:
    """M14.2: the fieldwork took place on or before today, its end after its start."""
    return _span(start, end, field="fieldwork_end", today=today)


def check_clauses(
    values: Iterable[str], known: Collection[str], *, field: str = "clauses"
) -> list[str]:
    """M14.2: the clauses checked, each an obligation id of the measures (upper-cased, repeats
    dropped, in the order of ``known``): at least one, at most :data:`CLAUSES_MAX`."""
    wanted: set[str] = set()
    for value in values:
        clause = value.strip().upper()
        if not clause:
            continue
        if clause not in known:
            raise refuse(
                gettext_noop("%(clause)s is not a clause of the measures (e.g. M3.2)."),
                "findings.clause",
                field,
                FINDINGS,
                clause=clause[:10],
            )
        wanted.add(clause)
    if not wanted or len(wanted) > CLAUSES_MAX:
        raise refuse(
            gettext_noop("Name 1 to %(max)s clauses of the measures, e.g. M5.2."),
            "findings.clauses",
            field,
            FINDINGS,
            max=CLAUSES_MAX,
        )
    return [c for c in known if c in wanted]


def check_finding_clause(clause: str, scope: Collection[str]) -> str:
    """M14.2: a finding names one clause of the record's scope."""
    value = clause.strip().upper()
    if value not in scope:
        raise refuse(
            gettext_noop("A finding names one of the clauses the record checked."),
            "findings.finding_clause",
            "clause",
            FINDINGS,
        )
    return value


def check_links(values: Iterable[str]) -> list[str]:
    """M14.2: the objects a finding concerns, by their links on the platform (paths starting
    with a single ``/``), at most :data:`LINKS_MAX`, repeats dropped."""
    links: dict[str, None] = {}
    for value in values:
        link = _clean(value, field="links", multiline=False)
        if not link:
            continue
        if not link.startswith("/") or link.startswith("//") or len(link) > LINK_MAX:
            raise refuse(
                gettext_noop("Give the platform's links to the objects, each starting with /."),
                "findings.link",
                "links",
                FINDINGS,
            )
        links.setdefault(link, None)
    if len(links) > LINKS_MAX:
        raise refuse(
            gettext_noop("At most %(max)s links."), "findings.links", "links", FINDINGS,
            max=LINKS_MAX,
        )  # fmt: skip
    return list(links)


def check_rectification_deadline(
    required: bool, deadline: date | None, *, today: date
) -> date | None:
    """M14.2: a finding that requires rectification has a deadline after today, at most
    :data:`DEADLINE_DAYS_MAX` days ahead; one that does not has none."""
    if not required:
        return None
    if (
        deadline is None
        or deadline <= today
        or deadline > today + timedelta(days=DEADLINE_DAYS_MAX)
    ):
        raise refuse(
            gettext_noop("A rectification's deadline lies after today and within a year."),
            "findings.deadline",
            "deadline",
            FINDINGS,
        )
    return deadline


def check_draft(status: str) -> None:
    """M14.2: only a draft is still changed; an issued record is amended."""
    if status != Status.DRAFT:
        raise refuse(
            gettext_noop("The record is issued: it is no longer changed, only amended."),
            "findings.issued",
            None,
            FINDINGS,
        )


def check_issue(status: str, findings: int) -> Status:
    """M14.2: a draft with at least one finding is issued, once."""
    check_draft(status)
    if findings < 1:
        raise refuse(
            gettext_noop("Record at least one finding before issuing."),
            "findings.no_findings",
            None,
            FINDINGS,
        )
    return Status.ISSUED


def check_amend(status: str, reason: str) -> str:
    """M14.2: an issued record is amended with the reason, never edited; returns the reason."""
    if status != Status.ISSUED:
        raise refuse(
            gettext_noop("A draft is changed directly; only an issued record is amended."),
            "findings.not_issued",
            None,
            FINDINGS,
        )
    return check_text_field(reason, field="reason")


def check_rectification_step(status: str, step: RectificationStep) -> Rectification:
    """M14.2: the unit submits a rectification owed; the department accepts or rejects one
    submitted. Returns the new status."""
    before, after = RECTIFICATION_TRANSITIONS[step]
    if status not in before:
        raise refuse(
            gettext_noop("This finding is not waiting for that step."),
            "findings.rectification_status",
            None,
            FINDINGS,
        )
    return after


def is_recent(day: date, *, today: date) -> bool:
    """M14.2: a record whose fieldwork ended within :data:`RECENT_DAYS` days before today."""
    return today - timedelta(days=RECENT_DAYS) <= day <= today


def overlapping_clauses(mine: Iterable[str], theirs: Iterable[str]) -> list[str]:
    """M14.2: the clauses two records both check, in the order of ``mine``."""
    other = set(theirs)
    return [c for c in mine if c in other]


def reminder_due(deadline: date, *, today: date) -> bool:
    """M14.2: a rectification due within :data:`REMIND_BEFORE_DAYS` days (not yet past)."""
    return today <= deadline <= today + timedelta(days=REMIND_BEFORE_DAYS)


def overdue(deadline: date, *, today: date) -> bool:
    return deadline < today
