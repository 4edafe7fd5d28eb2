"""Reads of evidence packs (M14.1): which decisions a person may draw a pack of, and what a pack
of a decision holds: its entry and the entries it rests on, the clauses with their text, the
policy version in force, the documents, the evidence rows, the chain proof to a checkpoint."""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import Q, QuerySet

from kttc.core import integrity
from kttc.core.models import AuditCheckpoint, AuditEntry, PolicyVersion, User
from kttc.core.selectors import audit_entries_visible_to, audit_fields, hashed_time
from kttc.core.selectors import policy_version_records as stored_versions
from kttc.policy import evidence_pack as rules
from kttc.policy.clauses import CLAUSES
from kttc.policy.evidence import canonical_bytes
from kttc.policy.params import SPEC_BY_KEY

logger = logging.getLogger(__name__)

#: Objects no decision rests on as such (organisations and people: their own entries are many
#: and of other matters); a pack names them through its entries' actors and organisations.
_OUTSIDE = frozenset({"core"})
#: Objects many others refer to (a result, a project): their own entries are read, not those of
#: every object that refers to them.
_HUBS = frozenset({"registry.achievement", "registry.project"})
#: The objects that refer to one object read, at most (their entries before the decision).
_REFERRERS = 50
#: A document file larger than this is named with its hash but not copied into the pack.
MAX_DOCUMENT_BYTES = 50 * 1024 * 1024


def entries_packable_by(user: User) -> QuerySet[AuditEntry]:
    """M14.1: the decisions ``user`` may draw a pack of: the entries of its own organisation for
    a unit's office, every entry for the bureau and auditors (as the audit page reads them)."""
    return audit_entries_visible_to(user)


def entry_for(user: User, seq: int) -> AuditEntry | None:
    """The decision of entry ``seq`` if ``user`` may draw its pack, else None (a 404)."""
    return entries_packable_by(user).select_related("organisation").filter(seq=seq).first()


def first_entry_of(
    user: User, object_type: str, object_id: str, action: str = ""
) -> AuditEntry | None:
    """The first entry about an object (the decision that made it, or the first of ``action``:
    an application's grant) among those ``user`` may draw a pack of."""
    entries = entries_packable_by(user).filter(object_type=object_type, object_id=object_id)
    if action:
        entries = entries.filter(action=action)
    return entries.order_by("seq").first()


def decisions_on(entry: AuditEntry, user: User) -> QuerySet[AuditEntry]:
    """The other decisions on the same object ``user`` may draw a pack of, in order."""
    return (
        entries_packable_by(user)
        .filter(object_type=entry.object_type, object_id=entry.object_id)
        .exclude(seq=entry.seq)
        .order_by("seq")[:50]
    )


# --- what a decision rests on ------------------------------------------------------------------


def _model(label: str) -> type[models.Model] | None:
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def _key(obj: models.Model) -> tuple[str, str]:
    return obj._meta.label_lower, str(obj.pk)


def _forward(obj: models.Model) -> list[models.Model]:
    """The objects ``obj`` refers to by its foreign keys (outside the core's)."""
    found = []
    for f in obj._meta.concrete_fields:
        target = f.related_model if f.is_relation else None
        if not isinstance(target, type) or target._meta.app_label in _OUTSIDE:
            continue
        pk = getattr(obj, f.attname)
        if pk is None:
            continue
        row = target._base_manager.filter(pk=pk).first()
        if row is not None:
            found.append(row)
    return found


def _referrers(obj: models.Model) -> set[tuple[str, str]]:
    """The objects that refer to ``obj`` (a licence's reports, an application's notice and
    agreement), at most :data:`_REFERRERS` of each kind."""
    found: set[tuple[str, str]] = set()
    for rel in obj._meta.related_objects:
        model = rel.related_model
        if rel.many_to_many or not isinstance(model, type) or model._meta.app_label in _OUTSIDE:
            continue
        ids = model._base_manager.filter(**{rel.field.name: obj.pk}).values_list("pk", flat=True)
        found |= {(model._meta.label_lower, str(pk)) for pk in ids[:_REFERRERS]}
    return found


def objects_referenced(entry: AuditEntry) -> set[tuple[str, str]]:
    """The decision's object and those it rests on: what it refers to (and what those refer to),
    and what refers to it or to its direct references (the notice and agreement of an
    application, the offer and application of a licence), results and projects excepted."""
    found = {(entry.object_type, entry.object_id)}
    model = _model(entry.object_type)
    if model is None or model._meta.app_label in _OUTSIDE:
        return found
    obj = model._base_manager.filter(pk=entry.object_id).first()
    if obj is None:
        return found
    first = _forward(obj)
    second = [o for parent in first for o in _forward(parent)]
    found |= {_key(o) for o in (*first, *second)}
    for o in (obj, *first):
        if o._meta.label_lower not in _HUBS:
            found |= _referrers(o)
    return found


