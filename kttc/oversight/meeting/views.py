"""Pages of the joint meeting (M13.1, M13.2)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kttc.oversight.meeting import selectors
from kttc.oversight.meeting.choices import OWNER_CHOICES, DifficultyStatus


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
