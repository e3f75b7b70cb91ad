from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SummaryFiling(models.Model):
    """A district's work summary table (附件3) frozen when filed: the figures as they were then."""

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
    # {figure key: value} as computed at filing time (decimals as strings).
    figures = models.JSONField(_("figures"))
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
