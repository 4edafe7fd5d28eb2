"""M14.1: the audit chain is append-only, hash-linked, verified, and written with its decision."""

from __future__ import annotations

import io
import itertools

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from kttc.core import protection, services
from kttc.core.models import AuditEntry, Organisation
from kttc.core.selectors import audit_chain_verify
from kttc.core.tests.factories import OrganisationFactory, UserFactory


def _record(n: int, organisation: Organisation, actor) -> list[AuditEntry]:
    entries = []
    for i in range(n):
        with services.decision_transaction():
            entries.append(
                services.audit_record(
                    actor=actor,
                    organisation=organisation,
                    action="test.decide",
                    obj=organisation,
                    before={"step": i},
                    after={"step": i + 1},
                    clauses=["M14.1"],
                    documents=[services.Document(f"doc{i}.pdf", f"content {i}".encode())],
                )
            )
    return entries


@pytest.fixture
def chain(db):
    organisation = OrganisationFactory()
    actor = UserFactory()
    return _record(5, organisation, actor)


def test_m14_1_entries_link_each_to_the_previous_and_verify(chain):
    assert [e.seq for e in chain] == [1, 2, 3, 4, 5]
    assert all(b.previous_hash == a.hash for a, b in itertools.pairwise(chain))
    report = audit_chain_verify()
    assert report.intact and report.checked == 5 and report.last_hash == chain[-1].hash


def test_m14_1_entry_records_actor_clauses_policy_version_and_document_hashes(chain):
    entry = AuditEntry.objects.get(seq=1)
    assert entry.actor_label.startswith("测试用户")
    assert entry.clauses == ["M14.1"]
    assert entry.policy_version == "KM-2026"
    assert entry.documents[0]["name"] == "doc0.pdf"
    assert len(entry.documents[0]["sha256"]) == 64


def test_m14_1_a_batch_of_decisions_continues_the_chain_one_entry_each(chain):
    organisation = Organisation.objects.get(pk=chain[0].organisation_id)
    decisions = [
        services.Decision.about("test.batch", organisation, {"n": i}, {"n": i + 1})
        for i in range(2500)
    ]
    with services.decision_transaction():
        batch = services.audit_record_many(
            actor=None, organisation=organisation, decisions=decisions, clauses=["M14.1"],
            batch_size=1000,
        )  # fmt: skip
        services.audit_record(
            actor=None, organisation=organisation, action="test.after", obj=organisation
        )
    assert [seq for seq, _hash in batch] == list(range(6, 2506))
    assert AuditEntry.objects.get(seq=6).previous_hash == chain[-1].hash
    stored = AuditEntry.objects.get(seq=1000)
    assert stored.after == {"n": 995} and stored.hash == batch[994][1]
    assert stored.actor_label == "system" and stored.clauses == ["M14.1"]
    assert AuditEntry.objects.get(seq=2506).previous_hash == batch[-1][1]
    report = audit_chain_verify()
    assert report.intact and report.checked == 2506


@pytest.mark.django_db(transaction=True)
def test_m14_1_a_batch_outside_a_transaction_is_refused():
    organisation = OrganisationFactory()
    with pytest.raises(RuntimeError):
        services.audit_record_many(
            actor=None, organisation=organisation,
            decisions=[services.Decision.about("test.batch", organisation)],
        )  # fmt: skip
    assert not AuditEntry.objects.exists()


