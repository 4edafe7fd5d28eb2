"""Upcoming deadlines, per role: what falls due soon and what is overdue, from every part.

The core knows no part's deadlines (it may not import the parts). Each part that has some offers
a module ``kttc.<part>.deadlines`` with

    def sections(membership, *, today, until, limit) -> list[DeadlineSection]

which says, for one membership (a role in an organisation), what of that part falls due up to
``until`` (inclusive) and what is overdue on ``today``: counts, the first ``limit`` items (overdue
first, then soonest due) and a link to the part's full list. The back office's "Upcoming
deadlines" page asks every part (found by ``kttc.core.parts.part_modules``) for every membership
of the person. A part whose rows hold their due date in an indexed column (DESIGN rule 5) answers
with two queries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from kttc.core.models import Membership, Organisation

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class DeadlineItem:
    """One thing that falls due: what, for which organisation, by when, and where to act."""

    due: date
    title: str
    link: str
    organisation: Organisation | None
    overdue: bool
    status: StrOrPromise = ""


@dataclass(frozen=True)
class DeadlineSection:
    """One kind of deadline of a part for one membership. ``title`` is a translated (lazy)
    string; ``more_link`` opens the part's full list."""

    title: StrOrPromise
    clauses: tuple[str, ...]
    overdue: int
    upcoming: int
    items: list[DeadlineItem] = field(default_factory=list)
    more_link: str = ""

    @property
    def shown_all(self) -> bool:
        return len(self.items) >= self.overdue + self.upcoming


@dataclass(frozen=True)
class MembershipDeadlines:
    """The sections of every part for one membership of the person."""

    membership: Membership
    sections: list[DeadlineSection]

    @property
    def overdue(self) -> int:
        return sum(s.overdue for s in self.sections)

    @property
    def upcoming(self) -> int:
        return sum(s.upcoming for s in self.sections)
