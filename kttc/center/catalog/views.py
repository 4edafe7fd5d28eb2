"""The public catalog (M8.2, M8.3): search with facets, detail in the reader's language,
export, the promotion list and major releases, a feed and a sitemap."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext
from django.views.decorators.http import require_POST

from kttc.center.catalog import exporting, selectors, services
from kttc.center.catalog.choices import SORTS
from kttc.center.catalog.models import PromotionEntry
from kttc.center.evaluation import selectors as evaluation_reads
from kttc.center.listings import selectors as listing_reads
from kttc.center.matching import selectors as matching
from kttc.center.search.base import SearchQuery
from kttc.core import parsing
from kttc.core.errors import translated_message
from kttc.core.pagecache import anonymous_page_cache
from kttc.core.selectors import user_can
from kttc.core.text import posted_text
from kttc.core.web import acting_user
from kttc.policy.errors import PolicyError
from kttc.policy.roles import Capability
from kttc.policy.text import printable
from kttc.registry.models import Achievement
from kttc.registry.selectors import public_achievements


def _language() -> str:
    return get_language() or "zh-hans"


def _can_curate(request: HttpRequest) -> bool:
    """Whether the person may curate the promotion list and releases (M8.2, M8.3)."""
    return request.user.is_authenticated and user_can(
        acting_user(request), Capability.CURATE_CATALOG_ALL
    )


def _page_number(request: HttpRequest) -> int:
    return parsing.page_number(request.GET.get("page"), selectors.PAGE_MAX)


@anonymous_page_cache  # may lag a few seconds for anonymous visitors (kttc.core.pagecache)
def catalog(request: HttpRequest) -> HttpResponse:
    page = _page_number(request)
    query = selectors.catalog_query(dict(request.GET.lists()), language=_language(), page=page)
    found = selectors.catalog_search(query)
    pages = max(1, -(-found.result.total // query.limit))
    params = request.GET.copy()
    params.pop("page", None)
    snippets = {h.id: h.snippets for h in found.result.hits}
    return render(
        request,
        "center/catalog.html",
        {
            "query": query,
            "found": found,
            "page": page,
            "pages": pages,
            "querystring": params.urlencode(),
            "sorts": SORTS,
            "rows": [(a, snippets.get(a.pk, {})) for a in found.achievements],
            "facets": _facet_forms(query, found.facets),
            "can_curate": _can_curate(request),
        },
    )


def _facet_forms(
    query: SearchQuery, facets: list[tuple[str, str, list[selectors.FacetValue]]]
) -> list[tuple[str, str, list[tuple[selectors.FacetValue, SafeString]]]]:
    """The facets that have values, each value with the hidden fields of its form: the search
    as it stands with that value added, or taken out when it is chosen. Built here once rather
    than by nested loops in the template, which a catalog page of a hundred values made its
    slowest part."""
    kept: list[tuple[str, str]] = []
    if query.text:
        kept.append(("q", query.text))
    kept.append(("sort", query.sort))
    if query.open_offer:
        kept.append(("open_offer", "1"))
    chosen = [(key, v) for key, values in query.filters.items() for v in values]
    shown = []
    for facet, title, values in facets:
        if not values:
            continue
        forms = []
        for fv in values:
            pairs = [(key, v) for key, v in chosen if not (key == facet and v == fv.value)]
            pairs += kept
            if not fv.selected:
                pairs.append((facet, fv.value))
            forms.append(
                (fv, format_html_join("", '<input type="hidden" name="{}" value="{}">', pairs))
            )
        shown.append((facet, title, forms))
    return shown


@anonymous_page_cache
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    achievement = selectors.public_achievement(pk, _language())
    if achievement is None:
        raise Http404
    reading = selectors.reading_of(achievement)
    offers = [(o, _apply_url(request, o.pk)) for o in selectors.open_offers_of(achievement)]
    return render(
        request,
        "center/detail.html",
        {
            "a": achievement,
            "reading": reading,
            "is_original": reading is None,
            "promoted": PromotionEntry.objects.filter(achievement=achievement).exists(),
            "can_curate": _can_curate(request),
            "offers": offers,
            "open_licensing": selectors.on_open_licensing_list(achievement),
            "listing": listing_reads.live_listing_of(achievement.pk),
            "may_list": request.user.is_authenticated
            and listing_reads.may_manage_unit(acting_user(request), achievement.unit),
            "demands": matching.demands_for(achievement),
            "similar": matching.similar_results(achievement),
            "evaluations": evaluation_reads.public_of(achievement),
        },
    )


def _apply_url(request: HttpRequest, offer_pk: int) -> str:
    """Where "apply for a licence" leads: the offer's page in the licence pages (M3.1), through
    the sign-in page for a visitor who is not signed in."""
    target = reverse("licences:offer", args=[offer_pk])
    if request.user.is_authenticated:
        return target
    return f"{reverse('login')}?{urlencode({'next': target})}"


def export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The current results (the same URL parameters), up to the export limit."""
    query = selectors.catalog_query(
        dict(request.GET.lists()),
        language=_language(),
        limit=selectors.EXPORT_LIMIT,
        with_facets=False,
    )
    found = selectors.catalog_search(query)
    base = request.build_absolute_uri("/").rstrip("/")
    if fmt == "xlsx":
        body = exporting.to_xlsx(found.achievements, language=_language(), base_url=base)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        body = exporting.to_csv(found.achievements, language=_language(), base_url=base)
        content_type = "text/csv; charset=utf-8"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="kttc-achievements.{fmt}"'
    return response


