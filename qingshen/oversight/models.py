"""Oversight: accountability records, warnings, penalties and spot checks (the rules are in procedures)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AccountabilityRecord(models.Model):
    """An accountability case (追责情形) of the procedure, opened by the system or by hand."""

    class Kind(models.TextChoices):
        REFUSED_COMPLETE = "refused_complete", _("A complete application was refused (不予受理)")
        NOT_REVIEWED = "not_reviewed", _("A finished audit was not given an expert review")
        NOT_CHECKED = "not_checked", _("A complete application was not checked within its time limit")
        EVALUATION_LATE = (
            "evaluation_late",
            _("An audit report was submitted and no evaluation organised in time"),
        )
        ACCEPTANCE_LATE = "acceptance_late", _("Acceptance was applied for and not organised in time")
        MILESTONE_MISSED = "milestone_missed", _("A programme date passed with the case's review not held")
        OTHER = "other", _("Other breach of laws and rules")

    case = models.ForeignKey(
        "cases.AuditCase", verbose_name=_("case"), on_delete=models.PROTECT, related_name="accountability"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    duty = models.CharField(_("duty"), max_length=200)
    responsible_section = models.CharField(_("responsible section"), max_length=100, blank=True)
    rule_citation = models.TextField(_("rule"), blank=True)
    explanation = models.TextField(_("explanation"))
    opened_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("opened by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("opened"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # Detected records point at the overdue bureau deadline; one record per deadline and due date.
    deadline = models.ForeignKey(
        "cases.CaseDeadline",
        verbose_name=_("deadline"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="accountability",
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    closed_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    close_explanation = models.TextField(_("explanation for closing"), blank=True)

    class Meta:
        verbose_name = _("accountability case")
        verbose_name_plural = _("accountability cases")
        ordering = ["-opened_at"]
        # The accountability page, newest first, paged by seeking (oversight.selectors), and its
        # "open" and section filters.
        indexes = [
            models.Index(fields=["opened_at", "id"], name="accountability_seek_idx"),
            models.Index(
                fields=["opened_at", "id"],
                condition=models.Q(closed_at__isnull=True),
                name="accountab_seek_open_idx",
            ),
            models.Index(
                fields=["responsible_section", "opened_at", "id"], name="accountab_seek_section_idx"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["deadline", "due_on"],
                condition=models.Q(deadline__isnull=False),
                name="accountability_once_per_deadline",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.case}"


from qingshen.oversight.annual_warning_models import AnnualDisclosureWarning  # noqa: E402, F401
from qingshen.oversight.count_models import AccountabilityCount, WarningCount  # noqa: E402, F401
from qingshen.oversight.penalty_models import Penalty, ViolationType  # noqa: E402, F401
from qingshen.oversight.permit_warning_models import PermitWarning  # noqa: E402, F401
from qingshen.oversight.spotcheck_models import SpotCheck, SpotCheckItem  # noqa: E402, F401
from qingshen.oversight.warning_models import Warning  # noqa: E402, F401
