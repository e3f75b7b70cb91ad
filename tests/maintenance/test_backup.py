"""Backup → restore round trip (SQLite and PostgreSQL) with every digest and the log chain verified."""

import io
import json
import shutil

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from qingshen.accounts.models import User
from qingshen.cases.documents import document_store
from qingshen.cases.models import Document
from qingshen.maintenance.services import BackupError, backup_create, backup_restore, backup_verify
from qingshen.trail.models import ChainHead, Event

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    # autouse: set before `world` stores its documents (the disclosure proofs), so all land here
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


def _with_a_document(world):
    return document_store(
        case=world.case_north,
        kind="other",
        upload=SimpleUploadedFile("现场记录.pdf", "%PDF-1.4\n% 清洁生产 evidence\n".encode()),
        actor=world.users["enterprise"],
    )


def _empty_installation(media):
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(media, ignore_errors=True)


def test_round_trip(world, media, tmp_path):
    doc = _with_a_document(world)
    counts = (User.objects.count(), Event.objects.count(), Document.objects.count())
    head = ChainHead.objects.values("seq", "digest").get(pk=1)
    out = io.StringIO()
    call_command("backup", "--dir", str(tmp_path / "backups"), stdout=out)
    path = next((tmp_path / "backups").iterdir())
    manifest = json.loads((path / "manifest.json").read_text())
    names = {f["path"] for f in manifest["files"]}
    assert f"media/{doc.file.name}" in names and manifest["database"]["file"] in names
    assert all(len(f["sha256"]) == 64 and len(f["sm3"]) == 64 for f in manifest["files"])
    assert manifest["log_head"] == head

    _empty_installation(media)
    assert not User.objects.exists()
    out = io.StringIO()
    call_command("restore", str(path), stdout=out)
    text = out.getvalue()
    assert f"Documents verified against their recorded digests: {counts[2]}" in text
    assert (User.objects.count(), Document.objects.count()) == counts[0::2]
    assert Event.objects.filter(action="system.restore", result="success").exists()
    assert Event.objects.count() == counts[1] + 1  # the restore itself is logged
    assert (media / doc.file.name).read_bytes() == "%PDF-1.4\n% 清洁生产 evidence\n".encode()
    call_command("verify_log", stdout=io.StringIO())


def test_a_tampered_backup_is_refused_before_anything_changes(world, media, tmp_path):
    doc = _with_a_document(world)
    path = backup_create(directory=tmp_path / "backups")
    (path / "media" / doc.file.name).write_bytes(b"swapped")
    with pytest.raises(BackupError, match="does not match"):
        backup_verify(path)
    _empty_installation(media)
    with pytest.raises(CommandError, match="does not match"):
        call_command("restore", str(path))
    assert not User.objects.exists()


def test_an_edited_manifest_is_refused(world, media, tmp_path):
    path = backup_create(directory=tmp_path / "backups")
    manifest = path / "manifest.json"
    manifest.write_text(manifest.read_text().replace('"format": 1', '"format": 2'))
    with pytest.raises(BackupError, match="manifest"):
        backup_verify(path)


def test_restore_refuses_a_non_empty_installation(world, media, tmp_path):
    path = backup_create(directory=tmp_path / "backups")
    with pytest.raises(BackupError, match="not empty"):
        backup_restore(path=path)


def test_restore_reports_a_different_data_key(world, media, tmp_path, settings):
    from qingshen.core.keyservice import key_service

    world.ent_north.contact_phone = "13812345678"
    world.ent_north.save()
    path = backup_create(directory=tmp_path / "backups")
    _empty_installation(media)
    settings.QINGSHEN_DATA_KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="
    key_service.cache_clear()
    try:
        report = backup_restore(path=path)
    finally:
        key_service.cache_clear()
    assert not report.ok and "data key" in report.problems[0]
