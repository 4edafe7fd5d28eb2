"""The public transaction page (M8.5)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode

from kttc.center.transactions import selectors as reads
from kttc.core import parsing
from kttc.core.models import Organisation
from kttc.reform.licensing.forms import DISCLOSABLE_LABELS
from kttc.registry.selectors import with_readings


def transactions(request: HttpRequest) -> HttpResponse:
    """M8.5: the public transaction page: each concluded licence, transfer or licence contract
    of a public result, with the terms the parties agreed to publish."""
    unit_id = parsing.optional_id(request.GET, "unit")  # a malformed one filters nothing
    country = reads.country_filter(request.GET.get("country", ""))
    page = parsing.page_of(reads.transactions_rows(unit_id, country), request.GET)
    rows = reads.transactions_of(list(page.object_list))
    with_readings([row.item for row in rows], attr="achievement")
    kept = {k: v for k, v in (("unit", unit_id), ("country", country)) if v}
    return render(
        request,
        "center/transactions.html",
        {
            "page": page,
            "rows": rows,
            "labels": DISCLOSABLE_LABELS,
            "querystring": urlencode(kept),
            "unit": Organisation.objects.filter(pk=unit_id).first() if unit_id else None,
            "country": country,
            "abroad": reads.cross_border_by_country(),
        },
    )
