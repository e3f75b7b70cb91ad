"""Uploaded files against their records: finish interrupted promotions, remove files no record names.

Files are stored before their records (files/staging.py), so a process that dies in between leaves a
file no row names — staged, or final if it was stored before staging existed. `files_reconcile` (run
by `manage.py reconcile_files` and `manage.py sweep`) removes such files once they are older than
QINGSHEN_ORPHAN_FILE_HOURS; a younger one may belong to a transaction still open. A file any row of
any model's FileField names is never removed.
"""

import datetime
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import models
from django.utils import timezone

from qingshen.core.files.listing import StoredFile, stored_files
from qingshen.core.files.staging import file_promote, final_name, is_staged


def _file_fields():
    for model in apps.get_models():
        for f in model._meta.concrete_fields:
            if isinstance(f, models.FileField):
                yield model, f


def referenced_names() -> set[str]:
    """Every stored name a row names, and for a staged name also its final name (a promotion may
    have moved the file since the row was read)."""
    names: set[str] = set()
    for model, f in _file_fields():
        for name in (
            model._default_manager.exclude(**{f.attname: ""}).values_list(f.attname, flat=True).iterator()
        ):
            names.add(name)
            if is_staged(name):
                names.add(final_name(name))
    return names


def media_files() -> list[StoredFile]:
    """Every file in the documents' storage (MEDIA_ROOT or the bucket), sorted by name."""
    return stored_files(default_storage)


def files_promote_pending() -> list[str]:
    """Finish the promotions a process stopped before: rows still naming a staged file. Returns the
    final names."""
    done = []
    for model, f in _file_fields():
        rows = model._default_manager.filter(**{f"{f.attname}__endswith": ".staged"}).values_list(
            "pk", f.attname
        )
        for pk, name in rows.iterator():
            final = file_promote(model=model, pk=pk, field=f.attname, staged=name)
            if final is not None:
                done.append(final)
    return done


@dataclass
class ReconcileReport:
    promoted: list = field(default_factory=list)
    removed: list = field(default_factory=list)  # (name, size)
    young: list = field(default_factory=list)  # unreferenced, not yet old enough

    @property
    def removed_bytes(self) -> int:
        return sum(size for _name, size in self.removed)


def files_reconcile(*, hours: float | None = None, dry_run: bool = False) -> ReconcileReport:
    """Promote what a crash left staged, then remove unreferenced files older than `hours`
    (default QINGSHEN_ORPHAN_FILE_HOURS). Logged when it changed anything."""
    from qingshen.trail.services import event_record

    hours = settings.QINGSHEN_ORPHAN_FILE_HOURS if hours is None else hours
    report = ReconcileReport()
    # The files first, the references after: a file stored and committed in between is referenced.
    on_storage = media_files()
    if not dry_run:
        report.promoted = files_promote_pending()
    referenced = referenced_names()
    cutoff = timezone.now() - datetime.timedelta(hours=hours)
    for stored in on_storage:
        if stored.name in referenced:
            continue
        if stored.modified > cutoff:
            report.young.append(stored.name)
            continue
        if not dry_run:
            default_storage.delete(stored.name)  # already gone (a staged name just promoted): a no-op
        report.removed.append((stored.name, stored.size))
    if not dry_run and (report.removed or report.promoted):
        event_record(
            action="files.reconcile",
            actor_name="manage.py",
            after={
                "removed": [name for name, _size in report.removed[:100]],
                "removed_count": len(report.removed),
                "removed_bytes": report.removed_bytes,
                "promoted": report.promoted[:100],
                "older_than_hours": hours,
            },
        )
    return report
