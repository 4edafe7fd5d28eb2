"""Results exported in the import template's own format (M8.6): the sheet 科技成果 with the same
Chinese headers and cell formats (fixed values by their Chinese labels, lists separated by ；,
units as unit:share, completers as name(unit):share, IP rights as kind|number|status|date|title),
so that a unit can export its results, correct them in a spreadsheet and import the file again
(rows are matched by the unit's reference, else by name). Cells that look like formulas are
written as text (:func:`kttc.core.spreadsheets.xlsx_cell`)."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Iterator
from typing import Any, cast

from django.db.models import Prefetch
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from kttc.core.spreadsheets import xlsx_row
from kttc.registry.achievements.models import Achievement
from kttc.registry.importing.columns import (
    ATTRIBUTES,
    COLUMNS,
    DATA_SHEET,
    IP_KINDS,
    IP_STATUSES,
    LEVELS,
    MODES,
    SECRECY,
    TYPES,
    YES_NO,
    Choices,
)

#: How many results are read from the database at a time.
CHUNK = 500


def _label(choices: Choices, code: str) -> str:
    names = choices.labels.get(code)
    return names[0] if names else code


def _share(value: Any) -> str:
    return f"{value.normalize():f}"


def export_cells(achievement: Achievement) -> dict[str, Any]:
    """The row of one result, by column key, as the import reads it back."""
    a = achievement
    english = next((t for t in a.translations.all() if t.language == "en"), None)
    units = "；".join(f"{u.name}:{_share(u.share)}" for u in a.completing_units.all())
    completers = "；".join(
        f"{p.name}({p.unit_name}):{_share(p.share)}"
        if p.unit_name
        else f"{p.name}:{_share(p.share)}"
        for p in a.completers.all()
    )
    rights = "；".join(
        "|".join(
            [
                _label(IP_KINDS, r.kind),
                r.number,
                _label(IP_STATUSES, r.status),
                r.grant_date.isoformat() if r.grant_date else "",
                r.title,
            ]
        )
        for r in a.ip_rights.all()
    )
    return {
        "external_ref": a.external_ref,
        "name": a.name,
        "achievement_type": _label(TYPES, a.achievement_type),
        "attribute": _label(ATTRIBUTES, a.attribute),
        "keywords": "；".join(a.keywords),
        "abstract": a.abstract,
        "discipline_code": a.discipline_code,
        "industry_code": a.industry_code,
        "trl": a.trl,
        "evaluation_level": _label(LEVELS, a.evaluation_level),
        "formation_date": a.formation_date.isoformat(),
        "project_number": a.source_project.project_number if a.source_project else "",
        "confidentiality": _label(SECRECY, a.confidentiality),
        "national_interest": _label(YES_NO, "yes" if a.national_interest else "no"),
        "transformation_modes": "；".join(_label(MODES, m) for m in a.transformation_modes),
        "use_first_pay_later": _label(YES_NO, "yes" if a.use_first_pay_later else "no"),
        "asking_terms": a.asking_terms,
        "advantage": a.advantage,
        "target_market": a.target_market,
        "route_to_market": a.route_to_market,
        "units": units,
        "completers": completers,
        "ip_rights": rights,
        "name_en": english.name if english else "",
        "abstract_en": english.abstract if english else "",
        "keywords_en": "；".join(english.keywords) if english else "",
    }


def _results(ids: list[int]) -> Iterator[Achievement]:
    """The results in the order of ``ids``, read a chunk at a time with their children."""
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        found = Achievement.objects.select_related("source_project").prefetch_related(
            "completing_units",
            "completers",
            "ip_rights",
            Prefetch("translations"),
        ).in_bulk(chunk)
        yield from (found[pk] for pk in chunk if pk in found)


def export_xlsx(ids: Iterable[int], progress: Callable[[int], None] | None = None) -> bytes:
    """The results as an import file (xlsx): a row each, in the order given."""
    book = Workbook(write_only=True)
    sheet = cast(Worksheet, book.create_sheet(DATA_SHEET))
    sheet.append(xlsx_row(sheet, [c.header for c in COLUMNS]))
    for count, achievement in enumerate(_results(list(ids)), start=1):
        cells = export_cells(achievement)
        sheet.append(xlsx_row(sheet, [cells[c.key] for c in COLUMNS]))
        if progress is not None:
            progress(count)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


__all__ = ["export_cells", "export_xlsx"]
