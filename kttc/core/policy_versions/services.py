"""The day the measures took effect (V.1, DESIGN rule 11): a setting of the installation.

The measures apply "from issuance" (自印发之日起施行) without naming the day, so the first policy
version's start is the installation's to say. The bureau sets or corrects it while no decision
rests on it: once an entry of the audit chain cites a policy version for a decision, the rules
of that decision were read with this date, and it stands.
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from kttc.core.models import AuditEntry, MeasuresStart, User
from kttc.core.selectors import policy_version_records
from kttc.core.services import audit_record, decision, require_capability
from kttc.policy import calendar
from kttc.policy import params as policy_params
from kttc.policy.errors import PolicyError
from kttc.policy.i18n import gettext_noop
from kttc.policy.roles import Capability

#: Entries of the chain that record the policy itself (publishing, withdrawing a version,
#: this setting), not a decision taken under it.
POLICY_ACTIONS = "policy."


def decisions_rest_on_policy() -> bool:
    """Whether any decision of the chain cites a policy version (rules were applied)."""
    return (
        AuditEntry.objects.exclude(policy_version="")
        .exclude(action__startswith=POLICY_ACTIONS)
        .exists()
    )


@decision
def measures_start_set(
    *, actor: User, effective_from: date, today: date | None = None
) -> MeasuresStart:
    """V.1: set the day the measures took effect; the first version is in force from then,
    its validity counted from then. Refused once a decision rests on a policy version."""
    require_capability(actor, Capability.PUBLISH_POLICY_ALL)
    versions = policy_version_records()
    policy_params.check_measures_start(
        versions, effective_from, today=today or calendar.today_in_shanghai()
    )
    if decisions_rest_on_policy():
        raise PolicyError(
            gettext_noop(
                "Decisions already rest on the date the measures took effect; it can no "
                "longer be corrected."
            ),
            code="policy.measures_start_used",
            field="effective_from",
            clauses=("V.1",),
        )
    first = versions[0]  # as in force until now
    row, _ = MeasuresStart.objects.update_or_create(
        pk=1,
        defaults={"effective_from": effective_from, "set_at": timezone.now(), "set_by": actor},
    )
    now_first = policy_params.with_measures_start(versions, effective_from)[0]
    audit_record(
        actor=actor,
        organisation=None,
        action="policy.measures_start",
        obj=row,
        before={"effective_from": first.effective_from, "effective_until": first.effective_until},
        after={
            "effective_from": now_first.effective_from,
            "effective_until": now_first.effective_until,
        },
        clauses=("V.1",),
        policy_version=first.code,
    )
    return row
