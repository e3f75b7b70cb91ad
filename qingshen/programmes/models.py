from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Programme(models.Model):
    """One year's mandatory audit work for one city (年度强制性清洁生产审核工作)."""

    class ListState(models.TextChoices):
        DRAFT = "draft", _("Draft (districts propose)")
        SUBMITTED = "submitted", _("Submitted to the province")
        CONFIRMED = "confirmed", _("Confirmed by the province")
        PUBLISHED = "published", _("Published")

    year = models.PositiveSmallIntegerField(_("year"))
    city = models.ForeignKey(
        "accounts.Jurisdiction", verbose_name=_("city"), on_delete=models.PROTECT, related_name="programmes"
    )
    title = models.CharField(_("title"), max_length=200)
    list_state = models.CharField(
        _("list state"), max_length=20, choices=ListState.choices, default=ListState.DRAFT
    )
    published_on = models.DateField(_("list published on (P)"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["-year", "city__name"]
        constraints = [models.UniqueConstraint(fields=["city", "year"], name="programme_city_year")]

    def __str__(self):
        return self.title


class Milestone(models.Model):
    """A date the notice sets for the programme (e.g. district lists by 3/19, summary by 11/30)."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="milestones"
    )
    name = models.CharField(_("name"), max_length=200)
    due_on = models.DateField(_("due on"))
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["due_on"]

    def __str__(self):
        return f"{self.due_on} {self.name}"


class Ground(models.TextChoices):
    """The grounds of Art. 8 of the 审核办法, plus a local 'key task' ground."""

    EMISSIONS = "emissions", _("Exceeds discharge standards or totals (双超)")
    ENERGY = "energy", _("Energy use above the limit (高耗能)")
    HAZARDOUS = "hazardous", _("Toxic or hazardous substances (双有)")
    OTHER = "other", _("Other (key task)")


class LeadAuthority(models.TextChoices):
    ENVIRONMENT = "environment", _("Ecological environment department")
    ENERGY = "energy", _("Energy-saving department")


def lead_authority_for(grounds) -> str:
    """办法 Art. 20: the energy-saving department leads energy-only listings; otherwise environment."""
    grounds = set(grounds)
    if grounds and grounds <= {Ground.ENERGY}:
        return LeadAuthority.ENERGY
    return LeadAuthority.ENVIRONMENT


class Listing(models.Model):
    """An enterprise on a year's list (名单条目)."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="listings"
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="listings"
    )
    grounds = models.JSONField(_("grounds"), default=list)
    other_reason = models.CharField(_("reason (other ground)"), max_length=300, blank=True)
    lead_authority = models.CharField(
        _("lead authority"), max_length=20, choices=LeadAuthority.choices, editable=False
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("listing")
        verbose_name_plural = _("listings")
        ordering = ["programme", "enterprise__name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "enterprise"], name="listing_once_per_programme")
        ]

    def __str__(self):
        return f"{self.programme.year} {self.enterprise}"

    def save(self, *args, **kwargs):
        self.lead_authority = lead_authority_for(self.grounds)
        super().save(*args, **kwargs)

    def grounds_display(self) -> list[str]:
        return [Ground(g).label for g in self.grounds if g in Ground.values]
