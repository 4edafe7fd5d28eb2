"""M14.1: what the audit chain says about evidence rows.

Each evidence row (a model deriving from ``kttc.core.models.Evidence``) created in a decision's
transaction is noted as it is inserted; the decision's audit entry then records the SHA-256 of
each such row as the database stores it (``AuditEntry.evidence``: model, id, hash), under the
entry's own hash. :func:`evidence_verify` recomputes every row's hash and names the first row
that differs from what its entry recorded, was never recorded, or is gone.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.apps import apps
from django.db import connection, models, transaction

from kttc.policy.evidence import canonical_bytes

_PENDING = "kttc_pending_evidence"
_CHUNK = 500


def evidence_models() -> list[type[models.Model]]:
    """Every concrete model deriving from the core's Evidence, in a stable order."""
    from kttc.core.models import Evidence

    found = [
        m
        for m in apps.get_models()
        if issubclass(m, Evidence) and not m._meta.proxy and m._meta.managed
    ]
    return sorted(found, key=lambda m: m._meta.label_lower)


# --- noting the rows a decision creates -------------------------------------------------------


def evidence_created(instances: Iterable[models.Model]) -> None:
    """Note evidence rows just inserted in the current transaction; the next audit entry of the
    transaction records their hashes. Rows inserted outside a transaction belong to no decision;
    the note is forgotten when the transaction commits."""
    evidence_noted((type(o), o.pk) for o in instances if o.pk is not None)


def unrecorded_evidence() -> list[tuple[type[models.Model], Any]]:
    """Evidence rows no audit entry records: those stored before entries recorded content
    hashes (or inserted behind the database's back, which verify reports until sealed)."""
    recorded = _recorded()
    rows: list[tuple[type[models.Model], Any]] = []
    for model in evidence_models():
        label = model._meta.label_lower
        ids = model._base_manager.order_by("pk").values_list("pk", flat=True)
        rows += [
            (model, pk)
            for pk in ids.iterator(chunk_size=2000)
            if (label, str(pk)) not in recorded
        ]
    return rows


def evidence_noted(rows: Iterable[tuple[type[models.Model], Any]]) -> None:
    """Note rows by model and id (as :func:`evidence_created` notes instances) for the next
    audit entry of the current transaction."""
    if not connection.in_atomic_block:
        return
    pending: list[tuple[type[models.Model], Any]] | None = getattr(connection, _PENDING, None)
    if not pending:
        pending = []
        setattr(connection, _PENDING, pending)
        transaction.on_commit(_forget)
    pending.extend(rows)


def _forget() -> None:
    setattr(connection, _PENDING, [])


def take_pending_evidence() -> list[dict[str, str]]:
    """The hashes of the evidence rows noted since the last entry, as the database holds them
    now (a row of a rolled-back savepoint is gone and left out), and forget them."""
    pending = getattr(connection, _PENDING, None) or []
    if not pending:
        return []
    setattr(connection, _PENDING, [])
    by_model: dict[type[models.Model], list[Any]] = {}
    for model, pk in pending:
        ids = by_model.setdefault(model, [])
        if pk not in ids:
            ids.append(pk)
    records = []
    for model, ids in by_model.items():
        names = _attnames(model)
        rows: dict[Any, dict[str, Any]] = {}
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            for row in model._base_manager.filter(pk__in=chunk).values(*names):
                rows[row[model._meta.pk.attname]] = row
        label = model._meta.label_lower
        records += [
            {"model": label, "id": str(pk), "sha256": row_hash(model, rows[pk])}
            for pk in ids
            if pk in rows
        ]
    return records


# --- the hash of a row ------------------------------------------------------------------------


def _attnames(model: type[models.Model]) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields]


def _canonical(value: Any) -> Any:
    """One JSON form per stored value, to the microsecond and the last decimal place."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC)
        return value.isoformat(timespec="microseconds")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    return str(value)


def row_hash(model: type[models.Model], row: dict[str, Any]) -> str:
    """M14.1: the SHA-256 of an evidence row: its model and every stored column's value."""
    content = {
        "model": model._meta.label_lower,
        "fields": {name: _canonical(row[name]) for name in _attnames(model)},
    }
    return hashlib.sha256(canonical_bytes(content)).hexdigest()


# --- verification -----------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class EvidenceProblem:
    """The first evidence row that does not match the chain: the entry that recorded it (None
    when no entry did), the model, the row's id and what is wrong."""

    seq: float
    model: str
    id: str
    reason: str

    @property
    def text(self) -> str:
        return f"{self.model} row {self.id} {self.reason}"


def _recorded() -> dict[tuple[str, str], tuple[int, str]]:
    from kttc.core.models import AuditEntry

    recorded: dict[tuple[str, str], tuple[int, str]] = {}
    entries = AuditEntry.objects.order_by("seq").values_list("seq", "evidence")
    for seq, evidence in entries.iterator(chunk_size=2000):
        for item in evidence or ():
            recorded.setdefault((item["model"], item["id"]), (seq, item["sha256"]))
    return recorded


def _rows(model: type[models.Model]) -> Iterator[dict[str, Any]]:
    names = _attnames(model)
    return model._base_manager.order_by("pk").values(*names).iterator(chunk_size=2000)


