"""The documents of the empowerment reform: uploaded files stored under MEDIA_ROOT by their
SHA-256, and the texts of record the platform writes itself (the notice, M1.5, and the written
agreement, M1.6), always in Chinese, the language of the measures, so that their hash is one."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

from kttc.core.documents import store
from kttc.core.services import Document
from kttc.reform.empowerment import choices

#: The language of the texts of record.
RECORD_LANGUAGE = "zh-hans"
FOLDER = "empowerment"


def store_file(document: Document) -> tuple[str, str]:
    """Keep the file under MEDIA_ROOT, named by its SHA-256 (the same content is kept once);
    returns its storage name and its hash."""
    digest, name = store(document.content, FOLDER)
    return name, digest


def percent(share: Decimal) -> str:
    """0.7000 -> "70", 0.755 -> "75.5": a ratio as a plain percentage."""
    return format((share * 100).normalize(), "f")


def _context(application: Any) -> dict[str, Any]:
    """The names a text about ``application`` shows, in the active language."""
    english = translation.get_language() == "en"
    unit = application.unit
    separator = ", " if english else "、"
    return {
        "application": application,
        "unit_name": unit.name_en if english and unit.name_en else unit.name,
        "team": separator.join(application.team),
        "partners": separator.join(application.partners),
        "right": str(choices.Right(application.right).label),
    }


def render_text(
    template: str, application: Any, *, language: str = RECORD_LANGUAGE, **extra: Any
) -> str:
    """A text about ``application`` (the notice, the agreement), in ``language``: Chinese, the
    language of record, unless a reader asks for another."""
    with translation.override(language):
        return render_to_string(template, {**_context(application), **extra}).strip() + "\n"


def as_document(name: str, text: str) -> Document:
    return Document(name, text.encode("utf-8"))

