"""The audit case: one enterprise's audit round, the unit that moves through the lifecycle."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import signals
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from qingshen.cases.kinds import CaseKind
from qingshen.cases.states import Level, State
from qingshen.core.paths import JurisdictionPathField


class HardDeleteRefused(Exception):
    """Case data is never hard-deleted; withdraw the case instead."""


class AuditCase(models.Model):
    """One enterprise's audit round: the unit that moves through the lifecycle.

    `state` is written only by cases.services.case_transition (a test enforces it). The dates below
    are the latest time each step happened; deadlines are computed from them.
    """

    programme = models.ForeignKey(
        "programmes.Programme", verbose_name=_("programme"), on_delete=models.PROTECT, related_name="cases"
    )
    # Empty for a voluntary audit: the enterprise registered it itself and is on no list.
    listing = models.OneToOneField(
        "programmes.Listing",
        verbose_name=_("listing"),
        on_delete=models.PROTECT,
        related_name="case",
        null=True,
        blank=True,
    )
    kind = models.CharField(
        _("kind of audit"), max_length=20, choices=CaseKind.choices, default=CaseKind.MANDATORY, db_index=True
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="cases"
    )
    # The enterprise's jurisdiction when listed; scoping filters on it without a join.
    jurisdiction = models.ForeignKey(
        "accounts.Jurisdiction",
        verbose_name=_("jurisdiction"),
        on_delete=models.PROTECT,
        related_name="cases",
    )
    jurisdiction_path = JurisdictionPathField(editable=False, db_index=True)
    kind = models.CharField(_("kind"), max_length=20, choices=CaseKind.choices, default=CaseKind.MANDATORY)
    state = models.CharField(_("state"), max_length=30, choices=State.choices, default=State.LISTED)
    version = models.PositiveIntegerField(_("version"), default=1)
    state_changed_at = models.DateTimeField(_("state changed"), auto_now_add=True)

    # A voluntary audit's clock starts on the day it was registered.
    published_on = models.DateField(_("list published on (P)"))
    disclosed_on = models.DateField(_("disclosed on"), null=True, blank=True)
    audit_started_on = models.DateField(_("audit started on"), null=True, blank=True)
    report_submitted_on = models.DateField(_("report submitted on"), null=True, blank=True)
    evaluation_applied_on = models.DateField(_("evaluation applied on"), null=True, blank=True)
    evaluation_checked_on = models.DateField(_("evaluation application checked on"), null=True, blank=True)
    evaluation_concluded_on = models.DateField(_("evaluation concluded on"), null=True, blank=True)
    evaluation_passed_on = models.DateField(_("evaluation passed on"), null=True, blank=True)
    acceptance_applied_on = models.DateField(_("acceptance applied on"), null=True, blank=True)
    acceptance_checked_on = models.DateField(_("acceptance application checked on"), null=True, blank=True)
    acceptance_concluded_on = models.DateField(_("acceptance concluded on"), null=True, blank=True)
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    result_published_on = models.DateField(_("result published on"), null=True, blank=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    counted_by_group_on = models.DateField(_("counted by group audit on"), null=True, blank=True)
    withdrawn_reason = models.TextField(_("reason for withdrawal"), blank=True)
    level = models.CharField(_("level reached"), max_length=3, choices=Level.choices, blank=True)
    # The acceptance time limit the bureau set with the evaluation opinion (提出验收时限); when set it
    # replaces the rule's period for applying for acceptance.
    acceptance_due_on = models.DateField(_("acceptance time limit"), null=True, blank=True)
    # A round the bureau ran before the system and imported from its spreadsheets: the day of the
    # import, and the file and row it came from. Deadlines that fell due before that day were before
    # the system: the sweep records no warning and no accountability for them.
    # A voluntary audit: the day its bureau acknowledged the registration (optional), and who did.
    acknowledged_on = models.DateField(_("registration acknowledged on"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acknowledged by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    history_imported_on = models.DateField(_("imported from history on"), null=True, blank=True)
    history_sha256 = models.CharField(_("imported from file (SHA-256)"), max_length=64, blank=True)
    history_row = models.PositiveIntegerField(_("imported from row"), null=True, blank=True)

    # The audit focus (审核重点) chosen in pre-assessment (domain.md §6), entered with the report.
    audit_focus = models.TextField(_("audit focus (审核重点)"), blank=True)

    # The earliest open deadline, kept with the case so lists sort and filter without a join.
    next_due_on = models.DateField(_("next deadline"), null=True, blank=True, db_index=True)
    next_due_kind = models.CharField(_("next deadline kind"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("audit case")
        verbose_name_plural = _("audit cases")
        ordering = ["-programme__year", "enterprise__name"]
        indexes = [
            models.Index(fields=["state", "next_due_on"]),
            # Covers the dashboard's grouping of a jurisdiction's cases (reports/dashboard.py), so it
            # reads this index alone, already in group order, instead of the table.
            models.Index(
                fields=["jurisdiction_path", "state", "programme", "next_due_on", "accepted_on"],
                name="case_scope_figures_idx",
            ),
            # The few group and voluntary audits of a scope (the dashboard's group figures), without
            # reading the mandatory cases of ten years.
            models.Index(fields=["kind", "jurisdiction_path"], name="case_kind_path_idx"),
            # A totals cell's cases, which a rewrite of its counts reads (cases/counts.py): read from the
            # index alone (PostgreSQL), not from the table's pages of every district.
            models.Index(
                fields=["programme", "jurisdiction", "kind"],
                name="case_cell_idx",
                include=[
                    "id",
                    "listing",
                    "jurisdiction_path",
                    "state",
                    "level",
                    "next_due_on",
                    "accepted_on",
                    "disclosed_on",
                    "audit_started_on",
                    "report_submitted_on",
                ],
            ),
            # The case list's orders on the case's own columns (cases.selectors.ORDERS): each page
            # seeks in one of these to its first row.
            models.Index(
                Coalesce("next_due_on", models.Value(datetime.date.max)), "id", name="case_seek_deadline_idx"
            ),
            models.Index(
                Coalesce("next_due_on", models.Value(datetime.date.min)),
                "id",
                name="case_seek_deadline_desc_idx",
            ),
            models.Index(fields=["state", "id"], name="case_seek_state_idx"),
            models.Index(fields=["jurisdiction_path", "id"], name="case_seek_district_idx"),
        ]

    def __str__(self):
        return f"{self.programme.year} · {self.enterprise.name}"

    def save(self, *args, **kwargs):
        if not self.jurisdiction_path:
            self.jurisdiction_path = self.jurisdiction.path
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("case-detail", args=[self.pk])

    def refresh_from_db(self, using=None, fields=None, **kwargs):
        super().refresh_from_db(using=using, fields=fields, **kwargs)
        if fields is None:
            # What receivers remembered at load (the counts' old values) is of the row as read now.
            signals.post_init.send(sender=type(self), instance=self)

    def delete(self, *args, **kwargs):
        raise HardDeleteRefused("Audit cases are never deleted; withdraw the case instead.")

    @property
    def year(self) -> int:
        return self.programme.year

    @property
    def is_voluntary(self) -> bool:
        return self.kind == CaseKind.VOLUNTARY
