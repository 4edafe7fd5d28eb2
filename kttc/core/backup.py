"""Backup and restore of a platform (M14.1: the restored audit chain must verify against the
last checkpoint the backup recorded).

A backup is a folder (or one ``.tar`` file holding the same three members):

- ``database.sqlite3`` (SQLite's online backup API: a consistent copy while the platform runs) or
  ``database.pgdump`` (``pg_dump --format=custom``);
- ``media.tar``: the documents under MEDIA_ROOT;
- ``manifest.json``: the platform's version and commit, the database vendor, each file's
  SHA-256 and size, the audit chain's head and its last checkpoint at backup time.

Restore checks every hash of the manifest before it touches anything, refuses a target database
that already holds data unless forced, restores the database and the documents, rebuilds the
search index, then verifies the audit chain against the manifest's head and checkpoint.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction

MANIFEST = "manifest.json"
MEDIA = "media.tar"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.pgdump"
FORMAT = 1

Say = Callable[[str], None]


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why."""


def _silent(_text: str) -> None:
    return None


# --- helpers ----------------------------------------------------------------------------------


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _version() -> dict[str, str]:
    from importlib import metadata

    try:
        version = metadata.version("kttc")
    except metadata.PackageNotFoundError:
        version = "unknown"
    commit = os.environ.get("KTTC_COMMIT", "")
    if not commit:
        try:
            commit = subprocess.run(
                ["git", "rev-parse", "HEAD"],  # noqa: S607
                cwd=settings.BASE_DIR,
                capture_output=True,
                text=True,
                timeout=10,
                check=False,
            ).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            commit = ""
    return {"version": version, "commit": commit or "unknown"}


def vendor() -> str:
    return str(connection.vendor)


def pg_binary(name: str) -> str | None:
    """``pg_dump`` or ``pg_restore``: from ``pg_config --bindir``, else the newest Debian
    ``/usr/lib/postgresql/*/bin``, else the PATH (as scripts/with-postgres finds the server)."""
    pg_config = shutil.which("pg_config")
    if pg_config:
        try:
            bindir = subprocess.run(  # noqa: S603
                [pg_config, "--bindir"], capture_output=True, text=True, timeout=10, check=False
            ).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            bindir = ""
        if bindir and os.access(Path(bindir) / name, os.X_OK):
            return str(Path(bindir) / name)

    def major(path: Path) -> tuple[int, ...]:
        try:
            return tuple(int(p) for p in path.parent.name.split("."))
        except ValueError:
            return (0,)

    debian = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=major, reverse=True)
    for bindir_path in debian:
        if os.access(bindir_path / name, os.X_OK):
            return str(bindir_path / name)
    return shutil.which(name)


def _pg_connection() -> tuple[list[str], dict[str, str]]:
    """The connection arguments and the child's environment: the password in PGPASSWORD, never
    on the command line (where every user of the machine could read it)."""
    conf = connection.settings_dict
    args: list[str] = []
    if conf.get("HOST"):
        args += ["--host", str(conf["HOST"])]
    if conf.get("PORT"):
        args += ["--port", str(conf["PORT"])]
    if conf.get("USER"):
        args += ["--username", str(conf["USER"])]
    args += ["--dbname", str(conf["NAME"])]
    env = dict(os.environ)
    if conf.get("PASSWORD"):
        env["PGPASSWORD"] = str(conf["PASSWORD"])
    return args, env


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{what} failed (exit {result.returncode}): {result.stderr.strip()}")


def _audit_head(cursor: Any) -> dict[str, Any]:
    cursor.execute("SELECT seq, hash FROM core_auditentry ORDER BY seq DESC LIMIT 1")
    head = cursor.fetchone()
    cursor.execute(
        "SELECT seq, hash, created_at FROM core_auditcheckpoint ORDER BY seq DESC LIMIT 1"
    )
    checkpoint = cursor.fetchone()
    return {
        "head": None if head is None else {"seq": int(head[0]), "hash": str(head[1])},
        "checkpoint": None
        if checkpoint is None
        else {"seq": int(checkpoint[0]), "hash": str(checkpoint[1]), "time": str(checkpoint[2])},
    }


# --- backup -----------------------------------------------------------------------------------


