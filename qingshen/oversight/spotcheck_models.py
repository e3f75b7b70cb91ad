"""Yearly quality spot checks (抽查) of accepted cases: a provable draw, findings and a result."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SpotCheck(models.Model):
    class Mode(models.TextChoices):
        COUNT = "count", _("a number of cases")
        PERCENT = "percent", _("a percentage per district")

    city = models.ForeignKey(
        "accounts.Jurisdiction", verbose_name=_("city"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("cases accepted in"))
    mode = models.CharField(_("sample by"), max_length=10, choices=Mode.choices)
    amount = models.PositiveIntegerField(_("number or percentage"))
    record = models.JSONField(_("draw record"))
    record_sha256 = models.CharField(_("record digest"), max_length=64)
    drawn_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    drawn_at = models.DateTimeField(_("drawn"), auto_now_add=True)
    result = models.TextField(_("result"), blank=True)
    concluded_at = models.DateTimeField(_("concluded"), null=True, blank=True)

    class Meta:
        verbose_name = _("spot check")
        verbose_name_plural = _("spot checks")
        ordering = ["-year", "-pk"]
        constraints = [models.UniqueConstraint(fields=["city", "year"], name="spotcheck_once_per_city_year")]

    def __str__(self):
        return f"{self.year} {self.city}"


class SpotCheckItem(models.Model):
    class Verdict(models.TextChoices):
        PENDING = "pending", _("not yet checked")
        COMPLIANT = "compliant", _("compliant")
        DEFICIENT = "deficient", _("deficient")

    spot_check = models.ForeignKey(SpotCheck, on_delete=models.CASCADE, related_name="items")
    case = models.ForeignKey(
        "cases.AuditCase", verbose_name=_("case"), on_delete=models.PROTECT, related_name="+"
    )
    verdict = models.CharField(_("verdict"), max_length=10, choices=Verdict.choices, default=Verdict.PENDING)
    finding = models.TextField(_("finding"), blank=True)

    class Meta:
        ordering = ["spot_check", "case_id"]
        constraints = [models.UniqueConstraint(fields=["spot_check", "case"], name="spotcheck_case_once")]

    def __str__(self):
        return f"{self.spot_check} · {self.case_id}"
