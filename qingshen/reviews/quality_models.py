"""The bureau's rating of each seated expert's work after a review (domain.md §8 "Quality feedback upward").
Imported by qingshen.reviews.models, where Django finds it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ExpertRating(models.Model):
    """How well one expert of the panel worked on one concluded review, rated once by the bureau staff
    who organised it. On the scale of the agency ratings (rules review_agency_rating_min–max), checked
    by qingshen.reviews.quality: the city edits the scale, so the database holds no bound of its own."""

    review = models.ForeignKey(
        "reviews.Review", verbose_name=_("review"), on_delete=models.PROTECT, related_name="expert_ratings"
    )
    seat = models.OneToOneField(
        "reviews.PanelSeat", verbose_name=_("seat"), on_delete=models.PROTECT, related_name="rating"
    )
    expert = models.ForeignKey(
        "reviews.Expert", verbose_name=_("expert"), on_delete=models.PROTECT, related_name="ratings"
    )
    rating = models.PositiveSmallIntegerField(_("rating"))
    comment = models.TextField(_("comment"), blank=True)
    given_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    given_at = models.DateTimeField(_("given"), auto_now_add=True)

    class Meta:
        verbose_name = _("expert rating")
        verbose_name_plural = _("expert ratings")
        constraints = [models.UniqueConstraint(fields=["review", "expert"], name="expert_rating_once")]

    def __str__(self):
        return f"{self.expert} · {self.rating}"
