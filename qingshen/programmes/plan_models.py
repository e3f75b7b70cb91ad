"""The districts' parts of the plan list (附件4), sent to the city after the annual list is published."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from qingshen.programmes.models import Programme


class PlanSubmission(models.Model):
    """One district's part of the plan list (附件4): sent to the city, returned with a comment, or
    merged. The plan list is due after the annual list is published (its own milestone)."""

    class Status(models.TextChoices):
        DRAFTING = "drafting", _("Being prepared by the district")
        SUBMITTED = "submitted", _("Submitted to the city")
        RETURNED = "returned", _("Returned to the district")
        MERGED = "merged", _("Merged into the city's plan list")

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="plan_submissions"
    )
    district = models.ForeignKey(
        "accounts.Jurisdiction", verbose_name=_("district"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFTING)
    comment = models.TextField(_("comment of the city"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    decided_at = models.DateTimeField(_("returned or merged"), null=True, blank=True)

    class Meta:
        verbose_name = _("district plan submission")
        verbose_name_plural = _("district plan submissions")
        ordering = ["programme", "district__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "district"], name="plan_submission_once_per_district"
            )
        ]

    def __str__(self):
        return f"{self.programme.year} {self.district} {self.get_status_display()}"

    @property
    def open_to_district(self) -> bool:
        return self.status in (self.Status.DRAFTING, self.Status.RETURNED)
