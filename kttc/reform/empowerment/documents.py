"""The documents of the empowerment reform: uploaded files stored under MEDIA_ROOT by their
SHA-256, and the texts of record the platform writes itself (the notice, M1.5, and the written
agreement, M1.6), always in Chinese, the language of the measures, so that their hash is one."""

from __future__ import annotations

import posixpath
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import translation

from kttc.core.services import Document
from kttc.policy.errors import PolicyError
from kttc.policy.evidence import document_hash
from kttc.policy.i18n import gettext_noop
from kttc.reform.empowerment import choices

#: The largest document the platform keeps (a plan with drawings fits comfortably).
MAX_DOCUMENT_BYTES = 20 * 2**20
#: The language of the texts of record.
RECORD_LANGUAGE = "zh-hans"
FOLDER = "empowerment"


def check_document(document: Document, *, field: str) -> Document:
    """A document has a name and content, and is not larger than the platform keeps."""
    name = posixpath.basename(document.name.replace("\\", "/")).strip()
    if not name or not document.content:
        raise PolicyError(
            gettext_noop("Attach the document; it is empty or has no name."),
            code="document.empty",
            field=field,
        )
    if len(document.content) > MAX_DOCUMENT_BYTES:
        raise PolicyError(
            gettext_noop("A document can be at most %(mb)s MB."),
            code="document.too_large",
            field=field,
            params={"mb": MAX_DOCUMENT_BYTES // 2**20},
        )
    return Document(name[:255], document.content)


def store_file(document: Document) -> tuple[str, str]:
    """Keep the file under MEDIA_ROOT, named by its SHA-256 (the same content is kept once);
    returns its storage name and its hash."""
    digest = document_hash(document.content)
    name = f"{FOLDER}/{digest[:2]}/{digest}"
    if not default_storage.exists(name):
        name = default_storage.save(name, ContentFile(document.content))
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