def _dump_sqlite(target: Path, say: Say) -> dict[str, Any]:
    connection.ensure_connection()
    source = connection.connection
    size = Path(str(connection.settings_dict["NAME"]))
    if size.is_file():
        say(f"  database: copying {size.stat().st_size / 1e6:,.1f} MB")
    started = time.monotonic()
    destination = sqlite3.connect(target)
    try:
        # All pages in one step: one read transaction, a consistent snapshot (WAL lets writers
        # go on meanwhile); copied in steps, a write by another process would restart it.
        source.backup(destination, pages=-1)
        say(f"  database: copied in {time.monotonic() - started:.1f} s")
        # The head and checkpoint of the copy itself: what was backed up, nothing later.
        return _audit_head(destination.cursor())
    finally:
        destination.close()


def _dump_postgres(target: Path, say: Say) -> dict[str, Any]:
    pg_dump = pg_binary("pg_dump")
    if pg_dump is None:
        raise BackupError(
            "pg_dump not found: install the PostgreSQL client (Debian's postgresql-client) "
            "of the server's version or newer"
        )
    args, env = _pg_connection()
    say("  database: pg_dump --format=custom")
    started = time.monotonic()
    if connection.in_atomic_block:  # called inside a transaction: no snapshot of our own
        with connection.cursor() as cursor:
            chain = _audit_head(cursor)
        _run([pg_dump, "--format=custom", "--file", str(target), *args], env, "pg_dump")
    else:
        # The head read and the dump share one exported snapshot: the manifest names exactly
        # the chain the dump holds, however busy the platform is meanwhile.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = str(cursor.fetchone()[0])
            chain = _audit_head(cursor)
            command = [pg_dump, "--format=custom", f"--snapshot={snapshot}"]
            _run([*command, "--file", str(target), *args], env, "pg_dump")
    say(f"  database: dumped in {time.monotonic() - started:.1f} s")
    return chain


def _tar_media(target: Path, say: Say) -> int:
    root = Path(settings.MEDIA_ROOT)
    count = 0
    with tarfile.open(target, "w") as archive:
        if root.is_dir():
            for path in sorted(root.rglob("*")):
                if path.is_file() and not path.is_symlink():
                    archive.add(path, arcname=str(path.relative_to(root)), recursive=False)
                    count += 1
                    if count % 500 == 0:
                        say(f"  documents: {count:,} files")
    return count


