"""M4.1, M4.2: the projects' part of ``kttc sweep`` (through ``kttc.registry.sweep``).

M4.1, M4.2: a fiscal project carries the transformation deadline fixed at its approval. The
sweep reminds the undertaking unit's transfer office once when the deadline comes within
``PROJECT_REMINDER_DAYS`` days (a transformation takes months to arrange, so the results'
30-day window is too short to act on), and tells the unit once, and the bureau in one notice a
day, when a deadline passed without a transformation (see :func:`projects_without_transformation`
for what counts as one); the missed projects are on ``registry:project_deadlines?missed=1``.

DESIGN rule 5: a project is claimed once with a conditional UPDATE of its column, and its notices
are one ``INSERT … SELECT`` of the rows carrying the claim's stamp, so nothing is told twice.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.db import transaction
from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy

from kttc.core.notifications.kinds import register_kind
from kttc.core.notifications.services import (
    Notice,
    notification_send,
    notification_send_many,
    stamps,
)
from kttc.policy.i18n import gettext_noop
from kttc.policy.roles import Role
from kttc.registry.projects.models import FiscalProject
from kttc.registry.projects.selectors import projects_missed, projects_without_transformation

#: Days before a project's transformation deadline that its unit is reminded: arranging a
#: transfer, a licence or an investment takes months, so the results' window is too short.
PROJECT_REMINDER_DAYS = 90

PROJECT_DUE_SOON = Notice(
    kind="registry.project_transformation_due_soon",
    subject=gettext_noop("Transformation deadline on %(due)s: %(title)s"),
    body=gettext_noop(
        "The fiscal project %(number)s “%(title)s” must transform its results by %(due)s, as "
        "fixed at its approval (M4.1, M4.2): %(obligation)s"
    ),
    clauses=("M4.1", "M4.2"),
)
PROJECT_MISSED = Notice(
    kind="registry.project_transformation_missed",
    subject=gettext_noop("Transformation deadline passed on %(due)s: %(title)s"),
    body=gettext_noop(
        "The transformation deadline of the fiscal project %(number)s “%(title)s” passed on "
        "%(due)s, and no transformation is recorded for it (M4.1, M4.2): the project is not "
        "accepted with its transformation outcome (M4.3). It is on the bureau's list of missed "
        "deadlines."
    ),
    clauses=("M4.1", "M4.2"),
)
PROJECTS_MISSED_FOR_BUREAU = Notice(
    kind="registry.projects_transformation_missed",
    subject=gettext_noop("Projects past their transformation deadline on %(day)s: %(count)s"),
    body=gettext_noop(
        "Fiscal projects whose transformation deadline passed on %(day)s without a "
        "transformation recorded (M4.1, M4.2): %(count)s. The list of missed deadlines shows "
        "them with their units."
    ),
    clauses=("M4.1", "M4.2"),
)

# The kinds of notices sent here, for people's preferences (kttc.core.notifications.kinds).
register_kind(
    PROJECT_DUE_SOON.kind,
    gettext_lazy("A project's transformation deadline comes near"),
    mandatory=True,
)
register_kind(
    PROJECT_MISSED.kind, gettext_lazy("A project's transformation deadline passed"), mandatory=True
)
register_kind(
    PROJECTS_MISSED_FOR_BUREAU.kind,
    gettext_lazy("Projects past their transformation deadline (for the bureau)"),
    mandatory=True,
)


def run(today: date) -> dict[str, int]:
    """M4.1, M4.2: remind of deadlines coming, tell of deadlines missed; each project once."""
    window = timedelta(days=max(PROJECT_REMINDER_DAYS, settings.KTTC_DUE_REMINDER_DAYS))
    coming = projects_without_transformation().filter(
        transformation_deadline__gte=today, transformation_deadline__lte=today + window
    )
    reminded, reminders = _claim_projects(coming, "transformation_reminded_at", PROJECT_DUE_SOON)
    missed, notices = _claim_projects(
        projects_missed(today), "transformation_overdue_at", PROJECT_MISSED
    )
    return {
        "project deadlines coming": reminded,
        "project reminders": reminders,
        "project deadlines missed": missed,
        "project missed notices": notices,
        "project bureau notices": _tell_the_bureau_of_projects(today, missed),
    }


def _claim_projects(rows: QuerySet[FiscalProject], column: str, notice: Notice) -> tuple[int, int]:
    """Claim the unclaimed ``rows`` with one conditional UPDATE and notify the undertaking
    units' transfer offices with one INSERT … SELECT, in one transaction. Projects are few
    (thousands), so one batch does."""
    stamp = next(stamps())
    with transaction.atomic():
        unclaimed = rows.filter(**{f"{column}__isnull": True}).order_by().values("pk")
        claimed = FiscalProject.objects.filter(
            pk__in=unclaimed, **{f"{column}__isnull": True}
        ).update(**{column: stamp})
        if not claimed:
            return 0, 0
        written = notification_send_many(
            about=FiscalProject.objects.filter(**{column: stamp}),
            organisation_field="undertaking_unit_id",
            roles=(Role.TRANSFER_OFFICE.value,),
            notice=notice,
            params={
                "number": F("project_number"),
                "title": F("title"),
                "due": F("transformation_deadline"),
                "obligation": F("transformation_obligation"),
            },
            link=_missed_link() if column == "transformation_overdue_at" else _projects_link(),
            now=stamp,
        )
    return claimed, written


def _projects_link() -> str:
    return reverse("registry:project_deadlines")


def _missed_link() -> str:
    return _projects_link() + "?" + urlencode({"missed": "1"})


def _tell_the_bureau_of_projects(today: date, missed: int) -> int:
    """One notice a day to the bureau when projects missed their deadline, pointing at its list."""
    if not missed:
        return 0
    notice = replace(PROJECTS_MISSED_FOR_BUREAU, params={"count": missed, "day": today.isoformat()})
    return notification_send(
        roles=(Role.BUREAU.value,),
        notice=notice,
        dedupe_key=f"{notice.kind}:{today.isoformat()}",
        link=_missed_link(),
    )
