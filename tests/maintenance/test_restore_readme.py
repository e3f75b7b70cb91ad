"""The README's restore, as an operator runs it: `manage.py backup` on the running installation, a new
empty database (PostgreSQL: createdb; SQLite: a new QINGSHEN_VAR_DIR), `manage.py restore DIR` in a
separate process with the same SECRET_KEY and QINGSHEN_DATA_KEY. No `migrate` beforehand."""

import io
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection

from qingshen.accounts.models import User
from qingshen.cases.documents import document_store
from qingshen.cases.models import Document

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[2]
CONTENT = "%PDF-1.4\n% 现场记录\n%%EOF\n".encode()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


def _env(var_dir: Path, database_url: str | None) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "qingshen.settings",
        "QINGSHEN_VAR_DIR": str(var_dir),
        "SECRET_KEY": settings.SECRET_KEY,
        "QINGSHEN_DATA_KEY": settings.QINGSHEN_DATA_KEY,
    }
    for name in ("MEDIA_ROOT", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"):
        env.pop(name, None)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def _manage(env, *args):
    return subprocess.run(  # noqa: S603 (the test's own arguments)
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )


def _pg(tool, *args, env, check=True):
    return subprocess.run([shutil.which(tool), *args], env=env, check=check, capture_output=True)  # noqa: S603


def _backup_of_a_used_installation(world, tmp_path) -> tuple[Path, dict, Document]:
    world.ent_north.contact_phone = "13812345678"  # encrypted: the restore must read it with the same key
    world.ent_north.save()
    doc = document_store(
        case=world.case_north,
        kind="other",
        upload=SimpleUploadedFile("现场记录.pdf", CONTENT),
        actor=world.users["enterprise"],
    )
    counts = {"users": User.objects.count(), "documents": Document.objects.count()}
    call_command("backup", "--dir", str(tmp_path / "backups"), stdout=io.StringIO())
    return next((tmp_path / "backups").iterdir()), counts, doc


def _assert_restored(result, counts, var_dir, env, doc):
    out = result.stdout + result.stderr
    assert result.returncode == 0, out
    assert "Traceback" not in out
    assert "Restore complete" in result.stdout
    assert f"  users: {counts['users']}" in result.stdout
    assert f"  documents: {counts['documents']}" in result.stdout
    assert (var_dir / "media" / doc.file.name).read_bytes() == CONTENT
    # The restored installation is at this version's schema and its log verifies.
    check = _manage(env, "migrate", "--check")
    assert check.returncode == 0, check.stdout + check.stderr
    verify = _manage(env, "verify_log")
    assert verify.returncode == 0, verify.stdout + verify.stderr


def test_restore_into_a_freshly_created_empty_postgresql_database(world, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL: run with DATABASE_URL=postgres://…")
    path, counts, doc = _backup_of_a_used_installation(world, tmp_path)
    db = connection.settings_dict
    fresh = f"{db['NAME']}_restore"
    where = ["-h", db.get("HOST") or "127.0.0.1", "-p", str(db.get("PORT") or 5432), "-U", db["USER"]]
    pg_env = {**os.environ, **({"PGPASSWORD": db["PASSWORD"]} if db.get("PASSWORD") else {})}
    _pg("dropdb", *where, "--if-exists", fresh, env=pg_env)
    _pg("createdb", *where, fresh, env=pg_env)
    try:
        auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
        url = f"postgres://{auth}@{where[1]}:{where[3]}/{fresh}"
        var_dir = tmp_path / "new-installation"
        env = _env(var_dir, url)
        result = _manage(env, "restore", str(path))
        _assert_restored(result, counts, var_dir, env, doc)
    finally:
        _pg("dropdb", *where, "--if-exists", fresh, env=pg_env, check=False)


def test_restore_into_a_new_sqlite_var_directory(world, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite")
    path, counts, doc = _backup_of_a_used_installation(world, tmp_path)
    var_dir = tmp_path / "new-installation"
    env = _env(var_dir, None)
    result = _manage(env, "restore", str(path))
    _assert_restored(result, counts, var_dir, env, doc)
    with sqlite3.connect(var_dir / "qingshen.sqlite3") as db:
        assert db.execute("select count(*) from accounts_user").fetchone()[0] == counts["users"]


def test_restore_refuses_a_database_holding_part_of_the_schema(world, tmp_path):
    """Neither empty nor an installation: said plainly, nothing restored."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite is enough to show the refusal")
    path, _counts, _doc = _backup_of_a_used_installation(world, tmp_path)
    var_dir = tmp_path / "half"
    var_dir.mkdir()
    with sqlite3.connect(var_dir / "qingshen.sqlite3") as db:
        db.execute("create table accounts_jurisdiction (id integer primary key)")
    result = _manage(_env(var_dir, None), "restore", str(path))
    assert result.returncode != 0
    assert "part of qingshen's tables" in result.stderr and "Traceback" not in result.stderr
