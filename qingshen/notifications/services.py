"""Writes on notifications: send (inbox + queued mail/SMS), review the outbox, deliver with retries.

Nothing is mailed inside a request: deliveries are rows, enqueued after the commit for the
background worker (django-tasks; `manage.py db_worker`), which sends and retries.
"""

import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qingshen.core.errors import Refused
from qingshen.notifications.models import Delivery, Notification
from qingshen.notifications.sms import sms_sender
from qingshen.trail.services import event_record


class NotificationRefused(Refused):
    """A change the outbox refuses; the message is for the user."""


def _object_ref(obj) -> tuple[str, str, str]:
    if obj is None:
        return "", "", ""
    url = obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else ""
    return obj._meta.label_lower, str(obj.pk), url


def notification_send(
    *,
    users=(),
    subject: str,
    body: str = "",
    obj=None,
    url: str = "",
    addresses=(),
    official: bool = False,
    actor=None,
    jurisdiction_path: str = "",
) -> list[Delivery]:
    """Put a notification in each user's inbox and queue mail (and SMS, where a sender is configured)
    to the users' addresses and `addresses`. An official notice waits in the outbox for review."""
    subject, body = str(subject)[:200], str(body)
    object_type, object_id, object_url = _object_ref(obj)
    users = [u for u in users if u.is_active]
    if not jurisdiction_path and getattr(actor, "jurisdiction_id", None):
        jurisdiction_path = actor.jurisdiction.path
    status = Delivery.Status.HELD if official else Delivery.Status.QUEUED
    sms = sms_sender() is not None
    deliveries: list[Delivery] = []
    seen: set[tuple[str, str]] = set()

    def add(channel, address, notification=None):
        if address and (channel, address) not in seen:
            seen.add((channel, address))
            deliveries.append(
                Delivery(
                    notification=notification,
                    channel=channel,
                    address=address,
                    subject=subject,
                    body=body,
                    official=official,
                    jurisdiction_path=jurisdiction_path,
                    status=status,
                )
            )

    with transaction.atomic():
        for user in users:
            notification = Notification.objects.create(
                recipient=user,
                subject=subject,
                body=body,
                url=url or object_url,
                object_type=object_type,
                object_id=object_id,
            )
            add(Delivery.Channel.MAIL, user.email, notification)
            if sms:
                add(Delivery.Channel.SMS, user.phone, notification)
        for address in addresses:
            add(Delivery.Channel.MAIL, address)
        Delivery.objects.bulk_create(deliveries)
        event_record(
            action="notification.send",
            actor=actor,
            obj=obj,
            after={
                "subject": subject,
                "users": [u.pk for u in users],
                "mail": [d.address for d in deliveries if d.channel == Delivery.Channel.MAIL],
                "sms": sum(d.channel == Delivery.Channel.SMS for d in deliveries),
                "official": official,
            },
        )
        if not official:
            _enqueue_on_commit([d.pk for d in deliveries])
    return deliveries


def _enqueue_on_commit(ids: list[int]) -> None:
    from qingshen.notifications.tasks import delivery_send

    def enqueue():
        for pk in ids:
            delivery_send.enqueue(pk)

    if ids:
        transaction.on_commit(enqueue)


@transaction.atomic
def delivery_release(*, delivery_id: int, actor) -> Delivery:
    """City staff release an official notice from the outbox: it is queued for sending."""
    delivery = Delivery.objects.select_for_update().get(pk=delivery_id)
    if delivery.status != Delivery.Status.HELD:
        raise NotificationRefused(_("This notice is no longer awaiting review."))
    delivery.status, delivery.reviewed_by = Delivery.Status.QUEUED, actor
    delivery.save(update_fields=["status", "reviewed_by"])
    event_record(
        action="notification.release", actor=actor, obj=delivery, after={"address": delivery.address}
    )
    _enqueue_on_commit([delivery.pk])
    return delivery


@transaction.atomic
def delivery_withdraw(*, delivery_id: int, actor) -> Delivery:
    delivery = Delivery.objects.select_for_update().get(pk=delivery_id)
    if delivery.status != Delivery.Status.HELD:
        raise NotificationRefused(_("This notice is no longer awaiting review."))
    delivery.status, delivery.reviewed_by = Delivery.Status.WITHDRAWN, actor
    delivery.save(update_fields=["status", "reviewed_by"])
    event_record(
        action="notification.withdraw", actor=actor, obj=delivery, after={"address": delivery.address}
    )
    return delivery


