from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qingshen.core.text import ControlCharacterValidator

TEXT_VALIDATORS = [ControlCharacterValidator(multiline=True)]


def filing_upload_to(instance, filename: str) -> str:
    """Under the programme and district; the file's own name is kept in `attachment_name`."""
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"summaries/{instance.programme_id}/{instance.district_id}/{instance.attachment_sha256}.{ext}"


class SummaryFiling(models.Model):
    """A district's work summary table (附件3) frozen when filed: the figures as they were then, or,
    for a year before the system, the figures the district typed in or imported ("entered")."""

    class Source(models.TextChoices):
        COMPUTED = "computed", _("computed from the cases")
        ENTERED = "entered", _("entered by the district (a year before the system)")

    programme = models.ForeignKey(
        "programmes.Programme", verbose_name=_("programme"), on_delete=models.PROTECT, related_name="+"
    )
    district = models.ForeignKey(
        "accounts.Jurisdiction", verbose_name=_("district"), on_delete=models.PROTECT, related_name="+"
    )
    milestone = models.ForeignKey(
        "programmes.Milestone",
        verbose_name=_("milestone"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # {figure key: value} as computed at filing time, or as entered (decimals as strings).
    figures = models.JSONField(_("figures"))
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.COMPUTED)
    # The workbook an entered table was imported from, if any (its own name and digest).
    source_file_name = models.CharField(_("imported from"), max_length=255, blank=True)
    source_file_sha256 = models.CharField(_("imported file SHA-256"), max_length=64, blank=True)
    # The notice asks for the table with a written summary and next year's work plan (11/30).
    narrative = models.TextField(_("written summary"), blank=True, validators=TEXT_VALIDATORS)
    work_plan = models.TextField(_("next year's work plan"), blank=True, validators=TEXT_VALIDATORS)
    attachment = models.FileField(_("attachment"), upload_to=filing_upload_to, blank=True, max_length=300)
    attachment_name = models.CharField(_("attachment file name"), max_length=255, blank=True)
    attachment_sha256 = models.CharField(_("attachment SHA-256"), max_length=64, blank=True)
    attachment_size = models.PositiveBigIntegerField(_("attachment size"), default=0)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("filed by"), on_delete=models.PROTECT, related_name="+"
    )
    filed_at = models.DateTimeField(_("filed"), auto_now_add=True)

    class Meta:
        verbose_name = _("summary table filing")
        verbose_name_plural = _("summary table filings")
        ordering = ["-filed_at"]
        indexes = [models.Index(fields=["programme", "district", "-filed_at"])]

    def __str__(self):
        return f"{self.programme} {self.district} {timezone.localtime(self.filed_at):%Y-%m-%d}"
