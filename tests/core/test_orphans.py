"""No orphan files: uploads are staged until their record commits; a process dying in between leaves
a staged file that backups skip and the reconciler removes once old; a referenced file is never removed."""

import io
import json
import os
import shutil
import time
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db.models.signals import pre_save

from qingshen.cases.documents import document_store
from qingshen.cases.models import Document
from qingshen.core.files.digests import file_digests
from qingshen.programmes import services as programme_services
from qingshen.programmes.imports import batches as import_batches
from qingshen.programmes.models import ImportBatch
from qingshen.trail.models import Event

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
CSV = "企业名称,统一社会信用代码,纳入类型\n".encode()
TWO_DAYS = 2 * 24 * 3600


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


def _files(media: Path) -> set[str]:
    return {p.relative_to(media).as_posix() for p in media.rglob("*") if p.is_file()}


def _age_everything(media: Path) -> None:
    past = time.time() - TWO_DAYS
    for p in media.rglob("*"):
        if p.is_file():
            os.utime(p, (past, past))


def _store(world, data: bytes, name="现场记录.pdf") -> Document:
    return document_store(
        case=world.case_north,
        kind="other",
        upload=ContentFile(data, name=name),
        actor=world.users["enterprise"],
    )


def _die_before_the_record(sender, **kwargs):
    # The process stops here, after the file is stored and before its row is written. SystemExit is
    # a BaseException: no `except Exception` clean-up runs, exactly as when the worker is killed.
    raise SystemExit("killed")


def _assert_every_record_has_its_file(media: Path) -> None:
    for doc in Document.objects.all():
        sha256, sm3, _size = file_digests((media / doc.file.name).open("rb"))
        assert (sha256, sm3) == (doc.sha256, doc.sm3), doc.file.name
    for batch in ImportBatch.objects.all():
        assert (media / batch.file.name).is_file()


@pytest.mark.django_db(transaction=True)
def test_a_crash_between_file_and_record_leaves_an_orphan_backups_skip_and_the_sweep_removes(
    world, media, tmp_path
):
    kept = _store(world, PDF)
    assert not kept.file.name.endswith(".staged")  # committed: the file has its final name
    assert (media / kept.file.name).read_bytes() == PDF
    before = _files(media)

    pre_save.connect(_die_before_the_record, sender=Document)
    try:
        with pytest.raises(SystemExit):
            _store(world, PDF + b"% a 60 MB scan in real life\n")
    finally:
        pre_save.disconnect(_die_before_the_record, sender=Document)
    orphans = _files(media) - before
    assert len(orphans) == 1 and next(iter(orphans)).endswith(".staged")
    assert Document.objects.count() == len({d.pk for d in Document.objects.all()})
    # An orphan with a final-looking name (stored before uploads were staged) is judged the same way.
    legacy = f"cases/{world.case_north.pk}/ff/{'f' * 64}"
    (media / legacy).parent.mkdir(parents=True, exist_ok=True)
    (media / legacy).write_bytes(b"left over")
    orphans.add(legacy)

    out = io.StringIO()
    call_command("backup", "--dir", str(tmp_path / "backups"), stdout=out)
    path = next((tmp_path / "backups").iterdir())
    manifest = json.loads((path / "manifest.json").read_text())
    carried = {f["path"].removeprefix("media/") for f in manifest["files"]}
    assert before <= carried and not orphans & carried
    assert {f["path"] for f in manifest["skipped_unreferenced"]} == orphans
    assert "Skipped 2 file(s) no record names" in out.getvalue()

    # Young orphans are left alone (their transaction might still be open) ...
    call_command("reconcile_files", stdout=io.StringIO())
    assert orphans <= _files(media)
    # ... old ones go, and no file a record names does, however old.
    _age_everything(media)
    out = io.StringIO()
    call_command("sweep", "--skip-recompute", stdout=out)
    assert "files: removed 2 unreferenced" in out.getvalue()
    assert _files(media) == before
    _assert_every_record_has_its_file(media)
    event = Event.objects.get(action="files.reconcile")
    assert event.after["removed_count"] == 2 and sorted(event.after["removed"]) == sorted(orphans)
    # Nothing left to do: a second run changes nothing and logs nothing.
    call_command("reconcile_files", stdout=io.StringIO())
    assert Event.objects.filter(action="files.reconcile").count() == 1


@pytest.mark.django_db
def test_a_record_committed_before_its_file_was_renamed_keeps_a_good_file_and_is_promoted(world, media):
    """Inside a test transaction nothing commits, so the rows keep naming their staged files: the state
    a process dying right after COMMIT leaves. The reconciler finishes the renaming, never removes."""
    doc = _store(world, PDF)
    draft = programme_services.programme_create(city=world.city, year=2027, actor=world.users["city"])
    batch = import_batches.import_batch_create(
        programme=draft,
        kind="annual",
        upload=ContentFile(CSV, name="名单.csv"),
        actor=world.users["city"],
    )
    assert doc.file.name.endswith(".staged") and batch.file.name.endswith(".staged")
    staged = {doc.file.name, batch.file.name}
    _age_everything(media)
    call_command("reconcile_files", stdout=io.StringIO())
    doc.refresh_from_db()
    batch.refresh_from_db()
    assert not doc.file.name.endswith(".staged")
    assert not batch.file.name.endswith(".staged")
    assert not staged & _files(media)
    assert (media / doc.file.name).read_bytes() == PDF
    _assert_every_record_has_its_file(media)


@pytest.mark.django_db
def test_a_failed_upload_removes_its_staged_file(world, media):
    before = _files(media)

    def refuse(sender, **kwargs):
        raise RuntimeError("database refused")

    pre_save.connect(refuse, sender=Document)
    try:
        with pytest.raises(RuntimeError):
            _store(world, PDF)
    finally:
        pre_save.disconnect(refuse, sender=Document)
    assert _files(media) == before


@pytest.mark.django_db(transaction=True)
def test_a_backup_taken_between_commit_and_rename_restores_whole(world, media, tmp_path):
    """The dump caught a row still naming its staged file, the rename happened before the files were
    copied: the set carries the final file, and restore points the row at it."""
    from qingshen.maintenance.services import backup_restore

    doc = _store(world, PDF)
    final = doc.file.name
    Document.objects.filter(pk=doc.pk).update(file=f"{final}.0123456789abcdef.staged")  # as in the dump
    call_command("backup", "--dir", str(tmp_path / "b"), stdout=io.StringIO())
    path = next((tmp_path / "b").iterdir())
    carried = {f["path"] for f in json.loads((path / "manifest.json").read_text())["files"]}
    assert f"media/{final}" in carried
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(media)
    report = backup_restore(path=path)
    assert report.ok, report.problems
    assert Document.objects.get(pk=doc.pk).file.name == final
    _assert_every_record_has_its_file(media)