def test_m14_1_orm_cannot_update_or_delete_entries(chain):
    entry = AuditEntry.objects.get(seq=2)
    entry.action = "forged"
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        AuditEntry.objects.filter(seq=2).update(action="forged")
    with pytest.raises(TypeError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get(seq=2).action == "test.decide"


def test_m14_1_database_refuses_raw_update_and_delete(chain):
    table = AuditEntry._meta.db_table
    for statement in (
        f"UPDATE {table} SET action = 'forged' WHERE seq = 3",
        f"DELETE FROM {table} WHERE seq = 3",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement)
    assert AuditEntry.objects.filter(seq=3, action="test.decide").exists()


def _tamper(sql: str) -> None:
    """What a privileged intruder would do: lift the guard, edit, put the guard back."""
    protection.remove(connection)
    with connection.cursor() as cursor:
        cursor.execute(sql)
    protection.install(connection)


def test_m14_1_verify_finds_a_raw_sql_edit_at_the_edited_entry(chain):
    _tamper(f"UPDATE {AuditEntry._meta.db_table} SET object_repr = 'forged' WHERE seq = 3")
    report = audit_chain_verify()
    assert not report.intact
    assert report.broken_at == 3 and report.checked == 2
    assert "altered" in (report.reason or "")


def test_m14_1_verify_finds_a_deleted_entry(chain):
    _tamper(f"DELETE FROM {AuditEntry._meta.db_table} WHERE seq = 2")
    report = audit_chain_verify()
    assert report.broken_at == 3 and "missing" in (report.reason or "")


def test_m14_1_verify_finds_an_edited_json_value(chain):
    _tamper(f"UPDATE {AuditEntry._meta.db_table} SET after = '{{\"step\": 99}}' WHERE seq = 4")
    assert audit_chain_verify().broken_at == 4


def test_m14_1_audit_verify_command_passes_then_fails_after_tampering(chain):
    out = io.StringIO()
    call_command("audit_verify", stdout=out)
    assert "intact: 5 entries" in out.getvalue()
    _tamper(f"UPDATE {AuditEntry._meta.db_table} SET actor_label = 'someone else' WHERE seq = 1")
    with pytest.raises(CommandError, match="broken at entry 1"):
        call_command("audit_verify", stdout=io.StringIO())


@pytest.mark.django_db(transaction=True)
def test_m14_1_audit_record_refuses_to_run_outside_a_transaction():
    organisation = OrganisationFactory()
    with pytest.raises(RuntimeError, match="inside the transaction"):
        services.audit_record(actor=None, organisation=organisation, action="x", obj=organisation)
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_rule_9_an_entry_in_a_transaction_that_did_not_lock_the_chain_first_is_refused():
    """DESIGN rule 9: a transaction that may already hold row locks must not take the chain's
    lock only when it audits (that order deadlocks); it is opened by @decision instead."""
    organisation = OrganisationFactory()
    before = AuditEntry.objects.count()
    with pytest.raises(RuntimeError, match="decision_transaction"), transaction.atomic():
        services.audit_record(actor=None, organisation=organisation, action="x", obj=organisation)
    assert AuditEntry.objects.count() == before


def test_m14_1_a_failed_decision_leaves_neither_the_decision_nor_its_entry(personas):
    before_orgs, before_entries = Organisation.objects.count(), AuditEntry.objects.count()

    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        services.organisation_register(
            actor=personas.bureau,
            name="回滚单位",
            kind="enterprise",
            credit_code="91512081MA62K0260E",
        )
        assert AuditEntry.objects.count() == before_entries + 1
        raise Boom
    assert Organisation.objects.count() == before_orgs
    assert AuditEntry.objects.count() == before_entries


@pytest.mark.django_db(transaction=True)
def test_m14_1_concurrent_decisions_append_one_unbroken_chain():
    """Two writers at once: the advisory lock (PostgreSQL) or the immediate write lock (SQLite)
    lets one append at a time, so sequence numbers and links never fork."""
    import threading

    from django.db import connections

    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("an in-memory SQLite database is one connection; nothing runs concurrently")
    organisation = OrganisationFactory()
    actor = UserFactory()
    errors: list[BaseException] = []

    def write(n: int) -> None:
        try:
            for i in range(n):
                with services.decision_transaction():
                    services.audit_record(
                        actor=actor,
                        organisation=organisation,
                        action="test.concurrent",
                        obj=organisation,
                        after={"i": i},
                    )
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(15,)) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    report = audit_chain_verify()
    assert report.intact and report.checked == 45
