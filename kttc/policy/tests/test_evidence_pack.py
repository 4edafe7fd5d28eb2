"""M14.1: the rules of evidence packs: what a pack carries and how a third party verifies it with
the standard library only (the module is also the pack's verify.py)."""

from __future__ import annotations

import ast
import itertools
import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kttc.policy import evidence_pack as rules
from kttc.policy.clauses import CLAUSES
from kttc.policy.evidence import canonical_bytes, entry_hash

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=8,
)
DOCUMENT = "审批意见：同意许可。".encode()


def _pack(payloads: list[object], basis: int = 1) -> dict[str, bytes]:
    """A pack's files: ``basis`` entries the decision rests on, the decision (recording a
    document and an evidence row), the chain proof to a checkpoint of its last entry."""
    row = canonical_bytes({"model": "reform.licence", "fields": {"id": 1}})
    entries, previous = [], rules.GENESIS_HASH
    for seq, payload in enumerate(payloads, start=1):
        fields: dict[str, object] = {"seq": seq, "payload": payload, "clauses": ["M3.2"]}
        if seq == basis + 1:
            fields["documents"] = [{"name": "a.txt", "sha256": rules.sha256_hex(DOCUMENT)}]
            fields["evidence"] = [
                {"model": "reform.licence", "id": "1", "sha256": rules.sha256_hex(row)}
            ]
        digest = entry_hash(previous, fields)
        part = rules.BASIS if seq <= basis else rules.DECISION if seq == basis + 1 else rules.CHAIN
        entries.append(
            rules.PackEntry(seq, previous, digest, part, canonical_bytes(fields).decode())
        )
        previous = digest
    last = entries[-1]
    checkpoint = {"seq": last.seq, "hash": last.hash, "time": "t", "key_id": "k", "signature": "s"}
    files = {
        rules.ENTRIES: rules.entries_jsonl(entries),
        rules.CHECKPOINT: json.dumps(checkpoint).encode(),
        rules.document_path(rules.sha256_hex(DOCUMENT), "a.txt"): DOCUMENT,
        rules.evidence_path("reform.licence", "1"): row,
        rules.VERIFY_PY: b"print()",
    }
    _remanifest(files)
    return files


def _remanifest(files: dict[str, bytes]) -> None:
    """The manifest recomputed over the files as they are (as a forger would)."""
    files.pop(rules.MANIFEST, None)
    anchors = json.loads(files.get(rules.ANCHORS, b"[]"))
    meta = rules.pack_metadata(
        rules.parse_entries(files[rules.ENTRIES]),
        json.loads(files[rules.CHECKPOINT]),
        anchors,
        files,
    )
    files[rules.MANIFEST] = rules.manifest_bytes(files, meta)


def _failure(files: dict[str, bytes], **kwargs: object) -> str:
    with pytest.raises(rules.PackFailure) as caught:
        rules.verify_files(files, **kwargs)  # type: ignore[arg-type]
    return str(caught.value)


def test_m14_1_the_module_is_its_own_verify_script_and_imports_nothing_of_the_platform() -> None:
    tree = ast.parse(Path(rules.__file__).read_text(encoding="utf-8"))
    imported = {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    } | {
        (node.module or "").split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
    }
    assert "kttc" not in imported and "django" not in imported
    # a third party's Python may be older than the platform's: 3.8's syntax, no 3.10 helpers
    source = Path(rules.__file__).read_text(encoding="utf-8")
    ast.parse(source, feature_version=(3, 8))
    assert "pairwise" not in source and not re.search(r"zip\([^)]*strict=", source)


@given(json_values)
def test_m14_1_hashes_are_the_chains_own(fields: object) -> None:
    entry = {"seq": 1, "value": fields}
    assert rules.canonical_bytes(entry) == canonical_bytes(entry)
    assert rules.link_hash("ab" * 32, canonical_bytes(entry)) == entry_hash("ab" * 32, entry)


@settings(max_examples=30)
@given(st.lists(json_values, min_size=2, max_size=6), st.integers(0, 1))
def test_m14_1_an_untouched_pack_verifies(payloads: list[object], basis: int) -> None:
    report = rules.verify_files(_pack(payloads, basis))
    assert report.entries == len(payloads)
    assert report.links == len(payloads) - 1
    assert (report.documents, report.evidence_rows) == (1, 1)
    assert report.decision_seq == basis + 1 and report.checkpoint_seq == len(payloads)


