"""Early warnings (预警): one row per deadline or milestone per threshold, recorded by the sweep."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from qingshen.core.paths import JurisdictionPathField


class Warning(models.Model):
    """A warning the sweep recorded. Unique per subject, due date, level and threshold, so the sweep
    may run as often and as concurrently as it likes (INSERT … ON CONFLICT DO NOTHING)."""

    class Level(models.TextChoices):
        UPCOMING = "upcoming", _("upcoming")
        DUE = "due", _("due today")
        OVERDUE = "overdue", _("overdue")

    deadline = models.ForeignKey(
        "cases.CaseDeadline",
        verbose_name=_("deadline"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="warnings",
        db_index=False,  # the partial unique index below starts with it: fewer indexes, faster sweeps
    )
    milestone = models.ForeignKey(
        "programmes.Milestone",
        verbose_name=_("milestone"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="warnings",
        db_index=False,  # likewise
    )
    case = models.ForeignKey(
        "cases.AuditCase",
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="warnings",
    )
    programme = models.ForeignKey(
        "programmes.Programme",
        verbose_name=_("programme"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # never filtered on alone
    )
    # The case's (or, for a milestone, the programme city's) path: scoping filters on it.
    jurisdiction_path = JurisdictionPathField(db_index=True)
    level = models.CharField(pgettext_lazy("warning", "level"), max_length=10, choices=Level.choices)
    threshold_days = models.PositiveSmallIntegerField(_("days before"), default=0)
    due_on = models.DateField(_("due on"))
    recorded_at = models.DateTimeField(_("recorded"))
    # When the people concerned were told (oversight.warning_notices.warnings_notify); null = not yet.
    notified_at = models.DateTimeField(_("notified"), null=True, blank=True)

    class Meta:
        verbose_name = _("warning")
        verbose_name_plural = _("warnings")
        ordering = ["-recorded_at", "-pk"]
        indexes = [
            # The notice step reads only the rows nobody has been told of yet.
            models.Index(
                fields=["due_on"], condition=Q(notified_at__isnull=True), name="warning_unnotified_idx"
            ),
            # The warnings page, newest first, paged by seeking (oversight.selectors.WARNING_ORDER),
            # and its level filter.
            models.Index(fields=["recorded_at", "id"], name="warning_seek_idx"),
            models.Index(fields=["level", "recorded_at", "id"], name="warning_seek_level_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["deadline", "due_on", "level", "threshold_days"],
                condition=Q(deadline__isnull=False),
                name="warning_once_per_deadline_threshold",
            ),
            models.UniqueConstraint(
                fields=["milestone", "due_on", "level", "threshold_days"],
                condition=Q(milestone__isnull=False),
                name="warning_once_per_milestone_threshold",
            ),
            models.CheckConstraint(
                condition=(Q(deadline__isnull=False) & Q(milestone__isnull=True))
                | (Q(deadline__isnull=True) & Q(milestone__isnull=False)),
                name="warning_one_subject",
            ),
        ]

    def __str__(self):
        return f"{self.get_level_display()} {self.due_on}"
