"""Writes of evidence packs (M14.1): drawing a pack records a checkpoint first where none covers
the decision yet, and is itself recorded in the audit chain, after the pack's checkpoint, so
that the pack's content does not change with it."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from kttc.core import integrity
from kttc.core.models import AuditCheckpoint, AuditEntry, Organisation, User
from kttc.core.selectors import active_memberships
from kttc.core.services import audit_record, decision
from kttc.oversight.evidence import pack, selectors
from kttc.policy import roles as policy_roles
from kttc.policy.evidence_pack import sha256_hex

ACTION = "evidence.pack_drawn"


def checkpoint_for(entry: AuditEntry) -> AuditCheckpoint:
    """The first checkpoint at or after the decision's entry; recorded now (the chain's head,
    signed, listed publicly) where none covers it yet (M14.1)."""
    found = selectors.covering_checkpoint(entry)
    if found is None:
        try:
            with transaction.atomic():
                integrity.checkpoint_record()
        except IntegrityError:  # another drawing recorded the same head at the same moment
            pass
        found = selectors.covering_checkpoint(entry)
    assert found is not None  # the head is at or after the entry
    return found


def _drawer_organisation(actor: User | None, entry: AuditEntry) -> Organisation | None:
    """The organisation for which ``actor`` draws: the decision's own where ``actor`` reads the
    audit record for it, else the first whose record ``actor`` reads (the bureau, auditors)."""
    if actor is None:
        return None
    readers = [
        m.organisation
        for m in active_memberships(actor)
        if policy_roles.role_can(policy_roles.Role(m.role), policy_roles.Capability.VIEW_AUDIT)
    ]
    own = [o for o in readers if o.pk == entry.organisation_id]
    return next(iter(own or readers), None)


@decision
def _record_drawing(
    actor: User | None,
    entry: AuditEntry,
    checkpoint: AuditCheckpoint,
    kind: str,
    digest: str,
    lang: str,
) -> None:
    audit_record(
        actor=actor,
        organisation=_drawer_organisation(actor, entry),
        action=ACTION,
        obj=entry,
        after={
            "decision_seq": entry.seq,
            "checkpoint_seq": checkpoint.seq,
            "file": kind,
            "sha256": digest,
            "language": lang,
        },
        clauses=["M14.1"],
    )


def pack_draw(*, actor: User | None, entry: AuditEntry, language: str) -> pack.DrawnPack:
    """M14.1: the evidence pack of ``entry`` as a zip; the drawing recorded with its SHA-256.
    The caller has checked that ``actor`` may draw it (:func:`selectors.entry_for`)."""
    checkpoint = checkpoint_for(entry)
    drawn = pack.draw(selectors.pack_content(entry, checkpoint), language)
    _record_drawing(actor, entry, checkpoint, "zip", drawn.sha256, drawn.language)
    return drawn


def pack_pdf(*, actor: User, entry: AuditEntry, language: str) -> bytes:
    """M14.1: the evidence pack's summary as a PDF, naming the SHA-256 of the pack's zip in the
    same language; the drawing recorded with the PDF's SHA-256."""
    checkpoint = checkpoint_for(entry)
    content = selectors.pack_content(entry, checkpoint)
    drawn = pack.draw(content, language)
    document = pack.pdf(content, drawn.language, zip_sha256=drawn.sha256)
    _record_drawing(actor, entry, checkpoint, "pdf", sha256_hex(document), drawn.language)
    return document
