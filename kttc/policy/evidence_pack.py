"""M14.1: the evidence pack of a decision, and its verification.

A decision-maker who followed the rules shows an evidence pack: the decision's audit entry and the
entries it rests on, each in the canonical form its hash covers; the clauses checked with their
text; the policy version in force; the documents with their SHA-256; and the chain proof, every
entry from the decision's to the first checkpoint of the chain's head at or after it, so that a
third party recomputes each link and compares the last hash with the checkpoint.

The checkpoint's HMAC signature is under the platform's key, which a third party does not hold:
it is checked by comparing the checkpoint with the publicly listed checkpoints the third party
kept (the export of /audit/checkpoints/, ``--checkpoints``), not with a key.

This module is pure Python using only the standard library and imports nothing of the platform:
it is also the pack's ``verify.py``, word for word, so the check a third party runs with a plain
``python3 verify.py`` (Python 3.8 or later) is the one ``kttc evidence verify`` runs.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import json
import os
import re
import sys
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final

FORMAT: Final = "kttc-evidence-pack/1"
GENESIS_HASH: Final = "0" * 64

MANIFEST: Final = "manifest.json"
ENTRIES: Final = "entries.jsonl"
CHECKPOINT: Final = "checkpoint.json"
ANCHORS: Final = "anchor_checkpoints.json"
POLICY_VERSION: Final = "policy_version.json"
CLAUSES: Final = "clauses.json"
VERIFY_MD: Final = "VERIFY.md"
VERIFY_PY: Final = "verify.py"
PDF: Final = "evidence-pack.pdf"
DOCUMENTS: Final = "documents/"
EVIDENCE_ROWS: Final = "evidence/"

#: The parts of the pack an entry belongs to: an entry the decision rests on (before it), the
#: decision's own, or one of the chain proof after it up to the checkpoint.
BASIS: Final = "basis"
DECISION: Final = "decision"
CHAIN: Final = "chain"

#: Bounds of what is read from a pack (DESIGN rule 10): its files, their total size.
MAX_FILES: Final = 5000
MAX_BYTES: Final = 512 * 1024 * 1024
#: Bounds of what a pack carries: the entries a decision rests on, the chain proof.
MAX_BASIS: Final = 500
MAX_CHAIN: Final = 20000

_HEX64 = re.compile(r"[0-9a-f]{64}")


# --- hashes and canonical forms (as kttc.policy.evidence computes them) --------------------------


def canonical_bytes(fields: object) -> bytes:
    """One byte form of a JSON value: keys sorted, no spaces, UTF-8 (the chain's form)."""
    return json.dumps(
        fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False
    ).encode("utf-8")


def sha256_hex(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def link_hash(previous_hash: str, canonical: bytes) -> str:
    """An entry's hash: SHA-256 of the previous entry's hash, a newline, its canonical form."""
    digest = hashlib.sha256()
    digest.update(previous_hash.encode("ascii"))
    digest.update(b"\n")
    digest.update(canonical)
    return digest.hexdigest()


@dataclass(frozen=True)
class PackEntry:
    """One line of ``entries.jsonl``: an entry's seq, links, part and canonical form (the exact
    text its hash covers)."""

    seq: int
    previous_hash: str
    hash: str
    part: str
    canonical: str

    def fields(self) -> dict[str, object]:
        try:
            found = json.loads(self.canonical)
        except ValueError:
            found = None
        if not isinstance(found, dict):
            raise PackFailure(f"{ENTRIES}: entry {self.seq}'s canonical form is not an object")
        return found

    def line(self) -> str:
        return json.dumps(
            {
                "seq": self.seq,
                "part": self.part,
                "previous_hash": self.previous_hash,
                "hash": self.hash,
                "canonical": self.canonical,
            },
            ensure_ascii=False,
            sort_keys=True,
        )


def entries_jsonl(entries: Iterable[PackEntry]) -> bytes:
    return "".join(e.line() + "\n" for e in entries).encode("utf-8")


# --- what a pack carries (the rules of drawing one) --------------------------------------------


def covering_checkpoint(decision_seq: int, checkpoint_seqs: Iterable[int]) -> int | None:
    """The first checkpoint at or after the decision's entry, or None (one is recorded first)."""
    return min((s for s in checkpoint_seqs if s >= decision_seq), default=None)


def proof_runs(
    seqs: Iterable[int],
    checkpoint_seqs: Iterable[int],
    decision: tuple[int, int] | None = None,
) -> list[tuple[int, int]]:
    """The runs of the chain a pack carries so that each of ``seqs`` (the entries a decision
    rests on) is anchored: from each entry to the first checkpoint at or after it, and the
    ``decision``'s run (its entry to its checkpoint), overlapping runs merged, in order. An
    entry no checkpoint covers is left out."""
    checkpoints = sorted(set(checkpoint_seqs))
    spans = sorted(
        [
            *(
                (seq, end)
                for seq in set(seqs)
                if (end := covering_checkpoint(seq, checkpoints)) is not None
            ),
            *([decision] if decision else []),
        ]
    )
    runs: list[tuple[int, int]] = []
    for start, end in spans:
        if runs and start <= runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], max(runs[-1][1], end))
        else:
            runs.append((start, end))
    return runs


