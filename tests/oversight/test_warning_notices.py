"""Early warnings reach people: the enterprise a notice per case for its own deadlines, city and
district staff one digest of their jurisdiction's new warnings; each warning is told once."""

import datetime
from zoneinfo import ZoneInfo

import time_machine
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

from qingshen.notifications.models import Delivery, Notification
from qingshen.oversight.models import Warning
from qingshen.oversight.services import warnings_record
from qingshen.oversight.warning_notices import warnings_notify


def at(day: datetime.date):
    return time_machine.travel(
        datetime.datetime.combine(day, datetime.time(10), ZoneInfo(settings.TIME_ZONE))
    )


def warned(user, text="deadline warning"):
    return list(
        # The deadline warnings' notices (the sweep's permit warnings have their own subject).
        Notification.objects.filter(recipient=user, subject__icontains="期限预警").exclude(
            subject__icontains="新增"
        )
    )


def digests(user):
    return list(Notification.objects.filter(recipient=user, subject__contains="新增"))


def test_a_week_ahead_the_enterprise_and_the_staff_of_its_jurisdiction_are_told_once(world):
    world.ent_north.contact_email = "hb@north.example.cn"
    world.ent_north.save()
    due = world.case_north.deadlines.get(kind="disclosure").due_on
    with at(due - datetime.timedelta(days=7)):
        warnings_record()
        counts = warnings_notify()
        assert warnings_notify() == {
            "enterprise_notices": 0,
            "digests": 0,
            "marked_silently": 0,
            "progress_reminders": 0,
        }
    assert counts["enterprise_notices"] >= 1
    (notice,) = warned(world.users["enterprise"])
    assert world.programme.title in notice.subject and str(due) in notice.body and "7" in notice.body
    assert notice.url == world.case_north.get_absolute_url()
    assert Delivery.objects.filter(address="hb@north.example.cn", subject=notice.subject).exists()
    # The north district sees only its own enterprise's warnings, the city all of them.
    north_warnings = Warning.objects.filter(jurisdiction_path__startswith=world.north.path).count()
    (north,) = digests(world.users["district"])
    (city,) = digests(world.users["city"])
    assert f"{north_warnings} 条" in north.subject
    assert f"{Warning.objects.count()} 条" in city.subject and city.url == "/warnings/"
    assert not digests(world.users["enterprise"]) and not digests(world.users["province"])
    assert not Warning.objects.filter(notified_at__isnull=True).exists()


def test_the_next_threshold_is_told_again(world):
    due = world.case_north.deadlines.get(kind="disclosure").due_on
    for days_before in (7, 1):
        with at(due - datetime.timedelta(days=days_before)):
            call_command("sweep", "--skip-recompute", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert len(warned(world.users["enterprise"])) == 2


@override_settings(QINGSHEN_WARNING_NOTICE_MAX_DAYS_LATE=3)
def test_long_overdue_deadlines_are_marked_without_a_notice(world):
    due = world.case_north.deadlines.get(kind="disclosure").due_on
    with at(due + datetime.timedelta(days=4)):
        warnings_record()
        counts = warnings_notify()
    assert counts["marked_silently"] >= 1 and counts["enterprise_notices"] == 0
    assert not warned(world.users["enterprise"]) and not digests(world.users["city"])
    assert not Warning.objects.filter(notified_at__isnull=True).exists()
    with at(due + datetime.timedelta(days=2)), override_settings(QINGSHEN_WARNING_NOTICE_MAX_DAYS_LATE=3):
        Warning.objects.update(notified_at=None)
        assert warnings_notify()["enterprise_notices"] >= 1


def test_the_energy_authoritys_digest_lists_only_the_cases_it_leads(world):
    from tests import factories as f

    energy = f.energy_user("energy-city", world.city)
    north_due = world.case_north.deadlines.get(kind="disclosure").due_on
    south_due = world.case_south.deadlines.get(kind="disclosure").due_on
    assert north_due == south_due
    with at(north_due - datetime.timedelta(days=7)):
        warnings_record()
        warnings_notify()
    # The south case is listed on energy use alone, so the energy authority leads it; north is not its.
    led = Warning.objects.filter(case=world.case_south).count()
    (digest,) = digests(energy)
    assert led and f"{led} 条" in digest.subject
    assert f"{Warning.objects.count()} 条" in digests(world.users["city"])[0].subject
