"""M14.1: checkpoints of the chain's head, signed, listed publicly and exportable; verify checks
the chain against them, so entries removed from its end are named."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from kttc.core import integrity, protection, services
from kttc.core.models import AuditCheckpoint, AuditEntry
from kttc.core.selectors import audit_chain_verify
from kttc.core.tests.factories import credit_code


def _register(personas, n: int) -> None:
    services.organisation_register(
        actor=personas.bureau,
        name=f"检查点单位{n}",
        kind="enterprise",
        credit_code=credit_code(700 + n),
    )


@pytest.fixture
def chain(personas):
    protection.install(connection)
    for n in range(4):
        _register(personas, n)
    return AuditEntry.objects.order_by("-seq").first()


def test_m14_1_a_checkpoint_records_the_signed_head_once(chain):
    out = io.StringIO()
    call_command("audit_checkpoint", stdout=out)
    checkpoint = AuditCheckpoint.objects.get()
    assert (checkpoint.seq, checkpoint.hash) == (chain.seq, chain.hash)
    assert checkpoint.signature == integrity.checkpoint_signature(
        chain.seq, chain.hash, checkpoint.created_at
    )
    assert f"entry {chain.seq}" in out.getvalue()
    assert integrity.checkpoint_record() is None  # the head has not moved
    assert audit_chain_verify().intact


def test_m14_1_verify_names_entries_removed_after_a_checkpoint(chain, personas):
    integrity.checkpoint_record()
    protection.remove(connection)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditentry WHERE seq = %s", [chain.seq])
    protection.install(connection)
    report = audit_chain_verify()
    assert not report.intact and report.subject == "checkpoint"
    assert report.broken_at == chain.seq
    assert f"entries {chain.seq} to {chain.seq} are missing" in report.reason
    with pytest.raises(CommandError, match=f"at entry {chain.seq}"):
        call_command("audit_verify", stdout=io.StringIO())


def test_m14_1_verify_against_an_exported_copy_finds_a_removal_even_without_checkpoints(
    chain, client, tmp_path
):
    integrity.checkpoint_record()
    export = client.get(reverse("audit_checkpoints"), {"format": "json"})
    assert export.status_code == 200
    kept = tmp_path / "kept.json"
    kept.write_bytes(export.content)
    assert json.loads(export.content)["checkpoints"][0]["hash"] == chain.hash
    protection.remove(connection)
    with connection.cursor() as cursor:  # the intruder removes the checkpoint too
        cursor.execute("DELETE FROM core_auditcheckpoint")
        cursor.execute("DELETE FROM core_auditentry WHERE seq = %s", [chain.seq])
    protection.install(connection)
    call_command("audit_verify", stdout=io.StringIO())  # nothing on the platform tells
    with pytest.raises(CommandError, match="kept checkpoint"):
        call_command("audit_verify", against=str(kept), stdout=io.StringIO())


def test_m14_1_a_forged_checkpoint_is_named(chain):
    checkpoint = integrity.checkpoint_record()
    protection.remove(connection)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditcheckpoint SET signature = %s", ["0" * 64])
    protection.install(connection)
    report = audit_chain_verify()
    assert report.broken_at == checkpoint.seq and "signature" in report.reason


def test_m14_1_checkpoints_are_written_once_in_the_database(chain):
    integrity.checkpoint_record()
    for statement in (
        "UPDATE core_auditcheckpoint SET seq = 1",
        "DELETE FROM core_auditcheckpoint",
    ):
        with (
            pytest.raises(DatabaseError, match="written once"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement)


def test_m14_1_the_public_page_lists_checkpoints_and_exports_csv(chain, client, personas):
    integrity.checkpoint_record()
    _register(personas, 9)
    integrity.checkpoint_record()
    page = client.get(reverse("audit_checkpoints"), {"page": "999999999999999999999"})
    assert page.status_code == 200
    assert chain.hash in page.content.decode()
    csv_text = client.get(reverse("audit_checkpoints"), {"format": "csv"}).content.decode()
    assert csv_text.splitlines()[0] == "seq,hash,time,key_id,signature"
    assert len(csv_text.splitlines()) == 3


def test_m14_1_the_daily_sweep_records_one_checkpoint_a_day(chain, personas):
    call_command("sweep", "--no-mail", stdout=io.StringIO())
    assert AuditCheckpoint.objects.count() == 1
    _register(personas, 8)
    call_command("sweep", "--no-mail", stdout=io.StringIO())
    assert AuditCheckpoint.objects.count() == 1  # one a day
