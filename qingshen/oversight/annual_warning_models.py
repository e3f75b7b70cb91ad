"""Warnings about a late annual disclosure (部令第24号 第十四条): a year the case must disclose whose
disclosure was not submitted by its due date (cases.annual_disclosures.due_on). Recorded by the sweep
(oversight.annual_warnings), once per case and year."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from qingshen.core.paths import JurisdictionPathField


class AnnualDisclosureWarning(models.Model):
    enterprise = models.ForeignKey(
        "registry.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(
        "cases.AuditCase",
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        related_name="annual_disclosure_warnings",
    )
    year = models.PositiveSmallIntegerField(_("year disclosed"))
    due_on = models.DateField(_("due on"))
    jurisdiction_path = JurisdictionPathField(db_index=True)
    recorded_at = models.DateTimeField(_("recorded"))
    # When the enterprise and the staff were told (oversight.case_warning_notices); null = not yet.
    notified_at = models.DateTimeField(_("notified"), null=True, blank=True)

    class Meta:
        verbose_name = _("late annual disclosure warning")
        verbose_name_plural = _("late annual disclosure warnings")
        ordering = ["-recorded_at", "-pk"]
        constraints = [
            # The sweep may rerun, and concurrently: one warning per case and year.
            models.UniqueConstraint(fields=["case", "year"], name="annual_disclosure_warning_once"),
        ]

    def __str__(self):
        return f"{self.year} · {self.due_on}"
