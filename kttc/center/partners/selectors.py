"""Reads of partners abroad (M8.4): whom a partner represents, the cases it referred (its
enterprises with their verification, the demands posted for them with their answers, the
licences and contracts they concluded), and the public figures of the cooperation page."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet

from kttc.benefits.contracts.models import TechnologyContract
from kttc.center.demands.choices import DemandStatus
from kttc.center.demands.models import Demand
from kttc.center.demands.selectors import PUBLIC
from kttc.center.partners.choices import PartnershipStatus
from kttc.center.partners.models import PartnerConsent, Partnership
from kttc.core.models import CHINA, Organisation, User
from kttc.core.selectors import organisations_where, user_can
from kttc.policy import partners as rules
from kttc.policy.roles import Capability, OrganisationKind
from kttc.reform.licensing.models import Licence


def partners_of(user: User) -> QuerySet[Organisation]:
    """The partners abroad whose referred cases ``user`` may see: those it works for."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return organisations_where(user, Capability.VIEW_REFERRED_CASES).filter(
        kind=OrganisationKind.PARTNER_ABROAD
    )


def may_see_cases(user: User, partner: Organisation) -> bool:
    return user.is_authenticated and user_can(user, Capability.VIEW_REFERRED_CASES, partner)


def agreed(partner: Organisation) -> QuerySet[PartnerConsent]:
    return PartnerConsent.objects.filter(partner=partner, withdrawn_at__isnull=True)


def represents(partner: Organisation, enterprise: Organisation) -> bool:
    """M8.4 (:func:`kttc.policy.partners.may_post_for`, verification checked apart): whether
    ``partner`` may post demands for ``enterprise``."""
    return enterprise.kind == OrganisationKind.ENTERPRISE and rules.may_post_for(
        enterprise_abroad=enterprise.country != CHINA,
        referred_by_partner=enterprise.referred_by_id == partner.pk,
        agreed=agreed(partner).filter(enterprise=enterprise).exists(),
        verified=True,
    )


def enterprises_represented(partner: Organisation) -> QuerySet[Organisation]:
    """The verified enterprises abroad ``partner`` posts demands for: those it referred and
    those that agreed."""
    consenting = agreed(partner).values("enterprise_id")
    return (
        Organisation.objects.filter(
            Q(referred_by=partner) | Q(pk__in=consenting),
            kind=OrganisationKind.ENTERPRISE,
            verified_at__isnull=False,
        )
        .exclude(country=CHINA)
        .order_by("name")
    )


def partners_to_agree(enterprise: Organisation) -> list[tuple[Organisation, bool]]:
    """The verified partners of the enterprise's country with an active partnership, each with
    whether the enterprise agreed that it posts its demands."""
    mine = set(
        PartnerConsent.objects.filter(enterprise=enterprise, withdrawn_at__isnull=True).values_list(
            "partner_id", flat=True
        )
    )
    rows = Organisation.objects.filter(
        kind=OrganisationKind.PARTNER_ABROAD,
        country=enterprise.country,
        verified_at__isnull=False,
        partnership__status=PartnershipStatus.ACTIVE,
    ).order_by("name")
    return [(p, p.pk in mine) for p in rows]


@dataclass
class Case:
    """One enterprise a partner referred (or that agreed), with what followed."""

    enterprise: Organisation
    referred: bool
    demands: list[Demand] = field(default_factory=list)
    licences: list[Licence] = field(default_factory=list)
    contracts: list[TechnologyContract] = field(default_factory=list)


def cases_of(partner: Organisation) -> list[Case]:
    """M8.4: the partner's cases: each enterprise it referred (whatever its verification) or
    that agreed, the demands the partner posted for it (with their open answers), and the
    licences and transfer or licence contracts the enterprise concluded."""
    from kttc.center.demands.selectors import with_reading

    consenting = agreed(partner).values("enterprise_id")
    enterprises = list(
        Organisation.objects.filter(Q(referred_by=partner) | Q(pk__in=consenting)).order_by(
            "-referred_at", "name"
        )
    )
    ids = [e.pk for e in enterprises]
    demands = with_reading(
        Demand.objects.filter(organisation_id__in=ids, posted_by=partner)
        .annotate(answer_count=Count("answers", filter=Q(answers__withdrawn_at__isnull=True)))
        .order_by("-created_at")
    )
    licences = Licence.objects.filter(licensee_id__in=ids).select_related("achievement", "unit")
    # A contract is the enterprise's over a licence it holds, or naming it as the counterparty
    # (as ``kttc.center.demands.services.contracts_meeting`` reads them).
    by_name = {e.name: e.pk for e in enterprises}
    contracts = TechnologyContract.objects.filter(
        Q(licence__licensee_id__in=ids) | Q(counterparty__in=list(by_name))
    ).select_related("unit", "licence")
    cases = {e.pk: Case(e, e.referred_by_id == partner.pk) for e in enterprises}
    for d in demands:
        cases[d.organisation_id].demands.append(d)
    for lic in licences:
        cases[lic.licensee_id].licences.append(lic)
    for c in contracts:
        owner = c.licence.licensee_id if c.licence else by_name.get(c.counterparty)
        if owner in cases:
            cases[owner].contracts.append(c)
    return [cases[e.pk] for e in enterprises]


# --- the public cooperation page -------------------------------------------------------------


def partnerships_public() -> QuerySet[Partnership]:
    """M8.4: the center's active partnerships with verified partners abroad, by country."""
    return (
        Partnership.objects.filter(
            status=PartnershipStatus.ACTIVE, partner__verified_at__isnull=False
        )
        .select_related("partner")
        .order_by("partner__country", "agreement_date", "partner__name")
    )


def partners_by_country() -> list[tuple[str, list[Partnership]]]:
    found: dict[str, list[Partnership]] = {}
    for p in partnerships_public():
        found.setdefault(p.partner.country, []).append(p)
    return sorted(found.items(), key=lambda kv: (-len(kv[1]), kv[0]))


def demands_from_abroad() -> list[dict[str, Any]]:
    """M8.4: the published demands (open or not) whose need is abroad, by country: how many,
    how many still open, how many met."""
    rows = (
        Demand.objects.filter(status__in=PUBLIC)
        .exclude(country=CHINA)
        .order_by()
        .values("country")
        .annotate(
            total=Count("pk"),
            open=Count("pk", filter=Q(status=DemandStatus.PUBLISHED)),
            met=Count("pk", filter=Q(status=DemandStatus.CLOSED_MET)),
        )
    )
    return sorted(rows, key=lambda r: (-r["total"], r["country"]))
