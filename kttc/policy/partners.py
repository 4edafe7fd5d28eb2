"""Partner organisations abroad (M8.4: open cooperation on international technology transfer,
radiating to South and Southeast Asia, M8.1): what a partner is, and for whom it acts.

A partner abroad is registered outside China. Its staff refer enterprises of the partner's own
country to the center for verification, and post technology demands *for* an enterprise, never
as it. The rule of whom a partner may post for (:func:`may_post_for`):

* an enterprise the partner referred (the partner vouched for it, and it was verified), or
* an enterprise that agreed, itself, that this partner posts its demands (and has not withdrawn
  that agreement);

in both cases an enterprise registered abroad, and verified by the center. Anything else is
refused: a partner cannot speak for an enterprise that never chose it.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final

from kttc.policy.errors import refuse
from kttc.policy.i18n import gettext_noop

CLAUSES: Final = ("M8.4",)
CHINA: Final = "CN"


class PartnerType(StrEnum):
    TRANSFER_CENTER = "transfer_center"
    UNIVERSITY = "university"
    INDUSTRIAL_PARK = "industrial_park"
    CHAMBER_OF_COMMERCE = "chamber_of_commerce"
    OTHER = "other"


class PartnershipStatus(StrEnum):
    ACTIVE = "active"  # an agreement in force
    SUSPENDED = "suspended"  # paused by either side
    ENDED = "ended"  # the agreement ended


def check_abroad(country: str) -> str:
    """M8.4: a partner, and an enterprise it refers, are registered outside China."""
    if country == CHINA:
        raise refuse(
            gettext_noop(
                "A partner abroad and the enterprises it refers are registered outside China."
            ),
            "partner.not_abroad",
            "country",
            CLAUSES,
        )
    return country


def check_referral_country(partner_country: str, enterprise_country: str) -> str:
    """M8.4: a partner refers enterprises of its own country, whose register it knows."""
    check_abroad(enterprise_country)
    if partner_country != enterprise_country:
        raise refuse(
            gettext_noop("A partner refers enterprises of its own country (%(country)s)."),
            "partner.referral_country",
            "country",
            CLAUSES,
            country=partner_country,
        )
    return enterprise_country


def may_post_for(
    *, enterprise_abroad: bool, referred_by_partner: bool, agreed: bool, verified: bool
) -> bool:
    """M8.4: whether a partner may post a demand for an enterprise: a verified enterprise
    abroad that the partner referred, or that agreed to it."""
    return enterprise_abroad and verified and (referred_by_partner or agreed)
