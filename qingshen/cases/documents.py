"""Storing uploaded files: digests first, file stored before its record, no orphans on failure."""

import hashlib

from django.conf import settings
from django.core.files.base import File
from django.db import transaction
from django.db.models import Max
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from qingshen.trail.services import event_record

from .errors import DocumentRefused
from .models import AuditCase, Document


def sm3_hasher():
    """SM3 (GB/T 32905) through OpenSSL; environment.md checked it here."""
    return hashlib.new("sm3")


def digests_of(fileobj) -> tuple[str, str, int]:
    sha, sm3, size = hashlib.sha256(), sm3_hasher(), 0
    fileobj.seek(0)
    for chunk in iter(lambda: fileobj.read(1024 * 1024), b""):
        sha.update(chunk)
        sm3.update(chunk)
        size += len(chunk)
    fileobj.seek(0)
    return sha.hexdigest(), sm3.hexdigest(), size


def document_store(*, case: AuditCase, kind: str, upload, actor) -> Document:
    """Store the file, then the record in one transaction; on failure remove the stored file."""
    if upload is None:
        raise DocumentRefused(_("Choose a file to upload."))
    if kind not in Document.Kind.values:
        raise DocumentRefused(_("Unknown document type."))
    limit = settings.QINGSHEN_UPLOAD_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise DocumentRefused(
            _("The file is larger than the limit of %(limit)s.") % {"limit": filesizeformat(limit)}
        )
    sha256, sm3, size = digests_of(upload)
    if size == 0:
        raise DocumentRefused(_("The file is empty."))
    doc = Document(
        case=case,
        kind=kind,
        original_name=upload.name[:255],
        size=size,
        sha256=sha256,
        sm3=sm3,
        uploaded_by=actor,
    )
    doc.file.save(upload.name, File(upload), save=False)
    try:
        with transaction.atomic():
            last = Document.objects.filter(case=case, kind=kind).aggregate(m=Max("version"))["m"] or 0
            doc.version = last + 1
            doc.save()
            event_record(
                action="document.upload",
                actor=actor,
                obj=doc,
                after={"case": case.pk, "kind": kind, "sha256": sha256, "sm3": sm3, "size": size},
            )
    except Exception:
        doc.file.storage.delete(doc.file.name)
        raise
    return doc
