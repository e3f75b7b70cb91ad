"""A case's step moves it between two buckets of its cell's counts (cases.count_deltas) instead of
counting the cell again: the counts stay equal to the cases, one row per bucket with the cases' real due
dates, in the same few statements whatever the cell's size, and two steps in one district do not wait
for each other. Run this file on PostgreSQL too."""

import datetime
import threading

import pytest
from django.db import connection, connections, transaction
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from qingshen.cases import services
from qingshen.cases.counts import case_counts_refresh
from qingshen.cases.models import AuditCase, CaseCount, RollupCell
from tests.cases.test_case_counts import _consistent

STATES = ("listed", "disclosed", "auditing", "withdrawn")


def _pad(case, n: int) -> None:
    """`n` more cases in `case`'s cell, of several states and due dates, then the cell counted."""
    today = timezone.localdate()
    AuditCase.objects.bulk_create(
        AuditCase(
            programme_id=case.programme_id,
            enterprise_id=case.enterprise_id,
            jurisdiction_id=case.jurisdiction_id,
            jurisdiction_path=case.jurisdiction_path,
            kind=case.kind,
            state=STATES[i % len(STATES)],
            published_on=case.published_on,
            next_due_on=today + datetime.timedelta(days=i % 40 - 20),
            disclosed_on=case.published_on if i % 2 else None,
        )
        for i in range(n)
    )
    case_counts_refresh(
        programme_id=case.programme_id, jurisdiction_id=case.jurisdiction_id, case_kind=case.kind
    )


def _step(case, *, state, due, **dates) -> None:
    """A step as the services take it: the case read under its row's lock, then saved."""
    with transaction.atomic():
        locked = AuditCase.objects.select_for_update().get(pk=case.pk)
        locked.state, locked.next_due_on = state, due
        for name, day in dates.items():
            setattr(locked, name, day)
        locked.save(update_fields=["state", "next_due_on", *dates])


def test_many_steps_in_one_cell_keep_the_counts_exact(world):
    """One row per bucket, overdue cases by their real due date, after steps forth and back, a save of
    every field, a stale instance refreshed and a case moved to another district."""
    w = world
    _pad(w.case_north, 30)
    today = timezone.localdate()
    cases = list(AuditCase.objects.filter(jurisdiction=w.north).order_by("pk"))
    for i, case in enumerate(cases):
        _step(case, state=STATES[(i + 1) % len(STATES)], due=today - datetime.timedelta(days=i % 7))
    for i, case in enumerate(cases[::3]):
        _step(case, state="listed", due=today + datetime.timedelta(days=i), accepted_on=today)
    _consistent()
    late = AuditCase.objects.filter(jurisdiction=w.north, state="listed", next_due_on__lt=today).first()
    assert late is not None
    assert CaseCount.objects.filter(
        state="listed", due_on=late.next_due_on, jurisdiction_path=late.jurisdiction_path
    )
    stale = AuditCase.objects.get(pk=cases[1].pk)
    _step(cases[1], state="auditing", due=today)
    stale.refresh_from_db()
    stale.state = "disclosed"
    with transaction.atomic():
        stale.save()
    _consistent()
    cases[2].jurisdiction_id, cases[2].jurisdiction_path = w.south.pk, w.south.path
    with transaction.atomic():
        cases[2].save()
    _consistent()
    buckets = CaseCount.objects.values("cell", "key").annotate(n=Count("pk")).filter(n__gt=1)
    assert not buckets.exists()
    assert not CaseCount.objects.filter(cases=0).exists()


def _counts_statements(case, actor) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        services.disclosure_submit(case_id=case.pk, actor=actor)
    return [q["sql"] for q in ctx.captured_queries]


def test_a_step_costs_the_same_statements_in_a_small_and_a_large_cell(world):
    """A disclosure in a cell of 5 cases and in one of 200: as many statements, none reading the cell's
    cases or locking the cell for writing."""
    w = world
    _pad(w.case_north, 4)
    _pad(w.case_south, 199)
    small = _counts_statements(w.case_north, w.users["enterprise"])
    large = _counts_statements(w.case_south, w.users["enterprise_south"])
    assert len(small) == len(large), (small, large)
    cases, cells = AuditCase._meta.db_table, RollupCell._meta.db_table
    for sql in large:
        assert not (f'FROM "{cases}"' in sql and "GROUP BY" in sql), sql
        assert not (f'FROM "{cells}"' in sql and "FOR UPDATE" in sql), sql
    _consistent()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite serialises every writer")
@pytest.mark.django_db(transaction=True)
def test_two_steps_in_one_cell_at_once_are_both_counted(world):
    """The first step's transaction stays open while the second, in the same cell, takes and commits
    its own: it does not wait on the cell (a lock wait fails it at once), and both are counted."""
    w = world
    _pad(w.case_north, 10)
    today = timezone.localdate()
    first, second = AuditCase.objects.filter(jurisdiction=w.north).order_by("pk")[:2]
    AuditCase.objects.filter(pk=second.pk).update(state="auditing")  # another bucket than the first's
    case_counts_refresh(
        programme_id=first.programme_id, jurisdiction_id=first.jurisdiction_id, case_kind=first.kind
    )
    stepped, release, errors = threading.Event(), threading.Event(), []

    def step(case, state, due, hold):
        try:
            with transaction.atomic():
                with connections["default"].cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '2s'")
                _step(case, state=state, due=due)
                if hold:
                    stepped.set()
                    release.wait(30)
        except Exception as exc:  # reported to the test's thread
            errors.append(exc)
        finally:
            stepped.set()
            connections.close_all()

    holder = threading.Thread(
        target=step, args=(first, "disclosed", today + datetime.timedelta(days=3), True)
    )
    holder.start()
    stepped.wait(30)
    other = threading.Thread(
        target=step, args=(second, "report_submitted", today + datetime.timedelta(days=9), False)
    )
    other.start()
    other.join(30)
    release.set()
    holder.join(30)
    assert not errors, errors
    assert (
        AuditCase.objects.filter(
            pk__in=[first.pk, second.pk], state__in=["disclosed", "report_submitted"]
        ).count()
        == 2
    )
    _consistent()
