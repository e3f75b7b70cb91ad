"""Evaluation and acceptance (审核评估/审核验收): applications, experts, drawn panels, rubrics, scores."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from qingshen.registry.uscc import django_validator as uscc_validator

# The kinds, checklists and rubrics the city configures have their own module; imported here so that
# Django finds the models and callers import every review model from this one.
from qingshen.reviews.configuration_models import ChecklistItem, ReviewKind, Rubric, RubricItem  # noqa: F401
from qingshen.reviews.count_models import ReviewCount  # noqa: F401


class Review(models.Model):
    """One application for evaluation or acceptance and everything that follows from it."""

    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied, awaiting the completeness check")
        REFUSED = "refused", _("Refused (不予受理)")
        ACCEPTED = "accepted", _("Accepted (受理), panel to be organised")
        CONCLUDED = "concluded", _("Concluded")
        # Closed unconcluded: its case was closed another way (counted by a group audit's pass).
        CANCELLED = "cancelled", _("Cancelled (the case was closed)")

    class Outcome(models.TextChoices):
        PASS = "pass", _("Pass")
        FAIL = "fail", _("Fail")

    case = models.ForeignKey(
        "cases.AuditCase", verbose_name=_("case"), on_delete=models.PROTECT, related_name="reviews"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ReviewKind.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.APPLIED)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("applied by"), on_delete=models.PROTECT, related_name="+"
    )
    applied_on = models.DateField(_("applied on"))
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    checked_on = models.DateField(_("checked on"), null=True, blank=True)
    missing_items = models.JSONField(_("missing materials"), default=list, blank=True)
    refusal_reason = models.TextField(_("reason for refusal"), blank=True)
    override_reason = models.TextField(
        _("reason for refusing a complete application"),
        blank=True,
        help_text=_("Needed when the checklist is complete; recorded as an accountability case."),
    )
    rubric = models.ForeignKey(
        "reviews.Rubric",
        verbose_name=_("rubric"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reviews",
    )
    # The computed result (never typed) and the chair's confirmation of it.
    result_score = models.DecimalField(
        _("panel score"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    result_vetoed = models.BooleanField(_("vetoed"), default=False)
    proposed_outcome = models.CharField(
        _("proposed conclusion"), max_length=10, choices=Outcome.choices, blank=True
    )
    outcome = models.CharField(_("conclusion"), max_length=10, choices=Outcome.choices, blank=True)
    level = models.CharField(_("level reached"), max_length=3, blank=True)
    conclusion_reasons = models.TextField(_("reasons"), blank=True)
    requirements = models.TextField(_("requirements"), blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    # The energy-saving authority's co-signature on a mixed-ground case, where the city asks for one
    # (registry.EnergyConsultation.COSIGN): the chair confirms only after it (services.cosign).
    cosigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("co-signed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    cosigned_at = models.DateTimeField(_("co-signed"), null=True, blank=True)
    cosign_comment = models.TextField(_("co-signature comment"), blank=True)
    concluded_on = models.DateField(_("concluded on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["-applied_on", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.case}"

    @property
    def outcome_label(self) -> str:
        return outcome_label(self.kind, self.outcome or self.proposed_outcome)


def outcome_label(kind: str, outcome: str) -> str:
    """通过/不通过 for evaluation, 合格/不合格 for acceptance (domain.md §1)."""
    labels = {
        (ReviewKind.EVALUATION, "pass"): _("Passed (通过)"),
        (ReviewKind.EVALUATION, "fail"): _("Not passed (不通过)"),
        (ReviewKind.ACCEPTANCE, "pass"): _("Qualified (合格)"),
        (ReviewKind.ACCEPTANCE, "fail"): _("Not qualified (不合格)"),
    }
    return str(labels.get((kind, outcome), ""))


class ReviewMaterial(models.Model):
    """A document handed in for one checklist item of an application."""

    review = models.ForeignKey(
        Review, verbose_name=_("review"), on_delete=models.PROTECT, related_name="materials"
    )
    item = models.ForeignKey(ChecklistItem, verbose_name=_("checklist item"), on_delete=models.PROTECT)
    document = models.ForeignKey("cases.Document", verbose_name=_("document"), on_delete=models.PROTECT)

    class Meta:
        verbose_name = _("application material")
        verbose_name_plural = _("application materials")
        constraints = [models.UniqueConstraint(fields=["review", "item"], name="review_material_once")]

    def __str__(self):
        return f"{self.item} · {self.document}"


class Expert(models.Model):
    """An expert of the pool (专家库). Matching with enterprises and agencies is on credit codes."""

    class Field(models.TextChoices):
        PROCESS = "process", _("Industry process")
        ENVIRONMENT = "environment", _("Environment")
        ENERGY = "energy", _("Energy")
        AUDIT = "audit", _("Cleaner production audit")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="expert",
    )
    name = models.CharField(_("name"), max_length=50)
    specialties = models.ManyToManyField(
        "registry.Industry",
        verbose_name=_("industries"),
        related_name="experts",
        help_text=_("GB/T 4754 divisions (or finer) the expert may review."),
    )
    fields = models.JSONField(_("fields"), default=list, blank=True)
    employer_name = models.CharField(_("employer"), max_length=200, blank=True)
    employer_uscc = models.CharField(
        _("employer's credit code"), max_length=18, blank=True, validators=[uscc_validator]
    )
    region = models.ForeignKey(
        "accounts.Jurisdiction",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField(pgettext_lazy("professional title", "title"), max_length=60, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    certificate_no = models.CharField(_("training certificate"), max_length=60, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    last_drawn_on = models.DateField(_("last drawn on"), null=True, blank=True)

    class Meta:
        verbose_name = _("expert")
        verbose_name_plural = _("experts")
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name


class ExpertConflict(models.Model):
    """A conflict with an enterprise, declared by the expert or pinned by the city."""

    class Kind(models.TextChoices):
        DECLARED = "declared", _("Declared by the expert")
        PINNED = "pinned", _("Pinned by the city")

    expert = models.ForeignKey(
        Expert, verbose_name=_("expert"), on_delete=models.PROTECT, related_name="conflicts"
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    reason = models.TextField(_("reason"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")

    def __str__(self):
        return f"{self.expert} · {self.enterprise}"


class ConflictDismissal(models.Model):
    """The city set aside one computed exclusion of one expert for one review (a false positive)."""

    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="dismissals")
    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="+")
    rule = models.CharField(_("exclusion rule"), max_length=30)
    reason = models.TextField(_("reason"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("dismissed conflict")
        verbose_name_plural = _("dismissed conflicts")
        constraints = [
            models.UniqueConstraint(fields=["review", "expert", "rule"], name="conflict_dismissal_once")
        ]

    def __str__(self):
        return f"{self.expert} · {self.rule}"


class Panel(models.Model):
    """The drawn panel and the record that proves the draw (seed, candidates, exclusions, rules)."""

    review = models.OneToOneField(
        Review, verbose_name=_("review"), on_delete=models.PROTECT, related_name="panel"
    )
    algorithm = models.CharField(_("algorithm"), max_length=40)
    seed = models.CharField(_("seed"), max_length=64)
    size = models.PositiveSmallIntegerField(_("panel size"))
    record = models.JSONField(_("draw record"))
    record_sha256 = models.CharField(_("record digest (SHA-256)"), max_length=64)
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    drawn_at = models.DateTimeField(_("drawn"), auto_now_add=True)

    class Meta:
        verbose_name = _("panel")
        verbose_name_plural = _("panels")

    def __str__(self):
        return f"{self.review}"


class PanelSeat(models.Model):
    class Status(models.TextChoices):
        INVITED = "invited", _("Invited")
        ACCEPTED = "accepted", pgettext_lazy("panel seat", "Accepted")
        DECLINED = "declined", _("Declined")

    panel = models.ForeignKey(Panel, verbose_name=_("panel"), on_delete=models.PROTECT, related_name="seats")
    expert = models.ForeignKey(
        Expert, verbose_name=_("expert"), on_delete=models.PROTECT, related_name="seats"
    )
    position = models.PositiveSmallIntegerField(_("place in the draw"))
    is_chair = models.BooleanField(_("chair (组长)"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.INVITED)
    no_conflict_declared = models.BooleanField(_("declared no conflict"), default=False)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    responded_at = models.DateTimeField(_("responded"), null=True, blank=True)
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("replaces"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
    )

    class Meta:
        verbose_name = _("panel seat")
        verbose_name_plural = _("panel seats")
        ordering = ["panel", "position"]
        constraints = [
            models.UniqueConstraint(fields=["panel", "expert"], name="seat_expert_once"),
            models.UniqueConstraint(fields=["panel", "position"], name="seat_position_once"),
        ]

    def __str__(self):
        return f"{self.expert} · {self.panel}"


class Score(models.Model):
    """One expert's submitted sheet. Submitted once; never edited."""

    seat = models.OneToOneField(
        PanelSeat, verbose_name=_("seat"), on_delete=models.PROTECT, related_name="score"
    )
    total = models.DecimalField(_("total"), max_digits=7, decimal_places=2)
    vetoed = models.BooleanField(_("veto raised"), default=False)
    comment = models.TextField(_("comment"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)

    class Meta:
        verbose_name = _("score sheet")
        verbose_name_plural = _("score sheets")

    def __str__(self):
        return f"{self.seat} · {self.total}"


class ScoreLine(models.Model):
    score = models.ForeignKey(Score, on_delete=models.PROTECT, related_name="lines")
    item = models.ForeignKey(RubricItem, on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2, default=0)
    vetoed = models.BooleanField(_("veto"), default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["score", "item"], name="score_line_once")]

    def __str__(self):
        return f"{self.item} · {self.points}"


class AgencyRating(models.Model):
    """The panel's rating of the agency that served a case, given with the conclusion.

    On the scale of the rules review_agency_rating_min–max (1–5 by default), checked by review_confirm:
    the city edits the scale, so the database holds no bound of its own.
    """

    review = models.OneToOneField(Review, on_delete=models.PROTECT, related_name="agency_rating")
    agency = models.ForeignKey("registry.Agency", on_delete=models.PROTECT, related_name="ratings")
    rating = models.PositiveSmallIntegerField(_("rating"))
    comment = models.TextField(_("comment"), blank=True)
    given_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    given_at = models.DateTimeField(_("given"), auto_now_add=True)

    class Meta:
        verbose_name = _("agency rating")
        verbose_name_plural = _("agency ratings")

    def __str__(self):
        return f"{self.agency} · {self.rating}"


# The bureau's rating of each expert's work has its own module (qingshen.reviews.quality).
# Meetings, revisions and the public notice of results have their own module (qingshen.reviews.meetings).
from qingshen.reviews.meeting_models import (  # noqa: E402, F401
    MeetingCase,
    Objection,
    ReviewMeeting,
    RevisionRequest,
)
from qingshen.reviews.quality_models import ExpertRating  # noqa: E402, F401