@settings(max_examples=60)
@given(st.lists(json_values, min_size=2, max_size=5), st.data())
def test_m14_1_a_single_flipped_byte_in_any_file_fails(
    payloads: list[object], data: st.DataObject
) -> None:
    files = _pack(payloads)
    path = data.draw(st.sampled_from(sorted(files)))
    at = data.draw(st.integers(0, len(files[path]) - 1))
    mask = data.draw(st.integers(1, 255))
    content = bytearray(files[path])
    content[at] ^= mask
    files[path] = bytes(content)
    _failure(files)


@settings(max_examples=30)
@given(st.lists(json_values, min_size=3, max_size=6), st.data())
def test_m14_1_a_changed_entry_fails_on_its_link_even_with_the_manifest_recomputed(
    payloads: list[object], data: st.DataObject
) -> None:
    files = _pack(payloads)
    entries = rules.parse_entries(files[rules.ENTRIES])
    i = data.draw(st.integers(0, len(entries) - 1))
    fields = entries[i].fields()
    fields["payload"] = ["forged", fields["payload"]]
    entries[i] = rules.PackEntry(
        entries[i].seq,
        entries[i].previous_hash,
        entries[i].hash,
        entries[i].part,
        canonical_bytes(fields).decode(),
    )
    files[rules.ENTRIES] = rules.entries_jsonl(entries)
    _remanifest(files)
    assert f"entry {entries[i].seq}: the content does not match its hash" in _failure(files)
    # rehashing the forged entry too breaks the next link, or the checkpoint
    entries[i] = rules.PackEntry(
        entries[i].seq,
        entries[i].previous_hash,
        entry_hash(entries[i].previous_hash, fields),
        entries[i].part,
        entries[i].canonical,
    )
    files[rules.ENTRIES] = rules.entries_jsonl(entries)
    _remanifest(files)
    message = _failure(files)
    assert "does not match" in message or "checkpoint" in message


def test_m14_1_a_removed_entry_of_the_chain_proof_and_a_foreign_document_fail() -> None:
    files = _pack([1, 2, 3, 4, 5])
    entries = rules.parse_entries(files[rules.ENTRIES])
    files[rules.ENTRIES] = rules.entries_jsonl([e for e in entries if e.seq != 3])
    _remanifest(files)
    assert "entries 3 to 3 are missing" in _failure(files)
    files = _pack([1, 2, 3])
    files[rules.document_path(rules.sha256_hex(b"other"), "b.txt")] = b"other"
    _remanifest(files)
    assert "not one an entry recorded" in _failure(files)
    files = _pack([1, 2, 3])
    files["extra.txt"] = b"x"
    assert "not in manifest.json (added)" in _failure(files)


def test_m14_1_the_checkpoint_is_compared_with_the_kept_public_checkpoints() -> None:
    files = _pack([1, 2, 3])
    own = json.loads(files[rules.CHECKPOINT])
    assert rules.verify_files(files, kept=[own]).notes
    assert "not among the publicly listed" in _failure(files, kept=[{**own, "signature": "x"}])
    assert "not among the publicly listed" in _failure(files, kept=[])


@given(
    st.integers(1, 60),
    st.lists(
        st.tuples(st.integers(1, 80), st.sampled_from("ab"), st.sampled_from("12")), max_size=40
    ),
    st.integers(0, 10),
)
def test_m14_1_a_decision_rests_on_the_entries_of_its_objects_before_it(
    decision: int, candidates: list[tuple[int, str, str]], limit: int
) -> None:
    objects = {("a", "1"), ("b", "2")}
    seqs, cut = rules.basis_of(decision, candidates, objects, limit)
    wanted = sorted({s for s, k, p in candidates if s < decision and (k, p) in objects})
    assert seqs == wanted[-limit:] if limit else seqs == []
    assert cut == (len(wanted) > limit)
    assert all(s < decision for s in seqs)


@given(st.integers(1, 50), st.lists(st.integers(1, 60), max_size=6))
def test_m14_1_the_covering_checkpoint_is_the_first_at_or_after_the_decision(
    decision: int, checkpoints: list[int]
) -> None:
    found = rules.covering_checkpoint(decision, checkpoints)
    after = [c for c in checkpoints if c >= decision]
    assert found == (min(after) if after else None)


