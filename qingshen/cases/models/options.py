"""Cleaner production options, their benefits per indicator, and a case's baseline."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from qingshen.cases.models.case import HardDeleteRefused
from qingshen.core.names import LocalName, english, in_language


class Indicator(LocalName, models.Model):
    """A benefit figure of the summary table (domain.md §4), with its unit: data, seeded by a migration."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=60)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    # The Chinese unit also decides how figures are written (qingshen/core/numbers.py).
    unit = models.CharField(_("unit"), max_length=30)
    unit_en = models.CharField(_("English unit"), max_length=30, blank=True)
    # Reductions (energy, water, pollutants) are measured against the case's baseline; economic
    # benefit is not a reduction and has none.
    is_reduction = models.BooleanField(_("a reduction against the baseline"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    source = models.TextField(_("source"))

    class Meta:
        verbose_name = _("benefit indicator")
        verbose_name_plural = _("benefit indicators")
        ordering = ["sort_order", "code"]

    def __str__(self):
        return f"{self.name} ({self.unit})"

    @property
    def local_unit(self) -> str:
        return in_language(self.unit, self.unit_en)

    @property
    def label(self) -> str:
        """Name and unit in the current language: 节能量（吨标准煤/年） / Energy saved (tce/yr)."""
        if english():
            return f"{self.local_name} ({self.local_unit})"
        return f"{self.name}（{self.unit}）"


class Option(models.Model):
    """A cleaner production option (清洁生产方案) of a case."""

    class CostClass(models.TextChoices):
        LOW = "low", _("No/low-cost (无/低费)")
        HIGH = "high", _("Mid/high-cost (中/高费)")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IMPLEMENTING = "implementing", _("Being implemented")
        IMPLEMENTED = "implemented", _("Implemented")
        # Found not feasible after analysis: kept on record, left out of every total.
        DROPPED = "dropped", _("Dropped")

    case = models.ForeignKey(
        "cases.AuditCase", verbose_name=_("case"), on_delete=models.PROTECT, related_name="options"
    )
    code = models.CharField(
        _("number"), max_length=20, help_text=_("The option's number in the report, e.g. F1.")
    )
    name = models.CharField(_("name"), max_length=200)
    cost_class = models.CharField(_("cost class"), max_length=4, choices=CostClass.choices)
    investment = models.DecimalField(
        _("investment (10k yuan)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    planned_on = models.DateField(_("adopted on"))
    started_on = models.DateField(_("implementation started on"), null=True, blank=True)
    implemented_on = models.DateField(_("implemented on"), null=True, blank=True)
    dropped_reason = models.TextField(_("why it was dropped"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("updated by"), on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("option")
        verbose_name_plural = _("options")
        ordering = ["case", "cost_class", "code"]
        constraints = [
            models.UniqueConstraint(fields=["case", "code"], name="option_code_unique_in_case"),
            models.CheckConstraint(
                condition=models.Q(investment__gte=0), name="option_investment_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    def delete(self, *args, **kwargs):
        raise HardDeleteRefused("Options are case data and are never deleted.")


class Benefit(models.Model):
    """One option's expected (declared at evaluation) and verified (at acceptance) figure per indicator."""

    option = models.ForeignKey(
        Option, verbose_name=_("option"), on_delete=models.PROTECT, related_name="benefits"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="benefits"
    )
    expected = models.DecimalField(
        _("expected per year"), max_digits=14, decimal_places=4, validators=[MinValueValidator(0)]
    )
    verified = models.DecimalField(
        _("verified per year"),
        max_digits=14,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )

    class Meta:
        verbose_name = _("benefit")
        verbose_name_plural = _("benefits")
        ordering = ["option", "indicator__sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["option", "indicator"], name="benefit_once_per_indicator")
        ]

    def __str__(self):
        return f"{self.option} · {self.indicator}"


class Baseline(models.Model):
    """A case's figure before the options (审核前), the reference of every reduction."""

    case = models.ForeignKey(
        "cases.AuditCase", verbose_name=_("case"), on_delete=models.PROTECT, related_name="baselines"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="+"
    )
    value = models.DecimalField(
        _("value per year before the audit"),
        max_digits=14,
        decimal_places=4,
        validators=[MinValueValidator(0)],
    )
    source = models.CharField(_("source of the figure"), max_length=200, blank=True)
    # The audit's base year (审核基准年), the year these figures are of: one per case (cases.options).
    year = models.PositiveSmallIntegerField(_("base year (审核基准年)"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("updated by"), on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("baseline")
        verbose_name_plural = _("baselines")
        ordering = ["case", "indicator__sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["case", "indicator"], name="baseline_once_per_indicator")
        ]

    def __str__(self):
        return f"{self.case} · {self.indicator}"
