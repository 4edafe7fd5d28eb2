"""The reform part's upcoming deadlines for the back office (see ``kttc.core.deadlines``, which
finds this module by name): each mechanism's sections in turn.

* M3.2, M3.3: licence instalments to receive (a unit's transfer office) or to make (an
  enterprise), due in the period or overdue (``kttc.reform.licensing.deadlines``).
* M4.4: a unit's results becoming due for open licensing, or due already and so on the list
  (``kttc.reform.transformation.deadlines``).
"""

from __future__ import annotations

from datetime import date

from kttc.core.deadlines import DeadlineSection
from kttc.core.models import Membership
from kttc.policy.roles import Capability, Role, role_can
from kttc.reform.licensing import deadlines as licensing_deadlines
from kttc.reform.transformation import deadlines as transformation_deadlines


def sections(
    membership: Membership, *, today: date, until: date, limit: int
) -> list[DeadlineSection]:
    """M3.2, M3.3, M4.4: the deadlines of the membership's organisation, by its role."""
    found = licensing_deadlines.sections(membership, today=today, until=until, limit=limit)
    if role_can(Role(membership.role), Capability.MANAGE_LICENCES):
        found += transformation_deadlines.sections(
            membership, today=today, until=until, limit=limit
        )
    return found
