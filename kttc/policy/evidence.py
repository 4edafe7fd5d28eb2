"""M14.1: the evidence of decisions, hash-linked so that it cannot be silently altered.

Each audit entry's hash covers its own fields and the hash of the entry before it, so a change to
any stored entry (or a removed one) breaks every link after it. This module is the pure part:
the canonical form, the hash and the walk; ``kttc.core`` stores the entries.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Final

GENESIS_HASH: Final[str] = "0" * 64


def canonical_bytes(fields: Mapping[str, object]) -> bytes:
    """M14.1: one byte form for an entry, whatever the database did to key order or spacing."""
    return json.dumps(
        fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False
    ).encode("utf-8")


def entry_hash(previous_hash: str, fields: Mapping[str, object]) -> str:
    """M14.1: the SHA-256 of the previous entry's hash followed by this entry's canonical form."""
    digest = hashlib.sha256()
    digest.update(previous_hash.encode("ascii"))
    digest.update(b"\n")
    digest.update(canonical_bytes(fields))
    return digest.hexdigest()


def document_hash(content: bytes) -> str:
    """M14.1: the SHA-256 of a document attached to a decision, as recorded in the chain."""
    return hashlib.sha256(content).hexdigest()


@dataclass(frozen=True)
class StoredEntry:
    """An entry as read back from storage: its sequence number, the links it claims, its fields."""

    seq: int
    previous_hash: str
    hash: str
    fields: Mapping[str, object]


@dataclass(frozen=True)
class ChainReport:
    """The outcome of a walk: how many entries were checked and the first broken link, if any.
    ``subject`` says what broke: a link of the ``chain``, a ``checkpoint`` of its head, or an
    ``evidence`` row that differs from its entry (``broken_at`` is then the entry that recorded
    it, or None for a row that no entry recorded)."""

    checked: int
    broken_at: int | None = None
    reason: str | None = None
    last_hash: str = GENESIS_HASH
    subject: str = "chain"

    @property
    def intact(self) -> bool:
        return self.broken_at is None and self.reason is None


def verify_chain(entries: Iterable[StoredEntry]) -> ChainReport:
    """M14.1: walk the entries in sequence order and report the first one that does not link to
    its predecessor, has a gap before it, or whose hash does not match its content."""
    previous_hash = GENESIS_HASH
    expected_seq = 1
    checked = 0
    for entry in entries:
        if entry.seq != expected_seq:
            return ChainReport(
                checked,
                entry.seq,
                f"entry {expected_seq} is missing before entry {entry.seq}",
                previous_hash,
            )
        if entry.previous_hash != previous_hash:
            return ChainReport(
                checked, entry.seq, "the link to the previous entry does not match", previous_hash
            )
        if entry_hash(previous_hash, entry.fields) != entry.hash:
            return ChainReport(
                checked, entry.seq, "the content does not match its hash (altered)", previous_hash
            )
        previous_hash = entry.hash
        expected_seq += 1
        checked += 1
    return ChainReport(checked, last_hash=previous_hash)
