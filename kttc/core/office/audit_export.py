"""M14.1: the audit record as a spreadsheet (xlsx or csv) a third party can check.

Each row carries the entry's hash and the previous entry's hash, so that whoever receives the file
can recompute the links; every text goes through the one guard against formulas
(``kttc.core.spreadsheets``). The file holds at most ``EXPORT_MAX`` entries, the newest first.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.utils.translation import gettext
from openpyxl import Workbook

from kttc.core.models import AuditEntry
from kttc.core.spreadsheets import csv_row, xlsx_row
from kttc.policy.calendar import SHANGHAI

#: The most entries one file holds (the page says so); a longer record is narrowed by filters.
EXPORT_MAX = 100_000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def headers() -> list[str]:
    return [
        "#",
        gettext("Time"),
        gettext("Actor"),
        gettext("Organisation"),
        gettext("Action"),
        gettext("Action code"),
        gettext("Object type"),
        gettext("Object id"),
        gettext("Object"),
        gettext("Clauses"),
        gettext("Policy version"),
        gettext("Hash"),
        gettext("Previous hash"),
    ]


def rows(entries: QuerySet[AuditEntry]) -> Iterator[list[Any]]:
    for e in entries.order_by("-seq")[:EXPORT_MAX].iterator(chunk_size=2000):
        yield [
            e.seq,
            e.created_at.astimezone(SHANGHAI).isoformat(),  # ISO 8601 with its offset
            e.actor_label,
            e.organisation_label,
            e.action_label,
            e.action,
            e.object_type,
            e.object_id,
            e.object_repr,
            " ".join(e.clauses or []),
            e.policy_version,
            e.hash,
            e.previous_hash,
        ]


def response(entries: QuerySet[AuditEntry], kind: str) -> HttpResponse:
    if kind == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(csv_row(headers()))
        for row in rows(entries):
            writer.writerow(csv_row(row))
        answer = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    elif kind == "xlsx":
        book = Workbook(write_only=True)
        sheet = book.create_sheet(gettext("Audit record"))
        sheet.append(xlsx_row(sheet, headers()))
        for row in rows(entries):
            sheet.append(xlsx_row(sheet, row))
        out = io.BytesIO()
        book.save(out)
        answer = HttpResponse(out.getvalue(), content_type=XLSX)
    else:
        raise Http404
    answer["Content-Disposition"] = f'attachment; filename="audit-record.{kind}"'
    return answer