def _transmit(delivery: Delivery) -> None:
    if delivery.channel == Delivery.Channel.SMS:
        sender = sms_sender()
        if sender is None:
            raise RuntimeError("no SMS sender configured")
        sender.send(number=delivery.address, text=f"{delivery.subject}\n{delivery.body}")
    else:
        send_mail(delivery.subject, delivery.body, settings.DEFAULT_FROM_EMAIL, [delivery.address])


def delivery_attempt(*, delivery_id: int) -> str:
    """Send one delivery (the worker's job). The row lock makes a duplicate job a no-op; a failure
    is retried after QINGSHEN_DELIVERY_RETRY_SECONDS × 2^(attempt-1), up to the maximum attempts."""
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().filter(pk=delivery_id).first()
        if delivery is None or delivery.status not in (Delivery.Status.QUEUED, Delivery.Status.RETRY):
            return "skipped"
        now = timezone.now()
        if (
            delivery.status == Delivery.Status.RETRY
            and delivery.next_attempt_at
            and delivery.next_attempt_at > now
        ):
            return "not yet"
        delivery.attempts += 1
        try:
            _transmit(delivery)
        except Exception as exc:  # any failure of the mail or SMS transport is retried
            _attempt_failed(delivery, f"{type(exc).__name__}: {exc}", now)
        else:
            delivery.status, delivery.sent_at, delivery.next_attempt_at = Delivery.Status.SENT, now, None
        _attempt_record(delivery)
    if delivery.status == Delivery.Status.RETRY:
        _schedule_retry(delivery)
    return delivery.status


def _attempt_failed(delivery: Delivery, error: str, now) -> None:
    delivery.last_error = error[:2000]
    if delivery.attempts >= settings.QINGSHEN_DELIVERY_MAX_ATTEMPTS:
        delivery.status, delivery.next_attempt_at = Delivery.Status.FAILED, None
    else:
        delay = settings.QINGSHEN_DELIVERY_RETRY_SECONDS * 2 ** (delivery.attempts - 1)
        delivery.status = Delivery.Status.RETRY
        delivery.next_attempt_at = now + datetime.timedelta(seconds=delay)


def _attempt_record(delivery: Delivery) -> None:
    delivery.save(update_fields=["attempts", "last_error", "status", "sent_at", "next_attempt_at"])
    event_record(
        action=f"notification.delivery.{delivery.status}",
        actor_name="worker",
        obj=delivery,
        after={
            "attempts": delivery.attempts,
            "error": delivery.last_error if delivery.status != "sent" else "",
        },
    )


def delivery_interrupted(*, delivery_id: int) -> Delivery | None:
    """The worker stopped while sending (jobs/reaper.py): the attempt's transaction rolled back, so
    the delivery is still queued. Count the attempt and retry it like a failed one (the mail may have
    left before the worker died: at least once, never lost); `manage.py sweep` enqueues the retry."""
    delivery = Delivery.objects.select_for_update().filter(pk=delivery_id).first()
    if delivery is None or delivery.status not in (Delivery.Status.QUEUED, Delivery.Status.RETRY):
        return delivery
    delivery.attempts += 1
    _attempt_failed(delivery, "WorkerLost: the background worker stopped while sending", timezone.now())
    _attempt_record(delivery)
    if delivery.status == Delivery.Status.RETRY:
        transaction.on_commit(lambda: _schedule_retry(delivery))
    return delivery


def _schedule_retry(delivery: Delivery) -> None:
    """With a backend that can defer (the database worker), enqueue the retry for its time; otherwise
    `manage.py sweep` picks it up (deliveries_retry_due)."""
    from qingshen.notifications.tasks import delivery_send

    if delivery_send.get_backend().supports_defer:
        delivery_send.using(run_after=delivery.next_attempt_at).enqueue(delivery.pk)


def deliveries_retry_due() -> int:
    """Enqueue the retries whose time has come (a safety net; a duplicate job is a no-op)."""
    from qingshen.notifications.tasks import delivery_send

    ids = list(
        Delivery.objects.filter(
            status=Delivery.Status.RETRY, next_attempt_at__lte=timezone.now()
        ).values_list("pk", flat=True)
    )
    for pk in ids:
        delivery_send.enqueue(pk)
    return len(ids)


def notification_read(*, notification: Notification) -> Notification:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification
