"""Storing uploaded files: checked by content, digests first, file stored (staged) before its record
and given its final name when the record commits, no orphans on failure, each upload a new version
superseding the previous one of its kind."""

import hashlib
import tempfile

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.db import transaction
from django.db.models import Max
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from qingshen.cases.errors import DocumentRefused
from qingshen.cases.models import AuditCase, Document, document_upload_to
from qingshen.core.files.digests import sm3_hasher
from qingshen.core.files.staging import file_stage, promote_on_commit
from qingshen.core.files.stored import removed_on_failure
from qingshen.core.files.uploads import check_upload
from qingshen.trail.services import event_record

CHUNK = 1024 * 1024
# document_store's default: the new version supersedes the current one of its kind.
LATEST = object()


def _spool(upload, limit: int):
    """Copy the upload into a private temporary file, hashing as it goes.

    An upload that breaks off while being read (a dropped connection, a failing disk) fails here,
    before anything is stored. Returns (copy, sha256, sm3, size).
    """
    copy = tempfile.SpooledTemporaryFile(max_size=CHUNK * 8)  # noqa: SIM115 (returned to the caller)
    sha, sm3, size = hashlib.sha256(), sm3_hasher(), 0
    try:
        upload.seek(0)
        for chunk in iter(lambda: upload.read(CHUNK), b""):
            size += len(chunk)
            if size > limit:
                raise DocumentRefused(
                    _("The file is larger than the limit of %(limit)s.") % {"limit": filesizeformat(limit)}
                )
            sha.update(chunk)
            sm3.update(chunk)
            copy.write(chunk)
    except (OSError, ValueError) as exc:
        copy.close()
        raise DocumentRefused(_("The upload was interrupted; nothing was stored. Please try again.")) from exc
    except DocumentRefused:
        copy.close()
        raise
    copy.seek(0)
    return copy, sha.hexdigest(), sm3.hexdigest(), size


def document_store(
    *, case: AuditCase, kind: str, upload, actor, same_format: bool = False, supersedes=LATEST
) -> Document:
    """Check, store the file, then the record in one transaction; on any failure remove the file.

    The new version supersedes the current one of the same kind (nothing is overwritten); with
    `same_format`, only the current one of the same kind and file type, so a document generated as
    PDF and DOCX keeps both current (a letter's DOCX does not supersede its PDF). `supersedes` names
    the one it replaces instead (a current document of the case and kind), or None for none: two
    application items of one kind each keep their own line of versions.
    """
    if upload is None:
        raise DocumentRefused(_("Choose a file to upload."))
    if kind not in Document.Kind.values:
        raise DocumentRefused(_("Unknown document type."))
    limit = settings.QINGSHEN_UPLOAD_MAX_BYTES
    if getattr(upload, "size", None) is not None and upload.size > limit:
        raise DocumentRefused(
            _("The file is larger than the limit of %(limit)s.") % {"limit": filesizeformat(limit)}
        )
    copy, sha256, sm3, size = _spool(upload, limit)
    try:
        if size == 0:
            raise DocumentRefused(_("The file is empty."))
        wrapped = File(copy, name=upload.name or "file")
        content_type = check_upload(wrapped)
        doc = Document(
            case=case,
            kind=kind,
            original_name=(upload.name or "file")[:255],
            size=size,
            sha256=sha256,
            sm3=sm3,
            uploaded_by=actor,
            content_type=content_type,
        )
        # Under a staging name until the record commits (files/staging.py): a process dying in
        # between leaves a staged file that no row names, which the reconciler removes.
        file_stage(doc.file, document_upload_to(doc, upload.name), wrapped)
    finally:
        copy.close()
    with removed_on_failure() as stored:
        stored.add(doc.file)
        with transaction.atomic():
            current = Document.objects.select_for_update().filter(
                case=case, kind=kind, superseded_by__isnull=True
            )
            if same_format:
                current = current.filter(content_type=content_type)
            if supersedes is not LATEST:
                current = current.filter(pk=getattr(supersedes, "pk", None))
            previous = current.order_by("-version").first()
            last = Document.objects.filter(case=case, kind=kind).aggregate(m=Max("version"))["m"] or 0
            doc.version = last + 1
            doc.save()
            promote_on_commit(doc, "file")
            if previous is not None:
                previous.superseded_by = doc
                previous.save(update_fields=["superseded_by"])
            event_record(
                action="document.upload",
                actor=actor,
                obj=doc,
                after={
                    "case": case.pk,
                    "kind": kind,
                    "version": doc.version,
                    "supersedes": previous.pk if previous else None,
                    "sha256": sha256,
                    "sm3": sm3,
                    "size": size,
                    "content_type": content_type,
                },
            )
    return doc


def document_store_pair(
    *, case: AuditCase, kind: str, stem: str, pdf: bytes, docx: bytes, actor
) -> list[Document]:
    """A generated document in its two formats (PDF to read and print, DOCX to edit before stamping),
    stored as two current documents of `kind`, each superseding the earlier one of its format. Both
    or neither: if the second fails, the first's record rolls back and its file is removed."""
    from qingshen.core.files.stored import removed_on_failure

    with removed_on_failure() as stored, transaction.atomic():
        docs = []
        for data, ext in ((pdf, "pdf"), (docx, "docx")):
            upload = ContentFile(data, name=f"{stem}.{ext}")
            doc = document_store(case=case, kind=kind, upload=upload, actor=actor, same_format=True)
            stored.add(doc.file)
            docs.append(doc)
    return docs


@transaction.atomic
def document_lock_for_review(*, document: Document, actor, review=None) -> Document:
    """Mark a document as relied on by a review (called by the reviews): from now on it can only be
    superseded by a new version. Idempotent."""
    doc = Document.objects.select_for_update().get(pk=document.pk)
    if not doc.used_in_review:
        doc.used_in_review = True
        doc.save(update_fields=["used_in_review"])
        event_record(
            action="document.lock",
            actor=actor,
            obj=doc,
            after={"used_in_review": True, "review": getattr(review, "pk", None)},
        )
    return doc
