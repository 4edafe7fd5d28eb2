"""Pages of the joint meeting (M13.1, M13.2)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext

from kttc.core import parsing
from kttc.core.selectors import organisations_where, user_can
from kttc.core.web import acting_user, forbidden
from kttc.oversight.meeting import selectors
from kttc.oversight.meeting.choices import OWNER_CHOICES, DifficultyStatus
from kttc.policy.roles import Capability


@login_required
def office_list(request: HttpRequest) -> HttpResponse:
    """M13.1, M13.2: the difficulties one may read (one's organisation's; all for the bureau and
    auditors) with their status, and the open tasks by deadline for the bureau."""
    user = acting_user(request)
    sees_all = user_can(user, Capability.VIEW_MEETING_ALL)
    if not sees_all and not organisations_where(user, Capability.RAISE_DIFFICULTIES).exists():
        return forbidden(
            request,
            gettext(
                "Units, enterprises and institutions raise difficulties; the bureau reads them."
            ),
        )
    return render(
        request,
        "oversight/meeting/list.html",
        {
            "difficulties": selectors.difficulties_for(user)[:200],
            "tasks": selectors.open_tasks()[:200] if sees_all else [],
            "today": selectors.today(),
        },
    )


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """M13.1, M13.2: a difficulty, its evidence, the sessions that discussed it, the decisions
    and their tasks with owners, deadlines and evidence."""
    found = (
        selectors.difficulties_for(acting_user(request)).filter(pk=parsing.id_or_404(pk)).first()
    )
    if found is None:
        raise Http404
    return render(
        request,
        "oversight/meeting/detail.html",
        {
            "difficulty": found,
            "documents": found.documents.all(),
            "sessions": found.sessions.all(),
            "decisions": found.decisions.prefetch_related("tasks").select_related("session"),
        },
    )


def public_summary(request: HttpRequest) -> HttpResponse:
    """M13.1, M13.2: what the joint meeting resolved, in public: how many difficulties by
    status, how many tasks by owning department or county/district, and the difficulties
    resolved with their raising organisation and the tasks' outcomes. No person is named."""
    counts = selectors.public_counts()
    by_status = [
        (label, counts["by_status"].get(value, 0)) for value, label in DifficultyStatus.choices
    ]
    by_owner = [
        (label, counts["by_owner"][value])
        for value, label in OWNER_CHOICES
        if value in counts["by_owner"]
    ]
    return render(
        request,
        "oversight/meeting/public_summary.html",
        {
            "by_status": by_status,
            "by_owner": by_owner,
            "resolved": selectors.resolved()[:100],
        },
    )
