"""A researcher's own page (M1, M3, M5): the results she completed with their state, the rights
granted on them, the licences and contracts of them, and each distribution line paid to her with
its statement. It sits in the benefits part, the first that may read all of them."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kttc.benefits.contracts.models import TechnologyContract
from kttc.benefits.contracts.selectors import lines_of_person
from kttc.core.web import acting_user
from kttc.reform.empowerment.models import EmpowermentGrant
from kttc.reform.empowerment.selectors import results_to_apply_from
from kttc.reform.licensing.models import Licence

#: The most rows of each list on the page (the newest).
MINE_ROWS = 200


@login_required
def my_results(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    results = list(results_to_apply_from(user)[:MINE_ROWS])
    ids = [a.pk for a in results]
    return render(
        request,
        "benefits/mine.html",
        {
            "results": results,
            "grants": EmpowermentGrant.objects.filter(achievement_id__in=ids)
            .select_related("achievement")
            .order_by("-starts_on", "-id")[:MINE_ROWS],
            "licences": Licence.objects.filter(achievement_id__in=ids)
            .select_related("achievement", "licensee")
            .order_by("-concluded_at", "-id")[:MINE_ROWS],
            "contracts": TechnologyContract.objects.filter(achievement_id__in=ids)
            .select_related("achievement")
            .order_by("-signed_on", "-id")[:MINE_ROWS],
            "lines": lines_of_person(user)
            .select_related("distribution__contract")
            .order_by("-distribution__decided_at", "-id")[:MINE_ROWS],
        },
    )
