"""An enterprise entrusting its case to a consulting agency (委托)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from qingshen.cases.models.case import AuditCase


class Delegation(models.Model):
    """An enterprise entrusts its case to a consulting agency for a period (委托)."""

    case = models.ForeignKey(
        AuditCase, verbose_name=_("case"), on_delete=models.PROTECT, related_name="delegations"
    )
    agency = models.ForeignKey(
        "registry.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="delegations"
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        ordering = ["-starts_on"]

    def __str__(self):
        return f"{self.agency} → {self.case}"
