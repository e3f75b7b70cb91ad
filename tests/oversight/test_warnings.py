"""Early warnings: each threshold crossed by time travel, recorded once however often the sweep runs."""

import datetime
import threading
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.db import connection, connections

from qingshen.oversight.models import Warning
from qingshen.oversight.services import warnings_record
from qingshen.procedures.models import Rule
from qingshen.programmes.models import Milestone
from qingshen.trail.models import Event
from tests import factories as f


def at(day: datetime.date):
    """Travel to 10:00 local time on `day`."""
    return time_machine.travel(
        datetime.datetime.combine(day, datetime.time(10), ZoneInfo(settings.TIME_ZONE))
    )


def levels(**subject):
    return set(Warning.objects.filter(**subject).values_list("level", "threshold_days"))


def test_each_threshold_once_across_time(world):
    deadline = world.case_north.deadlines.get(kind="disclosure")
    due = deadline.due_on
    expected = set()
    for days_before, new in [
        (9, None),
        (8, None),
        (7, ("upcoming", 7)),
        (3, None),
        (1, ("upcoming", 1)),
        (0, ("due", 0)),
        (-1, ("overdue", 0)),
        (-30, None),
    ]:
        if new:
            expected.add(new)
        with at(due - datetime.timedelta(days=days_before)):
            warnings_record()
            warnings_record()
        assert levels(deadline=deadline) == expected, days_before
    assert Warning.objects.filter(deadline=deadline).count() == 4
    overdue = Warning.objects.get(deadline=deadline, level="overdue")
    assert (
        overdue.case == world.case_north and overdue.jurisdiction_path == world.case_north.jurisdiction_path
    )


def test_a_missed_day_records_the_band_the_deadline_is_in_only(world):
    deadline = world.case_north.deadlines.get(kind="disclosure")
    with at(deadline.due_on - datetime.timedelta(days=1)):
        warnings_record()
    assert levels(deadline=deadline) == {("upcoming", 1)}


def test_met_deadlines_are_not_warned(world):
    case = f.walk(
        world.case_north,
        "disclosed",
        city_user=world.users["city"],
        enterprise_user=world.users["enterprise"],
    )
    deadline = case.deadlines.get(kind="disclosure")
    assert deadline.status == "met"
    with at(deadline.due_on + datetime.timedelta(days=3)):
        warnings_record()
    assert not Warning.objects.filter(deadline=deadline).exists()


def test_thresholds_are_rules(world):
    Rule.objects.filter(code="warning_upcoming_week").update(amount=14)
    deadline = world.case_north.deadlines.get(kind="disclosure")
    with at(deadline.due_on - datetime.timedelta(days=10)):
        warnings_record()
    assert levels(deadline=deadline) == {("upcoming", 14)}


def test_milestones_are_warned(world):
    milestone = Milestone.objects.create(
        programme=world.programme, name="区县上报名单", due_on=datetime.date(2030, 3, 19)
    )
    with at(datetime.date(2030, 3, 12)):
        warnings_record()
    with at(datetime.date(2030, 3, 21)):
        warnings_record()
        warnings_record()
    assert levels(milestone=milestone) == {("upcoming", 7), ("overdue", 0)}
    assert Warning.objects.get(milestone=milestone, level="overdue").jurisdiction_path == world.city.path


def test_a_moved_deadline_is_warned_again(world):
    deadline = world.case_north.deadlines.get(kind="disclosure")
    with at(deadline.due_on):
        warnings_record()
    deadline.due_on += datetime.timedelta(days=30)
    deadline.save()
    with at(deadline.due_on):
        warnings_record()
    assert Warning.objects.filter(deadline=deadline, level="due").count() == 2


def test_one_event_per_run_that_recorded(world):
    deadline = world.case_north.deadlines.get(kind="disclosure")
    with at(deadline.due_on):
        counts = warnings_record()
        assert warnings_record() == {}
    assert counts["deadline.due"] == 2  # both cases were published the same day
    assert Event.objects.filter(action="oversight.warnings.record").count() == 1


def test_sweep_command_records_warnings(world):
    deadline = world.case_north.deadlines.get(kind="disclosure")
    with at(deadline.due_on):
        call_command("sweep", stdout=open("/dev/null", "w"))  # noqa: SIM115
        call_command("sweep", "--skip-recompute", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Warning.objects.filter(level="due").count() == 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_sweeps_record_each_warning_once(seeded_data, world):
    if connection.vendor != "postgresql":
        pytest.skip("real concurrency is a PostgreSQL matter; SQLite serialises writers")
    deadline = world.case_north.deadlines.get(kind="disclosure")
    racers = 6
    barrier = threading.Barrier(racers)
    errors = []

    def sweep():
        try:
            barrier.wait()
            with at(deadline.due_on):
                warnings_record()
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sweep) for _ in range(racers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert Warning.objects.filter(level="due").count() == 2