def promoted(request: HttpRequest) -> HttpResponse:
    """M8.3: the promotion list."""
    return render(request, "center/promoted.html", {"entries": selectors.promotion_list()})


def releases(request: HttpRequest) -> HttpResponse:
    return render(request, "center/releases.html", {"releases": selectors.major_releases()})


def release_detail(request: HttpRequest, pk: int) -> HttpResponse:
    release = get_object_or_404(selectors.major_releases(), pk=pk)
    return render(
        request,
        "center/release_detail.html",
        {"release": release, "achievements": selectors.release_achievements(release)},
    )


@login_required
@require_POST
def promote(request: HttpRequest, pk: int) -> HttpResponse:
    achievement = get_object_or_404(public_achievements(), pk=pk)
    try:
        if request.POST.get("remove"):
            entry = get_object_or_404(PromotionEntry, achievement=achievement)
            services.promotion_remove(actor=acting_user(request), entry=entry)
            messages.success(request, gettext("Removed from the promotion list."))
        else:
            services.promotion_add(
                actor=acting_user(request),
                achievement=achievement,
                note=posted_text(request.POST, "note", label=gettext("Note")),
            )
            messages.success(request, gettext("Added to the promotion list (M8.3)."))
    except PolicyError as exc:
        messages.error(request, translated_message(exc))
    return redirect("catalog:detail", pk=pk)


class LatestFeed(Feed):
    """Newly published public results (RSS)."""

    def title(self) -> str:
        return gettext("KTTC: newly published achievements")

    def link(self) -> str:
        return reverse("catalog:list")

    def description(self) -> str:
        return gettext(
            "Results of research published on the Kunming (International) "
            "Technology Transfer Center."
        )

    def items(self) -> list[Achievement]:
        return list(public_achievements().select_related("unit").order_by("-published_at")[:50])

    # XML cannot hold control characters: one text stored before they were refused must not
    # make the feed fail for everyone.
    def item_title(self, item: Achievement) -> str:
        return printable(item.name)

    def item_description(self, item: Achievement) -> str:
        return printable(item.abstract[:300])

    def item_link(self, item: Achievement) -> str:
        return reverse("catalog:detail", args=[item.pk])

    def item_pubdate(self, item: Achievement) -> datetime | None:
        return item.published_at