def basis_entries(entry: AuditEntry) -> tuple[list[AuditEntry], bool]:
    """The entries the decision rests on, before it, in order; and whether some were left out
    (more than a pack carries)."""
    objects = objects_referenced(entry)
    query = Q()
    for kind in {k for k, _pk in objects}:
        query |= Q(object_type=kind, object_id__in=[pk for k, pk in objects if k == kind])
    candidates = AuditEntry.objects.filter(query, seq__lt=entry.seq).values_list(
        "seq", "object_type", "object_id"
    )
    seqs, cut = rules.basis_of(entry.seq, candidates, objects)
    return list(AuditEntry.objects.filter(seq__in=seqs).order_by("seq")), cut


# --- the chain proof ---------------------------------------------------------------------------


def covering_checkpoint(entry: AuditEntry) -> AuditCheckpoint | None:
    """The first checkpoint of the chain's head at or after the decision's entry."""
    return AuditCheckpoint.objects.filter(seq__gte=entry.seq).order_by("seq").first()


def chain_runs(
    entry: AuditEntry, basis: list[AuditEntry], checkpoint: AuditCheckpoint
) -> tuple[list[AuditEntry], list[AuditCheckpoint]]:
    """The entries of the chain proof: from the decision's entry to ``checkpoint``, and from each
    entry it rests on to the first checkpoint at or after it (runs merged), in order; and the
    checkpoints ending the runs before the decision's."""
    first = min([e.seq for e in basis] or [entry.seq])
    checkpoints = {
        c.seq: c for c in AuditCheckpoint.objects.filter(seq__gte=first, seq__lte=checkpoint.seq)
    }
    runs = rules.proof_runs([e.seq for e in basis], checkpoints, (entry.seq, checkpoint.seq))
    query = Q()
    for start, end in runs:
        query |= Q(seq__gte=start, seq__lte=end)
    entries = list(AuditEntry.objects.filter(query).order_by("seq"))
    anchors = [checkpoints[end] for _start, end in runs if end != checkpoint.seq]
    return entries, anchors


def pack_entry(entry: AuditEntry, part: str) -> rules.PackEntry:
    return rules.PackEntry(
        seq=entry.seq,
        previous_hash=entry.previous_hash,
        hash=entry.hash,
        part=part,
        canonical=canonical_bytes(audit_fields(entry)).decode("utf-8"),
    )


def checkpoint_row(checkpoint: AuditCheckpoint) -> dict[str, object]:
    """A checkpoint as /audit/checkpoints/ lists and exports it."""
    return {
        "seq": checkpoint.seq,
        "hash": checkpoint.hash,
        "time": hashed_time(checkpoint.created_at),
        "key_id": checkpoint.key_id,
        "signature": checkpoint.signature,
    }


# --- clauses, policy version, documents, evidence rows -----------------------------------------


@functools.cache
def _measures_text() -> dict[str, str]:
    path = Path(settings.BASE_DIR) / "docs" / "policy" / "MEASURES.md"
    try:
        return rules.clause_texts(path.read_text(encoding="utf-8"))
    except OSError:
        logger.warning("The measures' digest %s cannot be read; clauses carry their titles.", path)
        return {}


@functools.cache
def _measures_text_zh() -> dict[str, str]:
    path = Path(settings.BASE_DIR) / "docs" / "policy" / "measures.zh.txt"
    try:
        return rules.measure_texts_zh(path.read_text(encoding="utf-8"))
    except OSError:
        logger.warning("The measures' Chinese text %s cannot be read.", path)
        return {}


def clause_rows(cited: dict[str, list[int]]) -> list[dict[str, object]]:
    """Each clause the entries cite: its id, title, text (the measures' digest as the platform
    knows it), the authoritative Chinese text of its measure, and the entries citing it."""
    texts = _measures_text()
    texts_zh = _measures_text_zh()
    order = list(CLAUSES)
    return [
        {
            "id": clause,
            "title": CLAUSES.get(clause, ""),
            "text": texts.get(clause, CLAUSES.get(clause, "")),
            "measure": rules.measure_of(clause),
            "measure_text_zh": texts_zh.get(rules.measure_of(clause), ""),
            "entries": seqs,
        }
        for clause, seqs in sorted(
            cited.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order)
        )
    ]


def policy_version_data(code: str) -> dict[str, object] | None:
    """The policy version of ``code`` with its period in force and every parameter's value."""
    stored = PolicyVersion.objects.filter(code=code).first()
    if stored is None:
        return None
    period = {v.code: (v.effective_from, v.effective_until) for v in stored_versions()}
    start, until = period.get(code, (stored.effective_from, stored.effective_until))
    values = stored.values if isinstance(stored.values, dict) else {}
    return {
        "code": stored.code,
        "title": stored.title,
        "source": stored.source,
        "effective_from": start.isoformat(),
        "effective_until": until.isoformat() if until else None,
        "parameters": [
            {
                "key": key,
                "value": str(value),
                "kind": SPEC_BY_KEY[key].kind if key in SPEC_BY_KEY else "",
                "clauses": list(SPEC_BY_KEY[key].clauses) if key in SPEC_BY_KEY else [],
                "title": SPEC_BY_KEY[key].title if key in SPEC_BY_KEY else "",
            }
            for key, value in sorted(values.items())
        ],
    }


