"""Warnings about discharge permits (排污许可): an enterprise with an open audit round has no
permit or registration, or its permit has expired or expires soon. Recorded by the sweep
(oversight.permit_warnings); kept apart from the deadline warnings, whose subject is a deadline."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from qingshen.core.paths import JurisdictionPathField


class PermitWarning(models.Model):
    class Kind(models.TextChoices):
        MISSING = "missing", _("no discharge permit or registration")
        EXPIRED = "expired", _("discharge permit expired")
        EXPIRING = "expiring", _("discharge permit expiring")

    enterprise = models.ForeignKey(
        "registry.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(
        "cases.AuditCase", verbose_name=_("case"), on_delete=models.PROTECT, related_name="permit_warnings"
    )
    permit = models.ForeignKey(
        "registry.Permit",
        verbose_name=_("permit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    # The permit's last day (expired, expiring); the day the sweep first found none (missing).
    due_on = models.DateField(_("due on"))
    jurisdiction_path = JurisdictionPathField(db_index=True)
    recorded_at = models.DateTimeField(_("recorded"))
    # When the enterprise and the staff were told (oversight.case_warning_notices); null = not yet.
    notified_at = models.DateTimeField(_("notified"), null=True, blank=True)

    class Meta:
        verbose_name = _("permit warning")
        verbose_name_plural = _("permit warnings")
        ordering = ["-recorded_at", "-pk"]
        constraints = [
            # Once per round for a missing permit, once per permit and kind otherwise: the sweep may rerun.
            models.UniqueConstraint(
                fields=["case", "kind"],
                condition=models.Q(permit__isnull=True),
                name="permit_warning_missing_once",
            ),
            models.UniqueConstraint(
                fields=["case", "permit", "kind"],
                condition=models.Q(permit__isnull=False),
                name="permit_warning_once",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.due_on}"
