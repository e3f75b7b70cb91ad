"""Concluded reviews per totals cell (cases.models.rollups: one programme's cases of one kind in one
jurisdiction), kept by reviews/counts.py, so the dashboard's pass rates and the summary table's
review columns read a few rows per district instead of every review of ten years."""

from django.db import models

from qingshen.core.paths import JurisdictionPathField


class ReviewCount(models.Model):
    """How many concluded reviews of this kind and outcome, concluded in this year, the cell's cases with
    this path and lead authority ("" without a listing) have."""

    cell = models.ForeignKey("cases.RollupCell", on_delete=models.CASCADE, related_name="review_counts")
    jurisdiction_path = JurisdictionPathField(editable=False)
    lead_authority = models.CharField(max_length=20, blank=True)
    kind = models.CharField(max_length=20)
    outcome = models.CharField(max_length=10, blank=True)
    concluded_year = models.PositiveIntegerField(null=True)
    reviews = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.cell} {self.kind} {self.outcome}: {self.reviews}"
