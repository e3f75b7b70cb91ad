"""An uploaded export of the discharge-permit system (programmes.permits): stored first, checked in the
background, written all or nothing; the statuses and report are the list import's."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from qingshen.programmes.models import ImportBatch  # defined before models.py imports this module


def permit_upload_to(instance, filename):
    return f"imports/permits/{instance.jurisdiction_id}/{instance.sha256}"


class PermitBatch(models.Model):
    Status = ImportBatch.Status

    # The uploader's jurisdiction: every row's enterprise must lie in it.
    jurisdiction = models.ForeignKey(
        "accounts.Jurisdiction", verbose_name=_("jurisdiction"), on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField(_("file"), upload_to=permit_upload_to, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64)
    sm3 = models.CharField("SM3", max_length=64)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.QUEUED)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    errors = models.JSONField(_("errors"), default=list)  # [{"row", "column", "problem", "fix"}]
    rows = models.JSONField(_("validated rows"), default=list)  # one entry per permit
    created_count = models.PositiveIntegerField(_("permits created"), default=0)
    changed_count = models.PositiveIntegerField(_("permits changed"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    interrupted_at = models.DateTimeField(_("interrupted"), null=True, blank=True)
    interrupted_during = models.CharField(
        _("interrupted during"), max_length=20, choices=Status.choices, blank=True
    )

    class Meta:
        verbose_name = _("permit import")
        verbose_name_plural = _("permit imports")
        ordering = ["-created_at"]

    def __str__(self):
        return self.original_name

    @property
    def percent(self) -> int:
        return int(100 * self.processed_rows / self.total_rows) if self.total_rows else 0
