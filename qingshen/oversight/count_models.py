"""Case warnings and accountability records counted per programme, kind of audit and path, kept by
oversight/counts.py, so the dashboard reads a few rows per district instead of every one of them."""

from django.db import models

from qingshen.core.paths import JurisdictionPathField


class WarningCount(models.Model):
    programme = models.ForeignKey("programmes.Programme", on_delete=models.CASCADE, related_name="+")
    case_kind = models.CharField(max_length=20)
    # A path field: a jurisdiction moved under another parent moves its counts with its warnings.
    jurisdiction_path = JurisdictionPathField(editable=False)
    warnings = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.programme_id} {self.case_kind} {self.jurisdiction_path}: {self.warnings}"


class AccountabilityCount(models.Model):
    """Accountability records of a totals cell's cases (cases.models.rollups) per case path and lead
    authority ("" without a listing), kept by oversight/counts.py as each record is saved."""

    cell = models.ForeignKey(
        "cases.RollupCell", on_delete=models.CASCADE, related_name="accountability_counts"
    )
    jurisdiction_path = JurisdictionPathField(editable=False)
    lead_authority = models.CharField(max_length=20, blank=True)
    records = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.cell_id} {self.jurisdiction_path}: {self.records}"