def basis_of(
    decision_seq: int,
    candidates: Iterable[tuple[int, str, str]],
    objects: Iterable[tuple[str, str]],
    limit: int = MAX_BASIS,
) -> tuple[list[int], bool]:
    """The entries a decision rests on: of the ``candidates`` (seq, object type, object id),
    those before the decision about one of the ``objects`` (the decision's and those it
    references), in order; at most ``limit``, the nearest to the decision kept. Returns the seqs
    and whether some were left out."""
    wanted = set(objects)
    found = sorted(
        {seq for seq, kind, pk in candidates if seq < decision_seq and (kind, pk) in wanted}
    )
    return found[-limit:] if limit > 0 else [], len(found) > limit


def clauses_cited(entries: Iterable[Mapping[str, object]]) -> dict[str, list[int]]:
    """Each clause id the entries cite with the entries citing it, in the order first cited."""
    cited: dict[str, list[int]] = {}
    for fields in entries:
        clauses = fields.get("clauses")
        seq = fields.get("seq")
        for clause in clauses if isinstance(clauses, list) else []:
            if isinstance(clause, str) and isinstance(seq, int):
                seqs = cited.setdefault(clause, [])
                if seq not in seqs:
                    seqs.append(seq)
    return cited


_EMPHASIS = re.compile(r"\*\*(.+?)\*\*")
_CLAUSE_ITEM = re.compile(r"^- (M\d{1,2}\.\d{1,2}|V\.1)\s+(.*)$")


def clause_texts(markdown: str) -> dict[str, str]:
    """The text of each obligation in the measures' digest (``docs/policy/MEASURES.md``): the
    list item that starts with its id, its continuation lines joined, without the bold marks."""
    texts: dict[str, str] = {}
    current: str | None = None
    for raw in markdown.splitlines():
        found = _CLAUSE_ITEM.match(raw)
        if found:
            current = found.group(1)
            texts[current] = found.group(2).strip()
        elif current is not None and raw.startswith("  ") and raw.strip():
            texts[current] += " " + raw.strip()
        else:
            current = None
    return {clause: _EMPHASIS.sub(r"\1", text) for clause, text in texts.items()}


_NUMERALS = tuple("一二三四五六七八九十") + tuple("十" + n for n in "一二三四五六七八九")
_MEASURE_ZH = re.compile(r"^[（(]([一二三四五六七八九十]+)[）)]\s*")
_HEADING_ZH = re.compile(r"^[一二三四五六七八九十]+、")
_VALIDITY_ZH = ("本政策措施", "本措施")


def measure_of(clause: str) -> str:
    """The measure a clause belongs to: ``M3`` for ``M3.2``; ``V.1`` for itself."""
    return clause if clause.startswith("V") else clause.split(".")[0]


