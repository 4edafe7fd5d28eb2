"""What waits for a person, per role: the back office's home lists it first.

The core knows no part's work (it may not import the parts). Each part that has some offers a
module ``kttc.<part>.todos`` with

    def sections(membership, *, limit) -> list[TodoSection]

which says, for one membership (a role in an organisation), what of that part waits for someone
of that role to act: how many, the first ``limit`` (oldest first: they have waited longest) and
a link to the part's full list. Sections with nothing waiting are not returned. The home asks
every part (found by ``kttc.core.parts.part_modules``) for every membership of the person; each
section costs a count and one query for its first items.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kttc.core.models import Membership, Organisation
from kttc.core.parts import part_modules
from kttc.policy.roles import Capability, Role, role_can

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

#: How many items of each section the home shows.
HOME_ITEMS = 3


@dataclass(frozen=True)
class TodoItem:
    """One thing waiting: what, for which organisation, since when, and where to act."""

    title: str
    link: str
    since: datetime | date | None = None
    organisation: Organisation | None = None
    status: StrOrPromise = ""


@dataclass(frozen=True)
class TodoSection:
    """One kind of work of a part for one membership: ``title`` a translated (lazy) string,
    ``count`` how many wait, ``items`` the first of them, ``more_link`` the full list."""

    title: StrOrPromise
    clauses: tuple[str, ...]
    count: int
    items: list[TodoItem] = field(default_factory=list)
    more_link: str = ""


def sections(membership: Membership, *, limit: int = HOME_ITEMS) -> list[TodoSection]:
    """The core's and every part's sections for ``membership`` (in the order of the installed
    apps) that have something waiting."""
    found = _core_sections(membership, limit=limit)
    for _label, module in part_modules("todos"):
        found += module.sections(membership, limit=limit)
    return [s for s in found if s.count]


def _organisation(o: Organisation) -> tuple[str, str]:
    return o.name, reverse("office:verification")


def _core_sections(membership: Membership, *, limit: int) -> list[TodoSection]:
    """The organisations waiting for the center's verification (M8.1), for the bureau."""
    from kttc.core.accounts.services import verification_queue

    if not role_can(Role(membership.role), Capability.VERIFY_ORGANISATIONS_ALL):
        return []
    return [
        section(
            _("Organisations waiting for verification"), ("M8.1",), verification_queue(),
            limit=limit, more_link=reverse("office:verification"), describe=_organisation,
            since="created_at",
        )
    ]  # fmt: skip


def section(
    title: StrOrPromise,
    clauses: tuple[str, ...],
    rows: QuerySet[Any],
    *,
    limit: int,
    more_link: str,
    describe: Callable[[Any], tuple[str, str]],
    since: str,
    status: Callable[[Any], StrOrPromise] | None = None,
) -> TodoSection:
    """A section of the rows waiting: their count, and the first ``limit`` of them by the field
    ``since`` (oldest first), each described as (title, link)."""
    items = []
    for row in rows.order_by(since, "pk")[:limit]:
        title_of, link = describe(row)
        items.append(
            TodoItem(
                title=title_of,
                link=link,
                since=getattr(row, since),
                organisation=getattr(row, "unit", None),
                status=status(row) if status else "",
            )
        )
    return TodoSection(
        title=title, clauses=clauses, count=rows.count(), items=items, more_link=more_link
    )
