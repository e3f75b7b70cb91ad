"""Pollutant discharge permits (排污许可证, domain.md §9): the enterprise's permit or registration with
its permitted pollutants and limits. Registry data: edited by the bureau, imported from the permit
system's export (programmes.permits), read by the case (its permit record), the emissions disclosure
and the sweep (oversight: a missing, expired or expiring permit is a warning)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from qingshen.core.text import NAME_VALIDATORS
from qingshen.registry.permit_numbers import django_validator as permit_number_validator


class Permit(models.Model):
    class ManagementClass(models.TextChoices):
        KEY = "key", _("key management (重点管理)")
        SIMPLIFIED = "simplified", _("simplified management (简化管理)")
        REGISTRATION = "registration", _("registration (登记管理)")

    enterprise = models.ForeignKey(
        "registry.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="permits"
    )
    number = models.CharField(
        _("permit number"),
        max_length=22,
        unique=True,
        validators=[*NAME_VALIDATORS, permit_number_validator],
    )
    management_class = models.CharField(_("management class"), max_length=20, choices=ManagementClass.choices)
    issuing_authority = models.CharField(
        _("issuing authority"), max_length=100, blank=True, validators=NAME_VALIDATORS
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("discharge permit")
        verbose_name_plural = _("discharge permits")
        ordering = ["enterprise", "-valid_to", "number"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__gte=models.F("valid_from")), name="permit_valid_to_after_from"
            )
        ]

    def __str__(self):
        return self.number

    def is_valid_on(self, day) -> bool:
        return self.valid_from <= day <= self.valid_to


class PermittedPollutant(models.Model):
    """One permitted pollutant of a permit, at one outlet (blank: the whole site), with its limit."""

    permit = models.ForeignKey(
        Permit, verbose_name=_("permit"), on_delete=models.CASCADE, related_name="pollutants"
    )
    pollutant = models.CharField(_("pollutant"), max_length=60, validators=NAME_VALIDATORS)
    outlet = models.CharField(_("outlet"), max_length=60, blank=True, validators=NAME_VALIDATORS)
    limit_value = models.DecimalField(_("permitted limit"), max_digits=16, decimal_places=4)
    unit = models.CharField(_("unit"), max_length=20, validators=NAME_VALIDATORS)

    class Meta:
        verbose_name = _("permitted pollutant")
        verbose_name_plural = _("permitted pollutants")
        ordering = ["permit", "outlet", "pollutant", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["permit", "outlet", "pollutant", "unit"], name="permitted_pollutant_once"
            )
        ]

    def __str__(self):
        return f"{self.pollutant} {self.limit_value} {self.unit}"
