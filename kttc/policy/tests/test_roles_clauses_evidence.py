"""Roles and capabilities, the clause table, and the pure hash chain of M14.1."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kttc.policy import roles
from kttc.policy.clauses import CLAUSES, cited_clauses
from kttc.policy.evidence import GENESIS_HASH, StoredEntry, entry_hash, verify_chain

DIGEST = Path(__file__).resolve().parents[3] / "docs" / "policy" / "MEASURES.md"


def test_the_clause_table_lists_exactly_the_obligations_of_the_digest() -> None:
    ids = re.findall(r"^- (M\d+\.\d+|V\.\d+) ", DIGEST.read_text(encoding="utf-8"), re.M)
    assert ids == list(CLAUSES)


def test_cited_clauses_finds_known_ids_once_in_order() -> None:
    assert cited_clauses("M1.5: notice; see M14.1 and M1.5, not M99.9 or M1.50") == [
        "M1.5",
        "M14.1",
    ]


def test_m1_1_reform_units_are_municipal_research_units() -> None:
    assert roles.is_reform_unit(roles.OrganisationKind.UNIVERSITY, municipal=True)
    assert roles.is_reform_unit(roles.OrganisationKind.MEDICAL_INSTITUTION, municipal=True)
    assert not roles.is_reform_unit(roles.OrganisationKind.UNIVERSITY, municipal=False)
    assert not roles.is_reform_unit(roles.OrganisationKind.ENTERPRISE, municipal=True)


def test_m14_2_read_only_roles_carry_no_write_capability() -> None:
    writes = {
        roles.Capability.MANAGE_MEMBERS,
        roles.Capability.MANAGE_MEMBERS_ALL,
        roles.Capability.VERIFY_ORGANISATIONS_ALL,
        roles.Capability.PUBLISH_POLICY_ALL,
    }
    for role in roles.READ_ONLY_ROLES:
        assert not writes & roles.CAPABILITIES[role]


def test_every_role_has_capabilities_and_somewhere_to_be_held() -> None:
    for role in roles.Role:
        assert roles.CAPABILITIES[role] and roles.ROLE_ORGANISATION_KINDS[role]


def test_global_capability_pairs_own_and_all() -> None:
    assert roles.global_capability(roles.Capability.VIEW_AUDIT) == roles.Capability.VIEW_AUDIT_ALL
    assert roles.global_capability(roles.Capability.USE_API) is None


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=8,
)


def _chain(payloads: list[object]) -> list[StoredEntry]:
    entries, previous = [], GENESIS_HASH
    for seq, payload in enumerate(payloads, start=1):
        fields = {"seq": seq, "payload": payload}
        digest = entry_hash(previous, fields)
        entries.append(StoredEntry(seq, previous, digest, fields))
        previous = digest
    return entries


@given(st.lists(json_values, min_size=1, max_size=8))
def test_m14_1_an_untouched_chain_verifies(payloads: list[object]) -> None:
    report = verify_chain(_chain(payloads))
    assert report.intact and report.checked == len(payloads)


@given(st.lists(json_values, min_size=2, max_size=8), st.data())
def test_m14_1_any_altered_entry_is_found_where_it_was_altered(
    payloads: list[object], data: st.DataObject
) -> None:
    entries = _chain(payloads)
    i = data.draw(st.integers(0, len(entries) - 1))
    forged = {"seq": entries[i].seq, "payload": ["forged", entries[i].fields["payload"]]}
    entries[i] = StoredEntry(entries[i].seq, entries[i].previous_hash, entries[i].hash, forged)
    assert verify_chain(entries).broken_at == i + 1


@given(st.lists(json_values, min_size=3, max_size=8), st.data())
def test_m14_1_a_removed_entry_is_found(payloads: list[object], data: st.DataObject) -> None:
    entries = _chain(payloads)
    i = data.draw(st.integers(0, len(entries) - 2))
    del entries[i]
    assert not verify_chain(entries).intact


def test_m14_1_the_hash_ignores_key_order_but_not_values() -> None:
    assert entry_hash(GENESIS_HASH, {"a": 1, "b": 2}) == entry_hash(GENESIS_HASH, {"b": 2, "a": 1})
    assert entry_hash(GENESIS_HASH, {"a": 1}) != entry_hash(GENESIS_HASH, {"a": 2})
    with pytest.raises(ValueError):
        entry_hash(GENESIS_HASH, {"a": float("nan")})
