"""The signed report of an evaluation (M10.1, M14.1): its content frozen at the signature as
canonical JSON (keys sorted, no spaces, UTF-8), whose SHA-256 is recorded in the signature's
audit entry; and the report as a PDF in Chinese or English (or any language the platform has
fonts for) drawn from that frozen content only.

The PDF is drawn with ReportLab's ``invariant`` mode (no creation date, a fixed document id)
from the frozen content, so downloading a signed report gives the same bytes each time on one
installation (same fonts); what verifies against the audit chain is the content's hash, which
the PDF prints and which never changes."""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.utils import translation
from django.utils.translation import gettext
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle

from kttc.center.evaluation.models import DimensionScore, Evaluation
from kttc.core import fonts
from kttc.core.models import User
from kttc.policy import evaluation as rules


def canonical(data: Any) -> bytes:
    """The one serialisation whose hash is recorded: sorted keys, no spaces, UTF-8."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def content_hash(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def frozen_content(
    evaluation: Evaluation, scores: Sequence[DimensionScore], *, signer: User
) -> bytes:
    """M10.1: what the signed report says, in data (names as they were, numbers as text)."""
    by_dimension = {s.dimension: s for s in scores}
    dimensions = []
    for d in rules.Dimension:
        s = by_dimension[d.value]
        band = rules.RUBRIC[d].index(rules.band_of(d, s.score)) + 1
        dimensions.append({
            "dimension": d.value, "score": s.score, "band": band, "evidence": s.evidence,
            "details": s.details, "weight": evaluation.weights.get(d.value, ""),
        })  # fmt: skip
    assert evaluation.signed_at is not None and evaluation.evaluated_on is not None
    return canonical({
        "clauses": list(rules.SIGN_CLAUSES),
        "evaluation": evaluation.pk,
        "result": {"id": evaluation.result_id, "name": evaluation.result.name,
                   "unit": evaluation.result.unit.name},
        "requester": {"name": evaluation.requester.name, "as": evaluation.requester_kind},
        "institution": evaluation.institution.name,
        "evaluator": signer.full_name,
        "declared_interest": evaluation.declared_interest,
        "purpose": evaluation.purpose,
        "requested_on": evaluation.requested_on.isoformat(),
        "evaluated_on": evaluation.evaluated_on.isoformat(),
        "signed_at": evaluation.signed_at.isoformat(),
        "trl": evaluation.trl,
        "weights_version": evaluation.weights_version,
        "dimensions": dimensions,
        "total": str(evaluation.total),
        "summary": evaluation.summary,
    })  # fmt: skip


def parsed(content: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(content)
    return data


def requester_label(kind: str) -> str:
    from kttc.center.evaluation.choices import RequesterKind

    return str(dict(RequesterKind.choices).get(kind, kind))


def band_text(dimension: str, band: int) -> str:
    return gettext(rules.RUBRIC[rules.Dimension(dimension)][band - 1].description)


def dimension_title(dimension: str) -> str:
    return gettext(rules.DIMENSION_TITLES[rules.Dimension(dimension)])


def details_text(item: dict[str, Any]) -> str:
    details = item.get("details") or {}
    if item["dimension"] == rules.Dimension.READINESS and "trl" in details:
        level = int(details["trl"])
        return gettext("Level %(level)s: %(meaning)s") % {
            "level": level,
            "meaning": gettext(rules.TRL_LEVELS[level][0]),
        }
    if item["dimension"] == rules.Dimension.IP:
        return gettext(
            "Claims %(claims)s; family %(family)s; %(years)s years left; legal status: %(status)s"
        ) % {"claims": details.get("claims", 0), "family": details.get("family", 0),
             "years": details.get("remaining_years", 0),
             "status": details.get("legal_status") or "—"}  # fmt: skip
    if item["dimension"] == rules.Dimension.MARKET:
        return gettext("Size: %(size)s; competitors: %(competitors)s; route: %(route)s") % {
            "size": details.get("size") or "—", "competitors": details.get("competitors") or "—",
            "route": details.get("route") or "—",
        }  # fmt: skip
    return ""


def _grid(cells: list[list[Any]], widths: tuple[float, ...]) -> Table:
    table = Table(cells, colWidths=widths, repeatRows=0)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, "#9aa5b1"),
        ("BACKGROUND", (0, 0), (0, -1), "#eef1f4"),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))  # fmt: skip
    return table


def title() -> str:
    return gettext("Evaluation report (M10.1)")


def _rows(data: dict[str, Any]) -> list[tuple[str, str]]:
    interest = data["declared_interest"] or gettext("None declared")
    return [
        (gettext("Result"), data["result"]["name"]),
        (gettext("Unit"), data["result"]["unit"]),
        (
            gettext("Requester"),
            f"{data['requester']['name']} ({requester_label(data['requester']['as'])})",
        ),
        (gettext("Evaluation institution"), data["institution"]),
        (gettext("Evaluator"), data["evaluator"]),
        (gettext("Declared interest"), interest),
        (gettext("Purpose"), data["purpose"]),
        (gettext("Evaluated on"), data["evaluated_on"]),
        (gettext("Readiness level (GB/T 22900)"), str(data["trl"])),
        (gettext("Weights version"), data["weights_version"]),
        (gettext("Weighted total"), data["total"]),
    ]


def pdf(content: str, sha256: str, language: str) -> bytes:
    """M10.1: the signed report on A4 in ``language`` (drawn in English where the platform has
    no font for it), from the frozen content only."""
    data = parsed(content)
    with translation.override(fonts.pdf_language(language)):
        font = fonts.cjk_font()
        base = ParagraphStyle("kttc", fontName=font.name, fontSize=9, leading=13, wordWrap="CJK")
        heading = ParagraphStyle("kttc-title", parent=base, fontSize=15, leading=22, alignment=1)
        small = ParagraphStyle(
            "kttc-small", parent=base, fontSize=7.5, leading=10, textColor=HexColor("#4f5f6f")
        )
        p = fonts.paragraph
        summary = _grid([[p(k, base), p(v, base)] for k, v in _rows(data)], (50 * mm, 120 * mm))
        header = [p(gettext("Dimension"), base), p(gettext("Weight"), base),
                  p(gettext("Score"), base), p(gettext("Band and evidence"), base)]  # fmt: skip
        lines = [header]
        for item in data["dimensions"]:
            text = f"{band_text(item['dimension'], item['band'])}. {item['evidence']}"
            details = details_text(item)
            if details:
                text = f"{text} ({details})"
            weight = Decimal(item["weight"] or "0")
            lines.append([p(dimension_title(item["dimension"]), base),
                          p(f"{weight:.2f}", base), p(str(item["score"]), base),
                          p(text, base)])  # fmt: skip
        dims = _grid(lines, (38 * mm, 16 * mm, 14 * mm, 102 * mm))
        story = [p(title(), heading), Spacer(1, 5 * mm), summary, Spacer(1, 5 * mm), dims]
        if data.get("summary"):
            story += [Spacer(1, 4 * mm), p(gettext("Conclusion") + ": " + data["summary"], base)]
        story += [
            Spacer(1, 6 * mm),
            p(
                gettext("Signed by %(evaluator)s at %(time)s.")
                % {"evaluator": data["evaluator"], "time": data["signed_at"]},
                base,
            ),
            p(
                gettext(
                    "SHA-256 of the report's content, recorded in the audit chain (M14.1): %(hash)s"
                )
                % {"hash": sha256},
                small,
            ),
        ]
        buffer = io.BytesIO()
        SimpleDocTemplate(
            buffer, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=18 * mm,
            bottomMargin=18 * mm, title=title(), subject="M10.1",
            author=data["institution"], keywords=[fonts.not_embedded_note(font)], invariant=True,
        ).build(story)  # fmt: skip
    return buffer.getvalue()
