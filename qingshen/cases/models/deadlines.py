"""A case's deadlines: one row per duty, recomputed at every transition (cases.deadlines), and one per
programme date that binds the case (a milestone "evaluations done by", written by programmes)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from qingshen.cases.models.case import AuditCase, HardDeleteRefused


class CaseDeadline(models.Model):
    """One duty's deadline for a case, recomputed at every transition."""

    class Kind(models.TextChoices):
        DISCLOSURE = "disclosure", _("Disclose enterprise information")
        AUDIT_START = "audit_start", _("Start the audit")
        REPORT = "report", _("Submit the audit report")
        EVALUATION_CHECK = "evaluation_check", _("Check the evaluation application")
        EVALUATION_REVIEW = "evaluation_review", _("Organise the expert evaluation")
        ACCEPTANCE_APPLY = "acceptance_apply", _("Apply for acceptance")
        ACCEPTANCE_CHECK = "acceptance_check", _("Check the acceptance application")
        ACCEPTANCE_REVIEW = "acceptance_review", _("Organise the expert acceptance")
        # After the report (or after the evaluation passed), the review must be organised in time; the
        # enterprise is asked to apply for it (追责情形 2: a finished audit not given an expert review).
        EVALUATION_ORGANISE = "evaluation_organise", _("Have the audit evaluated (apply for the evaluation)")
        ACCEPTANCE_ORGANISE = "acceptance_organise", _("Have the results accepted (apply for the acceptance)")
        # A programme's own dates (Milestone kinds evaluations_done / acceptances_done).
        MILESTONE_EVALUATION = "milestone_evaluation", _("Evaluation done by the programme's date")
        MILESTONE_ACCEPTANCE = "milestone_acceptance", _("Acceptance done by the programme's date")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        MET = "met", _("met")
        WAIVED = "waived", _("no longer due")

    # No index of its own: the unique (case, kind) constraint leads with the case and serves every
    # lookup by case; one index fewer to write when the recompute moves many rows.
    case = models.ForeignKey(
        AuditCase, verbose_name=_("case"), on_delete=models.PROTECT, related_name="deadlines"
    )
    kind = models.CharField(_("duty"), max_length=40, choices=Kind.choices)
    party = models.CharField(_("whose duty"), max_length=20)
    rule_code = models.CharField(_("rule"), max_length=60)
    starts_on = models.DateField(_("period starts"))
    due_on = models.DateField(_("due on"))
    provisional = models.BooleanField(
        _("provisional"),
        default=False,
        help_text=_("The holiday calendar of a year involved is not loaded; weekends only were used."),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    met_on = models.DateField(_("met on"), null=True, blank=True)
    # Set for a programme date: the milestone it follows (programmes writes these rows) and its name,
    # shown instead of the duty's.
    milestone = models.ForeignKey(
        "programmes.Milestone",
        verbose_name=_("milestone"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="case_deadlines",
    )
    label = models.CharField(_("name"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        ordering = ["due_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "kind"], condition=Q(milestone__isnull=True), name="deadline_once_per_kind"
            ),
            models.UniqueConstraint(
                fields=["case", "milestone"],
                condition=Q(milestone__isnull=False),
                name="deadline_once_per_milestone",
            ),
        ]
        # The set-based recompute (cases.deadline_bulk) rewrites one duty's rows of one start date at a time.
        indexes = [models.Index(fields=["kind", "starts_on"], name="deadline_kind_start_idx")]

    def __str__(self):
        return f"{self.title} {self.due_on}"

    @property
    def title(self) -> str:
        """What the duty is called on pages and in notices: the milestone's name for a programme date."""
        return self.label or str(self.get_kind_display())

    def delete(self, *args, **kwargs):
        raise HardDeleteRefused("Deadlines are case data and are never deleted.")