def measure_texts_zh(text: str) -> dict[str, str]:
    """The authoritative Chinese text of each measure (``docs/policy/measures.zh.txt``) by its
    number (``M3``): the paragraph numbered （三）. A paragraph the text leaves unnumbered where a
    number is skipped takes that number; another continues the measure before it."""
    found: list[tuple[int | None, str]] = []
    for line in (raw.strip() for raw in text.split("\n")):
        numbered = _MEASURE_ZH.match(line)
        if numbered and numbered.group(1) in _NUMERALS:
            found.append((_NUMERALS.index(numbered.group(1)) + 1, line))
        elif line and found and not _HEADING_ZH.match(line):
            found.append((None, line))
        elif _HEADING_ZH.match(line):
            found.append((0, line))  # a part's heading ends the measure before it
        if line.startswith(_VALIDITY_ZH):
            found[-1] = (-1, line)
    texts: dict[str, str] = {}
    last = 0
    for at, (number, line) in enumerate(found):
        if number == 0:
            last = 0
            continue
        if number == -1:
            texts["V.1"] = line
            last = 0
            continue
        if number is None:
            following = next((n for n, _line in found[at + 1 :] if n), None)
            if last and following and following > last + 1 and f"M{last + 1}" not in texts:
                number = last + 1
            elif last:
                texts[f"M{last}"] += "\n" + line
                continue
            else:
                continue
        last = number
        texts[f"M{number}"] = line
    return texts


def documents_recorded(entries: Iterable[Mapping[str, object]]) -> dict[str, list[int]]:
    """Each document SHA-256 the entries record with the entries recording it."""
    found: dict[str, list[int]] = {}
    for fields in entries:
        seq = fields.get("seq")
        documents = fields.get("documents")
        for item in documents if isinstance(documents, list) else []:
            digest = item.get("sha256") if isinstance(item, dict) else None
            if isinstance(digest, str) and isinstance(seq, int):
                found.setdefault(digest, []).append(seq)
    return found


def evidence_recorded(entries: Iterable[Mapping[str, object]]) -> dict[tuple[str, str], str]:
    """Each evidence row (model, id) the entries record with the SHA-256 recorded for it."""
    found: dict[tuple[str, str], str] = {}
    for fields in entries:
        rows = fields.get("evidence")
        for item in rows if isinstance(rows, list) else []:
            if isinstance(item, dict):
                found.setdefault(
                    (str(item.get("model")), str(item.get("id"))), str(item.get("sha256"))
                )
    return found


def evidence_path(model: str, pk: str) -> str:
    safe = re.sub(r"[^0-9A-Za-z._-]", "_", f"{model}-{pk}")
    return f"{EVIDENCE_ROWS}{safe}.json"


def document_path(sha256: str, name: str) -> str:
    """Where a document is kept in the pack: under its hash, its name's extension kept."""
    ext = re.sub(r"[^0-9A-Za-z]", "", os.path.splitext(name)[1])[:10]
    return f"{DOCUMENTS}{sha256}{'.' + ext if ext else ''}"


#: What a pack says of its checkpoints' signatures.
SIGNATURE_NOTE: Final = (
    "HMAC-SHA256 under the platform's key: compare checkpoint.json and anchor_checkpoints.json "
    "with the publicly listed checkpoints you keep (/audit/checkpoints/?format=json), not with "
    "a key"
)


