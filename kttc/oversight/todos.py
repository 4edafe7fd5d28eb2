"""What waits in Part 4 (see ``kttc.core.todos``): the joint meeting's (M13.1, M13.2), the
findings' (M14.2)."""

from __future__ import annotations

from kttc.core.models import Membership
from kttc.core.todos import TodoSection
from kttc.oversight.findings import todos as findings_todos
from kttc.oversight.meeting import todos as meeting_todos
from kttc.oversight.reports import todos as reports_todos


def sections(membership: Membership, *, limit: int) -> list[TodoSection]:
    return [
        *findings_todos.sections(membership, limit=limit),
        *meeting_todos.sections(membership, limit=limit),
        *reports_todos.sections(membership, limit=limit),
    ]
