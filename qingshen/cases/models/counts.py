"""Cases per totals cell (one programme's cases of one kind in one jurisdiction, models/rollups.py) by
the figures the dashboard and the summary table group them by, kept by cases/counts.py, so those pages
read a few thousand rows instead of every case of ten years."""

from django.db import models

from qingshen.cases.models.rollups import RollupCell
from qingshen.core.paths import JurisdictionPathField


class CaseCount(models.Model):
    """How many of a cell's cases have this path, state, lead authority ("" without a listing), list of
    grounds, level and, for open cases, next due date (their real one: "overdue" is due before the day
    read), and how many of them passed each step. One row per bucket: a step moves its case from one
    row to another by key (cases/count_deltas.py)."""

    cell = models.ForeignKey(RollupCell, on_delete=models.CASCADE, related_name="case_counts")
    # A digest of the bucket's values (cases.counts.bucket_key).
    key = models.CharField(max_length=32, editable=False)
    # A path field: a jurisdiction moved under another parent moves its counts with its cases.
    jurisdiction_path = JurisdictionPathField(editable=False)
    state = models.CharField(max_length=30)
    lead_authority = models.CharField(max_length=20, blank=True)
    grounds = models.JSONField(null=True)
    level = models.CharField(max_length=8, blank=True)
    due_on = models.DateField(null=True)
    cases = models.PositiveIntegerField(default=0)
    accepted = models.PositiveIntegerField(default=0)
    disclosed = models.PositiveIntegerField(default=0)
    started = models.PositiveIntegerField(default=0)
    reports = models.PositiveIntegerField(default=0)
    carried_over = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["cell", "key"], name="case_count_bucket_unique")]

    def __str__(self):
        return f"{self.cell} {self.state} {self.lead_authority}: {self.cases}"
