"""A case's cleaner production targets (清洁生产目标), set in pre-assessment and judged at acceptance."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from qingshen.cases.models.case import HardDeleteRefused


class Target(models.Model):
    """One target: an indicator, its value before the audit and the value to reach by a year.

    The actual value at acceptance is the enterprise's figure, or, when the target is measured by a
    benefit indicator and none is entered, the baseline less (or plus) the options' verified benefits.
    """

    class Direction(models.TextChoices):
        LOWER = "lower", _("Lower is better (e.g. consumption, emissions)")
        HIGHER = "higher", _("Higher is better (e.g. recycling rate)")

    case = models.ForeignKey(
        "cases.AuditCase", verbose_name=_("case"), on_delete=models.PROTECT, related_name="targets"
    )
    name = models.CharField(_("indicator"), max_length=100)
    unit = models.CharField(_("unit"), max_length=30)
    indicator = models.ForeignKey(
        "cases.Indicator",
        verbose_name=_("measured by the benefit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    direction = models.CharField(_("direction"), max_length=6, choices=Direction.choices)
    baseline = models.DecimalField(_("baseline (before the audit)"), max_digits=14, decimal_places=4)
    target_value = models.DecimalField(_("target value"), max_digits=14, decimal_places=4)
    target_year = models.PositiveSmallIntegerField(_("target year"))
    actual = models.DecimalField(
        _("actual value at acceptance"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    # Case data is never deleted: a target entered by mistake is withdrawn and kept on record.
    withdrawn = models.BooleanField(_("withdrawn"), default=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("updated by"), on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("cleaner production target")
        verbose_name_plural = _("cleaner production targets")
        ordering = ["case", "pk"]

    def __str__(self):
        return f"{self.name} ({self.unit})"

    def delete(self, *args, **kwargs):
        raise HardDeleteRefused("Targets are case data and are never deleted.")