def pack_metadata(
    entries: Sequence[PackEntry],
    checkpoint: Mapping[str, object],
    anchors: Sequence[Mapping[str, object]],
    paths: Iterable[str],
) -> dict[str, object]:
    """The manifest's metadata of a pack, all of it derived from the pack's files (so that a
    verifier recomputes it): the decision, the entries it rests on, the checkpoints, the
    documents and evidence rows the decision and those entries recorded, and which of them the
    pack carries (``paths``)."""
    decisions = [e for e in entries if e.part == DECISION]
    if len(decisions) != 1:
        raise PackFailure(f"{ENTRIES} must hold exactly one decision entry")
    decision = decisions[0]
    fields = decision.fields()
    own = [e.fields() for e in entries if e.part in (BASIS, DECISION)]
    present = set(paths)
    names: dict[str, str] = {}
    for item in own:
        documents = item.get("documents")
        for d in documents if isinstance(documents, list) else []:
            if isinstance(d, dict):
                names.setdefault(str(d.get("sha256")), str(d.get("name", "")))
    kept_documents = []
    for digest, seqs in documents_recorded(own).items():
        path = document_path(digest, names.get(digest, ""))
        kept_documents.append(
            {
                "name": names.get(digest, ""),
                "sha256": digest,
                "entries": seqs,
                "path": path if path in present else None,
            }
        )
    rows = []
    for (model, pk), digest in evidence_recorded(own).items():
        path = evidence_path(model, pk)
        rows.append(
            {
                "model": model,
                "id": pk,
                "sha256": digest,
                "path": path if path in present else None,
            }
        )
    return {
        "clause": "M14.1",
        "platform": "KTTC",
        "decision_seq": decision.seq,
        "decision_hash": decision.hash,
        "action": fields.get("action"),
        "object_type": fields.get("object_type"),
        "object_id": fields.get("object_id"),
        "object": fields.get("object_repr"),
        "organisation": fields.get("organisation_label"),
        "actor": fields.get("actor_label"),
        "time": fields.get("created_at"),
        "policy_version": fields.get("policy_version"),
        "basis_seqs": [e.seq for e in entries if e.part == BASIS],
        "checkpoint_seq": checkpoint.get("seq"),
        "checkpoint_hash": checkpoint.get("hash"),
        "anchor_checkpoints": [a.get("seq") for a in anchors],
        "checkpoint_signature": SIGNATURE_NOTE,
        "documents": kept_documents,
        "evidence_rows": rows,
    }


def manifest_bytes(files: Mapping[str, bytes], pack: Mapping[str, object]) -> bytes:
    """``manifest.json``: the pack's metadata and every other file's SHA-256 and size, in the
    canonical form (a verifier refuses any other byte form of it)."""
    listed = [
        {"path": path, "sha256": sha256_hex(content), "size": len(content)}
        for path, content in sorted(files.items())
        if path != MANIFEST
    ]
    return canonical_bytes({"format": FORMAT, "pack": dict(pack), "files": listed})


# --- verification ----------------------------------------------------------------------------


class PackFailure(Exception):
    """The first thing in a pack that does not hold, named."""


@dataclass
class PackReport:
    """What a verification checked: entries, links of the chain proof, documents, rows."""

    entries: int = 0
    links: int = 0
    documents: int = 0
    evidence_rows: int = 0
    decision_seq: int = 0
    checkpoint_seq: int = 0
    head_hash: str = ""
    run_ends: list[tuple[int, str]] = field(default_factory=list)
    anchors: int = 0
    notes: list[str] = field(default_factory=list)