def backup(destination: str | os.PathLike[str], *, say: Say = _silent) -> dict[str, Any]:
    """Write a backup to ``destination``: a new (or empty) folder, or a file ending in ``.tar``.
    Returns the manifest."""
    dest = Path(destination)
    as_tar = dest.suffix == ".tar"
    if as_tar:
        if dest.exists():
            raise BackupError(f"{dest} exists already: a backup never overwrites another")
        if not dest.parent.is_dir():
            raise BackupError(f"{dest.parent} is not a folder")
    elif dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise BackupError(
            f"{dest} is not an empty folder: name a new folder, or a file ending in .tar"
        )
    work = Path(tempfile.mkdtemp(prefix="kttc-backup-", dir=dest.parent if as_tar else None))
    try:
        kind = vendor()
        say(f"Database ({kind})")
        if kind == "sqlite":
            db_file = work / SQLITE_FILE
            chain = _dump_sqlite(db_file, say)
        elif kind == "postgresql":
            db_file = work / PG_FILE
            chain = _dump_postgres(db_file, say)
        else:
            raise BackupError(f"no backup for the database vendor {kind!r}")
        say("Documents (MEDIA_ROOT)")
        documents = _tar_media(work / MEDIA, say)
        say(f"  documents: {documents:,} files")
        files = {}
        for path in (db_file, work / MEDIA):
            files[path.name] = {"sha256": _sha256(path), "size": path.stat().st_size}
        manifest = {
            "format": FORMAT,
            "platform": _version(),
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "database": {"vendor": kind, "file": db_file.name},
            "documents": documents,
            "files": files,
            "audit": chain,
        }
        (work / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
        if as_tar:
            partial = dest.with_name(dest.name + ".partial")
            with tarfile.open(partial, "w") as archive:
                for name in (MANIFEST, db_file.name, MEDIA):
                    archive.add(work / name, arcname=name)
            partial.replace(dest)
        else:
            dest.mkdir(parents=True, exist_ok=True)
            for name in (db_file.name, MEDIA, MANIFEST):  # the manifest last: complete or absent
                shutil.move(str(work / name), dest / name)
        return manifest
    finally:
        shutil.rmtree(work, ignore_errors=True)


# --- restore ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Backup:
    folder: Path
    manifest: dict[str, Any]

    def file(self, name: str) -> Path:
        return self.folder / name


@contextmanager
def opened(source: str | os.PathLike[str], *, say: Say = _silent) -> Iterator[Backup]:
    """The backup at ``source`` (a folder, or a .tar unpacked into a temporary folder), its
    manifest read and every file's size and SHA-256 checked: a damaged backup is refused,
    naming the file, before anything is touched."""
    path = Path(source)
    temporary: Path | None = None
    try:
        if path.is_file():
            if not tarfile.is_tarfile(path):
                raise BackupError(f"{path} is neither a backup folder nor a backup .tar")
            temporary = Path(tempfile.mkdtemp(prefix="kttc-restore-"))
            with tarfile.open(path) as archive:
                for member in archive.getmembers():
                    if member.name not in (MANIFEST, SQLITE_FILE, PG_FILE, MEDIA):
                        raise BackupError(f"{path}: unexpected member {member.name!r}")
                    if not member.isfile():
                        raise BackupError(f"{path}: {member.name} is not a plain file")
                    archive.extract(member, temporary, filter="data")
            folder = temporary
        elif path.is_dir():
            folder = path
        else:
            raise BackupError(f"{path} does not exist")
        try:
            manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
            files = manifest["files"]
            manifest["database"]["vendor"]
            for entry in files.values():
                if not isinstance(entry["size"], int) or not isinstance(entry["sha256"], str):
                    raise TypeError("each file needs an integer size and a sha256")
        except FileNotFoundError:
            raise BackupError(f"{path}: {MANIFEST} is missing (an incomplete backup)") from None
        except (ValueError, KeyError, TypeError) as exc:
            raise BackupError(f"{path}: {MANIFEST} cannot be read ({exc})") from None
        database = SQLITE_FILE if manifest["database"]["vendor"] == "sqlite" else PG_FILE
        for required in (database, MEDIA):
            if required not in files:
                raise BackupError(f"{path}: the manifest does not list {required}")
        for name, expected in files.items():
            say(f"Checking {name} ({int(expected['size']) / 1e6:,.1f} MB) against the manifest")
            if name not in (SQLITE_FILE, PG_FILE, MEDIA):
                raise BackupError(f"{path}: the manifest names an unexpected file {name!r}")
            member = folder / name
            if not member.is_file():
                raise BackupError(f"{path}: {name} is missing")
            if member.stat().st_size != expected["size"] or _sha256(member) != expected["sha256"]:
                raise BackupError(
                    f"{path}: {name} is damaged: its SHA-256 or size differs from the "
                    "manifest's; nothing was restored"
                )
        yield Backup(folder, manifest)
    finally:
        if temporary is not None:
            shutil.rmtree(temporary, ignore_errors=True)


def target_holds_data() -> str | None:
    """What the configured database holds already (audit entries, accounts), or None."""
    from django.contrib.auth import get_user_model

    tables = set(connection.introspection.table_names())
    held = []
    user_table = get_user_model()._meta.db_table
    with connection.cursor() as cursor:
        for table, what in (("core_auditentry", "audit entries"), (user_table, "accounts")):
            if table in tables:
                cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
                count = int(cursor.fetchone()[0])
                if count:
                    held.append(f"{count:,} {what}")
    return ", ".join(held) or None


def _restore_sqlite(source: Path, say: Say) -> None:
    connection.ensure_connection()
    if connection.in_atomic_block:
        raise BackupError("restore cannot run inside a transaction")
    target = connection.connection
    origin = sqlite3.connect(source)
    try:

        def progress(_status: int, remaining: int, total: int) -> None:
            say(f"  database: {total - remaining:,} of {total:,} pages")

        origin.backup(target, pages=4096, progress=progress)
    finally:
        origin.close()
    connection.close()  # the next query opens the restored database afresh


def _restore_postgres(source: Path, say: Say) -> None:
    pg_restore = pg_binary("pg_restore")
    if pg_restore is None:
        raise BackupError(
            "pg_restore not found: install the PostgreSQL client (Debian's postgresql-client)"
        )
    args, env = _pg_connection()
    connection.close()
    say("  database: pg_restore --clean --if-exists --no-owner")
    _run(
        [pg_restore, "--clean", "--if-exists", "--no-owner", "--exit-on-error", *args, str(source)],
        env,
        "pg_restore",
    )


def _restore_media(source: Path, say: Say) -> int:
    root = Path(settings.MEDIA_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    count = 0
    with tarfile.open(source) as archive:
        for member in archive:
            if not member.isfile():
                raise BackupError(f"{MEDIA}: {member.name} is not a plain file")
            archive.extract(member, root, filter="data")
            count += 1
            if count % 500 == 0:
                say(f"  documents: {count:,} files")
    return count


@dataclass(frozen=True)
class RestoreReport:
    intact: bool
    text: str


def restore(bundle: Backup, *, force: bool = False, say: Say = _silent) -> RestoreReport:
    """Restore ``bundle`` (checked by :func:`opened`) into the configured database and
    MEDIA_ROOT, rebuild the search index and verify the audit chain (M14.1)."""
    kind = vendor()
    wanted = bundle.manifest["database"]["vendor"]
    if wanted != kind:
        raise BackupError(
            f"the backup holds a {wanted} database; the configured database is {kind}"
        )
    held = target_holds_data()
    if held and not force:
        raise BackupError(
            f"the target database is not empty ({held}): restore refuses to replace it; "
            "pass --force to replace it with the backup"
        )
    say(f"Database ({kind})")
    if kind == "sqlite":
        _restore_sqlite(bundle.file(SQLITE_FILE), say)
    else:
        _restore_postgres(bundle.file(PG_FILE), say)
    say("Documents (MEDIA_ROOT)")
    documents = _restore_media(bundle.file(MEDIA), say)
    say(f"  documents: {documents:,} files")
    pending = pending_migrations()
    if pending:
        return RestoreReport(
            False,
            f"the database and documents are restored, but the backup's schema predates "
            f"{pending} migration(s) of this version: run `kttc migrate`, then "
            "`kttc search rebuild` and `kttc audit verify`",
        )
    say("Search index")
    from django.core.management import call_command

    out = io.StringIO()
    call_command("search_rebuild", stdout=out)
    say("  " + out.getvalue().strip().splitlines()[-1])
    say("Audit chain (M14.1)")
    return verify_against(bundle.manifest)


def pending_migrations() -> int:
    """How many migrations of this version the restored database lacks."""
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def verify_against(manifest: dict[str, Any]) -> RestoreReport:
    """M14.1: the restored chain walks intact, agrees with its checkpoints and with the head and
    last checkpoint the manifest recorded, and its head is the manifest's."""
    from kttc.core import integrity
    from kttc.core.models import AuditEntry
    from kttc.core.selectors import audit_chain_verify

    audit = manifest.get("audit") or {}
    kept = []
    if audit.get("checkpoint"):
        c = audit["checkpoint"]
        kept.append(integrity.HeadClaim(int(c["seq"]), str(c["hash"]), "the backup's checkpoint"))
    if audit.get("head"):
        h = audit["head"]
        kept.append(integrity.HeadClaim(int(h["seq"]), str(h["hash"]), "the backup's head"))
    report = audit_chain_verify(kept)
    if not report.intact:
        where = f" at entry {report.broken_at}" if report.broken_at is not None else ""
        return RestoreReport(
            False, f"M14.1: the restored audit chain does not verify{where}: {report.reason}"
        )
    head = AuditEntry.objects.order_by("-seq").values_list("seq", "hash").first()
    if audit.get("head") and head is not None and head[0] != audit["head"]["seq"]:
        return RestoreReport(
            True,
            f"M14.1: audit chain intact: {report.checked} entries; its head (entry {head[0]}) "
            f"is later than the backup's (entry {audit['head']['seq']}): written while the "
            "dump ran",
        )
    checkpoint = audit.get("checkpoint")
    against = (
        f"; it agrees with the last checkpoint (entry {checkpoint['seq']})"
        if checkpoint
        else "; the backup recorded no checkpoint"
    )
    return RestoreReport(
        True,
        f"M14.1: audit chain intact: {report.checked} entries, head {report.last_hash} as the "
        f"backup recorded{against}",
    )
