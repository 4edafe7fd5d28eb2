"""M14.1: backup and restore, a round trip. A small platform (published results, documents, a
checkpoint) is backed up, restored into a fresh database and a fresh media folder, and then
its audit chain verifies against the backup's head and checkpoint, its documents are
byte-identical and the search finds a published result. A damaged backup is refused before
anything is touched. On the vendor the suite runs on: SQLite always, PostgreSQL in its run."""

from __future__ import annotations

import io
import json
import shutil
import sqlite3
from types import SimpleNamespace

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from kttc.center import search
from kttc.center.search.base import SearchQuery
from kttc.center.tests.factories import published_achievement
from kttc.cli import translate
from kttc.core import backup, integrity
from kttc.core.documents import store
from kttc.core.models import AuditEntry

pytestmark = pytest.mark.django_db(transaction=True)

DOCUMENTS = {"evidence": "合同扫描件 — 第一页".encode() * 200, "minutes": bytes(range(256)) * 40}


@pytest.fixture
def platform(personas, settings, tmp_path, django_capture_on_commit_callbacks):
    """A few decisions (two results entered, submitted and published), two documents under
    MEDIA_ROOT and a checkpoint of the chain's head."""
    if connection.vendor == "postgresql" and not (
        backup.pg_binary("pg_dump") and backup.pg_binary("pg_restore")
    ):
        pytest.skip("pg_dump/pg_restore not found: install Debian's postgresql-client")
    settings.MEDIA_ROOT = tmp_path / "media"
    search.reset()
    for name in ("高原特色植物提取物制备方法", "澜湄跨境冷链物流监测系统"):
        published_achievement(personas, django_capture_on_commit_callbacks, name=name)
    names = {key: store(content, "backup-test")[1] for key, content in DOCUMENTS.items()}
    integrity.checkpoint_record()
    return names


def _fresh_database() -> None:
    """An empty database in place of the test's: no table, no row."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        sqlite3.connect(":memory:").backup(connection.connection)
    else:
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    connection.close()


def test_m14_1_backup_and_restore_round_trip(platform, settings, tmp_path, monkeypatch):
    head = AuditEntry.objects.order_by("-seq").first()
    out = io.StringIO()
    call_command("backup", str(tmp_path / "backup"), stdout=out)
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert manifest["audit"]["head"] == {"seq": head.seq, "hash": head.hash}
    assert manifest["audit"]["checkpoint"]["seq"] == head.seq
    assert manifest["database"]["vendor"] == connection.vendor
    assert "Backup written" in out.getvalue()

    # A non-empty folder is refused; so is a non-empty target database without --force.
    with pytest.raises(CommandError, match="not an empty folder"):
        call_command("backup", str(tmp_path / "backup"), stdout=io.StringIO())
    with pytest.raises(CommandError, match=r"not empty .*--force"):
        call_command("restore", str(tmp_path / "backup"), stdout=io.StringIO())

    # One byte changed: refused, naming the file, before anything is touched (even --force).
    damaged = tmp_path / "damaged"
    shutil.copytree(tmp_path / "backup", damaged)
    db_file = damaged / manifest["database"]["file"]
    data = bytearray(db_file.read_bytes())
    data[len(data) // 2] ^= 0x01
    db_file.write_bytes(bytes(data))
    settings.MEDIA_ROOT = tmp_path / "restored-media"
    with pytest.raises(CommandError, match=f"{db_file.name} is damaged"):
        call_command("restore", str(damaged), "--force", stdout=io.StringIO())
    assert AuditEntry.objects.count() == head.seq  # the database untouched
    assert not (tmp_path / "restored-media").exists()

    # A fresh database, a fresh media folder, a fresh search index: restore.
    _fresh_database()
    settings.KTTC_SEARCH_DIR = tmp_path / "restored-search"
    search.reset()
    out = io.StringIO()
    call_command("restore", str(tmp_path / "backup"), stdout=out)
    assert "audit chain intact" in out.getvalue()
    assert "agrees with the last checkpoint" in out.getvalue()
    restored = AuditEntry.objects.order_by("-seq").first()
    assert (restored.seq, restored.hash) == (head.seq, head.hash)
    call_command("audit_verify", stdout=io.StringIO())  # exit 0
    for key, name in platform.items():
        assert (tmp_path / "restored-media" / name).read_bytes() == DOCUMENTS[key]
    hits = search.backend().search(SearchQuery(text="冷链物流")).hits
    assert len(hits) == 1
    search.reset()

    # --force replaces a database holding data; a backup older than the code says what to run.
    monkeypatch.setattr(backup, "pending_migrations", lambda: 2)
    with pytest.raises(CommandError, match=r"predates 2 migration.*kttc migrate"):
        call_command("restore", str(tmp_path / "backup"), "--force", stdout=io.StringIO())
    assert AuditEntry.objects.order_by("-seq").first().hash == head.hash


def test_m14_1_restore_refuses_a_chain_that_disagrees_with_the_manifest(platform, tmp_path):
    call_command("backup", str(tmp_path / "backup.tar"), stdout=io.StringIO())
    with backup.opened(tmp_path / "backup.tar") as bundle:
        manifest = bundle.manifest
    manifest["audit"]["checkpoint"]["hash"] = "0" * 64
    report = backup.verify_against(manifest)
    assert not report.intact
    assert "the backup's checkpoint" in report.text


def test_m14_1_bad_arguments_are_named(tmp_path):
    assert translate(["restore", "b.tar", "--force"]) == ["restore", "b.tar", "--force"]
    with pytest.raises(CommandError, match="does not exist"):
        call_command("restore", str(tmp_path / "nowhere"), stdout=io.StringIO())
    (tmp_path / "notes.txt").write_text("not a backup")
    with pytest.raises(CommandError, match=r"neither a backup folder nor a backup \.tar"):
        call_command("restore", str(tmp_path / "notes.txt"), stdout=io.StringIO())
    (tmp_path / "empty").mkdir()
    with pytest.raises(CommandError, match=r"manifest\.json is missing"):
        call_command("restore", str(tmp_path / "empty"), stdout=io.StringIO())
    with pytest.raises(CommandError, match="is not a folder"):
        call_command("backup", str(tmp_path / "no" / "such" / "b.tar"), stdout=io.StringIO())


def test_m14_1_the_database_password_never_reaches_the_command_line(monkeypatch):
    conf = {"HOST": "db.kttc.example", "PORT": 5432, "USER": "kttc", "PASSWORD": "s3cret!"}
    monkeypatch.setattr(backup, "connection", SimpleNamespace(settings_dict=conf | {"NAME": "k"}))
    args, env = backup._pg_connection()
    assert "s3cret!" not in " ".join(args)
    assert args[:6] == ["--host", "db.kttc.example", "--port", "5432", "--username", "kttc"]
    assert args[6:] == ["--dbname", "k"]
    assert env["PGPASSWORD"] == "s3cret!"
