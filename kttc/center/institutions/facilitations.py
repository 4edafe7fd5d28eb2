"""Brokers and the deals they facilitated (M9.1, M9.2): a party names a technology broker on
one of its deals (a licence or a technology contract of the unit, a listing of the unit, a
demand of the enterprise), and may remove the name again; the broker hears of it at once. The
deals that are public anyway (the transaction page's licences and contracts, the listings of
public results, the published demands) make the broker's public record: the deals by kind, the
amounts their parties agreed to publish, the industries and the countries.

The party names the broker, not the broker itself: the record is a party's word, like the
demand met by a licence (M8.1). Removing keeps the row and its audit entry (M14.1).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Model, QuerySet
from django.urls import reverse
from django.utils import timezone

from kttc.benefits.contracts.models import TechnologyContract
from kttc.center.demands.choices import DemandStatus
from kttc.center.demands.models import Demand
from kttc.center.institutions import notices
from kttc.center.institutions.models import BrokerProfile, Facilitation
from kttc.center.listings.choices import ListingStatus
from kttc.center.listings.models import Listing
from kttc.center.transactions.selectors import contracts_public, transactions_public
from kttc.core.models import Organisation, User
from kttc.core.selectors import organisations_where
from kttc.core.services import audit_record, decision, require_capability
from kttc.policy import institutions as rules
from kttc.policy.errors import refuse
from kttc.policy.i18n import gettext_noop
from kttc.policy.roles import Capability
from kttc.reform.licensing.models import Licence
from kttc.registry.choices import Confidentiality, Status

Kind = rules.DealKind
#: Who may name a broker on a deal of each kind: the unit's licensing (licences and listings),
#: its contracts, or the enterprise's demands.
CAPABILITY = {
    Kind.LICENCE: Capability.MANAGE_LICENCES,
    Kind.CONTRACT: Capability.MANAGE_CONTRACTS,
    Kind.LISTING: Capability.MANAGE_LICENCES,
    Kind.DEMAND: Capability.POST_DEMANDS,
}
MODELS: dict[Kind, type[Model]] = {
    Kind.LICENCE: Licence,
    Kind.CONTRACT: TechnologyContract,
    Kind.LISTING: Listing,
    Kind.DEMAND: Demand,
}
#: The most recent deals of each kind offered to a party on its page.
OFFERED = 200


def party_of(kind: Kind, deal: Any) -> Organisation:
    """The organisation whose deal it is: the unit, or the enterprise of a demand."""
    party: Organisation = deal.organisation if kind == Kind.DEMAND else deal.unit
    return party


def deal_title(kind: Kind, deal: Any) -> str:
    if kind == Kind.DEMAND:
        return str(deal.title)
    if kind == Kind.CONTRACT:
        return str(deal.title)
    return str(deal.achievement.name)


def _deal(kind: Kind, deal_id: int) -> Any:
    found = MODELS[kind]._default_manager.filter(pk=deal_id).first()
    if found is None:
        raise refuse(
            gettext_noop("No such deal: choose one of your own."),
            "facilitation.deal",
            "deal",
            rules.FACILITATION_CLAUSES,
        )
    return found


@decision
def facilitation_record(
    *, actor: User, broker: BrokerProfile, kind: str, deal_id: int
) -> Facilitation:
    """A party names the broker who facilitated one of its deals (M9.1, M9.2)."""
    checked = rules.deal_kind(kind)
    deal = _deal(checked, deal_id)
    party = party_of(checked, deal)
    require_capability(actor, CAPABILITY[checked], party)
    found = BrokerProfile.objects.select_related("person", "institution").get(pk=broker.pk)
    already = Facilitation.objects.filter(
        broker=found, removed_at__isnull=True, **{checked.value: deal}
    ).exists()
    rules.check_facilitation(broker_active=found.withdrawn_at is None, already_named=already)
    link = Facilitation.objects.create(
        broker=found, kind=checked, party=party, recorded_by=actor, **{checked.value: deal}
    )
    audit_record(
        actor=actor, organisation=party, action="institution.facilitation_record", obj=link,
        clauses=list(rules.FACILITATION_CLAUSES),
        after={"broker": found.pk, "kind": checked.value, "deal": deal.pk},
    )  # fmt: skip
    notices.tell_facilitated(link, deal=deal_title(checked, deal), party=party.name)
    return link


@decision
def facilitation_remove(*, actor: User, facilitation: Facilitation) -> Facilitation:
    """The party takes the broker's name off its deal again (a mistake is easy to make)."""
    link = Facilitation.objects.select_related("party").get(pk=facilitation.pk)
    require_capability(actor, CAPABILITY[Kind(link.kind)], link.party)
    if link.removed_at is not None:
        raise refuse(
            gettext_noop("This broker's name was already removed from the deal."),
            "facilitation.removed",
            None,
            rules.FACILITATION_CLAUSES,
        )
    link.removed_at = timezone.now()
    link.removed_by = actor
    link.save(update_fields=["removed_at", "removed_by"])
    audit_record(
        actor=actor, organisation=link.party, action="institution.facilitation_remove",
        obj=link, clauses=list(rules.FACILITATION_CLAUSES),
        before={"removed_at": None}, after={"removed_at": link.removed_at.isoformat()},
    )  # fmt: skip
    return link


# --- reads --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DealOption:
    kind: Kind
    pk: int
    title: str
    party: str

    @property
    def value(self) -> str:
        return f"{self.kind.value}:{self.pk}"


