"""Documents in an S3 bucket (QINGSHEN_S3_*): stored under a staging name and promoted by a copy in
the bucket, digests unchanged, downloaded through the authorising view as a stream, and the
reconciler and the backup walking the bucket as they walk MEDIA_ROOT."""

import hashlib
import io
import json

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db.models.signals import pre_save
from django.urls import reverse

from qingshen.cases.documents import document_store
from qingshen.cases.models import Document
from qingshen.core.files.digests import file_digests
from qingshen.core.files.s3 import PrivateS3Storage
from qingshen.trail.models import Event

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PREFIX = "inst-a/"


def _store(world, data: bytes) -> Document:
    return document_store(
        case=world.case_north,
        kind="other",
        upload=ContentFile(data, name="现场记录.pdf"),
        actor=world.users["enterprise"],
    )


def _keys(s3_server, bucket) -> set[str]:
    return {k.removeprefix(PREFIX) for k in s3_server.keys(bucket) if k.startswith(PREFIX)}


def _die_before_the_record(sender, **kwargs):
    raise SystemExit("killed")  # as in tests/core/test_orphans.py: no clean-up runs


@pytest.mark.django_db(transaction=True)
def test_a_document_goes_to_the_bucket_and_comes_back_through_the_view(
    world, s3_storages, s3_server, client_for, tmp_path, settings
):
    settings.MEDIA_ROOT = str(tmp_path / "media")  # must stay empty: nothing goes to the local disk
    doc = _store(world, PDF)
    assert isinstance(Document._meta.get_field("file").storage._wrapped, PrivateS3Storage)
    assert not doc.file.name.endswith(".staged")
    assert _keys(s3_server, s3_storages) == {doc.file.name}  # promoted, the staged object removed
    assert not (tmp_path / "media").exists()
    with default_storage.open(doc.file.name, "rb") as fh:
        assert file_digests(fh)[:2] == (doc.sha256, doc.sm3)
    # No address on the bucket is ever given out: the file has the unserved MEDIA_URL, as on disk.
    assert doc.file.url.startswith(settings.MEDIA_URL)

    url = reverse("document-download", args=[world.case_north.pk, doc.pk])
    response = client_for(world.users["district"]).get(url)
    assert response.status_code == 200 and response.streaming
    body = b"".join(response.streaming_content)
    assert body == PDF and hashlib.sha256(body).hexdigest() == doc.sha256
    assert response["Content-Length"] == str(len(PDF))
    assert Event.objects.filter(action="document.download", object_id=str(doc.pk)).exists()
    # Scoped as before: another district's user is not found.
    assert client_for(world.users["district_south"]).get(url).status_code == 404
    # A record whose object has gone is not found either, never a 500.
    s3_server.client().delete_object(Bucket=s3_storages, Key=PREFIX + doc.file.name)
    assert client_for(world.users["district"]).get(url).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_the_reconciler_and_the_backup_walk_the_bucket(world, s3_storages, s3_server, tmp_path):
    kept = _store(world, PDF)
    pre_save.connect(_die_before_the_record, sender=Document)
    try:
        with pytest.raises(SystemExit):
            _store(world, PDF + b"% another scan\n")
    finally:
        pre_save.disconnect(_die_before_the_record, sender=Document)
    orphans = _keys(s3_server, s3_storages) - {kept.file.name}
    assert len(orphans) == 1 and next(iter(orphans)).endswith(".staged")
    # A row committed before its file was renamed (a process dying right after COMMIT).
    staged = f"{kept.file.name}.0123456789abcdef.staged"
    s3_server.client().copy_object(
        Bucket=s3_storages,
        Key=PREFIX + staged,
        CopySource={"Bucket": s3_storages, "Key": PREFIX + kept.file.name},
    )
    Document.objects.filter(pk=kept.pk).update(file=staged)

    call_command("backup", "--dir", str(tmp_path / "backups"), stdout=io.StringIO())
    path = next((tmp_path / "backups").iterdir())
    manifest = json.loads((path / "manifest.json").read_text())
    assert {f["path"] for f in manifest["skipped_unreferenced"]} == orphans
    carried = {f["path"] for f in manifest["files"] if f["path"].startswith("media/")}
    assert carried <= {f"media/{kept.file.name}", f"media/{staged}"} and carried
    assert (path / "media" / next(iter(carried)).removeprefix("media/")).read_bytes() == PDF

    # The staged row is promoted at once; the orphan stays while young, and goes at age limit zero.
    call_command("reconcile_files", stdout=io.StringIO())
    kept.refresh_from_db()
    assert not kept.file.name.endswith(".staged")
    assert Event.objects.get(action="files.reconcile").after["promoted"] == [kept.file.name]
    assert _keys(s3_server, s3_storages) == {kept.file.name} | orphans
    call_command("reconcile_files", "--hours", "0", stdout=io.StringIO())
    assert _keys(s3_server, s3_storages) == {kept.file.name}
    with default_storage.open(kept.file.name, "rb") as fh:
        assert file_digests(fh)[:2] == (kept.sha256, kept.sm3)
    event = Event.objects.filter(action="files.reconcile").latest("pk")
    assert event.after["removed"] == sorted(orphans) and event.after["removed_bytes"] > 0


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_an_empty_bucket(s3_storages, world, s3_server, tmp_path):
    """The storage switched before the world is built: every document of the installation is in the
    bucket, and every one comes back."""
    from qingshen.maintenance.services import backup_restore

    doc = _store(world, PDF)
    stored = _keys(s3_server, s3_storages)
    assert doc.file.name in stored and len(stored) == Document.objects.count()
    call_command("backup", "--dir", str(tmp_path / "b"), stdout=io.StringIO())
    path = next((tmp_path / "b").iterdir())
    call_command("flush", interactive=False, verbosity=0)
    for name in stored:
        s3_server.client().delete_object(Bucket=s3_storages, Key=PREFIX + name)
    assert _keys(s3_server, s3_storages) == set()
    report = backup_restore(path=path)
    assert report.ok, report.problems
    assert report.documents_checked == len(stored)
    assert _keys(s3_server, s3_storages) == stored
    with default_storage.open(doc.file.name, "rb") as fh:
        assert fh.read() == PDF
