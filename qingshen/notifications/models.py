"""The in-app inbox (Notification) and the outbox of mail and SMS (Delivery), sent by a worker."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from qingshen.core.paths import JurisdictionPathField


class Notification(models.Model):
    """One message in one user's inbox, linking to the object it is about."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.PROTECT, related_name="+"
    )
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)  # app_label.model
    object_id = models.CharField(_("object"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self):
        return self.subject


class Delivery(models.Model):
    """A mail or SMS to one address. Official notices wait (HELD) until city staff release them;
    the others are QUEUED at once. The worker sends; a failure is retried with a growing delay."""

    class Channel(models.TextChoices):
        MAIL = "mail", _("mail")
        SMS = "sms", _("SMS")

    class Status(models.TextChoices):
        HELD = "held", _("awaiting review")
        QUEUED = "queued", _("queued")
        RETRY = "retry", _("to be retried")
        SENT = "sent", _("sent")
        FAILED = "failed", pgettext_lazy("delivery", "failed")
        WITHDRAWN = "withdrawn", _("withdrawn")

    notification = models.ForeignKey(
        Notification,
        verbose_name=_("notification"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deliveries",
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.MAIL)
    address = models.CharField(_("address"), max_length=254)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"))
    official = models.BooleanField(_("official notice"), default=False)
    jurisdiction_path = JurisdictionPathField(blank=True, db_index=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, db_index=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.get_channel_display()} → {self.address}"