def deals_of(user: User) -> list[DealOption]:
    """The deals on which ``user`` may name a broker, newest first within each kind."""
    out: list[DealOption] = []
    for kind, model in MODELS.items():
        parties = organisations_where(user, CAPABILITY[kind])
        party_field = "organisation" if kind == Kind.DEMAND else "unit"
        named = ("achievement",) if kind in (Kind.LICENCE, Kind.LISTING) else ()
        rows = model._default_manager.filter(
            **{f"{party_field}__in": parties}
        ).select_related(party_field, *named)
        for deal in rows.order_by("-pk")[:OFFERED]:
            out.append(DealOption(kind, deal.pk, deal_title(kind, deal), party_of(kind, deal).name))
    return out


def named_by(user: User) -> QuerySet[Facilitation]:
    """The live names the user's organisations gave on their deals."""
    parties = set()
    for kind in Kind:
        parties |= set(organisations_where(user, CAPABILITY[kind]).values_list("pk", flat=True))
    related = (
        "broker__person", "broker__institution", "party", "licence__achievement", "contract",
        "listing__achievement", "demand",
    )  # fmt: skip
    return Facilitation.objects.filter(
        party_id__in=parties, removed_at__isnull=True
    ).select_related(*related)


@dataclass(frozen=True)
class PublicDeal:
    """One public deal of a broker's record: what it was, with whom, when, the amount its
    parties agreed to publish (or none), the country of the other party and the industry."""

    kind: Kind
    title: str
    party: Organisation
    on: date
    amount: Decimal | None
    country: str
    industry: str
    url: str


def _day(value: datetime | date | None) -> date:
    if isinstance(value, datetime):
        return timezone.localdate(value)
    return value or date.min


def _public_licences(profile: BrokerProfile) -> Iterable[PublicDeal]:
    for lic in transactions_public().filter(
        facilitations__broker=profile, facilitations__removed_at__isnull=True
    ):
        yield PublicDeal(
            Kind.LICENCE, lic.achievement.name, lic.unit, _day(lic.concluded_at),
            lic.total_fee if "total_fee" in (lic.disclosed or []) else None,
            lic.licensee.country, lic.achievement.industry_code,
            reverse("catalog:detail", args=[lic.achievement_id]),
        )  # fmt: skip


def _public_contracts(profile: BrokerProfile) -> Iterable[PublicDeal]:
    for con in contracts_public().filter(
        facilitations__broker=profile, facilitations__removed_at__isnull=True
    ):
        assert con.achievement is not None  # contracts_public() keeps those of a public result
        yield PublicDeal(
            Kind.CONTRACT, con.achievement.name, con.unit, con.signed_on,
            con.amount if "amount" in (con.disclosed or []) else None,
            con.counterparty_country, con.achievement.industry_code,
            reverse("catalog:detail", args=[con.achievement_id]),
        )  # fmt: skip


def _public_listings(profile: BrokerProfile) -> Iterable[PublicDeal]:
    for lst in Listing.objects.filter(
        facilitations__broker=profile, facilitations__removed_at__isnull=True,
        achievement__status=Status.PUBLISHED,
        achievement__confidentiality=Confidentiality.PUBLIC,
    ).select_related("achievement", "unit", "winning_bid__registration__organisation"):  # fmt: skip
        awarded = lst.status == ListingStatus.AWARDED and lst.winning_bid is not None
        winner = lst.winning_bid.registration.organisation if awarded else None  # type: ignore[union-attr]
        yield PublicDeal(
            Kind.LISTING, lst.achievement.name, lst.unit, _day(lst.closed_at or lst.listed_at),
            lst.winning_bid.amount if awarded else None,  # type: ignore[union-attr]
            winner.country if winner else "", lst.achievement.industry_code,
            reverse("listings:detail", args=[lst.pk]),
        )  # fmt: skip


def _public_demands(profile: BrokerProfile) -> Iterable[PublicDeal]:
    for dem in Demand.objects.filter(
        facilitations__broker=profile, facilitations__removed_at__isnull=True,
        status__in=(DemandStatus.PUBLISHED, DemandStatus.CLOSED_MET),
    ).select_related("organisation"):  # fmt: skip
        yield PublicDeal(
            Kind.DEMAND, dem.title, dem.organisation, _day(dem.closed_at or dem.published_at),
            None, dem.country, dem.industry, reverse("demands:detail", args=[dem.pk]),
        )  # fmt: skip


def public_deals(profile: BrokerProfile) -> list[PublicDeal]:
    """The broker's public deals, newest first (four queries)."""
    found = [
        *_public_licences(profile), *_public_contracts(profile),
        *_public_listings(profile), *_public_demands(profile),
    ]  # fmt: skip
    return sorted(found, key=lambda d: d.on, reverse=True)


@dataclass(frozen=True)
class Figures:
    """A broker's public record in figures."""

    by_kind: dict[str, int]
    published_amount: Decimal
    countries: list[tuple[str, int]]
    industries: list[tuple[str, int]]

    @property
    def deals(self) -> int:
        return sum(self.by_kind.values())


def figures(deals: Sequence[PublicDeal]) -> Figures:
    """The deals by kind, the sum of the amounts published, and the countries and industries
    the most frequent first."""
    kinds = Counter(d.kind.value for d in deals)
    countries = Counter(d.country for d in deals if d.country)
    industries = Counter(d.industry for d in deals if d.industry)
    return Figures(
        {k.value: kinds.get(k.value, 0) for k in Kind},
        sum((d.amount for d in deals if d.amount is not None), Decimal(0)),
        sorted(countries.items(), key=lambda kv: (-kv[1], kv[0])),
        sorted(industries.items(), key=lambda kv: (-kv[1], kv[0])),
    )
