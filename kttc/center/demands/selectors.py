"""Reads of demands: the public demand hall and its search, a demand as each reader may see it,
the moderation queue, an enterprise's own demands, the answers, and the results that may meet a
demand."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.paginator import Page
from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import get_language

from kttc.center.demands.choices import BUDGET_BANDS, CooperationMode, DemandStatus
from kttc.center.demands.models import Demand, DemandAnswer, DemandTranslation
from kttc.center.matching.selectors import Found, matches_of
from kttc.core import parsing
from kttc.core.models import Organisation, User
from kttc.core.selectors import organisations_where, user_can
from kttc.policy import calendar
from kttc.policy.roles import Capability
from kttc.registry.models import Achievement
from kttc.registry.selectors import public_achievements

PAGE_SIZE = 20
#: Once out of moderation, a demand's page is public (its state says whether it is still open).
PUBLIC = (DemandStatus.PUBLISHED, DemandStatus.CLOSED_MET, DemandStatus.CLOSED,
          DemandStatus.EXPIRED)  # fmt: skip


@dataclass(frozen=True)
class HallFilters:
    """The hall's filters, as a URL carries them (a malformed value is ignored)."""

    industry: str = ""  # a GB/T 4754 section letter
    mode: str = ""
    country: str = ""
    budget: str = ""  # one of BUDGET_BANDS

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> HallFilters:
        industry = str(params.get("industry", "")).strip().upper()
        mode = str(params.get("mode", ""))
        country = str(params.get("country", "")).strip().upper()
        budget = str(params.get("budget", ""))
        return cls(
            industry=industry if len(industry) == 1 and "A" <= industry <= "T" else "",
            mode=mode if mode in CooperationMode.values else "",
            country=country
            if len(country) == 2 and country.isascii() and country.isalpha()
            else "",
            budget=budget if budget in {b[0] for b in BUDGET_BANDS} else "",
        )


@dataclass
class Hall:
    page: Page[Demand]
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)


def reader_language(language: str | None = None) -> str:
    """The reader's language as demands name it (``zh-hans``, ``en``, ``vi`` …)."""
    return (language or get_language() or "zh-hans").lower()


def with_reading(rows: QuerySet[Demand], language: str | None = None) -> QuerySet[Demand]:
    """``rows`` with each demand's translation into the reader's language prefetched into
    ``reading`` (a list of at most one), as the catalog does for results
    (``kttc.center.catalog.selectors._with_reading``); templates show it where it exists and
    mark the original (``center/demands/_title.html``) otherwise."""
    return rows.prefetch_related(
        Prefetch(
            "translations",
            queryset=DemandTranslation.objects.filter(language=reader_language(language)),
            to_attr="reading",
        )
    )


def reading_of(demand: Demand, language: str | None = None) -> DemandTranslation | None:
    """The demand's translation into the reader's language, or None (read in its original):
    the prefetched ``reading`` when there is one, else one query."""
    found: list[DemandTranslation] | None = getattr(demand, "reading", None)
    if found is not None:
        return found[0] if found else None
    language = reader_language(language)
    if language == demand.language:
        return None
    return demand.translations.filter(language=language).first()


def title_in(demand: Demand, language: str | None) -> str:
    """The demand's title for a reader of ``language`` (a notice, a digest): translated where
    the author gave it, the original otherwise."""
    found = reading_of(demand, language)
    return found.title if found else demand.title


def demands_open() -> QuerySet[Demand]:
    """Published demands whose deadline has not passed: the hall."""
    return Demand.objects.filter(
        status=DemandStatus.PUBLISHED, deadline__gte=calendar.today_in_shanghai()
    ).select_related("organisation")


def _filtered(rows: QuerySet[Demand], filters: HallFilters) -> QuerySet[Demand]:
    if filters.industry:
        rows = rows.filter(industry__startswith=filters.industry)
    if filters.mode:
        rows = rows.filter(modes__icontains=f'"{filters.mode}"')
    if filters.country:
        rows = rows.filter(country=filters.country)
    if filters.budget:
        _value, _label, low, high = next(b for b in BUDGET_BANDS if b[0] == filters.budget)
        # A demand falls in a band when its range meets the band.
        if low is not None:
            rows = rows.filter(Q(budget_max__isnull=True) | Q(budget_max__gte=Decimal(low)))
            rows = rows.exclude(budget_min__isnull=True, budget_max__isnull=True)
        if high is not None:
            rows = rows.filter(Q(budget_min__isnull=True) | Q(budget_min__lt=Decimal(high)))
            rows = rows.exclude(budget_min__isnull=True, budget_max__isnull=True)
    return rows


def _facets(rows: QuerySet[Demand]) -> dict[str, list[tuple[str, int]]]:
    """Counts of the industry sections, ways of cooperation and countries of ``rows``."""
    industries: dict[str, int] = {}
    modes: dict[str, int] = {}
    countries: dict[str, int] = {}
    for industry, row_modes, country in rows.values_list("industry", "modes", "country")[:5000]:
        if industry:
            industries[industry[0]] = industries.get(industry[0], 0) + 1
        for mode in row_modes or []:
            modes[mode] = modes.get(mode, 0) + 1
        countries[country] = countries.get(country, 0) + 1
    return {
        "industry": sorted(industries.items()),
        "mode": [(m, modes[m]) for m in CooperationMode.values if m in modes],
        "country": sorted(countries.items(), key=lambda kv: (-kv[1], kv[0])),
    }


