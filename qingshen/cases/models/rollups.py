"""Totals of options and benefits per programme and jurisdiction (a "cell": one district's cases of
one programme), kept by the options service, so the dashboard and the summary table read a few
hundred rows instead of every option of ten years (a real audit records 10–40 options)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RollupCell(models.Model):
    """One programme's cases in one jurisdiction. Its row is locked while its totals are rewritten,
    so two enterprises saving options at once cannot leave totals that miss one of them."""

    programme = models.ForeignKey("programmes.Programme", on_delete=models.PROTECT, related_name="+")
    jurisdiction = models.ForeignKey("accounts.Jurisdiction", on_delete=models.PROTECT, related_name="+")
    # Voluntary and mandatory audits are totalled apart (cases.kinds).
    case_kind = models.CharField(max_length=20, default="mandatory")
    refreshed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("totals cell")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "jurisdiction", "case_kind"], name="rollup_cell_unique"
            )
        ]

    def __str__(self):
        return f"{self.programme_id}/{self.jurisdiction_id}"


class OptionRollup(models.Model):
    """Options of a cell by cost class (dropped options left out): adopted and implemented, with investment."""

    cell = models.ForeignKey(RollupCell, on_delete=models.CASCADE, related_name="options")
    cost_class = models.CharField(max_length=4)
    options = models.PositiveIntegerField(default=0)
    investment = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    options_done = models.PositiveIntegerField(default=0)
    investment_done = models.DecimalField(max_digits=16, decimal_places=2, default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["cell", "cost_class"], name="option_rollup_unique")]

    def __str__(self):
        return f"{self.cell} {self.cost_class}"


class BenefitRollup(models.Model):
    """Benefits of a cell per indicator (dropped options left out): expected and verified per year."""

    cell = models.ForeignKey(RollupCell, on_delete=models.CASCADE, related_name="benefits")
    indicator = models.ForeignKey("cases.Indicator", on_delete=models.PROTECT, related_name="+")
    expected = models.DecimalField(max_digits=18, decimal_places=4, default=0)
    verified = models.DecimalField(max_digits=18, decimal_places=4, default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["cell", "indicator"], name="benefit_rollup_unique")]

    def __str__(self):
        return f"{self.cell} {self.indicator_id}"