def _document_sources() -> list[tuple[type[models.Model], str, str]]:
    """Where the platform keeps documents' bytes: (model, hash field, content field) of each
    model with a file and its SHA-256, or a text and the SHA-256 of its UTF-8."""
    found = []
    for model in apps.get_models():
        names = {f.name: f for f in model._meta.concrete_fields}
        if "sha256" in names and isinstance(names.get("file"), models.FileField):
            found.append((model, "sha256", "file"))
        if "text_sha256" in names and isinstance(names.get("text"), models.TextField):
            found.append((model, "text_sha256", "text"))
    return found


def document_contents(hashes: set[str]) -> dict[str, bytes]:
    """The bytes the platform keeps of the documents of ``hashes``, each checked against its
    hash (a file missing, too large or different is left out)."""
    found: dict[str, bytes] = {}
    for model, hash_field, content_field in _document_sources():
        wanted = hashes - set(found)
        if not wanted:
            break
        for row in model._base_manager.filter(**{f"{hash_field}__in": wanted}):
            content = _content(getattr(row, content_field))
            if content is not None and rules.sha256_hex(content) in wanted:
                found[rules.sha256_hex(content)] = content
    return found


def _content(value: Any) -> bytes | None:
    if isinstance(value, str):
        return value.encode("utf-8")
    try:
        if not value or value.size > MAX_DOCUMENT_BYTES:
            return None
        with value.open("rb") as handle:
            return bytes(handle.read())
    except (OSError, ValueError):
        return None


def evidence_contents(recorded: dict[tuple[str, str], str]) -> dict[tuple[str, str], bytes]:
    """The evidence rows the entries recorded, each in the form its hash covers (the model and
    every stored column), where the row still matches its hash."""
    found: dict[tuple[str, str], bytes] = {}
    for (label, pk), digest in recorded.items():
        model = _model(label)
        if model is None:
            continue
        names = [f.attname for f in model._meta.concrete_fields]
        row = model._base_manager.filter(pk=pk).values(*names).first()
        if row is None:
            continue
        content = canonical_bytes(
            {
                "model": label,
                "fields": {n: integrity._canonical(row[n]) for n in names},
            }
        )
        if rules.sha256_hex(content) == digest:
            found[(label, pk)] = content
    return found


@dataclass(frozen=True)
class PackContent:
    """What a pack of a decision holds, before its files are written."""

    decision: AuditEntry
    basis: list[AuditEntry]
    basis_cut: bool
    chain: list[AuditEntry]
    checkpoint: AuditCheckpoint | None
    anchors: list[AuditCheckpoint]
    clauses: list[dict[str, object]]
    policy_version: dict[str, object] | None
    documents: list[dict[str, object]]
    evidence_rows: list[dict[str, object]]
    document_bytes: dict[str, bytes]
    evidence_bytes: dict[tuple[str, str], bytes]

    @property
    def measures_zh(self) -> list[tuple[str, str]]:
        """Each measure the clauses belong to, once, with its authoritative Chinese text."""
        found: dict[str, str] = {}
        for clause in self.clauses:
            if clause["measure_text_zh"]:
                found.setdefault(str(clause["measure"]), str(clause["measure_text_zh"]))
        return list(found.items())

    @property
    def people(self) -> list[AuditEntry]:
        """Who decided what and when: the decision and the entries it rests on, in order."""
        return [*self.basis, self.decision]


def pack_content(entry: AuditEntry, checkpoint: AuditCheckpoint | None) -> PackContent:
    """The pack of ``entry`` up to ``checkpoint`` (the first at or after it; without one, as a
    page shows it before a checkpoint is recorded: no chain proof yet)."""
    basis, cut = basis_entries(entry)
    own = [audit_fields(e) for e in (*basis, entry)]
    recorded = rules.documents_recorded(own)
    names = {
        str(d["sha256"]): str(d.get("name", ""))
        for fields in own
        for d in fields.get("documents") or []  # type: ignore[attr-defined]
        if isinstance(d, dict)
    }
    contents = document_contents(set(recorded))
    rows = rules.evidence_recorded(own)
    row_bytes = evidence_contents(rows)
    chain, anchors = chain_runs(entry, basis, checkpoint) if checkpoint else ([], [])
    return PackContent(
        decision=entry,
        basis=basis,
        basis_cut=cut,
        chain=chain,
        checkpoint=checkpoint,
        anchors=anchors,
        clauses=clause_rows(rules.clauses_cited(own)),
        policy_version=policy_version_data(entry.policy_version),
        documents=[
            {
                "name": names.get(digest, ""),
                "sha256": digest,
                "entries": seqs,
                "path": rules.document_path(digest, names.get(digest, ""))
                if digest in contents
                else None,
            }
            for digest, seqs in recorded.items()
        ],
        evidence_rows=[
            {
                "model": label,
                "id": pk,
                "sha256": digest,
                "path": rules.evidence_path(label, pk) if (label, pk) in row_bytes else None,
            }
            for (label, pk), digest in rows.items()
        ],
        document_bytes=contents,
        evidence_bytes=row_bytes,
    )
