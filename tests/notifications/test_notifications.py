"""Notifications: inbox, queued mail sent by the worker (never in the request), retries, outbox review,
the SMS hook, and the two senders routed through the service."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from qingshen.notifications.models import Delivery, Notification
from qingshen.notifications.services import deliveries_retry_due, notification_send
from qingshen.trail.models import Event
from tests.notifications.flaky_backend import FlakyBackend, RecordingSms


@pytest.fixture
def flaky(settings):
    settings.EMAIL_BACKEND = "tests.notifications.flaky_backend.FlakyBackend"
    settings.QINGSHEN_DELIVERY_MAX_ATTEMPTS = 3
    settings.QINGSHEN_DELIVERY_RETRY_SECONDS = 60
    FlakyBackend.fails = 0
    yield FlakyBackend
    FlakyBackend.fails = 0


def _send(world, **kw):
    user = world.users["enterprise"]
    user.email = "ent@example.cn"
    user.save()
    return notification_send(
        users=[user], subject="通知", body="正文", obj=world.case_north, actor=world.users["city"], **kw
    )


def test_inbox_and_mail_after_commit(world, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _send(world, addresses=["boss@example.cn"])
    assert mailoutbox == []  # nothing leaves before the commit
    for callback in callbacks:
        callback()
    assert sorted(m.to[0] for m in mailoutbox) == ["boss@example.cn", "ent@example.cn"]
    note = Notification.objects.get(recipient=world.users["enterprise"], subject="通知")
    assert (note.object_type, note.object_id) == ("cases.auditcase", str(world.case_north.pk))
    assert set(Delivery.objects.filter(subject="通知").values_list("status", flat=True)) == {"sent"}
    assert [e.after["subject"] for e in Event.objects.filter(action="notification.send")].count("通知") == 1


def test_failed_mail_is_retried_then_given_up(world, flaky, django_capture_on_commit_callbacks):
    from django.core import mail

    flaky.fails = 1
    with django_capture_on_commit_callbacks(execute=True):
        _send(world)
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("retry", 1) and "SMTP" in delivery.last_error
    assert deliveries_retry_due() == 0  # not yet
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=61)):
        assert deliveries_retry_due() == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("sent", 2) and len(mail.outbox) == 1
    # Down for good: given up after the maximum attempts.
    flaky.fails = 99
    with django_capture_on_commit_callbacks(execute=True):
        _send(world, addresses=["x@example.cn"])
    later = timezone.now()
    for minutes in (2, 5, 10):
        with time_machine.travel(later + datetime.timedelta(minutes=minutes)):
            deliveries_retry_due()
    states = dict(Delivery.objects.filter(address="x@example.cn").values_list("status", "attempts"))
    assert states == {"failed": 3}


def test_official_notice_waits_for_review(world, client_for, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _send(world, official=True)
    assert mailoutbox == [] and Delivery.objects.get().status == "held"
    assert (
        Notification.objects.filter(subject="通知").count() == 1
    )  # the inbox has it at once; the mail waits
    city = client_for(world.users["city"])
    page = city.get(reverse("outbox"))
    assert page.status_code == 200 and [d.status for d in page.context["page"].object_list] == ["held"]
    delivery = Delivery.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        city.post(reverse("outbox-review", args=[delivery.pk]), {"action": "release"})
    delivery.refresh_from_db()
    assert delivery.status == "sent" and delivery.reviewed_by == world.users["city"]
    assert len(mailoutbox) == 1
    # Released twice: refused with a message, nothing changes.
    city.post(reverse("outbox-review", args=[delivery.pk]), {"action": "release"})
    assert len(mailoutbox) == 1


def test_outbox_withdraw_and_refusals(world, client_for):
    _send(world, official=True)
    delivery = Delivery.objects.get()
    for role in ("supervisor", "district", "enterprise", "province"):
        client = client_for(world.users[role])
        assert client.get(reverse("outbox")).status_code == 404
        assert (
            client.post(reverse("outbox-review", args=[delivery.pk]), {"action": "release"}).status_code
            == 404
        )
    client_for(world.users["city"]).post(reverse("outbox-review", args=[delivery.pk]), {"action": "withdraw"})
    delivery.refresh_from_db()
    assert delivery.status == "withdrawn"


def test_inbox_page_read_and_unread_count(world, client_for, django_assert_max_num_queries):
    Notification.objects.update(read_at=timezone.now())  # the listing notice of the world fixture
    for _ in range(15):
        _send(world)
    client = client_for(world.users["enterprise"])
    assert client.get(reverse("inbox-unread")).json() == {"unread": 15}
    client.get(reverse("inbox"))
    with django_assert_max_num_queries(10):
        page = client.get(reverse("inbox"))
    assert page.status_code == 200
    note = Notification.objects.filter(recipient=world.users["enterprise"]).first()
    response = client.get(reverse("notification-open", args=[note.pk]))
    assert response.status_code == 302
    assert client.get(reverse("inbox-unread")).json() == {"unread": 14}
    # Someone else's notification is not found.
    other = client_for(world.users["enterprise_south"])
    assert other.get(reverse("notification-open", args=[note.pk])).status_code == 404
    assert other.get(reverse("inbox-unread")).json() == {"unread": 0}


def test_anonymous_has_no_inbox(client):
    assert client.get(reverse("inbox")).status_code == 302
    assert client.get(reverse("inbox-unread")).status_code == 302


def test_sms_hook(world, settings, django_capture_on_commit_callbacks):
    user = world.users["enterprise"]
    user.phone = "13800000000"
    user.save()
    with django_capture_on_commit_callbacks(execute=True):
        _send(world)
    assert not Delivery.objects.filter(channel="sms").exists()  # no provider, no SMS
    settings.QINGSHEN_SMS_SENDER = "tests.notifications.flaky_backend.RecordingSms"
    RecordingSms.sent = []
    with django_capture_on_commit_callbacks(execute=True):
        _send(world)
    assert Delivery.objects.get(channel="sms").status == "sent"
    assert RecordingSms.sent == [("13800000000", "通知\n正文")]
