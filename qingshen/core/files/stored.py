"""No orphan files: what a block stored is removed again if the block fails.

    with removed_on_failure() as stored:
        with transaction.atomic():
            doc = document_store(...)
            stored.add(doc.file)
            ...  # anything raising here removes the stored file, then the exception goes on

The files are removed after the block's transaction has rolled back (put the `with` outside the
`transaction.atomic()`), so no committed row is left pointing at a removed file. Uploads are stored
under staging names until their record commits (files/staging.py): those are the names recorded here.
A process that dies runs no clean-up at all; the reconciler (files/reconcile.py) removes what it left.
"""

from contextlib import contextmanager


class StoredFiles:
    """The files stored so far inside a `removed_on_failure` block, as (storage, name)."""

    def __init__(self):
        self._files: list[tuple[object, str]] = []

    def add(self, fieldfile):
        """Record a stored FieldFile (a model's file field after saving); returns it."""
        self._files.append((fieldfile.storage, fieldfile.name))
        return fieldfile

    def extend(self, fieldfiles) -> None:
        for f in fieldfiles:
            self.add(f)

    def __iter__(self):
        return iter(self._files)

    def __len__(self) -> int:
        return len(self._files)

    def remove_all(self) -> None:
        for storage, name in self._files:
            storage.delete(name)
        self._files.clear()


@contextmanager
def removed_on_failure():
    """Yield a `StoredFiles`; if the block raises, delete every file recorded in it and re-raise."""
    stored = StoredFiles()
    try:
        yield stored
    except Exception:
        stored.remove_all()
        raise
