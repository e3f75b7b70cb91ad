"""Penalties (行政处罚) and the credit feedback: violation types with their legal bounds as data."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from qingshen.core.paths import JurisdictionPathField


class ViolationType(models.Model):
    """A violation with the law's fine range and citation (seeded by a migration; the city edits)."""

    class Party(models.TextChoices):
        ENTERPRISE = "enterprise", _("Enterprise")
        AGENCY = "agency", _("Consulting agency")

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    party = models.CharField(_("who"), max_length=20, choices=Party.choices)
    fine_min = models.PositiveIntegerField(_("lowest fine (yuan)"), default=0)
    fine_max = models.PositiveIntegerField(_("highest fine (yuan)"), default=0, help_text=_("0: no fine"))
    publishes_name = models.BooleanField(_("name published"), default=False)
    citation = models.TextField(_("legal basis"))

    class Meta:
        verbose_name = _("violation type")
        verbose_name_plural = _("violation types")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(fine_min__lte=models.F("fine_max")) | Q(fine_max=0), name="violation_fine_range"
            )
        ]

    def __str__(self):
        return self.name


class Penalty(models.Model):
    """An order to correct with a deadline, then (not corrected) a fine within the bounds, or for an
    agency the publication of its name. Marks the party for credit evaluation and the disclosure list."""

    class State(models.TextChoices):
        # A district's order awaiting the city (its setting: the districts propose, the city confirms).
        PROPOSED = "proposed", _("proposed to the city")
        RETURNED = "returned", _("returned to the district")
        ORDERED = "ordered", _("ordered to correct")
        CORRECTED = "corrected", _("corrected")
        PENALISED = "penalised", _("fined or name published")

    violation = models.ForeignKey(ViolationType, verbose_name=_("violation"), on_delete=models.PROTECT)
    case = models.ForeignKey(
        "cases.AuditCase",
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="penalties",
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name=_("enterprise"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="penalties",
    )
    agency = models.ForeignKey(
        "registry.Agency",
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="penalties",
    )
    jurisdiction_path = JurisdictionPathField(db_index=True)
    facts = models.TextField(_("facts"))
    ordered_on = models.DateField(_("order issued on"))
    correct_by = models.DateField(_("correct by"))
    corrected_on = models.DateField(_("corrected on"), null=True, blank=True)
    fine = models.PositiveIntegerField(_("fine (yuan)"), null=True, blank=True)
    penalised_on = models.DateField(_("penalised on"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.ORDERED)
    returned_reason = models.TextField(_("why the city returned it"), blank=True)
    credit_marked = models.BooleanField(_("marked for the environmental credit evaluation"), default=False)
    disclosure_listed = models.BooleanField(_("on the mandatory disclosure list"), default=False)
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("penalty")
        verbose_name_plural = _("penalties")
        ordering = ["-ordered_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(enterprise__isnull=False) & Q(agency__isnull=True))
                | (Q(enterprise__isnull=True) & Q(agency__isnull=False)),
                name="penalty_one_party",
            )
        ]

    def __str__(self):
        return f"{self.violation} · {self.enterprise or self.agency}"
