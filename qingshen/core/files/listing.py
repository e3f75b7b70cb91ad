"""Every file a storage holds, with its size and time, through Django's storage API.

The reconciler and the backup walk the documents' storage with this, so they work alike on the local
disk and in an S3 bucket. A bucket is listed in one paged request series (its listing carries sizes and
times), instead of a request per folder and two per file.
"""

import dataclasses
import datetime


@dataclasses.dataclass(frozen=True)
class StoredFile:
    name: str  # the storage's name, as a FileField stores it
    size: int
    modified: datetime.datetime


def _walk(storage, folder: str):
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # a local storage whose root was never created
        return
    for filename in files:
        name = f"{folder}/{filename}" if folder else filename
        try:
            yield StoredFile(name, storage.size(name), storage.get_modified_time(name))
        except FileNotFoundError:
            continue  # removed since the folder was listed (a staged name just promoted)
    for sub in folders:
        yield from _walk(storage, f"{folder}/{sub}" if folder else sub)


def _bucket_objects(storage):
    location = (storage.location or "").strip("/")
    prefix = f"{location}/" if location else ""
    for obj in storage.bucket.objects.filter(Prefix=prefix):
        name = obj.key[len(prefix) :]
        if name and not name.endswith("/"):  # a folder marker is not a file
            yield StoredFile(name, obj.size, obj.last_modified)


def stored_files(storage) -> list[StoredFile]:
    """The storage's files, sorted by name."""
    if getattr(storage, "bucket", None) is not None and hasattr(storage, "location"):
        found = _bucket_objects(storage)  # django-storages' S3 storage
    else:
        found = _walk(storage, "")
    return sorted(found, key=lambda f: f.name)
