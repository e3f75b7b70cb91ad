from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from qingshen.cases.states import Level, State
from qingshen.core.paths import JurisdictionPathField


class HardDeleteRefused(Exception):
    """Case data is never hard-deleted; withdraw the case instead."""


class DocumentImmutable(Exception):
    """A stored document's file and facts never change; a new version supersedes it."""


class AuditCase(models.Model):
    """One enterprise's audit round: the unit that moves through the lifecycle.

    `state` is written only by cases.services.case_transition (a test enforces it). The dates below
    are the latest time each step happened; deadlines are computed from them.
    """

    programme = models.ForeignKey(
        "programmes.Programme", verbose_name=_("programme"), on_delete=models.PROTECT, related_name="cases"
    )
    listing = models.OneToOneField(
        "programmes.Listing", verbose_name=_("listing"), on_delete=models.PROTECT, related_name="case"
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
    state = models.CharField(_("state"), max_length=30, choices=State.choices, default=State.LISTED)
    version = models.PositiveIntegerField(_("version"), default=1)
    state_changed_at = models.DateTimeField(_("state changed"), auto_now_add=True)

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
    withdrawn_reason = models.TextField(_("reason for withdrawal"), blank=True)
    level = models.CharField(_("level reached"), max_length=3, choices=Level.choices, blank=True)

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
        ]

    def __str__(self):
        return f"{self.programme.year} · {self.enterprise.name}"

    def save(self, *args, **kwargs):
        if not self.jurisdiction_path:
            self.jurisdiction_path = self.jurisdiction.path
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("case-detail", args=[self.pk])

    def delete(self, *args, **kwargs):
        raise HardDeleteRefused("Audit cases are never deleted; withdraw the case instead.")

    @property
    def year(self) -> int:
        return self.programme.year


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

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        MET = "met", _("met")
        WAIVED = "waived", _("no longer due")

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

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        ordering = ["due_on"]
        constraints = [models.UniqueConstraint(fields=["case", "kind"], name="deadline_once_per_kind")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.due_on}"

    def delete(self, *args, **kwargs):
        raise HardDeleteRefused("Deadlines are case data and are never deleted.")


def document_upload_to(instance, filename):
    # The stored name is the digest: original names can be anything and stay in `original_name`.
    return f"cases/{instance.case_id}/{instance.sha256[:2]}/{instance.sha256}"


class Document(models.Model):
    """An uploaded file (材料). Never overwritten; a new upload is a new version."""

    class Kind(models.TextChoices):
        DISCLOSURE_PROOF = "disclosure_proof", _("Disclosure proof")
        AUDIT_REPORT = "audit_report", _("Audit report")
        TECHNICAL_EVIDENCE = "technical_evidence", _("Technical evidence")
        CAPACITY_PROOF = "capacity_proof", _("Agency or own-capacity proof")
        APPLICATION = "application", _("Application form")
        MONITORING_REPORT = "monitoring_report", _("Monitoring report")
        ACCEPTANCE_REPORT = "acceptance_report", _("Acceptance report")
        IMPLEMENTATION_EVIDENCE = "implementation_evidence", _("Implementation evidence")
        PHOTO = "photo", _("Photo")
        OPINION = "opinion", _("Technical review opinion")
        ACCEPTANCE_OPINION = "acceptance_opinion", _("Acceptance opinion")
        NOTICE_LETTER = "notice_letter", _("One-time notification letter")
        WITHDRAWAL = "withdrawal", _("Withdrawal proof")
        OTHER = "other", _("Other")

    # What a stored file is may never change afterwards; only these may be set on a saved row.
    MUTABLE_FIELDS = frozenset({"superseded_by", "used_in_review"})
    OPINION_KINDS = (Kind.OPINION, Kind.ACCEPTANCE_OPINION)
    # Documents the bureau issues or records; nobody uploads them through the portal.
    ISSUED_KINDS = frozenset({*OPINION_KINDS, Kind.WITHDRAWAL, Kind.NOTICE_LETTER})

    case = models.ForeignKey(
        AuditCase, verbose_name=_("case"), on_delete=models.PROTECT, related_name="documents"
    )
    kind = models.CharField(_("type"), max_length=30, choices=Kind.choices)
    version = models.PositiveIntegerField(_("version"), default=1)
    file = models.FileField(_("file"), upload_to=document_upload_to, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField("SHA-256", max_length=64)
    sm3 = models.CharField("SM3", max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    restricted = models.BooleanField(_("restricted"), default=True)
    content_type = models.CharField(_("content type"), max_length=20, blank=True)
    # The next version of the same kind; the current version has none.
    superseded_by = models.OneToOneField(
        "self",
        verbose_name=_("superseded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supersedes",
    )
    # Set by the reviews when an application or opinion relies on this file: from then on it can
    # only be superseded by a new version, never changed.
    used_in_review = models.BooleanField(_("used in a review"), default=False)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["case", "kind", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["case", "kind", "version"], name="document_version_unique")
        ]

    def __str__(self):
        return f"{self.get_kind_display()} v{self.version} {self.original_name}"

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if self.pk is not None and (update_fields is None or not set(update_fields) <= self.MUTABLE_FIELDS):
            raise DocumentImmutable("A stored document is never changed; upload a new version.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise HardDeleteRefused("Documents are never deleted; upload a new version.")

    @property
    def is_current(self) -> bool:
        return self.superseded_by_id is None


class Delegation(models.Model):
    """An enterprise entrusts its case to a consulting agency for a period (委托)."""

    case = models.ForeignKey(
        AuditCase, verbose_name=_("case"), on_delete=models.PROTECT, related_name="delegations"
    )
    agency = models.ForeignKey(
        "registry.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="delegations"
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        ordering = ["-starts_on"]

    def __str__(self):
        return f"{self.agency} → {self.case}"


# The enterprise-side records live in their own modules; imported here so Django finds the models.
from qingshen.cases.disclosure_models import Disclosure  # noqa: E402
from qingshen.cases.option_models import Baseline, Benefit, Indicator, Option  # noqa: E402
from qingshen.cases.rollup_models import BenefitRollup, OptionRollup, RollupCell  # noqa: E402

__all__ = [
    "AuditCase",
    "Baseline",
    "Benefit",
    "BenefitRollup",
    "CaseDeadline",
    "Delegation",
    "Disclosure",
    "Document",
    "Indicator",
    "Option",
    "OptionRollup",
    "RollupCell",
]
