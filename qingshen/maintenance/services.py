"""Backup and restore: a consistent database copy, the uploaded files, a digest manifest.

A backup set is a directory:
    manifest.json      what is in the set, with SHA-256 and SM3 of every file and the log chain head
    manifest.json.sm3  the manifest's own SM3
    database.sqlite3   (SQLite, online backup API) or database.dump (PostgreSQL, pg_dump -Fc)
    media/...          the uploaded files that a record names (others are listed as skipped)
Restoring checks every digest before touching anything, restores into an empty installation (a new,
empty database is enough: no `migrate` first), migrates the restored database to this version's
schema, then checks the restored files, the documents' recorded digests and the log chain, and reports.
"""

import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone

from qingshen.core.errors import Refused
from qingshen.core.files.digests import file_digests, sm3_hex

FORMAT = 1


class BackupError(Refused):
    pass


def _digests(path: Path) -> tuple[str, str, int]:
    with path.open("rb") as fh:
        return file_digests(fh)


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed (PostgreSQL client tools)")
    return path


def _pg_env() -> tuple[list[str], dict]:
    db = connection.settings_dict
    args = [
        "-h",
        db.get("HOST") or "127.0.0.1",
        "-p",
        str(db.get("PORT") or 5432),
        "-U",
        db.get("USER") or "postgres",
    ]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env


def _dump_database(target: Path) -> str:
    if connection.vendor == "sqlite":
        out = target / "database.sqlite3"
        connection.ensure_connection()
        dst = sqlite3.connect(out)
        try:
            connection.connection.backup(dst)  # the online backup API: consistent while in use
        finally:
            dst.close()
        return out.name
    if connection.vendor == "postgresql":
        out = target / "database.dump"
        args, env = _pg_env()
        # One snapshot for the whole dump (pg_dump's own transaction): consistent while in use.
        subprocess.run(  # noqa: S603  (arguments come from settings, never from a request)
            [
                _tool("pg_dump"),
                *args,
                "-Fc",
                "--no-owner",
                "--no-privileges",
                "-f",
                str(out),
                connection.settings_dict["NAME"],
            ],
            env=env,
            check=True,
            capture_output=True,
        )
        return out.name
    raise BackupError(f"No backup method for {connection.vendor}")


def backup_create(*, directory: Path) -> Path:
    """Write one backup set under `directory`; return its path."""
    from qingshen.trail.models import ChainHead
    from qingshen.trail.services import event_record

    target = directory / f"qingshen-backup-{timezone.now():%Y%m%d-%H%M%S-%f}"
    target.mkdir(parents=True)
    head = ChainHead.objects.filter(pk=1).values("seq", "digest").first() or {"seq": 0, "digest": ""}
    db_file = _dump_database(target)
    skipped = _copy_referenced_media(target / "media")
    files = []
    for path in sorted(p for p in target.rglob("*") if p.is_file()):
        sha256, sm3, size = _digests(path)
        files.append(
            {"path": path.relative_to(target).as_posix(), "size": size, "sha256": sha256, "sm3": sm3}
        )
    manifest = {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "database": {"vendor": connection.vendor, "file": db_file},
        "log_head": head,
        "files": files,
        # Files in the storage that no record names (left by a crash between storing and recording):
        # not carried, listed so an operator can see them before the reconciler removes them.
        "skipped_unreferenced": skipped,
    }
    body = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True).encode()
    (target / "manifest.json").write_bytes(body)
    (target / "manifest.json.sm3").write_text(sm3_hex(body) + "  manifest.json\n")
    event_record(
        action="system.backup",
        actor_name="manage.py",
        after={"set": target.name, "files": len(files), "skipped_unreferenced": len(skipped)},
    )
    return target