def evidence_verify() -> tuple[int, EvidenceProblem | None]:
    """M14.1: compare every evidence row with the hash its entry recorded. Returns how many
    rows were checked and the problem of the lowest entry (rows no entry recorded come last)."""
    recorded = _recorded()
    first: EvidenceProblem | None = None
    checked = 0
    seen: set[tuple[str, str]] = set()
    known = set()
    for model in evidence_models():
        label = model._meta.label_lower
        known.add(label)
        pk_name = model._meta.pk.attname
        for row in _rows(model):
            checked += 1
            key = (label, str(row[pk_name]))
            seen.add(key)
            entry = recorded.get(key)
            if entry is None:
                problem = EvidenceProblem(
                    float("inf"), label, key[1], "is recorded in no audit entry (inserted)"
                )
            elif entry[1] != row_hash(model, row):
                problem = EvidenceProblem(
                    entry[0],
                    label,
                    key[1],
                    f"differs from what entry {entry[0]} recorded (altered)",
                )
            else:
                continue
            first = problem if first is None else min(first, problem)
    for key, (seq, _digest) in recorded.items():
        if key[0] in known and key not in seen:
            problem = EvidenceProblem(seq, key[0], key[1], f"recorded by entry {seq} is missing")
            first = problem if first is None else min(first, problem)
    return checked, first


# --- checkpoints of the chain's head ----------------------------------------------------------


def _checkpoint_key() -> bytes:
    from django.conf import settings

    return hmac.new(
        settings.SECRET_KEY.encode("utf-8"), b"kttc audit checkpoint", hashlib.sha256
    ).digest()


def checkpoint_key_id() -> str:
    """Which key signs checkpoints now (a hash of it, never the key)."""
    return hashlib.sha256(_checkpoint_key()).hexdigest()[:16]


def checkpoint_signature(seq: int, digest: str, created_at: datetime) -> str:
    """M14.1: the HMAC-SHA256, under the platform's key, of a checkpoint's entry, hash and time."""
    from kttc.core.selectors import hashed_time

    message = f"KTTC audit checkpoint\n{seq}\n{digest}\n{hashed_time(created_at)}"
    return hmac.new(_checkpoint_key(), message.encode("utf-8"), hashlib.sha256).hexdigest()


def checkpoint_record(*, today: date | None = None, once_a_day: bool = False) -> Any:
    """M14.1: record the chain's head as a checkpoint, unless the chain is empty or its head is
    the last checkpoint's already (or, with ``once_a_day``, a checkpoint was recorded on
    ``today``, Asia/Shanghai). Returns the new checkpoint or None."""
    from django.utils import timezone

    from kttc.core.models import AuditCheckpoint, AuditEntry
    from kttc.policy import calendar

    with transaction.atomic():
        head = AuditEntry.objects.order_by("-seq").values_list("seq", "hash").first()
        if head is None:
            return None
        last = AuditCheckpoint.objects.order_by("-seq").first()
        if last is not None and last.seq >= head[0]:
            return None
        day = today or calendar.today_in_shanghai()
        if once_a_day and last is not None and calendar.local_date(last.created_at) == day:
            return None
        now = timezone.now()
        return AuditCheckpoint.objects.create(
            seq=head[0],
            hash=head[1],
            created_at=now,
            key_id=checkpoint_key_id(),
            signature=checkpoint_signature(head[0], head[1], now),
        )


@dataclass(frozen=True)
class HeadClaim:
    """A head of the chain someone noted: a checkpoint of the platform or one kept elsewhere."""

    seq: int
    hash: str
    label: str


def checkpoints_verify(last_seq: int, kept: Iterable[HeadClaim] = ()) -> tuple[int, str] | None:
    """M14.1: every checkpoint (and every head ``kept`` by a third party) must name an entry of
    the chain with the same hash, and the platform's checkpoints must carry its signature.
    ``last_seq`` is the end of the walked (intact) chain. Returns the first problem as (entry,
    reason) or None."""
    from kttc.core.models import AuditCheckpoint, AuditEntry

    key_id = checkpoint_key_id()
    claims: list[HeadClaim] = []
    for checkpoint in AuditCheckpoint.objects.order_by("seq"):
        label = f"the checkpoint of {checkpoint.created_at:%Y-%m-%d %H:%M} UTC"
        expected = checkpoint_signature(checkpoint.seq, checkpoint.hash, checkpoint.created_at)
        if checkpoint.key_id == key_id and not hmac.compare_digest(expected, checkpoint.signature):
            return checkpoint.seq, f"{label} does not carry the platform's signature (forged)"
        claims.append(HeadClaim(checkpoint.seq, checkpoint.hash, label))
    claims += list(kept)
    stored = dict(
        AuditEntry.objects.filter(seq__in={c.seq for c in claims}).values_list("seq", "hash")
    )
    for claim in sorted(claims, key=lambda c: c.seq):
        if claim.seq > last_seq:
            return last_seq + 1, (
                f"entries {last_seq + 1} to {claim.seq} are missing: {claim.label} recorded "
                f"the chain up to entry {claim.seq} (removed from the end)"
            )
        if stored.get(claim.seq) != claim.hash:
            return claim.seq, f"entry {claim.seq} does not have the hash {claim.label} recorded"
    return None


def heads_from_export(content: bytes) -> list[HeadClaim]:
    """The heads of a checkpoint export kept by a third party (the JSON of the public page)."""
    import json

    data = json.loads(content.decode("utf-8"))
    rows = data["checkpoints"] if isinstance(data, dict) else data
    return [
        HeadClaim(int(r["seq"]), str(r["hash"]), f"the kept checkpoint of {r.get('time', '?')}")
        for r in rows
    ]