def search_demands(text: str, filters: HallFilters, page: int | str | None = 1) -> Hall:
    """The demand hall: open demands matching the words of ``text`` in their title or
    description and the ``filters``, newest first, one page; with the facets' counts over the
    matches. The one place the hall's text search lives."""
    rows = demands_open()
    for word in text.split()[:10]:
        # A word of the original or of any translation (M8.4: read in every language).
        translated = DemandTranslation.objects.filter(
            Q(title__icontains=word) | Q(description__icontains=word)
        ).values("demand_id")
        rows = rows.filter(
            Q(title__icontains=word) | Q(description__icontains=word) | Q(pk__in=translated)
        )
    facets = _facets(rows)
    rows = with_reading(_filtered(rows, filters).order_by("-published_at", "-id"))
    return Hall(parsing.page_of(rows, {"page": page}, per_page=PAGE_SIZE), facets)


def may_moderate(user: User) -> bool:
    return user.is_authenticated and (
        user.is_superuser or user_can(user, Capability.MODERATE_DEMANDS_ALL)
    )


def posting_organisations(user: User) -> QuerySet[Organisation]:
    """The enterprises for which ``user`` posts demands as one of their people."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return organisations_where(user, Capability.POST_DEMANDS)


def posting_partners(user: User) -> QuerySet[Organisation]:
    """M8.4: the partners abroad whose staff ``user`` is, posting demands for enterprises."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return organisations_where(user, Capability.POST_DEMANDS_FOR_REFERRED)


def posting_choices(user: User) -> list[tuple[Organisation, Organisation | None]]:
    """(enterprise, partner) for which ``user`` may post a demand: its own enterprises (no
    partner), then the enterprises each of its partners abroad represents (M8.4)."""
    from kttc.center.partners.selectors import enterprises_represented

    found: list[tuple[Organisation, Organisation | None]] = [
        (o, None) for o in posting_organisations(user)
    ]
    for partner in posting_partners(user):
        found += [(e, partner) for e in enterprises_represented(partner)]
    return found


def may_post(user: User) -> bool:
    return bool(posting_choices(user)) if user.is_authenticated else False


def answering_organisations(user: User) -> QuerySet[Organisation]:
    """The units and service institutions for which ``user`` answers demands."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return organisations_where(user, Capability.ANSWER_DEMANDS)


def is_owner(user: User, demand: Demand) -> bool:
    """The enterprise's people, and (M8.4) the staff of the partner abroad that posted it."""
    if not user.is_authenticated:
        return False
    if user_can(user, Capability.POST_DEMANDS, demand.organisation):
        return True
    return demand.posted_by_id is not None and user_can(
        user, Capability.POST_DEMANDS_FOR_REFERRED, demand.posted_by
    )


def demand_visible(user: User, pk: int) -> Demand | None:
    """The demand as ``user`` may see it: public once moderated; before that, or rejected, to
    its enterprise and the center's reviewers only (for the others it does not exist)."""
    demand = Demand.objects.select_related("organisation", "posted_by").filter(pk=pk).first()
    if demand is None:
        return None
    if demand.status in PUBLIC or is_owner(user, demand) or may_moderate(user):
        return demand
    return None


def moderation_queue() -> QuerySet[Demand]:
    return with_reading(
        Demand.objects.filter(status=DemandStatus.PENDING)
        .select_related("organisation", "posted_by")
        .order_by("created_at", "id")
    )


def demands_of(user: User) -> QuerySet[Demand]:
    """ "My demands": those of the enterprises ``user`` posts for, and (M8.4) those the
    partners abroad ``user`` works for posted for their enterprises, newest first."""
    return with_reading(
        Demand.objects.filter(
            Q(organisation__in=posting_organisations(user))
            | Q(posted_by__in=posting_partners(user))
        )
        .select_related("organisation", "posted_by")
        .order_by("-created_at", "-id")
    )


def answers_seen(user: User, demand: Demand) -> tuple[list[DemandAnswer], int]:
    """The answers ``user`` reads on the demand's page, and how many answers there are: the
    enterprise (and the center) read them all, an answering unit its own, others none."""
    rows = demand.answers.filter(withdrawn_at__isnull=True).select_related(
        "organisation", "achievement"
    )
    count = rows.count()
    if is_owner(user, demand) or may_moderate(user):
        return list(rows), count
    mine = answering_organisations(user)
    return list(rows.filter(organisation__in=mine)), count


def results_to_offer(organisation: Organisation) -> QuerySet[Achievement]:
    """The organisation's published public results, to answer a demand with."""
    return public_achievements().filter(unit=organisation).order_by("name")


def matching_results(demand: Demand, limit: int = 10) -> list[Found]:
    """The results that may meet ``demand``, with why (``kttc.center.matching``): kept for a
    published demand, refreshed when either side changes; searched now for one not published."""
    return matches_of(demand, limit)