def _copy_referenced_media(dest: Path) -> list[dict]:
    """Copy the uploaded files some record names (read after the dump, so every file the dump's rows
    name is among them) out of the documents' storage (disk or bucket); return the others, skipped,
    as {"path", "size"}."""
    from qingshen.maintenance.reconcile import media_files, referenced_names

    dest.mkdir()
    referenced = referenced_names()
    skipped = []
    for stored in media_files():
        if stored.name not in referenced:
            skipped.append({"path": stored.name, "size": stored.size})
            continue
        out = dest / stored.name
        out.parent.mkdir(parents=True, exist_ok=True)
        try:
            with default_storage.open(stored.name, "rb") as src, out.open("wb") as fh:
                shutil.copyfileobj(src, fh)
        except FileNotFoundError:
            out.unlink(missing_ok=True)  # a staged name promoted meanwhile; its final name is copied
    return skipped


def _stored_digests(name: str) -> tuple[str, str, int] | None:
    """(SHA-256, SM3, size) of a file in the documents' storage, None if it is not there."""
    try:
        with default_storage.open(name, "rb") as fh:
            return file_digests(fh)
    except FileNotFoundError:
        return None


@dataclass
class RestoreReport:
    files_checked: int = 0
    database: str = ""
    counts: dict = field(default_factory=dict)
    migrations_applied: list = field(default_factory=list)
    documents_checked: int = 0
    log_rows: int = 0
    problems: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def backup_verify(path: Path) -> dict:
    """Check the manifest's own digest and every file's; raise BackupError on the first mismatch."""
    manifest_path = path / "manifest.json"
    if not manifest_path.exists():
        raise BackupError(f"{path} has no manifest.json")
    body = manifest_path.read_bytes()
    recorded = (path / "manifest.json.sm3").read_text().split()[0]
    if sm3_hex(body) != recorded:
        raise BackupError("manifest.json does not match its SM3 digest")
    manifest = json.loads(body)
    listed = {f["path"] for f in manifest["files"]}
    for entry in manifest["files"]:
        file = path / entry["path"]
        if not file.is_file():
            raise BackupError(f"{entry['path']} is missing from the backup")
        sha256, sm3, size = _digests(file)
        if (sha256, sm3, size) != (entry["sha256"], entry["sm3"], entry["size"]):
            raise BackupError(f"{entry['path']} does not match its digests")
    extra = {p.relative_to(path).as_posix() for p in path.rglob("*") if p.is_file()} - listed
    extra -= {"manifest.json", "manifest.json.sm3"}
    if extra:
        raise BackupError(f"files not in the manifest: {', '.join(sorted(extra))}")
    return manifest


def _installation_is_empty() -> bool:
    """No uploaded files and no rows that matter; a database without our tables (just created,
    never migrated) is empty too."""
    from django.apps import apps

    from qingshen.accounts.models import User
    from qingshen.cases.models import AuditCase
    from qingshen.maintenance.reconcile import media_files
    from qingshen.trail.models import Event

    if media_files():
        return False
    ours = {m._meta.db_table for m in apps.get_models() if m._meta.managed}
    present = ours & set(connection.introspection.table_names())
    if not present:
        return True
    needed = {User._meta.db_table, Event._meta.db_table, AuditCase._meta.db_table}
    if not needed <= present:
        raise BackupError(
            "This database holds part of qingshen's tables: restore into a new, empty database "
            "(createdb) or a fully migrated empty installation."
        )
    return not (User.objects.exists() or Event.objects.exists() or AuditCase.objects.exists())


def _migrate() -> list[str]:
    """Bring the restored schema up to this version's (a set from an older version); return what ran."""
    from django.core.management import call_command
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        call_command("migrate", interactive=False, verbosity=0)
    return [f"{m.app_label}.{m.name}" for m, _backwards in plan]


