"""What waits in Part 4 (see ``kttc.core.todos``): the joint meeting's (M13.1, M13.2)."""

from __future__ import annotations

from kttc.core.models import Membership
from kttc.core.todos import TodoSection
from kttc.oversight.meeting import todos as meeting_todos


def sections(membership: Membership, *, limit: int) -> list[TodoSection]:
    return meeting_todos.sections(membership, limit=limit)