def test_m14_1_every_clause_has_its_text_in_the_measures_digest() -> None:
    digest = Path(__file__).resolve().parents[3] / "docs" / "policy" / "MEASURES.md"
    texts = rules.clause_texts(digest.read_text(encoding="utf-8"))
    assert set(CLAUSES) <= set(texts)
    assert "not less than 15 days" in texts["M1.5"] and "\n" not in texts["M1.5"]
    assert not any("**" in text for text in texts.values())
    cited = rules.clauses_cited(
        [{"seq": 1, "clauses": ["M3.2"]}, {"seq": 2, "clauses": ["M3.2", "M14.1"]}]
    )
    assert cited == {"M3.2": [1, 2], "M14.1": [2]}


@given(
    st.lists(st.integers(1, 60), min_size=1, max_size=8),
    st.lists(st.integers(1, 70), min_size=1, max_size=6),
)
def test_m14_1_each_entry_a_pack_carries_is_anchored_by_a_run_to_a_checkpoint(
    seqs: list[int], checkpoints: list[int]
) -> None:
    runs = rules.proof_runs(seqs, checkpoints)
    for seq in seqs:
        end = rules.covering_checkpoint(seq, checkpoints)
        if end is None:
            assert not any(a <= seq <= b for a, b in runs)
        else:
            assert any(a <= seq <= end <= b for a, b in runs)
    assert all(b + 1 < c for (_a, b), (c, _d) in itertools.pairwise(runs))
    assert all(b in checkpoints for _a, b in runs)
    # a decision's run ends at the checkpoint it is drawn to, even past the first covering it
    last = max(checkpoints)
    if min(seqs) <= last:
        with_decision = rules.proof_runs(seqs, checkpoints, (min(seqs), last))
        assert with_decision[-1] == (with_decision[-1][0], last)
        assert any(a <= min(seqs) <= b for a, b in with_decision)


def test_m14_1_an_earlier_run_ends_at_its_own_checkpoint() -> None:
    files = _pack([1, 2, 3, 4, 5, 6], basis=1)
    entries = rules.parse_entries(files[rules.ENTRIES])
    # the pack carries entry 1 (anchored by a checkpoint of entry 2), then 4 to 6
    kept = [e for e in entries if e.seq in (1, 2)] + [
        rules.PackEntry(e.seq, e.previous_hash, e.hash, rules.DECISION if e.seq == 4 else e.part,
                        e.canonical)
        for e in entries
        if e.seq >= 4
    ]  # fmt: skip
    kept = [
        rules.PackEntry(e.seq, e.previous_hash, e.hash, rules.CHAIN if e.seq == 2 else e.part,
                        e.canonical)
        for e in kept
    ]  # fmt: skip
    files[rules.ENTRIES] = rules.entries_jsonl(kept)
    files[rules.ANCHORS] = json.dumps([{"seq": 2, "hash": entries[1].hash}]).encode()
    for path in [p for p in files if p.startswith((rules.DOCUMENTS, rules.EVIDENCE_ROWS))]:
        del files[path]  # recorded by entry 2, which the decision no longer rests on
    _remanifest(files)
    report = rules.verify_files(files)
    assert (report.anchors, report.decision_seq, report.links) == (1, 4, 3)
    assert report.documents == 0
    files[rules.ANCHORS] = json.dumps([{"seq": 2, "hash": "0" * 64}]).encode()
    _remanifest(files)
    assert "recomputed from its run is not the checkpoint's" in _failure(files)
    files[rules.ANCHORS] = b"[]"
    _remanifest(files)
    assert "no checkpoint of entry 2" in _failure(files)


def test_m14_1_each_measure_has_its_authoritative_chinese_text() -> None:
    source = Path(__file__).resolve().parents[3] / "docs" / "policy" / "measures.zh.txt"
    texts = rules.measure_texts_zh(source.read_text(encoding="utf-8"))
    measures = {rules.measure_of(clause) for clause in CLAUSES}
    assert measures == set(texts) == {*(f"M{n}" for n in range(1, 15)), "V.1"}
    assert "零门槛费+阶段性支付+收入提成" in texts["M3"]
    assert texts["M9"].startswith("培优成果转化服务机构")  # the text leaves （九） unnumbered
    assert "公示期不少于15日" in texts["M1"] and "有效期3年" in texts["V.1"]
    assert "本政策措施" not in texts["M14"]


@given(st.integers(1, 14), st.integers(1, 9))
def test_m14_1_a_clause_belongs_to_its_measure(measure: int, item: int) -> None:
    assert rules.measure_of(f"M{measure}.{item}") == f"M{measure}"
    assert rules.measure_of("V.1") == "V.1"
