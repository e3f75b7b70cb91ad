from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from qingshen.accounts.roles import Authority
from qingshen.registry.bureau_models import ReviewOrganiser


class Programme(models.Model):
    """One year's mandatory audit work for one city (年度强制性清洁生产审核工作)."""

    class ListState(models.TextChoices):
        DRAFT = "draft", _("Draft (districts propose)")
        SUBMITTED = "submitted", _("Submitted to the province")
        CONFIRMED = "confirmed", _("Confirmed")  # by the province, or a province-level city itself
        PUBLISHED = "published", _("Published")

    year = models.PositiveSmallIntegerField(_("year"))
    city = models.ForeignKey(
        "accounts.Jurisdiction", verbose_name=_("city"), on_delete=models.PROTECT, related_name="programmes"
    )
    title = models.CharField(_("title"), max_length=200)
    # The notice that sets the year's work (e.g. 渝环办〔2021〕24号): who issued it and when.
    document_number = models.CharField(_("document number"), max_length=100, blank=True)
    issuing_body = models.CharField(_("issuing body"), max_length=200, blank=True)
    issued_on = models.DateField(_("issue date"), null=True, blank=True)
    list_state = models.CharField(
        _("list state"), max_length=20, choices=ListState.choices, default=ListState.DRAFT
    )
    published_on = models.DateField(_("list published on (P)"), null=True, blank=True)
    # Blank: the city's setting (registry.BureauSettings.review_organiser) decides.
    review_organiser = models.CharField(
        _("who organises evaluations and acceptances"),
        max_length=10,
        choices=ReviewOrganiser.choices,
        blank=True,
        help_text=_("Leave blank to follow the city's setting."),
    )
    # The province's comment when it returned the list to the city (cleared on the next submission).
    return_comment = models.TextField(_("comment of the province"), blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # A year the bureau ran before the system, created by the history import: its list is closed (no
    # list workflow, no amendments), its cases came from the bureau's spreadsheets.
    historical = models.BooleanField(_("from history (before the system)"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["-year", "city__name"]
        constraints = [models.UniqueConstraint(fields=["city", "year"], name="programme_city_year")]

    def __str__(self):
        return self.title


class Milestone(models.Model):
    """A date the notice sets for the programme (e.g. district lists by 3/19, summary by 11/30)."""

    class Kind(models.TextChoices):
        PLAN_LIST_DUE = "plan_list_due", _("Plan list due")
        SUMMARY_DUE = "summary_due", _("Summary due")
        EVALUATIONS_DONE = "evaluations_done", _("Evaluations done by")
        ACCEPTANCES_DONE = "acceptances_done", _("Acceptances done by")
        PROGRESS_REPORT_DUE = "progress_report_due", _("Progress report due")
        CUSTOM = "custom", _("Other")

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="milestones"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, default=Kind.CUSTOM)
    name = models.CharField(_("name"), max_length=200)
    due_on = models.DateField(_("due on"))
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["due_on"]

    def __str__(self):
        return f"{self.due_on} {self.name}"


class Ground(models.TextChoices):
    """The grounds of Art. 8 of the 审核办法, plus a local 'key task' ground."""

    EMISSIONS = "emissions", _("Exceeds discharge standards or totals (双超)")
    ENERGY = "energy", _("Energy use above the limit (高耗能)")
    HAZARDOUS = "hazardous", _("Toxic or hazardous substances (双有)")
    OTHER = "other", _("Other (key task)")


# The department that leads a listing is one of the bureau accounts' authorities (accounts.roles).
LeadAuthority = Authority


def lead_authority_for(grounds) -> str:
    """办法 Art. 20: the energy-saving department leads energy-only listings; otherwise environment."""
    grounds = set(grounds)
    if grounds and grounds <= {Ground.ENERGY}:
        return LeadAuthority.ENERGY
    return LeadAuthority.ENVIRONMENT


class Listing(models.Model):
    """An enterprise on a year's list (名单条目)."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="listings"
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="listings"
    )
    grounds = models.JSONField(_("grounds"), default=list)
    other_reason = models.CharField(_("reason (other ground)"), max_length=300, blank=True)
    lead_authority = models.CharField(
        _("lead authority"), max_length=20, choices=LeadAuthority.choices, editable=False
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # A re-listing of an earlier case that failed or ran out of time (附件2 → new year).
    carried_from = models.ForeignKey(
        "cases.AuditCase",
        verbose_name=_("re-listed from"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="relistings",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("listing")
        verbose_name_plural = _("listings")
        ordering = ["programme", "enterprise__name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "enterprise"], name="listing_once_per_programme")
        ]

    def __str__(self):
        return f"{self.programme.year} {self.enterprise}"

    def save(self, *args, **kwargs):
        self.lead_authority = lead_authority_for(self.grounds)
        super().save(*args, **kwargs)

    def grounds_display(self) -> list[str]:
        return [Ground(g).label for g in self.grounds if g in Ground.values]


class DistrictProposal(models.Model):
    """One district's candidates for one programme (区县推荐名单): who holds it and what the city said."""

    class Status(models.TextChoices):
        DRAFTING = "drafting", _("Being prepared by the district")
        SUBMITTED = "submitted", _("Submitted to the city")
        RETURNED = "returned", _("Returned to the district")
        MERGED = "merged", _("Merged into the city's list")

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="proposals"
    )
    district = models.ForeignKey(
        "accounts.Jurisdiction", verbose_name=_("district"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFTING)
    comment = models.TextField(_("comment of the city"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("district proposal")
        verbose_name_plural = _("district proposals")
        ordering = ["programme", "district__path"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "district"], name="proposal_once_per_district")
        ]

    def __str__(self):
        return f"{self.programme.year} {self.district}"

    @property
    def open_to_district(self) -> bool:
        """The district edits and submits it until it is sent (again after the city returns it)."""
        return self.status in (self.Status.DRAFTING, self.Status.RETURNED)


class PlanEntry(models.Model):
    """An enterprise on the plan list for the next two years (附件4): proposed, merged, no case."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="plan_entries"
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="+"
    )
    planned_year = models.PositiveSmallIntegerField(_("planned year"))
    grounds = models.JSONField(_("grounds"), default=list)
    note = models.CharField(_("note"), max_length=300, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("proposed by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # On the city's plan list: at once when the city adds it, when the city merges the district's part.
    merged_at = models.DateTimeField(_("merged"), null=True, blank=True)

    class Meta:
        verbose_name = _("plan list entry")
        verbose_name_plural = _("plan list entries")
        ordering = ["programme", "planned_year", "enterprise__name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "enterprise"], name="plan_entry_once_per_programme")
        ]

    def __str__(self):
        return f"{self.planned_year} {self.enterprise}"

    def grounds_display(self) -> list[str]:
        return [Ground(g).label for g in self.grounds if g in Ground.values]


class Amendment(models.Model):
    """A change to a published list (名单调整): an enterprise added or removed, with reason and document."""

    class Kind(models.TextChoices):
        ADD = "add", _("Added to the published list")
        REMOVE = "remove", _("Removed from the published list")

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="amendments"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    listing = models.ForeignKey(
        Listing, verbose_name=_("listing"), on_delete=models.PROTECT, related_name="amendments"
    )
    reason = models.TextField(_("reason"))
    document = models.ForeignKey(
        "cases.Document", verbose_name=_("document"), on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("amendment")
        verbose_name_plural = _("amendments")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.listing.enterprise}"


def import_upload_to(instance, filename):
    return f"imports/{instance.programme_id}/{instance.sha256}"


class ImportBatch(models.Model):
    """An uploaded list file: stored first, validated in the background, committed all or nothing."""

    class Kind(models.TextChoices):
        ANNUAL = "annual", _("Annual list (附件1)")
        PLAN = "plan", _("Plan list (附件4)")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to be checked")
        VALIDATING = "validating", _("Being checked")
        READY = "ready", _("Checked: ready to commit")
        INVALID = "invalid", _("Has errors: nothing was imported")
        COMMITTING = "committing", _("Being imported")
        COMMITTED = "committed", _("Imported")

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="imports"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.ANNUAL)
    file = models.FileField(_("file"), upload_to=import_upload_to, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.QUEUED)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    # [{"row", "column", "problem", "fix"}]: the row-by-row report.
    errors = models.JSONField(_("errors"), default=list)
    # Codes already registered under another name: [{"row", "uscc", "file_name", "registry_name"}].
    conflicts = models.JSONField(_("name conflicts"), default=list)
    # The validated rows, ready for commit (normalised values).
    rows = models.JSONField(_("validated rows"), default=list)
    created_count = models.PositiveIntegerField(_("listings created"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    # Set when the background worker stopped during the check or the import (programmes/imports/recovery.py):
    # the page says so; the status went back to where the work can start again.
    interrupted_at = models.DateTimeField(_("interrupted"), null=True, blank=True)
    interrupted_during = models.CharField(
        _("interrupted during"), max_length=20, choices=Status.choices, blank=True
    )

    class Meta:
        verbose_name = _("list import")
        verbose_name_plural = _("list imports")
        ordering = ["-created_at"]

    def __str__(self):
        return self.original_name

    @property
    def percent(self) -> int:
        return int(100 * self.processed_rows / self.total_rows) if self.total_rows else 0


def history_upload_to(instance, filename):
    return f"imports/history/{instance.city_id}/{instance.sha256}"


class HistoryBatch(models.Model):
    """An uploaded file of earlier years' rounds (programmes.history): stored first, checked in the
    background, written all or nothing; the statuses are the list import's."""

    Status = ImportBatch.Status

    city = models.ForeignKey(
        "accounts.Jurisdiction", verbose_name=_("city"), on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField(_("file"), upload_to=history_upload_to, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64)
    sm3 = models.CharField("SM3", max_length=64)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.QUEUED)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    errors = models.JSONField(_("errors"), default=list)  # [{"row", "column", "problem", "fix"}]
    rows = models.JSONField(_("validated rows"), default=list)
    # Rows this file already brought in (a re-import): [row numbers]; they are left as they are.
    skipped = models.JSONField(_("rows already imported"), default=list)
    # Credit codes the registry knows under another name: [{"uscc", "registry_name", "file_name",
    # "rows"}], one per enterprise; the importer keeps the registry's name or takes the file's.
    conflicts = models.JSONField(_("name conflicts"), default=list)
    created_count = models.PositiveIntegerField(_("cases created"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    interrupted_at = models.DateTimeField(_("interrupted"), null=True, blank=True)
    interrupted_during = models.CharField(
        _("interrupted during"), max_length=20, choices=Status.choices, blank=True
    )

    class Meta:
        verbose_name = _("history import")
        verbose_name_plural = _("history imports")
        ordering = ["-created_at"]

    def __str__(self):
        return self.original_name

    @property
    def percent(self) -> int:
        return int(100 * self.processed_rows / self.total_rows) if self.total_rows else 0


from qingshen.programmes.permit_batch_models import PermitBatch  # noqa: E402, F401
from qingshen.programmes.plan_models import PlanSubmission  # noqa: E402, F401
from qingshen.programmes.progress_models import ProgressReturn  # noqa: E402, F401
