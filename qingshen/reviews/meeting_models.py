"""Review meetings (集中评估/验收): several applications on one date and place, the panel's requests for
revision (修改完善) and the public notice of the results (公示) with its objections. Imported by
qingshen.reviews.models, where Django finds them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from qingshen.reviews.configuration_models import ReviewKind


class ReviewMeeting(models.Model):
    """One sitting of the organiser: the applications it gathers, one drawn panel for all of them
    (shared) or one per application, and, once every conclusion is confirmed, the 公示 of the batch."""

    class PanelMode(models.TextChoices):
        SHARED = "shared", _("One panel for every application")
        PER_CASE = "per_case", _("One panel per application")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        NOTICE = "notice", _("Public notice (公示) running")
        FINAL = "final", _("Results final")

    kind = models.CharField(_("kind"), max_length=20, choices=ReviewKind.choices)
    held_on = models.DateField(_("meeting date"))
    place = models.CharField(_("place"), max_length=200)
    organiser = models.ForeignKey(
        "accounts.Jurisdiction", verbose_name=_("organiser"), on_delete=models.PROTECT, related_name="+"
    )
    panel_mode = models.CharField(_("panel"), max_length=10, choices=PanelMode.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    notice_from = models.DateField(_("notice published on"), null=True, blank=True)
    notice_until = models.DateField(_("notice ends on"), null=True, blank=True)
    finalised_on = models.DateField(_("results final on"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("review meeting")
        verbose_name_plural = _("review meetings")
        ordering = ["-held_on", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.held_on:%Y-%m-%d} · {self.place}"


class MeetingCase(models.Model):
    """One application of a meeting, with its own site-visit and meeting dates."""

    meeting = models.ForeignKey(
        ReviewMeeting, verbose_name=_("meeting"), on_delete=models.PROTECT, related_name="cases"
    )
    review = models.OneToOneField(
        "reviews.Review", verbose_name=_("review"), on_delete=models.PROTECT, related_name="meeting_case"
    )
    site_visit_on = models.DateField(_("site visit on"), null=True, blank=True)
    meeting_on = models.DateField(_("reviewed at the meeting on"), null=True, blank=True)

    class Meta:
        verbose_name = _("application of a meeting")
        verbose_name_plural = _("applications of a meeting")
        ordering = ["meeting", "pk"]

    def __str__(self):
        return f"{self.meeting} · {self.review}"


class RevisionRequest(models.Model):
    """The panel's request that the enterprise revise its report (修改完善), the revised report it
    handed in and the chair's sign-off. The conclusion waits for the sign-off."""

    review = models.ForeignKey(
        "reviews.Review", verbose_name=_("review"), on_delete=models.PROTECT, related_name="revisions"
    )
    items = models.JSONField(_("what to revise"), default=list)
    due_on = models.DateField(_("revise by"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    document = models.ForeignKey(
        "cases.Document",
        verbose_name=_("revised report"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    revised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revised_at = models.DateTimeField(_("revised"), null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_off_at = models.DateTimeField(_("signed off"), null=True, blank=True)
    sign_off_note = models.TextField(_("chair's note"), blank=True)

    class Meta:
        verbose_name = _("request for revision")
        verbose_name_plural = _("requests for revision")
        ordering = ["review", "pk"]

    def __str__(self):
        return f"{self.review} · {self.due_on:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.signed_off_at is None


class Objection(models.Model):
    """An objection lodged by anyone during the 公示, and the organiser's answer to it: sent to the
    objector's inbox when they lodged it signed in, otherwise shown on the public notice (the contact
    they gave stays with the organiser, who may also reply through it)."""

    class AnswerSent(models.TextChoices):
        INBOX = "inbox", _("Sent to the objector's inbox")
        PUBLIC = "public", _("Shown on the public notice")

    meeting = models.ForeignKey(
        ReviewMeeting, verbose_name=_("meeting"), on_delete=models.PROTECT, related_name="objections"
    )
    review = models.ForeignKey(
        "reviews.Review",
        verbose_name=_("application objected to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="objections",
    )
    name = models.CharField(_("name"), max_length=50)
    contact = models.CharField(_("contact"), max_length=100)
    text = models.TextField(_("objection"))
    address_key = models.CharField(max_length=64, blank=True)  # counted by the rate limit, never shown
    lodged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lodged by (signed in)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    lodged_at = models.DateTimeField(_("lodged"), auto_now_add=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answer_sent = models.CharField(_("answer sent"), max_length=10, choices=AnswerSent.choices, blank=True)

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["meeting", "pk"]

    def __str__(self):
        return f"{self.meeting} · {self.name}"
