"""The operation log (操作日志): append-only.

Action types are dotted strings, not DB choices, so new actions need no migration (design.md §9,
the Hypha lesson).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove a row of the log (an Event or a Checkpoint)."""


class EventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("The operation log is append-only")

    def delete(self):
        raise AppendOnlyError("The operation log is append-only")

    bulk_update = update


class AppendOnlyModel(models.Model):
    """Rows are written once: the ORM refuses changes here, the database triggers (append_only.py) too."""

    objects = EventQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("The operation log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("The operation log is append-only")


class Event(AppendOnlyModel):
    class Result(models.TextChoices):
        SUCCESS = "success", _("success")
        FAILURE = "failure", _("failure")

    # Set before saving (not auto_now_add) because the time is part of the hashed content.
    at = models.DateTimeField(_("time"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The user name as it was, so the line reads the same after a rename.
    actor_name = models.CharField(_("user name"), max_length=150, blank=True)
    client_ip = models.GenericIPAddressField(_("client address"), null=True, blank=True)
    action = models.CharField(_("action"), max_length=80, db_index=True)
    result = models.CharField(_("result"), max_length=10, choices=Result.choices, default=Result.SUCCESS)
    object_type = models.CharField(_("object type"), max_length=80, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True, db_index=True)
    object_repr = models.CharField(_("object"), max_length=300, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    # The hash chain (chain.py): position, the previous row's digest and this row's SM3 digest; all three
    # empty (seq NULL) from the insert until the row is linked after its commit (linking.py).
    seq = models.BigIntegerField(_("sequence"), null=True, unique=True)
    prev_digest = models.CharField(_("previous digest"), max_length=64, default="")
    digest = models.CharField(_("digest"), max_length=64, default="")

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id", "at"]),
            # The log page's order, read from either end (selectors.events_page); also serves `at` ranges.
            models.Index(fields=["at", "id"], name="trail_event_at_id"),
        ]

    def __str__(self):
        return (
            f"{timezone.localtime(self.at):%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_repr}"
        )


class ChainHead(models.Model):
    """The one row that serialises appends (locked with select_for_update) and anchors the chain.

    `seq`/`digest` are the last appended event's; `anchor_seq`/`anchor_prev_digest` are where
    verification starts (the first kept row after pruning, else the genesis).
    """

    seq = models.BigIntegerField(default=0)
    digest = models.CharField(max_length=64, default="")
    anchor_seq = models.BigIntegerField(default=1)
    anchor_prev_digest = models.CharField(max_length=64, default="")

    class Meta:
        verbose_name = _("log chain head")
        verbose_name_plural = _("log chain head")

    def __str__(self):
        return f"{self.seq} {self.digest[:12]}"


class Checkpoint(AppendOnlyModel):
    """The chain's head at one moment, sealed with HMAC-SM3 under the log key (checkpoints.py).

    Whoever can write the database but does not hold the key can neither forge one nor rewrite the rows
    before one without the difference showing; each seals the one before it, so removing one shows too.
    The same lines go to the checkpoint file off the database (QINGSHEN_LOG_CHECKPOINT_FILE).
    """

    class Reason(models.TextChoices):
        INTERVAL = "interval", _("every so many rows")
        DEMAND = "demand", _("on demand")
        PRUNE = "prune", _("after pruning")
        MAIL = "mail", _("mailed to the auditor")
        DOWNLOAD = "download", _("downloaded by the auditor")

    seq = models.BigIntegerField(_("sequence"), unique=True)
    digest = models.CharField(_("digest"), max_length=64)
    at = models.DateTimeField(_("time"), default=timezone.now)
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    prev_mac = models.CharField(_("previous seal"), max_length=64, blank=True)
    mac = models.CharField(_("seal"), max_length=64)

    class Meta:
        verbose_name = _("log checkpoint")
        verbose_name_plural = _("log checkpoints")
        ordering = ["-seq"]

    def __str__(self):
        return f"{self.seq} {self.digest[:12]}"


class Verification(AppendOnlyModel):
    """A verification that passed, through the checkpoint at `seq`: where the next incremental run starts.

    Sealed under the log key like a checkpoint (verification_marks.py), so a forged or moved mark cannot
    make a run skip rows. No database triggers: removing marks only makes the next run start earlier.
    """

    seq = models.BigIntegerField(_("sequence"))
    digest = models.CharField(_("digest"), max_length=64)
    checkpoint_mac = models.CharField(_("seal of the checkpoint"), max_length=64)
    at = models.DateTimeField(_("time"), default=timezone.now)
    full = models.BooleanField(_("full run"), default=False)
    checked = models.BigIntegerField(_("rows checked"), default=0)
    mac = models.CharField(_("seal"), max_length=64)

    class Meta:
        verbose_name = _("log verification")
        verbose_name_plural = _("log verifications")
        ordering = ["-seq", "-id"]

    def __str__(self):
        return f"{self.seq} {timezone.localtime(self.at):%Y-%m-%d %H:%M}"
