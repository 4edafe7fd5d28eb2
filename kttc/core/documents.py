"""Documents a decision rests on, kept by their SHA-256 (M14.1).

Every part that takes uploads (certification materials, pre-examination filings, IP case
evidence, the joint meeting's evidence, …) checks them the same way: a name and content, at most
:data:`MAX_DOCUMENT_BYTES` each and :data:`MAX_DOCUMENTS` per step, titled; and keeps each
content once under MEDIA_ROOT, named by its hash, in a row deriving from
:class:`kttc.core.models.KeptDocument`. Only the name and hash enter the audit chain."""

from __future__ import annotations

import base64
import binascii
import posixpath
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from kttc.core.services import Document
from kttc.policy.errors import refuse
from kttc.policy.evidence import document_hash
from kttc.policy.i18n import gettext_noop
from kttc.policy.text import check_text

#: The largest document the platform keeps (a plan with drawings fits comfortably).
MAX_DOCUMENT_BYTES = 20 * 2**20
#: The most documents one step takes.
MAX_DOCUMENTS = 20

_Row = TypeVar("_Row")


@dataclass(frozen=True)
class Attachment:
    """A document of a step: its title and the file."""

    title: str
    document: Document


def from_base64(file_name: str, content_base64: str, *, field: str) -> Document:
    """A document an API client sent in base64, or a refusal naming ``field``."""
    try:
        content = base64.b64decode(content_base64, validate=True)
    except (binascii.Error, ValueError):
        raise refuse(
            gettext_noop("The content of %(name)s is not valid base64."),
            "document.base64",
            field,
            name=file_name,
        ) from None
    return Document(file_name, content)


def check_document(document: Document, *, field: str) -> Document:
    """A document has a name and content and is not larger than the platform keeps; its name
    loses any folder a browser sent with it."""
    name = posixpath.basename(document.name.replace("\\", "/")).strip()
    if not name or not document.content:
        raise refuse(
            gettext_noop("Attach the document; it is empty or has no name."),
            "document.empty",
            field,
        )
    if len(document.content) > MAX_DOCUMENT_BYTES:
        raise refuse(
            gettext_noop("A document can be at most %(mb)s MB."),
            "document.too_large",
            field,
            mb=MAX_DOCUMENT_BYTES // 2**20,
        )
    return Document(name[:255], document.content)


def check_attachments(
    attachments: Sequence[Attachment],
    *,
    field: str,
    clauses: tuple[str, ...],
    too_many_code: str,
    too_many: str = gettext_noop("At most %(count)s documents."),
) -> list[Attachment]:
    """At most :data:`MAX_DOCUMENTS`, each checked by :func:`check_document` and titled (its
    file name when the title is blank); refusals name ``field`` and ``clauses``."""
    if len(attachments) > MAX_DOCUMENTS:
        raise refuse(too_many, too_many_code, field, clauses, count=MAX_DOCUMENTS)
    checked = []
    for attachment in attachments:
        document = check_document(attachment.document, field=field)
        title = check_text(attachment.title, field=field).strip() or document.name
        checked.append(Attachment(title[:200], document))
    return checked


def store(content: bytes, folder: str) -> tuple[str, str]:
    """Keep ``content`` under MEDIA_ROOT in ``folder``, named by its SHA-256 (the same content
    is kept once); returns its hash and its storage name."""
    digest = document_hash(content)
    name = f"{folder}/{digest[:2]}/{digest}"
    if not default_storage.exists(name):
        name = default_storage.save(name, ContentFile(content))
    return digest, name


def keep(
    model: type[_Row], attachment: Attachment, *, folder: str, actor: Any, **owner: Any
) -> _Row:
    """Store the attachment's file and write its ``model`` row (a :class:`KeptDocument`),
    ``owner`` naming the object it belongs to (``case=…``, ``request=…``)."""
    content = attachment.document.content
    digest, name = store(content, folder)
    return model._default_manager.create(  # type: ignore[attr-defined]
        title=attachment.title[:200], file_name=attachment.document.name, sha256=digest,
        size=len(content), file=name, uploaded_by=actor, **owner,
    )  # fmt: skip
