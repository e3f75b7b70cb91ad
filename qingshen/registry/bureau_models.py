"""What each bureau configures about itself (domain.md §8): for a city, whether it is a province-level
city (直辖市), who organises its reviews, whether its districts record penalties or propose them and
how the energy-saving authority is consulted on the cases it does not lead; for any bureau, the section
that answers for its reviews.

Imported by qingshen.registry.models, where Django finds it. A jurisdiction without a row has the
defaults (a prefecture-level city whose city bureau organises reviews)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReviewOrganiser(models.TextChoices):
    """Who checks applications, draws panels and answers for the review deadlines of a case."""

    CITY = "city", _("The city bureau")
    DISTRICT = "district", _("The district bureau where the enterprise lies")


class DistrictPenalties(models.TextChoices):
    """Whether a district records the penalties of its enterprises itself or proposes them to the city."""

    PROPOSE = "propose", _("The district proposes; the city confirms or returns")
    RECORD = "record", _("The district records them itself")


class EnergyConsultation(models.TextChoices):
    """How the energy-saving authority takes part in a case listed on an energy ground and another, which
    the environment bureau leads (domain.md §1 gives no rule for it: a setting of the city)."""

    NOTIFIED = (
        "notified",
        _("Notified: sees the case read-only and hears of its applications and conclusions"),
    )
    COSIGN = "cosign", _("Co-signs: as notified, and a review is concluded only after it co-signs")


class BureauSettings(models.Model):
    jurisdiction = models.OneToOneField(
        "accounts.Jurisdiction",
        verbose_name=_("jurisdiction"),
        on_delete=models.PROTECT,
        related_name="bureau_settings",
    )
    # A 直辖市's city bureau is at provincial level: its list has no separate province confirmation.
    province_level = models.BooleanField(
        _("province-level city (直辖市)"),
        default=False,
        help_text=_("The city bureau confirms and publishes its list itself; there is no province step."),
    )
    review_organiser = models.CharField(
        _("who organises evaluations and acceptances"),
        max_length=10,
        choices=ReviewOrganiser.choices,
        default=ReviewOrganiser.CITY,
        help_text=_("A programme may override it. The expert pool stays the city's."),
    )
    # A city's say over its districts' orders to correct (domain.md §8): proposals it confirms, or
    # orders the districts issue themselves. Agencies stay the city's either way.
    district_penalties = models.CharField(
        _("penalties of the districts' enterprises"),
        max_length=10,
        choices=DistrictPenalties.choices,
        default=DistrictPenalties.PROPOSE,
    )
    energy_consultation = models.CharField(
        _("how the energy-saving authority is consulted on mixed-ground cases"),
        max_length=10,
        choices=EnergyConsultation.choices,
        default=EnergyConsultation.NOTIFIED,
        help_text=_("Cases listed on energy use and another ground are led by the environment bureau."),
    )
    # The section named on the accountability records of the reviews this bureau organises; blank:
    # the section the procedure names.
    review_section = models.CharField(_("section answering for reviews"), max_length=100, blank=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("bureau settings")
        verbose_name_plural = _("bureau settings")

    def __str__(self):
        return str(self.jurisdiction)