def _restore_database(path: Path, manifest: dict) -> None:
    vendor, name = manifest["database"]["vendor"], manifest["database"]["file"]
    if vendor != connection.vendor:
        raise BackupError(f"The backup is of {vendor}; this installation runs {connection.vendor}")
    if vendor == "sqlite":
        connection.ensure_connection()
        src = sqlite3.connect(path / name)
        try:
            src.backup(connection.connection)
        finally:
            src.close()
        return
    args, env = _pg_env()
    connection.close()  # pg_restore replaces the tables; hold no locks on them
    result = subprocess.run(  # noqa: S603  (arguments come from settings, never from a request)
        [
            _tool("pg_restore"),
            *args,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "-d",
            connection.settings_dict["NAME"],
            str(path / name),
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed: {result.stderr.strip()[:2000]}")


def _encrypted_fields_readable() -> list[str]:
    """Encrypted personal data needs the same data key as the backed-up installation."""
    from django.apps import apps

    from qingshen.core.encrypted import EncryptedMixin

    for model in apps.get_models():
        fields = [f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedMixin)]
        if not fields:
            continue
        try:
            for _row in model.objects.values_list(*fields).iterator():
                pass
        except Exception:  # InvalidTag or a malformed value: either way unreadable
            return [
                f"{model._meta.label}: encrypted fields cannot be read with this installation's data key "
                "(set the QINGSHEN_DATA_KEY and SECRET_KEY of the backed-up installation)"
            ]
    return []


def backup_restore(*, path: Path) -> RestoreReport:
    """Restore a verified backup set into an empty installation and check what arrived."""
    from qingshen.accounts.models import User
    from qingshen.cases.models import AuditCase, Document
    from qingshen.registry.models import Enterprise
    from qingshen.trail import chain
    from qingshen.trail.models import ChainHead, Event
    from qingshen.trail.services import event_record

    manifest = backup_verify(path)
    report = RestoreReport(files_checked=len(manifest["files"]), database=manifest["database"]["vendor"])
    if not _installation_is_empty():
        raise BackupError(
            "This installation is not empty: restore only into a new, empty database (or a migrated "
            "installation without data)."
        )
    _restore_database(path, manifest)
    report.migrations_applied = _migrate()
    # The files go back into the documents' storage (MEDIA_ROOT or the bucket), by their names.
    media = path / "media"
    for entry in manifest["files"]:
        if entry["path"].startswith("media/"):
            name = entry["path"].removeprefix("media/")
            with (media / name).open("rb") as fh:
                saved = default_storage.save(name, File(fh, name=name))
            if saved != name or (_stored_digests(name) or ())[:2] != (entry["sha256"], entry["sm3"]):
                report.problems.append(f"restored file {entry['path']} differs")
    # A row the dump caught before its file was renamed names the staged file: finish the renaming.
    from qingshen.maintenance.reconcile import files_promote_pending

    files_promote_pending()
    for doc in Document.objects.only("pk", "file", "sha256", "sm3").iterator():
        digests = _stored_digests(doc.file.name)
        report.documents_checked += 1
        if digests is None:
            report.problems.append(f"document {doc.pk}: file {doc.file.name} missing")
        elif digests[:2] != (doc.sha256, doc.sm3):
            report.problems.append(f"document {doc.pk}: file {doc.file.name} does not match its digests")
    report.problems += _encrypted_fields_readable()
    verdict = chain.verify()
    report.log_rows = verdict.checked
    if not verdict.ok:
        report.problems.append(f"log chain broken at row {verdict.broken_seq}: {verdict.reason}")
    head = ChainHead.objects.filter(pk=1).values("seq", "digest").first() or {"seq": 0, "digest": ""}
    if head != manifest["log_head"] and head["seq"] < manifest["log_head"]["seq"]:
        report.problems.append("the restored log ends before the head recorded in the manifest")
    report.counts = {
        "users": User.objects.count(),
        "enterprises": Enterprise.objects.count(),
        "cases": AuditCase.objects.count(),
        "documents": Document.objects.count(),
        "events": Event.objects.count(),
    }
    event_record(
        action="system.restore",
        actor_name="manage.py",
        result="success" if report.ok else "failure",
        after={"set": path.name, "counts": report.counts, "problems": report.problems[:20]},
    )
    return report
