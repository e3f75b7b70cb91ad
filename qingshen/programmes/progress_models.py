"""A district's progress return (进展情况报送) for a programme's "progress report due" milestone."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ProgressReturn(models.Model):
    """What one district reports by one progress milestone: a text and, if it likes, a few figures.

    Filed once per district and milestone; filing again replaces the text and figures (logged) and
    keeps the first filing time, by which lateness is judged."""

    milestone = models.ForeignKey(
        "programmes.Milestone",
        verbose_name=_("milestone"),
        on_delete=models.PROTECT,
        related_name="progress_returns",
    )
    district = models.ForeignKey(
        "accounts.Jurisdiction", verbose_name=_("district"), on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("progress"))
    evaluations_held = models.PositiveIntegerField(_("evaluations held"), null=True, blank=True)
    acceptances_held = models.PositiveIntegerField(_("acceptances held"), null=True, blank=True)
    enterprises_behind = models.PositiveIntegerField(_("enterprises behind schedule"), null=True, blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("filed by"), on_delete=models.PROTECT, related_name="+"
    )
    filed_at = models.DateTimeField(_("filed"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("progress return")
        verbose_name_plural = _("progress returns")
        ordering = ["milestone", "district__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["milestone", "district"], name="progress_return_once_per_district"
            )
        ]

    def __str__(self):
        return f"{self.milestone} · {self.district}"
