"""Files are stored before their record, under a staging name, and take their final name when the
record commits.

    doc.file.name = file_stage(doc.file, final_name, content)   # <final>.<random>.staged
    with transaction.atomic():
        doc.save()
        promote_on_commit(doc, "file")   # after COMMIT: link the final name, repoint the row, unlink

A process that dies between storing and committing leaves a staged file no row names: the reconciler
(`manage.py reconcile_files`, run by the sweep) removes it once it is older than
QINGSHEN_ORPHAN_FILE_HOURS. One that dies after the commit leaves a row naming its staged file, which
is still a good file; the reconciler finishes the promotion. At no step does a committed row name a
file that is not there.
"""

import logging
import os
import secrets
import shutil

from django.db import transaction

logger = logging.getLogger(__name__)
STAGED_SUFFIX = ".staged"


def staged_name(final: str) -> str:
    return f"{final}.{secrets.token_hex(8)}{STAGED_SUFFIX}"


def is_staged(name: str) -> bool:
    return name.endswith(STAGED_SUFFIX)


def final_name(name: str) -> str:
    """The final name of a staged name (the name itself if it is not staged)."""
    return name.rsplit(".", 2)[0] if is_staged(name) else name


def file_stage(fieldfile, final: str, content) -> str:
    """Write `content` under a staging name beside `final` and return that name (also set on the
    field). A write that fails part-way leaves nothing behind."""
    storage = fieldfile.storage
    name = staged_name(final)
    try:
        fieldfile.name = storage.save(name, content)
    except Exception:
        if storage.exists(name):
            storage.delete(name)
        raise
    return fieldfile.name


def _put_in_place(storage, staged: str, final: str) -> None:
    """Make `final` hold the staged content without a moment where neither name does."""
    if storage.exists(final) and storage.size(final) == storage.size(staged):
        return  # the same content is already there: final names are content digests
    try:
        src, dst = storage.path(staged), storage.path(final)
    except NotImplementedError:  # a storage without local paths (a bucket): copy
        _copy_in_storage(storage, staged, final)
        return
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    if os.path.exists(dst):  # a damaged earlier copy: replace it atomically
        tmp = f"{dst}.{secrets.token_hex(4)}.tmp"
        shutil.copyfile(src, tmp)
        os.replace(tmp, dst)
        return
    try:
        os.link(src, dst)
    except FileExistsError:
        pass  # another promotion of the same content won the race
    except OSError:  # no hard links here (another file system): copy, then rename into place
        tmp = f"{dst}.{secrets.token_hex(4)}.tmp"
        shutil.copyfile(src, tmp)
        os.replace(tmp, dst)


def _copy_in_storage(storage, staged: str, final: str) -> None:
    """Copy through the storage API. A bucket's object is copied by the bucket itself (a readable
    object appears at `final` whole or not at all, as any S3 write); another storage streams it."""
    with storage.open(staged, "rb") as fh:
        obj = getattr(fh, "obj", None)  # django-storages' S3File: the object under its full key
        if obj is not None and obj.key.endswith(staged):
            final_key = obj.key[: len(obj.key) - len(staged)] + final
            obj.meta.client.copy({"Bucket": obj.bucket_name, "Key": obj.key}, obj.bucket_name, final_key)
            return
        saved = storage.save(final, fh)
    if saved != final:
        storage.delete(saved)


def file_promote(*, model, pk, field: str, staged: str) -> str | None:
    """Give a committed row's staged file its final name: put the file in place, repoint the row,
    remove the staged name. Returns the final name, or None if the row no longer names `staged`."""
    storage = model._meta.get_field(field).storage
    final = final_name(staged)
    if not storage.exists(staged):
        if not storage.exists(final):
            return None
    else:
        _put_in_place(storage, staged, final)
    # A queryset update: the name is the one thing that changes, and immutable records allow it.
    updated = model._default_manager.filter(pk=pk, **{field: staged}).update(**{field: final})
    if updated and storage.exists(staged):
        storage.delete(staged)
    return final if updated else None


def promote_on_commit(instance, field: str) -> None:
    """When the current transaction commits, promote the instance's staged file (see the module).
    A failure is logged, not raised: the record is committed and its staged file is good; the
    reconciler finishes the promotion."""
    staged = getattr(instance, field).name
    if not is_staged(staged):
        return
    model, pk = type(instance), instance.pk

    def promote():
        final = file_promote(model=model, pk=pk, field=field, staged=staged)
        if final is not None:
            getattr(instance, field).name = final

    transaction.on_commit(promote, robust=True)