def _json(files: Mapping[str, bytes], path: str) -> object:
    if path not in files:
        raise PackFailure(f"{path} is missing from the pack")
    try:
        return json.loads(files[path].decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise PackFailure(f"{path} is not valid JSON ({exc})") from None


def _dict(value: object, what: str) -> dict[str, object]:
    if not isinstance(value, dict):
        raise PackFailure(f"{what} is not a JSON object")
    return value


def check_manifest(files: Mapping[str, bytes], *, strict: bool = True) -> dict[str, object]:
    """Every file the manifest lists is there with its SHA-256; with ``strict`` (a zip) every
    file of the pack is listed. Returns the manifest's pack metadata."""
    manifest = _dict(_json(files, MANIFEST), MANIFEST)
    if canonical_bytes(manifest) != files[MANIFEST]:
        raise PackFailure(f"{MANIFEST} is not in its canonical form (altered)")
    if manifest.get("format") != FORMAT:
        raise PackFailure(f"{MANIFEST}: the format is not {FORMAT}")
    listed = manifest.get("files")
    if not isinstance(listed, list):
        raise PackFailure(f"{MANIFEST}: no list of files")
    paths = set()
    for item in listed:
        row = _dict(item, f"{MANIFEST}: a file")
        path = str(row.get("path"))
        paths.add(path)
        if path not in files:
            raise PackFailure(f"{path} is listed in {MANIFEST} but missing from the pack")
        if sha256_hex(files[path]) != row.get("sha256"):
            raise PackFailure(f"{path} does not match its SHA-256 in {MANIFEST} (altered)")
    unlisted = sorted(set(files) - paths - {MANIFEST})
    if unlisted and strict:
        raise PackFailure(f"{unlisted[0]} is in the pack but not in {MANIFEST} (added)")
    return _dict(manifest.get("pack"), f"{MANIFEST}: pack")


def listed_paths(files: Mapping[str, bytes]) -> list[str]:
    """The paths the manifest lists (after :func:`check_manifest`)."""
    manifest = _dict(_json(files, MANIFEST), MANIFEST)
    listed = manifest.get("files")
    return [
        str(_dict(r, MANIFEST).get("path")) for r in (listed if isinstance(listed, list) else [])
    ]


def parse_entries(content: bytes) -> list[PackEntry]:
    """The lines of ``entries.jsonl``, each named by its line where it is malformed."""
    entries = []
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        raise PackFailure(f"{ENTRIES} is not UTF-8") from None
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            entry = PackEntry(
                seq=int(row["seq"]),
                previous_hash=str(row["previous_hash"]),
                hash=str(row["hash"]),
                part=str(row["part"]),
                canonical=str(row["canonical"]),
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise PackFailure(f"{ENTRIES} line {number} is malformed ({exc})") from None
        entries.append(entry)
    return entries


def check_entries(entries: Sequence[PackEntry], report: PackReport) -> list[dict[str, object]]:
    """Each entry's hash is recomputed from its previous hash and canonical form, and each entry
    links to the one before it within its run (consecutive entries, the decision's run from the
    decision's entry on). Returns the entries' fields."""
    fields_of = []
    for entry in entries:
        if entry.part not in (BASIS, DECISION, CHAIN):
            raise PackFailure(f"entry {entry.seq}: unknown part {entry.part!r}")
        fields = entry.fields()
        if fields.get("seq") != entry.seq:
            raise PackFailure(f"entry {entry.seq}: its canonical form names another seq")
        if link_hash(entry.previous_hash, entry.canonical.encode("utf-8")) != entry.hash:
            raise PackFailure(
                f"entry {entry.seq}: the content does not match its hash (altered); "
                "the link from the previous hash is broken"
            )
        fields_of.append(fields)
        report.entries += 1
    decisions = [e for e in entries if e.part == DECISION]
    if len(decisions) != 1:
        raise PackFailure(f"{ENTRIES} must hold exactly one decision entry")
    decision = decisions[0]
    ordered = sorted(entries, key=lambda e: e.seq)
    for before, after in zip(ordered, ordered[1:]):  # noqa: B905, RUF007 - verify.py runs on 3.8
        if after.seq == before.seq:
            raise PackFailure(f"entry {after.seq} is in {ENTRIES} twice")
        if after.part == BASIS and after.seq > decision.seq:
            raise PackFailure(f"entry {after.seq} rests-on entry is not before the decision")
        if after.seq != before.seq + 1:
            if after.seq <= decision.seq or after.part == BASIS:
                continue  # another run starts (each run ends at its own checkpoint)
            raise PackFailure(
                f"entries {before.seq + 1} to {after.seq - 1} are missing from the chain proof"
            )
        if after.previous_hash != before.hash:
            raise PackFailure(
                f"entry {after.seq}: the link to entry {before.seq} does not match (altered)"
            )
        report.links += 1
    report.decision_seq = decision.seq
    report.checkpoint_seq = ordered[-1].seq
    report.head_hash = ordered[-1].hash
    report.run_ends = [
        (e.seq, e.hash)
        for e, nxt in itertools.zip_longest(ordered, ordered[1:])
        if nxt is None or nxt.seq != e.seq + 1
    ]
    return fields_of


def check_checkpoint(
    checkpoint: Mapping[str, object],
    report: PackReport,
    kept: Sequence[Mapping[str, object]] | None = None,
    anchors: Sequence[Mapping[str, object]] = (),
) -> None:
    """The chain proof ends at the checkpoint's entry with its hash, and each earlier run (of
    entries the decision rests on) at one of the ``anchors`` with its hash; with ``kept`` (the
    export of /audit/checkpoints/ a third party kept), each checkpoint is one of those."""
    ends = dict(report.run_ends[:-1])
    by_seq = {a.get("seq"): a for a in anchors}
    for seq, digest in ends.items():
        anchor = by_seq.get(seq)
        if anchor is None:
            raise PackFailure(f"{ANCHORS}: no checkpoint of entry {seq}, where a run ends")
        if anchor.get("hash") != digest:
            raise PackFailure(
                f"{ANCHORS}: the hash of entry {seq} recomputed from its run is not the "
                "checkpoint's"
            )
    report.anchors = len(ends)
    if checkpoint.get("seq") != report.checkpoint_seq:
        raise PackFailure(
            f"{CHECKPOINT}: the chain proof ends at entry {report.checkpoint_seq}, the "
            f"checkpoint is of entry {checkpoint.get('seq')}"
        )
    if checkpoint.get("hash") != report.head_hash:
        raise PackFailure(
            f"{CHECKPOINT}: the hash of entry {report.checkpoint_seq} recomputed from the "
            "chain proof is not the checkpoint's"
        )
    if kept is None:
        report.notes.append(
            "The checkpoint was not compared with a kept export of /audit/checkpoints/ "
            "(--checkpoints FILE)."
        )
        return
    keys = ("seq", "hash", "time", "key_id", "signature")
    for name, claimed in [(CHECKPOINT, checkpoint), *((ANCHORS, by_seq[s]) for s in ends)]:
        same = [c for c in kept if c.get("seq") == claimed.get("seq")]
        if not any(all(c.get(k) == claimed.get(k) for k in keys) for c in same):
            raise PackFailure(
                f"{name}: the checkpoint of entry {claimed.get('seq')} is not among the "
                "publicly listed checkpoints you kept (or differs from it)"
            )
    report.notes.append("The checkpoint matches the publicly listed checkpoints you kept.")


def check_documents(
    files: Mapping[str, bytes], fields: Sequence[Mapping[str, object]], report: PackReport
) -> None:
    """Each document in the pack is one the decision or an entry it rests on recorded (``fields``),
    with the same SHA-256; each evidence row has the SHA-256 its entry recorded."""
    recorded = documents_recorded(fields)
    rows = set(evidence_recorded(fields).values())
    for path in sorted(files):
        if path.startswith(DOCUMENTS):
            digest = sha256_hex(files[path])
            if digest not in recorded or not os.path.basename(path).startswith(digest):
                raise PackFailure(f"{path}: its SHA-256 is not one an entry recorded (altered)")
            report.documents += 1
        elif path.startswith(EVIDENCE_ROWS):
            if sha256_hex(files[path]) not in rows:
                raise PackFailure(f"{path}: its SHA-256 is not one an entry recorded (altered)")
            report.evidence_rows += 1


def verify_files(
    files: Mapping[str, bytes],
    *,
    kept: Sequence[Mapping[str, object]] | None = None,
    strict: bool = True,
) -> PackReport:
    """M14.1: verify a pack given as its files by path; raise PackFailure naming the first
    failure (manifest, entries and their links, checkpoint, documents), else report."""
    report = PackReport()
    check_manifest(files, strict=strict)
    if ENTRIES not in files:
        raise PackFailure(f"{ENTRIES} is missing from the pack")
    entries = parse_entries(files[ENTRIES])
    if not entries:
        raise PackFailure(f"{ENTRIES} holds no entry")
    fields = check_entries(entries, report)
    anchors = _json(files, ANCHORS) if ANCHORS in files else []
    if not isinstance(anchors, list):
        raise PackFailure(f"{ANCHORS} is not a list")
    anchor_rows = [_dict(a, ANCHORS) for a in anchors]
    checkpoint = _dict(_json(files, CHECKPOINT), CHECKPOINT)
    check_checkpoint(checkpoint, report, kept, anchor_rows)
    own = [f for e, f in zip(entries, fields) if e.part in (BASIS, DECISION)]  # noqa: B905
    check_documents(files, own, report)
    listed = {path: files[path] for path in listed_paths(files)}
    expected = manifest_bytes(listed, pack_metadata(entries, checkpoint, anchor_rows, listed))
    if expected != files[MANIFEST]:
        raise PackFailure(f"{MANIFEST} does not describe the pack's files as they are (altered)")
    return report


def read_zip(content: bytes) -> dict[str, bytes]:
    """A pack's files from its zip, bounded in count and size."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile as exc:
        raise PackFailure(f"not a zip file ({exc})") from None
    with archive:
        infos = [i for i in archive.infolist() if not i.is_dir()]
        if len(infos) > MAX_FILES or sum(i.file_size for i in infos) > MAX_BYTES:
            raise PackFailure("the zip is larger than a pack may be")
        try:
            return {i.filename: archive.read(i) for i in infos}
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise PackFailure(f"the zip cannot be read ({exc})") from None


def read_directory(root: str) -> dict[str, bytes]:
    """A pack's files from the directory it was unzipped into (``__pycache__`` left out)."""
    files: dict[str, bytes] = {}
    for folder, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        for name in names:
            path = os.path.join(folder, name)
            files[os.path.relpath(path, root).replace(os.sep, "/")] = _read(path)
            if len(files) > MAX_FILES:
                raise PackFailure("the directory holds more files than a pack may")
    return files


def _read(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


def kept_checkpoints(content: bytes) -> list[dict[str, object]]:
    """The checkpoints of an export of /audit/checkpoints/ (its JSON)."""
    data = json.loads(content.decode("utf-8"))
    rows = data["checkpoints"] if isinstance(data, dict) else data
    return [dict(r) for r in rows]


def verify_path(path: str, kept_path: str | None = None) -> PackReport:
    """Verify a pack zip, or the directory a pack was unzipped into."""
    kept = None
    if kept_path:
        try:
            kept = kept_checkpoints(_read(kept_path))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise PackFailure(f"{kept_path} is not an export of the checkpoints ({exc})") from None
    if os.path.isdir(path):
        files = read_directory(path)
        report = verify_files(files, kept=kept, strict=False)
        return report
    try:
        content = _read(path)
    except OSError as exc:
        raise PackFailure(f"{path} cannot be read ({exc})") from None
    return verify_files(read_zip(content), kept=kept)


def main(argv: Sequence[str]) -> int:
    """``python3 verify.py [PACK.zip | DIRECTORY] [--checkpoints EXPORT.json]``; by default the
    directory this script is in. Prints VERIFIED and exits 0, or names the first failure and
    exits 1."""
    args = list(argv)
    kept_path = None
    if "--checkpoints" in args:
        at = args.index("--checkpoints")
        if at + 1 >= len(args):
            print("FAILED: --checkpoints needs the file of the exported checkpoints")
            return 1
        kept_path = args[at + 1]
        del args[at : at + 2]
    target = args[0] if args else os.path.dirname(os.path.abspath(__file__))
    try:
        report = verify_path(target, kept_path)
    except PackFailure as failure:
        print(f"FAILED: {failure}")
        return 1
    print(
        f"VERIFIED: decision entry {report.decision_seq}; {report.entries} entries recomputed, "
        f"{report.links} links of the chain proof up to checkpoint entry "
        f"{report.checkpoint_seq} (hash {report.head_hash}) and {report.anchors} earlier "
        f"checkpoints; {report.documents} documents and "
        f"{report.evidence_rows} evidence rows match their entries (M14.1)."
    )
    for note in report.notes:
        print(note)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
