"""Uploaded files of a case (材料): never overwritten, each upload a new version."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from qingshen.cases.models.case import AuditCase, HardDeleteRefused


class DocumentImmutable(Exception):
    """A stored document's file and facts never change; a new version supersedes it."""


def document_upload_to(instance, filename):
    # The stored name is the digest: original names can be anything and stay in `original_name`.
    return f"cases/{instance.case_id}/{instance.sha256[:2]}/{instance.sha256}"


class Document(models.Model):
    """An uploaded file (材料). Never overwritten; a new upload is a new version."""

    class Kind(models.TextChoices):
        DISCLOSURE_PROOF = "disclosure_proof", _("Disclosure proof")
        AUDIT_REPORT = "audit_report", _("Audit report")
        TECHNICAL_EVIDENCE = "technical_evidence", _("Technical evidence")
        CAPACITY_PROOF = "capacity_proof", _("Agency or own-capacity proof")
        APPLICATION = "application", _("Application form")
        MONITORING_REPORT = "monitoring_report", _("Monitoring report")
        ACCEPTANCE_REPORT = "acceptance_report", _("Acceptance report")
        IMPLEMENTATION_EVIDENCE = "implementation_evidence", _("Implementation evidence")
        PHOTO = "photo", _("Photo")
        OPINION = "opinion", _("Technical review opinion")
        ACCEPTANCE_OPINION = "acceptance_opinion", _("Acceptance opinion")
        NOTICE_LETTER = "notice_letter", _("One-time notification letter")
        WITHDRAWAL = "withdrawal", _("Withdrawal proof")
        OTHER = "other", _("Other")

    # What a stored file is may never change afterwards; only these may be set on a saved row.
    MUTABLE_FIELDS = frozenset({"superseded_by", "used_in_review"})
    OPINION_KINDS = (Kind.OPINION, Kind.ACCEPTANCE_OPINION)
    # Documents the bureau issues or records; nobody uploads them through the portal.
    ISSUED_KINDS = frozenset({*OPINION_KINDS, Kind.WITHDRAWAL, Kind.NOTICE_LETTER})

    case = models.ForeignKey(
        AuditCase, verbose_name=_("case"), on_delete=models.PROTECT, related_name="documents"
    )
    kind = models.CharField(_("type"), max_length=30, choices=Kind.choices)
    version = models.PositiveIntegerField(_("version"), default=1)
    file = models.FileField(_("file"), upload_to=document_upload_to, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField("SHA-256", max_length=64)
    sm3 = models.CharField("SM3", max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    restricted = models.BooleanField(_("restricted"), default=True)
    content_type = models.CharField(_("content type"), max_length=20, blank=True)
    # The next version of the same kind; the current version has none.
    superseded_by = models.OneToOneField(
        "self",
        verbose_name=_("superseded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supersedes",
    )
    # Set by the reviews when an application or opinion relies on this file: from then on it can
    # only be superseded by a new version, never changed.
    used_in_review = models.BooleanField(_("used in a review"), default=False)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["case", "kind", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["case", "kind", "version"], name="document_version_unique")
        ]

    def __str__(self):
        return f"{self.get_kind_display()} v{self.version} {self.original_name}"

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if self.pk is not None and (update_fields is None or not set(update_fields) <= self.MUTABLE_FIELDS):
            raise DocumentImmutable("A stored document is never changed; upload a new version.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise HardDeleteRefused("Documents are never deleted; upload a new version.")

    @property
    def is_current(self) -> bool:
        return self.superseded_by_id is None
