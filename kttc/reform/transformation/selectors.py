"""Reads of time-limited transformation (M4.4).

A result counts as transformed when it has a licence concluded on the platform or a recorded
transformation; it is justified on a day when the bureau accepted a justification that is valid
that day. Which results are due is decided by ``kttc.policy.transformation``; the database
selects them with one comparison of the grant date (``latest_ip_date_due``), so the sweep and
the pages read set-based.

The public sees the open licensing list of public results only (DESIGN rule 8)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from kttc.core.models import Organisation, User
from kttc.core.selectors import organisations_where, user_can
from kttc.policy import transformation as transformation_rules
from kttc.policy.roles import Capability
from kttc.reform.licensing.models import Licence
from kttc.reform.transformation.choices import JustificationStatus, ListingStatus
from kttc.reform.transformation.models import (
    OpenLicensingEntry,
    Transformation,
    TransformationJustification,
)
from kttc.registry.choices import Confidentiality, IPStatus, Status
from kttc.registry.models import Achievement, IPRight

#: How far ahead the unit's page shows results that will become due: a unit needs time to
#: transform a result, or to have a justification accepted, before it goes on the list.
LOOKAHEAD_DAYS = 365


#: M4.4: other parts' records that transform a result (the benefits part's transfer and licence
#: contracts, M5): each source takes the name of the outer query's result id (``outer``) and
#: answers a condition that holds when the result has such a record. A part registers its source
#: when its app is ready (:func:`register_transformation_source`); the reform reads none of them.
TRANSFORMATION_SOURCES: list[Callable[[str], Q]] = []


def register_transformation_source(source: Callable[[str], Q]) -> None:
    """M4.4: count the records ``source`` finds as transformations of their result (once)."""
    if source not in TRANSFORMATION_SOURCES:
        TRANSFORMATION_SOURCES.append(source)


def transformed(outer: str = "pk") -> Q:
    """M4.4: the result named by ``outer`` has a licence, a recorded transformation, or a record
    of a registered source (a technology transfer or licence contract recorded by its unit)."""
    condition = Q(Exists(Licence.objects.filter(achievement_id=OuterRef(outer)))) | Q(
        Exists(Transformation.objects.filter(achievement_id=OuterRef(outer)))
    )
    for source in TRANSFORMATION_SOURCES:
        condition |= source(outer)
    return condition


def accepted_valid(on: date, outer: str = "pk") -> QuerySet[TransformationJustification]:
    """M4.4: the accepted justifications of the result named by ``outer`` valid on ``on``."""
    return TransformationJustification.objects.filter(
        achievement_id=OuterRef(outer), status=JustificationStatus.ACCEPTED
    ).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))


def justified(on: date, outer: str = "pk") -> Q:
    """M4.4: an accepted justification of the result named by ``outer`` is valid on ``on``."""
    return Q(Exists(accepted_valid(on, outer)))


def granted_rights(cutoff: date | None = None) -> QuerySet[IPRight]:
    """Granted IP rights with a grant date (on or before ``cutoff``)."""
    rights = IPRight.objects.filter(status=IPStatus.GRANTED, grant_date__isnull=False)
    return rights.filter(grant_date__lte=cutoff) if cutoff is not None else rights


def has_ip_by(cutoff: date, outer: str = "pk") -> Q:
    """The result named by ``outer`` has a granted right obtained on or before ``cutoff``: a
    probe of its own rights, for queries over a few results (a unit's, a batch)."""
    return Q(Exists(granted_rights(cutoff).filter(achievement_id=OuterRef(outer))))


def ip_obtained(outer: str = "pk") -> Subquery:
    """M4.4: the earliest grant date of the result's granted rights."""
    return Subquery(
        granted_rights()
        .filter(achievement_id=OuterRef(outer))
        .order_by("grant_date")
        .values("grant_date")[:1]
    )


def listable() -> QuerySet[Achievement]:
    """Results that may go on the public list: published and public (DESIGN rule 8), and not
    touching national security or major public interests (whose transfer needs the superior's
    approval, M2.2, so the platform does not offer them to everyone by itself)."""
    return Achievement.objects.filter(
        status=Status.PUBLISHED, confidentiality=Confidentiality.PUBLIC, national_interest=False
    )


def due_for_listing(
    *, on: date, years: int, among: list[int] | None = None
) -> QuerySet[Achievement]:
    """M4.4: listable results due on ``on``: IP obtained ``years`` or more years ago, not
    transformed, not justified on ``on``. Annotated with ``obtained``, the IP date.

    Over all results, the granted rights old enough are read once as a list (one pass over the
    rights is cheaper than a probe per published result); ``among`` a batch of result ids, each
    is checked by its own rights instead."""
    cutoff = transformation_rules.latest_ip_date_due(on, years)
    results = listable()
    if among is None:
        results = results.filter(pk__in=granted_rights(cutoff).values("achievement_id"))
    else:
        results = results.filter(pk__in=among).filter(has_ip_by(cutoff))
    return results.exclude(transformed()).exclude(justified(on)).annotate(obtained=ip_obtained())


# --- the public list ---------------------------------------------------------------------------


def open_list(*, unit_id: int | None = None) -> QuerySet[OpenLicensingEntry]:
    """M4.4, M8.5: the open licensing list as the public reads it: listed results that are
    public, newest listings first, with their default offer."""
    entries = OpenLicensingEntry.objects.filter(
        status=ListingStatus.LISTED,
        achievement__status=Status.PUBLISHED,
        achievement__confidentiality=Confidentiality.PUBLIC,
    )
    if unit_id is not None:
        entries = entries.filter(unit_id=unit_id)
    return entries.select_related("achievement", "unit", "offer").order_by("-listed_on", "-id")


def open_list_units() -> QuerySet[Organisation]:
    """The units that have a result on the public list (for its filter)."""
    return Organisation.objects.filter(pk__in=open_list().order_by().values("unit_id")).order_by(
        "name"
    )


# --- the unit's and the bureau's views -----------------------------------------------------------


def managed_units(user: User) -> QuerySet[Organisation]:
    """The units whose transfer office ``user`` is: they record transformations and file
    justifications (M4.4)."""
    return organisations_where(user, Capability.MANAGE_LICENCES)


def can_decide(user: User) -> bool:
    """M4.4: the bureau accepts or rejects justifications."""
    return user.is_superuser or user_can(user, Capability.REVIEW_ACHIEVEMENTS_ALL)


def results_of(units: QuerySet[Organisation]) -> QuerySet[Achievement]:
    return Achievement.objects.filter(unit__in=units)


def results_due_or_coming(
    units: QuerySet[Organisation], *, on: date, until: date, years: int
) -> QuerySet[Achievement]:
    """M4.4: the units' listable results that are due for open licensing on ``on`` or become
    due by ``until``, not transformed: soonest due first, annotated with ``obtained`` (the IP
    date), ``listing`` (the status of its list entry, if any), ``pending`` (a justification
    waits for the bureau) and ``justified_now`` (an accepted one is valid on ``on``)."""
    cutoff = transformation_rules.latest_ip_date_due(until, years)
    listing = OpenLicensingEntry.objects.filter(achievement_id=OuterRef("pk")).values("status")
    pending = TransformationJustification.objects.filter(
        achievement_id=OuterRef("pk"), status=JustificationStatus.PENDING
    )
    return (
        listable()
        # The ids, not a subquery: the database then reads the units' results by their index.
        .filter(unit_id__in=list(units.values_list("pk", flat=True)))
        .filter(has_ip_by(cutoff))
        .exclude(transformed())
        .annotate(
            obtained=ip_obtained(),
            listing=Subquery(listing[:1]),
            pending=Exists(pending),
            justified_now=Exists(accepted_valid(on)),
        )
        .select_related("unit")
        .order_by("obtained", "id")
    )


def cutoffs(*, on: date, until: date, years: int) -> tuple[date, date]:
    """The IP dates that split results into due before ``on`` (IP on or before the first) and
    becoming due from ``on`` to ``until`` (IP after the first, on or before the second)."""
    return (
        transformation_rules.latest_ip_date_due(on - timedelta(days=1), years),
        transformation_rules.latest_ip_date_due(until, years),
    )


def justifications_visible_to(user: User) -> QuerySet[TransformationJustification]:
    """Justifications: every one for the bureau and auditors, the unit's for its office."""
    qs = TransformationJustification.objects.select_related(
        "achievement", "unit", "filed_by", "decided_by"
    )
    if not user.is_authenticated:
        return qs.none()
    if user.is_superuser or user_can(user, Capability.VIEW_UNIT_ACHIEVEMENTS_ALL):
        return qs
    return qs.filter(unit__in=managed_units(user))


def justification_queue() -> QuerySet[TransformationJustification]:
    """M4.4: justifications waiting for the bureau, oldest first."""
    return (
        TransformationJustification.objects.filter(status=JustificationStatus.PENDING)
        .select_related("achievement", "unit", "filed_by")
        .annotate(obtained=ip_obtained("achievement_id"))
        .order_by("filed_at", "id")
    )


def entry_of(achievement: Achievement) -> OpenLicensingEntry | None:
    return OpenLicensingEntry.objects.filter(achievement=achievement).first()


def is_transformed(achievement: Achievement) -> bool:
    return Achievement.objects.filter(pk=achievement.pk).filter(transformed()).exists()


def obtained_on(achievement: Achievement) -> date | None:
    """M4.4: the day the result's IP was obtained, if it has a granted right."""
    return transformation_rules.ip_obtained_on(
        granted_rights().filter(achievement=achievement).values_list("grant_date", flat=True)
    )
